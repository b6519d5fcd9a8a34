/*===- kiln_conv.c - convolution kernels --------------------*- C -*-===//
 *
 * See include/kiln/cpu/kiln_kernels.h for the contract. Convolutions are
 * matrix products whose B operand is read straight from the input image
 * while packing ("implicit im2col", in kiln_gemm.c), so no im2col buffer
 * is ever materialized, and zero padding is implicit. Depthwise
 * convolutions run per plane.
 *
 *===----------------------------------------------------------------------===*/

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* sched_getaffinity */
#endif
#ifndef KILN_KERNELS_EMBEDDED
#include "kiln_kernels_internal.h"
#endif

#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

/*===------------------------------------------------------------------===*
 * Convolutions
 *===------------------------------------------------------------------===*/

/* Strides, dilations and the implicit zero padding before the first row
 * and column (padding after the last ones follows from the output size). */
typedef struct {
  int64_t sy, sx, dy, dx, pad_top, pad_left;
} conv_geometry;

/* Direct convolution for outputs whose spatial dimensions are not one
 * contiguous run (views the lowering rarely produces). */
static void conv2d_reference(const kiln_memref4_f32 *in,
                             const kiln_memref4_f32 *w, kiln_memref4_f32 *out,
                             int64_t n, const conv_geometry *geo) {
  const float *ip = in->aligned + in->offset + n * in->strides[0];
  const float *wp = w->aligned + w->offset;
  float *op = out->aligned + out->offset + n * out->strides[0];
  for (int64_t f = 0; f < out->sizes[1]; ++f)
    for (int64_t y = 0; y < out->sizes[2]; ++y)
      for (int64_t x = 0; x < out->sizes[3]; ++x) {
        float sum = 0.0f;
        for (int64_t c = 0; c < w->sizes[1]; ++c)
          for (int64_t ky = 0; ky < w->sizes[2]; ++ky)
            for (int64_t kx = 0; kx < w->sizes[3]; ++kx) {
              int64_t iy = y * geo->sy + ky * geo->dy - geo->pad_top;
              int64_t ix = x * geo->sx + kx * geo->dx - geo->pad_left;
              if (iy < 0 || iy >= in->sizes[2] || ix < 0 || ix >= in->sizes[3])
                continue;
              sum += ip[c * in->strides[1] + iy * in->strides[2] +
                        ix * in->strides[3]] *
                     wp[f * w->strides[0] + c * w->strides[1] +
                        ky * w->strides[2] + kx * w->strides[3]];
            }
        op[f * out->strides[1] + y * out->strides[2] + x * out->strides[3]] +=
            sum;
      }
}

/* The convolution of image n as a GEMM: A = weights [filters x
 * channels*kh*kw] (pre-packed or a dense 4-D memref), B = the image read in
 * place, C = the output [filters x out_h*out_w]. */
static void conv2d_as_gemm(const kiln_memref4_f32 *in,
                           const kiln_memref4_f32 *w, const float *packed_w,
                           kiln_memref4_f32 *out, int64_t n, int64_t kh,
                           int64_t kw, const conv_geometry *geo,
                           const gemm_problem *epilogue) {
  gemm_problem g;
  memset(&g, 0, sizeof(g));
  if (epilogue) {
    g.overwrite = epilogue->overwrite;
    g.act = epilogue->act;
    g.row_bias = epilogue->row_bias;
    g.lo = epilogue->lo;
    g.hi = epilogue->hi;
  }
  g.m = out->sizes[1];
  g.n = out->sizes[2] * out->sizes[3];
  g.k = in->sizes[1] * kh * kw;
  if (packed_w) {
    g.packed_a = packed_w;
  } else {
    g.a = w->aligned + w->offset;
    g.a_rs = w->strides[0];
    g.a_cs = 1;
  }
  b_source *b = &g.b;
  b->base = in->aligned + in->offset + n * in->strides[0];
  b->is_image = 1;
  b->c_stride = in->strides[1];
  b->y_stride = in->strides[2];
  b->x_stride = in->strides[3];
  b->kh = kh;
  b->kw = kw;
  b->out_w = out->sizes[3];
  b->sy = geo->sy;
  b->sx = geo->sx;
  b->dy = geo->dy;
  b->dx = geo->dx;
  b->pad_top = geo->pad_top;
  b->pad_left = geo->pad_left;
  b->in_h = in->sizes[2];
  b->in_w = in->sizes[3];
  b->inside = geo->pad_top == 0 && geo->pad_left == 0 &&
              (out->sizes[2] - 1) * geo->sy + (kh - 1) * geo->dy < b->in_h &&
              (out->sizes[3] - 1) * geo->sx + (kw - 1) * geo->dx < b->in_w;
  g.c = out->aligned + out->offset + n * out->strides[0];
  g.c_rs = out->strides[1];
  g.c_cs = 1;
  kiln_gemm_run(&g);
}

