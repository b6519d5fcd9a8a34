//===- CastPatterns.cpp - cast, clip and bit_shift to linalg --------------===//
//
// Lowers the nn ops whose integer results depend on the element type's width
// and signedness: nn.cast (extension, truncation and int/float conversion by
// the signedness of the nn types: `ui*` zero-extends and uses uitofp/fptoui,
// signless integers sign-extend), nn.clip (bounds clamped to the type's
// range, compared unsigned for `ui*`) and nn.bit_shift (logical shifts of
// unsigned integers). Each becomes one elementwise linalg.generic. The type
// converter has already made `ui*` signless, so every pattern reads the
// signedness from the nn op's own types.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "PopulatePatterns.h"

#include "kiln/dialects/nn/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include <cmath>

using namespace mlir;
using namespace kiln;
using namespace kiln::lowering;

namespace {

/// Converts the scalar `value` to `target` with ONNX Cast semantics: float
/// to integer truncates toward zero, anything to i1 tests for non-zero, i1
/// to a number gives 0 or 1, other integers are signed unless the nn type
/// was unsigned (`sourceUnsigned`, `targetUnsigned`; both are signless here).
Value convertScalar(OpBuilder &b, Location loc, Value value, Type target,
                    bool sourceUnsigned, bool targetUnsigned) {
  Type source = value.getType();
  if (source == target)
    return value;
  auto sourceFloat = dyn_cast<FloatType>(source);
  auto targetFloat = dyn_cast<FloatType>(target);
  if (isBoolType(target)) {
    if (sourceFloat) {
      Value zero = createScalarConstant(b, loc, source, 0.0);
      // Unordered: NaN is non-zero, as in NumPy.
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, value,
                                   zero);
    }
    Value zero = createScalarConstant(b, loc, source, 0.0);
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, value, zero);
  }
  if (sourceFloat && targetFloat) {
    if (sourceFloat.getWidth() < targetFloat.getWidth())
      return arith::ExtFOp::create(b, loc, target, value);
    if (sourceFloat.getWidth() > targetFloat.getWidth())
      return arith::TruncFOp::create(b, loc, target, value);
    // Same width, different formats (f16 and bf16): go through f32.
    Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), value);
    return arith::TruncFOp::create(b, loc, target, wide);
  }
  unsigned targetWidth = target.getIntOrFloatBitWidth();
  if (sourceFloat && targetUnsigned && targetWidth < 64) {
    // Through i64, so that a value out of the narrow range wraps (as NumPy's
    // casts do on x86) instead of being poison.
    Value wide = arith::FPToSIOp::create(b, loc, b.getI64Type(), value);
    return arith::TruncIOp::create(b, loc, target, wide);
  }
  if (sourceFloat && targetUnsigned)
    return arith::FPToUIOp::create(b, loc, target, value);
  if (sourceFloat)
    return arith::FPToSIOp::create(b, loc, target, value);
  bool zeroExtends = sourceUnsigned || isBoolType(source);
  if (targetFloat) {
    if (zeroExtends)
      return arith::UIToFPOp::create(b, loc, target, value);
    return arith::SIToFPOp::create(b, loc, target, value);
  }
  unsigned sourceWidth = source.getIntOrFloatBitWidth();
  if (sourceWidth > targetWidth)
    return arith::TruncIOp::create(b, loc, target, value);
  if (zeroExtends)
    return arith::ExtUIOp::create(b, loc, target, value);
  return arith::ExtSIOp::create(b, loc, target, value);
}

