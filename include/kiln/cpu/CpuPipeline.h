//===- CpuPipeline.h - nn to LLVM for the host CPU ---------------*- C++
//-*-===//
//
// The pass pipeline that takes a module of nn ops on tensors to the LLVM
// dialect for the host CPU, and its registration as the named kiln-opt
// pipeline `kiln-lower-to-cpu`.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CPU_CPUPIPELINE_H
#define KILN_CPU_CPUPIPELINE_H

#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/SmallVector.h"

namespace kiln {

/// How the CPU pipeline schedules kernels; the defaults are today's behaviour.
struct CpuScheduleOptions {
  /// Tile sizes for every linalg op (kiln-tile-linalg), outermost loop
  /// first; empty: untiled.
  llvm::SmallVector<int64_t> tileSizes;
  /// Preferred vector width in bits for LLVM's vectorizers (the function
  /// attribute "prefer-vector-width"); 0: the host's default preference.
  int64_t vectorBits = 0;
  /// Call the hand-written kernels (kiln-cpu-microkernels) for f32 matrix
  /// products and convolutions instead of generating their loops.
  bool microkernels = true;
};

/// Returns the textual form of the CPU lowering pipeline (for --help and
/// for reproducing a compilation with kiln-opt).
llvm::StringRef getCpuLoweringPipeline();

/// Appends the CPU lowering pipeline to `pm`, which must run on a module.
/// Entry functions end up taking their results as trailing out-parameters
/// (caller-allocated memrefs) instead of returning them. Non-default
/// `options.tileSizes` add kiln-tile-linalg on tensors, before
/// bufferization; `options.vectorBits` only matters to LLVM (see
/// CpuExecutable::compile and lowerToHostLLVMIR).
llvm::LogicalResult
buildCpuLoweringPipeline(mlir::OpPassManager &pm,
                         const CpuScheduleOptions &options = {});

/// Registers `kiln-lower-to-cpu` with the global pass-pipeline registry.
void registerCpuPipelines();

} // namespace kiln

#endif // KILN_CPU_CPUPIPELINE_H
