//===- kiln-translate.cpp - Kiln's translation driver
//-----------------------===//
//
// Converts between MLIR and other formats. Today it offers MLIR's own
// translations (for example --mlir-to-llvmir); Kiln's importers (ONNX,
// TorchScript) and emitters (HLS C++) register here as they are added, in
// kiln::registerAllTranslations.
//
//===----------------------------------------------------------------------===//

#include "mlir/InitAllTranslations.h"
#include "mlir/Support/LogicalResult.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mlir::registerAllTranslations();
  return mlir::failed(mlir::mlirTranslateMain(
      argc, argv, "Kiln translation driver: imports and exports models\n"));
}
