//===- LayerPatterns.cpp - convolution, matmul and pooling to linalg ------===//
//
// Lowers the nn ops that map onto named linalg structured ops, which later
// passes tile and vectorize: conv2d (linalg.conv_2d_nchw_fchw, the
// depthwise and grouped variants), matmul / batch_matmul with NumPy
// semantics (linalg.dot, matvec, vecmat, matmul, batch_matmul), gemm and
// linear (linalg.matmul with transposing indexing maps), and the 2-D pools
// (linalg.pooling_nchw_max / pooling_nchw_sum on an explicitly padded input).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "PopulatePatterns.h"

#include "kiln/dialects/nn/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lowering;

namespace {

//===----------------------------------------------------------------------===//
// Sliding windows
//===----------------------------------------------------------------------===//

/// The parameters of a sliding window along one spatial dimension.
struct Window {
  OpFoldResult size;
  int64_t stride;
  int64_t dilation;
  int64_t padBegin;
  int64_t padEnd;
};

/// Returns the number of window positions along a dimension of `inputSize`:
/// floor((in + padBegin + padEnd - dilation * (size - 1) - 1) / stride) + 1,
/// rounded up with `ceilMode`, where a window that would start in the end
/// padding is dropped (see nn::slidingWindowOutputSize).
OpFoldResult computeWindowCount(OpBuilder &b, Location loc,
                                OpFoldResult inputSize, const Window &window,
                                bool ceilMode) {
  OpFoldResult one = b.getIndexAttr(1);
  OpFoldResult span = addIndex(b, loc,
                               mulIndex(b, loc, b.getIndexAttr(window.dilation),
                                        subIndex(b, loc, window.size, one)),
                               one);
  OpFoldResult padded = addIndex(
      b, loc, inputSize, b.getIndexAttr(window.padBegin + window.padEnd));
  OpFoldResult room = subIndex(b, loc, padded, span);
  OpFoldResult stride = b.getIndexAttr(window.stride);
  if (!ceilMode)
    return addIndex(b, loc, floorDivIndex(b, loc, room, stride), one);
  // steps = ceil(room / stride); drop the last one if it starts in the end
  // padding: steps * stride >= in + padBegin.
  OpFoldResult steps = floorDivIndex(
      b, loc, addIndex(b, loc, room, b.getIndexAttr(window.stride - 1)),
      stride);
  OpFoldResult lastStart = mulIndex(b, loc, steps, stride);
  OpFoldResult limit =
      addIndex(b, loc, inputSize, b.getIndexAttr(window.padBegin));
  std::optional<int64_t> staticSteps = getConstantIntValue(steps);
  std::optional<int64_t> start = getConstantIntValue(lastStart);
  std::optional<int64_t> bound = getConstantIntValue(limit);
  if (staticSteps && start && bound)
    return b.getIndexAttr(*staticSteps + (*start >= *bound ? 0 : 1));
  Value startValue = getValueOrCreateConstantIndexOp(b, loc, lastStart);
  Value boundValue = getValueOrCreateConstantIndexOp(b, loc, limit);
  Value stepsValue = getValueOrCreateConstantIndexOp(b, loc, steps);
  Value inEndPad = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge,
                                         startValue, boundValue);
  Value plusOne = arith::AddIOp::create(
      b, loc, stepsValue, arith::ConstantIndexOp::create(b, loc, 1));
  return arith::SelectOp::create(b, loc, inEndPad, stepsValue, plusOne)
      .getResult();
}

/// Returns the result sizes of an NCHW sliding-window op: N from the input,
/// `channels`, and each dynamic spatial size computed from the windows.
SmallVector<OpFoldResult> computeSpatialResultSizes(
    OpBuilder &b, Location loc, RankedTensorType resultType,
    ArrayRef<OpFoldResult> inputSizes, OpFoldResult channels,
    ArrayRef<Window> windows, bool ceilMode) {
  SmallVector<OpFoldResult> sizes = {inputSizes[0], channels};
  for (int i = 0; i < 2; ++i) {
    if (!resultType.isDynamicDim(2 + i)) {
      sizes.push_back(b.getIndexAttr(resultType.getDimSize(2 + i)));
      continue;
    }
    sizes.push_back(
        computeWindowCount(b, loc, inputSizes[2 + i], windows[i], ceilMode));
  }
  if (!resultType.isDynamicDim(1))
    sizes[1] = b.getIndexAttr(resultType.getDimSize(1));
  return sizes;
}

