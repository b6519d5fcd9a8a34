//===- SequenceOps.cpp - ONNX sequence ops, resolved at import time -------===//
//
// The nn dialect has tensors only. An ONNX sequence whose length and element
// positions are known when the model is compiled (positions are constants,
// or graph inputs whose values kiln-run specializes to) is therefore kept by
// the importer as a list of tensor entries: SequenceConstruct, Insert, Erase
// and At only rearrange that list, SequenceLength is a constant, and
// ConcatFromSequence / SplitToSequence become nn.concat / nn.slice ops on the
// elements. A sequence that reaches a graph output or a tensor operand is
// reported as unsupported.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"

#include "kiln/dialects/nn/NNOps.h"

using namespace mlir;
using namespace kiln::onnximport;
namespace nn = kiln::nn;

using Sequence = std::vector<std::shared_ptr<TensorEntry>>;

/// Returns the elements of input `index`, failing when it is not a sequence.
static FailureOr<Sequence> getSequenceInput(NodeContext &ctx, unsigned index) {
  FailureOr<std::shared_ptr<TensorEntry>> entry = ctx.getInputShared(index);
  if (failed(entry))
    return failure();
  if (!(*entry)->sequence)
    return ctx.fail("input '" + ctx.getNode().input(index) +
                    "' is not a sequence");
  return *(*entry)->sequence;
}

/// Sets output 0 to a sequence of `elements`.
static void setSequenceOutput(NodeContext &ctx, Sequence elements) {
  auto entry = std::make_shared<TensorEntry>();
  entry->sequence = std::move(elements);
  ctx.setOutputEntry(0, std::move(entry));
}

/// Reads the position input `index` of a sequence of `size` elements and
/// returns it in [0, size) (or [0, size] when `allowEnd`, for insertion);
/// `defaultPosition` applies when the input is absent.
static FailureOr<size_t> getPosition(NodeContext &ctx, unsigned index,
                                     size_t size, bool allowEnd,
                                     int64_t defaultPosition) {
  int64_t position = defaultPosition;
  if (ctx.hasInput(index)) {
    FailureOr<SmallVector<int64_t>> values =
        ctx.getConstantInts(index, "the 'position' input");
    if (failed(values))
      return failure();
    if (values->size() != 1)
      return ctx.fail("the 'position' input must hold one value");
    position = values->front();
  }
  int64_t count = static_cast<int64_t>(size);
  int64_t limit = allowEnd ? count : count - 1;
  if (position < -count || position > limit)
    return ctx.fail("position " + Twine(position) +
                    " is out of range for a sequence of " + Twine(count) +
                    " tensors");
  return static_cast<size_t>(position < 0 ? position + count : position);
}

static LogicalResult convertSequenceEmpty(NodeContext &ctx) {
  setSequenceOutput(ctx, {});
  return success();
}

static LogicalResult convertSequenceConstruct(NodeContext &ctx) {
  Sequence elements;
  for (unsigned i = 0, e = ctx.getNumInputs(); i < e; ++i) {
    FailureOr<std::shared_ptr<TensorEntry>> entry = ctx.getInputShared(i);
    if (failed(entry))
      return failure();
    if ((*entry)->sequence)
      return ctx.fail("input '" + ctx.getNode().input(i) +
                      "' is a sequence; sequences of sequences are not "
                      "supported");
    elements.push_back(*entry);
  }
  setSequenceOutput(ctx, std::move(elements));
  return success();
}

static LogicalResult convertSequenceInsert(NodeContext &ctx) {
  FailureOr<Sequence> elements = getSequenceInput(ctx, 0);
  FailureOr<std::shared_ptr<TensorEntry>> tensor = ctx.getInputShared(1);
  if (failed(elements) || failed(tensor))
    return failure();
  if ((*tensor)->sequence)
    return ctx.fail("the inserted value must be a tensor");
  FailureOr<size_t> position =
      getPosition(ctx, 2, elements->size(), /*allowEnd=*/true,
                  static_cast<int64_t>(elements->size()));
  if (failed(position))
    return failure();
  elements->insert(elements->begin() + *position, *tensor);
  setSequenceOutput(ctx, std::move(*elements));
  return success();
}

