//===- KernelsTest.cpp - the hand-written CPU kernels against references --===//
//
// Every kernel of include/kiln/cpu/kiln_kernels.h is compared with a direct
// double-precision evaluation of its definition, on shapes that exercise the
// edges of the blocking (sizes that are not multiples of the register tile
// or the cache blocks), transposed and strided views, convolution strides
// and dilations, and one to three threads.
//
//===----------------------------------------------------------------------===//

#include "kiln/cpu/kiln_kernels.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

namespace {

/// Restores the default thread count when a test ends.
struct ThreadScope {
  explicit ThreadScope(int n) { kiln_set_num_threads(n); }
  ~ThreadScope() { kiln_set_num_threads(0); }
};

std::vector<float> randomValues(size_t count, unsigned seed) {
  std::mt19937 generator(seed);
  std::uniform_real_distribution<float> distribution(-1.0f, 1.0f);
  std::vector<float> values(count);
  for (float &value : values)
    value = distribution(generator);
  return values;
}

kiln_memref2_f32 view2(std::vector<float> &data, int64_t rows, int64_t cols,
                       int64_t rowStride, int64_t colStride,
                       int64_t offset = 0) {
  return {
      data.data(), data.data(), offset, {rows, cols}, {rowStride, colStride}};
}

/// |got - want| within 1e-4 of the magnitude of the terms summed.
void expectClose(double got, double want, double scale, const char *what) {
  ASSERT_LE(std::fabs(got - want), 1e-4 * (1.0 + scale)) << what;
}

struct GemmCase {
  int64_t m, n, k;
  bool transposeA, transposeB;
  int threads;
};

class GemmTest : public ::testing::TestWithParam<GemmCase> {};

TEST_P(GemmTest, MatchesReference) {
  GemmCase c = GetParam();
  ThreadScope threads(c.threads);
  // A and B live inside larger buffers (offset, padded leading dimension)
  // so that strides and offsets are honoured, not assumed.
  int64_t pad = 3;
  int64_t aRows = c.transposeA ? c.k : c.m, aCols = c.transposeA ? c.m : c.k;
  int64_t bRows = c.transposeB ? c.n : c.k, bCols = c.transposeB ? c.k : c.n;
  std::vector<float> a = randomValues(5 + aRows * (aCols + pad), 1);
  std::vector<float> b = randomValues(7 + bRows * (bCols + pad), 2);
  std::vector<float> out = randomValues(c.m * (c.n + pad), 3);
  std::vector<float> initial = out;
  kiln_memref2_f32 av = c.transposeA ? view2(a, c.m, c.k, 1, aCols + pad, 5)
                                     : view2(a, c.m, c.k, aCols + pad, 1, 5);
  kiln_memref2_f32 bv = c.transposeB ? view2(b, c.k, c.n, 1, bCols + pad, 7)
                                     : view2(b, c.k, c.n, bCols + pad, 1, 7);
  kiln_memref2_f32 cv = view2(out, c.m, c.n, c.n + pad, 1);
  _mlir_ciface_kiln_mk_gemm_f32(&av, &bv, &cv);
  for (int64_t i = 0; i < c.m; ++i)
    for (int64_t j = 0; j < c.n; ++j) {
      double sum = initial[i * (c.n + pad) + j], scale = 0;
      for (int64_t p = 0; p < c.k; ++p) {
        double term =
            double(
                av.aligned[av.offset + i * av.strides[0] + p * av.strides[1]]) *
            bv.aligned[bv.offset + p * bv.strides[0] + j * bv.strides[1]];
        sum += term;
        scale += std::fabs(term);
      }
      expectClose(out[i * (c.n + pad) + j], sum, scale, "gemm element");
    }
  // The padding between rows is never written.
  for (int64_t i = 0; i < c.m; ++i)
    for (int64_t j = c.n; j < c.n + pad; ++j)
      ASSERT_EQ(out[i * (c.n + pad) + j], initial[i * (c.n + pad) + j]);
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, GemmTest,
    ::testing::Values(GemmCase{1, 1, 1, false, false, 1},
                      GemmCase{8, 32, 16, false, false, 1},
                      GemmCase{9, 33, 17, false, true, 2},
                      GemmCase{7, 5, 300, true, false, 2},
                      GemmCase{130, 70, 257, false, false, 2},
                      GemmCase{64, 600, 40, true, true, 3},
                      GemmCase{3, 1100, 9, false, true, 2},
                      GemmCase{200, 3, 520, false, false, 1}));

/// A matrix packed ahead of time (either operand) gives the same result as
/// the same matrix packed on the fly, bit for bit: only the copy moves.
TEST(Kernels, PrepackedOperandsMatchOnTheFly) {
  ThreadScope threads(2);
  for (auto [m, n, k] : {std::tuple<int64_t, int64_t, int64_t>{9, 33, 17},
                         {130, 70, 600},
                         {1, 5, 1},
                         {64, 513, 257}}) {
    std::vector<float> a = randomValues(m * k, 12);
    std::vector<float> w = randomValues(n * k, 13); // B stored as [n][k]
    std::vector<float> onTheFly(m * n, 0.25f);
    kiln_memref2_f32 av = view2(a, m, k, k, 1);
    kiln_memref2_f32 bv = view2(w, k, n, 1, k); // transposed view
    kiln_memref2_f32 cv = view2(onTheFly, m, n, n, 1);
    _mlir_ciface_kiln_mk_gemm_f32(&av, &bv, &cv);

    std::vector<float> packedB(kiln_mk_packed_b_size(k, n));
    kiln_mk_pack_b_f32(w.data(), k, n, 1, k, packedB.data());
    kiln_memref1_f32 pb = {
        packedB.data(), packedB.data(), 0, {int64_t(packedB.size())}, {1}};
    std::vector<float> withB(m * n, 0.25f);
    kiln_memref2_f32 cb = view2(withB, m, n, n, 1);
    _mlir_ciface_kiln_mk_gemm_pb_f32(&av, &pb, &cb);
    EXPECT_EQ(withB, onTheFly) << m << "x" << n << "x" << k << " packed B";

    std::vector<float> packedA(kiln_mk_packed_a_size(m, k));
    kiln_mk_pack_a_f32(a.data(), m, k, k, 1, packedA.data());
    kiln_memref1_f32 pa = {
        packedA.data(), packedA.data(), 0, {int64_t(packedA.size())}, {1}};
    std::vector<float> withA(m * n, 0.25f);
    kiln_memref2_f32 ca = view2(withA, m, n, n, 1);
    _mlir_ciface_kiln_mk_gemm_pa_f32(&pa, &bv, &ca);
    EXPECT_EQ(withA, onTheFly) << m << "x" << n << "x" << k << " packed A";
  }
}

/// The fused product overwrites C with clamp(A*B + bias[column]); NaN
/// products stay NaN through the clamp, as arith.maximumf/minimumf keep it.
TEST(Kernels, FusedGemmAddsBiasAndClamps) {
  ThreadScope threads(2);
  for (auto [m, n, k] : {std::tuple<int64_t, int64_t, int64_t>{64, 70, 300},
                         {3, 33, 5},
                         {17, 512, 784}}) {
    std::vector<float> a = randomValues(m * k, 14);
    a[0] = std::nanf("");                           // row 0 of C is NaN
    std::vector<float> w = randomValues(n * k, 15); // B stored as [n][k]
    std::vector<float> bias = randomValues(n, 16);
    std::vector<float> packed(kiln_mk_packed_b_size(k, n));
    kiln_mk_pack_b_f32(w.data(), k, n, 1, k, packed.data());
    kiln_memref1_f32 pb = {
        packed.data(), packed.data(), 0, {int64_t(packed.size())}, {1}};
    kiln_memref1_f32 bv = {bias.data(), bias.data(), 0, {n}, {1}};
    std::vector<float> c(m * n, 123.0f);
    kiln_memref2_f32 av = view2(a, m, k, k, 1);
    kiln_memref2_f32 cv = view2(c, m, n, n, 1);
    _mlir_ciface_kiln_mk_gemm_pb_fused_f32(&av, &pb, &bv, &cv, 1,
                                           KILN_MK_ACT_CLAMP, 0.0f, 6.0f);
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        if (i == 0) {
          ASSERT_TRUE(std::isnan(c[j])) << "NaN row, column " << j;
          continue;
        }
        double sum = bias[j], scale = 0;
        for (int64_t p = 0; p < k; ++p) {
          double term = double(a[i * k + p]) * w[j * k + p];
          sum += term;
          scale += std::fabs(term);
        }
        ASSERT_NEAR(c[i * n + j], std::min(6.0, std::max(0.0, sum)),
                    1e-4 * (1.0 + scale))
            << i << "," << j;
      }
  }
}

