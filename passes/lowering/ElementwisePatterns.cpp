//===- ElementwisePatterns.cpp - elementwise nn ops to linalg -------------===//
//
// Lowers the elementwise nn ops (binary arithmetic with NumPy broadcasting,
// comparisons and logical ops with i1 results, where, mod, prelu and the
// unary activations, rounding, trigonometric and math functions) to
// one linalg.generic each, whose body is the scalar arith/math computation.
// Formulas follow PyTorch's CPU kernels and ONNX's reference so that results
// agree to a few ulps: gelu uses erf (or PyTorch's tanh approximation),
// silu is x / (1 + exp(-x)), hardswish x * min(max(x + 3, 0), 6) / 6; expm1
// and log1p are built here because math.expm1/log1p lower to exp(x) - 1 and
// log(1 + x); transcendental functions of f16/bf16 compute in f32.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "PopulatePatterns.h"

#include "kiln/dialects/nn/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>
#include <limits>

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

/// Returns the unsigned integer division or remainder `OpTy` of lhs by rhs,
/// 0 for a zero divisor as in NumPy (divui and remui by 0 are undefined).
template <typename OpTy>
Value buildUnsignedDivision(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  Type type = lhs.getType();
  Value zero = createScalarConstant(b, loc, type, 0.0);
  Value isZero =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, rhs, zero);
  Value divisor = arith::SelectOp::create(
      b, loc, isZero, createScalarConstant(b, loc, type, 1.0), rhs);
  Value result = OpTy::create(b, loc, lhs, divisor);
  return arith::SelectOp::create(b, loc, isZero, zero, result);
}

/// Returns `lhs / rhs`; integer division truncates toward zero (unsigned for
/// `ui*` elements).
Value buildDiv(nn::DivOp op, OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return arith::DivFOp::create(b, loc, lhs, rhs);
  if (hasUnsignedElements(op.getType()))
    return buildUnsignedDivision<arith::DivUIOp>(b, loc, lhs, rhs);
  return arith::DivSIOp::create(b, loc, lhs, rhs);
}

/// Returns `lhs ^ rhs` (math.powf, or math.ipowi for integers).
Value buildPow(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return math::PowFOp::create(b, loc, lhs, rhs);
  return math::IPowIOp::create(b, loc, lhs, rhs);
}

/// Returns the larger operand; NaN propagates.
Value buildMax(nn::MaxOp op, OpBuilder &b, Location loc, Value lhs, Value rhs) {
  return createMaxBySign(b, loc, lhs, rhs, hasUnsignedElements(op.getType()));
}