static LogicalResult convertSequenceErase(NodeContext &ctx) {
  FailureOr<Sequence> elements = getSequenceInput(ctx, 0);
  if (failed(elements))
    return failure();
  if (elements->empty())
    return ctx.fail("cannot erase from an empty sequence");
  FailureOr<size_t> position = getPosition(ctx, 1, elements->size(),
                                           /*allowEnd=*/false, -1);
  if (failed(position))
    return failure();
  elements->erase(elements->begin() + *position);
  setSequenceOutput(ctx, std::move(*elements));
  return success();
}

static LogicalResult convertSequenceAt(NodeContext &ctx) {
  FailureOr<Sequence> elements = getSequenceInput(ctx, 0);
  if (failed(elements))
    return failure();
  if (!ctx.hasInput(1))
    return ctx.fail("the 'position' input is required");
  FailureOr<size_t> position = getPosition(ctx, 1, elements->size(),
                                           /*allowEnd=*/false, 0);
  if (failed(position))
    return failure();
  ctx.setOutputEntry(0, (*elements)[*position]);
  return success();
}

static LogicalResult convertSequenceLength(NodeContext &ctx) {
  FailureOr<Sequence> elements = getSequenceInput(ctx, 0);
  if (failed(elements))
    return failure();
  HostTensor length = HostTensor::make(onnx::TensorProto::INT64, {});
  length.appendInt(static_cast<int64_t>(elements->size()));
  ctx.setOutput(0, std::move(length));
  return success();
}

/// Returns the SSA value of every element, named "<sequence>[<i>]".
static FailureOr<SmallVector<Value>> materializeElements(NodeContext &ctx,
                                                         Sequence &elements) {
  SmallVector<Value> values;
  for (auto [index, element] : llvm::enumerate(elements)) {
    std::string name =
        (ctx.getNode().input(0) + "[" + Twine(index) + "]").str();
    FailureOr<Value> value = ctx.materialize(*element, name);
    if (failed(value))
      return failure();
    values.push_back(*value);
  }
  return values;
}

