//===- DataMovementPatterns.cpp - constants and data movement to tensor ---===//
//
// Lowers nn.constant to arith.constant and the ops that only move data:
// reshape and flatten (tensor.collapse_shape / expand_shape), transpose
// (linalg.transpose), concat (tensor.concat), slice (tensor.extract_slice,
// then a reversing linalg.generic for dimensions with a negative step), pad
// (tensor.pad for constant padding, a linalg.generic that computes mirrored or
// clamped source indices for reflect / edge) and gather and gather_elements
// (a linalg.generic that reads the index tensor and extracts from the data,
// wrapping negative indices).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "PopulatePatterns.h"

#include "kiln/dialects/nn/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lowering;

namespace {

/// Lowers nn.constant to arith.constant of the same elements. A quantized
/// or unsigned dense_resource constant (whose blob holds the storage
/// integers) becomes one of the signless storage type on the same blob; an
/// unsigned dense constant keeps its bits as the signless type.
struct ConstantLowering : OpConversionPattern<nn::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    Attribute value = op.getValue();
    if (auto resource = dyn_cast<DenseResourceElementsAttr>(value);
        resource && resultType && resource.getType() != resultType)
      value =
          DenseResourceElementsAttr::get(resultType, resource.getRawHandle());
    if (auto dense = dyn_cast<DenseElementsAttr>(value);
        dense && resultType && hasUnsignedElements(dense.getType()))
      value = dense.bitcast(resultType.getElementType());
    auto typed = dyn_cast<TypedAttr>(value);
    if (!resultType || !typed || typed.getType() != resultType)
      return emitUnsupported(op, "a constant of this element type");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, resultType, typed);
    return success();
  }
};

/// Lowers nn.reshape to collapse/expand_shape (see reshapeTensor).
struct ReshapeLowering : OpConversionPattern<nn::ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    rewriter.replaceOp(op, reshapeTensor(rewriter, op.getLoc(),
                                         adaptor.getInput(), resultType));
    return success();
  }
};

/// Lowers nn.flatten to one collapse_shape of the dimensions before and
/// from `axis` (axis 0 or rank adds a unit dimension).
struct FlattenLowering : OpConversionPattern<nn::FlattenOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::FlattenOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Value input = adaptor.getInput();
    int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
    int64_t axis = op.getAxis();
    if (axis > 0 && axis < rank) {
      SmallVector<ReassociationIndices> reassociation(2);
      for (int64_t d = 0; d < rank; ++d)
        reassociation[d < axis ? 0 : 1].push_back(d);
      rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(
          op, resultType, input, reassociation);
      return success();
    }
    SmallVector<OpFoldResult> sizes = getTensorSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> resultSizes = {
        productIndex(rewriter, loc, ArrayRef(sizes).take_front(axis)),
        productIndex(rewriter, loc, ArrayRef(sizes).drop_front(axis))};
    rewriter.replaceOp(
        op, reshapeTensor(rewriter, loc, input, resultType, resultSizes));
    return success();
  }
};

/// Lowers nn.transpose to linalg.transpose.
struct TransposeLowering : OpConversionPattern<nn::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Value input = adaptor.getInput();
    ArrayRef<int64_t> perm = op.getPerm();
    SmallVector<OpFoldResult> sizes = getTensorSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> resultSizes;
    for (int64_t p : perm)
      resultSizes.push_back(sizes[p]);
    Value init = createEmptyTensor(rewriter, loc, resultType, resultSizes);
    Value result = linalg::TransposeOp::create(rewriter, loc, input, init, perm)
                       .getResult()[0];
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Lowers nn.concat to tensor.concat.
struct ConcatLowering : OpConversionPattern<nn::ConcatOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    if (adaptor.getInputs().size() == 1) {
      rewriter.replaceOp(op, adaptor.getInputs().front());
      return success();
    }
    rewriter.replaceOpWithNewOp<tensor::ConcatOp>(
        op, resultType, static_cast<uint64_t>(op.getAxis()),
        adaptor.getInputs());
    return success();
  }
};