/// SiLU and hardswish in double precision, the references of the fused
/// activations.
double referenceActivation(int64_t kind, double v) {
  if (kind == KILN_MK_ACT_SILU)
    return v / (1.0 + std::exp(-v));
  return v * std::max(0.0, std::min(1.0, v / 6.0 + 0.5));
}

/// Values spanning the activations' interesting ranges: both tails of the
/// sigmoid (where exp over- and underflows), hardswish's kinks at -3 and 3,
/// zeros of both signs, tiny values, and NaN.
std::vector<float> activationInputs() {
  std::vector<float> values = {0.0f,   -0.0f,   1e-30f,       -1e-30f, 3.0f,
                               -3.0f,  88.0f,   -88.0f,       95.0f,   -95.0f,
                               150.0f, -150.0f, std::nanf("")};
  for (int i = -400; i <= 400; ++i)
    values.push_back(float(i) * 0.05f);
  return values;
}

/// Checks `got[i]` against the reference activation of `input[i]`: within
/// 2e-6 relative (the polynomial exp of the vector path, libm's expf on
/// the portable one), NaN for NaN.
void expectActivated(const std::vector<float> &got,
                     const std::vector<float> &input, int64_t kind,
                     const char *what) {
  for (size_t i = 0; i < input.size(); ++i) {
    if (std::isnan(input[i])) {
      EXPECT_TRUE(std::isnan(got[i])) << what << ": NaN input " << i;
      continue;
    }
    double want = referenceActivation(kind, input[i]);
    ASSERT_NEAR(got[i], want, 2e-6 * std::fabs(want) + 1e-37)
        << what << ", kind " << kind << ", input " << input[i];
  }
}