/// Returns the smaller operand; NaN propagates.
Value buildMin(nn::MinOp op, OpBuilder &b, Location loc, Value lhs, Value rhs) {
  return createMinBySign(b, loc, lhs, rhs, hasUnsignedElements(op.getType()));
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

/// Returns max(x, 0) (x itself for `ui*` elements).
Value buildRelu(nn::ReluOp op, OpBuilder &b, Location loc, Value x) {
  return createMaxBySign(b, loc, x, constantLike(b, loc, x, 0.0),
                         hasUnsignedElements(op.getType()));
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

/// Returns |x| (x itself for `ui*` elements).
Value buildAbs(nn::AbsOp op, OpBuilder &b, Location loc, Value x) {
  if (isa<FloatType>(x.getType()))
    return math::AbsFOp::create(b, loc, x);
  if (hasUnsignedElements(op.getType()))
    return x;
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

//===----------------------------------------------------------------------===//
// Comparisons, logical ops, rounding, trigonometry, float tests,
// parameterized activations, PRelu and Mod
//===----------------------------------------------------------------------===//

/// Returns the comparison `OpTy` of two scalars by `floatPredicate` for
/// floats (ordered: false when either is NaN), `signedPredicate` for
/// signless integers and `unsignedPredicate` for `ui*` and i1 (false < true).
template <typename OpTy, arith::CmpFPredicate floatPredicate,
          arith::CmpIPredicate signedPredicate,
          arith::CmpIPredicate unsignedPredicate>
Value buildCompare(OpTy op, OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return arith::CmpFOp::create(b, loc, floatPredicate, lhs, rhs);
  bool isUnsigned =
      isBoolType(lhs.getType()) || hasUnsignedElements(op.getLhs().getType());
  return arith::CmpIOp::create(
      b, loc, isUnsigned ? unsignedPredicate : signedPredicate, lhs, rhs);
}

/// Returns `lhs && rhs` of two i1 scalars.
Value buildAnd(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  return arith::AndIOp::create(b, loc, lhs, rhs);
}

/// Returns `lhs || rhs` of two i1 scalars.
Value buildOr(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  return arith::OrIOp::create(b, loc, lhs, rhs);
}

/// Returns `lhs != rhs` of two i1 scalars.
Value buildXor(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  return arith::XOrIOp::create(b, loc, lhs, rhs);
}

/// Returns `!x` of an i1 scalar.
Value buildNot(nn::NotOp, OpBuilder &b, Location loc, Value x) {
  return arith::XOrIOp::create(b, loc, x,
                               createScalarConstant(b, loc, x.getType(), 1.0));
}

/// Returns `compute(x)` evaluated in f32 when `x` is a narrower float (f16,
/// bf16), so that every function has a libm or LLVM lowering and the result
/// is rounded once; wider floats compute in their own type.
Value computeInF32(OpBuilder &b, Location loc, Value x,
                   llvm::function_ref<Value(Value)> compute) {
  auto type = cast<FloatType>(x.getType());
  if (type.getWidth() >= 32)
    return compute(x);
  Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), x);
  return arith::TruncFOp::create(b, loc, type, compute(wide));
}

/// Returns the unary math op `MathOpTy` of x, computed as by computeInF32.
template <typename MathOpTy>
Value buildMathUnary(OpBuilder &b, Location loc, Value x) {
  return computeInF32(
      b, loc, x, [&](Value v) -> Value { return MathOpTy::create(b, loc, v); });
}

/// Returns exp(x) - 1 accurately near 0 (math.expm1 lowers to exp(x) - 1):
/// with u = exp(x), x when u == 1, -1 when u - 1 == -1, otherwise
/// (u - 1) * x / log(u), which cancels the rounding error of u.
Value buildExpm1Scalar(OpBuilder &b, Location loc, Value x) {
  Value one = constantLike(b, loc, x, 1.0);
  Value minusOne = constantLike(b, loc, x, -1.0);
  Value u = math::ExpOp::create(b, loc, x);
  Value um1 = arith::SubFOp::create(b, loc, u, one);
  Value corrected =
      arith::DivFOp::create(b, loc, arith::MulFOp::create(b, loc, um1, x),
                            math::LogOp::create(b, loc, u));
  Value isOne =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, u, one);
  Value isMinusOne =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, um1, minusOne);
  // exp(+inf) = inf: (inf - 1) * inf / inf is NaN, the answer inf.
  Value isInf = arith::CmpFOp::create(
      b, loc, arith::CmpFPredicate::OEQ, u,
      constantLike(b, loc, x, std::numeric_limits<double>::infinity()));
  Value result = arith::SelectOp::create(b, loc, isInf, u, corrected);
  result = arith::SelectOp::create(b, loc, isMinusOne, minusOne, result);
  return arith::SelectOp::create(b, loc, isOne, x, result);
}

/// Returns log(1 + y) accurately for small y (math.log1p lowers to
/// log(1 + y)): with u = 1 + y, y when u == 1, otherwise
/// log(u) * y / (u - 1). Used for y in [0, 1] only.
Value buildLog1pScalar(OpBuilder &b, Location loc, Value y) {
  Value one = constantLike(b, loc, y, 1.0);
  Value u = arith::AddFOp::create(b, loc, one, y);
  Value corrected = arith::DivFOp::create(
      b, loc, arith::MulFOp::create(b, loc, math::LogOp::create(b, loc, u), y),
      arith::SubFOp::create(b, loc, u, one));
  Value isOne =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, u, one);
  return arith::SelectOp::create(b, loc, isOne, y, corrected);
}

