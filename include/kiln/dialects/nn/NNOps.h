//===- NNOps.h - nn dialect operations --------------------------*- C++ -*-===//
//
// Declares the nn ops generated from ODS, plus the shared helpers their
// generated code calls.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_NN_NNOPS_H
#define KILN_DIALECTS_NN_NNOPS_H

#include "kiln/dialects/nn/NNDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace kiln::nn {
/// Infers the result type of a broadcasting binary op: the broadcast shape of
/// both operands with their (shared) element type. Reports through `loc`.
llvm::LogicalResult
inferBroadcastBinaryType(std::optional<mlir::Location> loc, mlir::Type lhs,
                         mlir::Type rhs,
                         llvm::SmallVectorImpl<mlir::Type> &inferred);

/// Infers the result type of a broadcasting comparison or logical op: the
/// broadcast shape of both operands with element type i1. The operands must
/// share an element type. Reports through `loc`.
llvm::LogicalResult
inferBroadcastCompareType(std::optional<mlir::Location> loc, mlir::Type lhs,
                          mlir::Type rhs,
                          llvm::SmallVectorImpl<mlir::Type> &inferred);

/// Infers the result type of an elementwise test (isnan, isinf): the
/// operand's shape with element type i1.
llvm::LogicalResult
inferUnaryTestType(std::optional<mlir::Location> loc, mlir::Type input,
                   llvm::SmallVectorImpl<mlir::Type> &inferred);

/// Infers the result type of a reduction of `input` over `axes` (the shared
/// inferReturnTypes of the nn.reduce_* ops).
llvm::LogicalResult
inferReduceType(std::optional<mlir::Location> loc, mlir::Value input,
                llvm::ArrayRef<int64_t> axes, bool keepDims,
                llvm::SmallVectorImpl<mlir::Type> &inferred);

/// Infers the i64 index result of nn.argmax / nn.argmin over `axis`.
llvm::LogicalResult
inferArgReduceType(std::optional<mlir::Location> loc, mlir::Value input,
                   int64_t axis, bool keepDims,
                   llvm::SmallVectorImpl<mlir::Type> &inferred);
} // namespace kiln::nn

#define GET_OP_CLASSES
#include "dialects/nn/NNOps.h.inc"

#endif // KILN_DIALECTS_NN_NNOPS_H
