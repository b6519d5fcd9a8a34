//===- ElementwisePatterns.cpp - elementwise nn ops to linalg -------------===//
//
// Lowers the elementwise nn ops (binary arithmetic with NumPy broadcasting,
// where, cast, clip and the unary activations and math functions) to one
// linalg.generic each, whose body is the scalar arith/math computation.
// Formulas follow PyTorch's CPU kernels and ONNX's reference so that results
// agree to a few ulps: gelu uses erf (or PyTorch's tanh approximation),
// silu is x / (1 + exp(-x)), hardswish x * min(max(x + 3, 0), 6) / 6.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "PopulatePatterns.h"

#include "kiln/dialects/nn/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;
using namespace kiln;
using namespace kiln::lowering;

namespace {

//===----------------------------------------------------------------------===//
// Binary ops and where
//===----------------------------------------------------------------------===//

/// Computes one element of a binary op from its two scalar operands.
using BinaryScalarFn = Value (*)(OpBuilder &, Location, Value, Value);

/// Returns `lhs + rhs`.
Value buildAdd(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  return createAdd(b, loc, lhs, rhs);
}

/// Returns `lhs - rhs`.
Value buildSub(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return arith::SubFOp::create(b, loc, lhs, rhs);
  return arith::SubIOp::create(b, loc, lhs, rhs);
}

/// Returns `lhs * rhs`.
Value buildMul(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return arith::MulFOp::create(b, loc, lhs, rhs);
  return arith::MulIOp::create(b, loc, lhs, rhs);
}

/// Returns `lhs / rhs`; integer division truncates toward zero.
Value buildDiv(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return arith::DivFOp::create(b, loc, lhs, rhs);
  return arith::DivSIOp::create(b, loc, lhs, rhs);
}

/// Returns `lhs ^ rhs` (math.powf, or math.ipowi for integers).
Value buildPow(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return math::PowFOp::create(b, loc, lhs, rhs);
  return math::IPowIOp::create(b, loc, lhs, rhs);
}

/// Returns the larger operand; NaN propagates.
Value buildMax(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  return createMax(b, loc, lhs, rhs);
}

/// Returns the smaller operand; NaN propagates.
Value buildMin(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  return createMin(b, loc, lhs, rhs);
}

/// Lowers a broadcasting binary op to an elementwise linalg.generic.
template <typename OpTy, BinaryScalarFn buildScalar>
struct BroadcastBinaryLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(this->getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Value result =
        createElementwiseOp(rewriter, op.getLoc(), resultType,
                            ValueRange{adaptor.getLhs(), adaptor.getRhs()},
                            [](OpBuilder &b, Location loc, ValueRange args) {
                              return buildScalar(b, loc, args[0], args[1]);
                            });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Lowers nn.where to arith.select in a broadcasting linalg.generic.
struct WhereLowering : OpConversionPattern<nn::WhereOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::WhereOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Value result = createElementwiseOp(
        rewriter, op.getLoc(), resultType,
        ValueRange{adaptor.getCondition(), adaptor.getLhs(), adaptor.getRhs()},
        [](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return arith::SelectOp::create(b, loc, args[0], args[1], args[2]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Cast and clip
//===----------------------------------------------------------------------===//

/// Converts the scalar `value` to `target` with ONNX Cast semantics: float
/// to integer truncates toward zero, anything to i1 tests for non-zero, i1
/// to a number gives 0 or 1, other integers are signed.
Value convertScalar(OpBuilder &b, Location loc, Value value, Type target) {
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
  if (sourceFloat)
    return arith::FPToSIOp::create(b, loc, target, value);
  if (targetFloat) {
    if (isBoolType(source))
      return arith::UIToFPOp::create(b, loc, target, value);
    return arith::SIToFPOp::create(b, loc, target, value);
  }
  unsigned sourceWidth = source.getIntOrFloatBitWidth();
  unsigned targetWidth = target.getIntOrFloatBitWidth();
  if (sourceWidth > targetWidth)
    return arith::TruncIOp::create(b, loc, target, value);
  if (isBoolType(source))
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
    Value result = createElementwiseOp(
        rewriter, op.getLoc(), resultType, adaptor.getInput(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return convertScalar(b, loc, args[0], target);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Returns the integer clip bound for the float bound `bound` on `type`:
/// ceil for a lower bound, floor for an upper one, clamped to the range of
/// the type (unsigned for i1); std::nullopt when it does not restrict.
std::optional<double> integerClipBound(IntegerType type, double bound,
                                       bool isLower) {
  unsigned width = type.getWidth();
  double low = isBoolType(type) ? 0.0 : -std::ldexp(1.0, width - 1);
  double high = isBoolType(type) ? 1.0 : std::ldexp(1.0, width - 1) - 1.0;
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
    if (auto intType = dyn_cast<IntegerType>(elementType)) {
      if (low)
        low = integerClipBound(intType, *low, /*isLower=*/true);
      if (high)
        high = integerClipBound(intType, *high, /*isLower=*/false);
    }
    Value result = createElementwiseOp(
        rewriter, op.getLoc(), resultType, adaptor.getInput(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value value = args[0];
          if (low)
            value = createMax(b, loc, value,
                              createScalarConstant(b, loc, elementType, *low));
          if (high)
            value = createMin(b, loc, value,
                              createScalarConstant(b, loc, elementType, *high));
          return value;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Unary activations and math
//===----------------------------------------------------------------------===//

/// Returns the float constant `value` of `x`'s type.
Value constantLike(OpBuilder &b, Location loc, Value x, double value) {
  return createScalarConstant(b, loc, x.getType(), value);
}

/// Returns 1 / (1 + exp(-x)), the logistic sigmoid.
Value buildSigmoidScalar(OpBuilder &b, Location loc, Value x) {
  Value one = constantLike(b, loc, x, 1.0);
  Value negated = arith::NegFOp::create(b, loc, x);
  Value exp = math::ExpOp::create(b, loc, negated);
  Value denominator = arith::AddFOp::create(b, loc, one, exp);
  return arith::DivFOp::create(b, loc, one, denominator);
}

/// Returns max(x, 0).
Value buildRelu(nn::ReluOp, OpBuilder &b, Location loc, Value x) {
  return createMax(b, loc, x, constantLike(b, loc, x, 0.0));
}

/// Returns the logistic sigmoid of x.
Value buildSigmoid(nn::SigmoidOp, OpBuilder &b, Location loc, Value x) {
  return buildSigmoidScalar(b, loc, x);
}

/// Returns tanh(x).
Value buildTanh(nn::TanhOp, OpBuilder &b, Location loc, Value x) {
  return math::TanhOp::create(b, loc, x);
}

/// Returns x * 0.5 * (1 + erf(x / sqrt(2))), or with the tanh approximation
/// 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))).
Value buildGelu(nn::GeluOp op, OpBuilder &b, Location loc, Value x) {
  Value half = constantLike(b, loc, x, 0.5);
  Value one = constantLike(b, loc, x, 1.0);
  Value halfX = arith::MulFOp::create(b, loc, x, half);
  Value inner;
  if (op.getApproximate() == nn::GeluApproximation::Tanh) {
    Value cube =
        arith::MulFOp::create(b, loc, arith::MulFOp::create(b, loc, x, x), x);
    Value kappa = constantLike(b, loc, x, 0.044715);
    Value beta = constantLike(b, loc, x, std::sqrt(2.0 / M_PI));
    Value sum = arith::AddFOp::create(
        b, loc, x, arith::MulFOp::create(b, loc, kappa, cube));
    inner =
        math::TanhOp::create(b, loc, arith::MulFOp::create(b, loc, beta, sum));
  } else {
    Value scale = constantLike(b, loc, x, M_SQRT1_2);
    inner =
        math::ErfOp::create(b, loc, arith::MulFOp::create(b, loc, x, scale));
  }
  return arith::MulFOp::create(b, loc, halfX,
                               arith::AddFOp::create(b, loc, one, inner));
}

/// Returns x / (1 + exp(-x)).
Value buildSilu(nn::SiluOp, OpBuilder &b, Location loc, Value x) {
  Value one = constantLike(b, loc, x, 1.0);
  Value exp = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  return arith::DivFOp::create(b, loc, x,
                               arith::AddFOp::create(b, loc, one, exp));
}

/// Returns x * min(max(x + 3, 0), 6) / 6.
Value buildHardSwish(nn::HardSwishOp, OpBuilder &b, Location loc, Value x) {
  Value three = constantLike(b, loc, x, 3.0);
  Value six = constantLike(b, loc, x, 6.0);
  Value zero = constantLike(b, loc, x, 0.0);
  Value shifted = arith::AddFOp::create(b, loc, x, three);
  Value clamped = arith::MinimumFOp::create(
      b, loc, arith::MaximumFOp::create(b, loc, shifted, zero), six);
  return arith::DivFOp::create(b, loc,
                               arith::MulFOp::create(b, loc, x, clamped), six);
}

/// Returns max(0, min(1, alpha * x + beta)).
Value buildHardSigmoid(nn::HardSigmoidOp op, OpBuilder &b, Location loc,
                       Value x) {
  Value alpha = constantLike(b, loc, x, op.getAlpha().convertToDouble());
  Value beta = constantLike(b, loc, x, op.getBeta().convertToDouble());
  Value zero = constantLike(b, loc, x, 0.0);
  Value one = constantLike(b, loc, x, 1.0);
  Value linear = arith::AddFOp::create(
      b, loc, arith::MulFOp::create(b, loc, alpha, x), beta);
  return arith::MaximumFOp::create(
      b, loc, arith::MinimumFOp::create(b, loc, linear, one), zero);
}

/// Returns erf(x).
Value buildErf(nn::ErfOp, OpBuilder &b, Location loc, Value x) {
  return math::ErfOp::create(b, loc, x);
}

/// Returns exp(x).
Value buildExp(nn::ExpOp, OpBuilder &b, Location loc, Value x) {
  return math::ExpOp::create(b, loc, x);
}

/// Returns log(x).
Value buildLog(nn::LogOp, OpBuilder &b, Location loc, Value x) {
  return math::LogOp::create(b, loc, x);
}

/// Returns sqrt(x).
Value buildSqrt(nn::SqrtOp, OpBuilder &b, Location loc, Value x) {
  return math::SqrtOp::create(b, loc, x);
}

/// Returns 1 / sqrt(x).
Value buildRsqrt(nn::RsqrtOp, OpBuilder &b, Location loc, Value x) {
  return math::RsqrtOp::create(b, loc, x);
}

/// Returns -x.
Value buildNeg(nn::NegOp, OpBuilder &b, Location loc, Value x) {
  if (isa<FloatType>(x.getType()))
    return arith::NegFOp::create(b, loc, x);
  return arith::SubIOp::create(b, loc, constantLike(b, loc, x, 0.0), x);
}

/// Returns |x|.
Value buildAbs(nn::AbsOp, OpBuilder &b, Location loc, Value x) {
  if (isa<FloatType>(x.getType()))
    return math::AbsFOp::create(b, loc, x);
  return math::AbsIOp::create(b, loc, x);
}

/// Lowers a unary op whose result has its operand's type to an elementwise
/// linalg.generic computing `buildScalar`.
template <typename OpTy,
          Value (*buildScalar)(OpTy, OpBuilder &, Location, Value)>
struct UnaryLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(this->getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Value result = createElementwiseOp(
        rewriter, op.getLoc(), resultType, adaptor.getInput(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return buildScalar(op, b, loc, args[0]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void kiln::lowering::populateElementwisePatterns(
    const TypeConverter &typeConverter, RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<BroadcastBinaryLowering<nn::AddOp, buildAdd>,
               BroadcastBinaryLowering<nn::SubOp, buildSub>,
               BroadcastBinaryLowering<nn::MulOp, buildMul>,
               BroadcastBinaryLowering<nn::DivOp, buildDiv>,
               BroadcastBinaryLowering<nn::PowOp, buildPow>,
               BroadcastBinaryLowering<nn::MaxOp, buildMax>,
               BroadcastBinaryLowering<nn::MinOp, buildMin>, WhereLowering,
               CastLowering, ClipLowering>(typeConverter, context);
  patterns.add<
      UnaryLowering<nn::ReluOp, buildRelu>,
      UnaryLowering<nn::SigmoidOp, buildSigmoid>,
      UnaryLowering<nn::TanhOp, buildTanh>,
      UnaryLowering<nn::GeluOp, buildGelu>,
      UnaryLowering<nn::SiluOp, buildSilu>,
      UnaryLowering<nn::HardSwishOp, buildHardSwish>,
      UnaryLowering<nn::HardSigmoidOp, buildHardSigmoid>,
      UnaryLowering<nn::ErfOp, buildErf>, UnaryLowering<nn::ExpOp, buildExp>,
      UnaryLowering<nn::LogOp, buildLog>, UnaryLowering<nn::SqrtOp, buildSqrt>,
      UnaryLowering<nn::RsqrtOp, buildRsqrt>,
      UnaryLowering<nn::NegOp, buildNeg>, UnaryLowering<nn::AbsOp, buildAbs>>(
      typeConverter, context);
}
