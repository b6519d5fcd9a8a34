//===- NNIndexingOps.cpp - result types of the indexing ops ---------------===//
//
// `inferReturnTypes` for the ops of NNIndexingOps.td: cumsum, gather_nd,
// scatter_elements, scatter_nd and top_k. As for every inferred nn op, the
// function is also the op's shape verifier: operand shapes that do not fit
// together are reported at the op's location. Dynamic dimensions match any
// size; the lowering relies only on what is checked here.
//
//===----------------------------------------------------------------------===//

#include "TypeInferenceUtils.h"
#include "kiln/dialects/nn/NNOps.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace kiln::nn;
using namespace kiln::nn::detail;

namespace {
/// Returns the static size of the last dimension of `indices` (the length of
/// its index tuples), or fails when it is missing or dynamic.
FailureOr<int64_t> getTupleLength(OptLoc loc, RankedTensorType indices) {
  if (indices.getRank() < 1)
    return emitOptionalError(loc, "indices must have rank >= 1");
  int64_t length = indices.getDimSize(indices.getRank() - 1);
  if (ShapedType::isDynamic(length))
    return emitOptionalError(loc,
                             "the last dimension of indices must be static");
  return length;
}
} // namespace

LogicalResult CumsumOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                         Adaptor adaptor,
                                         InferredTypes &inferred) {
  RankedTensorType input = rankedType(adaptor.getInput());
  if (!input)
    return failure();
  if (failed(checkAxis(loc, adaptor.getAxis(), input.getRank())))
    return failure();
  inferred.push_back(input);
  return success();
}

LogicalResult GatherNDOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                           Adaptor adaptor,
                                           InferredTypes &inferred) {
  RankedTensorType data = rankedType(adaptor.getData());
  RankedTensorType indices = rankedType(adaptor.getIndices());
  if (!data || !indices)
    return failure();
  FailureOr<int64_t> length = getTupleLength(loc, indices);
  if (failed(length))
    return failure();
  int64_t batchDims = adaptor.getBatchDims();
  if (batchDims < 0 || batchDims >= std::min(data.getRank(), indices.getRank()))
    return emitOptionalError(loc, "batch_dims ", batchDims,
                             " must be in [0, min(data rank, indices rank))");
  if (*length < 1 || *length > data.getRank() - batchDims)
    return emitOptionalError(loc, "index tuples of length ", *length,
                             " do not fit data of rank ", data.getRank(),
                             " with ", batchDims, " batch dimensions");
  if (!shapesMayMatch(data.getShape().take_front(batchDims),
                      indices.getShape().take_front(batchDims)))
    return emitOptionalError(
        loc, "the batch dimensions of data and indices do not match");
  SmallVector<int64_t> shape(indices.getShape().drop_back());
  llvm::append_range(shape, data.getShape().drop_front(batchDims + *length));
  inferred.push_back(RankedTensorType::get(shape, data.getElementType()));
  return success();
}

LogicalResult ScatterElementsOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                                  Adaptor adaptor,
                                                  InferredTypes &inferred) {
  RankedTensorType data = rankedType(adaptor.getData());
  RankedTensorType indices = rankedType(adaptor.getIndices());
  RankedTensorType updates = rankedType(adaptor.getUpdates());
  if (!data || !indices || !updates)
    return failure();
  int64_t axis = adaptor.getAxis();
  if (failed(checkAxis(loc, axis, data.getRank())))
    return failure();
  if (updates.getElementType() != data.getElementType())
    return emitOptionalError(
        loc, "updates of element type ", updates.getElementType(),
        " do not match data of element type ", data.getElementType());
  if (indices.getRank() != data.getRank())
    return emitOptionalError(loc, "indices of rank ", indices.getRank(),
                             " do not match data of rank ", data.getRank());
  if (!shapesMayMatch(indices.getShape(), updates.getShape()))
    return emitOptionalError(loc,
                             "indices and updates must have the same shape");
  for (int64_t d = 0; d < data.getRank(); ++d) {
    int64_t dataSize = data.getDimSize(d), indexSize = indices.getDimSize(d);
    if (d != axis && !ShapedType::isDynamic(dataSize) &&
        !ShapedType::isDynamic(indexSize) && indexSize > dataSize)
      return emitOptionalError(loc, "indices dimension ", d, " of size ",
                               indexSize, " exceeds the data size ", dataSize);
  }
  if (data.getDimSize(axis) == 0 && indices.getNumElements() != 0)
    return emitOptionalError(loc, "cannot scatter into an empty axis ", axis);
  inferred.push_back(data);
  return success();
}

LogicalResult ScatterNDOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                            Adaptor adaptor,
                                            InferredTypes &inferred) {
  RankedTensorType data = rankedType(adaptor.getData());
  RankedTensorType indices = rankedType(adaptor.getIndices());
  RankedTensorType updates = rankedType(adaptor.getUpdates());
  if (!data || !indices || !updates)
    return failure();
  if (updates.getElementType() != data.getElementType())
    return emitOptionalError(
        loc, "updates of element type ", updates.getElementType(),
        " do not match data of element type ", data.getElementType());
  FailureOr<int64_t> length = getTupleLength(loc, indices);
  if (failed(length))
    return failure();
  if (*length < 1 || *length > data.getRank())
    return emitOptionalError(loc, "index tuples of length ", *length,
                             " do not fit data of rank ", data.getRank());
  SmallVector<int64_t> expected(indices.getShape().drop_back());
  llvm::append_range(expected, data.getShape().drop_front(*length));
  if (!shapesMayMatch(updates.getShape(), expected))
    return emitOptionalError(loc,
                             "updates must have shape indices.shape[:-1] "
                             "+ data.shape[",
                             *length, ":]");
  inferred.push_back(data);
  return success();
}

LogicalResult TopKOp::inferReturnTypes(MLIRContext *context, OptLoc loc,
                                       Adaptor adaptor,
                                       InferredTypes &inferred) {
  RankedTensorType input = rankedType(adaptor.getInput());
  if (!input)
    return failure();
  int64_t axis = adaptor.getAxis(), k = adaptor.getK();
  if (failed(checkAxis(loc, axis, input.getRank())))
    return failure();
  int64_t size = input.getDimSize(axis);
  if (k < 0 || (!ShapedType::isDynamic(size) && k > size))
    return emitOptionalError(loc, "k = ", k, " is out of range for axis ", axis,
                             " of size ", size);
  SmallVector<int64_t> shape(input.getShape());
  shape[axis] = k;
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  inferred.push_back(
      RankedTensorType::get(shape, IntegerType::get(context, 64)));
  return success();
}