/// The fused SiLU and hardswish epilogues of the product and of the
/// depthwise convolution, on every kind of input: the product has k = 1
/// and B = 1 so that each output is its input exactly, and the depthwise
/// convolution a 1x1 window of weight 1.
TEST(Kernels, FusedSiluAndHardswishMatchReference) {
  ThreadScope threads(2);
  std::vector<float> values = activationInputs();
  int64_t m = int64_t(values.size()), n = 1;
  for (int64_t kind :
       {int64_t(KILN_MK_ACT_SILU), int64_t(KILN_MK_ACT_HARDSWISH)}) {
    float lo = kind == KILN_MK_ACT_HARDSWISH ? 1.0f / 6.0f : 0.0f;
    float hi = kind == KILN_MK_ACT_HARDSWISH ? 0.5f : 0.0f;
    // As a column (one value per row of C) and as a row (per column).
    for (bool column : {true, false}) {
      int64_t rows = column ? m : n, cols = column ? n : m;
      std::vector<float> zero(cols, 0.0f);
      std::vector<float> packed(kiln_mk_packed_b_size(1, cols));
      std::vector<float> b = column ? std::vector<float>(1, 1.0f) : values;
      kiln_mk_pack_b_f32(b.data(), 1, cols, cols, 1, packed.data());
      kiln_memref1_f32 pb = {
          packed.data(), packed.data(), 0, {int64_t(packed.size())}, {1}};
      kiln_memref1_f32 bv = {zero.data(), zero.data(), 0, {cols}, {1}};
      std::vector<float> a = column ? values : std::vector<float>(1, 1.0f);
      std::vector<float> c(values.size(), 7.0f);
      kiln_memref2_f32 av = view2(a, rows, 1, 1, 1);
      kiln_memref2_f32 cv = view2(c, rows, cols, cols, 1);
      _mlir_ciface_kiln_mk_gemm_pb_fused_f32(&av, &pb, &bv, &cv, 0, kind, lo,
                                             hi);
      expectActivated(c, values, kind, column ? "gemm column" : "gemm row");
    }
    // Depthwise: one channel, a 1 x count image, 1x1 window of weight 1.
    int64_t count = int64_t(values.size());
    std::vector<float> in = values, w(1, 1.0f), bias(1, 0.0f);
    std::vector<float> out(values.size(), 7.0f);
    kiln_memref4_f32 iv = {
        in.data(), in.data(), 0, {1, 1, 1, count}, {count, count, count, 1}};
    kiln_memref3_f32 wv = {w.data(), w.data(), 0, {1, 1, 1}, {1, 1, 1}};
    kiln_memref1_f32 bv = {bias.data(), bias.data(), 0, {1}, {1}};
    kiln_memref4_f32 ov = iv;
    ov.allocated = ov.aligned = out.data();
    _mlir_ciface_kiln_mk_dwconv2d_nchw_fused_f32(&iv, &wv, &bv, &ov, 1, 1, 1, 1,
                                                 0, 0, 1, kind, lo, hi);
    expectActivated(out, values, kind, "depthwise");
  }
}

