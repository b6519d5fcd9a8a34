//===- LayerOps.cpp - ONNX layer ops to nn --------------------------------===//
//
// Converters for the ops that carry a model's FLOPs: Conv (1-D to 3-D),
// ConvTranspose (1-D to 3-D), Gemm,
// MatMul, BatchNormalization and LayerNormalization in inference form, and
// Softmax / LogSoftmax. Also the `auto_pad` arithmetic that Conv shares with
// the pooling converters: ONNX's SAME_UPPER / SAME_LOWER / VALID become
// explicit per-edge pads, computed from static spatial sizes.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"

#include "kiln/dialects/nn/NNOps.h"

#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::onnximport;

/// Reads an optional list attribute of `count` entries, or returns
/// `defaultValue` when the attribute is absent.
static FailureOr<SmallVector<int64_t>>
getWindowAttr(NodeContext &ctx, StringRef name, size_t count,
              ArrayRef<int64_t> defaultValue) {
  FailureOr<std::optional<SmallVector<int64_t>>> values = ctx.getIntsAttr(name);
  if (failed(values))
    return failure();
  if (!*values)
    return SmallVector<int64_t>(defaultValue);
  if ((*values)->size() != count)
    return ctx.fail("attribute '" + name + "' must have " + Twine(count) +
                    " entries, got " + Twine((*values)->size()));
  return **values;
}

FailureOr<SmallVector<int64_t>> kiln::onnximport::getWindowPads(
    NodeContext &ctx, ArrayRef<int64_t> spatialSizes, ArrayRef<int64_t> kernel,
    ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations) {
  FailureOr<std::string> autoPad = ctx.getStringAttr("auto_pad", "NOTSET");
  if (failed(autoPad))
    return failure();
  size_t rank = spatialSizes.size();
  if (*autoPad == "NOTSET")
    return getWindowAttr(ctx, "pads", 2 * rank,
                         SmallVector<int64_t>(2 * rank, 0));
  if (*autoPad == "VALID")
    return SmallVector<int64_t>(2 * rank, 0);
  if (*autoPad != "SAME_UPPER" && *autoPad != "SAME_LOWER")
    return ctx.fail("auto_pad '" + *autoPad + "' is not supported");
  // SAME: output = ceil(input / stride); the padding that needs is split
  // evenly, the odd element going to the end (UPPER) or the start (LOWER).
  SmallVector<int64_t> pads(2 * rank, 0);
  for (size_t i = 0; i < rank; ++i) {
    if (ShapedType::isDynamic(spatialSizes[i]) ||
        ShapedType::isDynamic(kernel[i]))
      return ctx.fail("auto_pad " + *autoPad +
                      " needs static spatial and kernel sizes");
    int64_t input = spatialSizes[i], stride = strides[i];
    if (stride < 1 || dilations[i] < 1 || kernel[i] < 1)
      return ctx.fail("strides, dilations and kernel sizes must be >= 1");
    int64_t output = (input + stride - 1) / stride;
    int64_t window = (kernel[i] - 1) * dilations[i] + 1;
    int64_t total =
        std::max<int64_t>(0, (output - 1) * stride + window - input);
    int64_t small = total / 2, large = total - small;
    pads[i] = *autoPad == "SAME_UPPER" ? small : large;
    pads[rank + i] = *autoPad == "SAME_UPPER" ? large : small;
  }
  return pads;
}

