/*===- kiln_conv.c - convolution kernels --------------------*- C -*-===//
 *
 * See include/kiln/cpu/kiln_kernels.h for the contract. Convolutions are
 * matrix products whose B operand is read straight from the input image
 * while packing ("implicit im2col", in kiln_gemm.c), so no im2col buffer
 * is ever materialized, and zero padding is implicit. Depthwise
 * convolutions run per plane.
 *
 *===----------------------------------------------------------------------===*/

#ifndef KILN_KERNELS_EMBEDDED
#include "kiln_kernels_internal.h"
#endif

#include <stdlib.h>
#include <string.h>

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
  /* Small planes at stride 1 with "same" padding, on AVX-512: the masks
   * of dw_flat_plane, shared by every channel (null otherwise). */
  const struct dw_flat *flat;
} dwconv_problem;

#if defined(__x86_64__)
/* Largest plane dw_flat_plane handles, in vectors of sixteen outputs. */
#define KILN_DW_FLAT_VECTORS 64

/* A depthwise plane of at most 1024 outputs whose input rows are as long as
 * its output rows (stride 1, "same" padding), walked as one flat array:
 * the input of output j at a tap lies at j + off[tap]; mask[v][tap] marks
 * the lanes of vector v (outputs 16v..16v+15) whose input at that tap is
 * inside the image. The row kernel wastes most lanes on 7- and 14-wide
 * rows; this one only the last vector's. */
struct dw_flat {
  int64_t vectors, taps;
  int64_t off[49];
  uint16_t mask[KILN_DW_FLAT_VECTORS][49];
};

/* Fills `flat` for `d` and returns it, or null when d is not such a
 * problem. */
static const struct dw_flat *make_dw_flat(const dwconv_problem *d,
                                          struct dw_flat *flat) {
  const kiln_memref4_f32 *in = d->in, *out = d->out;
  int64_t kh = d->w->sizes[1], kw = d->w->sizes[2];
  int64_t out_h = out->sizes[2], out_w = out->sizes[3];
  int64_t in_h = in->sizes[2], in_w = in->sizes[3];
  int64_t plane = out_h * out_w;
  if (d->geo.sy != 1 || d->geo.sx != 1 || in_w != out_w || kh * kw > 49 ||
      plane == 0 || plane > 16 * KILN_DW_FLAT_VECTORS || in->strides[3] != 1 ||
      in->strides[2] != in_w || out->strides[3] != 1 ||
      out->strides[2] != out_w || !__builtin_cpu_supports("avx512f"))
    return NULL;
  flat->vectors = (plane + 15) / 16;
  flat->taps = kh * kw;
  for (int64_t ky = 0; ky < kh; ++ky)
    for (int64_t kx = 0; kx < kw; ++kx)
      flat->off[ky * kw + kx] = (ky * d->geo.dy - d->geo.pad_top) * in_w +
                                kx * d->geo.dx - d->geo.pad_left;
  for (int64_t v = 0; v < flat->vectors; ++v)
    for (int64_t t = 0; t < flat->taps; ++t) {
      int64_t ky = t / kw, kx = t % kw;
      uint16_t mask = 0;
      for (int64_t lane = 0; lane < 16; ++lane) {
        int64_t j = 16 * v + lane;
        if (j >= plane)
          break;
        int64_t iy = j / out_w + ky * d->geo.dy - d->geo.pad_top;
        int64_t ix = j % out_w + kx * d->geo.dx - d->geo.pad_left;
        if (iy >= 0 && iy < in_h && ix >= 0 && ix < in_w)
          mask |= (uint16_t)(1u << lane);
      }
      flat->mask[v][t] = mask;
    }
  return flat;
}

/* One plane as dw_flat describes: four vectors of outputs at a time, each
 * its own accumulator; bias and activation fused as in
 * dwconv_plane_avx512. */