static LogicalResult convertConcatFromSequence(NodeContext &ctx) {
  FailureOr<Sequence> elements = getSequenceInput(ctx, 0);
  if (failed(elements))
    return failure();
  if (elements->empty())
    return ctx.fail("cannot concatenate an empty sequence");
  FailureOr<int64_t> axisValue = ctx.getIntAttr("axis", 0);
  FailureOr<int64_t> newAxis = ctx.getIntAttr("new_axis", 0);
  if (failed(axisValue) || failed(newAxis))
    return failure();
  if (!ctx.findAttribute("axis"))
    return ctx.fail("attribute 'axis' is required");
  if (*newAxis != 0 && *newAxis != 1)
    return ctx.fail("attribute 'new_axis' must be 0 or 1");
  FailureOr<SmallVector<Value>> values = materializeElements(ctx, *elements);
  if (failed(values))
    return failure();
  int64_t rank = cast<RankedTensorType>(values->front().getType()).getRank();
  FailureOr<int64_t> axis = ctx.normalizeAxis(*axisValue, rank + *newAxis);
  if (failed(axis))
    return failure();
  if (*newAxis) {
    // Stacking: every element gains a unit dimension at `axis` first.
    for (Value &value : *values) {
      auto type = cast<RankedTensorType>(value.getType());
      if (!type.hasStaticShape())
        return ctx.fail("stacking tensors with dynamic dimensions is not "
                        "supported");
      SmallVector<int64_t> shape(type.getShape());
      shape.insert(shape.begin() + *axis, 1);
      FailureOr<Value> reshaped = ctx.createReshape(value, shape);
      if (failed(reshaped))
        return failure();
      value = *reshaped;
    }
  }
  FailureOr<Value> result = ctx.create<nn::ConcatOp>(
      ValueRange(*values), static_cast<uint64_t>(*axis));
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

static LogicalResult convertSplitToSequence(NodeContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getInputType(0);
  FailureOr<int64_t> axisValue = ctx.getIntAttr("axis", 0);
  FailureOr<int64_t> keepDims = ctx.getIntAttr("keepdims", 1);
  if (failed(type) || failed(axisValue) || failed(keepDims))
    return failure();
  FailureOr<int64_t> axis = ctx.normalizeAxis(*axisValue, type->getRank());
  if (failed(axis))
    return failure();
  if (!type->hasStaticShape())
    return ctx.fail("splitting a tensor with dynamic dimensions is not "
                    "supported (nn.slice needs static sizes)");
  int64_t dim = type->getDimSize(*axis);

  // Chunk sizes: one per element without 'split', chunks of a scalar
  // 'split' (the last may be smaller), or the sizes a 1-D 'split' lists.
  SmallVector<int64_t> sizes;
  bool squeeze = false;
  if (!ctx.hasInput(1)) {
    sizes.assign(dim, 1);
    squeeze = *keepDims == 0;
  } else {
    FailureOr<std::shared_ptr<const HostTensor>> split =
        ctx.getConstantInput(1, "the 'split' input");
    if (failed(split))
      return failure();
    if ((*split)->isFloat())
      return ctx.fail("the 'split' input must hold integers");
    if ((*split)->shape.empty()) {
      int64_t chunk = (*split)->getInt(0);
      if (chunk <= 0)
        return ctx.fail("a scalar 'split' must be positive");
      for (int64_t offset = 0; offset < dim; offset += chunk)
        sizes.push_back(std::min(chunk, dim - offset));
    } else {
      int64_t total = 0;
      for (int64_t i = 0, e = (*split)->getNumElements(); i < e; ++i) {
        int64_t size = (*split)->getInt(i);
        if (size < 0)
          return ctx.fail("split sizes must not be negative");
        sizes.push_back(size);
        total += size;
      }
      if (total != dim)
        return ctx.fail("split sizes do not add up to the dimension size " +
                        Twine(dim));
    }
  }

  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  SmallVector<int64_t> starts(type->getRank(), 0), steps(type->getRank(), 1);
  SmallVector<int64_t> ends(type->getShape());
  Sequence elements;
  int64_t offset = 0;
  for (int64_t size : sizes) {
    starts[*axis] = offset;
    ends[*axis] = offset + size;
    offset += size;
    FailureOr<Value> piece = ctx.create<nn::SliceOp>(
        *input, ArrayRef<int64_t>(starts), ArrayRef<int64_t>(ends),
        ArrayRef<int64_t>(steps));
    if (failed(piece))
      return failure();
    if (squeeze) {
      SmallVector<int64_t> shape(type->getShape());
      shape.erase(shape.begin() + *axis);
      piece = ctx.createReshape(*piece, shape);
      if (failed(piece))
        return failure();
    }
    auto element = std::make_shared<TensorEntry>();
    element->value = *piece;
    elements.push_back(std::move(element));
  }
  setSequenceOutput(ctx, std::move(elements));
  return success();
}

void kiln::onnximport::addSequenceConverters(ConverterRegistry &registry) {
  registry["SequenceEmpty"] = convertSequenceEmpty;
  registry["SequenceConstruct"] = convertSequenceConstruct;
  registry["SequenceInsert"] = convertSequenceInsert;
  registry["SequenceErase"] = convertSequenceErase;
  registry["SequenceAt"] = convertSequenceAt;
  registry["SequenceLength"] = convertSequenceLength;
  registry["ConcatFromSequence"] = convertConcatFromSequence;
  registry["SplitToSequence"] = convertSplitToSequence;
}
