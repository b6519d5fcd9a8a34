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

namespace kiln {

/// Returns the textual form of the CPU lowering pipeline (for --help and
/// for reproducing a compilation with kiln-opt).
llvm::StringRef getCpuLoweringPipeline();

/// Appends the CPU lowering pipeline to `pm`, which must run on a module.
/// Entry functions end up taking their results as trailing out-parameters
/// (caller-allocated memrefs) instead of returning them.
llvm::LogicalResult buildCpuLoweringPipeline(mlir::OpPassManager &pm);

/// Registers `kiln-lower-to-cpu` with the global pass-pipeline registry.
void registerCpuPipelines();

} // namespace kiln

#endif // KILN_CPU_CPUPIPELINE_H
