//===- MetricsTest.cpp - cost-model evaluation metrics and splits ---------===//
//
// Small cases checked by hand, and properties every metric must have:
// Spearman ignores monotone transforms, a perfect prediction has no error,
// no ranking mistakes and no regret, and splits keep kernels whole.
//
//===----------------------------------------------------------------------===//

#include "kiln/costmodel/Metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

using namespace kiln::cost;

namespace {

TEST(MetricsTest, Quantile) {
  EXPECT_EQ(quantile({}, 0.5), 0);
  EXPECT_EQ(quantile({3, 1, 2}, 0.5), 2);
  EXPECT_EQ(quantile({3, 1, 2}, 0), 1);
  EXPECT_EQ(quantile({3, 1, 2}, 1), 3);
  // NumPy: np.quantile([1, 2, 3, 4], 0.1) == 1.3.
  EXPECT_NEAR(quantile({4, 3, 2, 1}, 0.1), 1.3, 1e-12);
  EXPECT_NEAR(quantile({4, 3, 2, 1}, 0.9), 3.7, 1e-12);
}

TEST(MetricsTest, SpearmanByHand) {
  EXPECT_DOUBLE_EQ(spearman({1, 2, 3, 4}, {10, 20, 30, 40}), 1);
  EXPECT_DOUBLE_EQ(spearman({1, 2, 3, 4}, {40, 30, 20, 10}), -1);
  // Ranks (1,2,3,4) vs (2,1,4,3): d^2 sums to 4, 1 - 6*4/(4*15) = 0.6.
  EXPECT_NEAR(spearman({1, 2, 3, 4}, {2, 1, 4, 3}), 0.6, 1e-12);
  // Ties share ranks: (1.5,1.5,3) vs (1,2,3); Pearson of those = sqrt(3)/2.
  EXPECT_NEAR(spearman({5, 5, 7}, {1, 2, 3}), std::sqrt(3.0) / 2, 1e-12);
  // Degenerate inputs.
  EXPECT_EQ(spearman({1}, {1}), 0);
  EXPECT_EQ(spearman({2, 2, 2}, {1, 2, 3}), 0);
}

TEST(MetricsTest, SpearmanIgnoresMonotoneTransforms) {
  std::mt19937_64 generator(3);
  std::uniform_real_distribution<double> uniform(1e-6, 1e-2);
  std::vector<double> actual, predicted;
  for (int i = 0; i < 200; ++i) {
    actual.push_back(uniform(generator));
    predicted.push_back(std::log(actual.back()) * 3 + 7);
  }
  EXPECT_NEAR(spearman(predicted, actual), 1, 1e-12);
  std::vector<double> reversed;
  for (double value : actual)
    reversed.push_back(-std::exp(value * 100));
  EXPECT_NEAR(spearman(reversed, actual), -1, 1e-12);
}

TEST(MetricsTest, MapeAndShareWithin) {
  // Errors of 10%, 50% and 0%.
  std::vector<double> actual = {1.0, 2.0, 4.0};
  std::vector<double> predicted = {1.1, 1.0, 4.0};
  EXPECT_NEAR(mape(predicted, actual), 0.2, 1e-12);
  // 1.1 is exactly at the tolerance and counts as within.
  EXPECT_NEAR(shareWithin(predicted, actual, 0.10), 2.0 / 3, 1e-12);
  EXPECT_NEAR(shareWithin(predicted, actual, 0.05), 1.0 / 3, 1e-12);
  EXPECT_NEAR(shareWithin(predicted, actual, 0.5), 1, 1e-12);
  // A perfect prediction; non-positive actuals are skipped.
  EXPECT_EQ(mape(actual, actual), 0);
  EXPECT_EQ(shareWithin({5, 1}, {0, 1}, 0.01), 1);
  EXPECT_EQ(mape({}, {}), 0);
}

TEST(MetricsTest, PairwiseRankingAccuracyByHand) {
  // Kernel 1: the prediction swaps the last two of three schedules: 2 of 3
  // pairs right. Kernel 2: one pair tied in the prediction: half right.
  // Kernel 3: actual tie, no pair counted. Total (2 + 0.5) / 4.
  std::vector<ScheduleGroup> groups = {
      {{1, 10}, {3, 20}, {2, 30}},
      {{5, 1}, {5, 2}},
      {{1, 7}, {2, 7}},
  };
  EXPECT_NEAR(pairwiseRankingAccuracy(groups), 2.5 / 4, 1e-12);
  EXPECT_EQ(pairwiseRankingAccuracy({}), 1);
  // Pairs across kernels are never compared.
  EXPECT_EQ(pairwiseRankingAccuracy({{{1, 1}}, {{2, 0.5}}}), 1);
}

TEST(MetricsTest, DecisionRegretByHand) {
  // Kernel 1 picks the 30-unit schedule whose best is 10: regret 2.
  // Kernel 2 picks its best: regret 0. Mean 1.
  std::vector<ScheduleGroup> groups = {
      {{1, 30}, {2, 10}, {3, 20}},
      {{2, 5}, {1, 4}},
      {},
  };
  EXPECT_NEAR(decisionRegret(groups), 1.0, 1e-12);
  // Ties in the prediction: the first is chosen.
  EXPECT_NEAR(decisionRegret({{{1, 2}, {1, 1}}}), 1.0, 1e-12);
  EXPECT_EQ(decisionRegret({}), 0);
}

TEST(MetricsTest, PerfectPredictionScoresPerfectly) {
  std::vector<std::string> keys = {"a", "b", "a", "c", "b", "a"};
  std::vector<double> actual = {3, 1, 2, 5, 4, 6};
  std::vector<ScheduleGroup> groups = groupByKernel(keys, actual, actual);
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].size(), 3u);
  EXPECT_EQ(groups[1].size(), 2u);
  EXPECT_EQ(groups[2].size(), 1u);
  EXPECT_EQ(groups[1][1], std::make_pair(4.0, 4.0));
  EXPECT_EQ(pairwiseRankingAccuracy(groups), 1);
  EXPECT_EQ(decisionRegret(groups), 0);
  EXPECT_NEAR(spearman(actual, actual), 1, 1e-12);
  EXPECT_EQ(mape(actual, actual), 0);
  EXPECT_EQ(shareWithin(actual, actual, 0.10), 1);
}

