/* run_model.c - load inputs, run a Kiln-compiled model, save its outputs.
 *
 * Works with any library built by `kiln-compile model.onnx -o model.so`,
 * using only the metadata and run functions of kiln_model.h:
 *
 *   cc -I include docs/examples/run_model.c model.so -Wl,-rpath,. -o run_model
 *   ./run_model input0.bin [input1.bin ...] OUTPUT_PREFIX
 *
 * Each input file holds the raw row-major bytes of one input (what
 * numpy.ndarray.tofile writes); output i is written to OUTPUT_PREFIX<i>.bin.
 * The program prints every tensor's name, type and first values.
 */
#include "kiln/runtime/kiln_model.h"

#include <stdio.h>
#include <stdlib.h>

/* Size in bytes of one element of a kiln_dtype. */
static size_t element_size(int32_t dtype) {
  switch (dtype) {
  case KILN_DTYPE_FLOAT64:
  case KILN_DTYPE_INT64:
  case KILN_DTYPE_UINT64:
    return 8;
  case KILN_DTYPE_FLOAT32:
  case KILN_DTYPE_INT32:
  case KILN_DTYPE_UINT32:
    return 4;
  case KILN_DTYPE_FLOAT16:
  case KILN_DTYPE_BFLOAT16:
  case KILN_DTYPE_INT16:
  case KILN_DTYPE_UINT16:
    return 2;
  default:
    return 1;
  }
}

/* Bytes of a tensor with the given rank and shape. */
static size_t tensor_bytes(int32_t dtype, int32_t rank, const int64_t *shape) {
  size_t count = 1;
  for (int32_t d = 0; d < rank; ++d)
    count *= (size_t)shape[d];
  return count * element_size(dtype);
}

/* Prints "name: dtype rank [shape]". */
static void describe(const char *role, int32_t index, const char *name,
                     int32_t dtype, int32_t rank, const int64_t *shape) {
  printf("%s %d '%s': dtype %d, shape [", role, index, name, dtype);
  for (int32_t d = 0; d < rank; ++d)
    printf(d ? "x%lld" : "%lld", (long long)shape[d]);
  printf("]");
}

int main(int argc, char **argv) {
  int32_t num_inputs = kiln_model_num_inputs();
  int32_t num_outputs = kiln_model_num_outputs();
  if (kiln_model_abi_version() != KILN_MODEL_ABI_VERSION ||
      argc != num_inputs + 2) {
    fprintf(stderr, "usage: %s <%d input .bin files> OUTPUT_PREFIX\n", argv[0],
            num_inputs);
    return 2;
  }
  void **inputs = calloc((size_t)num_inputs + 1, sizeof(void *));
  void **outputs = calloc((size_t)num_outputs + 1, sizeof(void *));
  for (int32_t i = 0; i < num_inputs; ++i) {
    size_t bytes =
        tensor_bytes(kiln_model_input_dtype(i), kiln_model_input_rank(i),
                     kiln_model_input_shape(i));
    inputs[i] = malloc(bytes ? bytes : 1);
    FILE *file = fopen(argv[1 + i], "rb");
    if (!file || fread(inputs[i], 1, bytes, file) != bytes) {
      fprintf(stderr, "error: %s: cannot read %zu bytes for input %d\n",
              argv[1 + i], bytes, i);
      return 1;
    }
    fclose(file);
    describe("input", i, kiln_model_input_name(i), kiln_model_input_dtype(i),
             kiln_model_input_rank(i), kiln_model_input_shape(i));
    printf(" <- %s\n", argv[1 + i]);
  }
  for (int32_t i = 0; i < num_outputs; ++i) {
    size_t bytes =
        tensor_bytes(kiln_model_output_dtype(i), kiln_model_output_rank(i),
                     kiln_model_output_shape(i));
    outputs[i] = malloc(bytes ? bytes : 1);
  }

  if (kiln_model_run((const void *const *)inputs, outputs) != 0) {
    fprintf(stderr, "error: kiln_model_run failed\n");
    return 1;
  }

  for (int32_t i = 0; i < num_outputs; ++i) {
    int32_t dtype = kiln_model_output_dtype(i);
    size_t bytes = tensor_bytes(dtype, kiln_model_output_rank(i),
                                kiln_model_output_shape(i));
    char path[4096];
    snprintf(path, sizeof(path), "%s%d.bin", argv[num_inputs + 1], i);
    FILE *file = fopen(path, "wb");
    if (!file || fwrite(outputs[i], 1, bytes, file) != bytes) {
      fprintf(stderr, "error: %s: cannot write output %d\n", path, i);
      return 1;
    }
    fclose(file);
    describe("output", i, kiln_model_output_name(i), dtype,
             kiln_model_output_rank(i), kiln_model_output_shape(i));
    if (dtype == KILN_DTYPE_FLOAT32) {
      const float *values = outputs[i];
      size_t count = bytes / sizeof(float);
      printf(":");
      for (size_t k = 0; k < count && k < 4; ++k)
        printf(" %g", values[k]);
    }
    printf(" -> %s\n", path);
  }
  for (int32_t i = 0; i < num_inputs; ++i)
    free(inputs[i]);
  for (int32_t i = 0; i < num_outputs; ++i)
    free(outputs[i]);
  free(inputs);
  free(outputs);
  return 0;
}
