//===- ShapeInferenceTest.cpp - unit tests of the nn shape helpers
//---------===//
//
// Checks the pure shape arithmetic behind nn result-type inference, including
// the dynamic-dimension and error cases that lit tests reach only indirectly.
// Agreement with PyTorch on random shapes is tested separately by
// test/dialects/nn/shape-reference.test.
//
//===----------------------------------------------------------------------===//

#include "kiln/dialects/nn/ShapeInference.h"

#include "gtest/gtest.h"

#include <limits>

using namespace kiln::nn;
using Shape = llvm::SmallVector<int64_t>;

namespace {

constexpr int64_t kDyn = kDynamicDim;

TEST(BroadcastShapes, AlignsTrailingDimensions) {
  EXPECT_EQ(broadcastShapes({2, 3}, {3}), Shape({2, 3}));
  EXPECT_EQ(broadcastShapes({4, 1, 5}, {3, 1}), Shape({4, 3, 5}));
  EXPECT_EQ(broadcastShapes({}, {2, 2}), Shape({2, 2}));
}

TEST(BroadcastShapes, RejectsMismatchedStaticSizes) {
  EXPECT_FALSE(broadcastShapes({2, 3}, {4}).has_value());
  EXPECT_FALSE(broadcastShapes({2, 3}, {3, 3}).has_value());
}

TEST(BroadcastShapes, KeepsOrResolvesDynamicSizes) {
  EXPECT_EQ(broadcastShapes({kDyn, 3}, {1, 3}), Shape({kDyn, 3}));
  EXPECT_EQ(broadcastShapes({kDyn, 3}, {5, 3}), Shape({5, 3}));
  EXPECT_EQ(broadcastShapes({kDyn}, {kDyn}), Shape({kDyn}));
}

TEST(SlidingWindow, MatchesTheConvolutionFormula) {
  // ResNet stem: 224, k7, s2, p3 -> 112; max pool 112, k3, s2, p1 -> 56.
  EXPECT_EQ(slidingWindowOutputSize(224, 7, 2, 1, 3, 3), 112);
  EXPECT_EQ(slidingWindowOutputSize(112, 3, 2, 1, 1, 1), 56);
  // Dilation widens the window: span 5 over 10 -> 6.
  EXPECT_EQ(slidingWindowOutputSize(10, 3, 1, 2, 0, 0), 6);
}

TEST(SlidingWindow, CeilModeRoundsUpButNeverStartsInEndPadding) {
  EXPECT_EQ(slidingWindowOutputSize(6, 3, 2, 1, 0, 0, false), 2);
  EXPECT_EQ(slidingWindowOutputSize(6, 3, 2, 1, 0, 0, true), 3);
  // The last window would start at index 5 = input + begin padding: dropped.
  EXPECT_EQ(slidingWindowOutputSize(4, 2, 3, 1, 1, 1, true), 2);
  // A window overhanging the padded input by less than a stride still counts
  // in ceil mode (PyTorch: max_pool2d(2x2, kernel 3, stride 2, ceil) -> 1x1).
  EXPECT_EQ(slidingWindowOutputSize(2, 3, 2, 1, 0, 0, true), 1);
  EXPECT_EQ(slidingWindowOutputSize(2, 3, 2, 1, 0, 0, false), 0);
  EXPECT_EQ(slidingWindowOutputSize(2, 5, 2, 1, 0, 0, true), 0);
}

TEST(SlidingWindow, ReportsDynamicAndEmptyOutputs) {
  EXPECT_EQ(slidingWindowOutputSize(kDyn, 3, 1, 1, 0, 0), kDyn);
  EXPECT_EQ(slidingWindowOutputSize(2, 5, 1, 1, 0, 0), 0);
}

TEST(SlidingWindow, ReportsOverflowInsteadOfWrapping) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  EXPECT_FALSE(slidingWindowOutputSize(4, 3, 1, kMax, 0, 0).has_value());
  EXPECT_FALSE(slidingWindowOutputSize(4, 1, 1, 1, kMax, 1).has_value());
  // A huge stride is fine: one window.
  EXPECT_EQ(slidingWindowOutputSize(4, 2, kMax, 1, 0, 0, true), 1);
}

TEST(MatmulShape, FollowsNumpyForMatricesAndVectors) {
  EXPECT_EQ(matmulShape({64, 784}, {784, 512}), Shape({64, 512}));
  EXPECT_EQ(matmulShape({3}, {3}), Shape({}));
  EXPECT_EQ(matmulShape({3}, {3, 4}), Shape({4}));
  EXPECT_EQ(matmulShape({2, 3}, {3}), Shape({2}));
}

TEST(MatmulShape, BroadcastsBatchDimensions) {
  EXPECT_EQ(matmulShape({8, 1, 4, 5}, {3, 5, 6}), Shape({8, 3, 4, 6}));
  EXPECT_EQ(matmulShape({kDyn, 4, 5}, {5, 6}), Shape({kDyn, 4, 6}));
}

TEST(MatmulShape, RejectsBadOperands) {
  EXPECT_FALSE(matmulShape({2, 3}, {4, 5}).has_value());
  EXPECT_FALSE(matmulShape({}, {3}).has_value());
  EXPECT_FALSE(matmulShape({2, 3, 4}, {5, 4, 6}).has_value());
}

TEST(ProductOfDims, IsDynamicIfAnyDimIs) {
  EXPECT_EQ(productOfDims({2, 3, 4}), 24);
  EXPECT_EQ(productOfDims({}), 1);
  EXPECT_EQ(productOfDims({2, kDyn}), kDyn);
  EXPECT_FALSE(productOfDims({int64_t(1) << 32, int64_t(1) << 32}).has_value());
}

TEST(IsPermutation, AcceptsOnlyPermutations) {
  EXPECT_TRUE(isPermutation({2, 0, 1}));
  EXPECT_TRUE(isPermutation({}));
  EXPECT_FALSE(isPermutation({0, 0}));
  EXPECT_FALSE(isPermutation({0, 2}));
  EXPECT_FALSE(isPermutation({-1, 0}));
}

TEST(SliceOutputSize, CountsForwardAndBackward) {
  EXPECT_EQ(sliceOutputSize(0, 10, 3), 4);
  EXPECT_EQ(sliceOutputSize(9, -1, -1), 10);
  EXPECT_EQ(sliceOutputSize(9, 0, -4), 3);
  EXPECT_EQ(sliceOutputSize(5, 5, 1), 0);
  // Extreme steps select one element instead of overflowing.
  EXPECT_EQ(sliceOutputSize(3, -1, std::numeric_limits<int64_t>::min()), 1);
  EXPECT_EQ(sliceOutputSize(0, 4, std::numeric_limits<int64_t>::max()), 1);
}

} // namespace
