/*===- kiln_kernels_internal.h - shared by the kernel sources -*- C -*-===//
 *
 * The pieces of the CPU kernels that kiln_gemm.c (thread pool, matrix
 * product) and kiln_conv.c (convolutions) share: block sizes, the product's
 * problem description, and the few functions one calls in the other. Not
 * installed; hidden in every library the kernels are linked into.
 *
 *===----------------------------------------------------------------------===*/

#ifndef KILN_CPU_KILN_KERNELS_INTERNAL_H
#define KILN_CPU_KILN_KERNELS_INTERNAL_H

#ifndef KILN_KERNELS_EMBEDDED
#include "kiln/cpu/kiln_kernels.h"
#endif

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#define KILN_EXPORT __attribute__((visibility("default")))
#define KILN_INTERNAL __attribute__((visibility("hidden")))

typedef void (*kiln_task_fn)(void *context, int64_t index);

/* Runs fn(context, i) for i in [0, count) on up to kiln_get_num_threads()
 * threads, the caller included, and returns when all are done. */
KILN_INTERNAL void kiln_parallel_for(int64_t count, kiln_task_fn fn,
                                     void *context);

/* Grows a 64-byte aligned buffer to at least `elements` floats. */
KILN_INTERNAL float *kiln_grow_buffer(float **buffer, size_t *size,
                                      size_t elements);

#ifndef KILN_MR
#define KILN_MR 8
#endif
enum { MR = KILN_MR, NR = 32, KC = 256, MC = 128, NC_MAX = 512 };

/* Where B comes from: a strided matrix, or (implicit im2col) a padded NCHW
 * image whose reduction index k = (channel, ky, kx) and column index
 * j = (y, x) of the output. */
typedef struct {
  const float *base;
  int64_t rs, cs; /* strided matrix */
  int is_image;
  int64_t c_stride, y_stride, x_stride; /* image strides */
  int64_t kh, kw, out_w, sy, sx, dy, dx;
  /* Implicit zero padding: windows may start above/left of the image
   * (pad_top, pad_left) or run past its in_h x in_w end; `inside` when no
   * window does. */
  int64_t pad_top, pad_left, in_h, in_w;
  int inside;
} b_source;

/* What a micro-kernel does with its tile: C = [C +] tile [+ bias], then
 * the activation `act` (KILN_MK_ACT_*, with lo and hi). `load_c` is 0 on
 * the first step of the reduction of an overwriting product; the biases
 * are only given then, the activation only on the last step. */
typedef struct {
  int load_c, act;
  const float *row_bias; /* one per row of the tile, or null */
  const float *col_bias; /* one per column of the tile, or null */
  float lo, hi;
} tile_epilogue;

/* A micro-kernel: e, kc, A panel (kc x MR), B (kc rows of NR, b_rs apart:
 * NR in a packed panel, the row stride when read in place; only `cols` of
 * each row are read), C, C's strides, rows and cols of C that are real. */
typedef void (*micro_kernel_fn)(const tile_epilogue *, int64_t, const float *,
                                const float *, int64_t, float *, int64_t,
                                int64_t, int64_t, int64_t);

typedef struct {
  micro_kernel_fn kernel;
  int64_t m, n, k;
  const float *a;
  int64_t a_rs, a_cs;
  b_source b;
  float *c;
  int64_t c_rs, c_cs;
  /* A or B already packed whole (kiln_mk_pack_a_f32 / _b_f32), or null. */
  const float *packed_a, *packed_b;
  /* Fused epilogue: C is overwritten (not accumulated into) when
   * `overwrite`, with the bias per row or per column added, then the
   * activation `act` applied (KILN_MK_ACT_*, with lo and hi). */
  int overwrite, act;
  const float *row_bias, *col_bias;
  float lo, hi;
  int64_t m_chunk, m_tasks, nc, n_blocks;
} gemm_problem;

/* Applies the activation `act` (KILN_MK_ACT_*, with lo and hi) to one
 * value: the portable path, and the reference of the vector one. */
static inline float kiln_activate(int act, float lo, float hi, float v) {
  float h;
  switch (act) {
  case KILN_MK_ACT_CLAMP:
    /* Comparisons are false for NaN: NaN stays NaN, as with
     * arith.maximumf/minimumf. */
    v = v < lo ? lo : v;
    return v > hi ? hi : v;
  case KILN_MK_ACT_SILU:
    return v * (1.0f / (1.0f + expf(-v)));
  case KILN_MK_ACT_HARDSWISH:
    h = lo * v + hi;
    h = h > 1.0f ? 1.0f : h;
    h = h < 0.0f ? 0.0f : h;
    return v * h;
  default:
    return v;
  }
}

#if defined(__x86_64__)
#include <immintrin.h>

/* exp(x) for the fused activations, sixteen at a time: x = n ln2 + r with
 * |r| <= ln2 / 2, e^r by its Taylor polynomial of degree 7 (relative error
 * under 2e-8 on that interval), times 2^n by vscalefps. Inputs are clamped
 * to [-104, 89] first: beyond them the result underflows to 0 or
 * overflows to infinity anyway. NaN stays NaN. */
__attribute__((target("avx512f"))) static inline __m512 exp_avx512(__m512 x) {
  x = _mm512_min_ps(_mm512_set1_ps(89.0f),
                    _mm512_max_ps(_mm512_set1_ps(-104.0f), x));
  __m512 n = _mm512_roundscale_ps(
      _mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
      _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  /* ln 2 in two parts, so that n * ln2_hi is exact. */
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
  r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
  __m512 p = _mm512_set1_ps(1.0f / 5040.0f);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 720.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 120.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 24.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 6.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.5f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
  return _mm512_scalef_ps(p, n);
}

/* kiln_activate on sixteen values. min/max return their second operand
 * when either is NaN, so each puts the value second: NaN stays NaN. */
__attribute__((target("avx512f"))) static inline __m512
activate_avx512(int act, __m512 lo, __m512 hi, __m512 v) {
  const __m512 one = _mm512_set1_ps(1.0f);
  switch (act) {
  case KILN_MK_ACT_CLAMP:
    return _mm512_min_ps(hi, _mm512_max_ps(lo, v));
  case KILN_MK_ACT_SILU: {
    __m512 e = exp_avx512(_mm512_sub_ps(_mm512_setzero_ps(), v));
    return _mm512_mul_ps(v, _mm512_div_ps(one, _mm512_add_ps(one, e)));
  }
  case KILN_MK_ACT_HARDSWISH: {
    __m512 h = _mm512_add_ps(_mm512_mul_ps(lo, v), hi);
    h = _mm512_max_ps(_mm512_setzero_ps(), _mm512_min_ps(one, h));
    return _mm512_mul_ps(v, h);
  }
  default:
    return v;
  }
}

#endif

/* Applies the activation to `count` contiguous floats in place (AVX-512
 * when the CPU has it). */
KILN_INTERNAL void kiln_activate_span(float *values, int64_t count, int act,
                                      float lo, float hi);

/* Runs the product `g` describes (its m, n, k, operands and epilogue set),
 * split into tasks for every thread. */
KILN_INTERNAL void kiln_gemm_run(gemm_problem *g);

#endif /* KILN_CPU_KILN_KERNELS_INTERNAL_H */