/// Lowers nn.slice to tensor.extract_slice; a dimension with a negative
/// step is extracted in increasing order (from its last selected element,
/// with the step's magnitude as stride) and then reversed by a
/// linalg.generic whose input map reads index (size - 1 - i).
struct SliceLowering : OpConversionPattern<nn::SliceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType || !resultType.hasStaticShape())
      return emitUnsupported(op, "result type");
    Value input = adaptor.getInput();
    ArrayRef<int64_t> starts = op.getStarts(), steps = op.getSteps();
    int64_t rank = resultType.getRank();
    ArrayRef<int64_t> sizes = resultType.getShape();
    // An empty result reads nothing.
    if (resultType.getNumElements() == 0) {
      rewriter.replaceOpWithNewOp<tensor::EmptyOp>(op, sizes,
                                                   resultType.getElementType());
      return success();
    }
    // A dimension that keeps one element reads `start` with stride 1 (its
    // step may be as large as |INT64_MIN|); otherwise |step| < size.
    SmallVector<int64_t> offsets, strides;
    SmallVector<bool> reversed;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t step = sizes[d] == 1 ? 1 : steps[d];
      offsets.push_back(step > 0 ? starts[d]
                                 : starts[d] + (sizes[d] - 1) * step);
      strides.push_back(step > 0 ? step : -step);
      reversed.push_back(step < 0);
    }
    Value slice = tensor::ExtractSliceOp::create(
        rewriter, loc, resultType, input,
        getAsIndexOpFoldResult(getContext(), offsets),
        getAsIndexOpFoldResult(getContext(), sizes),
        getAsIndexOpFoldResult(getContext(), strides));
    if (llvm::none_of(reversed, [](bool r) { return r; })) {
      rewriter.replaceOp(op, slice);
      return success();
    }
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < rank; ++d) {
      AffineExpr dim = rewriter.getAffineDimExpr(d);
      exprs.push_back(reversed[d] ? sizes[d] - 1 - dim : dim);
    }
    AffineMap reverse = AffineMap::get(rank, 0, exprs, getContext());
    Value result = createMappedGeneric(
        rewriter, loc, resultType, getAsIndexOpFoldResult(getContext(), sizes),
        slice, {reverse},
        [](OpBuilder &, Location, ValueRange args) { return args[0]; });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Returns the source index that output index `index` of a dimension of size
/// `size`, padded by `padBegin` before, reads in reflect or edge mode.
Value buildPadSourceIndex(OpBuilder &b, Location loc, Value index,
                          int64_t padBegin, Value size, nn::PadMode mode) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value shifted = arith::SubIOp::create(
      b, loc, index, arith::ConstantIndexOp::create(b, loc, padBegin));
  Value last = arith::SubIOp::create(b, loc, size, one);
  if (mode == nn::PadMode::Edge)
    return arith::MinSIOp::create(
        b, loc, arith::MaxSIOp::create(b, loc, shifted, zero), last);
  // Reflect without repeating the edge: -i before, 2 * (size - 1) - i after.
  Value mirroredBefore = arith::SubIOp::create(b, loc, zero, shifted);
  Value before =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, shifted, zero);
  Value inside =
      arith::SelectOp::create(b, loc, before, mirroredBefore, shifted);
  Value mirroredAfter = arith::SubIOp::create(
      b, loc, arith::AddIOp::create(b, loc, last, last), inside);
  Value after =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, inside, last);
  return arith::SelectOp::create(b, loc, after, mirroredAfter, inside);
}