/// Converts Conv over NC... input and OI... weights with 1 to 3 spatial
/// dimensions.
static LogicalResult convertConv(NodeContext &ctx) {
  FailureOr<RankedTensorType> inputType = ctx.getInputType(0);
  if (failed(inputType))
    return failure();
  FailureOr<RankedTensorType> weightType = ctx.getInputType(1);
  if (failed(weightType))
    return failure();
  // 1-D convolutions run as 2-D ones over a unit height.
  int64_t spatial = inputType->getRank() - 2;
  if (spatial < 1 || spatial > 3 ||
      weightType->getRank() != inputType->getRank())
    return ctx.fail("only 1-D, 2-D and 3-D convolution is supported (input "
                    "of rank " +
                    Twine(inputType->getRank()) + ", weight of rank " +
                    Twine(weightType->getRank()) + ")");
  ArrayRef<int64_t> kernel = weightType->getShape().drop_front(2);
  FailureOr<std::optional<SmallVector<int64_t>>> kernelShape =
      ctx.getIntsAttr("kernel_shape");
  if (failed(kernelShape))
    return failure();
  if (*kernelShape) {
    bool matches = (*kernelShape)->size() == static_cast<size_t>(spatial);
    for (size_t i = 0; matches && i < static_cast<size_t>(spatial); ++i)
      matches =
          ShapedType::isDynamic(kernel[i]) || kernel[i] == (**kernelShape)[i];
    if (!matches)
      return ctx.fail("attribute 'kernel_shape' does not match the weight "
                      "shape");
  }
  SmallVector<int64_t> ones(spatial, 1);
  FailureOr<SmallVector<int64_t>> strides =
      getWindowAttr(ctx, "strides", spatial, ones);
  if (failed(strides))
    return failure();
  FailureOr<SmallVector<int64_t>> dilations =
      getWindowAttr(ctx, "dilations", spatial, ones);
  if (failed(dilations))
    return failure();
  FailureOr<SmallVector<int64_t>> pads = getWindowPads(
      ctx, inputType->getShape().drop_front(2), kernel, *strides, *dilations);
  if (failed(pads))
    return failure();
  FailureOr<int64_t> groups = ctx.getIntAttr("group", 1);
  if (failed(groups))
    return failure();
  if (*groups < 1)
    return ctx.fail("attribute 'group' must be >= 1");

  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  FailureOr<Value> weight = ctx.getInput(1);
  if (failed(weight))
    return failure();
  Value bias;
  if (ctx.hasInput(2)) {
    FailureOr<Value> value = ctx.getInput(2);
    if (failed(value))
      return failure();
    bias = *value;
  }
  if (spatial == 3) {
    if (llvm::any_of(inputType->getShape().drop_front(1),
                     ShapedType::isDynamic) ||
        !weightType->hasStaticShape())
      return ctx.fail("3-D convolution needs static channel, spatial and "
                      "weight sizes");
    FailureOr<Value> result = ctx.create<nn::Conv3DOp>(
        *input, *weight, bias, ArrayRef<int64_t>(*strides),
        ArrayRef<int64_t>(*pads), ArrayRef<int64_t>(*dilations),
        static_cast<uint64_t>(*groups));
    if (failed(result))
      return failure();
    ctx.setOutput(0, *result);
    return success();
  }
  if (spatial == 1) {
    // [N, C, L] -> [N, C, 1, L], weights [O, I, K] -> [O, I, 1, K]; the unit
    // height gets stride 1, dilation 1 and no padding.
    auto withUnitHeight = [](ArrayRef<int64_t> shape) {
      SmallVector<int64_t> result(shape);
      result.insert(result.begin() + 2, 1);
      return result;
    };
    input = ctx.createReshape(*input, withUnitHeight(inputType->getShape()));
    weight = ctx.createReshape(*weight, withUnitHeight(weightType->getShape()));
    if (failed(input) || failed(weight))
      return failure();
    *strides = {1, (*strides)[0]};
    *dilations = {1, (*dilations)[0]};
    *pads = {0, (*pads)[0], 0, (*pads)[1]};
  }
  FailureOr<Value> result = ctx.create<nn::Conv2DOp>(
      *input, *weight, bias, ArrayRef<int64_t>(*strides),
      ArrayRef<int64_t>(*pads), ArrayRef<int64_t>(*dilations),
      static_cast<uint64_t>(*groups));
  if (failed(result))
    return failure();
  if (spatial == 1) {
    auto shape = cast<RankedTensorType>(result->getType()).getShape();
    result = ctx.createReshape(*result, {shape[0], shape[1], shape[3]});
    if (failed(result))
      return failure();
  }
  ctx.setOutput(0, *result);
  return success();
}

