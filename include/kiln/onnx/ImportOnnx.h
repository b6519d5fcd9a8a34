//===- ImportOnnx.h - ONNX model to nn dialect importer ---------*- C++ -*-===//
//
// Entry points of Kiln's ONNX frontend: an ONNX model file (opsets 1-17 of
// the default domain) becomes a module holding one `func.func` of `nn` ops.
// Graph inputs that are not initializers become the function's arguments and
// graph outputs its results, each carrying its ONNX name as a `kiln.name`
// argument/result attribute. Anything the importer cannot represent is
// reported as one error line through the context's diagnostic handler, in the
// form `<file>: node '<name>' (<OpType>, opset <N>): <what>`, and the import
// returns null.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_ONNX_IMPORTONNX_H
#define KILN_ONNX_IMPORTONNX_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace mlir {
class DialectRegistry;
class MLIRContext;
} // namespace mlir

namespace kiln {

/// Name of the argument and result attribute that keeps a graph input's or
/// output's ONNX name.
inline constexpr llvm::StringLiteral kOnnxNameAttr = "kiln.name";

/// Options of the ONNX importer.
struct OnnxImportOptions {
  /// Graph inputs to replace by constants, by ONNX name: each value is a
  /// serialized TensorProto (such as an `input_N.pb` of ONNX's test data).
  /// Shape-like inputs (a Reshape's shape, a Slice's starts) must be
  /// constants for the nn dialect; binding them specializes the model.
  llvm::StringMap<std::string> constantInputs;
  /// Values of graph inputs known when the model is compiled (kiln-run knows
  /// them from its input files), by position among the graph inputs that are
  /// not initializers; each is a serialized TensorProto, or empty when
  /// unknown. Unlike constantInputs these stay function arguments and every
  /// computation on them stays in the compiled code: only an operand that the
  /// nn dialect needs at compile time (a Reshape's shape, a Slice's starts, a
  /// sequence position, a Range's bounds) is read from here, which
  /// specializes the model to that value. The module's
  /// `kiln.specialized_inputs` attribute lists the inputs used so.
  std::vector<std::string> knownInputs;
  /// Types for the graph inputs that are not initializers, by position (a
  /// null type leaves an input as declared): a dynamic dimension takes the
  /// given size; the element type, rank and static sizes must match the
  /// declaration, else the import fails naming the input. This is how
  /// `--input-shape` fixes a dynamic batch size.
  std::vector<mlir::RankedTensorType> inputTypes;
};

/// Name of the module attribute listing the graph inputs whose values the
/// compiled model was specialized to (see OnnxImportOptions::knownInputs).
inline constexpr llvm::StringLiteral kSpecializedInputsAttr =
    "kiln.specialized_inputs";

/// Adds the dialects the importer produces (nn, func, quant) to `registry`.
void registerOnnxImportDialects(mlir::DialectRegistry &registry);

/// Imports the ONNX model in the file at `path`. Returns null after emitting
/// an error through `context` when the file cannot be read, is not a valid
/// ONNX model, or uses something the nn dialect cannot express.
mlir::OwningOpRef<mlir::ModuleOp>
importOnnxModel(llvm::StringRef path, mlir::MLIRContext &context,
                const OnnxImportOptions &options = {});

/// Imports a serialized ONNX ModelProto held in memory; `fileName` names it in
/// diagnostics and locations.
mlir::OwningOpRef<mlir::ModuleOp>
importOnnxModelFromBuffer(llvm::StringRef bytes, llvm::StringRef fileName,
                          mlir::MLIRContext &context,
                          const OnnxImportOptions &options = {});

} // namespace kiln

#endif // KILN_ONNX_IMPORTONNX_H
