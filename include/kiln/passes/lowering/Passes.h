//===- Passes.h - lowering passes -------------------------------*- C++ -*-===//
//
// Declares the passes of passes/lowering (nn-to-linalg) and their
// registration.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_LOWERING_PASSES_H
#define KILN_PASSES_LOWERING_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace kiln {

#define GEN_PASS_DECL
#include "passes/lowering/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/lowering/Passes.h.inc"

} // namespace kiln

#endif // KILN_PASSES_LOWERING_PASSES_H