/* True when the output's spatial dimensions form one run per filter. */
static int output_is_dense(const kiln_memref4_f32 *out) {
  return out->strides[3] == 1 && out->strides[2] == out->sizes[3];
}

KILN_EXPORT void
_mlir_ciface_kiln_mk_conv2d_nchw_f32(kiln_memref4_f32 *in, kiln_memref4_f32 *w,
                                     kiln_memref4_f32 *out, int64_t sy,
                                     int64_t sx, int64_t dy, int64_t dx,
                                     int64_t pad_top, int64_t pad_left) {
  conv_geometry geo = {sy, sx, dy, dx, pad_top, pad_left};
  int64_t kh = w->sizes[2], kw = w->sizes[3];
  /* The weights as a [filters, channels*kh*kw] matrix need them row-major
   * within a filter. */
  int weights_dense =
      w->strides[3] == 1 && w->strides[2] == kw && w->strides[1] == kh * kw;
  for (int64_t n = 0; n < out->sizes[0]; ++n) {
    if (weights_dense && output_is_dense(out))
      conv2d_as_gemm(in, w, NULL, out, n, kh, kw, &geo, NULL);
    else
      conv2d_reference(in, w, out, n, &geo);
  }
}

KILN_EXPORT void _mlir_ciface_kiln_mk_conv2d_nchw_pa_f32(
    kiln_memref4_f32 *in, kiln_memref1_f32 *packed_w, kiln_memref4_f32 *out,
    int64_t kh, int64_t kw, int64_t sy, int64_t sx, int64_t dy, int64_t dx,
    int64_t pad_top, int64_t pad_left) {
  conv_geometry geo = {sy, sx, dy, dx, pad_top, pad_left};
  const float *packed = packed_w->aligned + packed_w->offset;
  if (!output_is_dense(out)) {
    /* Unpack into a dense weight tensor for the direct loops. */
    int64_t filters = out->sizes[1], channels = in->sizes[1];
    int64_t k = channels * kh * kw, m_padded = (filters + MR - 1) / MR * MR;
    float *dense = (float *)malloc((size_t)(filters * k) * sizeof(float));
    if (!dense)
      abort();
    for (int64_t p0 = 0; p0 < k; p0 += KC) {
      int64_t kc = k - p0 < KC ? k - p0 : KC;
      for (int64_t f = 0; f < filters; ++f)
        for (int64_t p = 0; p < kc; ++p)
          dense[f * k + p0 + p] =
              packed[p0 * m_padded + (f / MR) * MR * kc + p * MR + f % MR];
    }
    kiln_memref4_f32 w = {
        dense, dense, 0, {filters, channels, kh, kw}, {k, kh * kw, kw, 1}};
    for (int64_t n = 0; n < out->sizes[0]; ++n)
      conv2d_reference(in, &w, out, n, &geo);
    free(dense);
    return;
  }
  for (int64_t n = 0; n < out->sizes[0]; ++n)
    conv2d_as_gemm(in, NULL, packed, out, n, kh, kw, &geo, NULL);
}

