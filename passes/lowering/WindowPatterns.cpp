//===- WindowPatterns.cpp - 3-D windows and transposed convolution --------===//
//
// Lowers nn.conv3d, nn.max_pool3d, nn.avg_pool3d and nn.conv_transpose. The
// convolutions share one core: linalg.conv_{1d_ncw_fcw,2d_nchw_fchw,
// 3d_ncdhw_fcdhw} for a single group, otherwise a linalg.generic over the
// input split into (group, channel in group). There are no NCDHW pooling ops
// upstream, so the 3-D pools are linalg.generic reductions over a window
// operand, as the named 2-D pools are. A transposed convolution becomes a
// plain one without a scatter: the input is spread out by the stride
// (tensor.insert_slice with strides into zeros), padded by the kernel extent
// less the crop, and convolved with the kernel flipped in space and with its
// channel roles swapped. Spatial sizes must be static; N (and C for the pools)
// may be dynamic.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "PopulatePatterns.h"

#include "kiln/dialects/nn/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lowering;

namespace {

/// Returns true when every spatial dimension (2 and up) of `type` is static.
bool hasStaticSpatialDims(RankedTensorType type) {
  return llvm::none_of(type.getShape().drop_front(2), ShapedType::isDynamic);
}

/// Returns the iterator types of a window loop nest: `parallel` parallel
/// loops, then `reduction` reduction loops.
SmallVector<utils::IteratorType> getWindowIterators(int64_t parallel,
                                                    int64_t reduction) {
  SmallVector<utils::IteratorType> iterators(parallel,
                                             utils::IteratorType::parallel);
  iterators.append(reduction, utils::IteratorType::reduction);
  return iterators;
}

/// Returns the sizes of a window op's result whose spatial sizes are
/// static: each dynamic size (N, or C of a pool) is the input's.
SmallVector<OpFoldResult> getResultSizes(OpBuilder &b, Location loc,
                                         RankedTensorType resultType,
                                         Value input) {
  SmallVector<OpFoldResult> inputSizes = getTensorSizes(b, loc, input);
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d < resultType.getRank(); ++d)
    sizes.push_back(resultType.isDynamicDim(d)
                        ? inputSizes[d]
                        : b.getIndexAttr(resultType.getDimSize(d)));
  return sizes;
}

/// Splits dimension `dim` of `value` into (`groups`, size / groups).
Value splitDim(OpBuilder &b, Location loc, Value value, int64_t dim,
               int64_t groups) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<OpFoldResult> sizes = getTensorSizes(b, loc, value);
  SmallVector<int64_t> shape(type.getShape());
  assert(!type.isDynamicDim(dim) && "split dimension must be static");
  int64_t perGroup = shape[dim] / groups;
  shape[dim] = perGroup;
  shape.insert(shape.begin() + dim, groups);
  sizes[dim] = b.getIndexAttr(perGroup);
  sizes.insert(sizes.begin() + dim, b.getIndexAttr(groups));
  SmallVector<ReassociationIndices> reassociation;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (d < dim)
      reassociation.push_back({d});
    else if (d == dim)
      reassociation.push_back({d, d + 1});
    else
      reassociation.push_back({d + 1});
  }
  return createExpandShape(b, loc,
                           RankedTensorType::get(shape, type.getElementType()),
                           value, reassociation, sizes);
}

/// Returns the output tensor of a convolution: the bias broadcast over N and
/// the spatial dimensions, or zeros.
Value createConvInit(OpBuilder &b, Location loc, RankedTensorType resultType,
                     ArrayRef<OpFoldResult> resultSizes, Value bias) {
  if (!bias)
    return createFilledTensor(
        b, loc, resultType, resultSizes,
        createScalarConstant(b, loc, resultType.getElementType(), 0.0));
  Value empty = createEmptyTensor(b, loc, resultType, resultSizes);
  SmallVector<int64_t> dims = {0};
  for (int64_t d = 2; d < resultType.getRank(); ++d)
    dims.push_back(d);
  return linalg::BroadcastOp::create(b, loc, bias, empty, dims).getResult()[0];
}

