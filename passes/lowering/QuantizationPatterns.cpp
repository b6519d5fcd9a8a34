//===- QuantizationPatterns.cpp - quantize/dequantize to linalg -----------===//
//
// Lowers nn.quantize and nn.dequantize on upstream `!quant.uniform` element
// types (per tensor or per axis) to elementwise linalg.generic ops on the
// storage integer type. Quantization is ONNX QuantizeLinear exactly:
// x / scale in the float type (a division, as the reference does, not a
// multiplication by the reciprocal), math.roundeven (round half to even),
// + zero_point, then saturation to the storage range by comparison before
// the conversion, so that no out-of-range float is converted. Upstream
// --lower-quant-ops truncates instead and is not used. quant.scast, which
// reinterprets a quantized tensor as its storage and back, becomes a no-op.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "PopulatePatterns.h"

#include "kiln/dialects/nn/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lowering;

namespace {

/// The scale and zero point operands of a quantized computation: scalars
/// for a per-tensor type, 1-D constant tensors read along the quantized
/// dimension for a per-axis type.
struct QuantParams {
  SmallVector<Value> tensors;
  SmallVector<AffineMap> maps;
  double scale = 1.0;
  int64_t zeroPoint = 0;
  bool perAxis = false;
};

/// Returns the quantization parameters of `type` for a tensor of `rank`
/// whose float side has element type `floatType`, or std::nullopt for
/// quantized types other than per-tensor and per-axis uniform ones.
std::optional<QuantParams> getQuantParams(OpBuilder &b, Location loc,
                                          quant::QuantizedType type,
                                          Type floatType, int64_t rank) {
  QuantParams params;
  if (auto uniform = dyn_cast<quant::UniformQuantizedType>(type)) {
    params.scale = uniform.getScale();
    params.zeroPoint = uniform.getZeroPoint();
    return params;
  }
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type);
  if (!perAxis)
    return std::nullopt;
  params.perAxis = true;
  int64_t count = perAxis.getScales().size();
  auto paramType = RankedTensorType::get({count}, floatType);
  SmallVector<Attribute> scales, zeroPoints;
  for (double scale : perAxis.getScales())
    scales.push_back(getScalarAttr(floatType, scale));
  for (int64_t zeroPoint : perAxis.getZeroPoints())
    zeroPoints.push_back(getScalarAttr(floatType, double(zeroPoint)));
  params.tensors.push_back(arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(paramType, scales)));
  params.tensors.push_back(arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(paramType, zeroPoints)));
  AffineMap axisMap = getMapKeepingDims(b.getContext(), rank,
                                        {perAxis.getQuantizedDimension()});
  params.maps = {axisMap, axisMap};
  return params;
}

/// Returns the scale and zero point scalars inside a generic body: the
/// per-axis block arguments `args`, or constants of `floatType`.
std::pair<Value, Value> getScalarParams(OpBuilder &b, Location loc,
                                        const QuantParams &params,
                                        ValueRange args, Type floatType) {
  if (params.perAxis)
    return {args[0], args[1]};
  return {createScalarConstant(b, loc, floatType, params.scale),
          createScalarConstant(b, loc, floatType, double(params.zeroPoint))};
}