/// Pads the spatial dimensions of an NCHW `input` with `padValue`: the
/// explicit padding, plus at the end whatever the last of `outputSizes`
/// windows needs beyond it (the ceil_mode extension).
Value padSpatialDims(OpBuilder &b, Location loc, Value input,
                     ArrayRef<OpFoldResult> inputSizes,
                     ArrayRef<OpFoldResult> outputSizes,
                     ArrayRef<Window> windows, Value padValue) {
  SmallVector<OpFoldResult> low(4, b.getIndexAttr(0));
  SmallVector<OpFoldResult> high(4, b.getIndexAttr(0));
  for (int i = 0; i < 2; ++i) {
    const Window &window = windows[i];
    low[2 + i] = b.getIndexAttr(window.padBegin);
    // needed = (out - 1) * stride + dilation * (size - 1) + 1
    OpFoldResult one = b.getIndexAttr(1);
    OpFoldResult needed = addIndex(
        b, loc,
        addIndex(b, loc,
                 mulIndex(b, loc, subIndex(b, loc, outputSizes[2 + i], one),
                          b.getIndexAttr(window.stride)),
                 mulIndex(b, loc, b.getIndexAttr(window.dilation),
                          subIndex(b, loc, window.size, one))),
        one);
    OpFoldResult available =
        addIndex(b, loc, inputSizes[2 + i], b.getIndexAttr(window.padBegin));
    OpFoldResult endPad = maxIndex(b, loc, subIndex(b, loc, needed, available),
                                   b.getIndexAttr(window.padEnd));
    high[2 + i] = endPad;
  }
  return padTensor(b, loc, input, low, high, padValue);
}

/// Returns a 2-element i64 tensor attribute (named conv/pool attributes).
DenseIntElementsAttr getPairAttr(OpBuilder &b, ArrayRef<int64_t> values) {
  return b.getI64TensorAttr(values);
}

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