__attribute__((target("avx512f"))) static void
dw_flat_plane(const struct dw_flat *flat, const float *ip, const float *weights,
              float *op, int64_t plane, int overwrite, float start, int act,
              float lo, float hi) {
  const __m512 vlo = _mm512_set1_ps(lo), vhi = _mm512_set1_ps(hi);
  for (int64_t v0 = 0; v0 < flat->vectors; v0 += 4) {
    int64_t count = flat->vectors - v0 < 4 ? flat->vectors - v0 : 4;
    __mmask16 store[4];
    __m512 acc[4];
    for (int64_t r = 0; r < 4; ++r) {
      int64_t first = 16 * (v0 + r);
      int64_t lanes = r >= count ? 0 : plane - first < 16 ? plane - first : 16;
      store[r] = (__mmask16)((1u << lanes) - 1);
      acc[r] = overwrite ? _mm512_set1_ps(start)
                         : _mm512_maskz_loadu_ps(store[r], op + first);
    }
    const float *base = ip + 16 * v0;
    for (int64_t t = 0; t < flat->taps; ++t) {
      __m512 wv = _mm512_set1_ps(weights[t]);
      const float *at = base + flat->off[t];
      for (int64_t r = 0; r < count; ++r)
        acc[r] =
            _mm512_fmadd_ps(wv,
                            _mm512_maskz_loadu_ps(
                                (__mmask16)flat->mask[v0 + r][t], at + 16 * r),
                            acc[r]);
    }
    for (int64_t r = 0; r < count; ++r) {
      __m512 value = acc[r];
      if (act)
        value = activate_avx512(act, vlo, vhi, value);
      _mm512_mask_storeu_ps(op + 16 * (v0 + r), store[r], value);
    }
  }
}
#endif

#if defined(__x86_64__)
/* Bits [lo, hi) of a 32-bit lane mask (empty when hi <= lo). */
static inline uint32_t lane_range(int64_t lo, int64_t hi) {
  if (lo < 0)
    lo = 0;
  if (hi > 32)
    hi = 32;
  if (hi <= lo)
    return 0;
  return (uint32_t)((((uint64_t)1 << hi) - 1) & ~(((uint64_t)1 << lo) - 1));
}

/* One depthwise plane on AVX-512, for unit dilation along x and stride 1
 * or 2 along it, reading the unpadded image: sixteen outputs of four rows
 * at a time, each row its own accumulator (four independent chains of
 * FMAs hide the adder's latency), every tap broadcast once for the four.
 * Padding is implicit: masked loads skip the lanes whose input lies left or
 * right of the image (masked lanes are never read), and taps on rows above
 * or below it are skipped. Stride 2 picks the even elements of two loads
 * with one permute. The epilogue is fused: with `overwrite` the
 * accumulators start at `start` (the bias) instead of the output, and the
 * activation is applied before the store. */
typedef struct {
  const float *ip;
  int64_t iys, in_h, in_w, pad_top, pad_left;
  const float *weights; /* kh * kw, row-major */
  int64_t kh, kw, sy, sx, dy;
  float *op;
  int64_t oys, out_h, out_w;
  int overwrite, act;
  float start, lo, hi;
} dw_plane;

__attribute__((target("avx512f"))) static inline __m512
dw_inputs(const float *row, int64_t sx, uint32_t valid) {
  if (sx == 1)
    return _mm512_maskz_loadu_ps((__mmask16)valid, row);
  const __m512i even = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12,
                                        10, 8, 6, 4, 2, 0);
  __m512 a = _mm512_maskz_loadu_ps((__mmask16)valid, row);
  __m512 b = _mm512_maskz_loadu_ps((__mmask16)(valid >> 16), row + 16);
  return _mm512_permutex2var_ps(a, even, b);
}