/// Accumulates the convolution of the already padded `input` (N x C x ...)
/// with `weight` (O x C/groups x ...) into `init` (N x O x ...).
Value convolve(OpBuilder &b, Location loc, Value input, Value weight,
               Value init, ArrayRef<int64_t> strides,
               ArrayRef<int64_t> dilations, int64_t groups) {
  auto resultType = cast<RankedTensorType>(init.getType());
  int64_t spatial = resultType.getRank() - 2;
  DenseIntElementsAttr stridesAttr = b.getI64TensorAttr(strides);
  DenseIntElementsAttr dilationsAttr = b.getI64TensorAttr(dilations);
  if (groups == 1) {
    if (spatial == 1)
      return linalg::Conv1DNcwFcwOp::create(b, loc, TypeRange{resultType},
                                            ValueRange{input, weight}, init,
                                            stridesAttr, dilationsAttr)
          .getResult(0);
    if (spatial == 2)
      return linalg::Conv2DNchwFchwOp::create(b, loc, TypeRange{resultType},
                                              ValueRange{input, weight}, init,
                                              stridesAttr, dilationsAttr)
          .getResult(0);
    return linalg::Conv3DNcdhwFcdhwOp::create(b, loc, TypeRange{resultType},
                                              ValueRange{input, weight}, init,
                                              stridesAttr, dilationsAttr)
        .getResult(0);
  }
  // Grouped: loops (n, g, o, y_1..y_k, c, j_1..j_k) over the input as
  // N x G x C/G x ..., the weight as G x O/G x C/G x ... and the result as
  // N x G x O/G x ...
  Value groupedInput = splitDim(b, loc, input, 1, groups);
  Value groupedWeight = splitDim(b, loc, weight, 0, groups);
  Value groupedInit = splitDim(b, loc, init, 1, groups);
  int64_t loops = 4 + 2 * spatial;
  MLIRContext *context = b.getContext();
  auto dim = [&](int64_t i) { return b.getAffineDimExpr(i); };
  AffineExpr n = dim(0), g = dim(1), o = dim(2), c = dim(3 + spatial);
  SmallVector<AffineExpr> inputExprs = {n, g, c}, weightExprs = {g, o, c},
                          outputExprs = {n, g, o};
  for (int64_t i = 0; i < spatial; ++i) {
    AffineExpr y = dim(3 + i), j = dim(4 + spatial + i);
    inputExprs.push_back(y * strides[i] + j * dilations[i]);
    weightExprs.push_back(j);
    outputExprs.push_back(y);
  }
  SmallVector<AffineMap> maps = {
      AffineMap::get(loops, 0, inputExprs, context),
      AffineMap::get(loops, 0, weightExprs, context),
      AffineMap::get(loops, 0, outputExprs, context)};
  SmallVector<utils::IteratorType> iterators =
      getWindowIterators(3 + spatial, 1 + spatial);
  Value grouped =
      linalg::GenericOp::create(
          b, loc, groupedInit.getType(),
          ValueRange{groupedInput, groupedWeight}, groupedInit, maps, iterators,
          [](OpBuilder &nb, Location l, ValueRange args) {
            Value product = arith::MulFOp::create(nb, l, args[0], args[1]);
            linalg::YieldOp::create(
                nb, l,
                arith::AddFOp::create(nb, l, args[2], product).getResult());
          })
          .getResult(0);
  return collapseDims(b, loc, grouped, 1, 2);
}

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

/// Lowers nn.conv3d: tensor.pad with zeros, then the shared convolution core.
struct Conv3DLowering : OpConversionPattern<nn::Conv3DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::Conv3DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Value input = adaptor.getInput(), weight = adaptor.getWeight();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto weightType = cast<RankedTensorType>(weight.getType());
    if (!hasStaticSpatialDims(inputType) || !weightType.hasStaticShape() ||
        inputType.isDynamicDim(1))
      return emitUnsupported(op, "dynamic channel, spatial or weight sizes");
    ArrayRef<int64_t> pads = op.getPads();
    SmallVector<OpFoldResult> low(5, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> high(5, rewriter.getIndexAttr(0));
    for (int64_t i = 0; i < 3; ++i) {
      low[2 + i] = rewriter.getIndexAttr(pads[i]);
      high[2 + i] = rewriter.getIndexAttr(pads[3 + i]);
    }
    Value zero =
        createScalarConstant(rewriter, loc, resultType.getElementType(), 0.0);
    Value padded = padTensor(rewriter, loc, input, low, high, zero);
    SmallVector<OpFoldResult> resultSizes =
        getResultSizes(rewriter, loc, resultType, input);
    Value init = createConvInit(rewriter, loc, resultType, resultSizes,
                                adaptor.getBias());
    rewriter.replaceOp(op, convolve(rewriter, loc, padded, weight, init,
                                    op.getStrides(), op.getDilations(),
                                    op.getGroups()));
    return success();
  }
};