/// Lowers nn.conv2d: tensor.pad, then a named linalg convolution that
/// accumulates into the bias broadcast to the output (or zeros).
struct Conv2DLowering : OpConversionPattern<nn::Conv2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Value input = adaptor.getInput(), weight = adaptor.getWeight();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto weightType = cast<RankedTensorType>(weight.getType());
    Type elementType = resultType.getElementType();
    ArrayRef<int64_t> pads = op.getPads(), strides = op.getStrides(),
                      dilations = op.getDilations();
    int64_t groups = op.getGroups();

    SmallVector<OpFoldResult> inputSizes = getTensorSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> weightSizes =
        getTensorSizes(rewriter, loc, weight);
    Window windows[2];
    for (int i = 0; i < 2; ++i)
      windows[i] = {weightSizes[2 + i], strides[i], dilations[i], pads[i],
                    pads[2 + i]};
    SmallVector<OpFoldResult> resultSizes = computeSpatialResultSizes(
        rewriter, loc, resultType, inputSizes, weightSizes[0], windows,
        /*ceilMode=*/false);

    Value zero = createScalarConstant(rewriter, loc, elementType, 0.0);
    SmallVector<OpFoldResult> low = {
        rewriter.getIndexAttr(0), rewriter.getIndexAttr(0),
        rewriter.getIndexAttr(pads[0]), rewriter.getIndexAttr(pads[1])};
    SmallVector<OpFoldResult> high = {
        rewriter.getIndexAttr(0), rewriter.getIndexAttr(0),
        rewriter.getIndexAttr(pads[2]), rewriter.getIndexAttr(pads[3])};
    Value padded = padTensor(rewriter, loc, input, low, high, zero);

    Value init;
    if (Value bias = adaptor.getBias()) {
      Value empty = createEmptyTensor(rewriter, loc, resultType, resultSizes);
      init = linalg::BroadcastOp::create(rewriter, loc, bias, empty,
                                         ArrayRef<int64_t>{0, 2, 3})
                 .getResult()[0];
    } else {
      init = createFilledTensor(rewriter, loc, resultType, resultSizes, zero);
    }
    DenseIntElementsAttr stridesAttr = getPairAttr(rewriter, strides);
    DenseIntElementsAttr dilationsAttr = getPairAttr(rewriter, dilations);

    if (groups == 1) {
      Value conv =
          linalg::Conv2DNchwFchwOp::create(
              rewriter, loc, TypeRange{resultType}, ValueRange{padded, weight},
              ValueRange{init}, stridesAttr, dilationsAttr)
              .getResult(0);
      rewriter.replaceOp(op, conv);
      return success();
    }

    // Depthwise: one filter per input channel.
    int64_t channels = inputType.getDimSize(1);
    if (channels == groups && weightType.getDimSize(0) == groups &&
        weightType.getDimSize(1) == 1) {
      Value filter = collapseDims(rewriter, loc, weight, 0, 1);
      Value conv =
          linalg::DepthwiseConv2DNchwChwOp::create(
              rewriter, loc, TypeRange{resultType}, ValueRange{padded, filter},
              ValueRange{init}, stridesAttr, dilationsAttr)
              .getResult(0);
      rewriter.replaceOp(op, conv);
      return success();
    }

    // Grouped: split the channel dimensions into (group, channel in group).
    OpFoldResult groupsSize = rewriter.getIndexAttr(groups);
    auto splitChannels = [&](Value value, int64_t dim,
                             OpFoldResult perGroup) -> Value {
      auto type = cast<RankedTensorType>(value.getType());
      SmallVector<OpFoldResult> sizes = getTensorSizes(rewriter, loc, value);
      SmallVector<int64_t> shape(type.getShape());
      std::optional<int64_t> staticPerGroup = getConstantIntValue(perGroup);
      shape[dim] = staticPerGroup ? *staticPerGroup : ShapedType::kDynamic;
      shape.insert(shape.begin() + dim, groups);
      sizes[dim] = perGroup;
      sizes.insert(sizes.begin() + dim, groupsSize);
      SmallVector<ReassociationIndices> reassociation;
      for (int64_t d = 0; d < type.getRank(); ++d) {
        if (d < dim)
          reassociation.push_back({d});
        else if (d == dim)
          reassociation.push_back({d, d + 1});
        else
          reassociation.push_back({d + 1});
      }
      return createExpandShape(
          rewriter, loc, RankedTensorType::get(shape, type.getElementType()),
          value, reassociation, sizes);
    };
    OpFoldResult outPerGroup =
        floorDivIndex(rewriter, loc, weightSizes[0], groupsSize);
    Value groupedInput = splitChannels(padded, 1, weightSizes[1]);
    Value groupedWeight = splitChannels(weight, 0, outPerGroup);
    Value groupedInit = splitChannels(init, 1, outPerGroup);
    Value conv = linalg::Conv2DNgchwGfchwOp::create(
                     rewriter, loc, TypeRange{groupedInit.getType()},
                     ValueRange{groupedInput, groupedWeight},
                     ValueRange{groupedInit}, stridesAttr, dilationsAttr)
                     .getResult(0);
    Value result = tensor::CollapseShapeOp::create(
        rewriter, loc, resultType, conv,
        ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Matrix products
//===----------------------------------------------------------------------===//

/// Returns a zero-filled tensor of `type` with `sizes`.
Value createZeroTensor(OpBuilder &b, Location loc, RankedTensorType type,
                       ArrayRef<OpFoldResult> sizes) {
  Value zero = createScalarConstant(b, loc, type.getElementType(), 0.0);
  return createFilledTensor(b, loc, type, sizes, zero);
}

/// Computes numpy.matmul(lhs, rhs) into `resultType`: linalg.dot, matvec,
/// vecmat or matmul for operands of rank <= 2; otherwise 1-D operands are
/// promoted, batch dimensions broadcast and collapsed into one, and
/// linalg.batch_matmul runs (linalg.matmul when only lhs has batch
/// dimensions, which then fold into its rows).
Value buildNumpyMatmul(OpBuilder &b, Location loc, Value lhs, Value rhs,
                       RankedTensorType resultType) {
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  Type elementType = resultType.getElementType();
  int64_t lhsRank = lhsType.getRank(), rhsRank = rhsType.getRank();
  SmallVector<OpFoldResult> lhsSizes = getTensorSizes(b, loc, lhs);
  SmallVector<OpFoldResult> rhsSizes = getTensorSizes(b, loc, rhs);
  bool lhsVector = lhsRank == 1, rhsVector = rhsRank == 1;

  if (lhsRank <= 2 && rhsRank <= 2) {
    SmallVector<OpFoldResult> sizes;
    if (!lhsVector)
      sizes.push_back(lhsSizes[0]);
    if (!rhsVector)
      sizes.push_back(rhsSizes[1]);
    Value init = createZeroTensor(b, loc, resultType, sizes);
    SmallVector<Value> inputs = {lhs, rhs};
    if (lhsVector && rhsVector)
      return linalg::DotOp::create(b, loc, TypeRange{resultType}, inputs, init)
          .getResult(0);
    if (rhsVector)
      return linalg::MatvecOp::create(b, loc, TypeRange{resultType}, inputs,
                                      init)
          .getResult(0);
    if (lhsVector)
      return linalg::VecmatOp::create(b, loc, TypeRange{resultType}, inputs,
                                      init)
          .getResult(0);
    return linalg::MatmulOp::create(b, loc, TypeRange{resultType}, inputs, init)
        .getResult(0);
  }

  // Promote 1-D operands to a row (lhs) or column (rhs) matrix.
  if (lhsVector) {
    lhs = insertUnitDims(
        b, loc, lhs,
        RankedTensorType::get({1, lhsType.getDimSize(0)}, elementType), {0});
    lhsSizes.insert(lhsSizes.begin(), b.getIndexAttr(1));
  }
  if (rhsVector) {
    rhs = insertUnitDims(
        b, loc, rhs,
        RankedTensorType::get({rhsType.getDimSize(0), 1}, elementType), {1});
    rhsSizes.push_back(b.getIndexAttr(1));
  }
  lhsType = cast<RankedTensorType>(lhs.getType());
  rhsType = cast<RankedTensorType>(rhs.getType());
  lhsRank = lhsType.getRank();
  rhsRank = rhsType.getRank();
  OpFoldResult m = lhsSizes[lhsRank - 2], k = lhsSizes[lhsRank - 1];
  OpFoldResult n = rhsSizes[rhsRank - 1];
  int64_t staticM = lhsType.getDimSize(lhsRank - 2);
  int64_t staticK = lhsType.getDimSize(lhsRank - 1);
  int64_t staticN = rhsType.getDimSize(rhsRank - 1);

  // The result before dropping promoted dimensions: batch..., M, N.
  int64_t batchRank = std::max(lhsRank, rhsRank) - 2;
  auto batchType = RankedTensorType::get(
      resultType.getShape().take_front(batchRank), elementType);
  auto lhsBatch = llvm::to_vector(ArrayRef(lhsSizes).drop_back(2));
  auto rhsBatch = llvm::to_vector(ArrayRef(rhsSizes).drop_back(2));
  SmallVector<OpFoldResult> batchSizes =
      computeBroadcastSizes(b, loc, {lhsBatch, rhsBatch}, batchType);
  SmallVector<OpFoldResult> resultSizes(batchSizes);
  if (!lhsVector)
    resultSizes.push_back(m);
  if (!rhsVector)
    resultSizes.push_back(n);

  if (rhsRank == 2) {
    // Only lhs has batch dimensions: fold them into the rows of one matmul.
    Value rows = collapseDims(b, loc, lhs, 0, lhsRank - 2);
    OpFoldResult rowCount =
        productIndex(b, loc, ArrayRef(lhsSizes).drop_back());
    std::optional<int64_t> staticRows = getConstantIntValue(rowCount);
    auto productType = RankedTensorType::get(
        {staticRows ? *staticRows : ShapedType::kDynamic, staticN},
        elementType);
    Value init = createZeroTensor(b, loc, productType, {rowCount, n});
    Value product = linalg::MatmulOp::create(b, loc, TypeRange{productType},
                                             ValueRange{rows, rhs}, init)
                        .getResult(0);
    return reshapeTensor(b, loc, product, resultType, resultSizes);
  }

  // Broadcast both operands to the full batch shape, then collapse it.
  SmallVector<int64_t> lhsShape(batchType.getShape());
  lhsShape.append({staticM, staticK});
  SmallVector<int64_t> rhsShape(batchType.getShape());
  rhsShape.append({staticK, staticN});
  SmallVector<OpFoldResult> lhsTargetSizes(batchSizes);
  lhsTargetSizes.append({m, k});
  SmallVector<OpFoldResult> rhsTargetSizes(batchSizes);
  rhsTargetSizes.append({k, n});
  lhs = broadcastToShape(b, loc, lhs,
                         RankedTensorType::get(lhsShape, elementType),
                         lhsTargetSizes);
  rhs = broadcastToShape(b, loc, rhs,
                         RankedTensorType::get(rhsShape, elementType),
                         rhsTargetSizes);
  lhs = collapseDims(b, loc, lhs, 0, batchRank - 1);
  rhs = collapseDims(b, loc, rhs, 0, batchRank - 1);
  OpFoldResult batchCount = productIndex(b, loc, batchSizes);
  std::optional<int64_t> staticBatch = getConstantIntValue(batchCount);
  auto productType = RankedTensorType::get(
      {staticBatch ? *staticBatch : ShapedType::kDynamic, staticM, staticN},
      elementType);
  Value init = createZeroTensor(b, loc, productType, {batchCount, m, n});
  Value product = linalg::BatchMatmulOp::create(b, loc, TypeRange{productType},
                                                ValueRange{lhs, rhs}, init)
                      .getResult(0);
  return reshapeTensor(b, loc, product, resultType, resultSizes);
}

/// Lowers nn.matmul or nn.batch_matmul with NumPy semantics.
template <typename OpTy> struct MatmulLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(this->getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    rewriter.replaceOp(op,
                       buildNumpyMatmul(rewriter, op.getLoc(), adaptor.getLhs(),
                                        adaptor.getRhs(), resultType));
    return success();
  }
};