__attribute__((target("avx512f"))) static void
dwconv_plane_avx512(const dw_plane *p) {
  const int64_t kh = p->kh, kw = p->kw, sx = p->sx, oys = p->oys;
  const __m512 vlo = _mm512_set1_ps(p->lo), vhi = _mm512_set1_ps(p->hi);
  uint32_t valid[49]; /* per tap column: the lanes inside the image */
  for (int64_t x = 0; x < p->out_w; x += 16) {
    int64_t count = p->out_w - x < 16 ? p->out_w - x : 16;
    __mmask16 mask = (__mmask16)((1u << count) - 1);
    for (int64_t kx = 0; kx < kw; ++kx) {
      /* Output lane t reads input column base + sx * t. */
      int64_t base = x * sx + kx - p->pad_left;
      valid[kx] = sx == 1 ? lane_range(-base, p->in_w - base) & mask
                          : lane_range(-base, p->in_w - base) &
                                lane_range(0, 2 * count - 1) & 0x55555555u;
    }
    const float *column = p->ip + x * sx - p->pad_left;
    int64_t y = 0;
    for (; y < p->out_h; y += 4) {
      int64_t rows = p->out_h - y < 4 ? p->out_h - y : 4;
      float *o = p->op + y * oys + x;
      __m512 acc[4];
      for (int64_t r = 0; r < 4; ++r)
        acc[r] = r >= rows      ? _mm512_setzero_ps()
                 : p->overwrite ? _mm512_set1_ps(p->start)
                                : _mm512_maskz_loadu_ps(mask, o + r * oys);
      for (int64_t ky = 0; ky < kh; ++ky) {
        int64_t iy = y * p->sy + ky * p->dy - p->pad_top;
        const float *row = column + iy * p->iys;
        int64_t step = p->sy * p->iys;
        if (rows == 4 && iy >= 0 && iy + 3 * p->sy < p->in_h) {
          for (int64_t kx = 0; kx < kw; ++kx) {
            __m512 wv = _mm512_set1_ps(p->weights[ky * kw + kx]);
            const float *t = row + kx;
            acc[0] = _mm512_fmadd_ps(wv, dw_inputs(t, sx, valid[kx]), acc[0]);
            acc[1] =
                _mm512_fmadd_ps(wv, dw_inputs(t + step, sx, valid[kx]), acc[1]);
            acc[2] = _mm512_fmadd_ps(wv, dw_inputs(t + 2 * step, sx, valid[kx]),
                                     acc[2]);
            acc[3] = _mm512_fmadd_ps(wv, dw_inputs(t + 3 * step, sx, valid[kx]),
                                     acc[3]);
          }
          continue;
        }
        for (int64_t r = 0; r < rows; ++r) {
          int64_t ry = iy + r * p->sy;
          if (ry < 0 || ry >= p->in_h)
            continue;
          for (int64_t kx = 0; kx < kw; ++kx)
            acc[r] = _mm512_fmadd_ps(
                _mm512_set1_ps(p->weights[ky * kw + kx]),
                dw_inputs(row + r * step + kx, sx, valid[kx]), acc[r]);
        }
      }
      for (int64_t r = 0; r < rows; ++r) {
        __m512 v = acc[r];
        if (p->act)
          v = activate_avx512(p->act, vlo, vhi, v);
        _mm512_mask_storeu_ps(o + r * oys, mask, v);
      }
    }
  }
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

  /* 3x3 keeps its taps in registers; the vectorizer may do the rest. */
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
#if defined(__x86_64__)
  const kiln_memref4_f32 *in = d->in;
  const kiln_memref3_f32 *w = d->w;
  int64_t kh = w->sizes[1], kw = w->sizes[2];
  if (d->geo.dx == 1 && oxs == 1 && in->strides[3] == 1 &&
      (d->geo.sx == 1 || d->geo.sx == 2) && kh * kw <= 49 &&
      __builtin_cpu_supports("avx512f")) {
    float weights[49];
    const float *wp = w->aligned + w->offset + c * w->strides[0];
    for (int64_t ky = 0; ky < kh; ++ky)
      for (int64_t kx = 0; kx < kw; ++kx)
        weights[ky * kw + kx] = wp[ky * w->strides[1] + kx * w->strides[2]];
    if (d->flat) {
      dw_flat_plane(
          d->flat,
          in->aligned + in->offset + n * in->strides[0] + c * in->strides[1],
          weights, op, out_h * out_w, d->overwrite,
          d->overwrite && d->bias ? d->bias[c] : 0.0f, d->act, d->lo, d->hi);
      return;
    }
    dw_plane p = {in->aligned + in->offset + n * in->strides[0] +
                      c * in->strides[1],
                  in->strides[2],
                  in->sizes[2],
                  in->sizes[3],
                  d->geo.pad_top,
                  d->geo.pad_left,
                  weights,
                  kh,
                  kw,
                  d->geo.sy,
                  d->geo.sx,
                  d->geo.dy,
                  op,
                  oys,
                  out_h,
                  out_w,
                  d->overwrite,
                  d->act,
                  d->overwrite && d->bias ? d->bias[c] : 0.0f,
                  d->lo,
                  d->hi};
    dwconv_plane_avx512(&p);
    return;
  }
#endif
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
#if defined(__x86_64__)
  struct dw_flat flat;
  d.flat = make_dw_flat(&d, &flat);
#endif
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
#if defined(__x86_64__)
  struct dw_flat flat;
  d.flat = make_dw_flat(&d, &flat);
#endif
  kiln_parallel_for(out->sizes[0] * out->sizes[1], dwconv_plane, &d);
}
