//===- CpuPipeline.cpp - nn to LLVM for the host CPU
//-----------------------===//
//
// nn is lowered to linalg on tensors, bufferized with function boundaries
// (results become caller-allocated out-parameters, temporaries are freed),
// then taken through loops to the LLVM dialect. Correctness comes first;
// tiling, vectorization and threading are added by the CPU-speed work.
//
//===----------------------------------------------------------------------===//

#include "kiln/cpu/CpuPipeline.h"

#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

llvm::StringRef kiln::getCpuLoweringPipeline() {
  return "nn-to-linalg,"
         "canonicalize,"
         "one-shot-bufferize{bufferize-function-boundaries "
         "function-boundary-type-conversion=identity-layout-map},"
         "buffer-results-to-out-params{modify-public-functions "
         "hoist-static-allocs},"
         "buffer-deallocation-pipeline,"
         // Weights as flat arrays: LLVM builds nested ones row by row.
         "kiln-flatten-memref-globals,"
         "convert-bufferization-to-memref,"
         "func.func(convert-linalg-to-loops),"
         // math.ipowi (integer nn.pow) has no LLVM lowering: expand it.
         "convert-math-to-funcs,"
         // expand-strided-metadata creates affine.apply: lower it after.
         "expand-strided-metadata,"
         "lower-affine,"
         "convert-scf-to-cf,"
         "finalize-memref-to-llvm,"
         "convert-math-to-llvm,"
         "convert-math-to-libm,"
         "convert-arith-to-llvm,"
         "convert-cf-to-llvm,"
         "convert-func-to-llvm,"
         "convert-ub-to-llvm,"
         "reconcile-unrealized-casts";
}

LogicalResult kiln::buildCpuLoweringPipeline(OpPassManager &pm) {
  return parsePassPipeline(getCpuLoweringPipeline(), pm, llvm::errs());
}

void kiln::registerCpuPipelines() {
  PassPipelineRegistration<>(
      "kiln-lower-to-cpu",
      "Lower nn on tensors to the LLVM dialect for the host CPU",
      [](OpPassManager &pm) {
        if (failed(buildCpuLoweringPipeline(pm)))
          llvm::report_fatal_error("kiln-lower-to-cpu pipeline is malformed");
      });
}