/// Returns the indexing maps of a linalg.matmul over (m, n, k) whose
/// operands may be stored transposed.
ArrayAttr getMatmulMaps(OpBuilder &b, bool transposeA, bool transposeB) {
  AffineExpr m, n, k;
  bindDims(b.getContext(), m, n, k);
  auto map = [&](AffineExpr row, AffineExpr col) {
    return AffineMapAttr::get(AffineMap::get(3, 0, {row, col}, b.getContext()));
  };
  return b.getArrayAttr({transposeA ? map(k, m) : map(m, k),
                         transposeB ? map(n, k) : map(k, n), map(m, n)});
}

/// Lowers nn.gemm, alpha * op(A) * op(B) + beta * C, to linalg.matmul with
/// transposing indexing maps. With alpha = 1 the matmul accumulates into
/// beta * C; otherwise an elementwise epilogue scales and adds.
struct GemmLowering : OpConversionPattern<nn::GemmOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::GemmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Type elementType = resultType.getElementType();
    Value a = adaptor.getA(), b = adaptor.getB(), c = adaptor.getC();
    bool transA = op.getTransA(), transB = op.getTransB();
    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    SmallVector<OpFoldResult> sizes = {
        getTensorSizes(rewriter, loc, a)[transA ? 1 : 0],
        getTensorSizes(rewriter, loc, b)[transB ? 0 : 1]};

    auto scaleBy = [&](OpBuilder &builder, Location l, Value value,
                       double factor) -> Value {
      if (factor == 1.0)
        return value;
      return arith::MulFOp::create(
          builder, l, value,
          createScalarConstant(builder, l, elementType, factor));
    };
    Value init;
    if (c && alpha == 1.0)
      init = createElementwiseOp(
          rewriter, loc, resultType, c,
          [&](OpBuilder &builder, Location l, ValueRange args) {
            return scaleBy(builder, l, args[0], beta);
          },
          sizes);
    else
      init = createZeroTensor(rewriter, loc, resultType, sizes);

    NamedAttribute maps(rewriter.getStringAttr("indexing_maps"),
                        getMatmulMaps(rewriter, transA, transB));
    Value product =
        linalg::MatmulOp::create(rewriter, loc, TypeRange{resultType},
                                 ValueRange{a, b}, ValueRange{init}, {maps})
            .getResult(0);
    if (alpha != 1.0) {
      SmallVector<Value> operands = {product};
      if (c)
        operands.push_back(c);
      product = createElementwiseOp(
          rewriter, loc, resultType, operands,
          [&](OpBuilder &builder, Location l, ValueRange args) {
            Value scaled = scaleBy(builder, l, args[0], alpha);
            if (args.size() == 1)
              return scaled;
            return arith::AddFOp::create(builder, l, scaled,
                                         scaleBy(builder, l, args[1], beta))
                .getResult();
          },
          sizes);
    }
    rewriter.replaceOp(op, product);
    return success();
  }
};