/// Lowers nn.conv_transpose to a convolution of the input spread out by the
/// stride: along each spatial dimension the input's elements land `stride`
/// apart, `dilation * (K - 1) - begin` zeros go before them and
/// `dilation * (K - 1) - end + output_padding` after (a negative amount crops
/// instead), and a stride-1 convolution with the weight flipped in space and
/// transposed to O x C/groups x ... gives the result.
struct ConvTransposeLowering : OpConversionPattern<nn::ConvTransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::ConvTransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Value input = adaptor.getInput(), weight = adaptor.getWeight();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto weightType = cast<RankedTensorType>(weight.getType());
    if (!hasStaticSpatialDims(inputType) || !weightType.hasStaticShape() ||
        inputType.isDynamicDim(1))
      return emitUnsupported(op, "dynamic channel, spatial or weight sizes");
    Type elementType = resultType.getElementType();
    int64_t rank = inputType.getRank(), spatial = rank - 2;
    int64_t groups = op.getGroups();
    ArrayRef<int64_t> strides = op.getStrides(), pads = op.getPads(),
                      dilations = op.getDilations(),
                      outputPadding = op.getOutputPadding();
    ArrayRef<int64_t> kernel = weightType.getShape().drop_front(2);

    // Spread the input out into zeros, cropping where an amount is negative.
    SmallVector<OpFoldResult> inputSizes = getTensorSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> spreadSizes(inputSizes.begin(),
                                          inputSizes.begin() + 2);
    SmallVector<int64_t> spreadShape(inputType.getShape().take_front(2));
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> steps(rank, rewriter.getIndexAttr(1));
    SmallVector<OpFoldResult> cropOffsets(rank, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> cropSizes(spreadSizes);
    SmallVector<int64_t> croppedShape(spreadShape);
    bool crop = false;
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t extent = dilations[i] * (kernel[i] - 1);
      int64_t before = extent - pads[i];
      int64_t after = extent - pads[spatial + i] + outputPadding[i];
      int64_t spread = (inputType.getDimSize(2 + i) - 1) * strides[i] + 1;
      int64_t size =
          std::max<int64_t>(before, 0) + spread + std::max<int64_t>(after, 0);
      spreadShape.push_back(size);
      spreadSizes.push_back(rewriter.getIndexAttr(size));
      offsets[2 + i] = rewriter.getIndexAttr(std::max<int64_t>(before, 0));
      steps[2 + i] = rewriter.getIndexAttr(strides[i]);
      int64_t cropped = spread + before + after;
      crop |= before < 0 || after < 0;
      cropOffsets[2 + i] = rewriter.getIndexAttr(-std::min<int64_t>(before, 0));
      cropSizes.push_back(rewriter.getIndexAttr(cropped));
      croppedShape.push_back(cropped);
    }
    Value zero = createScalarConstant(rewriter, loc, elementType, 0.0);
    Value spreadInput = tensor::InsertSliceOp::create(
        rewriter, loc, input,
        createFilledTensor(rewriter, loc,
                           RankedTensorType::get(spreadShape, elementType),
                           spreadSizes, zero),
        offsets, inputSizes, steps);
    if (crop)
      spreadInput = tensor::ExtractSliceOp::create(
          rewriter, loc, RankedTensorType::get(croppedShape, elementType),
          spreadInput, cropOffsets, cropSizes,
          SmallVector<OpFoldResult>(rank, rewriter.getIndexAttr(1)));

    Value flipped = flipWeight(rewriter, loc, weight, groups);
    SmallVector<OpFoldResult> resultSizes = {inputSizes[0]};
    for (int64_t d = 1; d < rank; ++d)
      resultSizes.push_back(rewriter.getIndexAttr(resultType.getDimSize(d)));
    Value init = createConvInit(rewriter, loc, resultType, resultSizes,
                                adaptor.getBias());
    SmallVector<int64_t> unitStrides(spatial, 1);
    rewriter.replaceOp(op, convolve(rewriter, loc, spreadInput, flipped, init,
                                    unitStrides, dilations, groups));
    return success();
  }

  /// Turns the C x O/G x K... weight of a transposed convolution into the
  /// O x C/G x K... weight of the equivalent convolution, reversed along
  /// every spatial dimension: result[g * O/G + o][c][j] =
  /// weight[g * C/G + c][o][K - 1 - j].
  static Value flipWeight(OpBuilder &b, Location loc, Value weight,
                          int64_t groups) {
    auto type = cast<RankedTensorType>(weight.getType());
    int64_t rank = type.getRank(), spatial = rank - 2;
    ArrayRef<int64_t> shape = type.getShape();
    int64_t inPerGroup = shape[0] / groups, outPerGroup = shape[1];
    Value grouped = splitDim(b, loc, weight, 0, groups); // G x C/G x O/G x K
    SmallVector<int64_t> resultShape = {groups, outPerGroup, inPerGroup};
    llvm::append_range(resultShape, shape.drop_front(2));
    auto resultType = RankedTensorType::get(resultShape, type.getElementType());
    // Loops (g, o, c, j...) over the result.
    int64_t loops = rank + 1;
    SmallVector<AffineExpr> inputExprs = {
        b.getAffineDimExpr(0), b.getAffineDimExpr(2), b.getAffineDimExpr(1)};
    for (int64_t i = 0; i < spatial; ++i)
      inputExprs.push_back(b.getAffineConstantExpr(shape[2 + i] - 1) -
                           b.getAffineDimExpr(3 + i));
    AffineMap inputMap = AffineMap::get(loops, 0, inputExprs, b.getContext());
    AffineMap identity = b.getMultiDimIdentityMap(loops);
    Value empty =
        tensor::EmptyOp::create(b, loc, resultShape, type.getElementType());
    Value flipped = linalg::GenericOp::create(
                        b, loc, resultType, ValueRange{grouped}, empty,
                        ArrayRef<AffineMap>{inputMap, identity},
                        getParallelIterators(loops),
                        [](OpBuilder &nb, Location l, ValueRange args) {
                          linalg::YieldOp::create(nb, l, args[0]);
                        })
                        .getResult(0);
    return collapseDims(b, loc, flipped, 0, 1);
  }
};

