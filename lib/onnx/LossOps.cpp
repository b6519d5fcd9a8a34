//===- LossOps.cpp - ONNX loss functions ----------------------------------===//
//
// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss (opsets 12 and 13),
// composed of nn ops. With input `x` of shape [N, C, d1, ..., dk], target
// `t` of shape [N, d1, ..., dk] and optional weight `w` of shape [C]:
//
//   loss[n, d] = -x[n, t[n, d], d] * w[t[n, d]]   (w = 1 without a weight)
//   loss[n, d] = 0                                  where t == ignore_index
//
// The gathered class index of an ignored element is replaced by 0 first, so
// that ignore_index may lie outside [0, C). `mean` divides the sum of the
// losses by the sum of the weights of the elements that are not ignored
// (the element count without weight and ignore_index). SoftmaxCrossEntropy
// applies this to log_softmax(x) along axis 1, computed as
// (x - max) - log(sum(exp(x - max))), which is also its optional second
// output.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"

#include "kiln/dialects/nn/NNOps.h"

#include <cmath>
#include <numeric>

using namespace mlir;
using namespace kiln;
using namespace kiln::onnximport;

namespace {
enum class Reduction { None, Sum, Mean };
} // namespace

/// Returns `x` reduced over all its dimensions to a rank-0 tensor.
template <typename OpTy>
static FailureOr<Value> reduceAll(NodeContext &ctx, Value x) {
  int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
  SmallVector<int64_t> axes(rank);
  std::iota(axes.begin(), axes.end(), 0);
  return ctx.create<OpTy>(x, ArrayRef<int64_t>(axes), /*keepdims=*/false);
}

/// Builds the loss of NegativeLogLikelihoodLoss on `logProb` (the input, or
/// log_softmax of the scores), of type `inputType`, with the node's target
/// (input 1), optional weight (input 2) and attributes.
static FailureOr<Value> buildNllLoss(NodeContext &ctx, Value logProb,
                                     RankedTensorType inputType) {
  // Attributes.
  FailureOr<std::string> reductionName = ctx.getStringAttr("reduction", "mean");
  if (failed(reductionName))
    return failure();
  Reduction reduction;
  if (*reductionName == "none")
    reduction = Reduction::None;
  else if (*reductionName == "sum")
    reduction = Reduction::Sum;
  else if (*reductionName == "mean")
    reduction = Reduction::Mean;
  else
    return ctx.fail("reduction '" + *reductionName + "' is not supported");
  std::optional<int64_t> ignoreIndex;
  if (ctx.findAttribute("ignore_index")) {
    FailureOr<int64_t> value = ctx.getIntAttr("ignore_index", 0);
    if (failed(value))
      return failure();
    ignoreIndex = *value;
  }

  // Target: [N, d1, ..., dk] of i32/i64, matching the input without C.
  FailureOr<RankedTensorType> targetType = ctx.getInputType(1);
  if (failed(targetType))
    return failure();
  Type indexType = targetType->getElementType();
  if (!indexType.isInteger(64) && !indexType.isInteger(32))
    return ctx.fail("the target must be int32 or int64");
  if (!targetType->hasStaticShape())
    return ctx.fail("the target must have a static shape");
  ArrayRef<int64_t> inputShape = inputType.getShape();
  SmallVector<int64_t> expectedTarget;
  expectedTarget.push_back(inputShape[0]);
  expectedTarget.append(inputShape.begin() + 2, inputShape.end());
  if (targetType->getShape() != ArrayRef<int64_t>(expectedTarget))
    return ctx.fail("the target shape must be the input shape without "
                    "dimension 1");
  ArrayRef<int64_t> targetShape = targetType->getShape();
  FailureOr<Value> target = ctx.getInput(1);
  if (failed(target))
    return failure();

  Type elementType = inputType.getElementType();
  int64_t numClasses = inputShape[1];

  // Optional weight: [C] of the input's element type.
  std::optional<Value> weight;
  if (ctx.getNumInputs() > 2 && ctx.hasInput(2)) {
    FailureOr<RankedTensorType> weightType = ctx.getInputType(2);
    if (failed(weightType))
      return failure();
    if (weightType->getElementType() != elementType)
      return ctx.fail("the weight must have the input's element type");
    if (weightType->getRank() != 1 || weightType->getDimSize(0) != numClasses)
      return ctx.fail("the weight must have shape [" + Twine(numClasses) + "]");
    FailureOr<Value> value = ctx.getInput(2);
    if (failed(value))
      return failure();
    weight = *value;
  }

  // Ignored elements, and a class index that is always in range for them.
  std::optional<Value> ignored;
  Value safeTarget = *target;
  if (ignoreIndex) {
    if (std::abs(static_cast<double>(*ignoreIndex)) > 9007199254740992.0 ||
        (indexType.isInteger(32) &&
         (*ignoreIndex < INT32_MIN || *ignoreIndex > INT32_MAX)))
      return ctx.fail("ignore_index " + Twine(*ignoreIndex) +
                      " is out of the supported range");
    FailureOr<Value> ii =
        ctx.createScalar(indexType, static_cast<double>(*ignoreIndex));
    if (failed(ii))
      return failure();
    FailureOr<Value> isIgnored = ctx.create<nn::EqualOp>(*target, *ii);
    if (failed(isIgnored))
      return failure();
    ignored = *isIgnored;
    FailureOr<Value> zeroIndex = ctx.createScalar(indexType, 0);
    if (failed(zeroIndex))
      return failure();
    FailureOr<Value> guarded =
        ctx.create<nn::WhereOp>(*ignored, *zeroIndex, *target);
    if (failed(guarded))
      return failure();
    safeTarget = *guarded;
  }

  // -x[n, t[n, d], d]: gather_elements along axis 1 with the target as
  // [N, 1, d1, ..., dk], then back to the target's shape.
  SmallVector<int64_t> indexShape(targetShape);
  indexShape.insert(indexShape.begin() + 1, 1);
  FailureOr<Value> indices = ctx.createReshape(safeTarget, indexShape);
  if (failed(indices))
    return failure();
  FailureOr<Value> picked = ctx.create<nn::GatherElementsOp>(
      logProb, *indices, ctx.getBuilder().getI64IntegerAttr(1));
  if (failed(picked))
    return failure();
  picked = ctx.createReshape(*picked, targetShape);
  if (failed(picked))
    return failure();
  FailureOr<Value> loss = ctx.create<nn::NegOp>(*picked);
  if (failed(loss))
    return failure();

  // Per-element weights w[t] (with the guarded index).
  std::optional<Value> elementWeight;
  if (weight) {
    FailureOr<Value> gathered =
        ctx.create<nn::GatherOp>(*weight, safeTarget, static_cast<uint64_t>(0));
    if (failed(gathered))
      return failure();
    elementWeight = *gathered;
    loss = ctx.create<nn::MulOp>(*elementWeight, *loss);
    if (failed(loss))
      return failure();
  }

  // Zero the ignored elements (a select, so that whatever was gathered for
  // them never leaks in, NaN and infinities included).
  Value zero;
  if (ignored) {
    FailureOr<Value> zeroValue = ctx.createScalar(elementType, 0.0);
    if (failed(zeroValue))
      return failure();
    zero = *zeroValue;
    loss = ctx.create<nn::WhereOp>(*ignored, zero, *loss);
    if (failed(loss))
      return failure();
  }

  switch (reduction) {
  case Reduction::None:
    return loss;
  case Reduction::Sum:
    return reduceAll<nn::ReduceSumOp>(ctx, *loss);
  case Reduction::Mean:
    break;
  }
  if (!weight && !ignored)
    return reduceAll<nn::ReduceMeanOp>(ctx, *loss);
  // The sum of the weights of the elements that count.
  Value counted;
  if (weight) {
    counted = *elementWeight;
  } else {
    FailureOr<Value> one = ctx.createScalar(elementType, 1.0);
    if (failed(one))
      return failure();
    counted = *one;
  }
  if (ignored) {
    FailureOr<Value> value = ctx.create<nn::WhereOp>(*ignored, zero, counted);
    if (failed(value))
      return failure();
    counted = *value;
  }
  FailureOr<Value> total = reduceAll<nn::ReduceSumOp>(ctx, *loss);
  if (failed(total))
    return failure();
  FailureOr<Value> denominator = reduceAll<nn::ReduceSumOp>(ctx, counted);
  if (failed(denominator))
    return failure();
  return ctx.create<nn::DivOp>(*total, *denominator);
}

