//===- kiln-translate.cpp - Kiln's translation driver ---------------------===//
//
// Converts between MLIR and other formats: MLIR's own translations (for
// example --mlir-to-llvmir) and Kiln's importers, registered in
// registerKilnTranslations. Today that is --import-onnx (an ONNX model file
// to the nn dialect, with --onnx-bind-input to specialize shape-like graph
// inputs to constants) and --import-torch (a TorchScript file, with
// --input-shape per tensor input); the HLS C++ emitter registers here when
// it is added.
//
//===----------------------------------------------------------------------===//

#include "kiln/onnx/ImportOnnx.h"
#include "kiln/support/LoadModel.h"
#include "kiln/torch/ImportTorch.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/InitAllTranslations.h"
#include "mlir/Support/LogicalResult.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

static llvm::cl::list<std::string> onnxBindInputs(
    "onnx-bind-input",
    llvm::cl::desc("With --import-onnx: replace the graph input <name> by the "
                   "constant TensorProto stored in <file>"),
    llvm::cl::value_desc("name=file"));

static llvm::cl::list<std::string> torchInputShapes(
    "input-shape",
    llvm::cl::desc("The type of the next model input, such as "
                   "1x3x224x224xf32 (element types f32, f64, f16, bf16, i64, "
                   "i32, i8, i1; f32 when omitted), one per input in order: "
                   "required by --import-torch; with --import-onnx it fixes "
                   "dynamic dimensions"),
    llvm::cl::value_desc("shape"));

/// Parses the --input-shape specs into importer options; reports and returns
/// failure on a malformed one.
static mlir::LogicalResult readInputShapes(mlir::MLIRContext &context,
                                           kiln::OnnxImportOptions &onnx,
                                           kiln::TorchImportOptions &torch) {
  if (llvm::Error error =
          kiln::addInputShapes(torchInputShapes, context, onnx, torch)) {
    llvm::WithColor::error() << llvm::toString(std::move(error)) << "\n";
    return mlir::failure();
  }
  return mlir::success();
}

/// Reads the --onnx-bind-input files into importer options; reports and
/// returns failure when one cannot be read.
static mlir::LogicalResult readBoundInputs(kiln::OnnxImportOptions &options) {
  for (llvm::StringRef binding : onnxBindInputs) {
    auto [name, path] = binding.split('=');
    if (name.empty() || path.empty()) {
      llvm::WithColor::error()
          << "--onnx-bind-input expects name=file, got '" << binding << "'\n";
      return mlir::failure();
    }
    auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
    if (!buffer) {
      llvm::WithColor::error()
          << path << ": " << buffer.getError().message() << "\n";
      return mlir::failure();
    }
    options.constantInputs[name] = (*buffer)->getBuffer().str();
  }
  return mlir::success();
}

/// Registers Kiln's own translations beside MLIR's.
static void registerKilnTranslations() {
  static mlir::TranslateToMLIRRegistration importOnnx(
      "import-onnx", "Import an ONNX model (opsets 1-17) into the nn dialect",
      [](llvm::SourceMgr &sourceMgr,
         mlir::MLIRContext *context) -> mlir::OwningOpRef<mlir::Operation *> {
        // The importer reports at no location (an ONNX file has no lines);
        // print those diagnostics as plain `error: <file>: ...` lines.
        mlir::ScopedDiagnosticHandler plainErrors(
            context, [](mlir::Diagnostic &diagnostic) {
              if (!llvm::isa<mlir::UnknownLoc>(diagnostic.getLocation()))
                return mlir::failure();
              auto &os =
                  diagnostic.getSeverity() == mlir::DiagnosticSeverity::Error
                      ? llvm::WithColor::error()
                      : llvm::WithColor::warning();
              os << diagnostic.str() << "\n";
              return mlir::success();
            });
        kiln::OnnxImportOptions options;
        if (failed(readBoundInputs(options)))
          return nullptr;
        kiln::TorchImportOptions unusedTorchOptions;
        if (failed(readInputShapes(*context, options, unusedTorchOptions)))
          return nullptr;
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        return kiln::importOnnxModelFromBuffer(buffer->getBuffer(),
                                               buffer->getBufferIdentifier(),
                                               *context, options);
      },
      kiln::registerOnnxImportDialects);

  static mlir::TranslateToMLIRRegistration importTorch(
      "import-torch",
      "Import a TorchScript model (torch.jit.save) into the nn dialect",
      [](llvm::SourceMgr &sourceMgr,
         mlir::MLIRContext *context) -> mlir::OwningOpRef<mlir::Operation *> {
        mlir::ScopedDiagnosticHandler plainErrors(
            context, [](mlir::Diagnostic &diagnostic) {
              if (!llvm::isa<mlir::UnknownLoc>(diagnostic.getLocation()))
                return mlir::failure();
              llvm::WithColor::error() << diagnostic.str() << "\n";
              return mlir::success();
            });
        kiln::TorchImportOptions options;
        kiln::OnnxImportOptions unusedOnnxOptions;
        if (failed(readInputShapes(*context, unusedOnnxOptions, options)))
          return nullptr;
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        return kiln::importTorchScriptModelFromBuffer(
            buffer->getBuffer(), buffer->getBufferIdentifier(), *context,
            options);
      },
      kiln::registerTorchImportDialects);
}

int main(int argc, char **argv) {
  mlir::registerAllTranslations();
  registerKilnTranslations();
  return mlir::failed(mlir::mlirTranslateMain(
      argc, argv, "Kiln translation driver: imports and exports models\n"));
}
