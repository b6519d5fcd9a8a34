//===- PoolingOps.cpp - ONNX pooling and reductions to nn -----------------===//
//
// Converters for the window and reduction ops: MaxPool and AveragePool (1-D
// to 3-D,
// with ceil_mode, dilations, count_include_pad and auto_pad),
// GlobalAveragePool, GlobalMaxPool (a reduce_max over the spatial
// dimensions) and ReduceSum / ReduceMean / ReduceMax / ReduceMin /
// ReduceProd, whose axes come from an attribute or, for ReduceSum from opset
// 13 (the others from 18), from a constant input; ReduceL1, ReduceL2,
// ReduceLogSum, ReduceLogSumExp and ReduceSumSquare as elementwise ops around
// reduce_sum; ArgMax and ArgMin.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"

#include "kiln/dialects/nn/NNOps.h"

#include <numeric>

using namespace mlir;
using namespace kiln;
using namespace kiln::onnximport;

namespace {
/// The window attributes of a pooling node as the 2-D or 3-D window nn
/// applies, with pads made explicit. A 1-D pooling runs as a 2-D one over a
/// unit height (`unitHeight`): its input gets a height of 1 and its result
/// loses it.
struct PoolWindow {
  SmallVector<int64_t> kernel, strides, pads, dilations;
  bool ceilMode = false;
  bool unitHeight = false;
};
} // namespace

/// Reads a list attribute of `count` entries, or `defaultValue` when absent.
static FailureOr<SmallVector<int64_t>>
getWindowList(NodeContext &ctx, StringRef name, size_t count,
              ArrayRef<int64_t> defaultValue) {
  FailureOr<std::optional<SmallVector<int64_t>>> values = ctx.getIntsAttr(name);
  if (failed(values))
    return failure();
  if (!*values) {
    if (defaultValue.empty())
      return ctx.fail("attribute '" + name + "' is required");
    return SmallVector<int64_t>(defaultValue);
  }
  if ((*values)->size() != count)
    return ctx.fail("attribute '" + name + "' must have " + Twine(count) +
                    " entries, got " + Twine((*values)->size()));
  return **values;
}

/// Reads the window of a pooling node over the NCHW input of `inputType`.
static FailureOr<PoolWindow>
getPoolWindow(NodeContext &ctx, RankedTensorType inputType, bool hasDilations) {
  int64_t spatial = inputType.getRank() - 2;
  if (spatial < 1 || spatial > 3)
    return ctx.fail("only 1-D, 2-D and 3-D pooling is supported (input of "
                    "rank " +
                    Twine(inputType.getRank()) + ")");
  if (spatial == 3 &&
      llvm::any_of(inputType.getShape().drop_front(2), ShapedType::isDynamic))
    return ctx.fail("3-D pooling needs static spatial sizes");
  PoolWindow window;
  SmallVector<int64_t> ones(spatial, 1);
  FailureOr<SmallVector<int64_t>> kernel =
      getWindowList(ctx, "kernel_shape", spatial, {});
  if (failed(kernel))
    return failure();
  window.kernel = *kernel;
  FailureOr<SmallVector<int64_t>> strides =
      getWindowList(ctx, "strides", spatial, ones);
  if (failed(strides))
    return failure();
  window.strides = *strides;
  FailureOr<SmallVector<int64_t>> dilations =
      getWindowList(ctx, "dilations", spatial, ones);
  if (failed(dilations))
    return failure();
  window.dilations = *dilations;
  if (!hasDilations && window.dilations != ArrayRef<int64_t>(ones))
    return ctx.fail("dilations are not supported for this pooling op");
  FailureOr<int64_t> ceilMode = ctx.getIntAttr("ceil_mode", 0);
  if (failed(ceilMode))
    return failure();
  window.ceilMode = *ceilMode != 0;
  FailureOr<SmallVector<int64_t>> pads =
      getWindowPads(ctx, inputType.getShape().drop_front(2), window.kernel,
                    window.strides, window.dilations);
  if (failed(pads))
    return failure();
  window.pads = *pads;
  if (spatial == 1) {
    window.unitHeight = true;
    window.kernel = {1, window.kernel[0]};
    window.strides = {1, window.strides[0]};
    window.dilations = {1, window.dilations[0]};
    window.pads = {0, window.pads[0], 0, window.pads[1]};
  }
  return window;
}

