//===- LoweringUtils.h - shared nn-to-linalg helpers ------------*- C++ -*-===//
//
// Private to passes/lowering: the building blocks every nn-to-linalg pattern
// family uses: diagnostics for ops that cannot be lowered, constant-folding
// index arithmetic, tensor creation, NumPy broadcasting into elementwise
// linalg.generic ops (with run-time handling of dynamic size-1 dimensions),
// reshapes through tensor.collapse_shape / tensor.expand_shape, and
// reductions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_LOWERING_LOWERINGUTILS_H
#define KILN_PASSES_LOWERING_LOWERINGUTILS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Transforms/DialectConversion.h"

namespace kiln::lowering {

/// Builds the scalar body of an elementwise computation from the scalar
/// operands (one per tensor input, in order) and returns the result.
using ScalarBuilder = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// Combines a new element with an accumulator in a reduction body.
using CombineBuilder = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::Value element, mlir::Value acc)>;

//===----------------------------------------------------------------------===//
// Diagnostics and types
//===----------------------------------------------------------------------===//

/// Emits "<op name>: <what> not supported by nn-to-linalg" at `op` and
/// returns failure, so that a full conversion never fails silently.
llvm::LogicalResult emitUnsupported(mlir::Operation *op,
                                    const llvm::Twine &what);

/// Converts `type` (a result or operand type of an nn op) and returns it as
/// a ranked tensor type, or null when the converter cannot convert it.
mlir::RankedTensorType convertTensorType(const mlir::TypeConverter *converter,
                                         mlir::Type type);

/// Returns true for the `i1` boolean element type, which orders as unsigned
/// (false < true) in max, min and clamps.
bool isBoolType(mlir::Type type);

/// Returns true when `type` (a tensor, or a scalar) has an unsigned integer
/// element type (`ui8`..`ui64`). The type converter makes those signless, so
/// a pattern asks this of the nn op's own (unconverted) types and picks the
/// unsigned arith op (divui, remui, maxui, cmpi ult, extui, uitofp, ...).
bool hasUnsignedElements(mlir::Type type);

//===----------------------------------------------------------------------===//
// Index arithmetic that folds constant operands
//===----------------------------------------------------------------------===//

mlir::OpFoldResult addIndex(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::OpFoldResult lhs, mlir::OpFoldResult rhs);
mlir::OpFoldResult subIndex(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::OpFoldResult lhs, mlir::OpFoldResult rhs);
mlir::OpFoldResult mulIndex(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::OpFoldResult lhs, mlir::OpFoldResult rhs);
/// Division rounding toward negative infinity.
mlir::OpFoldResult floorDivIndex(mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::OpFoldResult lhs,
                                 mlir::OpFoldResult rhs);
mlir::OpFoldResult maxIndex(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::OpFoldResult lhs, mlir::OpFoldResult rhs);
mlir::OpFoldResult minIndex(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::OpFoldResult lhs, mlir::OpFoldResult rhs);
/// Returns the product of `sizes` (1 for none).
mlir::OpFoldResult productIndex(mlir::OpBuilder &b, mlir::Location loc,
                                llvm::ArrayRef<mlir::OpFoldResult> sizes);

//===----------------------------------------------------------------------===//
// Constants and scalars
//===----------------------------------------------------------------------===//

/// Returns `value` as an attribute of the float or integer `elementType`
/// (integers truncate toward zero and wrap to the type's width).
mlir::TypedAttr getScalarAttr(mlir::Type elementType, double value);

/// Creates an arith.constant of the float or integer `elementType`.
mlir::Value createScalarConstant(mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::Type elementType, double value);

/// Returns the identity of a max reduction: -inf for floats, the smallest
/// signed value for integers and false for i1; 0 for integers when
/// `isUnsigned`.
mlir::TypedAttr getLowestValueAttr(mlir::Type elementType,
                                   bool isUnsigned = false);

/// Returns the larger of two scalars: arith.maximumf for floats (NaN
/// propagates), signed for integers, unsigned for i1.
mlir::Value createMax(mlir::OpBuilder &b, mlir::Location loc, mlir::Value lhs,
                      mlir::Value rhs);
/// Returns the smaller of two scalars, with the conventions of createMax.
mlir::Value createMin(mlir::OpBuilder &b, mlir::Location loc, mlir::Value lhs,
                      mlir::Value rhs);
/// createMax, or for `isUnsigned` integers the unsigned maximum.
mlir::Value createMaxBySign(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value lhs, mlir::Value rhs, bool isUnsigned);
/// createMin, or for `isUnsigned` integers the unsigned minimum.
mlir::Value createMinBySign(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value lhs, mlir::Value rhs, bool isUnsigned);

/// Converts an index value to the float type `floatType`.
mlir::Value indexToFloat(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::OpFoldResult index, mlir::Type floatType);

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

/// Returns `value`'s size along each dimension (attributes where static).
llvm::SmallVector<mlir::OpFoldResult>
getTensorSizes(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value);

/// Creates a tensor.empty of `type`, taking each dynamic size from `sizes`.
mlir::Value createEmptyTensor(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::RankedTensorType type,
                              llvm::ArrayRef<mlir::OpFoldResult> sizes);

/// Creates a tensor of `type` filled with the scalar `fill`.
mlir::Value createFilledTensor(mlir::OpBuilder &b, mlir::Location loc,
                               mlir::RankedTensorType type,
                               llvm::ArrayRef<mlir::OpFoldResult> sizes,
                               mlir::Value fill);