KILN_EXPORT void _mlir_ciface_kiln_mk_conv2d_nchw_pa_fused_f32(
    kiln_memref4_f32 *in, kiln_memref1_f32 *packed_w, kiln_memref1_f32 *bias,
    kiln_memref4_f32 *out, int64_t kh, int64_t kw, int64_t sy, int64_t sx,
    int64_t dy, int64_t dx, int64_t pad_top, int64_t pad_left, int64_t has_bias,
    int64_t activation, float lo, float hi) {
  conv_geometry geo = {sy, sx, dy, dx, pad_top, pad_left};
  gemm_problem epilogue;
  memset(&epilogue, 0, sizeof(epilogue));
  epilogue.overwrite = 1;
  epilogue.act = (int)activation;
  epilogue.row_bias = has_bias ? bias->aligned + bias->offset : NULL;
  epilogue.lo = lo;
  epilogue.hi = hi;
  const float *packed = packed_w->aligned + packed_w->offset;
  /* The pass only fuses into dense outputs (a fresh buffer). */
  if (!output_is_dense(out) || in->sizes[1] * kh * kw == 0)
    abort();
  for (int64_t n = 0; n < out->sizes[0]; ++n)
    conv2d_as_gemm(in, NULL, packed, out, n, kh, kw, &geo, &epilogue);
}

typedef struct {
  const kiln_memref4_f32 *in;
  const kiln_memref3_f32 *w;
  kiln_memref4_f32 *out;
  conv_geometry geo;
  /* Fused epilogue: each output plane starts as its bias (or 0) instead of
   * accumulating, and gets the activation `act` (KILN_MK_ACT_*, with lo
   * and hi) while still in cache. */
  int overwrite, act;
  const float *bias;
  float lo, hi;
} dwconv_problem;

#if defined(__x86_64__)
/* Sixteen window inputs of one tap for sixteen adjacent outputs: a load at
 * stride 1; at stride 2 the even elements of two loads, picked by one
 * permute. `mask` marks the real outputs, `low`/`high` the elements of the
 * two loads read at stride 2 (never one past the window's last). */
__attribute__((target("avx512f"))) static inline __m512
dwconv_inputs(const float *row, int64_t sx, __mmask16 mask, __mmask16 low,
              __mmask16 high) {
  if (sx == 1)
    return _mm512_maskz_loadu_ps(mask, row);
  const __m512i even = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14,
                                        12, 10, 8, 6, 4, 2, 0);
  __m512 a = _mm512_maskz_loadu_ps(low, row);
  __m512 b = _mm512_maskz_loadu_ps(high, row + 16);
  return _mm512_permutex2var_ps(a, even, b);
}

/* Depthwise planes on AVX-512 for unit dilation along x and stride 1 or 2
 * along it: sixteen outputs of four rows at a time, each row its own
 * accumulator (four independent chains of FMAs, so the adder's latency is
 * hidden), every tap broadcast once for the four. Returns 0 when the shape
 * is not one it handles. */