/// Gives a 1-D pooling input its unit height (see PoolWindow).
static FailureOr<Value> getPoolInput(NodeContext &ctx, const PoolWindow &window,
                                     RankedTensorType inputType) {
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input) || !window.unitHeight)
    return input;
  ArrayRef<int64_t> shape = inputType.getShape();
  return ctx.createReshape(*input, {shape[0], shape[1], 1, shape[2]});
}

/// Sets output 0 to a pooling result, dropping the unit height of a 1-D one.
static LogicalResult setPoolOutput(NodeContext &ctx, const PoolWindow &window,
                                   FailureOr<Value> result) {
  if (failed(result))
    return failure();
  if (window.unitHeight) {
    auto shape = cast<RankedTensorType>(result->getType()).getShape();
    result = ctx.createReshape(*result, {shape[0], shape[1], shape[3]});
    if (failed(result))
      return failure();
  }
  ctx.setOutput(0, *result);
  return success();
}

/// Converts MaxPool; the Indices output is not supported.
static LogicalResult convertMaxPool(NodeContext &ctx) {
  if (failed(ctx.checkOutputsUnused(1, "the Indices output is not supported")))
    return failure();
  FailureOr<RankedTensorType> inputType = ctx.getInputType(0);
  if (failed(inputType))
    return failure();
  FailureOr<PoolWindow> window =
      getPoolWindow(ctx, *inputType, /*hasDilations=*/true);
  if (failed(window))
    return failure();
  FailureOr<Value> input = getPoolInput(ctx, *window, *inputType);
  if (failed(input))
    return failure();
  if (window->kernel.size() == 3)
    return setPoolOutput(
        ctx, *window,
        ctx.create<nn::MaxPool3DOp>(
            *input, ArrayRef<int64_t>(window->kernel),
            ArrayRef<int64_t>(window->strides), ArrayRef<int64_t>(window->pads),
            ArrayRef<int64_t>(window->dilations), window->ceilMode));
  return setPoolOutput(
      ctx, *window,
      ctx.create<nn::MaxPool2DOp>(
          *input, ArrayRef<int64_t>(window->kernel),
          ArrayRef<int64_t>(window->strides), ArrayRef<int64_t>(window->pads),
          ArrayRef<int64_t>(window->dilations), window->ceilMode));
}

/// Converts AveragePool.
static LogicalResult convertAveragePool(NodeContext &ctx) {
  FailureOr<RankedTensorType> inputType = ctx.getInputType(0);
  if (failed(inputType))
    return failure();
  FailureOr<PoolWindow> window =
      getPoolWindow(ctx, *inputType, /*hasDilations=*/false);
  if (failed(window))
    return failure();
  FailureOr<int64_t> countIncludePad = ctx.getIntAttr("count_include_pad", 0);
  if (failed(countIncludePad))
    return failure();
  FailureOr<Value> input = getPoolInput(ctx, *window, *inputType);
  if (failed(input))
    return failure();
  if (window->kernel.size() == 3)
    return setPoolOutput(
        ctx, *window,
        ctx.create<nn::AvgPool3DOp>(*input, ArrayRef<int64_t>(window->kernel),
                                    ArrayRef<int64_t>(window->strides),
                                    ArrayRef<int64_t>(window->pads),
                                    window->ceilMode, *countIncludePad != 0));
  return setPoolOutput(
      ctx, *window,
      ctx.create<nn::AvgPool2DOp>(*input, ArrayRef<int64_t>(window->kernel),
                                  ArrayRef<int64_t>(window->strides),
                                  ArrayRef<int64_t>(window->pads),
                                  window->ceilMode, *countIncludePad != 0));
}

