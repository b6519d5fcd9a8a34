/*===- kiln_kernels.h - hand-written CPU kernels lowered code calls -*- C -*-===
 *
 * The CPU pipeline replaces the large contractions of a model (f32 matrix
 * products and 2-D convolutions) with calls to these kernels when it judges
 * them faster than the loops it would generate (kiln-cpu-microkernels).
 * They follow MLIR's C interface for memrefs: each memref argument is a
 * pointer to its strided descriptor, and every kernel accumulates into its
 * output (out += product), the way linalg's contractions do.
 *
 * The same text is compiled into Kiln's JIT and into every shared library
 * kiln-compile links, so a compiled model needs no Kiln library at run time.
 * Work is split over one process-wide pool of threads. Its size is, first
 * found: kiln_set_num_threads, the KILN_NUM_THREADS environment variable,
 * kiln_set_default_num_threads, every core this process may run on.
 *
 *===----------------------------------------------------------------------===*/

#ifndef KILN_CPU_KILN_KERNELS_H
#define KILN_CPU_KILN_KERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* MLIR's strided memref descriptors of f32 buffers, by rank. */
typedef struct {
  float *allocated, *aligned;
  int64_t offset, sizes[1], strides[1];
} kiln_memref1_f32;
typedef struct {
  float *allocated, *aligned;
  int64_t offset, sizes[2], strides[2];
} kiln_memref2_f32;
typedef struct {
  float *allocated, *aligned;
  int64_t offset, sizes[3], strides[3];
} kiln_memref3_f32;
typedef struct {
  float *allocated, *aligned;
  int64_t offset, sizes[4], strides[4];
} kiln_memref4_f32;

/* Threads used by the kernels: n <= 0 restores the default. Returns the
 * previous setting's effective count. */
int kiln_set_num_threads(int n);
/* The number of threads the kernels will use. */
int kiln_get_num_threads(void);
/* The default that applies when neither kiln_set_num_threads nor
 * KILN_NUM_THREADS says otherwise (kiln-compile --threads); n <= 0: every
 * core. */
void kiln_set_default_num_threads(int n);

/* c[m][n] += sum_k a[m][k] * b[k][n]; any strides (a transposed operand is
 * a view with swapped strides). */
void _mlir_ciface_kiln_mk_gemm_f32(kiln_memref2_f32 *a, kiln_memref2_f32 *b,
                                   kiln_memref2_f32 *c);

/* Runs fn(context, begin, end) over [0, total) split into one contiguous
 * range per thread of the pool (the caller's included), and returns when
 * all are done; one call fn(context, 0, total) with one thread. Loops that
 * kiln-parallelize-loops outlined call it. */
typedef void (*kiln_range_fn)(void *context, int64_t begin, int64_t end);
void kiln_parallel_range(int64_t total, kiln_range_fn fn, void *context);

/* Constant operands packed ahead of time (kiln-cpu-microkernels does it at
 * compile time for weights): the element counts of the packed forms of an
 * m x k matrix A and a k x n matrix B, and the packing itself from any
 * strides. The layouts are private to this file and its version. */
int64_t kiln_mk_packed_a_size(int64_t m, int64_t k);
int64_t kiln_mk_packed_b_size(int64_t k, int64_t n);
void kiln_mk_pack_a_f32(const float *a, int64_t m, int64_t k,
                        int64_t row_stride, int64_t col_stride, float *out);
void kiln_mk_pack_b_f32(const float *b, int64_t k, int64_t n,
                        int64_t row_stride, int64_t col_stride, float *out);

/* The gemm with A (m from c, k from b) or B (k from a, n from c) packed. */
void _mlir_ciface_kiln_mk_gemm_pa_f32(kiln_memref1_f32 *packed_a,
                                      kiln_memref2_f32 *b, kiln_memref2_f32 *c);
void _mlir_ciface_kiln_mk_gemm_pb_f32(kiln_memref2_f32 *a,
                                      kiln_memref1_f32 *packed_b,
                                      kiln_memref2_f32 *c);

/* The activation a fused kernel applies to each stored value v (bias and
 * product summed), its `activation` argument; NaN stays NaN in each. */
