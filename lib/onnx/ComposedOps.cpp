//===- ComposedOps.cpp - ONNX ops imported as compositions of nn ops ------===//
//
// Converters for ONNX ops with no nn counterpart of their own, expressed
// with existing elementwise and data-movement ops: Shrink (two comparisons
// and two selects) and LRN (the sum of squares over a window of channels as
// a channel padding followed by a sum of shifted slices, then a power and a
// division). The compositions compute what ONNX's reference does, in the
// same order of additions.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"

#include "kiln/dialects/nn/NNOps.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace kiln;
using namespace kiln::onnximport;

/// Converts Shrink (opset 9 on):
/// `where(x < -lambd, x + bias, where(x > lambd, x - bias, 0))`. On signed
/// integers the thresholds round to the equivalent integer comparisons
/// (`x < ceil(-lambd)`, `x > floor(lambd)`) and `bias` must be integral,
/// since ONNX's reference adds it in floating point and truncates.
static LogicalResult convertShrink(NodeContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getInputType(0);
  FailureOr<double> lambd = ctx.getFloatAttr("lambd", 0.5);
  FailureOr<double> bias = ctx.getFloatAttr("bias", 0.0);
  if (failed(type) || failed(lambd) || failed(bias))
    return failure();
  Type elementType = type->getElementType();
  double lower = -*lambd, upper = *lambd;
  if (isa<IntegerType>(elementType)) {
    if (elementType.isUnsignedInteger() || elementType.isInteger(1))
      return ctx.fail("unsigned and boolean inputs are not supported");
    if (std::trunc(*bias) != *bias)
      return ctx.fail("a non-integral bias on integers is not supported");
    lower = std::ceil(lower);
    upper = std::floor(upper);
  } else if (!isa<FloatType>(elementType)) {
    return ctx.fail("quantized inputs are not supported");
  }
  FailureOr<Value> x = ctx.getInput(0);
  FailureOr<Value> lowerValue = ctx.createScalar(elementType, lower);
  FailureOr<Value> upperValue = ctx.createScalar(elementType, upper);
  FailureOr<Value> biasValue = ctx.createScalar(elementType, *bias);
  FailureOr<Value> zero = ctx.createScalar(elementType, 0.0);
  if (failed(x) || failed(lowerValue) || failed(upperValue) ||
      failed(biasValue) || failed(zero))
    return failure();
  FailureOr<Value> below = ctx.create<nn::LessOp>(*x, *lowerValue);
  FailureOr<Value> above = ctx.create<nn::GreaterOp>(*x, *upperValue);
  FailureOr<Value> raised = ctx.create<nn::AddOp>(*x, *biasValue);
  FailureOr<Value> lowered = ctx.create<nn::SubOp>(*x, *biasValue);
  if (failed(below) || failed(above) || failed(raised) || failed(lowered))
    return failure();
  FailureOr<Value> upperPart = ctx.create<nn::WhereOp>(*above, *lowered, *zero);
  if (failed(upperPart))
    return failure();
  FailureOr<Value> result =
      ctx.create<nn::WhereOp>(*below, *raised, *upperPart);
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Converts LRN (opset 1 on) on a float N x C x D1 x ... input of static
/// shape: `y = x / (bias + alpha / size * s) ^ beta`, where `s` sums the
/// squares of channels `c - floor((size - 1) / 2)` to
/// `c + ceil((size - 1) / 2)`. The squares are padded with zeros along the
/// channels and `s` is the sum, in channel order, of the shifted channel
/// slices (those that reach at least one channel).
static LogicalResult convertLRN(NodeContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getInputType(0);
  FailureOr<double> alpha = ctx.getFloatAttr("alpha", 1e-4);
  FailureOr<double> beta = ctx.getFloatAttr("beta", 0.75);
  FailureOr<double> bias = ctx.getFloatAttr("bias", 1.0);
  FailureOr<int64_t> size = ctx.getIntAttr("size", 0);
  if (failed(type) || failed(alpha) || failed(beta) || failed(bias) ||
      failed(size))
    return failure();
  if (!ctx.findAttribute("size") || *size < 1)
    return ctx.fail("'size' must be a positive integer");
  if (!isa<FloatType>(type->getElementType()))
    return ctx.fail("only float inputs are supported");
  int64_t rank = type->getRank();
  if (rank < 3)
    return ctx.fail("the input must have rank >= 3, got " + Twine(rank));
  if (!type->hasStaticShape())
    return ctx.fail("inputs with dynamic dimensions are not supported");
  Type elementType = type->getElementType();
  // Window offsets run from -before to after; only those within (-C, C)
  // reach a channel, so the padding and the number of slices stay below 2C
  // whatever the size.
  int64_t channels = type->getDimSize(1);
  if (channels == 0)
    return ctx.setOutputAlias(0, 0);
  int64_t before = std::min((*size - 1) / 2, channels - 1);
  int64_t after = std::min(*size - 1 - (*size - 1) / 2, channels - 1);

  FailureOr<Value> x = ctx.getInput(0);
  if (failed(x))
    return failure();
  FailureOr<Value> squares = ctx.create<nn::MulOp>(*x, *x);
  if (failed(squares))
    return failure();
  OpBuilder &builder = ctx.getBuilder();
  SmallVector<int64_t> pads(2 * rank, 0);
  pads[1] = before;
  pads[rank + 1] = after;
  FailureOr<Value> padded = ctx.create<nn::PadOp>(
      *squares, builder.getDenseI64ArrayAttr(pads),
      nn::PadModeAttr::get(ctx.getContext(), nn::PadMode::Constant),
      builder.getF64FloatAttr(0.0));
  if (failed(padded))
    return failure();
  SmallVector<int64_t> starts(rank, 0), ends(type->getShape()), steps(rank, 1);
  FailureOr<Value> sum = failure();
  for (int64_t offset = 0; offset <= before + after; ++offset) {
    starts[1] = offset;
    ends[1] = offset + channels;
    FailureOr<Value> window = ctx.create<nn::SliceOp>(
        *padded, ArrayRef<int64_t>(starts), ArrayRef<int64_t>(ends),
        ArrayRef<int64_t>(steps));
    if (failed(window))
      return failure();
    sum = offset == 0 ? window : ctx.create<nn::AddOp>(*sum, *window);
    if (failed(sum))
      return failure();
  }
  FailureOr<Value> scale =
      ctx.createScalar(elementType, *alpha / static_cast<double>(*size));
  FailureOr<Value> biasValue = ctx.createScalar(elementType, *bias);
  FailureOr<Value> betaValue = ctx.createScalar(elementType, *beta);
  if (failed(scale) || failed(biasValue) || failed(betaValue))
    return failure();
  FailureOr<Value> scaled = ctx.create<nn::MulOp>(*scale, *sum);
  if (failed(scaled))
    return failure();
  FailureOr<Value> base = ctx.create<nn::AddOp>(*biasValue, *scaled);
  if (failed(base))
    return failure();
  FailureOr<Value> denominator = ctx.create<nn::PowOp>(*base, *betaValue);
  if (failed(denominator))
    return failure();
  FailureOr<Value> result = ctx.create<nn::DivOp>(*x, *denominator);
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

void kiln::onnximport::addComposedConverters(ConverterRegistry &registry) {
  registry["Shrink"] = convertShrink;
  registry["LRN"] = convertLRN;
}