/// Lowers nn.pad: tensor.pad for constant mode; for reflect and edge, a
/// linalg.generic over the output that extracts from the mirrored or
/// clamped source position.
struct PadLowering : OpConversionPattern<nn::PadOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Value input = adaptor.getInput();
    Type elementType = resultType.getElementType();
    int64_t rank = resultType.getRank();
    ArrayRef<int64_t> pads = op.getPads();
    nn::PadMode mode = op.getMode();
    if (mode == nn::PadMode::Constant) {
      Value fill = createScalarConstant(rewriter, loc, elementType,
                                        op.getValue().convertToDouble());
      Value padded = padTensor(
          rewriter, loc, input,
          getAsIndexOpFoldResult(getContext(), pads.take_front(rank)),
          getAsIndexOpFoldResult(getContext(), pads.drop_front(rank)), fill);
      if (padded.getType() != resultType)
        padded = tensor::CastOp::create(rewriter, loc, resultType, padded);
      rewriter.replaceOp(op, padded);
      return success();
    }
    SmallVector<OpFoldResult> sizes = getTensorSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> resultSizes;
    for (int64_t d = 0; d < rank; ++d)
      resultSizes.push_back(
          addIndex(rewriter, loc, sizes[d],
                   rewriter.getIndexAttr(pads[d] + pads[rank + d])));
    SmallVector<Value> sizeValues;
    for (OpFoldResult size : sizes)
      sizeValues.push_back(
          getValueOrCreateConstantIndexOp(rewriter, loc, size));
    Value result = createMappedGeneric(
        rewriter, loc, resultType, resultSizes, ValueRange{}, {},
        [&](OpBuilder &b, Location l, ValueRange) -> Value {
          SmallVector<Value> indices;
          for (int64_t d = 0; d < rank; ++d) {
            Value index = linalg::IndexOp::create(b, l, d);
            if (pads[d] == 0 && pads[rank + d] == 0)
              indices.push_back(index);
            else
              indices.push_back(buildPadSourceIndex(b, l, index, pads[d],
                                                    sizeValues[d], mode));
          }
          return tensor::ExtractOp::create(b, l, input, indices);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Lowers nn.gather to a linalg.generic over the output that reads the
/// index, wraps a negative one by the axis size (and clamps, so that an
/// out-of-range index cannot read outside the data), and extracts.
struct GatherLowering : OpConversionPattern<nn::GatherOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    int64_t indexRank = cast<RankedTensorType>(indices.getType()).getRank();
    int64_t axis = op.getAxis();
    int64_t rank = resultType.getRank();
    SmallVector<OpFoldResult> dataSizes = getTensorSizes(rewriter, loc, data);
    auto resultSizes = llvm::to_vector(ArrayRef(dataSizes).take_front(axis));
    llvm::append_range(resultSizes, getTensorSizes(rewriter, loc, indices));
    llvm::append_range(resultSizes, ArrayRef(dataSizes).drop_front(axis + 1));
    Value axisSize =
        getValueOrCreateConstantIndexOp(rewriter, loc, dataSizes[axis]);
    SmallVector<int64_t> indexDims;
    for (int64_t d = axis; d < axis + indexRank; ++d)
      indexDims.push_back(d);
    AffineMap indexMap = getMapKeepingDims(getContext(), rank, indexDims);
    Value result = createMappedGeneric(
        rewriter, loc, resultType, resultSizes, indices, {indexMap},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value zero = arith::ConstantIndexOp::create(b, l, 0);
          Value one = arith::ConstantIndexOp::create(b, l, 1);
          Value index =
              arith::IndexCastOp::create(b, l, b.getIndexType(), args[0]);
          Value negative = arith::CmpIOp::create(
              b, l, arith::CmpIPredicate::slt, index, zero);
          Value wrapped = arith::SelectOp::create(
              b, l, negative, arith::AddIOp::create(b, l, index, axisSize),
              index);
          Value clamped = arith::MinSIOp::create(
              b, l, arith::MaxSIOp::create(b, l, wrapped, zero),
              arith::SubIOp::create(b, l, axisSize, one));
          SmallVector<Value> position;
          for (int64_t d = 0; d < axis; ++d)
            position.push_back(linalg::IndexOp::create(b, l, d));
          position.push_back(clamped);
          for (int64_t d = axis + indexRank; d < rank; ++d)
            position.push_back(linalg::IndexOp::create(b, l, d));
          return tensor::ExtractOp::create(b, l, data, position);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Element-wise gathering
//===----------------------------------------------------------------------===//

/// Lowers nn.gather_elements to a linalg.generic over the indices that reads
/// `data` with tensor.extract, the index (negative ones wrapped, then clamped
/// so that an out-of-range index cannot read outside the tensor) replacing
/// the position along `axis`.
struct GatherElementsLowering : OpConversionPattern<nn::GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::GatherElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    int64_t axis = op.getAxis();
    int64_t rank = resultType.getRank();
    SmallVector<OpFoldResult> dataSizes = getTensorSizes(rewriter, loc, data);
    SmallVector<OpFoldResult> resultSizes =
        getTensorSizes(rewriter, loc, indices);
    Value axisSize =
        getValueOrCreateConstantIndexOp(rewriter, loc, dataSizes[axis]);
    AffineMap identity =
        AffineMap::getMultiDimIdentityMap(rank, rewriter.getContext());
    Value result = createMappedGeneric(
        rewriter, loc, resultType, resultSizes, indices, {identity},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value zero = arith::ConstantIndexOp::create(b, l, 0);
          Value one = arith::ConstantIndexOp::create(b, l, 1);
          Value index =
              arith::IndexCastOp::create(b, l, b.getIndexType(), args[0]);
          Value negative = arith::CmpIOp::create(
              b, l, arith::CmpIPredicate::slt, index, zero);
          Value wrapped = arith::SelectOp::create(
              b, l, negative, arith::AddIOp::create(b, l, index, axisSize),
              index);
          Value clamped = arith::MinSIOp::create(
              b, l, arith::MaxSIOp::create(b, l, wrapped, zero),
              arith::SubIOp::create(b, l, axisSize, one));
          SmallVector<Value> position;
          for (int64_t d = 0; d < rank; ++d)
            position.push_back(
                d == axis ? clamped
                          : linalg::IndexOp::create(b, l, d).getResult());
          return tensor::ExtractOp::create(b, l, data, position);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void kiln::lowering::populateDataMovementPatterns(
    const TypeConverter &typeConverter, RewritePatternSet &patterns) {
  patterns.add<ConstantLowering, ReshapeLowering, FlattenLowering,
               TransposeLowering, ConcatLowering, SliceLowering, PadLowering,
               GatherLowering, GatherElementsLowering>(typeConverter,
                                                       patterns.getContext());
}
