//===- Passes.h - fusion and folding passes ---------------------*- C++ -*-===//
//
// Declares the passes of passes/fusion and their registration.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_FUSION_PASSES_H
#define KILN_PASSES_FUSION_PASSES_H

#include "kiln/dialects/nn/NNDialect.h"

#include "mlir/Pass/Pass.h"

namespace kiln {

#define GEN_PASS_DECL
#include "passes/fusion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/fusion/Passes.h.inc"

} // namespace kiln

#endif // KILN_PASSES_FUSION_PASSES_H
