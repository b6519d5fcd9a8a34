//===- LoadModel.h - read a model file as an nn module ----------*- C++ -*-===//
//
// One entry point for the tools: a model path in, an nn module out, chosen by
// file extension (.onnx through the ONNX importer, .mlir parsed as is), and
// the diagnostic printing the tools share.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_SUPPORT_LOADMODEL_H
#define KILN_SUPPORT_LOADMODEL_H

#include "kiln/onnx/ImportOnnx.h"
#include "kiln/torch/ImportTorch.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"

namespace kiln {

/// Loads the model at `path`: `.onnx` (with `onnxOptions`), `.pt` TorchScript
/// (with `torchOptions`, which must give every input's type) or `.mlir`.
/// Returns null after reporting the problem through `context`'s diagnostics.
mlir::OwningOpRef<mlir::ModuleOp>
loadModel(llvm::StringRef path, mlir::MLIRContext &context,
          const OnnxImportOptions &onnxOptions = {},
          const TorchImportOptions &torchOptions = {});

/// Parses `--input-shape` specs ("1x3x224x224xf32", one per model input, in
/// order) into the input types of both importers: TorchScript needs them,
/// ONNX fixes dynamic dimensions with them. The error names the bad spec.
llvm::Error addInputShapes(llvm::ArrayRef<std::string> specs,
                           mlir::MLIRContext &context,
                           OnnxImportOptions &onnxOptions,
                           TorchImportOptions &torchOptions);

/// Prints diagnostics reported at no location as one plain line,
/// "<tool>: error: <message>" (an ONNX file has no line to point at); the
/// others go on to the handler installed before this one.
class PlainDiagnosticHandler : public mlir::ScopedDiagnosticHandler {
public:
  PlainDiagnosticHandler(mlir::MLIRContext *context, llvm::StringRef tool);
};

} // namespace kiln

#endif // KILN_SUPPORT_LOADMODEL_H
