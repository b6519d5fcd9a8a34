//===- Metrics.cpp - how good a cost model is -----------------------------===//
//
// Accuracy and ranking metrics of predicted against measured latencies,
// and the held-out splits `kiln-cost eval` uses. Everything here is plain
// arithmetic on vectors so that the metrics can be checked by hand.
//
//===----------------------------------------------------------------------===//

#include "kiln/costmodel/Metrics.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>
#include <random>
#include <set>

using namespace kiln::cost;

double kiln::cost::quantile(llvm::ArrayRef<double> values, double q) {
  if (values.empty())
    return 0;
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  double position = std::clamp(q, 0.0, 1.0) * double(sorted.size() - 1);
  size_t below = size_t(std::floor(position));
  size_t above = std::min(below + 1, sorted.size() - 1);
  double weight = position - double(below);
  return sorted[below] + weight * (sorted[above] - sorted[below]);
}

/// Ranks 1..n of `values`, ties sharing their average rank.
static std::vector<double> getAverageRanks(llvm::ArrayRef<double> values) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  for (size_t begin = 0; begin < order.size();) {
    size_t end = begin + 1;
    while (end < order.size() && values[order[end]] == values[order[begin]])
      ++end;
    // Ranks begin+1 .. end share their mean.
    double rank = double(begin + 1 + end) / 2.0;
    for (size_t i = begin; i < end; ++i)
      ranks[order[i]] = rank;
    begin = end;
  }
  return ranks;
}

/// Pearson correlation; 0 when either side has no variance.
static double pearson(llvm::ArrayRef<double> x, llvm::ArrayRef<double> y) {
  size_t n = x.size();
  double meanX = std::accumulate(x.begin(), x.end(), 0.0) / n;
  double meanY = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double covariance = 0, varianceX = 0, varianceY = 0;
  for (size_t i = 0; i < n; ++i) {
    covariance += (x[i] - meanX) * (y[i] - meanY);
    varianceX += (x[i] - meanX) * (x[i] - meanX);
    varianceY += (y[i] - meanY) * (y[i] - meanY);
  }
  if (varianceX <= 0 || varianceY <= 0)
    return 0;
  return covariance / std::sqrt(varianceX * varianceY);
}

double kiln::cost::spearman(llvm::ArrayRef<double> predicted,
                            llvm::ArrayRef<double> actual) {
  assert(predicted.size() == actual.size() && "one prediction per value");
  if (predicted.size() < 2)
    return 0;
  return pearson(getAverageRanks(predicted), getAverageRanks(actual));
}

double kiln::cost::mape(llvm::ArrayRef<double> predicted,
                        llvm::ArrayRef<double> actual) {
  assert(predicted.size() == actual.size() && "one prediction per value");
  double sum = 0;
  size_t count = 0;
  for (size_t i = 0; i < actual.size(); ++i) {
    if (!(actual[i] > 0))
      continue;
    sum += std::fabs(predicted[i] - actual[i]) / actual[i];
    ++count;
  }
  return count ? sum / count : 0;
}

double kiln::cost::shareWithin(llvm::ArrayRef<double> predicted,
                               llvm::ArrayRef<double> actual,
                               double tolerance) {
  assert(predicted.size() == actual.size() && "one prediction per value");
  size_t within = 0, count = 0;
  for (size_t i = 0; i < actual.size(); ++i) {
    if (!(actual[i] > 0))
      continue;
    ++count;
    // The small slack keeps a prediction exactly at the tolerance inside
    // despite rounding (1.1 * 1.0 is not exactly 1.1).
    if (std::fabs(predicted[i] - actual[i]) <=
        tolerance * actual[i] * (1 + 1e-12))
      ++within;
  }
  return count ? double(within) / count : 0;
}