__attribute__((target("avx512f"))) static int
dwconv_plane_avx512(const float *ip, int64_t iys, const float *wp, int64_t wys,
                    int64_t wxs, int64_t kh, int64_t kw, float *op, int64_t oys,
                    int64_t out_h, int64_t out_w, int64_t sy, int64_t sx,
                    int64_t dy) {
  if ((sx != 1 && sx != 2) || kh * kw > 49)
    return 0;
  float weights[49];
  for (int64_t ky = 0; ky < kh; ++ky)
    for (int64_t kx = 0; kx < kw; ++kx)
      weights[ky * kw + kx] = wp[ky * wys + kx * wxs];
  const int64_t row_step = sy * iys; /* input rows between output rows */
  for (int64_t x = 0; x < out_w; x += 16) {
    int64_t count = out_w - x < 16 ? out_w - x : 16;
    __mmask16 mask = (__mmask16)((1u << count) - 1);
    int64_t low_bits = 2 * count - 1 < 16 ? 2 * count - 1 : 16;
    int64_t high_bits = count > 8 ? 2 * (count - 8) - 1 : 0;
    __mmask16 low = (__mmask16)(((1u << low_bits) - 1) & 0x5555u);
    __mmask16 high = (__mmask16)(((1u << high_bits) - 1) & 0x5555u);
    int64_t y = 0;
    for (; y + 4 <= out_h; y += 4) {
      float *o = op + y * oys + x;
      __m512 acc0 = _mm512_maskz_loadu_ps(mask, o);
      __m512 acc1 = _mm512_maskz_loadu_ps(mask, o + oys);
      __m512 acc2 = _mm512_maskz_loadu_ps(mask, o + 2 * oys);
      __m512 acc3 = _mm512_maskz_loadu_ps(mask, o + 3 * oys);
      const float *base = ip + y * row_step + x * sx;
      for (int64_t ky = 0; ky < kh; ++ky) {
        const float *row = base + ky * dy * iys;
        for (int64_t kx = 0; kx < kw; ++kx) {
          __m512 wv = _mm512_set1_ps(weights[ky * kw + kx]);
          const float *t = row + kx;
          acc0 = _mm512_fmadd_ps(wv, dwconv_inputs(t, sx, mask, low, high),
                                 acc0);
          acc1 = _mm512_fmadd_ps(
              wv, dwconv_inputs(t + row_step, sx, mask, low, high), acc1);
          acc2 = _mm512_fmadd_ps(
              wv, dwconv_inputs(t + 2 * row_step, sx, mask, low, high), acc2);
          acc3 = _mm512_fmadd_ps(
              wv, dwconv_inputs(t + 3 * row_step, sx, mask, low, high), acc3);
        }
      }
      _mm512_mask_storeu_ps(o, mask, acc0);
      _mm512_mask_storeu_ps(o + oys, mask, acc1);
      _mm512_mask_storeu_ps(o + 2 * oys, mask, acc2);
      _mm512_mask_storeu_ps(o + 3 * oys, mask, acc3);
    }
    for (; y < out_h; ++y) {
      float *o = op + y * oys + x;
      __m512 acc = _mm512_maskz_loadu_ps(mask, o);
      const float *base = ip + y * row_step + x * sx;
      for (int64_t ky = 0; ky < kh; ++ky)
        for (int64_t kx = 0; kx < kw; ++kx)
          acc = _mm512_fmadd_ps(
              _mm512_set1_ps(weights[ky * kw + kx]),
              dwconv_inputs(base + ky * dy * iys + kx, sx, mask, low, high),
              acc);
      _mm512_mask_storeu_ps(o, mask, acc);
    }
  }
  return 1;
}
#endif

/* Per-thread scratch for a zero-padded copy of one input plane. */
static __thread float *plane_buffer;
static __thread size_t plane_size;

/* One (image, channel) plane of a depthwise convolution. With padding, the
 * plane is first copied with its zero border into per-thread scratch (hot
 * in cache, unlike a padded copy of the whole tensor); then every window
 * lies inside it. On AVX-512, sixteen outputs at a time accumulate every
 * tap in a register (dwconv_plane_avx512); elsewhere 3x3 keeps its nine
 * taps in registers and other sizes take one pass per tap, left to the
 * compiler's vectorizer. */