TEST(Kernels, BatchGemmMatchesReference) {
  ThreadScope threads(2);
  int64_t batch = 3, m = 11, n = 37, k = 29;
  std::vector<float> a = randomValues(batch * m * k, 4);
  std::vector<float> b = randomValues(batch * k * n, 5);
  std::vector<float> out(batch * m * n, 0.5f);
  kiln_memref3_f32 av = {a.data(), a.data(), 0, {batch, m, k}, {m * k, k, 1}};
  kiln_memref3_f32 bv = {b.data(), b.data(), 0, {batch, k, n}, {k * n, n, 1}};
  kiln_memref3_f32 cv = {
      out.data(), out.data(), 0, {batch, m, n}, {m * n, n, 1}};
  _mlir_ciface_kiln_mk_batch_gemm_f32(&av, &bv, &cv);
  for (int64_t t = 0; t < batch; ++t)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double sum = 0.5, scale = 0;
        for (int64_t p = 0; p < k; ++p) {
          double term =
              double(a[t * m * k + i * k + p]) * b[t * k * n + p * n + j];
          sum += term;
          scale += std::fabs(term);
        }
        expectClose(out[t * m * n + i * n + j], sum, scale, "batch element");
      }
}

struct ConvCase {
  int64_t batch, channels, filters, height, width, kh, kw, sy, sx, dy, dx;
  int threads;
  /// Implicit zero padding: before the first and after the last row and
  /// column (the kernels take the first two; the last two only grow the
  /// output).
  int64_t top = 0, left = 0, bottom = 0, right = 0;
};

/// Output size of a convolution over `in` padded by `pads` in all.
int64_t outSize(int64_t in, int64_t pads, int64_t kernel, int64_t stride,
                int64_t dilation) {
  return (in + pads - dilation * (kernel - 1) - 1) / stride + 1;
}

/// The input element a window tap reads, or 0 in the padding.
double tap(const std::vector<float> &in, int64_t plane, int64_t height,
           int64_t width, int64_t iy, int64_t ix) {
  if (iy < 0 || iy >= height || ix < 0 || ix >= width)
    return 0.0;
  return in[plane * height * width + iy * width + ix];
}

class ConvTest : public ::testing::TestWithParam<ConvCase> {};