/// Returns log(1 + exp(x)) as max(x, 0) + log1p(exp(-|x|)), which neither
/// overflows nor loses the small values for very negative x.
Value buildSoftplusScalar(OpBuilder &b, Location loc, Value x) {
  Value zero = constantLike(b, loc, x, 0.0);
  Value negAbs = arith::NegFOp::create(b, loc, math::AbsFOp::create(b, loc, x));
  Value tail = buildLog1pScalar(b, loc, math::ExpOp::create(b, loc, negAbs));
  return arith::AddFOp::create(
      b, loc, arith::MaximumFOp::create(b, loc, x, zero), tail);
}

/// Returns floor(x).
Value buildFloor(nn::FloorOp, OpBuilder &b, Location loc, Value x) {
  return buildMathUnary<math::FloorOp>(b, loc, x);
}

/// Returns ceil(x).
Value buildCeil(nn::CeilOp, OpBuilder &b, Location loc, Value x) {
  return buildMathUnary<math::CeilOp>(b, loc, x);
}

/// Returns x rounded to the nearest integer, halves to even.
Value buildRound(nn::RoundOp, OpBuilder &b, Location loc, Value x) {
  return buildMathUnary<math::RoundEvenOp>(b, loc, x);
}

/// Returns 1 for x > 0, -1 for x < 0, otherwise x (zeros of either sign and
/// NaN for floats, 0 for integers; `ui*` elements are never below 0).
Value buildSign(nn::SignOp op, OpBuilder &b, Location loc, Value x) {
  Value zero = constantLike(b, loc, x, 0.0);
  Value one = constantLike(b, loc, x, 1.0);
  Value minusOne = constantLike(b, loc, x, -1.0);
  Value positive, negative;
  if (isa<FloatType>(x.getType())) {
    positive =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, zero);
    negative =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, zero);
  } else {
    bool isUnsigned = hasUnsignedElements(op.getType());
    positive = arith::CmpIOp::create(b, loc,
                                     isUnsigned ? arith::CmpIPredicate::ugt
                                                : arith::CmpIPredicate::sgt,
                                     x, zero);
    negative = arith::CmpIOp::create(b, loc,
                                     isUnsigned ? arith::CmpIPredicate::ult
                                                : arith::CmpIPredicate::slt,
                                     x, zero);
  }
  Value result = arith::SelectOp::create(b, loc, negative, minusOne, x);
  return arith::SelectOp::create(b, loc, positive, one, result);
}

/// Returns sin(x).
Value buildSin(nn::SinOp, OpBuilder &b, Location loc, Value x) {
  return buildMathUnary<math::SinOp>(b, loc, x);
}

/// Returns cos(x).
Value buildCos(nn::CosOp, OpBuilder &b, Location loc, Value x) {
  return buildMathUnary<math::CosOp>(b, loc, x);
}

/// Returns tan(x).
Value buildTan(nn::TanOp, OpBuilder &b, Location loc, Value x) {
  return buildMathUnary<math::TanOp>(b, loc, x);
}

/// Returns asin(x).
Value buildAsin(nn::AsinOp, OpBuilder &b, Location loc, Value x) {
  return buildMathUnary<math::AsinOp>(b, loc, x);
}

/// Returns acos(x).
Value buildAcos(nn::AcosOp, OpBuilder &b, Location loc, Value x) {
  return buildMathUnary<math::AcosOp>(b, loc, x);
}

/// Returns atan(x).
Value buildAtan(nn::AtanOp, OpBuilder &b, Location loc, Value x) {
  return buildMathUnary<math::AtanOp>(b, loc, x);
}

/// Returns sinh(x).
Value buildSinh(nn::SinhOp, OpBuilder &b, Location loc, Value x) {
  return buildMathUnary<math::SinhOp>(b, loc, x);
}

/// Returns cosh(x).
Value buildCosh(nn::CoshOp, OpBuilder &b, Location loc, Value x) {
  return buildMathUnary<math::CoshOp>(b, loc, x);
}

/// Returns asinh(x).
Value buildAsinh(nn::AsinhOp, OpBuilder &b, Location loc, Value x) {
  return buildMathUnary<math::AsinhOp>(b, loc, x);
}

/// Returns acosh(x).
Value buildAcosh(nn::AcoshOp, OpBuilder &b, Location loc, Value x) {
  return buildMathUnary<math::AcoshOp>(b, loc, x);
}

