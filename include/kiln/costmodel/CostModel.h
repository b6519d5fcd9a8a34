//===- CostModel.h - what a kernel will cost on a target --------*- C++ -*-===//
//
// The one analysis API every cost-guided decision goes through:
// estimate(op or fused kernel, schedule, target) -> Estimate. The analytical
// part is a roofline: compute time at the target's peak for the kernel's
// precision and parallel degree, memory time at the bandwidth of the level
// its working set fits in, plus a fixed launch cost; the slower of compute
// and memory decides. A learned model (XGBoost, trained on measurements by
// `kiln-cost train`) corrects the roofline in log space and gives the
// uncertainty band. No pass carries hardware numbers of its own.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COSTMODEL_COSTMODEL_H
#define KILN_COSTMODEL_COSTMODEL_H

#include "kiln/costmodel/OpWork.h"
#include "kiln/costmodel/TargetSpec.h"

#include "mlir/IR/Operation.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>
#include <vector>

namespace kiln::cost {

/// How a kernel is scheduled. The defaults describe what the CPU pipeline
/// does without a schedule: untiled loops, the target's vector width, one
/// core.
struct Schedule {
  /// Tile sizes of the kernel's loops, outermost first (0 leaves a loop
  /// untiled; empty: untiled).
  llvm::SmallVector<int64_t, 4> tileSizes;
  /// Vector width in bits (0: the target's SIMD width).
  int64_t vectorBits = 0;
  /// Compute units working on the kernel.
  int64_t parallelDegree = 1;
};

/// What limits a kernel: arithmetic, memory traffic, the fixed launch cost,
/// or nothing (a view such as a reshape launches no kernel).
enum class Bound { Compute, Memory, Overhead, None };
llvm::StringRef getBoundName(Bound bound);

/// Resources and cycles of a kernel on an FPGA (analytical: every layer
/// gets the device in turn, pipelined at one multiply-accumulate per DSP
/// group per cycle).
struct FpgaUsage {
  int64_t lut = 0;
  int64_t ff = 0;
  int64_t dsp = 0;
  int64_t bram18k = 0;
  double cycles = 0;
};

/// The cost-relevant description of one kernel under a schedule: what the
/// learned model sees (with the target's own features appended).
struct KernelFeatures {
  std::string opName; // "nn.conv2d", "nn.fusion", ...
  OpWork work;
  Precision precision = Precision::F32;
  int64_t elementBits = 32;
  /// The first result's shape, innermost last.
  llvm::SmallVector<int64_t, 6> outputShape;
  /// Elements reduced into each output (the contraction or window size; 1
  /// for elementwise work).
  int64_t reductionSize = 1;
  /// Ops inside a fusion region (1 for a single op).
  int64_t fusedOps = 1;
  /// A convolution or matrix product (or a fusion region holding one):
  /// multiply-accumulates that tensor cores and DSP slices speed up.
  bool contraction = false;
  /// Share of nonzero weights (N:M sparsity; 1 when dense).
  double density = 1.0;
  Schedule schedule;

  /// Names of the numbers toVector returns, in order.
  static llvm::ArrayRef<llvm::StringRef> getFeatureNames();
  /// The kernel's and target's features as one row for the learned model.
  std::vector<float> toVector(const TargetSpec &target) const;
};

/// Extracts the features of `op` (an nn op or nn.fusion) under `schedule`;
/// fails with a reason for ops without static shapes or a work formula.
mlir::FailureOr<KernelFeatures> extractFeatures(mlir::Operation *op,
                                                const Schedule &schedule,
                                                std::string &error);

/// A prediction.
struct Estimate {
  /// Predicted time, and the band the truth is expected in (low == high ==
  /// seconds when only the roofline is known).
  double seconds = 0;
  double low = 0;
  double high = 0;
  /// The analytical parts.
  double rooflineSeconds = 0;
  double computeSeconds = 0;
  double memorySeconds = 0;
  Bound bound = Bound::Compute;
  /// The memory level the working set fits in.
  std::string memoryLevel;
  std::optional<FpgaUsage> fpga;
};

/// The analytical roofline estimate.
Estimate estimateRoofline(const KernelFeatures &kernel,
                          const TargetSpec &target);

} // namespace kiln::cost

#endif // KILN_COSTMODEL_COSTMODEL_H
