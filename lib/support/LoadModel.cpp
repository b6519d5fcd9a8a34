//===- LoadModel.cpp - read a model file as an nn module ----------------===//
//
// Dispatches on the file extension; prints location-less diagnostics plainly.
//
//===----------------------------------------------------------------------===//

#include "kiln/support/LoadModel.h"
#include "kiln/onnx/ImportOnnx.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"

using namespace kiln;

mlir::OwningOpRef<mlir::ModuleOp>
kiln::loadModel(llvm::StringRef path, mlir::MLIRContext &context,
                const OnnxImportOptions &onnxOptions,
                const TorchImportOptions &torchOptions) {
  llvm::StringRef extension = llvm::sys::path::extension(path);
  if (extension.equals_insensitive(".onnx"))
    return importOnnxModel(path, context, onnxOptions);
  if (extension.equals_insensitive(".pt") ||
      extension.equals_insensitive(".pth"))
    return importTorchScriptModel(path, context, torchOptions);
  if (extension.equals_insensitive(".mlir"))
    return mlir::parseSourceFile<mlir::ModuleOp>(path, &context);
  mlir::emitError(mlir::UnknownLoc::get(&context))
      << path << ": unknown model type (expected .onnx, .pt or .mlir)";
  return nullptr;
}

llvm::Error kiln::addInputShapes(llvm::ArrayRef<std::string> specs,
                                 mlir::MLIRContext &context,
                                 OnnxImportOptions &onnxOptions,
                                 TorchImportOptions &torchOptions) {
  for (const std::string &spec : specs) {
    std::string error;
    mlir::RankedTensorType type = parseInputShape(spec, &context, error);
    if (!type)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "--input-shape " + error);
    torchOptions.inputTypes.push_back(type);
    onnxOptions.inputTypes.push_back(type);
  }
  return llvm::Error::success();
}

PlainDiagnosticHandler::PlainDiagnosticHandler(mlir::MLIRContext *context,
                                               llvm::StringRef tool)
    : ScopedDiagnosticHandler(
          context, [tool = tool.str()](mlir::Diagnostic &diagnostic) {
            if (!llvm::isa<mlir::UnknownLoc>(diagnostic.getLocation()))
              return mlir::failure();
            bool isError =
                diagnostic.getSeverity() == mlir::DiagnosticSeverity::Error;
            (isError ? llvm::WithColor::error(llvm::errs(), tool)
                     : llvm::WithColor::warning(llvm::errs(), tool))
                << diagnostic.str() << "\n";
            return mlir::success();
          }) {}