/// Checks the scores / log-probabilities input: rank >= 2, f32 or f64, and
/// a static shape.
static FailureOr<RankedTensorType> getLossInputType(NodeContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getInputType(0);
  if (failed(type))
    return failure();
  if (type->getRank() < 2)
    return ctx.fail("the input must have rank >= 2, got " +
                    Twine(type->getRank()));
  if (!type->getElementType().isF32() && !type->getElementType().isF64())
    return ctx.fail("only float and double inputs are supported");
  if (!type->hasStaticShape())
    return ctx.fail("the input must have a static shape");
  return *type;
}

/// Converts NegativeLogLikelihoodLoss (opsets 12, 13).
static LogicalResult convertNegativeLogLikelihoodLoss(NodeContext &ctx) {
  FailureOr<RankedTensorType> inputType = getLossInputType(ctx);
  if (failed(inputType))
    return failure();
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  FailureOr<Value> loss = buildNllLoss(ctx, *input, *inputType);
  if (failed(loss))
    return failure();
  ctx.setOutput(0, *loss);
  return success();
}

/// Converts SoftmaxCrossEntropyLoss (opsets 12, 13): NLL of log_softmax of
/// the scores along axis 1, with log_softmax as the optional output 1.
static LogicalResult convertSoftmaxCrossEntropyLoss(NodeContext &ctx) {
  FailureOr<RankedTensorType> inputType = getLossInputType(ctx);
  if (failed(inputType))
    return failure();
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  const int64_t classAxis[] = {1};
  FailureOr<Value> maximum = ctx.create<nn::ReduceMaxOp>(
      *input, ArrayRef<int64_t>(classAxis), /*keepdims=*/true);
  if (failed(maximum))
    return failure();
  FailureOr<Value> shifted = ctx.create<nn::SubOp>(*input, *maximum);
  if (failed(shifted))
    return failure();
  FailureOr<Value> exponential = ctx.create<nn::ExpOp>(*shifted);
  if (failed(exponential))
    return failure();
  FailureOr<Value> sum = ctx.create<nn::ReduceSumOp>(
      *exponential, ArrayRef<int64_t>(classAxis), /*keepdims=*/true);
  if (failed(sum))
    return failure();
  FailureOr<Value> logSum = ctx.create<nn::LogOp>(*sum);
  if (failed(logSum))
    return failure();
  FailureOr<Value> logProb = ctx.create<nn::SubOp>(*shifted, *logSum);
  if (failed(logProb))
    return failure();
  FailureOr<Value> loss = buildNllLoss(ctx, *logProb, *inputType);
  if (failed(loss))
    return failure();
  ctx.setOutput(0, *loss);
  ctx.setOutput(1, *logProb);
  return success();
}

void kiln::onnximport::addLossConverters(ConverterRegistry &registry) {
  registry["NegativeLogLikelihoodLoss"] = convertNegativeLogLikelihoodLoss;
  registry["SoftmaxCrossEntropyLoss"] = convertSoftmaxCrossEntropyLoss;
}