//===----------------------------------------------------------------------===//
// 3-D pooling
//===----------------------------------------------------------------------===//

/// A static 3-D pooling window with pads made explicit.
struct Window3D {
  ArrayRef<int64_t> kernel, strides, pads;
  SmallVector<int64_t, 3> dilations;
};

/// Pads the spatial dimensions of `input` with `padValue`: the explicit
/// padding plus whatever the last window of the result still needs (the
/// ceil_mode extension).
Value padForWindows(OpBuilder &b, Location loc, Value input,
                    RankedTensorType resultType, const Window3D &window,
                    Value padValue) {
  auto inputType = cast<RankedTensorType>(input.getType());
  SmallVector<OpFoldResult> low(5, b.getIndexAttr(0));
  SmallVector<OpFoldResult> high(5, b.getIndexAttr(0));
  for (int64_t i = 0; i < 3; ++i) {
    int64_t needed = (resultType.getDimSize(2 + i) - 1) * window.strides[i] +
                     window.dilations[i] * (window.kernel[i] - 1) + 1;
    int64_t available = inputType.getDimSize(2 + i) + window.pads[i];
    low[2 + i] = b.getIndexAttr(window.pads[i]);
    high[2 + i] =
        b.getIndexAttr(std::max(needed - available, window.pads[3 + i]));
  }
  return padTensor(b, loc, input, low, high, padValue);
}

/// Reduces each window of the padded `input` into `init` with `combine`:
/// loops (n, c, y_1..y_3, j_1..j_3) with a window operand that only carries
/// the window's shape.
Value reduceWindows(
    OpBuilder &b, Location loc, Value input, Value init, const Window3D &window,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  auto type = cast<RankedTensorType>(init.getType());
  int64_t loops = 8;
  MLIRContext *context = b.getContext();
  auto dim = [&](int64_t i) { return b.getAffineDimExpr(i); };
  SmallVector<AffineExpr> inputExprs = {dim(0), dim(1)},
                          outputExprs = {dim(0), dim(1)}, windowExprs;
  for (int64_t i = 0; i < 3; ++i) {
    inputExprs.push_back(dim(2 + i) * window.strides[i] +
                         dim(5 + i) * window.dilations[i]);
    outputExprs.push_back(dim(2 + i));
    windowExprs.push_back(dim(5 + i));
  }
  Value shape =
      tensor::EmptyOp::create(b, loc, window.kernel, type.getElementType());
  SmallVector<AffineMap> maps = {
      AffineMap::get(loops, 0, inputExprs, context),
      AffineMap::get(loops, 0, windowExprs, context),
      AffineMap::get(loops, 0, outputExprs, context)};
  return linalg::GenericOp::create(
             b, loc, type, ValueRange{input, shape}, init, maps,
             getWindowIterators(5, 3),
             [&](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(nb, l, combine(nb, l, args[2], args[0]));
             })
      .getResult(0);
}