__attribute__((target_clones("avx512f", "default"))) static void
dwconv_plane_compute(void *context, int64_t task) {
  const dwconv_problem *d = (const dwconv_problem *)context;
  const kiln_memref4_f32 *in = d->in;
  const kiln_memref3_f32 *w = d->w;
  kiln_memref4_f32 *out = d->out;
  const conv_geometry *geo = &d->geo;
  int64_t channels = out->sizes[1];
  int64_t n = task / channels, c = task % channels;
  int64_t kh = w->sizes[1], kw = w->sizes[2];
  int64_t out_h = out->sizes[2], out_w = out->sizes[3];
  int64_t in_h = in->sizes[2], in_w = in->sizes[3];
  int64_t iys = in->strides[2], ixs = in->strides[3];
  const float *ip =
      in->aligned + in->offset + n * in->strides[0] + c * in->strides[1];
  const float *wp = w->aligned + w->offset + c * w->strides[0];
  float *op =
      out->aligned + out->offset + n * out->strides[0] + c * out->strides[1];
  int64_t oys = out->strides[2], oxs = out->strides[3];
  int64_t sy = geo->sy, sx = geo->sx, dy = geo->dy, dx = geo->dx;

  /* The extent of input the windows span, padding included. */
  int64_t span_h = (out_h - 1) * sy + (kh - 1) * dy + 1;
  int64_t span_w = (out_w - 1) * sx + (kw - 1) * dx + 1;
  if (geo->pad_top > 0 || geo->pad_left > 0 || span_h - geo->pad_top > in_h ||
      span_w - geo->pad_left > in_w) {
    float *scratch =
        kiln_grow_buffer(&plane_buffer, &plane_size, (size_t)(span_h * span_w));
    if (!scratch)
      abort();
    for (int64_t r = 0; r < span_h; ++r) {
      float *dst = scratch + r * span_w;
      int64_t iy = r - geo->pad_top;
      int64_t lo = geo->pad_left < span_w ? geo->pad_left : span_w;
      int64_t hi =
          in_w + geo->pad_left < span_w ? in_w + geo->pad_left : span_w;
      if (iy < 0 || iy >= in_h || hi <= lo) {
        memset(dst, 0, (size_t)span_w * sizeof(float));
        continue;
      }
      memset(dst, 0, (size_t)lo * sizeof(float));
      const float *src = ip + iy * iys;
      if (ixs == 1) {
        memcpy(dst + lo, src + (lo - geo->pad_left),
               (size_t)(hi - lo) * sizeof(float));
      } else {
        for (int64_t x = lo; x < hi; ++x)
          dst[x] = src[(x - geo->pad_left) * ixs];
      }
      memset(dst + hi, 0, (size_t)(span_w - hi) * sizeof(float));
    }
    ip = scratch;
    iys = span_w;
    ixs = 1;
  }

  /* All taps in one register per 16 outputs. */
#if defined(__x86_64__)
  if (dx == 1 && oxs == 1 && ixs == 1 && __builtin_cpu_supports("avx512f") &&
      dwconv_plane_avx512(ip, iys, wp, w->strides[1], w->strides[2], kh, kw, op,
                          oys, out_h, out_w, sy, sx, dy))
    return;
#endif
  /* Elsewhere, 3x3 keeps its taps in registers; the vectorizer may do the
   * rest. */
  if (kh == 3 && kw == 3 && dx == 1 && oxs == 1 && ixs == 1 &&
      (sx == 1 || sx == 2)) {
    float w0[3], w1[3], w2[3];
    for (int kx = 0; kx < 3; ++kx) {
      w0[kx] = wp[0 * w->strides[1] + kx * w->strides[2]];
      w1[kx] = wp[1 * w->strides[1] + kx * w->strides[2]];
      w2[kx] = wp[2 * w->strides[1] + kx * w->strides[2]];
    }
    for (int64_t y = 0; y < out_h; ++y) {
      float *restrict orow = op + y * oys;
      const float *restrict r0 = ip + y * sy * iys;
      const float *restrict r1 = r0 + dy * iys;
      const float *restrict r2 = r1 + dy * iys;
      if (sx == 1) {
        for (int64_t x = 0; x < out_w; ++x)
          orow[x] += w0[0] * r0[x] + w0[1] * r0[x + 1] + w0[2] * r0[x + 2] +
                     w1[0] * r1[x] + w1[1] * r1[x + 1] + w1[2] * r1[x + 2] +
                     w2[0] * r2[x] + w2[1] * r2[x + 1] + w2[2] * r2[x + 2];
      } else {
        for (int64_t x = 0; x < out_w; ++x)
          orow[x] += w0[0] * r0[2 * x] + w0[1] * r0[2 * x + 1] +
                     w0[2] * r0[2 * x + 2] + w1[0] * r1[2 * x] +
                     w1[1] * r1[2 * x + 1] + w1[2] * r1[2 * x + 2] +
                     w2[0] * r2[2 * x] + w2[1] * r2[2 * x + 1] +
                     w2[2] * r2[2 * x + 2];
      }
    }
    return;
  }
  for (int64_t y = 0; y < out_h; ++y) {
    float *restrict orow = op + y * oys;
    for (int64_t ky = 0; ky < kh; ++ky) {
      const float *irow = ip + (y * sy + ky * dy) * iys;
      for (int64_t kx = 0; kx < kw; ++kx) {
        float weight = wp[ky * w->strides[1] + kx * w->strides[2]];
        const float *restrict src = irow + kx * dx * ixs;
        if (oxs == 1 && ixs == 1 && sx == 1) {
          for (int64_t x = 0; x < out_w; ++x)
            orow[x] += weight * src[x];
        } else if (oxs == 1 && ixs == 1 && sx == 2) {
          for (int64_t x = 0; x < out_w; ++x)
            orow[x] += weight * src[2 * x];
        } else {
          for (int64_t x = 0; x < out_w; ++x)
            orow[x * oxs] += weight * src[x * sx * ixs];
        }
      }
    }
  }
}