/// Lowers nn.linear, input * weight^T + bias: leading input dimensions fold
/// into the rows of one linalg.matmul (transposed B) that accumulates into
/// the broadcast bias.
struct LinearLowering : OpConversionPattern<nn::LinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::LinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Type elementType = resultType.getElementType();
    Value input = adaptor.getInput(), weight = adaptor.getWeight();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto weightType = cast<RankedTensorType>(weight.getType());
    int64_t rank = inputType.getRank();
    SmallVector<OpFoldResult> inputSizes = getTensorSizes(rewriter, loc, input);
    OpFoldResult n = getTensorSizes(rewriter, loc, weight)[0];

    Value rows;
    if (rank == 1)
      rows = insertUnitDims(
          rewriter, loc, input,
          RankedTensorType::get({1, inputType.getDimSize(0)}, elementType),
          {0});
    else
      rows = collapseDims(rewriter, loc, input, 0, rank - 2);
    OpFoldResult m =
        productIndex(rewriter, loc, ArrayRef(inputSizes).drop_back());
    std::optional<int64_t> staticM = getConstantIntValue(m);
    auto productType = RankedTensorType::get(
        {staticM ? *staticM : ShapedType::kDynamic, weightType.getDimSize(0)},
        elementType);
    SmallVector<OpFoldResult> productSizes = {m, n};

    Value init;
    if (Value bias = adaptor.getBias()) {
      Value empty = createEmptyTensor(rewriter, loc, productType, productSizes);
      init = linalg::BroadcastOp::create(rewriter, loc, bias, empty,
                                         ArrayRef<int64_t>{0})
                 .getResult()[0];
    } else {
      init = createZeroTensor(rewriter, loc, productType, productSizes);
    }
    Value product = linalg::MatmulTransposeBOp::create(
                        rewriter, loc, TypeRange{productType},
                        ValueRange{rows, weight}, ValueRange{init})
                        .getResult(0);
    auto resultSizes = llvm::to_vector(ArrayRef(inputSizes).drop_back());
    resultSizes.push_back(n);
    rewriter.replaceOp(
        op, reshapeTensor(rewriter, loc, product, resultType, resultSizes));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// Returns the pooling windows of a 2-D pool (`dilations` may be empty).