/// Returns atanh(x).
Value buildAtanh(nn::AtanhOp, OpBuilder &b, Location loc, Value x) {
  return buildMathUnary<math::AtanhOp>(b, loc, x);
}

/// Returns whether x is NaN.
Value buildIsNaN(nn::IsNaNOp, OpBuilder &b, Location loc, Value x) {
  return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x, x);
}

/// Returns whether x is an infinity of a detected sign.
Value buildIsInf(nn::IsInfOp op, OpBuilder &b, Location loc, Value x) {
  double inf = std::numeric_limits<double>::infinity();
  Value result = createScalarConstant(b, loc, b.getI1Type(), 0.0);
  if (op.getDetectPositive())
    result = arith::OrIOp::create(
        b, loc, result,
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, x,
                              constantLike(b, loc, x, inf)));
  if (op.getDetectNegative())
    result = arith::OrIOp::create(
        b, loc, result,
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, x,
                              constantLike(b, loc, x, -inf)));
  return result;
}

/// Returns `x < 0 ? negative : x`; NaN stays NaN.
Value selectBelowZero(OpBuilder &b, Location loc, Value x, Value negative) {
  Value isNegative = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x,
                                           constantLike(b, loc, x, 0.0));
  return arith::SelectOp::create(b, loc, isNegative, negative, x);
}

/// Returns x for x >= 0, alpha * x below.
Value buildLeakyRelu(nn::LeakyReluOp op, OpBuilder &b, Location loc, Value x) {
  Value alpha = constantLike(b, loc, x, op.getAlpha().convertToDouble());
  return selectBelowZero(b, loc, x, arith::MulFOp::create(b, loc, alpha, x));
}

/// Returns x for x >= 0, alpha * expm1(x) below.
Value buildElu(nn::EluOp op, OpBuilder &b, Location loc, Value x) {
  double alphaValue = op.getAlpha().convertToDouble();
  return computeInF32(b, loc, x, [&](Value v) {
    Value alpha = constantLike(b, loc, v, alphaValue);
    Value negative =
        arith::MulFOp::create(b, loc, alpha, buildExpm1Scalar(b, loc, v));
    return selectBelowZero(b, loc, v, negative);
  });
}

/// Returns gamma * x for x > 0, gamma * alpha * expm1(x) otherwise.
Value buildSelu(nn::SeluOp op, OpBuilder &b, Location loc, Value x) {
  double alphaValue = op.getAlpha().convertToDouble();
  double gammaValue = op.getGamma().convertToDouble();
  return computeInF32(b, loc, x, [&](Value v) -> Value {
    Value alpha = constantLike(b, loc, v, alphaValue);
    Value gamma = constantLike(b, loc, v, gammaValue);
    Value negative =
        arith::MulFOp::create(b, loc, alpha, buildExpm1Scalar(b, loc, v));
    Value isPositive = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT,
                                             v, constantLike(b, loc, v, 0.0));
    // A NaN input goes through the x <= 0 branch and stays NaN.
    Value inner = arith::SelectOp::create(b, loc, isPositive, v, negative);
    return arith::MulFOp::create(b, loc, gamma, inner);
  });
}

/// Returns max(0, x) + min(0, alpha * expm1(x / alpha)).
Value buildCelu(nn::CeluOp op, OpBuilder &b, Location loc, Value x) {
  double alphaValue = op.getAlpha().convertToDouble();
  return computeInF32(b, loc, x, [&](Value v) -> Value {
    Value alpha = constantLike(b, loc, v, alphaValue);
    Value zero = constantLike(b, loc, v, 0.0);
    Value scaled = arith::DivFOp::create(b, loc, v, alpha);
    Value negative =
        arith::MulFOp::create(b, loc, alpha, buildExpm1Scalar(b, loc, scaled));
    return arith::AddFOp::create(
        b, loc, arith::MaximumFOp::create(b, loc, v, zero),
        arith::MinimumFOp::create(b, loc, negative, zero));
  });
}

/// Returns log(1 + exp(x)).
Value buildSoftplus(nn::SoftplusOp, OpBuilder &b, Location loc, Value x) {
  return computeInF32(b, loc, x,
                      [&](Value v) { return buildSoftplusScalar(b, loc, v); });
}

