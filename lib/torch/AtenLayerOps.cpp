//===- AtenLayerOps.cpp - aten:: layer converters -------------------------===//
//
// Convolution, pooling, normalization, linear layers, matrix products,
// softmax and mean. Window arguments (stride, padding, ...) must be known.
//
//===----------------------------------------------------------------------===//

#include "TorchImporter.h"

#include "kiln/dialects/nn/NNOps.h"

using namespace mlir;
using namespace kiln::torchimport;
namespace nn = kiln::nn;

static FailureOr<SmallVector<int64_t>> getPair(AtenContext &ctx, unsigned index,
                                               StringRef what,
                                               ArrayRef<int64_t> fallback) {
  FailureOr<SmallVector<int64_t>> values = ctx.getInts(index, what);
  if (failed(values))
    return failure();
  if (values->empty())
    return SmallVector<int64_t>(fallback);
  if (values->size() == 1)
    values->push_back(values->front());
  if (values->size() != 2)
    return ctx.fail(what + " must have two values");
  return values;
}

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

/// aten::conv2d(input, weight, bias, stride, padding, dilation, groups) and
/// aten::_convolution(input, weight, bias, stride, padding, dilation,
/// transposed, output_padding, groups, ...).
static LogicalResult convertConvolution(AtenContext &ctx) {
  bool isGeneric =
      ctx.getNode()->kind().toUnqualString() == std::string("_convolution");
  unsigned groupsIndex = isGeneric ? 8 : 6;
  if (isGeneric) {
    FailureOr<bool> transposed = ctx.getBool(6, "'transposed'");
    if (failed(transposed))
      return failure();
    if (*transposed)
      return ctx.fail("transposed convolution is not supported yet");
  }
  FailureOr<Value> input = ctx.getTensor(0);
  FailureOr<Value> weight = ctx.getTensor(1);
  if (failed(input) || failed(weight))
    return failure();
  if (cast<RankedTensorType>(input->getType()).getRank() != 4)
    return ctx.fail("only 2-D convolution (a rank-4 input) is supported");
  Value bias;
  if (!ctx.isNone(2)) {
    FailureOr<Value> value = ctx.getTensor(2);
    if (failed(value))
      return failure();
    bias = *value;
  }
  FailureOr<SmallVector<int64_t>> strides = getPair(ctx, 3, "'stride'", {1, 1});
  FailureOr<SmallVector<int64_t>> padding =
      getPair(ctx, 4, "'padding' (a string padding is not supported)", {0, 0});
  FailureOr<SmallVector<int64_t>> dilations =
      getPair(ctx, 5, "'dilation'", {1, 1});
  FailureOr<int64_t> groups = ctx.getInt(groupsIndex, "'groups'");
  if (failed(strides) || failed(padding) || failed(dilations) || failed(groups))
    return failure();
  SmallVector<int64_t> pads = {(*padding)[0], (*padding)[1], (*padding)[0],
                               (*padding)[1]};
  return ctx.setResult(ctx.create<nn::Conv2DOp>(
      *input, *weight, bias, ArrayRef<int64_t>(*strides),
      ArrayRef<int64_t>(pads), ArrayRef<int64_t>(*dilations),
      static_cast<uint64_t>(*groups)));
}

/// aten::batch_norm(input, weight, bias, running_mean, running_var,
/// training, momentum, eps, cudnn_enabled), inference only.
static LogicalResult convertBatchNorm(AtenContext &ctx) {
  FailureOr<bool> training = ctx.getBool(5, "'training'");
  FailureOr<double> eps = ctx.getDouble(7, "'eps'");
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(training) || failed(eps) || failed(input))
    return failure();
  if (*training)
    return ctx.fail("batch normalization in training mode is not supported "
                    "(call model.eval() before saving)");
  if (ctx.isNone(3) || ctx.isNone(4))
    return ctx.fail("batch normalization without running statistics is not "
                    "supported");
  FailureOr<Value> mean = ctx.getTensor(3);
  FailureOr<Value> variance = ctx.getTensor(4);
  if (failed(mean) || failed(variance))
    return failure();
  auto statsType = cast<RankedTensorType>(mean->getType());
  auto getAffine = [&](unsigned index, float fill) -> FailureOr<Value> {
    if (!ctx.isNone(index))
      return ctx.getTensor(index);
    return ctx.create<nn::ConstantOp>(ElementsAttr(DenseElementsAttr::get(
        statsType, FloatAttr::get(statsType.getElementType(), fill))));
  };
  FailureOr<Value> scale = getAffine(1, 1.0f);
  FailureOr<Value> bias = getAffine(2, 0.0f);
  if (failed(scale) || failed(bias))
    return failure();
  return ctx.setResult(
      ctx.create<nn::BatchNormOp>(*input, *scale, *bias, *mean, *variance,
                                  ctx.getBuilder().getF64FloatAttr(*eps)));
}

