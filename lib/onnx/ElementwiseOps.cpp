//===- ElementwiseOps.cpp - ONNX elementwise ops to nn --------------------===//
//
// Converters for ONNX's broadcasting arithmetic (Add, Sub, Mul, Div, Pow and
// the variadic Max, Min, Sum, Mean as chains of binary ops), Where, Cast,
// CastLike, Clip, the comparisons and logical ops (i1 results), Mod, PRelu,
// BitShift, and the unary activations and math functions that have an nn
// counterpart.
// Reciprocal becomes `1 / x`. ONNX opsets 7 and later
// broadcast like NumPy, exactly as the nn ops do.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"

#include "kiln/dialects/nn/NNOps.h"

#include <cmath>

using namespace mlir;
using namespace kiln;
using namespace kiln::onnximport;

/// Converts a broadcasting binary op.
template <typename OpTy> static LogicalResult convertBinary(NodeContext &ctx) {
  FailureOr<Value> lhs = ctx.getInput(0);
  if (failed(lhs))
    return failure();
  FailureOr<Value> rhs = ctx.getInput(1);
  if (failed(rhs))
    return failure();
  rhs = alignLegacyBroadcastOperand(ctx, *lhs, *rhs);
  if (failed(rhs))
    return failure();
  FailureOr<Value> result = ctx.create<OpTy>(*lhs, *rhs);
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Converts Pow. ONNX lets the exponent have another element type than the
/// base (the result takes the base's); nn.pow does not, so the exponent is
/// cast to the base's element type first.
static LogicalResult convertPow(NodeContext &ctx) {
  FailureOr<Value> base = ctx.getInput(0);
  if (failed(base))
    return failure();
  FailureOr<Value> exponent = ctx.getInput(1);
  if (failed(exponent))
    return failure();
  exponent = alignLegacyBroadcastOperand(ctx, *base, *exponent);
  if (failed(exponent))
    return failure();
  auto baseType = dyn_cast<RankedTensorType>(base->getType());
  auto exponentType = dyn_cast<RankedTensorType>(exponent->getType());
  if (baseType && exponentType &&
      baseType.getElementType() != exponentType.getElementType()) {
    exponent = ctx.createTyped<nn::CastOp>(
        exponentType.clone(baseType.getElementType()), *exponent);
    if (failed(exponent))
      return failure();
  }
  FailureOr<Value> result = ctx.create<nn::PowOp>(*base, *exponent);
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Converts a variadic op (Max, Min, Sum) into a left-to-right chain of the
/// binary op; with `isMean` the sum is then divided by the input count.
template <typename OpTy, bool isMean = false>
static LogicalResult convertVariadic(NodeContext &ctx) {
  unsigned count = ctx.getNumInputs();
  if (count == 0)
    return ctx.fail("needs at least one input");
  FailureOr<Value> result = ctx.getInput(0);
  if (failed(result))
    return failure();
  for (unsigned i = 1; i < count; ++i) {
    FailureOr<Value> next = ctx.getInput(i);
    if (failed(next))
      return failure();
    result = ctx.create<OpTy>(*result, *next);
    if (failed(result))
      return failure();
  }
  if (isMean && count > 1) {
    Type elementType =
        cast<RankedTensorType>(result->getType()).getElementType();
    FailureOr<Value> divisor = ctx.createScalar(elementType, count);
    if (failed(divisor))
      return failure();
    result = ctx.create<nn::DivOp>(*result, *divisor);
    if (failed(result))
      return failure();
  }
  ctx.setOutput(0, *result);
  return success();
}

/// Converts Where(condition, x, y).
static LogicalResult convertWhere(NodeContext &ctx) {
  SmallVector<Value, 3> operands;
  for (unsigned i = 0; i < 3; ++i) {
    FailureOr<Value> operand = ctx.getInput(i);
    if (failed(operand))
      return failure();
    operands.push_back(*operand);
  }
  FailureOr<Value> result =
      ctx.create<nn::WhereOp>(operands[0], operands[1], operands[2]);
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Casts input 0 to `elementType`, or forwards it when it already has it.
static LogicalResult castInputTo(NodeContext &ctx, Type elementType) {
  FailureOr<RankedTensorType> inputType = ctx.getInputType(0);
  if (failed(inputType))
    return failure();
  if (inputType->getElementType() == elementType)
    return ctx.setOutputAlias(0, 0);
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  FailureOr<Value> result =
      ctx.createTyped<nn::CastOp>(inputType->clone(elementType), *input);
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Converts Cast(to).
static LogicalResult convertCast(NodeContext &ctx) {
  FailureOr<int64_t> to = ctx.getIntAttr("to", 0);
  if (failed(to))
    return failure();
  Type elementType = convertDataType(ctx.getContext(), *to);
  if (!elementType)
    return ctx.fail("cast to " + getDataTypeName(*to) + " is not supported");
  return castInputTo(ctx, elementType);
}

/// Converts CastLike(input, target): a cast to the target's element type.
static LogicalResult convertCastLike(NodeContext &ctx) {
  FailureOr<RankedTensorType> targetType = ctx.getInputType(1);
  if (failed(targetType))
    return failure();
  return castInputTo(ctx, targetType->getElementType());
}

/// Reads one Clip bound into `bound` (left unset when absent): attribute
/// `name` before opset 11, the optional constant scalar input `index` from
/// it on. An infinite bound is no bound.
static LogicalResult getClipBound(NodeContext &ctx, StringRef name,
                                  unsigned index, FloatAttr &bound) {
  double value;
  if (ctx.getOpset() < 11) {
    if (!ctx.findAttribute(name))
      return success();
    FailureOr<double> attr = ctx.getFloatAttr(name, 0.0);
    if (failed(attr))
      return failure();
    value = *attr;
  } else {
    if (!ctx.hasInput(index))
      return success();
    std::string what = ("the '" + name + "' input").str();
    FailureOr<SmallVector<double>> values = ctx.getConstantFloats(index, what);
    if (failed(values))
      return failure();
    if (values->size() != 1)
      return ctx.fail(what + " must be a scalar");
    value = values->front();
  }
  bool unbounded = std::isinf(value) && (name == "min" ? value < 0 : value > 0);
  if (!unbounded)
    bound = ctx.getBuilder().getF64FloatAttr(value);
  return success();
}

/// Converts Clip: bounds are attributes before opset 11 and optional
/// constant inputs from it on.
static LogicalResult convertClip(NodeContext &ctx) {
  // From opset 11 the bounds are inputs; when one is only known at run time,
  // Clip is min(max(x, min), max) with the bounds broadcast, exactly ONNX's
  // definition (NaN propagates; min > max gives max).
  bool runtimeBound = false;
  if (ctx.getOpset() >= 11)
    for (unsigned index : {1u, 2u})
      runtimeBound |= ctx.hasInput(index) && !ctx.isConstantInput(index);
  if (runtimeBound) {
    FailureOr<Value> result = ctx.getInput(0);
    if (failed(result))
      return failure();
    for (unsigned index : {1u, 2u}) {
      if (!ctx.hasInput(index))
        continue;
      FailureOr<Value> bound = ctx.getInput(index);
      if (failed(bound))
        return failure();
      result = index == 1 ? ctx.create<nn::MaxOp>(*result, *bound)
                          : ctx.create<nn::MinOp>(*result, *bound);
      if (failed(result))
        return failure();
    }
    ctx.setOutput(0, *result);
    return success();
  }
  FloatAttr low, high;
  if (failed(getClipBound(ctx, "min", 1, low)) ||
      failed(getClipBound(ctx, "max", 2, high)))
    return failure();
  if (low && high && low.getValueAsDouble() > high.getValueAsDouble())
    return ctx.fail("a 'min' bound greater than the 'max' bound is not "
                    "supported");
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  // nn.clip's bounds are f64: exact for every integer below 2^53 only,
  // which 64-bit integer tensors exceed.
  Type elementType = cast<RankedTensorType>(input->getType()).getElementType();
  for (FloatAttr bound : {low, high})
    if (bound && elementType.isInteger(64) &&
        std::abs(bound.getValueAsDouble()) >= 0x1p53)
      return ctx.fail("a bound of 2^53 or more in magnitude on 64-bit "
                      "integers is not supported");
  FailureOr<Value> result = ctx.create<nn::ClipOp>(*input, low, high);
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Converts a unary op that maps one-to-one onto an nn op.
template <typename OpTy> static LogicalResult convertUnary(NodeContext &ctx) {
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  FailureOr<Value> result = ctx.create<OpTy>(*input);
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Converts Reciprocal(x) to `1 / x`.
static LogicalResult convertReciprocal(NodeContext &ctx) {
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  Type elementType = cast<RankedTensorType>(input->getType()).getElementType();
  FailureOr<Value> one = ctx.createScalar(elementType, 1.0);
  if (failed(one))
    return failure();
  FailureOr<Value> result = ctx.create<nn::DivOp>(*one, *input);
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Converts HardSigmoid(alpha, beta).
static LogicalResult convertHardSigmoid(NodeContext &ctx) {
  FailureOr<double> alpha = ctx.getFloatAttr("alpha", 0.2);
  if (failed(alpha))
    return failure();
  FailureOr<double> beta = ctx.getFloatAttr("beta", 0.5);
  if (failed(beta))
    return failure();
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  Builder &builder = ctx.getBuilder();
  FailureOr<Value> result = ctx.create<nn::HardSigmoidOp>(
      *input, builder.getF64FloatAttr(*alpha), builder.getF64FloatAttr(*beta));
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

//===----------------------------------------------------------------------===//
// Parameterized activations, IsInf and Mod
//===----------------------------------------------------------------------===//

/// Converts a unary activation with one float attribute `name` (default
/// `defaultValue`), passed to the nn op as an f64 attribute.
template <typename OpTy>
static LogicalResult convertUnaryWithAlpha(NodeContext &ctx, StringRef name,
                                           double defaultValue) {
  FailureOr<double> alpha = ctx.getFloatAttr(name, defaultValue);
  if (failed(alpha))
    return failure();
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  FailureOr<Value> result =
      ctx.create<OpTy>(*input, ctx.getBuilder().getF64FloatAttr(*alpha));
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Converts Selu(alpha, gamma); the defaults are ONNX's float32 constants.
static LogicalResult convertSelu(NodeContext &ctx) {
  FailureOr<double> alpha =
      ctx.getFloatAttr("alpha", 1.67326319217681884765625);
  if (failed(alpha))
    return failure();
  FailureOr<double> gamma =
      ctx.getFloatAttr("gamma", 1.05070102214813232421875);
  if (failed(gamma))
    return failure();
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  Builder &builder = ctx.getBuilder();
  FailureOr<Value> result = ctx.create<nn::SeluOp>(
      *input, builder.getF64FloatAttr(*alpha), builder.getF64FloatAttr(*gamma));
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Converts Celu(alpha), whose alpha nn.celu requires to be non-zero.
static LogicalResult convertCelu(NodeContext &ctx) {
  FailureOr<double> alpha = ctx.getFloatAttr("alpha", 1.0);
  if (failed(alpha))
    return failure();
  if (*alpha == 0.0)
    return ctx.fail("alpha=0 is not supported");
  return convertUnaryWithAlpha<nn::CeluOp>(ctx, "alpha", 1.0);
}

/// Converts IsInf(detect_negative, detect_positive).
static LogicalResult convertIsInf(NodeContext &ctx) {
  FailureOr<int64_t> detectNegative = ctx.getIntAttr("detect_negative", 1);
  if (failed(detectNegative))
    return failure();
  FailureOr<int64_t> detectPositive = ctx.getIntAttr("detect_positive", 1);
  if (failed(detectPositive))
    return failure();
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  Builder &builder = ctx.getBuilder();
  FailureOr<Value> result =
      ctx.create<nn::IsInfOp>(*input, builder.getBoolAttr(*detectNegative != 0),
                              builder.getBoolAttr(*detectPositive != 0));
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Converts PRelu(X, slope). From opset 7 the slope broadcasts to X as in
/// NumPy; before, a 1-D slope of X's channel count applies per channel
/// (axis 1), so it is reshaped to [C, 1, ..., 1] first.
static LogicalResult convertPRelu(NodeContext &ctx) {
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  FailureOr<Value> slope = ctx.getInput(1);
  if (failed(slope))
    return failure();
  auto inputType = cast<RankedTensorType>(input->getType());
  auto slopeType = cast<RankedTensorType>(slope->getType());
  if (ctx.getOpset() < 7 && slopeType.getRank() == 1 &&
      slopeType.hasStaticShape() && inputType.getRank() > 2 &&
      slopeType.getDimSize(0) != 1 &&
      slopeType.getDimSize(0) == inputType.getDimSize(1)) {
    SmallVector<int64_t> perChannel(inputType.getRank() - 1, 1);
    perChannel.front() = slopeType.getDimSize(0);
    slope = ctx.createReshape(*slope, perChannel);
    if (failed(slope))
      return failure();
  }
  FailureOr<Value> result = ctx.create<nn::PReluOp>(*input, *slope);
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Converts Mod(fmod): fmod=0 takes the divisor's sign (integers only),
/// fmod=1 the dividend's.
static LogicalResult convertMod(NodeContext &ctx) {
  FailureOr<int64_t> fmod = ctx.getIntAttr("fmod", 0);
  if (failed(fmod))
    return failure();
  if (*fmod != 0 && *fmod != 1)
    return ctx.fail("fmod must be 0 or 1");
  FailureOr<Value> lhs = ctx.getInput(0);
  if (failed(lhs))
    return failure();
  FailureOr<Value> rhs = ctx.getInput(1);
  if (failed(rhs))
    return failure();
  if (*fmod == 0 &&
      isa<FloatType>(cast<RankedTensorType>(lhs->getType()).getElementType()))
    return ctx.fail("fmod=0 on floats is not supported (ONNX requires fmod=1)");
  FailureOr<Value> result =
      ctx.create<nn::ModOp>(*lhs, *rhs, ctx.getBuilder().getBoolAttr(*fmod));
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Converts BitShift(direction) of unsigned integers.
static LogicalResult convertBitShift(NodeContext &ctx) {
  FailureOr<std::string> direction = ctx.getStringAttr("direction", "");
  if (failed(direction))
    return failure();
  std::optional<nn::ShiftDirection> kind =
      *direction == "LEFT"    ? std::optional(nn::ShiftDirection::Left)
      : *direction == "RIGHT" ? std::optional(nn::ShiftDirection::Right)
                              : std::nullopt;
  if (!kind)
    return ctx.fail("direction must be 'LEFT' or 'RIGHT', got '" + *direction +
                    "'");
  FailureOr<Value> lhs = ctx.getInput(0);
  if (failed(lhs))
    return failure();
  FailureOr<Value> rhs = ctx.getInput(1);
  if (failed(rhs))
    return failure();
  FailureOr<Value> result = ctx.create<nn::BitShiftOp>(
      *lhs, *rhs, nn::ShiftDirectionAttr::get(ctx.getContext(), *kind));
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

void kiln::onnximport::addElementwiseConverters(ConverterRegistry &registry) {
  registry["Add"] = convertBinary<nn::AddOp>;
  registry["Sub"] = convertBinary<nn::SubOp>;
  registry["Mul"] = convertBinary<nn::MulOp>;
  registry["Div"] = convertBinary<nn::DivOp>;
  registry["Pow"] = convertPow;
  registry["Max"] = convertVariadic<nn::MaxOp>;
  registry["Min"] = convertVariadic<nn::MinOp>;
  registry["Sum"] = convertVariadic<nn::AddOp>;
  registry["Mean"] = convertVariadic<nn::AddOp, /*isMean=*/true>;
  registry["Where"] = convertWhere;
  registry["Cast"] = convertCast;
  registry["CastLike"] = convertCastLike;
  registry["Clip"] = convertClip;
  registry["Relu"] = convertUnary<nn::ReluOp>;
  registry["Sigmoid"] = convertUnary<nn::SigmoidOp>;
  registry["Tanh"] = convertUnary<nn::TanhOp>;
  registry["Erf"] = convertUnary<nn::ErfOp>;
  registry["Exp"] = convertUnary<nn::ExpOp>;
  registry["Log"] = convertUnary<nn::LogOp>;
  registry["Sqrt"] = convertUnary<nn::SqrtOp>;
  registry["Neg"] = convertUnary<nn::NegOp>;
  registry["Abs"] = convertUnary<nn::AbsOp>;
  registry["HardSwish"] = convertUnary<nn::HardSwishOp>;
  registry["Reciprocal"] = convertReciprocal;
  registry["HardSigmoid"] = convertHardSigmoid;
  // Comparisons and logical ops (i1 results).
  registry["Equal"] = convertBinary<nn::EqualOp>;
  registry["Less"] = convertBinary<nn::LessOp>;
  registry["LessOrEqual"] = convertBinary<nn::LessEqualOp>;
  registry["Greater"] = convertBinary<nn::GreaterOp>;
  registry["GreaterOrEqual"] = convertBinary<nn::GreaterEqualOp>;
  registry["And"] = convertBinary<nn::AndOp>;
  registry["Or"] = convertBinary<nn::OrOp>;
  registry["Xor"] = convertBinary<nn::XorOp>;
  registry["Not"] = convertUnary<nn::NotOp>;
  // Rounding, sign, trigonometry and float tests.
  registry["Floor"] = convertUnary<nn::FloorOp>;
  registry["Ceil"] = convertUnary<nn::CeilOp>;
  registry["Round"] = convertUnary<nn::RoundOp>;
  registry["Sign"] = convertUnary<nn::SignOp>;
  registry["Sin"] = convertUnary<nn::SinOp>;
  registry["Cos"] = convertUnary<nn::CosOp>;
  registry["Tan"] = convertUnary<nn::TanOp>;
  registry["Asin"] = convertUnary<nn::AsinOp>;
  registry["Acos"] = convertUnary<nn::AcosOp>;
  registry["Atan"] = convertUnary<nn::AtanOp>;
  registry["Sinh"] = convertUnary<nn::SinhOp>;
  registry["Cosh"] = convertUnary<nn::CoshOp>;
  registry["Asinh"] = convertUnary<nn::AsinhOp>;
  registry["Acosh"] = convertUnary<nn::AcoshOp>;
  registry["Atanh"] = convertUnary<nn::AtanhOp>;
  registry["IsNaN"] = convertUnary<nn::IsNaNOp>;
  registry["IsInf"] = convertIsInf;
  // Activations and Mod.
  registry["LeakyRelu"] = [](NodeContext &ctx) {
    return convertUnaryWithAlpha<nn::LeakyReluOp>(ctx, "alpha", 0.01);
  };
  registry["Elu"] = [](NodeContext &ctx) {
    return convertUnaryWithAlpha<nn::EluOp>(ctx, "alpha", 1.0);
  };
  registry["ThresholdedRelu"] = [](NodeContext &ctx) {
    return convertUnaryWithAlpha<nn::ThresholdedReluOp>(ctx, "alpha", 1.0);
  };
  registry["Selu"] = convertSelu;
  registry["Celu"] = convertCelu;
  registry["Softplus"] = convertUnary<nn::SoftplusOp>;
  registry["Softsign"] = convertUnary<nn::SoftsignOp>;
  registry["Mish"] = convertUnary<nn::MishOp>;
  registry["PRelu"] = convertPRelu;
  registry["Mod"] = convertMod;
  registry["BitShift"] = convertBitShift;
}
