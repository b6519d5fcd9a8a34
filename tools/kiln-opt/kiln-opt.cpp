//===- kiln-opt.cpp - Kiln's opt-style driver
//-------------------------------===//
//
// Parses MLIR, runs a pass pipeline and prints the result, with every
// upstream dialect and pass plus Kiln's. Out-of-tree passes load with
// --load-pass-plugin=lib.so and may use Kiln's dialects: the tool exports its
// symbols for them.
//
//===----------------------------------------------------------------------===//

#include "kiln/InitAllDialects.h"
#include "kiln/InitAllPasses.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  kiln::registerAllPasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  kiln::registerAllDialects(registry);

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "Kiln optimizer driver: runs MLIR and Kiln passes\n",
      registry));
}
