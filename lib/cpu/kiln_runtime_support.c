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

/* Copies `src` to `dst` (same shape) in row-major order, honouring both
 * buffers' offsets and strides. The innermost dimensions that are
 * contiguous in both buffers are copied as one block with memcpy; the
 * outer ones are walked with an odometer. */
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
  for (int64_t d = 0; d < rank; ++d)
    if (sizes[d] == 0)
      return;
  /* Fold the innermost dimensions that are contiguous in both buffers
   * (dimensions of size 1 never break contiguity) into one block. */
  int64_t block = 1, outer = rank;
  while (outer > 0) {
    int64_t d = outer - 1;
    if (sizes[d] != 1 &&
        (srcStrides[d] != block || dstStrides[d] != block))
      break;
    block *= sizes[d];
    --outer;
  }
  size_t blockBytes = (size_t)(block * elementSize);
  int64_t index[rank + 1];
  memset(index, 0, sizeof(index));
  for (;;) {
    int64_t srcOffset = 0, dstOffset = 0;
    for (int64_t d = 0; d < outer; ++d) {
      srcOffset += index[d] * srcStrides[d];
      dstOffset += index[d] * dstStrides[d];
    }
    memcpy(dstBase + dstOffset * elementSize, srcBase + srcOffset * elementSize,
           blockBytes);
    int64_t d = outer - 1;
    while (d >= 0 && ++index[d] == sizes[d])
      index[d--] = 0;
    if (d < 0)
      return;
  }
}
