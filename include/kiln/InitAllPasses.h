//===- InitAllPasses.h - register every Kiln pass ---------------*- C++ -*-===//
//
// One call that registers every Kiln pass and pipeline with the global pass
// registry (for kiln-opt's command line and textual pass pipelines).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_INITALLPASSES_H
#define KILN_INITALLPASSES_H

#include "kiln/cpu/CpuPipeline.h"
#include "kiln/passes/fusion/Passes.h"
#include "kiln/passes/lowering/Passes.h"

namespace kiln {

/// Registers all Kiln passes and named pass pipelines.
inline void registerAllPasses() {
  registerKilnFusionPasses();
  registerKilnLoweringPasses();
  registerCpuPipelines();
}

} // namespace kiln

#endif // KILN_INITALLPASSES_H
