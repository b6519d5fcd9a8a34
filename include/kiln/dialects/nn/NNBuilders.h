//===- NNBuilders.h - checked construction of nn ops ------------*- C++ -*-===//
//
// The frontends (ONNX, TorchScript) build nn ops from operands whose shapes
// come from user files. Building through buildVerifiedOp runs the op's type
// inference and verifier first, so a shape the op rejects becomes a message
// the frontend turns into its one error line, instead of an assertion.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_NN_NNBUILDERS_H
#define KILN_DIALECTS_NN_NNBUILDERS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OperationSupport.h"

#include <optional>
#include <string>

namespace kiln::nn {

/// The signature of an op's generated `inferReturnTypes`.
using InferReturnTypesFn = llvm::LogicalResult (*)(
    mlir::MLIRContext *, std::optional<mlir::Location>, mlir::ValueRange,
    mlir::DictionaryAttr, mlir::OpaqueProperties, mlir::RegionRange,
    llvm::SmallVectorImpl<mlir::Type> &);

/// Creates the one-result op described by `state` at `builder`'s insertion
/// point, inferring its result type with `infer` when given (else `state`
/// holds it), and verifies it. On failure nothing is left in the IR, null is
/// returned and `message` holds the first diagnostic (possibly empty).
mlir::Operation *buildVerifiedOp(mlir::OpBuilder &builder,
                                 mlir::OperationState &state,
                                 InferReturnTypesFn infer,
                                 std::string &message);

/// Returns a rank-0 dense attribute holding `value` in `elementType` (a float
/// or signless/unsigned integer type; integers truncate toward zero), or
/// null for other element types.
mlir::DenseElementsAttr getScalarAttr(mlir::Type elementType, double value);

} // namespace kiln::nn

#endif // KILN_DIALECTS_NN_NNBUILDERS_H