SmallVector<Window, 2> getPoolWindows(OpBuilder &b, ArrayRef<int64_t> kernel,
                                      ArrayRef<int64_t> strides,
                                      ArrayRef<int64_t> pads,
                                      ArrayRef<int64_t> dilations) {
  SmallVector<Window, 2> windows;
  for (int i = 0; i < 2; ++i)
    windows.push_back({b.getIndexAttr(kernel[i]), strides[i],
                       dilations.empty() ? 1 : dilations[i], pads[i],
                       pads[2 + i]});
  return windows;
}

/// Lowers nn.max_pool2d: pad with -inf (explicit padding and the ceil_mode
/// extension), then linalg.pooling_nchw_max, whose maximumf propagates NaN.
struct MaxPool2DLowering : OpConversionPattern<nn::MaxPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::MaxPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Type elementType = resultType.getElementType();
    Value input = adaptor.getInput();
    SmallVector<OpFoldResult> inputSizes = getTensorSizes(rewriter, loc, input);
    SmallVector<Window, 2> windows =
        getPoolWindows(rewriter, op.getKernelShape(), op.getStrides(),
                       op.getPads(), op.getDilations());
    SmallVector<OpFoldResult> resultSizes =
        computeSpatialResultSizes(rewriter, loc, resultType, inputSizes,
                                  inputSizes[1], windows, op.getCeilMode());
    Value lowest = arith::ConstantOp::create(rewriter, loc,
                                             getLowestValueAttr(elementType));
    Value padded = padSpatialDims(rewriter, loc, input, inputSizes, resultSizes,
                                  windows, lowest);
    Value init =
        createFilledTensor(rewriter, loc, resultType, resultSizes, lowest);
    Value window = tensor::EmptyOp::create(rewriter, loc, op.getKernelShape(),
                                           elementType);
    Value pooled =
        linalg::PoolingNchwMaxOp::create(
            rewriter, loc, TypeRange{resultType}, ValueRange{padded, window},
            ValueRange{init}, getPairAttr(rewriter, op.getStrides()),
            getPairAttr(rewriter, op.getDilations()))
            .getResult(0);
    rewriter.replaceOp(op, pooled);
    return success();
  }
};

