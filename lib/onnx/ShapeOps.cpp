//===- ShapeOps.cpp - ONNX shape and data-movement ops to nn --------------===//
//
// Converters for the ops that only move data: Reshape, Flatten, Squeeze and
// Unsqueeze (all nn.reshape or nn.flatten), Transpose, Concat, Split and
// Slice (nn.slice in its normalized form), Pad, Gather, Expand (a product
// with ones); Tile, DepthToSpace, SpaceToDepth, GatherElements and Trilu are
// in RearrangeOps.cpp
// (reshape, transpose, reshape), Identity and inference-mode Dropout. Shape
// arguments must be constants; `0` and `-1` in a Reshape shape, negative axes
// and out-of-range slice bounds are resolved here against the static input
// shape. When the data itself is a small constant (a shape being computed),
// the result is computed at import time instead of becoming an op.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"

#include "kiln/dialects/nn/NNOps.h"
#include "kiln/dialects/nn/ShapeInference.h"

#include "llvm/ADT/StringSwitch.h"

#include <numeric>

using namespace mlir;
using namespace kiln;
using namespace kiln::onnximport;

/// Appends element `index` of `source` to `target` (same data type).
static void copyElement(HostTensor &target, const HostTensor &source,
                        int64_t index) {
  if (source.isFloat())
    target.floats.push_back(source.getDouble(index));
  else
    target.ints.push_back(source.getInt(index));
}

/// Returns the product of `dims` (all static and valid here).
static int64_t product(ArrayRef<int64_t> dims) {
  return std::accumulate(dims.begin(), dims.end(), int64_t(1),
                         std::multiplies<int64_t>());
}

