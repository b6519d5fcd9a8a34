//===- Metrics.h - how good a cost model is ---------------------*- C++ -*-===//
//
// The numbers `kiln-cost eval` reports about predicted versus measured
// latencies, and the held-out splits it computes them on. Accuracy metrics
// (MAPE, share within a tolerance) say how close a prediction is; ranking
// metrics (Spearman, pairwise accuracy, decision regret) say whether a
// compiler asking the model to choose between schedules of one kernel
// chooses well, which is what the model is for.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COSTMODEL_METRICS_H
#define KILN_COSTMODEL_METRICS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace kiln::cost {

/// The `q` quantile (0..1) of `values`, interpolating linearly between
/// order statistics (NumPy's default). 0 for no values.
double quantile(llvm::ArrayRef<double> values, double q);

/// Spearman's rank correlation of predicted and actual (ties get their
/// average rank). 0 when either side is constant or there are fewer than
/// two values.
double spearman(llvm::ArrayRef<double> predicted,
                llvm::ArrayRef<double> actual);

/// Mean absolute percentage error, mean(|predicted - actual| / actual), as
/// a fraction (0.1 is 10%). Pairs with actual <= 0 are skipped.
double mape(llvm::ArrayRef<double> predicted, llvm::ArrayRef<double> actual);

/// Share of predictions within `tolerance` of the actual value, relative
/// (|predicted - actual| <= tolerance * actual). Pairs with actual <= 0 are
/// skipped.
double shareWithin(llvm::ArrayRef<double> predicted,
                   llvm::ArrayRef<double> actual, double tolerance);

/// (predicted, actual) latencies of the schedules of one kernel.
using ScheduleGroup = std::vector<std::pair<double, double>>;

/// Over all pairs of schedules of the same kernel with distinct actual
/// latencies, the fraction the prediction orders the same way; a tie in the
/// prediction counts as half right. 1 when there are no such pairs. With
/// `minRelativeGap` > 0 only pairs whose actual latencies differ by more
/// than that fraction of the faster one count: closer pairs are within
/// measurement noise, where no model can rank.
double pairwiseRankingAccuracy(llvm::ArrayRef<ScheduleGroup> groups,
                               double minRelativeGap = 0);

/// What choosing each kernel's schedule by the prediction costs: the mean
/// over kernels of actual(argmin predicted) / min actual - 1 (0 is perfect;
/// among tied predictions the first is chosen). Empty groups are skipped.
double decisionRegret(llvm::ArrayRef<ScheduleGroup> groups);

/// Collects (predicted, actual) pairs into one group per distinct kernel
/// key, groups in order of first appearance.
std::vector<ScheduleGroup> groupByKernel(llvm::ArrayRef<std::string> kernelKeys,
                                         llvm::ArrayRef<double> predicted,
                                         llvm::ArrayRef<double> actual);

/// Row indices on each side of a held-out split.
struct Split {
  std::vector<size_t> train;
  std::vector<size_t> test;
};

/// Puts round(testFraction * kernels) randomly chosen kernels (at least one
/// when testFraction > 0 and there are two kernels or more, never all of
/// them) in the test side, with every schedule of a kernel on the same side
/// so that the test measures generalization to unseen kernels. The same
/// keys and seed give the same split on every platform.
Split splitByKernel(llvm::ArrayRef<std::string> kernelKeys, double testFraction,
                    uint64_t seed);

/// Tests on every row of op `heldOutOp` and trains on the rest: can the
/// model predict an op kind it has never seen?
Split splitLeavingOutOp(llvm::ArrayRef<std::string> opNames,
                        llvm::StringRef heldOutOp);

/// The distinct op names, sorted: the folds of leave-one-op-kind-out.
std::vector<std::string> getOpKinds(llvm::ArrayRef<std::string> opNames);

} // namespace kiln::cost

#endif // KILN_COSTMODEL_METRICS_H