TEST_P(ConvTest, MatchesReference) {
  ConvCase c = GetParam();
  ThreadScope threads(c.threads);
  int64_t oh = outSize(c.height, c.top + c.bottom, c.kh, c.sy, c.dy);
  int64_t ow = outSize(c.width, c.left + c.right, c.kw, c.sx, c.dx);
  std::vector<float> in =
      randomValues(c.batch * c.channels * c.height * c.width, 6);
  std::vector<float> w = randomValues(c.filters * c.channels * c.kh * c.kw, 7);
  std::vector<float> out = randomValues(c.batch * c.filters * oh * ow, 8);
  std::vector<float> initial = out;
  int64_t hw = c.height * c.width;
  kiln_memref4_f32 iv = {in.data(),
                         in.data(),
                         0,
                         {c.batch, c.channels, c.height, c.width},
                         {c.channels * hw, hw, c.width, 1}};
  int64_t kk = c.kh * c.kw;
  kiln_memref4_f32 wv = {w.data(),
                         w.data(),
                         0,
                         {c.filters, c.channels, c.kh, c.kw},
                         {c.channels * kk, kk, c.kw, 1}};
  kiln_memref4_f32 ov = {out.data(),
                         out.data(),
                         0,
                         {c.batch, c.filters, oh, ow},
                         {c.filters * oh * ow, oh * ow, ow, 1}};
  _mlir_ciface_kiln_mk_conv2d_nchw_f32(&iv, &wv, &ov, c.sy, c.sx, c.dy, c.dx,
                                       c.top, c.left);

  // The same with the weights packed ahead of time: identical results.
  std::vector<float> packed(kiln_mk_packed_a_size(c.filters, c.channels * kk));
  kiln_mk_pack_a_f32(w.data(), c.filters, c.channels * kk, c.channels * kk, 1,
                     packed.data());
  kiln_memref1_f32 pv = {
      packed.data(), packed.data(), 0, {int64_t(packed.size())}, {1}};
  std::vector<float> outPacked = initial;
  kiln_memref4_f32 opv = ov;
  opv.allocated = opv.aligned = outPacked.data();
  _mlir_ciface_kiln_mk_conv2d_nchw_pa_f32(&iv, &pv, &opv, c.kh, c.kw, c.sy,
                                          c.sx, c.dy, c.dx, c.top, c.left);
  EXPECT_EQ(outPacked, out);

  // Fused: out = clamp(conv + bias, -0.5, 0.75), overwriting out (whose
  // old contents must not matter: it starts as NaN).
  std::vector<float> bias = randomValues(c.filters, 9);
  kiln_memref1_f32 bv = {bias.data(), bias.data(), 0, {c.filters}, {1}};
  std::vector<float> fused(out.size(), std::nanf(""));
  kiln_memref4_f32 fv = ov;
  fv.allocated = fv.aligned = fused.data();
  _mlir_ciface_kiln_mk_conv2d_nchw_pa_fused_f32(
      &iv, &pv, &bv, &fv, c.kh, c.kw, c.sy, c.sx, c.dy, c.dx, c.top, c.left,
      /*has_bias=*/1, KILN_MK_ACT_CLAMP, -0.5f, 0.75f);
  for (size_t i = 0; i < out.size(); ++i) {
    int64_t f = (int64_t(i) / (oh * ow)) % c.filters;
    // The unfused result minus its initial value is the convolution.
    double conv = double(out[i]) - initial[i];
    double want = std::min(0.75, std::max(-0.5, conv + bias[f]));
    ASSERT_NEAR(fused[i], want, 1e-4 * (1.0 + std::fabs(conv)))
        << "fused element " << i;
  }
  for (int64_t n = 0; n < c.batch; ++n)
    for (int64_t f = 0; f < c.filters; ++f)
      for (int64_t y = 0; y < oh; ++y)
        for (int64_t x = 0; x < ow; ++x) {
          int64_t index = ((n * c.filters + f) * oh + y) * ow + x;
          double sum = initial[index], scale = 0;
          for (int64_t ch = 0; ch < c.channels; ++ch)
            for (int64_t ky = 0; ky < c.kh; ++ky)
              for (int64_t kx = 0; kx < c.kw; ++kx) {
                double term =
                    tap(in, n * c.channels + ch, c.height, c.width,
                        y * c.sy + ky * c.dy - c.top,
                        x * c.sx + kx * c.dx - c.left) *
                    w[((f * c.channels + ch) * c.kh + ky) * c.kw + kx];
                sum += term;
                scale += std::fabs(term);
              }
          expectClose(out[index], sum, scale, "conv element");
        }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, ConvTest,
    ::testing::Values(
        ConvCase{1, 3, 8, 9, 9, 3, 3, 1, 1, 1, 1, 1},
        ConvCase{2, 5, 19, 12, 13, 3, 3, 2, 2, 1, 1, 2},
        ConvCase{1, 16, 33, 10, 10, 1, 1, 1, 1, 1, 1, 2},
        ConvCase{1, 4, 7, 15, 11, 3, 2, 1, 2, 2, 1, 3},
        ConvCase{1, 70, 9, 6, 40, 5, 5, 1, 1, 1, 1, 2},
        ConvCase{1, 2, 130, 8, 8, 7, 7, 1, 1, 1, 1, 1},
        // 1x1 at stride 1, whose image the product reads in place: a
        // partial last panel and two reduction blocks; several column
        // blocks over three threads.
        ConvCase{2, 300, 20, 10, 10, 1, 1, 1, 1, 1, 1, 2},
        ConvCase{1, 24, 40, 40, 41, 1, 1, 1, 1, 1, 1, 3},
        // Padded: same-size 3x3, asymmetric, strided 7x7 (ResNet's stem),
        // dilated, and padding only after the image.
        ConvCase{1, 3, 8, 9, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},
        ConvCase{2, 5, 19, 12, 13, 3, 3, 2, 2, 1, 1, 2, 1, 0, 2, 1},
        ConvCase{1, 3, 16, 30, 30, 7, 7, 2, 2, 1, 1, 2, 3, 3, 3, 3},
        ConvCase{1, 4, 9, 11, 37, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, 2},
        ConvCase{1, 6, 8, 7, 7, 3, 3, 2, 2, 1, 1, 1, 0, 0, 1, 1}));