/// Returns how many elements of an average-pooling window at output position
/// `out` are counted in the divisor along one dimension of `inputSize`: the
/// window clipped to the explicit padding, and further to the input unless
/// `countIncludePad`. The ceil_mode extension never counts. A window that
/// lies entirely in (asymmetric) padding counts 0, so its average is NaN.
int64_t countWindowElements(int64_t out, const Window &window, int64_t kernel,
                            int64_t inputSize, bool countIncludePad) {
  int64_t start = out * window.stride - window.padBegin;
  int64_t end = std::min(start + kernel, inputSize + window.padEnd);
  if (countIncludePad)
    return end - start;
  // A window entirely in the padding counts nothing (its mean is 0 / 0).
  return std::max<int64_t>(
      std::min(end, inputSize) - std::max<int64_t>(start, 0), 0);
}

/// The index-arithmetic form of countWindowElements, for dynamic sizes.
Value buildWindowElementCount(OpBuilder &b, Location loc, Value out,
                              const Window &window, int64_t kernel,
                              Value inputSize, bool countIncludePad) {
  auto constant = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value start = arith::SubIOp::create(
      b, loc, arith::MulIOp::create(b, loc, out, constant(window.stride)),
      constant(window.padBegin));
  Value end = arith::MinSIOp::create(
      b, loc, arith::AddIOp::create(b, loc, start, constant(kernel)),
      arith::AddIOp::create(b, loc, inputSize, constant(window.padEnd)));
  if (countIncludePad)
    return arith::SubIOp::create(b, loc, end, start);
  Value count = arith::SubIOp::create(
      b, loc, arith::MinSIOp::create(b, loc, end, inputSize),
      arith::MaxSIOp::create(b, loc, start, constant(0)));
  return arith::MaxSIOp::create(b, loc, count, constant(0));
}