/// Lowers nn.cast to an elementwise conversion.
struct CastLowering : OpConversionPattern<nn::CastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    if (adaptor.getInput().getType() == resultType) {
      rewriter.replaceOp(op, adaptor.getInput());
      return success();
    }
    Type target = resultType.getElementType();
    bool sourceUnsigned = hasUnsignedElements(op.getInput().getType());
    bool targetUnsigned = hasUnsignedElements(op.getType());
    Value result = createElementwiseOp(
        rewriter, op.getLoc(), resultType, adaptor.getInput(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return convertScalar(b, loc, args[0], target, sourceUnsigned,
                               targetUnsigned);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Returns the integer clip bound for the float bound `bound` on `type`:
/// ceil for a lower bound, floor for an upper one, clamped to the range of
/// the type (unsigned for i1 and `isUnsigned`); std::nullopt when it does
/// not restrict.
std::optional<double> integerClipBound(IntegerType type, double bound,
                                       bool isLower, bool isUnsigned) {
  unsigned width = type.getWidth();
  isUnsigned |= isBoolType(type);
  double low = isUnsigned ? 0.0 : -std::ldexp(1.0, width - 1);
  double high = std::ldexp(1.0, isUnsigned ? width : width - 1) - 1.0;
  double value = isLower ? std::ceil(bound) : std::floor(bound);
  if (isLower && value <= low)
    return std::nullopt;
  if (!isLower && value >= high)
    return std::nullopt;
  return std::min(std::max(value, low), high);
}

/// Lowers nn.clip to max/min with the bounds in the element type.
struct ClipLowering : OpConversionPattern<nn::ClipOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::ClipOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Type elementType = resultType.getElementType();
    std::optional<double> low, high;
    if (FloatAttr min = op.getMinAttr())
      low = min.getValueAsDouble();
    if (FloatAttr max = op.getMaxAttr())
      high = max.getValueAsDouble();
    bool isUnsigned = hasUnsignedElements(op.getType());
    if (auto intType = dyn_cast<IntegerType>(elementType)) {
      if (low)
        low = integerClipBound(intType, *low, /*isLower=*/true, isUnsigned);
      if (high)
        high = integerClipBound(intType, *high, /*isLower=*/false, isUnsigned);
    }
    // An unsigned bound may exceed the int64 range getScalarAttr goes through.
    auto bound = [&](OpBuilder &b, Location loc, double value) -> Value {
      if (!isUnsigned)
        return createScalarConstant(b, loc, elementType, value);
      APInt bits(elementType.getIntOrFloatBitWidth(),
                 static_cast<uint64_t>(value));
      return arith::ConstantOp::create(b, loc,
                                       IntegerAttr::get(elementType, bits));
    };
    Value result = createElementwiseOp(
        rewriter, op.getLoc(), resultType, adaptor.getInput(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value value = args[0];
          if (low)
            value =
                createMaxBySign(b, loc, value, bound(b, loc, *low), isUnsigned);
          if (high)
            value = createMinBySign(b, loc, value, bound(b, loc, *high),
                                    isUnsigned);
          return value;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Lowers nn.bit_shift to shli / shrui; a shift by the bit width or more
/// gives 0 (as in NumPy) rather than LLVM's poison.
struct BitShiftLowering : OpConversionPattern<nn::BitShiftOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::BitShiftOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    bool isLeft = op.getDirection() == nn::ShiftDirection::Left;
    Type elementType = resultType.getElementType();
    double width = elementType.getIntOrFloatBitWidth();
    Value result = createElementwiseOp(
        rewriter, op.getLoc(), resultType,
        ValueRange{adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value shifted =
              isLeft
                  ? arith::ShLIOp::create(b, loc, args[0], args[1]).getResult()
                  : arith::ShRUIOp::create(b, loc, args[0], args[1])
                        .getResult();
          Value tooFar = arith::CmpIOp::create(
              b, loc, arith::CmpIPredicate::uge, args[1],
              createScalarConstant(b, loc, elementType, width));
          return arith::SelectOp::create(
              b, loc, tooFar, createScalarConstant(b, loc, elementType, 0.0),
              shifted);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void kiln::lowering::populateCastPatterns(const TypeConverter &typeConverter,
                                          RewritePatternSet &patterns) {
  patterns.add<CastLowering, ClipLowering, BitShiftLowering>(
      typeConverter, patterns.getContext());
}
