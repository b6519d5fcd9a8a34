/*===- kiln_model.h - the C ABI of a model compiled by Kiln -----*- C -*-===//
 *
 * `kiln-compile model.onnx --target=cpu -o model.so` produces a shared library
 * that exports exactly the functions below. Tensors are dense, row-major and
 * owned by the caller; inputs are only read. See docs/c-abi.md.
 *
 *===--------------------------------------------------------------------===*/

#ifndef KILN_MODEL_H
#define KILN_MODEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Element types, numbered as ONNX's TensorProto.DataType. */
enum kiln_dtype {
  KILN_DTYPE_FLOAT32 = 1,
  KILN_DTYPE_UINT8 = 2,
  KILN_DTYPE_INT8 = 3,
  KILN_DTYPE_UINT16 = 4,
  KILN_DTYPE_INT16 = 5,
  KILN_DTYPE_INT32 = 6,
  KILN_DTYPE_INT64 = 7,
  KILN_DTYPE_BOOL = 9, /* one byte per element, 0 or 1 */
  KILN_DTYPE_FLOAT16 = 10,
  KILN_DTYPE_FLOAT64 = 11,
  KILN_DTYPE_UINT32 = 12,
  KILN_DTYPE_UINT64 = 13,
  KILN_DTYPE_BFLOAT16 = 16
};

/* The ABI version a library implements; this header describes version 1. */
#define KILN_MODEL_ABI_VERSION 1
int32_t kiln_model_abi_version(void);

/* Number of inputs and outputs. */
int32_t kiln_model_num_inputs(void);
int32_t kiln_model_num_outputs(void);

/* Describe input or output `index` (0-based). Out-of-range indices return
 * NULL, -1 or 0 as fitting. Names are the model's own tensor names. */
const char *kiln_model_input_name(int32_t index);
int32_t kiln_model_input_dtype(int32_t index);
int32_t kiln_model_input_rank(int32_t index);
const int64_t *kiln_model_input_shape(int32_t index);
const char *kiln_model_output_name(int32_t index);
int32_t kiln_model_output_dtype(int32_t index);
int32_t kiln_model_output_rank(int32_t index);
const int64_t *kiln_model_output_shape(int32_t index);

/* Runs the model: `inputs[i]` points to input i's data, `outputs[i]` to a
 * caller-allocated buffer for output i (shape product times element size).
 * Returns 0 on success. Calls may run concurrently on different buffers. */
int32_t kiln_model_run(const void *const *inputs, void *const *outputs);

/* Sets the number of threads the model's kernels use (one pool per loaded
 * library, shared by all calls); n <= 0 restores the default: the
 * KILN_NUM_THREADS environment variable when set, else kiln-compile
 * --threads when given, else every core the process may run on. Returns
 * the previous effective count. */
int32_t kiln_model_set_num_threads(int32_t n);
/* The number of threads the model's kernels will use. */
int32_t kiln_model_get_num_threads(void);

#ifdef __cplusplus
}
#endif

#endif /* KILN_MODEL_H */
