//===- AtenOps.cpp - aten:: op converters and scalar evaluation -----------===//
//
// One converter per `aten::` op (several overloads share one when their
// argument positions agree). Arguments that are not tensors (strides, dims,
// scalars) must be known when the model is compiled; the scalar arithmetic
// that computes them in scripted models (aten::size, len, comparisons) is
// evaluated first by tryEvaluateScalarNode.
//
//===----------------------------------------------------------------------===//

#include "TorchImporter.h"

#include "kiln/dialects/nn/NNOps.h"

#include "llvm/ADT/StringSet.h"

#include <ATen/ATen.h>

using namespace mlir;
using namespace kiln::torchimport;
namespace nn = kiln::nn;

//===----------------------------------------------------------------------===//
// Scalar evaluation
//===----------------------------------------------------------------------===//

FailureOr<bool> kiln::torchimport::tryEvaluateScalarNode(AtenContext &ctx) {
  torch::jit::Node *node = ctx.getNode();
  StringRef name = node->kind().toQualString();
  if (node->outputs().size() != 1)
    return false;

  // Shape queries on tensors of static shape.
  if (name == "aten::size" || name == "aten::dim" || name == "aten::numel") {
    if (!ctx.isTensor(0))
      return false;
    FailureOr<RankedTensorType> type = ctx.getTensorType(0);
    if (failed(type))
      return failure();
    if (name == "aten::dim") {
      ctx.setConstant(0, c10::IValue(type->getRank()));
      return true;
    }
    if (!type->hasStaticShape())
      return ctx.fail("the tensor's shape must be static");
    if (name == "aten::numel") {
      ctx.setConstant(0, c10::IValue(type->getNumElements()));
      return true;
    }
    if (ctx.getNumInputs() == 1) {
      std::vector<int64_t> shape(type->getShape().begin(),
                                 type->getShape().end());
      ctx.setConstant(0, c10::IValue(shape));
      return true;
    }
    FailureOr<int64_t> dim = ctx.getInt(1, "the dimension");
    if (failed(dim))
      return failure();
    FailureOr<int64_t> normalized = ctx.normalizeDim(*dim, type->getRank());
    if (failed(normalized))
      return failure();
    ctx.setConstant(0, c10::IValue(type->getDimSize(*normalized)));
    return true;
  }
  // Known scalars wrapped as tensors by tracing (prim::NumToTensor) and
  // unwrapped again (aten::Int, aten::Float) stay known.
  if (name == "prim::NumToTensor") {
    FailureOr<double> value = ctx.getDouble(0, "the scalar");
    if (failed(value))
      return failure();
    bool isInt = node->input(0)->type()->kind() == c10::TypeKind::IntType;
    ctx.setConstant(
        0, c10::IValue(isInt ? at::scalar_tensor(static_cast<int64_t>(*value),
                                                 at::kLong)
                             : at::scalar_tensor(*value)));
    return true;
  }
  if ((name == "aten::Int" || name == "aten::Float") && ctx.isTensor(0)) {
    FailureOr<double> value = ctx.getDouble(0, "the tensor");
    if (failed(value))
      return failure();
    ctx.setConstant(0, name == "aten::Int"
                           ? c10::IValue(static_cast<int64_t>(*value))
                           : c10::IValue(*value));
    return true;
  }
  if (name == "aten::len") {
    FailureOr<SmallVector<int64_t>> ints = ctx.getInts(0, "the list");
    if (succeeded(ints)) {
      ctx.setConstant(0, c10::IValue(static_cast<int64_t>(ints->size())));
      return true;
    }
    return failure();
  }

  // Arithmetic and comparisons on known scalars (and on the single-element
  // tensors tracing wraps them in).
  static const llvm::StringSet<> scalarOps = {
      "aten::add",       "aten::sub",         "aten::mul",
      "aten::floordiv",  "aten::div",         "aten::neg",
      "aten::eq",        "aten::ne",          "aten::lt",
      "aten::gt",        "aten::le",          "aten::ge",
      "aten::__not__",   "aten::__and__",     "aten::__or__",
      "aten::Int",       "aten::Float",       "aten::__is__",
      "aten::__isnot__", "aten::floor_divide"};
  if (!scalarOps.contains(name))
    return false;
  SmallVector<c10::IValue> args;
  bool anyTensor = false, allIntegral = true;
  std::string roundingMode;
  for (unsigned i = 0; i < ctx.getNumInputs(); ++i) {
    if (name == "aten::__is__" || name == "aten::__isnot__") {
      args.push_back(ctx.isNone(i) ? c10::IValue() : c10::IValue(true));
      continue;
    }
    if (name == "aten::div" && i == 2) {
      if (!ctx.isNone(2)) {
        FailureOr<std::string> mode = ctx.getString(2, "'rounding_mode'");
        if (failed(mode))
          return failure();
        roundingMode = *mode;
      }
      continue;
    }
    std::optional<double> value = ctx.tryGetKnownNumber(i);
    if (!value)
      return false;
    if (ctx.isTensor(i)) {
      anyTensor = true;
    }
    torch::jit::Value *input = node->input(i);
    if (input->type()->kind() == c10::TypeKind::FloatType ||
        (ctx.isTensor(i) && std::floor(*value) != *value))
      allIntegral = false;
    args.push_back(c10::IValue(*value));
  }
  if (anyTensor && name.starts_with("aten::__"))
    return false;
  auto isIntResult = [&] {
    for (torch::jit::Value *input : node->inputs())
      if (input->type()->kind() == c10::TypeKind::FloatType)
        return false;
    return true;
  };
  auto number = [&](double value) {
    if (anyTensor)
      return allIntegral ? c10::IValue(at::scalar_tensor(
                               static_cast<int64_t>(value), at::kLong))
                         : c10::IValue(at::scalar_tensor(value));
    if (node->output()->type()->kind() == c10::TypeKind::IntType ||
        (node->output()->type()->kind() != c10::TypeKind::FloatType &&
         isIntResult()))
      return c10::IValue(static_cast<int64_t>(value));
    return c10::IValue(value);
  };
  double a = args.empty() || !args[0].isDouble() ? 0 : args[0].toDouble();
  double b = args.size() < 2 || !args[1].isDouble() ? 0 : args[1].toDouble();
  c10::IValue result;
  if (name == "aten::add")
    result = number(a + b);
  else if (name == "aten::sub")
    result = number(a - b);
  else if (name == "aten::mul")
    result = number(a * b);
  else if (name == "aten::floordiv" || name == "aten::floor_divide" ||
           (name == "aten::div" && roundingMode == "floor")) {
    if (b == 0)
      return ctx.fail("division by zero");
    result = number(std::floor(a / b));
  } else if (name == "aten::div" && roundingMode == "trunc") {
    if (b == 0)
      return ctx.fail("division by zero");
    result = number(std::trunc(a / b));
  } else if (name == "aten::div") {
    if (b == 0)
      return ctx.fail("division by zero");
    result =
        anyTensor ? c10::IValue(at::scalar_tensor(a / b)) : c10::IValue(a / b);
  } else if (name == "aten::neg")
    result = number(-a);
  else if (name == "aten::eq")
    result = c10::IValue(a == b);
  else if (name == "aten::ne")
    result = c10::IValue(a != b);
  else if (name == "aten::lt")
    result = c10::IValue(a < b);
  else if (name == "aten::gt")
    result = c10::IValue(a > b);
  else if (name == "aten::le")
    result = c10::IValue(a <= b);
  else if (name == "aten::ge")
    result = c10::IValue(a >= b);
  else if (name == "aten::__not__")
    result = c10::IValue(a == 0);
  else if (name == "aten::__and__")
    result = c10::IValue(a != 0 && b != 0);
  else if (name == "aten::__or__")
    result = c10::IValue(a != 0 || b != 0);
  else if (name == "aten::Int")
    result = c10::IValue(static_cast<int64_t>(a));
  else if (name == "aten::Float")
    result = c10::IValue(a);
  else if (name == "aten::__is__")
    result = c10::IValue(args[0].isNone() == args[1].isNone());
  else
    result = c10::IValue(args[0].isNone() != args[1].isNone());
  if (anyTensor && result.isBool())
    result = c10::IValue(at::scalar_tensor(result.toBool(), at::kBool));
  ctx.setConstant(0, std::move(result));
  return true;
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Returns operand `index` as a tensor of `like`'s element type: a tensor
/// input as is, a scalar as a rank-0 constant.
static FailureOr<Value> getOperandLike(AtenContext &ctx, unsigned index,
                                       Value like) {
  if (!ctx.isNumber(index))
    return ctx.getTensor(index);
  FailureOr<double> value = ctx.getDouble(index, "the scalar operand");
  if (failed(value))
    return failure();
  return ctx.createScalar(
      cast<RankedTensorType>(like.getType()).getElementType(), *value);
}

/// Sets output 0 to `result` when it succeeded.
static LogicalResult setResult(AtenContext &ctx, FailureOr<Value> result) {
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Reads a window argument of two values (a single value applies to both).
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
  return setResult(ctx,
                   ctx.create<nn::Conv2DOp>(
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
  return setResult(
      ctx, ctx.create<nn::BatchNormOp>(*input, *scale, *bias, *mean, *variance,
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
  return setResult(ctx,
                   ctx.create<nn::MaxPool2DOp>(
                       *input, ArrayRef<int64_t>(*kernel),
                       ArrayRef<int64_t>(*strides), ArrayRef<int64_t>(pads),
                       ArrayRef<int64_t>(*dilations), *ceilMode));
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
  return setResult(
      ctx, ctx.create<nn::AvgPool2DOp>(
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
    return setResult(ctx, ctx.create<nn::GlobalAvgPoolOp>(*input));
  if (type->getRank() != 4 || type->isDynamicDim(2) || type->isDynamicDim(3))
    return ctx.fail("the spatial sizes must be static");
  int64_t h = type->getDimSize(2), w = type->getDimSize(3);
  if ((*size)[0] <= 0 || (*size)[1] <= 0 || h % (*size)[0] || w % (*size)[1])
    return ctx.fail("an output size that does not divide the input size is "
                    "not supported");
  SmallVector<int64_t> window = {h / (*size)[0], w / (*size)[1]};
  return setResult(ctx, ctx.create<nn::AvgPool2DOp>(
                            *input, ArrayRef<int64_t>(window),
                            ArrayRef<int64_t>(window),
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
  return setResult(ctx, ctx.create<nn::LinearOp>(*input, *weight, bias));
}

/// aten::matmul, aten::mm, aten::bmm.
static LogicalResult convertMatmul(AtenContext &ctx) {
  FailureOr<Value> lhs = ctx.getTensor(0);
  FailureOr<Value> rhs = ctx.getTensor(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  return setResult(ctx, ctx.create<nn::MatmulOp>(*lhs, *rhs));
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
  return setResult(
      ctx, ctx.create<nn::LayerNormOp>(*input, scale, bias,
                                       static_cast<uint64_t>(rank - count),
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
  return setResult(
      ctx, ctx.create<nn::SoftmaxOp>(*input, static_cast<uint64_t>(*axis)));
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
  return setResult(ctx, ctx.create<nn::ReduceMeanOp>(
                            *input, ArrayRef<int64_t>(axes), keepDims));
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
// Elementwise
//===----------------------------------------------------------------------===//

/// aten::add / aten::sub (self, other, alpha), tensor or scalar `other`.
template <typename OpTy> static LogicalResult convertAddSub(AtenContext &ctx) {
  FailureOr<Value> lhs = ctx.getTensor(0);
  if (failed(lhs))
    return failure();
  FailureOr<double> alpha = ctx.getNumInputs() > 2 ? ctx.getDouble(2, "'alpha'")
                                                   : FailureOr<double>(1.0);
  if (failed(alpha))
    return failure();
  FailureOr<Value> rhs = failure();
  if (ctx.isNumber(1)) {
    FailureOr<double> scalar = ctx.getDouble(1, "'other'");
    if (failed(scalar))
      return failure();
    rhs = ctx.createScalar(
        cast<RankedTensorType>(lhs->getType()).getElementType(),
        *scalar * *alpha);
  } else {
    rhs = ctx.getTensor(1);
    if (succeeded(rhs) && *alpha != 1.0) {
      FailureOr<Value> factor = ctx.createScalar(
          cast<RankedTensorType>(rhs->getType()).getElementType(), *alpha);
      if (failed(factor))
        return failure();
      rhs = ctx.create<nn::MulOp>(*rhs, *factor);
    }
  }
  if (failed(rhs))
    return failure();
  return setResult(ctx, ctx.create<OpTy>(*lhs, *rhs));
}

/// aten::mul / aten::div (self, other), tensor or scalar `other`.
template <typename OpTy> static LogicalResult convertBinary(AtenContext &ctx) {
  if (ctx.getNumInputs() > 2 && !ctx.isNone(2))
    return ctx.fail("a rounding mode is not supported");
  // A number on either side takes the tensor's element type.
  bool numberFirst = ctx.isNumber(0) && !ctx.isNumber(1);
  FailureOr<Value> tensor = ctx.getTensor(numberFirst ? 1 : 0);
  if (failed(tensor))
    return failure();
  FailureOr<Value> other = getOperandLike(ctx, numberFirst ? 0 : 1, *tensor);
  if (failed(other))
    return failure();
  return setResult(ctx, numberFirst ? ctx.create<OpTy>(*other, *tensor)
                                    : ctx.create<OpTy>(*tensor, *other));
}

/// A one-operand activation.
template <typename OpTy> static LogicalResult convertUnary(AtenContext &ctx) {
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  return setResult(ctx, ctx.create<OpTy>(*input));
}

/// aten::gelu(input, approximate).
static LogicalResult convertGelu(AtenContext &ctx) {
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  nn::GeluApproximation approximation = nn::GeluApproximation::None;
  if (ctx.getNumInputs() > 1) {
    FailureOr<std::string> mode = ctx.getString(1, "'approximate'");
    if (failed(mode))
      return failure();
    if (*mode == "tanh")
      approximation = nn::GeluApproximation::Tanh;
    else if (*mode != "none")
      return ctx.fail("approximation '" + *mode + "' is not supported");
  }
  return setResult(ctx, ctx.create<nn::GeluOp>(*input, approximation));
}

/// aten::hardtanh(input, min, max) and aten::relu6(input).
static LogicalResult convertClamp(AtenContext &ctx) {
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  double low = 0, high = 6;
  StringRef name = ctx.getNode()->kind().toUnqualString();
  if (name.starts_with("hardtanh") || name.starts_with("clamp")) {
    if (name.starts_with("hardtanh")) {
      low = -1;
      high = 1;
    }
    FloatAttr lowAttr, highAttr;
    for (unsigned index : {1u, 2u}) {
      if (index >= ctx.getNumInputs() || ctx.isNone(index))
        continue;
      FailureOr<double> bound = ctx.getDouble(index, "a bound");
      if (failed(bound))
        return failure();
      (index == 1 ? low : high) = *bound;
      (index == 1 ? lowAttr : highAttr) =
          ctx.getBuilder().getF64FloatAttr(*bound);
    }
    if (name.starts_with("clamp"))
      return setResult(ctx, ctx.create<nn::ClipOp>(*input, lowAttr, highAttr));
  }
  return setResult(
      ctx, ctx.create<nn::ClipOp>(*input, ctx.getBuilder().getF64FloatAttr(low),
                                  ctx.getBuilder().getF64FloatAttr(high)));
}

/// Ops that are the identity in inference: dropout in eval mode,
/// contiguous, clone, detach.
static LogicalResult convertIdentity(AtenContext &ctx) {
  StringRef name = ctx.getNode()->kind().toUnqualString();
  if (name.contains("dropout")) {
    FailureOr<bool> train = ctx.getBool(2, "'train'");
    if (failed(train))
      return failure();
    if (*train)
      return ctx.fail("dropout in training mode is not supported (call "
                      "model.eval() before saving)");
  }
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  ctx.setOutput(0, *input);
  return success();
}

void kiln::torchimport::addElementwiseConverters(AtenRegistry &registry) {
  for (StringRef suffix : {"", "_"}) {
    auto add = [&](StringRef name, AtenConverter converter) {
      registry[("aten::" + name + suffix).str()] = converter;
    };
    add("add", convertAddSub<nn::AddOp>);
    add("sub", convertAddSub<nn::SubOp>);
    add("mul", convertBinary<nn::MulOp>);
    add("div", convertBinary<nn::DivOp>);
    add("relu", convertUnary<nn::ReluOp>);
    add("sigmoid", convertUnary<nn::SigmoidOp>);
    add("tanh", convertUnary<nn::TanhOp>);
    add("silu", convertUnary<nn::SiluOp>);
    add("hardswish", convertUnary<nn::HardSwishOp>);
    add("hardsigmoid", convertUnary<nn::HardSigmoidOp>);
    add("exp", convertUnary<nn::ExpOp>);
    add("log", convertUnary<nn::LogOp>);
    add("sqrt", convertUnary<nn::SqrtOp>);
    add("rsqrt", convertUnary<nn::RsqrtOp>);
    add("neg", convertUnary<nn::NegOp>);
    add("abs", convertUnary<nn::AbsOp>);
    add("erf", convertUnary<nn::ErfOp>);
    add("gelu", convertGelu);
    add("hardtanh", convertClamp);
    add("relu6", convertClamp);
    add("clamp", convertClamp);
    add("dropout", convertIdentity);
    add("feature_dropout", convertIdentity);
  }
  registry["aten::contiguous"] = convertIdentity;
  registry["aten::clone"] = convertIdentity;
  registry["aten::detach"] = convertIdentity;
}

//===----------------------------------------------------------------------===//
// Shapes
//===----------------------------------------------------------------------===//

/// aten::view / aten::reshape(input, shape) with one -1 allowed.
static LogicalResult convertView(AtenContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getTensorType(0);
  FailureOr<SmallVector<int64_t>> shape = ctx.getInts(1, "the shape");
  if (failed(type) || failed(shape))
    return failure();
  if (!type->hasStaticShape())
    return ctx.fail("reshaping a tensor of dynamic shape is not supported");
  int64_t known = 1, inferred = -1;
  for (auto [i, size] : llvm::enumerate(*shape)) {
    if (size == -1 && inferred < 0) {
      inferred = i;
      continue;
    }
    if (size < 0)
      return ctx.fail("invalid size " + Twine(size) + " in the shape");
    known *= size;
  }
  if (inferred >= 0) {
    if (known == 0 || type->getNumElements() % known)
      return ctx.fail("the shape does not fit the input's element count");
    (*shape)[inferred] = type->getNumElements() / known;
  } else if (known != type->getNumElements()) {
    return ctx.fail("the shape does not fit the input's element count");
  }
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  return setResult(ctx, ctx.createReshape(*input, *shape));
}

/// aten::flatten(input, start_dim, end_dim).
static LogicalResult convertFlatten(AtenContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getTensorType(0);
  FailureOr<int64_t> start = ctx.getInt(1, "'start_dim'");
  FailureOr<int64_t> end = ctx.getInt(2, "'end_dim'");
  if (failed(type) || failed(start) || failed(end))
    return failure();
  int64_t rank = std::max<int64_t>(type->getRank(), 1);
  FailureOr<int64_t> first = ctx.normalizeDim(*start, rank);
  FailureOr<int64_t> last = ctx.normalizeDim(*end, rank);
  if (failed(first) || failed(last))
    return failure();
  if (!type->hasStaticShape())
    return ctx.fail("flattening a tensor of dynamic shape is not supported");
  SmallVector<int64_t> shape;
  ArrayRef<int64_t> dims = type->getShape();
  for (int64_t d = 0; d < static_cast<int64_t>(dims.size()); ++d) {
    if (d > *first && d <= *last)
      shape.back() *= dims[d];
    else
      shape.push_back(dims[d]);
  }
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  return setResult(ctx, ctx.createReshape(*input, shape));
}

/// aten::permute(input, dims).
static LogicalResult convertPermute(AtenContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getTensorType(0);
  FailureOr<SmallVector<int64_t>> dims = ctx.getInts(1, "'dims'");
  if (failed(type) || failed(dims))
    return failure();
  SmallVector<int64_t> perm;
  for (int64_t dim : *dims) {
    FailureOr<int64_t> axis = ctx.normalizeDim(dim, type->getRank());
    if (failed(axis))
      return failure();
    perm.push_back(*axis);
  }
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  return setResult(
      ctx, ctx.create<nn::TransposeOp>(*input, ArrayRef<int64_t>(perm)));
}

/// aten::transpose(input, dim0, dim1) and aten::t(input).
static LogicalResult convertTranspose(AtenContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getTensorType(0);
  if (failed(type))
    return failure();
  int64_t rank = type->getRank();
  SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  if (ctx.getNumInputs() == 1) {
    if (rank == 2)
      std::swap(perm[0], perm[1]);
  } else {
    FailureOr<int64_t> a = ctx.getInt(1, "'dim0'");
    FailureOr<int64_t> b = ctx.getInt(2, "'dim1'");
    if (failed(a) || failed(b))
      return failure();
    FailureOr<int64_t> x = ctx.normalizeDim(*a, rank);
    FailureOr<int64_t> y = ctx.normalizeDim(*b, rank);
    if (failed(x) || failed(y))
      return failure();
    std::swap(perm[*x], perm[*y]);
  }
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  return setResult(
      ctx, ctx.create<nn::TransposeOp>(*input, ArrayRef<int64_t>(perm)));
}

/// aten::cat(tensors, dim).
static LogicalResult convertCat(AtenContext &ctx) {
  FailureOr<SmallVector<Value>> inputs = ctx.getTensors(0);
  FailureOr<int64_t> dim = ctx.getInt(1, "'dim'");
  if (failed(inputs) || failed(dim))
    return failure();
  if (inputs->empty())
    return ctx.fail("cannot concatenate an empty list");
  FailureOr<int64_t> axis = ctx.normalizeDim(
      *dim, cast<RankedTensorType>(inputs->front().getType()).getRank());
  if (failed(axis))
    return failure();
  return setResult(ctx, ctx.create<nn::ConcatOp>(ValueRange(*inputs),
                                                 static_cast<uint64_t>(*axis)));
}

/// Slices `input` along `axis` into pieces of `sizes`, as a list output.
static LogicalResult setSplitOutput(AtenContext &ctx, Value input, int64_t axis,
                                    ArrayRef<int64_t> sizes) {
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> starts(type.getRank(), 0), steps(type.getRank(), 1);
  SmallVector<int64_t> ends(type.getShape());
  std::vector<std::shared_ptr<Entry>> pieces;
  int64_t offset = 0;
  for (int64_t size : sizes) {
    starts[axis] = offset;
    ends[axis] = offset + size;
    offset += size;
    FailureOr<Value> piece = ctx.create<nn::SliceOp>(
        input, ArrayRef<int64_t>(starts), ArrayRef<int64_t>(ends),
        ArrayRef<int64_t>(steps));
    if (failed(piece))
      return failure();
    auto entry = std::make_shared<Entry>();
    entry->tensor = *piece;
    pieces.push_back(std::move(entry));
  }
  ctx.setList(0, std::move(pieces));
  return success();
}

/// aten::chunk(input, chunks, dim) and aten::split(input, size(s), dim).
static LogicalResult convertSplit(AtenContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getTensorType(0);
  FailureOr<SmallVector<int64_t>> count = ctx.getInts(1, "the split size");
  FailureOr<int64_t> dim = ctx.getInt(2, "'dim'");
  if (failed(type) || failed(count) || failed(dim))
    return failure();
  FailureOr<int64_t> axis = ctx.normalizeDim(*dim, type->getRank());
  if (failed(axis))
    return failure();
  if (!type->hasStaticShape())
    return ctx.fail("splitting a tensor of dynamic shape is not supported");
  int64_t size = type->getDimSize(*axis);
  SmallVector<int64_t> sizes;
  bool isChunk = ctx.getNode()->kind().toUnqualString() == std::string("chunk");
  if (isChunk || count->size() == 1) {
    int64_t value = count->front();
    if (value <= 0)
      return ctx.fail("the split size must be positive");
    int64_t piece = isChunk ? (size + value - 1) / value : value;
    for (int64_t offset = 0; offset < size; offset += piece)
      sizes.push_back(std::min(piece, size - offset));
  } else {
    sizes.assign(count->begin(), count->end());
    int64_t total = 0;
    for (int64_t s : sizes)
      total += s;
    if (total != size)
      return ctx.fail("the split sizes do not add up to the dimension");
  }
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  return setSplitOutput(ctx, *input, *axis, sizes);
}

/// aten::unsqueeze(input, dim) and aten::squeeze(input[, dim]).
static LogicalResult convertSqueeze(AtenContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getTensorType(0);
  if (failed(type))
    return failure();
  if (!type->hasStaticShape())
    return ctx.fail("a tensor of dynamic shape is not supported");
  SmallVector<int64_t> shape(type->getShape());
  bool unsqueeze =
      ctx.getNode()->kind().toUnqualString() == std::string("unsqueeze");
  if (unsqueeze) {
    FailureOr<int64_t> dim = ctx.getInt(1, "'dim'");
    if (failed(dim))
      return failure();
    FailureOr<int64_t> axis = ctx.normalizeDim(*dim, type->getRank() + 1);
    if (failed(axis))
      return failure();
    shape.insert(shape.begin() + *axis, 1);
  } else if (ctx.getNumInputs() > 1) {
    FailureOr<int64_t> dim = ctx.getInt(1, "'dim'");
    if (failed(dim))
      return failure();
    FailureOr<int64_t> axis =
        ctx.normalizeDim(*dim, std::max<int64_t>(type->getRank(), 1));
    if (failed(axis))
      return failure();
    if (*axis < static_cast<int64_t>(shape.size()) && shape[*axis] == 1)
      shape.erase(shape.begin() + *axis);
  } else {
    llvm::erase(shape, 1);
  }
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  return setResult(ctx, ctx.createReshape(*input, shape));
}

/// aten::slice(input, dim, start, end, step) and aten::select(input, dim,
/// index).
static LogicalResult convertSlice(AtenContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getTensorType(0);
  FailureOr<int64_t> dim = ctx.getInt(1, "'dim'");
  if (failed(type) || failed(dim))
    return failure();
  if (!type->hasStaticShape())
    return ctx.fail("slicing a tensor of dynamic shape is not supported");
  FailureOr<int64_t> axis = ctx.normalizeDim(*dim, type->getRank());
  if (failed(axis))
    return failure();
  int64_t size = type->getDimSize(*axis);
  bool select = ctx.getNode()->kind().toUnqualString() == std::string("select");
  int64_t start = 0, end = size, step = 1;
  if (select) {
    FailureOr<int64_t> index = ctx.getInt(2, "'index'");
    if (failed(index))
      return failure();
    if (*index < -size || *index >= size)
      return ctx.fail("index " + Twine(*index) + " is out of range");
    start = *index < 0 ? *index + size : *index;
    end = start + 1;
  } else {
    auto bound = [&](unsigned index, int64_t fallback) -> FailureOr<int64_t> {
      if (ctx.isNone(index))
        return fallback;
      FailureOr<int64_t> value = ctx.getInt(index, "a slice bound");
      if (failed(value))
        return failure();
      int64_t v = *value < 0 ? *value + size : *value;
      return std::clamp<int64_t>(v, 0, size);
    };
    FailureOr<int64_t> s = bound(2, 0), e = bound(3, size);
    FailureOr<int64_t> st = ctx.getInt(4, "'step'");
    if (failed(s) || failed(e) || failed(st))
      return failure();
    if (*st <= 0)
      return ctx.fail("the step must be positive");
    start = *s;
    end = std::max(*s, *e);
    step = *st;
  }
  SmallVector<int64_t> starts(type->getRank(), 0), steps(type->getRank(), 1);
  SmallVector<int64_t> ends(type->getShape());
  starts[*axis] = start;
  ends[*axis] = end;
  steps[*axis] = step;
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  FailureOr<Value> result = ctx.create<nn::SliceOp>(
      *input, ArrayRef<int64_t>(starts), ArrayRef<int64_t>(ends),
      ArrayRef<int64_t>(steps));
  if (failed(result) || !select)
    return setResult(ctx, result);
  SmallVector<int64_t> shape(type->getShape());
  shape.erase(shape.begin() + *axis);
  return setResult(ctx, ctx.createReshape(*result, shape));
}

/// aten::append(list, element): lists are references, so the list entry
/// itself grows and the output aliases it.
static LogicalResult convertAppend(AtenContext &ctx) {
  FailureOr<Entry *> list = ctx.getListEntry(0);
  if (failed(list))
    return failure();
  std::shared_ptr<Entry> element = ctx.getInputShared(1);
  if (!element)
    return ctx.fail("the appended value is not defined");
  (*list)->elements->push_back(std::move(element));
  ctx.setAlias(0, 0);
  return success();
}

void kiln::torchimport::addShapeConverters(AtenRegistry &registry) {
  registry["aten::append"] = convertAppend;
  registry["aten::view"] = convertView;
  registry["aten::reshape"] = convertView;
  registry["aten::flatten"] = convertFlatten;
  registry["aten::permute"] = convertPermute;
  registry["aten::transpose"] = convertTranspose;
  registry["aten::t"] = convertTranspose;
  registry["aten::cat"] = convertCat;
  registry["aten::chunk"] = convertSplit;
  registry["aten::split"] = convertSplit;
  registry["aten::unsqueeze"] = convertSqueeze;
  registry["aten::squeeze"] = convertSqueeze;
  registry["aten::slice"] = convertSlice;
  registry["aten::select"] = convertSlice;
}

const AtenRegistry &kiln::torchimport::getAtenRegistry() {
  static const AtenRegistry registry = [] {
    AtenRegistry converters;
    addLayerConverters(converters);
    addElementwiseConverters(converters);
    addShapeConverters(converters);
    return converters;
  }();
  return registry;
}