/// Converts GlobalAveragePool.
static LogicalResult convertGlobalAveragePool(NodeContext &ctx) {
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  FailureOr<Value> result = ctx.create<nn::GlobalAvgPoolOp>(*input);
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Converts GlobalMaxPool to a reduce_max over dimensions 2 and up.
static LogicalResult convertGlobalMaxPool(NodeContext &ctx) {
  FailureOr<RankedTensorType> inputType = ctx.getInputType(0);
  if (failed(inputType))
    return failure();
  if (inputType->getRank() < 3)
    return ctx.fail("expects an N x C x D1 x ... input of rank >= 3");
  SmallVector<int64_t> axes(inputType->getRank() - 2);
  std::iota(axes.begin(), axes.end(), 2);
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  FailureOr<Value> result = ctx.create<nn::ReduceMaxOp>(
      *input, ArrayRef<int64_t>(axes), /*keepdims=*/true);
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Converts a reduction. Axes come from the `axes` attribute or, when
/// `axesFromInput`, from the optional constant input 1; no axes means all of
/// them unless `noop_with_empty_axes` makes the node an identity.
template <typename OpTy>
static LogicalResult convertReduce(NodeContext &ctx, bool axesFromInput) {
  FailureOr<RankedTensorType> inputType = ctx.getInputType(0);
  if (failed(inputType))
    return failure();
  FailureOr<int64_t> keepDims = ctx.getIntAttr("keepdims", 1);
  if (failed(keepDims))
    return failure();
  FailureOr<int64_t> noopWithEmptyAxes =
      ctx.getIntAttr("noop_with_empty_axes", 0);
  if (failed(noopWithEmptyAxes))
    return failure();
  SmallVector<int64_t> axes;
  if (axesFromInput) {
    if (ctx.hasInput(1)) {
      FailureOr<SmallVector<int64_t>> values =
          ctx.getConstantInts(1, "the 'axes' input");
      if (failed(values))
        return failure();
      axes = *values;
    }
  } else {
    FailureOr<std::optional<SmallVector<int64_t>>> values =
        ctx.getIntsAttr("axes");
    if (failed(values))
      return failure();
    if (*values)
      axes = **values;
  }
  int64_t rank = inputType->getRank();
  if (axes.empty()) {
    if (*noopWithEmptyAxes != 0)
      return ctx.setOutputAlias(0, 0);
    axes.resize(rank);
    std::iota(axes.begin(), axes.end(), 0);
  }
  FailureOr<SmallVector<int64_t>> normalized = ctx.normalizeAxes(axes, rank);
  if (failed(normalized))
    return failure();
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  FailureOr<Value> result =
      ctx.create<OpTy>(*input, ArrayRef<int64_t>(*normalized), *keepDims != 0);
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Converts ReduceSum, whose axes became an input in opset 13.
static LogicalResult convertReduceSum(NodeContext &ctx) {
  return convertReduce<nn::ReduceSumOp>(ctx, ctx.getOpset() >= 13);
}
static LogicalResult convertReduceMean(NodeContext &ctx) {
  return convertReduce<nn::ReduceMeanOp>(ctx, /*axesFromInput=*/false);
}
static LogicalResult convertReduceMax(NodeContext &ctx) {
  return convertReduce<nn::ReduceMaxOp>(ctx, /*axesFromInput=*/false);
}

//===----------------------------------------------------------------------===//
// Further reductions: ReduceMin, ReduceProd, ReduceL1, ReduceL2,
// ReduceLogSum, ReduceLogSumExp, ReduceSumSquare, ArgMax, ArgMin
//===----------------------------------------------------------------------===//

/// The elementwise steps around an nn.reduce_sum that make up the composite
/// ONNX reductions.
enum class SumReduction { L1, L2, LogSum, LogSumExp, SumSquare };

/// Converts ReduceL1 (sum of |x|), ReduceL2 (sqrt of the sum of x*x),
/// ReduceLogSum (log of the sum), ReduceLogSumExp (log of the sum of exp x,
/// unshifted as in ONNX's reference) and ReduceSumSquare (sum of x*x). Axes
/// are attributes before opset 18 and a constant input from it on; with no
/// axes and `noop_with_empty_axes` the node is the identity.
template <SumReduction kind>
static LogicalResult convertSumReduction(NodeContext &ctx) {
  FailureOr<RankedTensorType> inputType = ctx.getInputType(0);
  if (failed(inputType))
    return failure();
  FailureOr<int64_t> keepDims = ctx.getIntAttr("keepdims", 1);
  if (failed(keepDims))
    return failure();
  FailureOr<int64_t> noopWithEmptyAxes =
      ctx.getIntAttr("noop_with_empty_axes", 0);
  if (failed(noopWithEmptyAxes))
    return failure();
  SmallVector<int64_t> axes;
  if (ctx.getOpset() >= 18) {
    if (ctx.hasInput(1)) {
      FailureOr<SmallVector<int64_t>> values =
          ctx.getConstantInts(1, "the 'axes' input");
      if (failed(values))
        return failure();
      axes = *values;
    }
  } else {
    FailureOr<std::optional<SmallVector<int64_t>>> values =
        ctx.getIntsAttr("axes");
    if (failed(values))
      return failure();
    if (*values)
      axes = **values;
  }
  int64_t rank = inputType->getRank();
  if (axes.empty()) {
    if (*noopWithEmptyAxes != 0)
      return ctx.setOutputAlias(0, 0);
    axes.resize(rank);
    std::iota(axes.begin(), axes.end(), 0);
  }
  FailureOr<SmallVector<int64_t>> normalized = ctx.normalizeAxes(axes, rank);
  if (failed(normalized))
    return failure();
  FailureOr<Value> value = ctx.getInput(0);
  if (failed(value))
    return failure();
  if (kind == SumReduction::L1)
    value = ctx.create<nn::AbsOp>(*value);
  else if (kind == SumReduction::L2 || kind == SumReduction::SumSquare)
    value = ctx.create<nn::MulOp>(*value, *value);
  else if (kind == SumReduction::LogSumExp)
    value = ctx.create<nn::ExpOp>(*value);
  if (failed(value))
    return failure();
  value = ctx.create<nn::ReduceSumOp>(*value, ArrayRef<int64_t>(*normalized),
                                      *keepDims != 0);
  if (failed(value))
    return failure();
  if (kind == SumReduction::L2)
    value = ctx.create<nn::SqrtOp>(*value);
  else if (kind == SumReduction::LogSum || kind == SumReduction::LogSumExp)
    value = ctx.create<nn::LogOp>(*value);
  if (failed(value))
    return failure();
  ctx.setOutput(0, *value);
  return success();
}

static LogicalResult convertReduceMin(NodeContext &ctx) {
  return convertReduce<nn::ReduceMinOp>(ctx, ctx.getOpset() >= 18);
}
static LogicalResult convertReduceProd(NodeContext &ctx) {
  return convertReduce<nn::ReduceProdOp>(ctx, ctx.getOpset() >= 18);
}

/// Converts ArgMax / ArgMin (`axis`, `keepdims`, and `select_last_index`
/// from opset 12).
template <typename OpTy>
static LogicalResult convertArgReduce(NodeContext &ctx) {
  FailureOr<RankedTensorType> inputType = ctx.getInputType(0);
  if (failed(inputType))
    return failure();
  FailureOr<int64_t> axisValue = ctx.getIntAttr("axis", 0);
  if (failed(axisValue))
    return failure();
  FailureOr<int64_t> axis = ctx.normalizeAxis(*axisValue, inputType->getRank());
  if (failed(axis))
    return failure();
  FailureOr<int64_t> keepDims = ctx.getIntAttr("keepdims", 1);
  if (failed(keepDims))
    return failure();
  FailureOr<int64_t> selectLast = ctx.getIntAttr("select_last_index", 0);
  if (failed(selectLast))
    return failure();
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  Builder &builder = ctx.getBuilder();
  FailureOr<Value> result =
      ctx.create<OpTy>(*input, builder.getI64IntegerAttr(*axis),
                       builder.getBoolAttr(*keepDims != 0),
                       builder.getBoolAttr(*selectLast != 0));
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Converts Hardmax: 1 at the first maximum along `axis` and 0 elsewhere,
/// built as equal(iota along axis, argmax(x, axis)) cast to x's type, which is
/// exact (NaN counts as the maximum, as numpy.argmax has it). Before opset 13
/// the input is first coerced to 2-D around `axis` (default 1).
static LogicalResult convertHardmax(NodeContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getInputType(0);
  if (failed(type))
    return failure();
  if (!type->hasStaticShape())
    return ctx.fail("the input shape must be static");
  bool coerced = ctx.getOpset() < 13;
  FailureOr<int64_t> axisAttr = ctx.getIntAttr("axis", coerced ? 1 : -1);
  if (failed(axisAttr))
    return failure();
  FailureOr<int64_t> axis = ctx.normalizeAxis(*axisAttr, type->getRank());
  if (failed(axis))
    return failure();
  FailureOr<Value> x = ctx.getInput(0);
  if (failed(x))
    return failure();
  int64_t hardmaxAxis = *axis;
  if (coerced) {
    ArrayRef<int64_t> shape = type->getShape();
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < type->getRank(); ++d)
      (d < *axis ? outer : inner) *= shape[d];
    x = ctx.createReshape(*x, {outer, inner});
    if (failed(x))
      return failure();
    hardmaxAxis = 1;
  }
  auto xType = cast<RankedTensorType>(x->getType());
  Builder &builder = ctx.getBuilder();
  FailureOr<Value> argmax = ctx.create<nn::ArgMaxOp>(
      *x, builder.getI64IntegerAttr(hardmaxAxis), builder.getBoolAttr(true),
      builder.getBoolAttr(false));
  if (failed(argmax))
    return failure();
  SmallVector<int64_t> iotaShape(xType.getRank(), 1);
  int64_t size = xType.getDimSize(hardmaxAxis);
  iotaShape[hardmaxAxis] = size;
  HostTensor iota = HostTensor::make(onnx::TensorProto::INT64, iotaShape);
  for (int64_t i = 0; i < size; ++i)
    iota.appendInt(i);
  ElementsAttr iotaAttr =
      hostTensorToAttr(ctx.getContext(), iota, ctx.getName().str() + "_iota");
  if (!iotaAttr)
    return ctx.fail("cannot build the index table");
  FailureOr<Value> iotaValue = ctx.create<nn::ConstantOp>(iotaAttr);
  if (failed(iotaValue))
    return failure();
  FailureOr<Value> isMax = ctx.create<nn::EqualOp>(*iotaValue, *argmax);
  if (failed(isMax))
    return failure();
  FailureOr<Value> result = ctx.createTyped<nn::CastOp>(xType, *isMax);
  if (failed(result))
    return failure();
  if (coerced) {
    result = ctx.createReshape(*result, type->getShape());
    if (failed(result))
      return failure();
  }
  ctx.setOutput(0, *result);
  return success();
}

void kiln::onnximport::addPoolingConverters(ConverterRegistry &registry) {
  registry["ReduceMin"] = convertReduceMin;
  registry["ReduceProd"] = convertReduceProd;
  registry["ReduceL1"] = convertSumReduction<SumReduction::L1>;
  registry["ReduceL2"] = convertSumReduction<SumReduction::L2>;
  registry["ReduceLogSum"] = convertSumReduction<SumReduction::LogSum>;
  registry["ReduceLogSumExp"] = convertSumReduction<SumReduction::LogSumExp>;
  registry["ReduceSumSquare"] = convertSumReduction<SumReduction::SumSquare>;
  registry["ArgMax"] = convertArgReduce<nn::ArgMaxOp>;
  registry["Hardmax"] = convertHardmax;
  registry["ArgMin"] = convertArgReduce<nn::ArgMinOp>;
  registry["MaxPool"] = convertMaxPool;
  registry["AveragePool"] = convertAveragePool;
  registry["GlobalAveragePool"] = convertGlobalAveragePool;
  registry["GlobalMaxPool"] = convertGlobalMaxPool;
  registry["ReduceSum"] = convertReduceSum;
  registry["ReduceMean"] = convertReduceMean;
  registry["ReduceMax"] = convertReduceMax;
}
