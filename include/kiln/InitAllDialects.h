//===- InitAllDialects.h - register every Kiln dialect ----------*- C++ -*-===//
//
// One call that adds every Kiln dialect to a registry, so each tool's main
// stays short and no tool forgets a dialect.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_INITALLDIALECTS_H
#define KILN_INITALLDIALECTS_H

#include "kiln/dialects/nn/NNDialect.h"

#include "mlir/IR/DialectRegistry.h"

namespace kiln {

/// Adds all Kiln dialects to `registry`.
inline void registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<nn::NNDialect>();
}

} // namespace kiln

#endif // KILN_INITALLDIALECTS_H