/// Lowers nn.quantize: saturate(round_half_even(x / scale) + zero_point).
struct QuantizeLowering : OpConversionPattern<nn::QuantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::QuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    auto quantType =
        dyn_cast<quant::QuantizedType>(op.getType().getElementType());
    if (!resultType || !quantType)
      return emitUnsupported(op, "result type");
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type floatType = inputType.getElementType();
    Type storageType = resultType.getElementType();
    std::optional<QuantParams> params = getQuantParams(
        rewriter, loc, quantType, floatType, inputType.getRank());
    if (!params)
      return emitUnsupported(op, "this quantized type");
    int64_t storageMin = quantType.getStorageTypeMin();
    int64_t storageMax = quantType.getStorageTypeMax();
    bool isSigned = quantType.isSigned();

    SmallVector<Value> operands = {input};
    SmallVector<AffineMap> maps = {
        rewriter.getMultiDimIdentityMap(inputType.getRank())};
    llvm::append_range(operands, params->tensors);
    llvm::append_range(maps, params->maps);
    Value result = createMappedGeneric(
        rewriter, loc, resultType, getTensorSizes(rewriter, loc, input),
        operands, maps, [&](OpBuilder &b, Location l, ValueRange args) {
          auto [scale, zeroPoint] =
              getScalarParams(b, l, *params, args.drop_front(), floatType);
          Value scaled = arith::DivFOp::create(b, l, args[0], scale);
          Value rounded = math::RoundEvenOp::create(b, l, scaled);
          Value shifted = arith::AddFOp::create(b, l, rounded, zeroPoint);
          // Saturate by comparing in the float type, then convert only
          // in-range values; NaN becomes 0, as NumPy's cast gives on x86.
          Value low = createScalarConstant(b, l, floatType, double(storageMin));
          Value high =
              createScalarConstant(b, l, floatType, double(storageMax));
          Value converted =
              isSigned ? arith::FPToSIOp::create(b, l, storageType, shifted)
                             .getResult()
                       : arith::FPToUIOp::create(b, l, storageType, shifted)
                             .getResult();
          Value isLow = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLE,
                                              shifted, low);
          Value isHigh = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE,
                                               shifted, high);
          Value isNaN = arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO,
                                              shifted, shifted);
          Value result = arith::SelectOp::create(
              b, l, isLow,
              createScalarConstant(b, l, storageType, double(storageMin)),
              converted);
          result = arith::SelectOp::create(
              b, l, isHigh,
              createScalarConstant(b, l, storageType, double(storageMax)),
              result);
          return arith::SelectOp::create(
                     b, l, isNaN, createScalarConstant(b, l, storageType, 0.0),
                     result)
              .getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Lowers nn.dequantize: (q - zero_point) * scale in the float type.
struct DequantizeLowering : OpConversionPattern<nn::DequantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::DequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    auto quantType = dyn_cast<quant::QuantizedType>(
        op.getInput().getType().getElementType());
    if (!resultType || !quantType)
      return emitUnsupported(op, "operand type");
    Value input = adaptor.getInput();
    int64_t rank = resultType.getRank();
    Type floatType = resultType.getElementType();
    std::optional<QuantParams> params =
        getQuantParams(rewriter, loc, quantType, floatType, rank);
    if (!params)
      return emitUnsupported(op, "this quantized type");
    bool isSigned = quantType.isSigned();

    SmallVector<Value> operands = {input};
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank)};
    llvm::append_range(operands, params->tensors);
    llvm::append_range(maps, params->maps);
    Value result = createMappedGeneric(
        rewriter, loc, resultType, getTensorSizes(rewriter, loc, input),
        operands, maps, [&](OpBuilder &b, Location l, ValueRange args) {
          auto [scale, zeroPoint] =
              getScalarParams(b, l, *params, args.drop_front(), floatType);
          Value value = isSigned
                            ? arith::SIToFPOp::create(b, l, floatType, args[0])
                                  .getResult()
                            : arith::UIToFPOp::create(b, l, floatType, args[0])
                                  .getResult();
          Value centered = arith::SubFOp::create(b, l, value, zeroPoint);
          return arith::MulFOp::create(b, l, centered, scale).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Lowers quant.scast between a quantized tensor and its storage tensor to
/// nothing: once quantized types are converted, both sides are the storage
/// tensor. (Lets IR from other tools, and tests, read or build the raw
/// storage values of nn quantized tensors.)
struct StorageCastLowering : OpConversionPattern<quant::StorageCastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(quant::StorageCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type resultType = getTypeConverter()->convertType(op.getType());
    if (resultType != adaptor.getInput().getType())
      return emitUnsupported(op, "a cast that changes the storage type");
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};

} // namespace

void kiln::lowering::populateQuantizationPatterns(
    const TypeConverter &typeConverter, RewritePatternSet &patterns) {
  patterns.add<QuantizeLowering, DequantizeLowering, StorageCastLowering>(
      typeConverter, patterns.getContext());
}