enum {
  KILN_MK_ACT_NONE = 0,
  KILN_MK_ACT_CLAMP = 1,     /* min(max(v, lo), hi): ReLU, ReLU6, clip */
  KILN_MK_ACT_SILU = 2,      /* v * (1 / (1 + exp(-v))); lo, hi unused */
  KILN_MK_ACT_HARDSWISH = 3, /* v * max(min(lo * v + hi, 1), 0) */
};

/* Fused: c = act(a * b + bias[n]) with B packed, overwriting c (not
 * accumulating); the bias is used when has_bias, the activation is one of
 * KILN_MK_ACT_* with its parameters lo and hi. */
void _mlir_ciface_kiln_mk_gemm_pb_fused_f32(
    kiln_memref2_f32 *a, kiln_memref1_f32 *packed_b, kiln_memref1_f32 *bias,
    kiln_memref2_f32 *c, int64_t has_bias, int64_t activation, float lo,
    float hi);

/* c[i][m][n] += sum_k a[i][m][k] * b[i][k][n]. */
void _mlir_ciface_kiln_mk_batch_gemm_f32(kiln_memref3_f32 *a,
                                         kiln_memref3_f32 *b,
                                         kiln_memref3_f32 *c);

/* out[n][f][y][x] += sum_{c,ky,kx} in[n][c][iy][ix] * w[f][c][ky][kx]
 * with iy = y*sy + ky*dy - pad_top, ix = x*sx + kx*dx - pad_left, where
 * positions outside the image read as zero (implicit padding; without it,
 * linalg.conv_2d_nchw_fchw on an input already padded). */
void _mlir_ciface_kiln_mk_conv2d_nchw_f32(kiln_memref4_f32 *in,
                                          kiln_memref4_f32 *w,
                                          kiln_memref4_f32 *out, int64_t sy,
                                          int64_t sx, int64_t dy, int64_t dx,
                                          int64_t pad_top, int64_t pad_left);

/* The same with the weights, viewed as [filters x channels*kh*kw], packed
 * as A (kiln_mk_pack_a_f32); channels come from `in`. */
void _mlir_ciface_kiln_mk_conv2d_nchw_pa_f32(kiln_memref4_f32 *in,
                                             kiln_memref1_f32 *packed_w,
                                             kiln_memref4_f32 *out, int64_t kh,
                                             int64_t kw, int64_t sy, int64_t sx,
                                             int64_t dy, int64_t dx,
                                             int64_t pad_top, int64_t pad_left);

/* Fused: out = act(conv + bias[f]), overwriting out, with the weights
 * packed; has_bias, activation, lo and hi as for the fused gemm. */
void _mlir_ciface_kiln_mk_conv2d_nchw_pa_fused_f32(
    kiln_memref4_f32 *in, kiln_memref1_f32 *packed_w, kiln_memref1_f32 *bias,
    kiln_memref4_f32 *out, int64_t kh, int64_t kw, int64_t sy, int64_t sx,
    int64_t dy, int64_t dx, int64_t pad_top, int64_t pad_left, int64_t has_bias,
    int64_t activation, float lo, float hi);

/* out[n][c][y][x] += sum_{ky,kx} in[n][c][iy][ix] * w[c][ky][kx], with iy,
 * ix and the implicit padding as above
 * (linalg.depthwise_conv_2d_nchw_chw). */
void _mlir_ciface_kiln_mk_dwconv2d_nchw_f32(kiln_memref4_f32 *in,
                                            kiln_memref3_f32 *w,
                                            kiln_memref4_f32 *out, int64_t sy,
                                            int64_t sx, int64_t dy, int64_t dx,
                                            int64_t pad_top, int64_t pad_left);

/* Fused depthwise: out = act(depthwise + bias[c]), overwriting out;
 * has_bias, activation, lo and hi as for the fused gemm. */
void _mlir_ciface_kiln_mk_dwconv2d_nchw_fused_f32(
    kiln_memref4_f32 *in, kiln_memref3_f32 *w, kiln_memref1_f32 *bias,
    kiln_memref4_f32 *out, int64_t sy, int64_t sx, int64_t dy, int64_t dx,
    int64_t pad_top, int64_t pad_left, int64_t has_bias, int64_t activation,
    float lo, float hi);

#ifdef __cplusplus
}
#endif

#endif /* KILN_CPU_KILN_KERNELS_H */