/// Returns x / (1 + |x|).
Value buildSoftsign(nn::SoftsignOp, OpBuilder &b, Location loc, Value x) {
  Value one = constantLike(b, loc, x, 1.0);
  Value denominator =
      arith::AddFOp::create(b, loc, one, math::AbsFOp::create(b, loc, x));
  return arith::DivFOp::create(b, loc, x, denominator);
}

/// Returns x * tanh(softplus(x)).
Value buildMish(nn::MishOp, OpBuilder &b, Location loc, Value x) {
  return computeInF32(b, loc, x, [&](Value v) -> Value {
    Value softplus = buildSoftplusScalar(b, loc, v);
    return arith::MulFOp::create(b, loc, v,
                                 math::TanhOp::create(b, loc, softplus));
  });
}

/// Returns x for x > alpha, 0 otherwise; NaN stays NaN, as in ONNX's
/// reference and PyTorch's threshold.
Value buildThresholdedRelu(nn::ThresholdedReluOp op, OpBuilder &b, Location loc,
                           Value x) {
  Value alpha = constantLike(b, loc, x, op.getAlpha().convertToDouble());
  Value atMost =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLE, x, alpha);
  return arith::SelectOp::create(b, loc, atMost, constantLike(b, loc, x, 0.0),
                                 x);
}

/// Returns x for x >= 0, slope * x below (x itself for `ui*` elements).
Value buildPRelu(nn::PReluOp op, OpBuilder &b, Location loc, Value x,
                 Value slope) {
  if (isa<FloatType>(x.getType()))
    return selectBelowZero(b, loc, x, arith::MulFOp::create(b, loc, slope, x));
  if (hasUnsignedElements(op.getType()))
    return x;
  Value isNegative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x,
                                           constantLike(b, loc, x, 0.0));
  return arith::SelectOp::create(b, loc, isNegative,
                                 arith::MulIOp::create(b, loc, slope, x), x);
}

/// Returns the remainder of lhs / rhs: the sign of the dividend with `fmod`
/// (C fmod, arith.remf / remsi), of the divisor without (Python's %); for
/// `ui*` elements both are remui. An integer divisor of 0 gives 0 as in
/// NumPy, and -1 gives 0 without the overflow of INT_MIN % -1.
Value buildMod(nn::ModOp op, OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType())) {
    // fmod is exact, so a narrow float's remainder computed in f32 rounds
    // back without error.
    auto type = cast<FloatType>(lhs.getType());
    if (type.getWidth() >= 32)
      return arith::RemFOp::create(b, loc, lhs, rhs);
    Value wideLhs = arith::ExtFOp::create(b, loc, b.getF32Type(), lhs);
    Value wideRhs = arith::ExtFOp::create(b, loc, b.getF32Type(), rhs);
    return arith::TruncFOp::create(
        b, loc, type, arith::RemFOp::create(b, loc, wideLhs, wideRhs));
  }
  if (hasUnsignedElements(op.getType()))
    return buildUnsignedDivision<arith::RemUIOp>(b, loc, lhs, rhs);
  Value zero = constantLike(b, loc, lhs, 0.0);
  Value one = constantLike(b, loc, lhs, 1.0);
  Value minusOne = constantLike(b, loc, lhs, -1.0);
  Value unsafe = arith::OrIOp::create(
      b, loc,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, rhs, zero),
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, rhs, minusOne));
  Value divisor = arith::SelectOp::create(b, loc, unsafe, one, rhs);
  Value remainder = arith::RemSIOp::create(b, loc, lhs, divisor);
  if (op.getFmod())
    return remainder;
  // Move a non-zero remainder whose sign differs from the divisor's by one
  // divisor: (r != 0) && ((r < 0) != (d < 0)).
  Value nonZero =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, remainder, zero);
  Value signsDiffer = arith::XOrIOp::create(
      b, loc,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, remainder, zero),
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, divisor, zero));
  Value adjust = arith::AndIOp::create(b, loc, nonZero, signsDiffer);
  return arith::SelectOp::create(
      b, loc, adjust, arith::AddIOp::create(b, loc, remainder, divisor),
      remainder);
}

