//===- KernelBench.h - measure kernels on this CPU --------------*- C++ -*-===//
//
// What `kiln-cost collect` and `kiln-cost MODEL --measure` run: every layer
// of a model cut out as a kernel of its own (a function holding the one nn
// op, its tensor operands as arguments; small constants stay constants),
// compiled by the CPU JIT under a schedule and timed over repeated runs.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COSTMODEL_KERNELBENCH_H
#define KILN_COSTMODEL_KERNELBENCH_H

#include "kiln/costmodel/CostModel.h"
#include "kiln/cpu/CpuPipeline.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <optional>
#include <string>
#include <vector>

namespace kiln::cost {

/// One layer cut out of a model.
struct KernelCase {
  /// Canonical text of the kernel: equal for layers of equal work.
  std::string key;
  std::string opName;
  /// "<model>:<layer name>" of the first layer it was cut from.
  std::string source;
  /// A module holding `func.func @kernel`.
  mlir::OwningOpRef<mlir::ModuleOp> module;
};

/// Cuts one layer into a kernel; nullopt for a layer that moves nothing (a
/// view) or reads computed integer tensors (indices whose valid values
/// random data would not respect).
std::optional<KernelCase> cutKernel(mlir::Operation *op,
                                    llvm::StringRef modelName);

/// Cuts every layer (nn op directly in `entry`) into a kernel, deduplicated
/// by key, in program order. Layers that move nothing (views) and layers
/// reading computed integer tensors (indices whose valid values random
/// data would not respect) are skipped.
std::vector<KernelCase> extractKernels(mlir::func::FuncOp entry,
                                       llvm::StringRef modelName);

/// The same kernel computing in `precision` ("f16", "bf16"): every f32 type
/// in it becomes that type. Nullopt when the result does not parse or
/// verify (an op that does not take the type).
std::optional<KernelCase> convertKernelPrecision(const KernelCase &kernel,
                                                 llvm::StringRef precision);

/// The one op of a kernel module.
mlir::Operation *getKernelOp(mlir::ModuleOp kernel);

/// Canonical text of a schedule: "tile=32,32,0;vec=512;par=1".
std::string printSchedule(const Schedule &schedule);

/// The CPU pipeline options realizing `schedule`.
CpuScheduleOptions toCpuOptions(const Schedule &schedule);

/// A kernel's measured time.
struct Timing {
  double medianSeconds = 0;
  /// (75th - 25th percentile) / median.
  double spread = 0;
  int64_t repeats = 0;
};

/// Compiles a copy of `kernel` for this CPU under `schedule`, runs it once
/// to warm up and then repeatedly for about `seconds` (at least 3 and at
/// most 1000 runs) on seeded random inputs.
llvm::Expected<Timing> measureKernel(mlir::ModuleOp kernel,
                                     const Schedule &schedule, double seconds);

} // namespace kiln::cost

#endif // KILN_COSTMODEL_KERNELBENCH_H