TEST(Kernels, DepthwiseConvMatchesReference) {
  struct Case {
    int64_t k, stride, dilation, pad;
    int threads;
  };
  for (Case c :
       {Case{3, 1, 1, 0, 1}, Case{3, 2, 1, 0, 2}, Case{3, 1, 2, 0, 2},
        Case{3, 3, 1, 0, 3}, Case{3, 1, 1, 1, 2}, Case{3, 2, 1, 1, 1},
        Case{5, 1, 1, 2, 2}, Case{5, 2, 1, 2, 2}, Case{3, 1, 2, 2, 1}}) {
    ThreadScope scope(c.threads);
    int64_t batch = 2, channels = 5, height = 17, width = 19, k = c.k;
    int64_t oh = outSize(height, 2 * c.pad, k, c.stride, c.dilation);
    int64_t ow = outSize(width, 2 * c.pad, k, c.stride, c.dilation);
    std::vector<float> in = randomValues(batch * channels * height * width, 9);
    std::vector<float> w = randomValues(channels * k * k, 10);
    std::vector<float> out = randomValues(batch * channels * oh * ow, 11);
    std::vector<float> initial = out;
    int64_t hw = height * width;
    kiln_memref4_f32 iv = {in.data(),
                           in.data(),
                           0,
                           {batch, channels, height, width},
                           {channels * hw, hw, width, 1}};
    kiln_memref3_f32 wv = {
        w.data(), w.data(), 0, {channels, k, k}, {k * k, k, 1}};
    kiln_memref4_f32 ov = {out.data(),
                           out.data(),
                           0,
                           {batch, channels, oh, ow},
                           {channels * oh * ow, oh * ow, ow, 1}};
    _mlir_ciface_kiln_mk_dwconv2d_nchw_f32(&iv, &wv, &ov, c.stride, c.stride,
                                           c.dilation, c.dilation, c.pad,
                                           c.pad);
    for (int64_t n = 0; n < batch; ++n)
      for (int64_t ch = 0; ch < channels; ++ch)
        for (int64_t y = 0; y < oh; ++y)
          for (int64_t x = 0; x < ow; ++x) {
            int64_t index = ((n * channels + ch) * oh + y) * ow + x;
            double sum = initial[index], scale = 0;
            for (int64_t ky = 0; ky < k; ++ky)
              for (int64_t kx = 0; kx < k; ++kx) {
                double term = tap(in, n * channels + ch, height, width,
                                  y * c.stride + ky * c.dilation - c.pad,
                                  x * c.stride + kx * c.dilation - c.pad) *
                              w[(ch * k + ky) * k + kx];
                sum += term;
                scale += std::fabs(term);
              }
            expectClose(out[index], sum, scale, "depthwise element");
          }

    // Fused: out = clamp(depthwise + bias, -0.25, 0.5), overwriting.
    std::vector<float> bias = randomValues(channels, 12);
    kiln_memref1_f32 bv = {bias.data(), bias.data(), 0, {channels}, {1}};
    std::vector<float> fused(out.size(), std::nanf(""));
    kiln_memref4_f32 fv = ov;
    fv.allocated = fv.aligned = fused.data();
    _mlir_ciface_kiln_mk_dwconv2d_nchw_fused_f32(
        &iv, &wv, &bv, &fv, c.stride, c.stride, c.dilation, c.dilation, c.pad,
        c.pad, /*has_bias=*/1, KILN_MK_ACT_CLAMP, -0.25f, 0.5f);
    for (size_t i = 0; i < out.size(); ++i) {
      int64_t ch = (int64_t(i) / (oh * ow)) % channels;
      double conv = double(out[i]) - initial[i];
      double want = std::min(0.5, std::max(-0.25, conv + bias[ch]));
      ASSERT_NEAR(fused[i], want, 1e-4 * (1.0 + std::fabs(conv)))
          << "fused depthwise element " << i;
    }
  }
}