/// Lowers a broadcasting op of two operands whose scalar computation needs
/// the op (for its attributes, or the signedness of its nn element type) to
/// an elementwise linalg.generic.
template <typename OpTy,
          Value (*buildScalar)(OpTy, OpBuilder &, Location, Value, Value)>
struct BinaryWithAttrsLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(this->getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Value result = createElementwiseOp(
        rewriter, op.getLoc(), resultType, adaptor.getOperands(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return buildScalar(op, b, loc, args[0], args[1]);
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
               BinaryWithAttrsLowering<nn::DivOp, buildDiv>,
               BroadcastBinaryLowering<nn::PowOp, buildPow>,
               BinaryWithAttrsLowering<nn::MaxOp, buildMax>,
               BinaryWithAttrsLowering<nn::MinOp, buildMin>, WhereLowering>(
      typeConverter, context);
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
  using Cmp = arith::CmpIPredicate;
  using CmpF = arith::CmpFPredicate;
  patterns.add<
      BinaryWithAttrsLowering<
          nn::EqualOp, buildCompare<nn::EqualOp, CmpF::OEQ, Cmp::eq, Cmp::eq>>,
      BinaryWithAttrsLowering<
          nn::LessOp, buildCompare<nn::LessOp, CmpF::OLT, Cmp::slt, Cmp::ult>>,
      BinaryWithAttrsLowering<
          nn::LessEqualOp,
          buildCompare<nn::LessEqualOp, CmpF::OLE, Cmp::sle, Cmp::ule>>,
      BinaryWithAttrsLowering<
          nn::GreaterOp,
          buildCompare<nn::GreaterOp, CmpF::OGT, Cmp::sgt, Cmp::ugt>>,
      BinaryWithAttrsLowering<
          nn::GreaterEqualOp,
          buildCompare<nn::GreaterEqualOp, CmpF::OGE, Cmp::sge, Cmp::uge>>>(
      typeConverter, context);
  patterns.add<BroadcastBinaryLowering<nn::AndOp, buildAnd>,
               BroadcastBinaryLowering<nn::OrOp, buildOr>,
               BroadcastBinaryLowering<nn::XorOp, buildXor>,
               BinaryWithAttrsLowering<nn::PReluOp, buildPRelu>,
               BinaryWithAttrsLowering<nn::ModOp, buildMod>>(typeConverter,
                                                             context);
  patterns.add<
      UnaryLowering<nn::NotOp, buildNot>,
      UnaryLowering<nn::FloorOp, buildFloor>,
      UnaryLowering<nn::CeilOp, buildCeil>,
      UnaryLowering<nn::RoundOp, buildRound>,
      UnaryLowering<nn::SignOp, buildSign>, UnaryLowering<nn::SinOp, buildSin>,
      UnaryLowering<nn::CosOp, buildCos>, UnaryLowering<nn::TanOp, buildTan>,
      UnaryLowering<nn::AsinOp, buildAsin>,
      UnaryLowering<nn::AcosOp, buildAcos>,
      UnaryLowering<nn::AtanOp, buildAtan>,
      UnaryLowering<nn::SinhOp, buildSinh>,
      UnaryLowering<nn::CoshOp, buildCosh>,
      UnaryLowering<nn::AsinhOp, buildAsinh>,
      UnaryLowering<nn::AcoshOp, buildAcosh>,
      UnaryLowering<nn::AtanhOp, buildAtanh>,
      UnaryLowering<nn::IsNaNOp, buildIsNaN>,
      UnaryLowering<nn::IsInfOp, buildIsInf>,
      UnaryLowering<nn::LeakyReluOp, buildLeakyRelu>,
      UnaryLowering<nn::EluOp, buildElu>, UnaryLowering<nn::SeluOp, buildSelu>,
      UnaryLowering<nn::CeluOp, buildCelu>,
      UnaryLowering<nn::SoftplusOp, buildSoftplus>,
      UnaryLowering<nn::SoftsignOp, buildSoftsign>,
      UnaryLowering<nn::MishOp, buildMish>,
      UnaryLowering<nn::ThresholdedReluOp, buildThresholdedRelu>>(typeConverter,
                                                                  context);
}