/// Pads `value` with the scalar `padValue`, by `low` before and `high` after
/// each dimension; returns `value` when every amount is 0.
mlir::Value padTensor(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value,
                      llvm::ArrayRef<mlir::OpFoldResult> low,
                      llvm::ArrayRef<mlir::OpFoldResult> high,
                      mlir::Value padValue);

/// Returns `count` parallel iterator types.
llvm::SmallVector<mlir::utils::IteratorType>
getParallelIterators(int64_t count);

//===----------------------------------------------------------------------===//
// Broadcasting
//===----------------------------------------------------------------------===//

/// Returns the sizes of `resultType`, computing each dynamic one at run time
/// as the NumPy broadcast of the operands' aligned sizes (`operandSizes`, one
/// list per operand; missing leading dimensions count as 1).
llvm::SmallVector<mlir::OpFoldResult> computeBroadcastSizes(
    mlir::OpBuilder &b, mlir::Location loc,
    llvm::ArrayRef<llvm::SmallVector<mlir::OpFoldResult>> operandSizes,
    mlir::RankedTensorType resultType);

/// Creates a linalg.generic that computes `body` elementwise over
/// `operands`, broadcast together as in NumPy into `resultType`. A static
/// size-1 dimension reads element 0; a dynamic dimension that may be 1 while
/// the result is larger is expanded at run time (scf.if) first.
/// `resultSizes` gives the result's sizes when the operands alone do not
/// determine them (otherwise they are computed from the operands).
mlir::Value
createElementwiseOp(mlir::OpBuilder &b, mlir::Location loc,
                    mlir::RankedTensorType resultType,
                    mlir::ValueRange operands, ScalarBuilder body,
                    llvm::ArrayRef<mlir::OpFoldResult> resultSizes = {});

/// Creates a linalg.generic with parallel iterators over `resultType` (of
/// sizes `resultSizes`) that reads `inputs` through `inputMaps` and yields
/// `body` of their elements.
mlir::Value createMappedGeneric(mlir::OpBuilder &b, mlir::Location loc,
                                mlir::RankedTensorType resultType,
                                llvm::ArrayRef<mlir::OpFoldResult> resultSizes,
                                mlir::ValueRange inputs,
                                llvm::ArrayRef<mlir::AffineMap> inputMaps,
                                ScalarBuilder body);

/// Returns the map from `rank` loop dimensions to those not in `dropped`.
mlir::AffineMap getMapDroppingDims(mlir::MLIRContext *context, int64_t rank,
                                   llvm::ArrayRef<int64_t> dropped);

/// Returns the map from `rank` loop dimensions to those in `kept`, in order.
mlir::AffineMap getMapKeepingDims(mlir::MLIRContext *context, int64_t rank,
                                  llvm::ArrayRef<int64_t> kept);

/// Broadcasts `value` to `targetType` with sizes `targetSizes` (NumPy rules,
/// leading dimensions added); returns `value` when nothing changes.
mlir::Value broadcastToShape(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value value,
                             mlir::RankedTensorType targetType,
                             llvm::ArrayRef<mlir::OpFoldResult> targetSizes);

//===----------------------------------------------------------------------===//
// Reshapes
//===----------------------------------------------------------------------===//

/// Reshapes `value` (row-major element order) to `resultType`, through
/// tensor.collapse_shape / tensor.expand_shape: directly when the shapes are
/// static and one refines the other, otherwise through a 1-D tensor; a
/// result with several dynamic sizes uses tensor.reshape. `resultSizes`
/// gives the result's sizes (required for several dynamic sizes); when
/// empty, the single dynamic result size (if any) is the element count
/// divided by the product of the static ones.
mlir::Value reshapeTensor(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value value, mlir::RankedTensorType resultType,
                          llvm::ArrayRef<mlir::OpFoldResult> resultSizes = {});

/// Creates a tensor.expand_shape of `value` to `resultType`, whose output
/// shape takes each dynamic size from `sizes`.
mlir::Value
createExpandShape(mlir::OpBuilder &b, mlir::Location loc,
                  mlir::RankedTensorType resultType, mlir::Value value,
                  llvm::ArrayRef<mlir::ReassociationIndices> reassociation,
                  llvm::ArrayRef<mlir::OpFoldResult> sizes);

/// Collapses the contiguous dimensions [first, last] of `value` into one.
mlir::Value collapseDims(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value value, int64_t first, int64_t last);

/// Reinserts the size-1 dimensions `unitDims` (positions in `resultType`,
/// sorted) into `value`, which has all the other dimensions of `resultType`.
mlir::Value insertUnitDims(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value value, mlir::RankedTensorType resultType,
                           llvm::ArrayRef<int64_t> unitDims);

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// Reduces `input` over the sorted dimensions `dims` with linalg.reduce,
/// starting from `init`; the result drops the reduced dimensions.
mlir::Value createReduction(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value input, llvm::ArrayRef<int64_t> dims,
                            mlir::TypedAttr init, CombineBuilder combine);

/// Returns the scalar adder of `lhs` and `rhs` (addf or addi).
mlir::Value createAdd(mlir::OpBuilder &b, mlir::Location loc, mlir::Value lhs,
                      mlir::Value rhs);

} // namespace kiln::lowering

#endif // KILN_PASSES_LOWERING_LOWERINGUTILS_H