extern "C" {
void *_mlir_memref_to_llvm_alloc(size_t size);
void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t size);
void _mlir_memref_to_llvm_free(void *pointer);
}

/// The allocation functions lowered code calls: aligned as asked, and large
/// freed blocks come back for the next request of about the same size.
TEST(RuntimeSupport, AllocatorAlignsAndReusesLargeBlocks) {
  for (size_t alignment : {16, 64, 128, 4096}) {
    void *small = _mlir_memref_to_llvm_aligned_alloc(alignment, 40);
    ASSERT_NE(small, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(small) % alignment, 0u);
    std::memset(small, 1, 40);
    _mlir_memref_to_llvm_free(small);
  }
  size_t size = (size_t(3) << 20) + 12;
  char *first =
      static_cast<char *>(_mlir_memref_to_llvm_aligned_alloc(64, size));
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(first) % 64, 0u);
  std::memset(first, 7, size);
  _mlir_memref_to_llvm_free(first);
  char *again =
      static_cast<char *>(_mlir_memref_to_llvm_aligned_alloc(64, size));
  EXPECT_EQ(again, first);
  // A much smaller request does not take the big cached block.
  _mlir_memref_to_llvm_free(again);
  char *other = static_cast<char *>(_mlir_memref_to_llvm_alloc(100000));
  EXPECT_NE(other, again);
  std::memset(other, 3, 100000);
  _mlir_memref_to_llvm_free(other);
  _mlir_memref_to_llvm_free(nullptr);
}

TEST(Kernels, ThreadCountSetting) {
  int initial = kiln_get_num_threads();
  EXPECT_GE(initial, 1);
  kiln_set_num_threads(3);
  EXPECT_EQ(kiln_get_num_threads(), 3);
  EXPECT_EQ(kiln_set_num_threads(0), 3);
  EXPECT_EQ(kiln_get_num_threads(), initial);
}

} // namespace