/// Sets output 0 to input 0 with the new `shape` (same element count): a
/// constant when input 0 is a small constant, an nn.reshape otherwise.
static LogicalResult setReshapedOutput(NodeContext &ctx,
                                       ArrayRef<int64_t> shape) {
  if (std::shared_ptr<const HostTensor> host =
          ctx.tryGetConstantInput(0, kMaxFoldElements)) {
    HostTensor result = *host;
    result.shape.assign(shape.begin(), shape.end());
    ctx.setOutput(0, std::move(result));
    return success();
  }
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  FailureOr<Value> result = ctx.createReshape(*input, shape);
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

//===----------------------------------------------------------------------===//
// Reshape, Flatten, Squeeze, Unsqueeze
//===----------------------------------------------------------------------===//

/// Converts Reshape: `0` copies the input dimension (unless `allowzero`),
/// `-1` takes what is left of the element count.
static LogicalResult convertReshape(NodeContext &ctx) {
  FailureOr<RankedTensorType> inputType = ctx.getInputType(0);
  if (failed(inputType))
    return failure();
  FailureOr<SmallVector<int64_t>> target;
  if (ctx.getOpset() < 5) {
    // Before opset 5 the target shape is the `shape` attribute.
    FailureOr<std::optional<SmallVector<int64_t>>> attr =
        ctx.getIntsAttr("shape");
    if (failed(attr))
      return failure();
    if (!*attr)
      return ctx.fail("attribute 'shape' is required");
    target = **attr;
  } else {
    target = ctx.getConstantInts(1, "the 'shape' input");
  }
  if (failed(target))
    return failure();
  FailureOr<int64_t> allowZero = ctx.getIntAttr("allowzero", 0);
  if (failed(allowZero))
    return failure();
  ArrayRef<int64_t> inputShape = inputType->getShape();
  SmallVector<int64_t> shape;
  std::optional<size_t> inferredIndex;
  for (auto [i, dim] : llvm::enumerate(*target)) {
    if (dim == 0 && *allowZero == 0) {
      if (i >= inputShape.size())
        return ctx.fail("shape entry 0 at index " + Twine(i) +
                        " has no input dimension to copy");
      shape.push_back(inputShape[i]);
    } else if (dim == -1) {
      if (inferredIndex)
        return ctx.fail("the shape has more than one -1 entry");
      inferredIndex = i;
      shape.push_back(ShapedType::kDynamic);
    } else if (dim < -1) {
      return ctx.fail("shape entry " + Twine(dim) + " is invalid");
    } else {
      shape.push_back(dim);
    }
  }
  if (inferredIndex && inputType->hasStaticShape()) {
    SmallVector<int64_t> others(shape);
    others.erase(others.begin() + *inferredIndex);
    if (llvm::any_of(others, ShapedType::isDynamic))
      return ctx.fail("cannot resolve -1 next to a dynamic dimension");
    std::optional<int64_t> known = countElements(others);
    int64_t total = inputType->getNumElements();
    if (!known || *known == 0 || total % *known != 0)
      return ctx.fail("cannot reshape " + Twine(total) +
                      " elements as requested (-1 is ambiguous or does not "
                      "divide)");
    shape[*inferredIndex] = total / *known;
  }
  if (inputType->hasStaticShape() &&
      llvm::none_of(shape, ShapedType::isDynamic)) {
    std::optional<int64_t> count = countElements(shape);
    if (!count || *count != inputType->getNumElements())
      return ctx.fail("cannot reshape " + Twine(inputType->getNumElements()) +
                      " elements to the requested shape");
  }
  return setReshapedOutput(ctx, shape);
}

/// Converts Flatten(axis) with axis in [-rank, rank].
static LogicalResult convertFlatten(NodeContext &ctx) {
  FailureOr<RankedTensorType> inputType = ctx.getInputType(0);
  if (failed(inputType))
    return failure();
  int64_t rank = inputType->getRank();
  FailureOr<int64_t> axis = ctx.getIntAttr("axis", 1);
  if (failed(axis))
    return failure();
  if (*axis < -rank || *axis > rank)
    return ctx.fail("axis " + Twine(*axis) + " is out of range for rank " +
                    Twine(rank));
  int64_t normalized = *axis < 0 ? *axis + rank : *axis;
  if (inputType->hasStaticShape() && ctx.isConstantInput(0)) {
    ArrayRef<int64_t> shape = inputType->getShape();
    SmallVector<int64_t> flat = {product(shape.take_front(normalized)),
                                 product(shape.drop_front(normalized))};
    return setReshapedOutput(ctx, flat);
  }
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  FailureOr<Value> result =
      ctx.create<nn::FlattenOp>(*input, static_cast<uint64_t>(normalized));
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Reads the axes of Squeeze / Unsqueeze: an attribute before opset 13, an
/// optional constant input from it on.
static FailureOr<std::optional<SmallVector<int64_t>>>
getSqueezeAxes(NodeContext &ctx) {
  if (ctx.getOpset() < 13)
    return ctx.getIntsAttr("axes");
  if (!ctx.hasInput(1))
    return std::optional<SmallVector<int64_t>>();
  FailureOr<SmallVector<int64_t>> axes =
      ctx.getConstantInts(1, "the 'axes' input");
  if (failed(axes))
    return failure();
  return std::optional<SmallVector<int64_t>>(*axes);
}

/// Converts Squeeze; without axes every static size-1 dimension goes.
static LogicalResult convertSqueeze(NodeContext &ctx) {
  FailureOr<RankedTensorType> inputType = ctx.getInputType(0);
  if (failed(inputType))
    return failure();
  FailureOr<std::optional<SmallVector<int64_t>>> axes = getSqueezeAxes(ctx);
  if (failed(axes))
    return failure();
  ArrayRef<int64_t> inputShape = inputType->getShape();
  SmallVector<int64_t> squeezed;
  if (!*axes) {
    if (!inputType->hasStaticShape())
      return ctx.fail("squeezing without axes needs a static shape");
    for (int64_t dim : inputShape)
      if (dim != 1)
        squeezed.push_back(dim);
    return setReshapedOutput(ctx, squeezed);
  }
  FailureOr<SmallVector<int64_t>> normalized =
      ctx.normalizeAxes(**axes, inputType->getRank());
  if (failed(normalized))
    return failure();
  for (auto [d, dim] : llvm::enumerate(inputShape)) {
    if (!llvm::is_contained(*normalized, static_cast<int64_t>(d))) {
      squeezed.push_back(dim);
      continue;
    }
    if (dim != 1)
      return ctx.fail("cannot squeeze dimension " + Twine(d) + " of size " +
                      (ShapedType::isDynamic(dim) ? std::string("?")
                                                  : std::to_string(dim)));
  }
  return setReshapedOutput(ctx, squeezed);
}

/// Converts Unsqueeze: axes index the result, which gains a 1 at each.
static LogicalResult convertUnsqueeze(NodeContext &ctx) {
  FailureOr<RankedTensorType> inputType = ctx.getInputType(0);
  if (failed(inputType))
    return failure();
  FailureOr<std::optional<SmallVector<int64_t>>> axes = getSqueezeAxes(ctx);
  if (failed(axes))
    return failure();
  if (!*axes)
    return ctx.fail("the axes to insert are missing");
  int64_t rank = inputType->getRank() + (*axes)->size();
  FailureOr<SmallVector<int64_t>> normalized = ctx.normalizeAxes(**axes, rank);
  if (failed(normalized))
    return failure();
  SmallVector<int64_t> shape;
  ArrayRef<int64_t> inputShape = inputType->getShape();
  for (int64_t d = 0, next = 0; d < rank; ++d)
    shape.push_back(llvm::is_contained(*normalized, d) ? 1
                                                       : inputShape[next++]);
  return setReshapedOutput(ctx, shape);
}

//===----------------------------------------------------------------------===//
// Transpose, Concat, Gather
//===----------------------------------------------------------------------===//

/// Converts Transpose; the default permutation reverses the dimensions.
static LogicalResult convertTranspose(NodeContext &ctx) {
  FailureOr<RankedTensorType> inputType = ctx.getInputType(0);
  if (failed(inputType))
    return failure();
  FailureOr<std::optional<SmallVector<int64_t>>> permAttr =
      ctx.getIntsAttr("perm");
  if (failed(permAttr))
    return failure();
  SmallVector<int64_t> perm;
  if (*permAttr) {
    perm = **permAttr;
  } else {
    perm.resize(inputType->getRank());
    std::iota(perm.rbegin(), perm.rend(), 0);
  }
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  FailureOr<Value> result =
      ctx.create<nn::TransposeOp>(*input, ArrayRef<int64_t>(perm));
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Concatenates small constant tensors along `axis` at import time.
static HostTensor concatHost(ArrayRef<std::shared_ptr<const HostTensor>> inputs,
                             int64_t axis) {
  HostTensor result =
      HostTensor::make(inputs.front()->dataType, inputs.front()->shape);
  result.shape[axis] = 0;
  for (const auto &input : inputs)
    result.shape[axis] += input->shape[axis];
  ArrayRef<int64_t> shape = result.shape;
  int64_t outer = product(shape.take_front(axis));
  int64_t inner = product(shape.drop_front(axis + 1));
  for (int64_t o = 0; o < outer; ++o)
    for (const auto &input : inputs) {
      int64_t chunk = input->shape[axis] * inner;
      for (int64_t i = 0; i < chunk; ++i)
        copyElement(result, *input, o * chunk + i);
    }
  return result;
}

/// Converts Concat along a possibly negative axis.
static LogicalResult convertConcat(NodeContext &ctx) {
  unsigned count = ctx.getNumInputs();
  if (count == 0)
    return ctx.fail("needs at least one input");
  FailureOr<RankedTensorType> firstType = ctx.getInputType(0);
  if (failed(firstType))
    return failure();
  // Before opset 4 the axis is optional and defaults to 1.
  const onnx::AttributeProto *axisAttr = ctx.findAttribute("axis");
  if (!axisAttr && ctx.getOpset() >= 4)
    return ctx.fail("attribute 'axis' is required");
  FailureOr<int64_t> axisValue = ctx.getIntAttr("axis", 1);
  if (failed(axisValue))
    return failure();
  FailureOr<int64_t> axis = ctx.normalizeAxis(*axisValue, firstType->getRank());
  if (failed(axis))
    return failure();

  // All constant: concatenate now (shape vectors being assembled, where a
  // ConstantOfShape splat of ones is a common piece).
  SmallVector<std::shared_ptr<const HostTensor>> hosts;
  for (unsigned i = 0; i < count; ++i) {
    std::shared_ptr<const HostTensor> host =
        ctx.tryGetConstantInput(i, kMaxFoldElements);
    if (!host)
      continue;
    if (host->splat) {
      if (host->getNumElements() > kMaxFoldElements)
        continue;
      HostTensor expanded = HostTensor::make(host->dataType, host->shape);
      for (int64_t j = 0, e = host->getNumElements(); j < e; ++j) {
        if (host->isFloat())
          expanded.append(host->getDouble(0));
        else
          expanded.appendInt(host->getInt(0));
      }
      host = std::make_shared<const HostTensor>(std::move(expanded));
    }
    hosts.push_back(std::move(host));
  }
  bool foldable = hosts.size() == count;
  for (const auto &host : hosts)
    foldable = foldable && host->dataType == hosts.front()->dataType &&
               host->shape.size() == hosts.front()->shape.size();
  for (const auto &host : hosts)
    for (size_t d = 0; foldable && d < host->shape.size(); ++d)
      foldable = static_cast<int64_t>(d) == *axis ||
                 host->shape[d] == hosts.front()->shape[d];
  if (foldable) {
    ctx.setOutput(0, concatHost(hosts, *axis));
    return success();
  }

  SmallVector<Value> inputs;
  for (unsigned i = 0; i < count; ++i) {
    FailureOr<Value> input = ctx.getInput(i);
    if (failed(input))
      return failure();
    inputs.push_back(*input);
  }
  FailureOr<Value> result = ctx.create<nn::ConcatOp>(
      ValueRange(inputs), static_cast<uint64_t>(*axis));
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Converts Gather(data, indices, axis); negative indices count from the end.
static LogicalResult convertGather(NodeContext &ctx) {
  FailureOr<RankedTensorType> dataType = ctx.getInputType(0);
  if (failed(dataType))
    return failure();
  FailureOr<int64_t> axisValue = ctx.getIntAttr("axis", 0);
  if (failed(axisValue))
    return failure();
  FailureOr<int64_t> axis = ctx.normalizeAxis(*axisValue, dataType->getRank());
  if (failed(axis))
    return failure();

  std::shared_ptr<const HostTensor> data =
      ctx.tryGetConstantInput(0, kMaxFoldElements);
  std::shared_ptr<const HostTensor> indices =
      ctx.tryGetConstantInput(1, kMaxFoldElements);
  if (data && indices && !data->splat && !indices->splat &&
      !indices->isFloat()) {
    ArrayRef<int64_t> shape = data->shape;
    int64_t dim = shape[*axis];
    int64_t outer = product(shape.take_front(*axis));
    int64_t inner = product(shape.drop_front(*axis + 1));
    SmallVector<int64_t> resultShape(shape.take_front(*axis));
    llvm::append_range(resultShape, indices->shape);
    llvm::append_range(resultShape, shape.drop_front(*axis + 1));
    HostTensor result = HostTensor::make(data->dataType, resultShape);
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t k = 0, e = indices->getNumElements(); k < e; ++k) {
        int64_t index = indices->getInt(k);
        if (index < -dim || index >= dim)
          return ctx.fail("index " + Twine(index) +
                          " is out of range for a dimension of size " +
                          Twine(dim));
        if (index < 0)
          index += dim;
        for (int64_t i = 0; i < inner; ++i)
          copyElement(result, *data, (o * dim + index) * inner + i);
      }
    ctx.setOutput(0, std::move(result));
    return success();
  }

  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  FailureOr<Value> indexValue = ctx.getInput(1);
  if (failed(indexValue))
    return failure();
  FailureOr<Value> result = ctx.create<nn::GatherOp>(
      *input, *indexValue, static_cast<uint64_t>(*axis));
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

//===----------------------------------------------------------------------===//
// Slice and Split
//===----------------------------------------------------------------------===//

namespace {
/// One start/end/step per dimension in nn.slice's normalized form.
struct SliceBounds {
  SmallVector<int64_t> starts, ends, steps;
};
} // namespace

/// Returns full-range bounds for `shape`, failing on dynamic dimensions:
/// nn.slice computes a static size for every dimension.
static FailureOr<SliceBounds> getFullBounds(NodeContext &ctx,
                                            RankedTensorType type) {
  if (!type.hasStaticShape())
    return ctx.fail("slicing a tensor with dynamic dimensions is not "
                    "supported (nn.slice needs static sizes)");
  SliceBounds bounds;
  bounds.starts.assign(type.getRank(), 0);
  bounds.ends.assign(type.getShape().begin(), type.getShape().end());
  bounds.steps.assign(type.getRank(), 1);
  return bounds;
}

/// Clamps an ONNX slice of a dimension of size `dim` to nn.slice's form:
/// for step > 0, 0 <= start <= end <= dim; for step < 0,
/// -1 <= end <= start < dim.
static void normalizeSlice(int64_t dim, int64_t &start, int64_t &end,
                           int64_t &step) {
  if (dim == 0) {
    start = end = 0;
    step = 1;
    return;
  }
  if (start < 0)
    start += dim;
  if (end < 0)
    end += dim;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, dim);
    end = std::clamp<int64_t>(end, 0, dim);
    end = std::max(end, start);
  } else {
    start = std::clamp<int64_t>(start, 0, dim - 1);
    end = std::clamp<int64_t>(end, -1, dim - 1);
    end = std::min(end, start);
  }
}

/// Slices a small constant at import time.
static HostTensor sliceHost(const HostTensor &input,
                            const SliceBounds &bounds) {
  SmallVector<int64_t> shape;
  for (size_t d = 0; d < bounds.starts.size(); ++d)
    shape.push_back(
        nn::sliceOutputSize(bounds.starts[d], bounds.ends[d], bounds.steps[d]));
  HostTensor result = HostTensor::make(input.dataType, shape);
  int64_t count = product(shape), rank = shape.size();
  SmallVector<int64_t> index(rank, 0);
  for (int64_t n = 0; n < count; ++n) {
    int64_t flat = 0;
    for (int64_t d = 0; d < rank; ++d)
      flat =
          flat * input.shape[d] + bounds.starts[d] + index[d] * bounds.steps[d];
    copyElement(result, input, flat);
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  return result;
}

/// Sets output `index` to input 0 sliced by `bounds`.
static LogicalResult setSlicedOutput(NodeContext &ctx, unsigned index,
                                     const SliceBounds &bounds) {
  if (std::shared_ptr<const HostTensor> host =
          ctx.tryGetConstantInput(0, kMaxFoldElements);
      host && !host->splat) {
    ctx.setOutput(index, sliceHost(*host, bounds));
    return success();
  }
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  FailureOr<Value> result = ctx.create<nn::SliceOp>(
      *input, ArrayRef<int64_t>(bounds.starts), ArrayRef<int64_t>(bounds.ends),
      ArrayRef<int64_t>(bounds.steps));
  if (failed(result))
    return failure();
  ctx.setOutput(index, *result);
  return success();
}

/// Reads a Slice argument: an attribute before opset 10, an input after.
static FailureOr<std::optional<SmallVector<int64_t>>>
getSliceArgument(NodeContext &ctx, StringRef name, unsigned index) {
  if (ctx.getOpset() < 10)
    return ctx.getIntsAttr(name);
  if (!ctx.hasInput(index))
    return std::optional<SmallVector<int64_t>>();
  FailureOr<SmallVector<int64_t>> values =
      ctx.getConstantInts(index, ("the '" + name + "' input").str());
  if (failed(values))
    return failure();
  return std::optional<SmallVector<int64_t>>(*values);
}

/// Converts Slice (attributes before opset 10, inputs from it on).
static LogicalResult convertSlice(NodeContext &ctx) {
  FailureOr<RankedTensorType> inputType = ctx.getInputType(0);
  if (failed(inputType))
    return failure();
  FailureOr<SliceBounds> bounds = getFullBounds(ctx, *inputType);
  if (failed(bounds))
    return failure();
  FailureOr<std::optional<SmallVector<int64_t>>> starts =
      getSliceArgument(ctx, "starts", 1);
  if (failed(starts))
    return failure();
  FailureOr<std::optional<SmallVector<int64_t>>> ends =
      getSliceArgument(ctx, "ends", 2);
  if (failed(ends))
    return failure();
  FailureOr<std::optional<SmallVector<int64_t>>> axes =
      getSliceArgument(ctx, "axes", 3);
  if (failed(axes))
    return failure();
  FailureOr<std::optional<SmallVector<int64_t>>> steps =
      getSliceArgument(ctx, "steps", 4);
  if (failed(steps))
    return failure();
  if (!*starts || !*ends)
    return ctx.fail("'starts' and 'ends' are required");
  size_t count = (*starts)->size();
  SmallVector<int64_t> axisList(count);
  std::iota(axisList.begin(), axisList.end(), 0);
  if (*axes)
    axisList = **axes;
  SmallVector<int64_t> stepList(count, 1);
  if (*steps)
    stepList = **steps;
  if ((*ends)->size() != count || axisList.size() != count ||
      stepList.size() != count)
    return ctx.fail("'starts', 'ends', 'axes' and 'steps' must have the same "
                    "length");
  int64_t rank = inputType->getRank();
  if (failed(ctx.normalizeAxes(axisList, rank)))
    return failure();
  for (size_t i = 0; i < count; ++i) {
    int64_t axis = axisList[i] < 0 ? axisList[i] + rank : axisList[i];
    int64_t start = (**starts)[i], end = (**ends)[i], step = stepList[i];
    if (step == 0)
      return ctx.fail("a slice step of 0 is invalid");
    normalizeSlice(inputType->getDimSize(axis), start, end, step);
    bounds->starts[axis] = start;
    bounds->ends[axis] = end;
    bounds->steps[axis] = step;
  }
  return setSlicedOutput(ctx, 0, *bounds);
}

/// Converts Split into one slice per output ('split' is an attribute before
/// opset 13, an optional input from it on; without it the parts are equal).
static LogicalResult convertSplit(NodeContext &ctx) {
  FailureOr<RankedTensorType> inputType = ctx.getInputType(0);
  if (failed(inputType))
    return failure();
  FailureOr<int64_t> axisValue = ctx.getIntAttr("axis", 0);
  if (failed(axisValue))
    return failure();
  FailureOr<int64_t> axis = ctx.normalizeAxis(*axisValue, inputType->getRank());
  if (failed(axis))
    return failure();
  FailureOr<SliceBounds> bounds = getFullBounds(ctx, *inputType);
  if (failed(bounds))
    return failure();
  std::optional<SmallVector<int64_t>> sizes;
  if (ctx.getOpset() < 13) {
    FailureOr<std::optional<SmallVector<int64_t>>> attr =
        ctx.getIntsAttr("split");
    if (failed(attr))
      return failure();
    sizes = *attr;
  } else if (ctx.hasInput(1)) {
    FailureOr<SmallVector<int64_t>> values =
        ctx.getConstantInts(1, "the 'split' input");
    if (failed(values))
      return failure();
    sizes = *values;
  }
  int64_t dim = inputType->getDimSize(*axis);
  unsigned outputs = ctx.getNumOutputs();
  if (!sizes) {
    if (outputs == 0 || dim % outputs != 0)
      return ctx.fail("cannot split a dimension of size " + Twine(dim) +
                      " into " + Twine(outputs) + " equal parts");
    sizes = SmallVector<int64_t>(outputs, dim / outputs);
  }
  if (sizes->size() != outputs)
    return ctx.fail("'split' has " + Twine(sizes->size()) + " entries for " +
                    Twine(outputs) + " outputs");
  int64_t offset = 0;
  for (auto [i, size] : llvm::enumerate(*sizes)) {
    if (size < 0 || size > dim - offset)
      return ctx.fail("split sizes do not add up to the dimension size " +
                      Twine(dim));
    bounds->starts[*axis] = offset;
    bounds->ends[*axis] = offset + size;
    offset += size;
    if (ctx.isOutputUsed(i) && failed(setSlicedOutput(ctx, i, *bounds)))
      return failure();
  }
  if (offset != dim)
    return ctx.fail("split sizes do not add up to the dimension size " +
                    Twine(dim));
  return success();
}

//===----------------------------------------------------------------------===//
// Pad, Identity, Dropout
//===----------------------------------------------------------------------===//

/// Converts Pad (attributes before opset 11, inputs from it on).
static LogicalResult convertPad(NodeContext &ctx) {
  FailureOr<RankedTensorType> inputType = ctx.getInputType(0);
  if (failed(inputType))
    return failure();
  FailureOr<std::string> modeName = ctx.getStringAttr("mode", "constant");
  if (failed(modeName))
    return failure();
  std::optional<nn::PadMode> mode =
      llvm::StringSwitch<std::optional<nn::PadMode>>(*modeName)
          .Case("constant", nn::PadMode::Constant)
          .Case("reflect", nn::PadMode::Reflect)
          .Case("edge", nn::PadMode::Edge)
          .Default(std::nullopt);
  if (!mode)
    return ctx.fail("pad mode '" + *modeName + "' is not supported");
  SmallVector<int64_t> pads;
  double value = 0.0;
  if (ctx.getOpset() < 11) {
    // Opset 1 spells the attribute `paddings`.
    StringRef padsName = ctx.getOpset() < 2 ? "paddings" : "pads";
    FailureOr<std::optional<SmallVector<int64_t>>> attr =
        ctx.getIntsAttr(padsName);
    if (failed(attr))
      return failure();
    if (!*attr)
      return ctx.fail("attribute '" + padsName + "' is required");
    pads = **attr;
    FailureOr<double> valueAttr = ctx.getFloatAttr("value", 0.0);
    if (failed(valueAttr))
      return failure();
    value = *valueAttr;
  } else {
    FailureOr<SmallVector<int64_t>> values =
        ctx.getConstantInts(1, "the 'pads' input");
    if (failed(values))
      return failure();
    pads = *values;
    if (ctx.hasInput(2)) {
      FailureOr<SmallVector<double>> constant =
          ctx.getConstantFloats(2, "the 'constant_value' input");
      if (failed(constant))
        return failure();
      if (constant->size() != 1)
        return ctx.fail("the 'constant_value' input must be a scalar");
      value = constant->front();
    }
    if (ctx.hasInput(3))
      return ctx.fail("the 'axes' input is not supported");
  }
  if (static_cast<int64_t>(pads.size()) != 2 * inputType->getRank())
    return ctx.fail("'pads' must have " + Twine(2 * inputType->getRank()) +
                    " entries, got " + Twine(pads.size()));
  if (llvm::any_of(pads, [](int64_t pad) { return pad < 0; }))
    return ctx.fail("negative pads (cropping) are not supported");
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  Builder &builder = ctx.getBuilder();
  FailureOr<Value> result =
      ctx.create<nn::PadOp>(*input, builder.getDenseI64ArrayAttr(pads),
                            nn::PadModeAttr::get(ctx.getContext(), *mode),
                            builder.getF64FloatAttr(value));
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Converts Expand of a computed tensor to a multiplication by ones of the
/// requested shape, which broadcasts exactly as Expand does (a constant
/// input is expanded at import time instead).
static LogicalResult convertExpand(NodeContext &ctx) {
  FailureOr<RankedTensorType> inputType = ctx.getInputType(0);
  if (failed(inputType))
    return failure();
  FailureOr<SmallVector<int64_t>> shape =
      ctx.getConstantInts(1, "the 'shape' input");
  if (failed(shape))
    return failure();
  if (!countElements(*shape))
    return ctx.fail("the 'shape' input holds a negative size");
  auto expanded = nn::broadcastShapes(inputType->getShape(), *shape);
  if (!expanded)
    return ctx.fail("the input does not broadcast to the requested shape");
  if (*expanded == inputType->getShape())
    return ctx.setOutputAlias(0, 0);
  Type elementType = inputType->getElementType();
  Attribute one;
  if (isa<FloatType>(elementType))
    one = FloatAttr::get(elementType, 1.0);
  else if (isa<IntegerType>(elementType))
    one = IntegerAttr::get(elementType, 1);
  else
    return ctx.fail("expanding quantized tensors is not supported");
  auto onesType = RankedTensorType::get(*shape, elementType);
  FailureOr<Value> ones = ctx.create<nn::ConstantOp>(
      ElementsAttr(DenseElementsAttr::get(onesType, one)));
  if (failed(ones))
    return failure();
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  FailureOr<Value> result = ctx.create<nn::MulOp>(*input, *ones);
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Converts Identity: the output is the input.
static LogicalResult convertIdentity(NodeContext &ctx) {
  return ctx.setOutputAlias(0, 0);
}

/// Converts Dropout in inference mode, where it is the identity.
static LogicalResult convertDropout(NodeContext &ctx) {
  if (ctx.getOpset() >= 12 && ctx.hasInput(2)) {
    FailureOr<SmallVector<int64_t>> training =
        ctx.getConstantInts(2, "the 'training_mode' input");
    if (failed(training))
      return failure();
    if (training->size() != 1 || training->front() != 0)
      return ctx.fail("training mode is not supported");
  }
  if (failed(ctx.checkOutputsUnused(1, "the mask output is not supported")))
    return failure();
  return ctx.setOutputAlias(0, 0);
}

void kiln::onnximport::addShapeConverters(ConverterRegistry &registry) {
  registry["Reshape"] = convertReshape;
  registry["Flatten"] = convertFlatten;
  registry["Squeeze"] = convertSqueeze;
  registry["Unsqueeze"] = convertUnsqueeze;
  registry["Transpose"] = convertTranspose;
  registry["Concat"] = convertConcat;
  registry["Gather"] = convertGather;
  registry["Slice"] = convertSlice;
  registry["Split"] = convertSplit;
  registry["Pad"] = convertPad;
  registry["Expand"] = convertExpand;
  registry["Identity"] = convertIdentity;
  registry["Dropout"] = convertDropout;
}