/// Returns the explicit pads of a ConvTranspose whose spatial output sizes
/// are `outputShape`: the total padding stride * (in - 1) + output_padding +
/// dilation * (K - 1) + 1 - out is split with floor division as ONNX's
/// reference does, the larger half at the start unless `upper`. A negative
/// total (an output larger than the full one) extends the output at the end.
static FailureOr<SmallVector<int64_t>>
splitTransposePads(NodeContext &ctx, ArrayRef<int64_t> inputSizes,
                   ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                   ArrayRef<int64_t> dilations, ArrayRef<int64_t> outputPadding,
                   ArrayRef<int64_t> outputShape, bool upper) {
  size_t spatial = inputSizes.size();
  SmallVector<int64_t> pads(2 * spatial, 0);
  for (size_t i = 0; i < spatial; ++i) {
    std::optional<int64_t> total =
        llvm::checkedMulAdd(strides[i], inputSizes[i] - 1, outputPadding[i]);
    std::optional<int64_t> span =
        llvm::checkedMulAdd(dilations[i], kernel[i] - 1, int64_t(1));
    if (total && span)
      total = llvm::checkedAdd(*total, *span);
    if (total)
      total = llvm::checkedSub(*total, outputShape[i]);
    if (!total)
      return ctx.fail("ConvTranspose output size overflows int64");
    int64_t half = llvm::divideFloorSigned(*total, int64_t(2));
    pads[i] = upper ? half : *total - half;
    pads[spatial + i] = *total - pads[i];
  }
  return pads;
}