/// aten::max_pool2d(input, kernel_size, stride, padding, dilation,
/// ceil_mode).
static LogicalResult convertMaxPool2d(AtenContext &ctx) {
  FailureOr<Value> input = ctx.getTensor(0);
  FailureOr<SmallVector<int64_t>> kernel = getPair(ctx, 1, "'kernel_size'", {});
  if (failed(input) || failed(kernel))
    return failure();
  FailureOr<SmallVector<int64_t>> strides =
      getPair(ctx, 2, "'stride'", *kernel);
  FailureOr<SmallVector<int64_t>> padding =
      getPair(ctx, 3, "'padding'", {0, 0});
  FailureOr<SmallVector<int64_t>> dilations =
      getPair(ctx, 4, "'dilation'", {1, 1});
  FailureOr<bool> ceilMode = ctx.getBool(5, "'ceil_mode'");
  if (failed(strides) || failed(padding) || failed(dilations) ||
      failed(ceilMode))
    return failure();
  SmallVector<int64_t> pads = {(*padding)[0], (*padding)[1], (*padding)[0],
                               (*padding)[1]};
  return ctx.setResult(ctx.create<nn::MaxPool2DOp>(
      *input, ArrayRef<int64_t>(*kernel), ArrayRef<int64_t>(*strides),
      ArrayRef<int64_t>(pads), ArrayRef<int64_t>(*dilations), *ceilMode));
}

/// aten::avg_pool2d(input, kernel_size, stride, padding, ceil_mode,
/// count_include_pad, divisor_override).
static LogicalResult convertAvgPool2d(AtenContext &ctx) {
  FailureOr<Value> input = ctx.getTensor(0);
  FailureOr<SmallVector<int64_t>> kernel = getPair(ctx, 1, "'kernel_size'", {});
  if (failed(input) || failed(kernel))
    return failure();
  FailureOr<SmallVector<int64_t>> strides =
      getPair(ctx, 2, "'stride'", *kernel);
  FailureOr<SmallVector<int64_t>> padding =
      getPair(ctx, 3, "'padding'", {0, 0});
  FailureOr<bool> ceilMode = ctx.getBool(4, "'ceil_mode'");
  FailureOr<bool> countIncludePad = ctx.getBool(5, "'count_include_pad'");
  if (failed(strides) || failed(padding) || failed(ceilMode) ||
      failed(countIncludePad))
    return failure();
  if (!ctx.isNone(6))
    return ctx.fail("'divisor_override' is not supported");
  SmallVector<int64_t> pads = {(*padding)[0], (*padding)[1], (*padding)[0],
                               (*padding)[1]};
  return ctx.setResult(ctx.create<nn::AvgPool2DOp>(
      *input, ArrayRef<int64_t>(*kernel), ArrayRef<int64_t>(*strides),
      ArrayRef<int64_t>(pads), *ceilMode, *countIncludePad));
}

/// aten::adaptive_avg_pool2d(input, output_size): a global average for 1x1,
/// otherwise an average pool when the output size divides the input's.
static LogicalResult convertAdaptiveAvgPool2d(AtenContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getTensorType(0);
  FailureOr<SmallVector<int64_t>> size = getPair(ctx, 1, "'output_size'", {});
  if (failed(type) || failed(size))
    return failure();
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  if ((*size)[0] == 1 && (*size)[1] == 1)
    return ctx.setResult(ctx.create<nn::GlobalAvgPoolOp>(*input));
  if (type->getRank() != 4 || type->isDynamicDim(2) || type->isDynamicDim(3))
    return ctx.fail("the spatial sizes must be static");
  int64_t h = type->getDimSize(2), w = type->getDimSize(3);
  if ((*size)[0] <= 0 || (*size)[1] <= 0 || h % (*size)[0] || w % (*size)[1])
    return ctx.fail("an output size that does not divide the input size is "
                    "not supported");
  SmallVector<int64_t> window = {h / (*size)[0], w / (*size)[1]};
  return ctx.setResult(ctx.create<nn::AvgPool2DOp>(
      *input, ArrayRef<int64_t>(window), ArrayRef<int64_t>(window),
      ArrayRef<int64_t>{0, 0, 0, 0}, false, false));
}

