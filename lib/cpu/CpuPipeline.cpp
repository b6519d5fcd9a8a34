//===- CpuPipeline.cpp - nn to LLVM for the host CPU
//-----------------------===//
//
// nn is lowered to linalg on tensors, bufferized with function boundaries
// (results become caller-allocated out-parameters, temporaries are freed),
// then taken through loops to the LLVM dialect; f32 matrix products and
// convolutions call the hand-written kernels of lib/cpu/kiln_gemm.c and
// lib/cpu/kiln_conv.c.
// Correctness comes first; the schedule knobs (CpuScheduleOptions) let the cost
// model time one kernel under several loop tilings and vector widths.
//
//===----------------------------------------------------------------------===//

#include "kiln/cpu/CpuPipeline.h"

#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

/// The part of the pipeline that runs on nn and linalg on tensors.
static constexpr llvm::StringLiteral kTensorStages =
    "nn-to-linalg,"
    "canonicalize,"
    // One loop nest per chain of elementwise ops, with long inner loops.
    "kiln-fuse-elementwise,"
    "canonicalize,";

/// Bufferization, up to memrefs with linalg ops on them.
static constexpr llvm::StringLiteral kBufferStages =
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map},"
    "buffer-results-to-out-params{modify-public-functions "
    "hoist-static-allocs},"
    "buffer-deallocation-pipeline,"
    // Weights as flat arrays: LLVM builds nested ones row by row.
    "kiln-flatten-memref-globals,"
    "convert-bufferization-to-memref,";

/// Contractions become calls to Kiln's hand-written kernels.
static constexpr llvm::StringLiteral kMicrokernelStages =
    "kiln-cpu-microkernels,";

/// Large generated loops run on the kernels' thread pool.
static constexpr llvm::StringLiteral kParallelStages =
    "kiln-parallelize-loops,";

/// The rest, from linalg on memrefs to the LLVM dialect.
static constexpr llvm::StringLiteral kLoopStages =
    "func.func(convert-linalg-to-loops),"
    // f32 exp/tanh/erf as polynomials the loop vectorizer can handle.
    "kiln-approximate-math,"
    // math.ipowi (integer nn.pow) has no LLVM lowering: expand it.
    "convert-math-to-funcs,"
    // expand-strided-metadata creates affine.apply: lower it after.
    "expand-strided-metadata,"
    "lower-affine,"
    "convert-scf-to-cf,"
    // Allocations go to kiln_runtime_support.c, which reuses large blocks.
    "finalize-memref-to-llvm{use-generic-functions},"
    "convert-math-to-llvm,"
    "convert-math-to-libm,"
    "convert-arith-to-llvm,"
    "convert-cf-to-llvm,"
    "convert-func-to-llvm,"
    "convert-ub-to-llvm,"
    "reconcile-unrealized-casts";

llvm::StringRef kiln::getCpuLoweringPipeline() {
  static const std::string pipeline =
      (llvm::Twine(kTensorStages) + kBufferStages + kMicrokernelStages +
       kParallelStages + kLoopStages)
          .str();
  return pipeline;
}

LogicalResult
kiln::buildCpuLoweringPipeline(OpPassManager &pm,
                               const CpuScheduleOptions &options) {
  std::string pipeline = kTensorStages.str();
  if (!options.tileSizes.empty()) {
    // Canonicalization folds the loops that run once (a tile size at least
    // the dimension) and the slices of whole tensors.
    std::string sizes;
    llvm::raw_string_ostream os(sizes);
    llvm::interleave(options.tileSizes, os, ",");
    pipeline += "kiln-tile-linalg{tile-sizes=" + sizes + "},canonicalize,";
  }
  pipeline += kBufferStages;
  if (options.microkernels)
    pipeline += kMicrokernelStages;
  pipeline += kParallelStages;
  pipeline += kLoopStages;
  return parsePassPipeline(pipeline, pm, llvm::errs());
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