TEST(MetricsTest, SplitByKernelKeepsKernelsWhole) {
  std::vector<std::string> keys;
  for (int kernel = 0; kernel < 20; ++kernel)
    for (int schedule = 0; schedule <= kernel % 4; ++schedule)
      keys.push_back("kernel" + std::to_string(kernel));
  Split split = splitByKernel(keys, 0.25, 42);
  EXPECT_EQ(split.train.size() + split.test.size(), keys.size());
  std::set<std::string> trainKeys, testKeys;
  for (size_t i : split.train)
    trainKeys.insert(keys[i]);
  for (size_t i : split.test)
    testKeys.insert(keys[i]);
  EXPECT_EQ(testKeys.size(), 5u);
  EXPECT_EQ(trainKeys.size(), 15u);
  for (const std::string &key : testKeys)
    EXPECT_FALSE(trainKeys.count(key)) << key << " is on both sides";

  // The same seed gives the same split; another seed (almost surely) not.
  Split again = splitByKernel(keys, 0.25, 42);
  EXPECT_EQ(again.test, split.test);
  EXPECT_NE(splitByKernel(keys, 0.25, 43).test, split.test);
}

TEST(MetricsTest, SplitByKernelEdgeCases) {
  std::vector<std::string> two = {"a", "a", "b"};
  // A tiny fraction still tests one kernel, a large one trains on one.
  EXPECT_EQ(splitByKernel(two, 0.01, 1).train.size() +
                splitByKernel(two, 0.01, 1).test.size(),
            3u);
  EXPECT_FALSE(splitByKernel(two, 0.01, 1).test.empty());
  EXPECT_FALSE(splitByKernel(two, 0.99, 1).train.empty());
  EXPECT_TRUE(splitByKernel(two, 0, 1).test.empty());
  EXPECT_TRUE(splitByKernel({}, 0.2, 1).test.empty());
}

TEST(MetricsTest, LeaveOneOpKindOut) {
  std::vector<std::string> ops = {"nn.conv2d", "nn.matmul", "nn.conv2d",
                                  "nn.relu"};
  EXPECT_EQ(getOpKinds(ops),
            (std::vector<std::string>{"nn.conv2d", "nn.matmul", "nn.relu"}));
  Split split = splitLeavingOutOp(ops, "nn.conv2d");
  EXPECT_EQ(split.test, (std::vector<size_t>{0, 2}));
  EXPECT_EQ(split.train, (std::vector<size_t>{1, 3}));
  EXPECT_TRUE(splitLeavingOutOp(ops, "nn.softmax").test.empty());
}

} // namespace
