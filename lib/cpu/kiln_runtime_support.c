/*===- kiln_runtime_support.c - helpers lowered CPU code calls ---*- C -*-===//
 *
 * MLIR's memref lowering calls `memrefCopy` for copies between buffers that
 * are not both contiguous. Upstream implements it in libmlir_c_runner_utils,
 * which a compiled model should not depend on, so Kiln carries its own: this
 * file is compiled into the JIT (kiln-run) and embedded verbatim into every
 * shared library kiln-compile links.
 *
 *===--------------------------------------------------------------------===*/

#include <stdint.h>
#include <string.h>

/* The unranked memref MLIR passes: a rank and a pointer to the ranked
 * descriptor {allocated, aligned, offset, sizes[rank], strides[rank]}. */
struct kiln_unranked_memref {
  int64_t rank;
  void *descriptor;
};

/* Copies `src` to `dst` (same shape) element by element in row-major order,
 * honouring both buffers' offsets and strides. */
__attribute__((visibility("default"))) void
memrefCopy(int64_t elementSize, struct kiln_unranked_memref *src,
           struct kiln_unranked_memref *dst) {
  int64_t rank = src->rank;
  char **srcPointers = (char **)src->descriptor;
  char **dstPointers = (char **)dst->descriptor;
  const int64_t *srcFields = (const int64_t *)(srcPointers + 2);
  const int64_t *dstFields = (const int64_t *)(dstPointers + 2);
  const int64_t *sizes = srcFields + 1;
  const int64_t *srcStrides = srcFields + 1 + rank;
  const int64_t *dstStrides = dstFields + 1 + rank;
  char *srcBase = srcPointers[1] + srcFields[0] * elementSize;
  char *dstBase = dstPointers[1] + dstFields[0] * elementSize;
  int64_t total = 1;
  for (int64_t d = 0; d < rank; ++d)
    total *= sizes[d];
  if (total == 0)
    return;
  for (int64_t n = 0; n < total; ++n) {
    /* Decompose the row-major linear index n into per-dimension offsets. */
    int64_t rest = n, srcOffset = 0, dstOffset = 0;
    for (int64_t d = rank - 1; d >= 0; --d) {
      int64_t i = rest % sizes[d];
      rest /= sizes[d];
      srcOffset += i * srcStrides[d];
      dstOffset += i * dstStrides[d];
    }
    memcpy(dstBase + dstOffset * elementSize, srcBase + srcOffset * elementSize,
           (size_t)elementSize);
  }
}