/* One plane with its epilogue around the accumulation. */
static void dwconv_plane(void *context, int64_t task) {
  const dwconv_problem *d = (const dwconv_problem *)context;
  kiln_memref4_f32 *out = d->out;
  int64_t channels = out->sizes[1];
  int64_t n = task / channels, c = task % channels;
  float *op =
      out->aligned + out->offset + n * out->strides[0] + c * out->strides[1];
  int64_t out_h = out->sizes[2], out_w = out->sizes[3];
  int64_t oys = out->strides[2], oxs = out->strides[3];
  if (d->overwrite) {
    float start = d->bias ? d->bias[c] : 0.0f;
    for (int64_t y = 0; y < out_h; ++y)
      for (int64_t x = 0; x < out_w; ++x)
        op[y * oys + x * oxs] = start;
  }
  dwconv_plane_compute(context, task);
  if (d->act == KILN_MK_ACT_NONE)
    return;
  if (oxs == 1 && oys == out_w) {
    kiln_activate_span(op, out_h * out_w, d->act, d->lo, d->hi);
  } else {
    for (int64_t y = 0; y < out_h; ++y)
      for (int64_t x = 0; x < out_w; ++x) {
        float *value = op + y * oys + x * oxs;
        *value = kiln_activate(d->act, d->lo, d->hi, *value);
      }
  }
}

/* A depthwise problem without epilogue (the plain kernel's semantics). */
static dwconv_problem make_dwconv(kiln_memref4_f32 *in, kiln_memref3_f32 *w,
                                  kiln_memref4_f32 *out, conv_geometry geo) {
  dwconv_problem d;
  memset(&d, 0, sizeof(d));
  d.in = in;
  d.w = w;
  d.out = out;
  d.geo = geo;
  return d;
}

KILN_EXPORT void _mlir_ciface_kiln_mk_dwconv2d_nchw_f32(
    kiln_memref4_f32 *in, kiln_memref3_f32 *w, kiln_memref4_f32 *out,
    int64_t sy, int64_t sx, int64_t dy, int64_t dx, int64_t pad_top,
    int64_t pad_left) {
  dwconv_problem d = make_dwconv(
      in, w, out, (conv_geometry){sy, sx, dy, dx, pad_top, pad_left});
  kiln_parallel_for(out->sizes[0] * out->sizes[1], dwconv_plane, &d);
}

KILN_EXPORT void _mlir_ciface_kiln_mk_dwconv2d_nchw_fused_f32(
    kiln_memref4_f32 *in, kiln_memref3_f32 *w, kiln_memref1_f32 *bias,
    kiln_memref4_f32 *out, int64_t sy, int64_t sx, int64_t dy, int64_t dx,
    int64_t pad_top, int64_t pad_left, int64_t has_bias, int64_t activation,
    float lo, float hi) {
  dwconv_problem d = make_dwconv(
      in, w, out, (conv_geometry){sy, sx, dy, dx, pad_top, pad_left});
  d.overwrite = 1;
  d.act = (int)activation;
  d.bias = has_bias ? bias->aligned + bias->offset : NULL;
  d.lo = lo;
  d.hi = hi;
  kiln_parallel_for(out->sizes[0] * out->sizes[1], dwconv_plane, &d);
}
