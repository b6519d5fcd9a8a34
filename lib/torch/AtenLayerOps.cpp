//===- AtenLayerOps.cpp - aten:: layer converters -------------------------===//
//
// Convolution, pooling, normalization, linear layers, matrix products,
// softmax and mean. Window arguments (stride, padding, ...) must be known.
//
//===----------------------------------------------------------------------===//

#include "TorchImporter.h"

#include "kiln/dialects/nn/NNOps.h"

#include <cmath>

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

//===----------------------------------------------------------------------===//
// Fused transformer layer
//===----------------------------------------------------------------------===//

namespace {
/// Builds the pieces of aten::_transformer_encoder_layer_fwd from nn ops.
struct EncoderLayerBuilder {
  AtenContext &ctx;
  int64_t heads;

  FailureOr<Value> linear(Value x, unsigned weight, unsigned bias) {
    FailureOr<Value> w = ctx.getTensor(weight);
    FailureOr<Value> b = ctx.getTensor(bias);
    if (failed(w) || failed(b))
      return failure();
    return ctx.create<nn::LinearOp>(x, *w, *b);
  }

  FailureOr<Value> layerNorm(Value x, unsigned weight, unsigned bias,
                             double eps) {
    FailureOr<Value> w = ctx.getTensor(weight);
    FailureOr<Value> b = ctx.getTensor(bias);
    if (failed(w) || failed(b))
      return failure();
    int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
    return ctx.create<nn::LayerNormOp>(
        x, *w, *b, static_cast<uint64_t>(rank - 1), llvm::APFloat(eps));
  }

  /// Self-attention of x (batch x seq x embed) with the packed in-projection
  /// (inputs 3, 4) and the out-projection (inputs 5, 6).
  FailureOr<Value> attention(Value x) {
    auto type = cast<RankedTensorType>(x.getType());
    int64_t batch = type.getDimSize(0), seq = type.getDimSize(1),
            embed = type.getDimSize(2);
    if (embed % heads)
      return ctx.fail("the embedding size does not divide into the heads");
    int64_t head = embed / heads;
    FailureOr<Value> qkv = linear(x, 3, 4);
    if (failed(qkv))
      return failure();
    // batch x seq x 3 x heads x head -> 3 x batch x heads x seq x head.
    FailureOr<Value> split =
        ctx.createReshape(*qkv, {batch, seq, 3, heads, head});
    if (failed(split))
      return failure();
    FailureOr<Value> perm =
        ctx.create<nn::TransposeOp>(*split, ArrayRef<int64_t>{2, 0, 3, 1, 4});
    if (failed(perm))
      return failure();
    SmallVector<Value> parts;
    for (int64_t i = 0; i < 3; ++i) {
      FailureOr<Value> part = ctx.create<nn::SliceOp>(
          *perm, ArrayRef<int64_t>{i, 0, 0, 0, 0},
          ArrayRef<int64_t>{i + 1, batch, heads, seq, head},
          ArrayRef<int64_t>{1, 1, 1, 1, 1});
      if (failed(part))
        return failure();
      part = ctx.createReshape(*part, {batch, heads, seq, head});
      if (failed(part))
        return failure();
      parts.push_back(*part);
    }
    FailureOr<Value> keysT =
        ctx.create<nn::TransposeOp>(parts[1], ArrayRef<int64_t>{0, 1, 3, 2});
    FailureOr<Value> scale = ctx.createScalar(
        type.getElementType(), 1.0 / std::sqrt(static_cast<double>(head)));
    if (failed(keysT) || failed(scale))
      return failure();
    FailureOr<Value> scaled = ctx.create<nn::MulOp>(parts[0], *scale);
    if (failed(scaled))
      return failure();
    FailureOr<Value> scores = ctx.create<nn::MatmulOp>(*scaled, *keysT);
    if (failed(scores))
      return failure();
    FailureOr<Value> weights =
        ctx.create<nn::SoftmaxOp>(*scores, static_cast<uint64_t>(3));
    if (failed(weights))
      return failure();
    FailureOr<Value> context = ctx.create<nn::MatmulOp>(*weights, parts[2]);
    if (failed(context))
      return failure();
    FailureOr<Value> merged =
        ctx.create<nn::TransposeOp>(*context, ArrayRef<int64_t>{0, 2, 1, 3});
    if (failed(merged))
      return failure();
    merged = ctx.createReshape(*merged, {batch, seq, embed});
    if (failed(merged))
      return failure();
    return linear(*merged, 5, 6);
  }

  /// linear2(activation(linear1(x))) (inputs 14-17).
  FailureOr<Value> feedForward(Value x, bool gelu) {
    FailureOr<Value> hidden = linear(x, 14, 15);
    if (failed(hidden))
      return failure();
    hidden = gelu ? ctx.create<nn::GeluOp>(*hidden, nn::GeluApproximation::None)
                  : ctx.create<nn::ReluOp>(*hidden);
    if (failed(hidden))
      return failure();
    return linear(*hidden, 16, 17);
  }
};
} // namespace

/// aten::_transformer_encoder_layer_fwd, the fused inference kernel that
/// nn.TransformerEncoderLayer's fast path calls: self-attention and a
/// feed-forward block, each with a residual and a layer norm (before the
/// block with norm_first, after it otherwise). Masks are not supported.
static LogicalResult convertTransformerEncoderLayer(AtenContext &ctx) {
  FailureOr<Value> src = ctx.getTensor(0);
  FailureOr<int64_t> heads = ctx.getInt(2, "'num_heads'");
  FailureOr<bool> gelu = ctx.getBool(7, "'use_gelu'");
  FailureOr<bool> normFirst = ctx.getBool(8, "'norm_first'");
  FailureOr<double> eps = ctx.getDouble(9, "'eps'");
  if (failed(src) || failed(heads) || failed(gelu) || failed(normFirst) ||
      failed(eps))
    return failure();
  if (ctx.getNumInputs() > 18 && !ctx.isNone(18))
    return ctx.fail("an attention mask is not supported");
  auto type = cast<RankedTensorType>(src->getType());
  if (type.getRank() != 3 || !type.hasStaticShape() || *heads <= 0)
    return ctx.fail("expects a static batch x sequence x embedding input");
  EncoderLayerBuilder layer{ctx, *heads};
  auto residual = [&](Value x, bool attention, unsigned normWeight,
                      unsigned normBias) -> FailureOr<Value> {
    Value input = x;
    if (*normFirst) {
      FailureOr<Value> normed = layer.layerNorm(x, normWeight, normBias, *eps);
      if (failed(normed))
        return failure();
      input = *normed;
    }
    FailureOr<Value> block =
        attention ? layer.attention(input) : layer.feedForward(input, *gelu);
    if (failed(block))
      return failure();
    FailureOr<Value> sum = ctx.create<nn::AddOp>(x, *block);
    if (failed(sum) || *normFirst)
      return sum;
    return layer.layerNorm(*sum, normWeight, normBias, *eps);
  };
  FailureOr<Value> x = residual(*src, /*attention=*/true, 10, 11);
  if (failed(x))
    return failure();
  return ctx.setResult(residual(*x, /*attention=*/false, 12, 13));
}

void kiln::torchimport::addTransformerConverters(AtenRegistry &registry) {
  registry["aten::_transformer_encoder_layer_fwd"] =
      convertTransformerEncoderLayer;
}