/// aten::linear(input, weight, bias).
static LogicalResult convertLinear(AtenContext &ctx) {
  FailureOr<Value> input = ctx.getTensor(0);
  FailureOr<Value> weight = ctx.getTensor(1);
  if (failed(input) || failed(weight))
    return failure();
  Value bias;
  if (!ctx.isNone(2)) {
    FailureOr<Value> value = ctx.getTensor(2);
    if (failed(value))
      return failure();
    bias = *value;
  }
  return ctx.setResult(ctx.create<nn::LinearOp>(*input, *weight, bias));
}

/// aten::matmul, aten::mm, aten::bmm.
static LogicalResult convertMatmul(AtenContext &ctx) {
  FailureOr<Value> lhs = ctx.getTensor(0);
  FailureOr<Value> rhs = ctx.getTensor(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  return ctx.setResult(ctx.create<nn::MatmulOp>(*lhs, *rhs));
}

/// aten::layer_norm(input, normalized_shape, weight, bias, eps, cudnn).
static LogicalResult convertLayerNorm(AtenContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getTensorType(0);
  FailureOr<SmallVector<int64_t>> shape = ctx.getInts(1, "'normalized_shape'");
  FailureOr<double> eps = ctx.getDouble(4, "'eps'");
  if (failed(type) || failed(shape) || failed(eps))
    return failure();
  int64_t rank = type->getRank();
  int64_t count = static_cast<int64_t>(shape->size());
  if (count == 0 || count > rank ||
      type->getShape().take_back(count) != ArrayRef<int64_t>(*shape))
    return ctx.fail("'normalized_shape' must match the trailing dimensions");
  Value scale, bias;
  if (!ctx.isNone(2)) {
    FailureOr<Value> value = ctx.getTensor(2);
    if (failed(value))
      return failure();
    scale = *value;
  }
  if (!ctx.isNone(3)) {
    FailureOr<Value> value = ctx.getTensor(3);
    if (failed(value))
      return failure();
    bias = *value;
  }
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  return ctx.setResult(ctx.create<nn::LayerNormOp>(
      *input, scale, bias, static_cast<uint64_t>(rank - count),
      llvm::APFloat(*eps)));
}

/// aten::softmax(input, dim, dtype).
static LogicalResult convertSoftmax(AtenContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getTensorType(0);
  FailureOr<int64_t> dim = ctx.getInt(1, "'dim'");
  if (failed(type) || failed(dim))
    return failure();
  if (ctx.getNumInputs() > 2 && !ctx.isNone(2))
    return ctx.fail("a 'dtype' argument is not supported");
  FailureOr<int64_t> axis = ctx.normalizeDim(*dim, type->getRank());
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(axis) || failed(input))
    return failure();
  return ctx.setResult(
      ctx.create<nn::SoftmaxOp>(*input, static_cast<uint64_t>(*axis)));
}

/// aten::mean(input, dims, keepdim, dtype).
static LogicalResult convertMean(AtenContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getTensorType(0);
  if (failed(type))
    return failure();
  SmallVector<int64_t> axes;
  bool keepDims = false;
  if (ctx.getNumInputs() >= 3) {
    FailureOr<SmallVector<int64_t>> dims = ctx.getInts(1, "'dim'");
    FailureOr<bool> keep = ctx.getBool(2, "'keepdim'");
    if (failed(dims) || failed(keep))
      return failure();
    for (int64_t dim : *dims) {
      FailureOr<int64_t> axis = ctx.normalizeDim(dim, type->getRank());
      if (failed(axis))
        return failure();
      axes.push_back(*axis);
    }
    keepDims = *keep;
  }
  if (axes.empty())
    for (int64_t d = 0; d < type->getRank(); ++d)
      axes.push_back(d);
  if (ctx.getNumInputs() >= 4 && !ctx.isNone(3))
    return ctx.fail("a 'dtype' argument is not supported");
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  llvm::sort(axes);
  return ctx.setResult(
      ctx.create<nn::ReduceMeanOp>(*input, ArrayRef<int64_t>(axes), keepDims));
}

void kiln::torchimport::addLayerConverters(AtenRegistry &registry) {
  registry["aten::conv2d"] = convertConvolution;
  registry["aten::_convolution"] = convertConvolution;
  registry["aten::batch_norm"] = convertBatchNorm;
  registry["aten::max_pool2d"] = convertMaxPool2d;
  registry["aten::avg_pool2d"] = convertAvgPool2d;
  registry["aten::adaptive_avg_pool2d"] = convertAdaptiveAvgPool2d;
  registry["aten::linear"] = convertLinear;
  registry["aten::matmul"] = convertMatmul;
  registry["aten::mm"] = convertMatmul;
  registry["aten::bmm"] = convertMatmul;
  registry["aten::layer_norm"] = convertLayerNorm;
  registry["aten::softmax"] = convertSoftmax;
  registry["aten::mean"] = convertMean;
}