/// Lowers nn.max_pool3d: pad with the lowest value, then a maximumf
/// reduction (NaN propagates, as in linalg.pooling_nchw_max).
struct MaxPool3DLowering : OpConversionPattern<nn::MaxPool3DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::MaxPool3DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Value input = adaptor.getInput();
    if (!hasStaticSpatialDims(cast<RankedTensorType>(input.getType())))
      return emitUnsupported(op, "dynamic spatial sizes");
    Window3D window = {op.getKernelShape(), op.getStrides(), op.getPads(),
                       SmallVector<int64_t, 3>(op.getDilations())};
    Value lowest = arith::ConstantOp::create(
        rewriter, loc, getLowestValueAttr(resultType.getElementType()));
    Value padded =
        padForWindows(rewriter, loc, input, resultType, window, lowest);
    Value init = createFilledTensor(
        rewriter, loc, resultType,
        getResultSizes(rewriter, loc, resultType, input), lowest);
    rewriter.replaceOp(
        op, reduceWindows(rewriter, loc, padded, init, window,
                          [](OpBuilder &b, Location l, Value acc, Value x) {
                            return createMax(b, l, acc, x);
                          }));
    return success();
  }
};

/// Returns how many elements the window at output position `out` counts in
/// its divisor along one dimension: the window clipped to the explicit
/// padding, and further to the input unless `countIncludePad` (as the 2-D
/// average pool counts them).
int64_t countWindowElements(int64_t out, int64_t stride, int64_t kernel,
                            int64_t padBegin, int64_t padEnd, int64_t inputSize,
                            bool countIncludePad) {
  int64_t start = out * stride - padBegin;
  int64_t end = std::min(start + kernel, inputSize + padEnd);
  if (countIncludePad)
    return end - start;
  return std::max<int64_t>(
      std::min(end, inputSize) - std::max<int64_t>(start, 0), 0);
}

/// Lowers nn.avg_pool3d: pad with zeros, sum each window, then divide by a
/// constant D' x H' x W' tensor of window element counts.
struct AvgPool3DLowering : OpConversionPattern<nn::AvgPool3DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::AvgPool3DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    if (!hasStaticSpatialDims(inputType))
      return emitUnsupported(op, "dynamic spatial sizes");
    Type elementType = resultType.getElementType();
    Window3D window = {op.getKernelShape(), op.getStrides(), op.getPads(),
                       SmallVector<int64_t, 3>(3, 1)};
    Value zero = createScalarConstant(rewriter, loc, elementType, 0.0);
    Value padded =
        padForWindows(rewriter, loc, input, resultType, window, zero);
    SmallVector<OpFoldResult> resultSizes =
        getResultSizes(rewriter, loc, resultType, input);
    Value init =
        createFilledTensor(rewriter, loc, resultType, resultSizes, zero);
    Value sums =
        reduceWindows(rewriter, loc, padded, init, window,
                      [](OpBuilder &b, Location l, Value acc, Value x) {
                        return arith::AddFOp::create(b, l, acc, x).getResult();
                      });

    ArrayRef<int64_t> outShape = resultType.getShape().drop_front(2);
    bool countIncludePad = op.getCountIncludePad();
    SmallVector<APFloat> divisors;
    for (int64_t z = 0; z < outShape[0]; ++z)
      for (int64_t y = 0; y < outShape[1]; ++y)
        for (int64_t x = 0; x < outShape[2]; ++x) {
          int64_t count = 1, position[3] = {z, y, x};
          for (int64_t i = 0; i < 3; ++i)
            count *= countWindowElements(
                position[i], window.strides[i], window.kernel[i],
                window.pads[i], window.pads[3 + i], inputType.getDimSize(2 + i),
                countIncludePad);
          divisors.push_back(
              cast<FloatAttr>(getScalarAttr(elementType, double(count)))
                  .getValue());
        }
    auto divisorType = RankedTensorType::get(outShape, elementType);
    Value divisorTensor = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(divisorType, divisors));
    AffineMap identity = rewriter.getMultiDimIdentityMap(5);
    AffineMap spatialMap = AffineMap::get(5, 0,
                                          {rewriter.getAffineDimExpr(2),
                                           rewriter.getAffineDimExpr(3),
                                           rewriter.getAffineDimExpr(4)},
                                          rewriter.getContext());
    Value empty = createEmptyTensor(rewriter, loc, resultType, resultSizes);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, resultType, ValueRange{sums, divisorTensor}, empty,
            ArrayRef<AffineMap>{identity, spatialMap, identity},
            getParallelIterators(5),
            [](OpBuilder &b, Location l, ValueRange args) {
              linalg::YieldOp::create(
                  b, l,
                  arith::DivFOp::create(b, l, args[0], args[1]).getResult());
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void kiln::lowering::populateWindowPatterns(const TypeConverter &typeConverter,
                                            RewritePatternSet &patterns) {
  patterns.add<Conv3DLowering, ConvTransposeLowering, MaxPool3DLowering,
               AvgPool3DLowering>(typeConverter, patterns.getContext());
}