double kiln::cost::pairwiseRankingAccuracy(llvm::ArrayRef<ScheduleGroup> groups,
                                           double minRelativeGap) {
  double right = 0;
  size_t pairs = 0;
  for (const ScheduleGroup &group : groups) {
    for (size_t i = 0; i < group.size(); ++i) {
      for (size_t j = i + 1; j < group.size(); ++j) {
        double actualOrder = group[i].second - group[j].second;
        double faster = std::min(group[i].second, group[j].second);
        if (actualOrder == 0 ||
            std::abs(actualOrder) < minRelativeGap * std::abs(faster))
          continue;
        ++pairs;
        double predictedOrder = group[i].first - group[j].first;
        if (predictedOrder == 0)
          right += 0.5;
        else if ((predictedOrder > 0) == (actualOrder > 0))
          right += 1;
      }
    }
  }
  return pairs ? right / pairs : 1;
}

double kiln::cost::decisionRegret(llvm::ArrayRef<ScheduleGroup> groups) {
  double sum = 0;
  size_t kernels = 0;
  for (const ScheduleGroup &group : groups) {
    if (group.empty())
      continue;
    size_t chosen = 0;
    double best = group[0].second;
    for (size_t i = 1; i < group.size(); ++i) {
      if (group[i].first < group[chosen].first)
        chosen = i;
      best = std::min(best, group[i].second);
    }
    ++kernels;
    if (best > 0)
      sum += group[chosen].second / best - 1;
  }
  return kernels ? sum / kernels : 0;
}

std::vector<ScheduleGroup>
kiln::cost::groupByKernel(llvm::ArrayRef<std::string> kernelKeys,
                          llvm::ArrayRef<double> predicted,
                          llvm::ArrayRef<double> actual) {
  assert(kernelKeys.size() == predicted.size() &&
         predicted.size() == actual.size() && "one key per prediction");
  std::vector<ScheduleGroup> groups;
  llvm::StringMap<size_t> groupOf;
  for (size_t i = 0; i < kernelKeys.size(); ++i) {
    auto [it, inserted] = groupOf.try_emplace(kernelKeys[i], groups.size());
    if (inserted)
      groups.emplace_back();
    groups[it->second].emplace_back(predicted[i], actual[i]);
  }
  return groups;
}

Split kiln::cost::splitByKernel(llvm::ArrayRef<std::string> kernelKeys,
                                double testFraction, uint64_t seed) {
  // Sorted distinct keys, shuffled by a standard-specified generator (and
  // our own Fisher-Yates, since std::shuffle differs between libraries).
  std::set<std::string> distinct(kernelKeys.begin(), kernelKeys.end());
  std::vector<std::string> keys(distinct.begin(), distinct.end());
  std::mt19937_64 generator(seed);
  for (size_t i = keys.size(); i > 1; --i)
    std::swap(keys[i - 1], keys[generator() % i]);

  size_t testKernels =
      size_t(std::llround(std::clamp(testFraction, 0.0, 1.0) * keys.size()));
  if (testFraction > 0 && keys.size() >= 2)
    testKernels = std::clamp<size_t>(testKernels, 1, keys.size() - 1);
  llvm::StringMap<bool> inTest;
  for (size_t i = 0; i < keys.size(); ++i)
    inTest[keys[i]] = i < testKernels;

  Split split;
  for (size_t i = 0; i < kernelKeys.size(); ++i)
    (inTest[kernelKeys[i]] ? split.test : split.train).push_back(i);
  return split;
}

Split kiln::cost::splitLeavingOutOp(llvm::ArrayRef<std::string> opNames,
                                    llvm::StringRef heldOutOp) {
  Split split;
  for (size_t i = 0; i < opNames.size(); ++i)
    (opNames[i] == heldOutOp ? split.test : split.train).push_back(i);
  return split;
}

std::vector<std::string>
kiln::cost::getOpKinds(llvm::ArrayRef<std::string> opNames) {
  std::set<std::string> distinct(opNames.begin(), opNames.end());
  return std::vector<std::string>(distinct.begin(), distinct.end());
}