/// Lowers nn.avg_pool2d: pad with zeros, linalg.pooling_nchw_sum, then divide
/// by the number of counted elements of each window: a scalar when every
/// window counts the same, a constant H' x W' divisor tensor for static
/// sizes, and index arithmetic in the dividing generic otherwise.
struct AvgPool2DLowering : OpConversionPattern<nn::AvgPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::AvgPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Type elementType = resultType.getElementType();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    ArrayRef<int64_t> kernel = op.getKernelShape();
    bool countIncludePad = op.getCountIncludePad();
    SmallVector<OpFoldResult> inputSizes = getTensorSizes(rewriter, loc, input);
    SmallVector<Window, 2> windows = getPoolWindows(
        rewriter, kernel, op.getStrides(), op.getPads(), /*dilations=*/{});
    SmallVector<OpFoldResult> resultSizes =
        computeSpatialResultSizes(rewriter, loc, resultType, inputSizes,
                                  inputSizes[1], windows, op.getCeilMode());
    Value zero = createScalarConstant(rewriter, loc, elementType, 0.0);
    Value padded = padSpatialDims(rewriter, loc, input, inputSizes, resultSizes,
                                  windows, zero);
    Value init =
        createFilledTensor(rewriter, loc, resultType, resultSizes, zero);
    Value window = tensor::EmptyOp::create(rewriter, loc, kernel, elementType);
    Value sums =
        linalg::PoolingNchwSumOp::create(
            rewriter, loc, TypeRange{resultType}, ValueRange{padded, window},
            ValueRange{init}, getPairAttr(rewriter, op.getStrides()),
            getPairAttr(rewriter, SmallVector<int64_t>{1, 1}))
            .getResult(0);

    bool staticSpatial =
        !inputType.isDynamicDim(2) && !inputType.isDynamicDim(3) &&
        !resultType.isDynamicDim(2) && !resultType.isDynamicDim(3);
    auto divide = [](OpBuilder &b, Location l, Value sum, Value divisor) {
      return arith::DivFOp::create(b, l, sum, divisor).getResult();
    };
    Value result;
    if (staticSpatial) {
      int64_t outH = resultType.getDimSize(2), outW = resultType.getDimSize(3);
      SmallVector<APFloat> divisors;
      for (int64_t oh = 0; oh < outH; ++oh)
        for (int64_t ow = 0; ow < outW; ++ow) {
          int64_t count =
              countWindowElements(oh, windows[0], kernel[0],
                                  inputType.getDimSize(2), countIncludePad) *
              countWindowElements(ow, windows[1], kernel[1],
                                  inputType.getDimSize(3), countIncludePad);
          divisors.push_back(
              cast<FloatAttr>(getScalarAttr(elementType, double(count)))
                  .getValue());
        }
      bool uniform = llvm::all_of(divisors, [&](const APFloat &d) {
        return d.bitwiseIsEqual(divisors.front());
      });
      if (uniform) {
        result = createElementwiseOp(
            rewriter, loc, resultType, sums,
            [&](OpBuilder &b, Location l, ValueRange args) {
              return divide(
                  b, l, args[0],
                  arith::ConstantOp::create(
                      b, l, FloatAttr::get(elementType, divisors.front())));
            },
            resultSizes);
      } else {
        auto divisorType = RankedTensorType::get({outH, outW}, elementType);
        Value divisorTensor = arith::ConstantOp::create(
            rewriter, loc, DenseElementsAttr::get(divisorType, divisors));
        int64_t rank = 4;
        AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
        AffineMap spatial = AffineMap::get(
            rank, 0,
            {rewriter.getAffineDimExpr(2), rewriter.getAffineDimExpr(3)},
            rewriter.getContext());
        Value empty = createEmptyTensor(rewriter, loc, resultType, resultSizes);
        result =
            linalg::GenericOp::create(
                rewriter, loc, resultType, ValueRange{sums, divisorTensor},
                empty, ArrayRef<AffineMap>{identity, spatial, identity},
                getParallelIterators(rank),
                [&](OpBuilder &b, Location l, ValueRange args) {
                  linalg::YieldOp::create(b, l, divide(b, l, args[0], args[1]));
                })
                .getResult(0);
      }
    } else {
      Value inputH =
          getValueOrCreateConstantIndexOp(rewriter, loc, inputSizes[2]);
      Value inputW =
          getValueOrCreateConstantIndexOp(rewriter, loc, inputSizes[3]);
      result = createElementwiseOp(
          rewriter, loc, resultType, sums,
          [&](OpBuilder &b, Location l, ValueRange args) {
            Value oh = linalg::IndexOp::create(b, l, 2);
            Value ow = linalg::IndexOp::create(b, l, 3);
            Value countH = buildWindowElementCount(
                b, l, oh, windows[0], kernel[0], inputH, countIncludePad);
            Value countW = buildWindowElementCount(
                b, l, ow, windows[1], kernel[1], inputW, countIncludePad);
            Value count = arith::MulIOp::create(b, l, countH, countW);
            return divide(b, l, args[0],
                          indexToFloat(b, l, count, elementType));
          },
          resultSizes);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void kiln::lowering::populateLayerPatterns(const TypeConverter &typeConverter,
                                           RewritePatternSet &patterns) {
  patterns.add<Conv2DLowering, MatmulLowering<nn::MatmulOp>,
               MatmulLowering<nn::BatchMatmulOp>, GemmLowering, LinearLowering,
               MaxPool2DLowering, AvgPool2DLowering>(typeConverter,
                                                     patterns.getContext());
}
