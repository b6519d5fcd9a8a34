/*===- kiln_runtime_support.c - helpers lowered CPU code calls ---*- C -*-===//
 *
 * MLIR's memref lowering calls `memrefCopy` for copies between buffers that
 * are not both contiguous. Upstream implements it in libmlir_c_runner_utils,
 * which a compiled model should not depend on, so Kiln carries its own: this
 * file is compiled into the JIT (kiln-run) and embedded verbatim into every
 * shared library kiln-compile links.
 *
 * It also provides the allocation functions the lowered code calls
 * (finalize-memref-to-llvm{use-generic-functions}): a model allocates and
 * frees the same large temporaries on every run, and from malloc each would
 * be fresh pages from the kernel, page-faulted and zeroed on first touch
 * (a quarter of MobileNetV2's run time). Large freed blocks are kept in a
 * small cache and handed out again.
 *
 *===--------------------------------------------------------------------===*/

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*===------------------------------------------------------------------===*
 * Allocation
 *===------------------------------------------------------------------===*/

/* Every block starts with a header of `kiln_block_header_size(alignment)`
 * bytes, whose last 16 hold the malloc'ed base and the usable capacity. */
struct kiln_block_tail {
  void *base;
  size_t capacity; /* bytes after the header; 0: not cacheable */
};

enum {
  KILN_CACHE_SLOTS = 64,
  KILN_CACHE_MIN_BYTES = 64 * 1024,
};
static const size_t kiln_cache_max_bytes = (size_t)1 << 30;

static pthread_mutex_t kiln_cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kiln_block_tail kiln_cache[KILN_CACHE_SLOTS];
static int kiln_cache_count;
static size_t kiln_cache_bytes;

static void *kiln_allocate(size_t alignment, size_t size) {
  if (alignment < 64)
    alignment = 64;
  size_t header = alignment; /* >= sizeof(struct kiln_block_tail) */
  size_t capacity = size;
  if (size >= KILN_CACHE_MIN_BYTES) {
    /* Round to whole pages so that near sizes share cached blocks. */
    capacity = (size + 4095) / 4096 * 4096;
    pthread_mutex_lock(&kiln_cache_lock);
    int best = -1;
    for (int i = 0; i < kiln_cache_count; ++i) {
      size_t have = kiln_cache[i].capacity;
      if (have >= capacity && have <= capacity + capacity / 4 &&
          ((uintptr_t)kiln_cache[i].base + header) % alignment == 0 &&
          (best < 0 || have < kiln_cache[best].capacity))
        best = i;
    }
    if (best >= 0) {
      struct kiln_block_tail block = kiln_cache[best];
      kiln_cache[best] = kiln_cache[--kiln_cache_count];
      kiln_cache_bytes -= block.capacity;
      pthread_mutex_unlock(&kiln_cache_lock);
      char *data = (char *)block.base + header;
      ((struct kiln_block_tail *)data)[-1] = block;
      return data;
    }
    pthread_mutex_unlock(&kiln_cache_lock);
  }
  size_t total = (header + capacity + alignment - 1) / alignment * alignment;
  void *base = aligned_alloc(alignment, total);
  if (!base)
    return NULL;
  char *data = (char *)base + header;
  struct kiln_block_tail tail = {
      base, size >= KILN_CACHE_MIN_BYTES ? capacity : 0};
  ((struct kiln_block_tail *)data)[-1] = tail;
  return data;
}

__attribute__((visibility("default"))) void *
_mlir_memref_to_llvm_alloc(size_t size) {
  return kiln_allocate(16, size);
}

__attribute__((visibility("default"))) void *
_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t size) {
  return kiln_allocate(alignment, size);
}

__attribute__((visibility("default"))) void
_mlir_memref_to_llvm_free(void *pointer) {
  if (!pointer)
    return;
  struct kiln_block_tail block = ((struct kiln_block_tail *)pointer)[-1];
  if (block.capacity > 0) {
    pthread_mutex_lock(&kiln_cache_lock);
    if (kiln_cache_count < KILN_CACHE_SLOTS &&
        kiln_cache_bytes + block.capacity <= kiln_cache_max_bytes) {
      kiln_cache[kiln_cache_count++] = block;
      kiln_cache_bytes += block.capacity;
      block.base = NULL;
    }
    pthread_mutex_unlock(&kiln_cache_lock);
  }
  free(block.base);
}

/*===------------------------------------------------------------------===*
 * Copies
 *===------------------------------------------------------------------===*/

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
