//===- InitAllPasses.h - register every Kiln pass ---------------*- C++ -*-===//
//
// One call that registers every Kiln pass with the global pass registry
// (for kiln-opt's command line and textual pass pipelines).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_INITALLPASSES_H
#define KILN_INITALLPASSES_H

#include "kiln/passes/fusion/Passes.h"

namespace kiln {

/// Registers all Kiln passes.
inline void registerAllPasses() { registerKilnFusionPasses(); }

} // namespace kiln

#endif // KILN_INITALLPASSES_H
