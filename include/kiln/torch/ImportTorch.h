//===- ImportTorch.h - TorchScript model to nn dialect importer -*- C++ -*-===//
//
// Entry points of Kiln's PyTorch frontend: a TorchScript file (`.pt`, saved
// by torch.jit.save from a traced or scripted module) is loaded with LibTorch,
// frozen (parameters become constants), inlined and cleaned up by LibTorch's
// own passes, and its `forward` becomes one `func.func` of `nn` ops. Tensor
// inputs need their types from the caller (TorchScript records none); each
// argument and result carries a `kiln.name` attribute. Problems are reported
// as one error line through the context's diagnostic handler, naming the
// `aten::` op, its schema and the source location TorchScript recorded, and
// the import returns null.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TORCH_IMPORTTORCH_H
#define KILN_TORCH_IMPORTTORCH_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace mlir {
class DialectRegistry;
class MLIRContext;
} // namespace mlir

namespace kiln {

/// Options of the TorchScript importer.
struct TorchImportOptions {
  /// Types of the forward method's tensor inputs, in order.
  llvm::SmallVector<mlir::RankedTensorType> inputTypes;
};

/// Adds the dialects the importer produces (nn, func) to `registry`.
void registerTorchImportDialects(mlir::DialectRegistry &registry);

/// Parses an input shape such as `1x3x224x224xf32` (sizes, then an element
/// type: f32, f64, f16, bf16, i64, i32, i8, i1); a bare `1x3x224x224` means
/// f32. Returns null and sets `error` when `spec` is malformed.
mlir::RankedTensorType parseInputShape(llvm::StringRef spec,
                                       mlir::MLIRContext *context,
                                       std::string &error);

/// Imports the TorchScript model in the file at `path`. Returns null after
/// emitting an error through `context` when the file cannot be loaded, is not
/// a TorchScript module with a `forward` method, or uses something the nn
/// dialect cannot express.
mlir::OwningOpRef<mlir::ModuleOp>
importTorchScriptModel(llvm::StringRef path, mlir::MLIRContext &context,
                       const TorchImportOptions &options);

/// Imports a TorchScript file held in memory; `fileName` names it in
/// diagnostics.
mlir::OwningOpRef<mlir::ModuleOp> importTorchScriptModelFromBuffer(
    llvm::StringRef bytes, llvm::StringRef fileName, mlir::MLIRContext &context,
    const TorchImportOptions &options);

} // namespace kiln

#endif // KILN_TORCH_IMPORTTORCH_H