/// Converts ConvTranspose with 1 to 3 spatial dimensions: strides, pads,
/// dilations, group, output_padding, and pads derived from output_shape or
/// auto_pad. Spatial and weight sizes must be static.
static LogicalResult convertConvTranspose(NodeContext &ctx) {
  FailureOr<RankedTensorType> inputType = ctx.getInputType(0);
  if (failed(inputType))
    return failure();
  FailureOr<RankedTensorType> weightType = ctx.getInputType(1);
  if (failed(weightType))
    return failure();
  int64_t spatial = inputType->getRank() - 2;
  if (spatial < 1 || spatial > 3 ||
      weightType->getRank() != inputType->getRank())
    return ctx.fail("only 1-D, 2-D and 3-D ConvTranspose is supported (input "
                    "of rank " +
                    Twine(inputType->getRank()) + ", weight of rank " +
                    Twine(weightType->getRank()) + ")");
  ArrayRef<int64_t> inputSizes = inputType->getShape().drop_front(2);
  if (llvm::any_of(inputType->getShape().drop_front(1),
                   ShapedType::isDynamic) ||
      !weightType->hasStaticShape())
    return ctx.fail("ConvTranspose needs static channel, spatial and weight "
                    "sizes");
  ArrayRef<int64_t> kernel = weightType->getShape().drop_front(2);
  FailureOr<std::optional<SmallVector<int64_t>>> kernelShape =
      ctx.getIntsAttr("kernel_shape");
  if (failed(kernelShape))
    return failure();
  if (*kernelShape && ArrayRef<int64_t>(**kernelShape) != kernel)
    return ctx.fail("attribute 'kernel_shape' does not match the weight "
                    "shape");
  SmallVector<int64_t> ones(spatial, 1), zeros(spatial, 0);
  FailureOr<SmallVector<int64_t>> strides =
      getWindowAttr(ctx, "strides", spatial, ones);
  FailureOr<SmallVector<int64_t>> dilations =
      getWindowAttr(ctx, "dilations", spatial, ones);
  FailureOr<SmallVector<int64_t>> outputPadding =
      getWindowAttr(ctx, "output_padding", spatial, zeros);
  FailureOr<int64_t> groups = ctx.getIntAttr("group", 1);
  FailureOr<std::string> autoPad = ctx.getStringAttr("auto_pad", "NOTSET");
  FailureOr<std::optional<SmallVector<int64_t>>> outputShape =
      ctx.getIntsAttr("output_shape");
  if (failed(strides) || failed(dilations) || failed(outputPadding) ||
      failed(groups) || failed(autoPad) || failed(outputShape))
    return failure();
  if (*groups < 1)
    return ctx.fail("attribute 'group' must be >= 1");
  for (int64_t i = 0; i < spatial; ++i)
    if ((*strides)[i] < 1 || (*dilations)[i] < 1 || (*outputPadding)[i] < 0)
      return ctx.fail("strides and dilations must be >= 1 and "
                      "output_padding >= 0");
  if (*autoPad != "NOTSET" && *autoPad != "VALID" && *autoPad != "SAME_UPPER" &&
      *autoPad != "SAME_LOWER")
    return ctx.fail("auto_pad '" + *autoPad + "' is not supported");
  bool upper = *autoPad == "SAME_UPPER";
  FailureOr<SmallVector<int64_t>> pads;
  if (*outputShape) {
    // Older exporters give the whole N x C x ... shape.
    ArrayRef<int64_t> shape = **outputShape;
    if (shape.size() == static_cast<size_t>(spatial) + 2)
      shape = shape.drop_front(2);
    if (shape.size() != static_cast<size_t>(spatial))
      return ctx.fail("attribute 'output_shape' must have " + Twine(spatial) +
                      " entries, got " + Twine(shape.size()));
    if (llvm::any_of(shape, [](int64_t size) { return size < 1; }))
      return ctx.fail("attribute 'output_shape' entries must be >= 1");
    pads = splitTransposePads(ctx, inputSizes, kernel, *strides, *dilations,
                              *outputPadding, shape, upper);
  } else if (*autoPad == "SAME_UPPER" || *autoPad == "SAME_LOWER") {
    SmallVector<int64_t> shape;
    for (int64_t i = 0; i < spatial; ++i) {
      std::optional<int64_t> size =
          llvm::checkedMul(inputSizes[i], (*strides)[i]);
      if (!size)
        return ctx.fail("ConvTranspose output size overflows int64");
      shape.push_back(*size);
    }
    pads = splitTransposePads(ctx, inputSizes, kernel, *strides, *dilations,
                              *outputPadding, shape, upper);
  } else if (*autoPad == "VALID") {
    pads = SmallVector<int64_t>(2 * spatial, 0);
  } else {
    pads = getWindowAttr(ctx, "pads", 2 * spatial,
                         SmallVector<int64_t>(2 * spatial, 0));
  }
  if (failed(pads))
    return failure();

  FailureOr<Value> input = ctx.getInput(0);
  FailureOr<Value> weight = ctx.getInput(1);
  if (failed(input) || failed(weight))
    return failure();
  Value bias;
  if (ctx.hasInput(2)) {
    FailureOr<Value> value = ctx.getInput(2);
    if (failed(value))
      return failure();
    bias = *value;
  }
  FailureOr<Value> result = ctx.create<nn::ConvTransposeOp>(
      *input, *weight, bias, ArrayRef<int64_t>(*strides),
      ArrayRef<int64_t>(*pads), ArrayRef<int64_t>(*dilations),
      ArrayRef<int64_t>(*outputPadding), static_cast<uint64_t>(*groups));
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Converts Gemm(A, B, C?) with alpha, beta, transA and transB.
static LogicalResult convertGemm(NodeContext &ctx) {
  FailureOr<double> alpha = ctx.getFloatAttr("alpha", 1.0);
  if (failed(alpha))
    return failure();
  FailureOr<double> beta = ctx.getFloatAttr("beta", 1.0);
  if (failed(beta))
    return failure();
  FailureOr<int64_t> transA = ctx.getIntAttr("transA", 0);
  if (failed(transA))
    return failure();
  FailureOr<int64_t> transB = ctx.getIntAttr("transB", 0);
  if (failed(transB))
    return failure();
  FailureOr<Value> a = ctx.getInput(0);
  if (failed(a))
    return failure();
  FailureOr<Value> b = ctx.getInput(1);
  if (failed(b))
    return failure();
  Value c;
  if (ctx.hasInput(2)) {
    FailureOr<Value> value = ctx.getInput(2);
    if (failed(value))
      return failure();
    c = *value;
  }
  Builder &builder = ctx.getBuilder();
  FailureOr<Value> result = ctx.create<nn::GemmOp>(
      *a, *b, c, builder.getF64FloatAttr(*alpha),
      builder.getF64FloatAttr(*beta), builder.getBoolAttr(*transA != 0),
      builder.getBoolAttr(*transB != 0));
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Converts MatMul, which is numpy.matmul as nn.matmul is.
static LogicalResult convertMatMul(NodeContext &ctx) {
  FailureOr<Value> lhs = ctx.getInput(0);
  if (failed(lhs))
    return failure();
  FailureOr<Value> rhs = ctx.getInput(1);
  if (failed(rhs))
    return failure();
  FailureOr<Value> result = ctx.create<nn::MatmulOp>(*lhs, *rhs);
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Converts BatchNormalization in inference mode (output Y only).
static LogicalResult convertBatchNorm(NodeContext &ctx) {
  if (ctx.getOpset() < 9) {
    FailureOr<int64_t> spatial = ctx.getIntAttr("spatial", 1);
    if (failed(spatial))
      return failure();
    if (*spatial != 1)
      return ctx.fail("spatial=0 (per-element statistics) is not supported");
  }
  FailureOr<int64_t> training = ctx.getIntAttr("training_mode", 0);
  if (failed(training))
    return failure();
  if (*training != 0)
    return ctx.fail("training_mode=1 is not supported (inference only)");
  if (failed(ctx.checkOutputsUnused(
          1, "only inference mode (output Y alone) is supported")))
    return failure();
  FailureOr<double> epsilon = ctx.getFloatAttr("epsilon", 1e-5);
  if (failed(epsilon))
    return failure();
  SmallVector<Value, 5> operands;
  for (unsigned i = 0; i < 5; ++i) {
    FailureOr<Value> operand = ctx.getInput(i);
    if (failed(operand))
      return failure();
    operands.push_back(*operand);
  }
  FailureOr<Value> result = ctx.create<nn::BatchNormOp>(
      operands[0], operands[1], operands[2], operands[3], operands[4],
      ctx.getBuilder().getF64FloatAttr(*epsilon));
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Builds LayerNormalization's optional statistics outputs for `input`
/// normalized over [axis, rank): Mean = mean(x) and InvStdDev =
/// 1 / sqrt(mean((x - Mean)^2) + epsilon), both keeping the reduced
/// dimensions as 1, as ONNX defines them.
static LogicalResult setLayerNormStatistics(NodeContext &ctx, Value input,
                                            int64_t axis, double epsilon) {
  auto type = cast<RankedTensorType>(input.getType());
  auto axes = llvm::to_vector(llvm::seq<int64_t>(axis, type.getRank()));
  FailureOr<Value> mean = ctx.create<nn::ReduceMeanOp>(
      input, ArrayRef<int64_t>(axes), /*keepdims=*/true);
  if (failed(mean))
    return failure();
  if (ctx.isOutputUsed(1))
    ctx.setOutput(1, *mean);
  if (!ctx.isOutputUsed(2))
    return success();
  FailureOr<Value> centered = ctx.create<nn::SubOp>(input, *mean);
  if (failed(centered))
    return failure();
  FailureOr<Value> squared = ctx.create<nn::MulOp>(*centered, *centered);
  if (failed(squared))
    return failure();
  FailureOr<Value> variance = ctx.create<nn::ReduceMeanOp>(
      *squared, ArrayRef<int64_t>(axes), /*keepdims=*/true);
  if (failed(variance))
    return failure();
  FailureOr<Value> eps = ctx.createScalar(type.getElementType(), epsilon);
  if (failed(eps))
    return failure();
  FailureOr<Value> shifted = ctx.create<nn::AddOp>(*variance, *eps);
  if (failed(shifted))
    return failure();
  FailureOr<Value> inverse = ctx.create<nn::RsqrtOp>(*shifted);
  if (failed(inverse))
    return failure();
  ctx.setOutput(2, *inverse);
  return success();
}

/// Converts LayerNormalization (opset 17). nn.layer_norm wants scale and bias
/// of exactly the normalized shape; ONNX only needs them to broadcast to it,
/// so other shapes are applied after the normalization with nn.mul / nn.add.
/// The Mean and InvStdDev outputs are computed separately when used (f32
/// inputs only: for other types ONNX computes them in the stash type).
static LogicalResult convertLayerNorm(NodeContext &ctx) {
  FailureOr<RankedTensorType> inputType = ctx.getInputType(0);
  if (failed(inputType))
    return failure();
  FailureOr<int64_t> axisAttr = ctx.getIntAttr("axis", -1);
  if (failed(axisAttr))
    return failure();
  FailureOr<int64_t> axis = ctx.normalizeAxis(*axisAttr, inputType->getRank());
  if (failed(axis))
    return failure();
  FailureOr<double> epsilon = ctx.getFloatAttr("epsilon", 1e-5);
  if (failed(epsilon))
    return failure();
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  ArrayRef<int64_t> normalized = inputType->getShape().drop_front(*axis);
  Value scale, bias;
  FailureOr<Value> param = ctx.getInput(1);
  if (failed(param))
    return failure();
  scale = *param;
  if (ctx.hasInput(2)) {
    param = ctx.getInput(2);
    if (failed(param))
      return failure();
    bias = *param;
  }
  auto hasNormalizedShape = [&](Value value) {
    return !value ||
           cast<RankedTensorType>(value.getType()).getShape() == normalized;
  };
  bool fused = hasNormalizedShape(scale) && hasNormalizedShape(bias);
  FailureOr<Value> result = ctx.create<nn::LayerNormOp>(
      *input, fused ? scale : Value(), fused ? bias : Value(),
      static_cast<uint64_t>(*axis), llvm::APFloat(*epsilon));
  if (failed(result))
    return failure();
  if (!fused) {
    result = ctx.create<nn::MulOp>(*result, scale);
    if (failed(result))
      return failure();
    if (bias) {
      result = ctx.create<nn::AddOp>(*result, bias);
      if (failed(result))
        return failure();
    }
  }
  ctx.setOutput(0, *result);
  if (!ctx.isOutputUsed(1) && !ctx.isOutputUsed(2))
    return success();
  if (!inputType->getElementType().isF32())
    return ctx.fail("the Mean and InvStdDev outputs are supported for float "
                    "inputs only");
  return setLayerNormStatistics(ctx, *input, *axis, *epsilon);
}

/// Converts Softmax, or LogSoftmax with `isLog`. Before opset 13 the input is
/// coerced to 2-D around `axis` (default 1), which for a non-last axis is
/// flatten + softmax over dimension 1 + reshape back; from opset 13 the op
/// normalizes along the single `axis` (default -1).
template <bool isLog> static LogicalResult convertSoftmax(NodeContext &ctx) {
  FailureOr<RankedTensorType> inputType = ctx.getInputType(0);
  if (failed(inputType))
    return failure();
  int64_t rank = inputType->getRank();
  bool coerced = ctx.getOpset() < 13;
  FailureOr<int64_t> axisAttr = ctx.getIntAttr("axis", coerced ? 1 : -1);
  if (failed(axisAttr))
    return failure();
  FailureOr<int64_t> axis = ctx.normalizeAxis(*axisAttr, rank);
  if (failed(axis))
    return failure();
  FailureOr<Value> result = ctx.getInput(0);
  if (failed(result))
    return failure();
  if (coerced && *axis != rank - 1) {
    result = ctx.create<nn::FlattenOp>(*result, static_cast<uint64_t>(*axis));
    if (failed(result))
      return failure();
    result = ctx.create<nn::SoftmaxOp>(*result, static_cast<uint64_t>(1));
    if (failed(result))
      return failure();
    result = ctx.createReshape(*result, inputType->getShape());
  } else {
    result = ctx.create<nn::SoftmaxOp>(*result, static_cast<uint64_t>(*axis));
  }
  if (failed(result))
    return failure();
  if (isLog) {
    result = ctx.create<nn::LogOp>(*result);
    if (failed(result))
      return failure();
  }
  ctx.setOutput(0, *result);
  return success();
}

/// Converts InstanceNormalization: each (n, c) plane is normalized over the
/// spatial dimensions with its own mean and biased variance, then scaled and
/// shifted per channel: y = (x - mean) / sqrt(var + epsilon) * scale + B.
static LogicalResult convertInstanceNorm(NodeContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getInputType(0);
  if (failed(type))
    return failure();
  int64_t rank = type->getRank();
  if (rank < 3)
    return ctx.fail("the input must be N x C x D1 ... (rank >= 3)");
  if (!type->getElementType().isF32() && !type->getElementType().isF64())
    return ctx.fail("only float32 and float64 inputs are supported");
  FailureOr<double> epsilon = ctx.getFloatAttr("epsilon", 1e-5);
  FailureOr<Value> input = ctx.getInput(0);
  FailureOr<Value> scale = ctx.getInput(1);
  FailureOr<Value> bias = ctx.getInput(2);
  if (failed(epsilon) || failed(input) || failed(scale) || failed(bias))
    return failure();
  auto axes = llvm::to_vector(llvm::seq<int64_t>(2, rank));
  FailureOr<Value> mean = ctx.create<nn::ReduceMeanOp>(
      *input, ArrayRef<int64_t>(axes), /*keepdims=*/true);
  if (failed(mean))
    return failure();
  FailureOr<Value> centered = ctx.create<nn::SubOp>(*input, *mean);
  if (failed(centered))
    return failure();
  FailureOr<Value> squared = ctx.create<nn::MulOp>(*centered, *centered);
  if (failed(squared))
    return failure();
  FailureOr<Value> variance = ctx.create<nn::ReduceMeanOp>(
      *squared, ArrayRef<int64_t>(axes), /*keepdims=*/true);
  FailureOr<Value> eps = ctx.createScalar(type->getElementType(), *epsilon);
  if (failed(variance) || failed(eps))
    return failure();
  FailureOr<Value> shifted = ctx.create<nn::AddOp>(*variance, *eps);
  if (failed(shifted))
    return failure();
  FailureOr<Value> inverse = ctx.create<nn::RsqrtOp>(*shifted);
  if (failed(inverse))
    return failure();
  FailureOr<Value> normalized = ctx.create<nn::MulOp>(*centered, *inverse);
  if (failed(normalized))
    return failure();
  // Per-channel parameters [C] broadcast as [C, 1, ..., 1].
  SmallVector<int64_t> channelShape(rank - 1, 1);
  channelShape[0] = type->getDimSize(1);
  FailureOr<Value> channelScale = ctx.createReshape(*scale, channelShape);
  FailureOr<Value> channelBias = ctx.createReshape(*bias, channelShape);
  if (failed(channelScale) || failed(channelBias))
    return failure();
  FailureOr<Value> scaled = ctx.create<nn::MulOp>(*normalized, *channelScale);
  if (failed(scaled))
    return failure();
  FailureOr<Value> result = ctx.create<nn::AddOp>(*scaled, *channelBias);
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

void kiln::onnximport::addLayerConverters(ConverterRegistry &registry) {
  registry["Conv"] = convertConv;
  registry["ConvTranspose"] = convertConvTranspose;
  registry["Gemm"] = convertGemm;
  registry["MatMul"] = convertMatMul;
  registry["BatchNormalization"] = convertBatchNorm;
  registry["LayerNormalization"] = convertLayerNorm;
  registry["InstanceNormalization"] = convertInstanceNorm;
  registry["Softmax"] = convertSoftmax</*isLog=*/false>;
  registry["LogSoftmax"] = convertSoftmax</*isLog=*/true>;
}
