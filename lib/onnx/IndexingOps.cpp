//===- IndexingOps.cpp - ONNX indexing ops to nn --------------------------===//
//
// Converters for ops that address elements by index or by their order
// along an axis: CumSum, GatherND, ScatterElements (and its deprecated
// opset-9/10 name Scatter), ScatterND and TopK map to the nn ops of
// NNIndexingOps.td, with their axis, k and reduction resolved at import
// time. OneHot is a comparison of the indices against a constant range
// followed by a select, and EyeLike, which depends only on its input's
// shape, is an import-time constant.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"

#include "kiln/dialects/nn/NNOps.h"

#include "llvm/ADT/StringSwitch.h"

#include <cmath>

using namespace mlir;
using namespace kiln;
using namespace kiln::onnximport;

/// Returns the printed form of `type` for an error line.
static std::string getTypeName(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  return text;
}

/// Reads the single integer of constant input `index` (a scalar or a
/// one-element tensor).
static FailureOr<int64_t> getConstantScalarInt(NodeContext &ctx, unsigned index,
                                               StringRef what) {
  FailureOr<SmallVector<int64_t>> values = ctx.getConstantInts(index, what);
  if (failed(values))
    return failure();
  if (values->size() != 1)
    return ctx.fail(what + " must hold one value, got " +
                    Twine(values->size()));
  return values->front();
}

/// Returns the first `count` inputs of the node as SSA values.
static FailureOr<SmallVector<Value>> getInputs(NodeContext &ctx,
                                               unsigned count) {
  SmallVector<Value> operands;
  for (unsigned i = 0; i < count; ++i) {
    FailureOr<Value> input = ctx.getInput(i);
    if (failed(input))
      return failure();
    operands.push_back(*input);
  }
  return operands;
}

/// Sets `result` as output 0, or passes its failure on.
static LogicalResult setResult(NodeContext &ctx, FailureOr<Value> result) {
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

//===----------------------------------------------------------------------===//
// CumSum
//===----------------------------------------------------------------------===//

/// Converts CumSum (opset 11 on) with a constant axis input.
static LogicalResult convertCumSum(NodeContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getInputType(0);
  if (failed(type))
    return failure();
  FailureOr<int64_t> axisValue =
      getConstantScalarInt(ctx, 1, "the 'axis' input");
  if (failed(axisValue))
    return failure();
  FailureOr<int64_t> axis = ctx.normalizeAxis(*axisValue, type->getRank());
  FailureOr<int64_t> exclusive = ctx.getIntAttr("exclusive", 0);
  FailureOr<int64_t> reverse = ctx.getIntAttr("reverse", 0);
  if (failed(axis) || failed(exclusive) || failed(reverse))
    return failure();
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  OpBuilder &builder = ctx.getBuilder();
  return setResult(
      ctx, ctx.create<nn::CumsumOp>(*input, builder.getI64IntegerAttr(*axis),
                                    builder.getBoolAttr(*exclusive != 0),
                                    builder.getBoolAttr(*reverse != 0)));
}

//===----------------------------------------------------------------------===//
// GatherND, ScatterElements, Scatter, ScatterND
//===----------------------------------------------------------------------===//

/// Converts GatherND (opset 11 on; batch_dims from opset 12).
static LogicalResult convertGatherND(NodeContext &ctx) {
  FailureOr<int64_t> batchDims = ctx.getIntAttr("batch_dims", 0);
  if (failed(batchDims))
    return failure();
  FailureOr<SmallVector<Value>> inputs = getInputs(ctx, 2);
  if (failed(inputs))
    return failure();
  return setResult(ctx, ctx.create<nn::GatherNDOp>(
                            (*inputs)[0], (*inputs)[1],
                            ctx.getBuilder().getI64IntegerAttr(*batchDims)));
}

/// Reads the `reduction` attribute of ScatterElements / ScatterND.
static FailureOr<nn::ScatterReduction> getScatterReduction(NodeContext &ctx) {
  FailureOr<std::string> name = ctx.getStringAttr("reduction", "none");
  if (failed(name))
    return failure();
  std::optional<nn::ScatterReduction> reduction =
      llvm::StringSwitch<std::optional<nn::ScatterReduction>>(*name)
          .Case("none", nn::ScatterReduction::None)
          .Case("add", nn::ScatterReduction::Add)
          .Case("mul", nn::ScatterReduction::Mul)
          .Case("max", nn::ScatterReduction::Max)
          .Case("min", nn::ScatterReduction::Min)
          .Default(std::nullopt);
  if (!reduction)
    return ctx.fail("unknown reduction '" + *name + "'");
  if (*reduction != nn::ScatterReduction::None) {
    FailureOr<RankedTensorType> type = ctx.getInputType(0);
    if (failed(type))
      return failure();
    if (type->getElementType().isInteger(1))
      return ctx.fail("reduction '" + *name + "' on booleans is not supported");
  }
  return *reduction;
}

/// Converts ScatterElements (opset 11 on) and Scatter (opsets 9 to 10, the
/// same op under its former name).
static LogicalResult convertScatterElements(NodeContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getInputType(0);
  if (failed(type))
    return failure();
  FailureOr<int64_t> axisValue = ctx.getIntAttr("axis", 0);
  if (failed(axisValue))
    return failure();
  FailureOr<int64_t> axis = ctx.normalizeAxis(*axisValue, type->getRank());
  if (failed(axis))
    return failure();
  FailureOr<nn::ScatterReduction> reduction = getScatterReduction(ctx);
  if (failed(reduction))
    return failure();
  FailureOr<SmallVector<Value>> inputs = getInputs(ctx, 3);
  if (failed(inputs))
    return failure();
  return setResult(
      ctx, ctx.create<nn::ScatterElementsOp>(
               (*inputs)[0], (*inputs)[1], (*inputs)[2],
               ctx.getBuilder().getI64IntegerAttr(*axis),
               nn::ScatterReductionAttr::get(ctx.getContext(), *reduction)));
}

/// Converts ScatterND (opset 11 on; reduction from opset 16).
static LogicalResult convertScatterND(NodeContext &ctx) {
  FailureOr<nn::ScatterReduction> reduction = getScatterReduction(ctx);
  if (failed(reduction))
    return failure();
  FailureOr<SmallVector<Value>> inputs = getInputs(ctx, 3);
  if (failed(inputs))
    return failure();
  return setResult(
      ctx, ctx.create<nn::ScatterNDOp>(
               (*inputs)[0], (*inputs)[1], (*inputs)[2],
               nn::ScatterReductionAttr::get(ctx.getContext(), *reduction)));
}

//===----------------------------------------------------------------------===//
// TopK
//===----------------------------------------------------------------------===//

/// Converts TopK: `k` is an attribute up to opset 9 and a constant input
/// from opset 10; `largest` and `sorted` exist from opset 11. The result is
/// always sorted, which `sorted = 0` (any order) allows.
static LogicalResult convertTopK(NodeContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getInputType(0);
  if (failed(type))
    return failure();
  FailureOr<int64_t> axisValue = ctx.getIntAttr("axis", -1);
  if (failed(axisValue))
    return failure();
  FailureOr<int64_t> axis = ctx.normalizeAxis(*axisValue, type->getRank());
  if (failed(axis))
    return failure();
  FailureOr<int64_t> k = ctx.getOpset() < 10
                             ? ctx.getIntAttr("k", -1)
                             : getConstantScalarInt(ctx, 1, "the 'k' input");
  FailureOr<int64_t> largest = ctx.getIntAttr("largest", 1);
  if (failed(k) || failed(largest))
    return failure();
  int64_t size = type->getDimSize(*axis);
  if (ShapedType::isDynamic(size))
    return ctx.fail("the dimension along the axis must be static");
  if (*k < 0 || *k > size)
    return ctx.fail("k = " + Twine(*k) +
                    " is out of range for a dimension of " + Twine(size));
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  Type elementType = type->getElementType();
  if (!isa<FloatType, IntegerType>(elementType) || elementType.isInteger(1))
    return ctx.fail("inputs of element type " + getTypeName(elementType) +
                    " are not supported");
  // Both results at once: the checked builder makes single-result ops. The
  // checks above are all that the result type inference verifies.
  OpBuilder &builder = ctx.getBuilder();
  auto topK = nn::TopKOp::create(
      builder, ctx.getLoc(), *input, builder.getI64IntegerAttr(*axis),
      builder.getI64IntegerAttr(*k), builder.getBoolAttr(*largest != 0));
  ctx.setOutput(0, topK.getValues());
  ctx.setOutput(1, topK.getIndices());
  return success();
}

//===----------------------------------------------------------------------===//
// OneHot and EyeLike
//===----------------------------------------------------------------------===//

/// Returns a constant of `type` holding `values` in row-major order.
static FailureOr<Value> createConstant(NodeContext &ctx, RankedTensorType type,
                                       ArrayRef<double> values) {
  Type elementType = type.getElementType();
  SmallVector<Attribute> elements;
  for (double value : values) {
    if (isa<FloatType>(elementType))
      elements.push_back(FloatAttr::get(elementType, value));
    else if (isa<IntegerType>(elementType))
      elements.push_back(IntegerAttr::get(elementType, truncateToInt64(value)));
    else
      return ctx.fail("cannot build a constant of element type");
  }
  return ctx.create<nn::ConstantOp>(
      ElementsAttr(DenseElementsAttr::get(type, elements)));
}

/// Converts OneHot (opset 9 on) with a constant depth: the indices (negative
/// ones wrapped once by depth), with a unit dimension inserted at `axis`,
/// are compared with the constant range [0, depth) laid along `axis`; the
/// mask selects between the 'on' and 'off' entries of `values`. Indices out
/// of range match nothing and give 'off' everywhere, as ONNX specifies.
static LogicalResult convertOneHot(NodeContext &ctx) {
  FailureOr<RankedTensorType> indicesType = ctx.getInputType(0);
  FailureOr<RankedTensorType> valuesType = ctx.getInputType(2);
  if (failed(indicesType) || failed(valuesType))
    return failure();
  if (valuesType->getRank() != 1 || valuesType->getDimSize(0) != 2)
    return ctx.fail("'values' must have shape [2]");
  FailureOr<SmallVector<double>> depthValues =
      ctx.getConstantFloats(1, "the 'depth' input");
  if (failed(depthValues))
    return failure();
  if (depthValues->size() != 1)
    return ctx.fail("the 'depth' input must hold one value");
  int64_t depth = truncateToInt64(depthValues->front());
  if (depth < 1 || depth > kMaxHostReadElements)
    return ctx.fail("depth " + Twine(depth) + " is not in [1, " +
                    Twine(kMaxHostReadElements) + "]");
  int64_t rank = indicesType->getRank();
  FailureOr<int64_t> axisValue = ctx.getIntAttr("axis", -1);
  if (failed(axisValue))
    return failure();
  FailureOr<int64_t> axis = ctx.normalizeAxis(*axisValue, rank + 1);
  if (failed(axis))
    return failure();
  if (!indicesType->hasStaticShape())
    return ctx.fail("indices with dynamic dimensions are not supported");
  Type indexElementType = indicesType->getElementType();
  if (!isa<FloatType, IntegerType>(indexElementType) ||
      indexElementType.isInteger(1))
    return ctx.fail("indices of element type " + getTypeName(indexElementType) +
                    " are not supported");

  FailureOr<Value> indices = ctx.getInput(0);
  if (failed(indices))
    return failure();
  SmallVector<int64_t> expandedShape(indicesType->getShape());
  expandedShape.insert(expandedShape.begin() + *axis, 1);
  FailureOr<Value> expanded = ctx.createReshape(*indices, expandedShape);
  if (failed(expanded))
    return failure();
  Value index = *expanded;
  if (!indexElementType.isUnsignedInteger()) {
    FailureOr<Value> zero = ctx.createScalar(indexElementType, 0.0);
    FailureOr<Value> depthScalar =
        ctx.createScalar(indexElementType, static_cast<double>(depth));
    if (failed(zero) || failed(depthScalar))
      return failure();
    FailureOr<Value> negative = ctx.create<nn::LessOp>(index, *zero);
    if (failed(negative))
      return failure();
    FailureOr<Value> wrapped = ctx.create<nn::AddOp>(index, *depthScalar);
    if (failed(wrapped))
      return failure();
    FailureOr<Value> selected =
        ctx.create<nn::WhereOp>(*negative, *wrapped, index);
    if (failed(selected))
      return failure();
    index = *selected;
  }
  SmallVector<int64_t> rangeShape(rank + 1, 1);
  rangeShape[*axis] = depth;
  SmallVector<double> range;
  for (int64_t i = 0; i < depth; ++i)
    range.push_back(static_cast<double>(i));
  FailureOr<Value> rangeValue = createConstant(
      ctx, RankedTensorType::get(rangeShape, indexElementType), range);
  if (failed(rangeValue))
    return failure();
  FailureOr<Value> mask = ctx.create<nn::EqualOp>(index, *rangeValue);
  if (failed(mask))
    return failure();

  FailureOr<Value> values = ctx.getInput(2);
  if (failed(values))
    return failure();
  SmallVector<Value> pair;
  for (int64_t i = 0; i < 2; ++i) {
    FailureOr<Value> element =
        ctx.create<nn::SliceOp>(*values, ArrayRef<int64_t>{i},
                                ArrayRef<int64_t>{i + 1}, ArrayRef<int64_t>{1});
    if (failed(element))
      return failure();
    FailureOr<Value> scalar = ctx.createReshape(*element, {});
    if (failed(scalar))
      return failure();
    pair.push_back(*scalar);
  }
  FailureOr<Value> result = ctx.create<nn::WhereOp>(*mask, pair[1], pair[0]);
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Converts EyeLike (opset 9 on): a constant of the input's static 2-D shape
/// with ones on diagonal `k`, of element type `dtype` (the input's when
/// absent).
static LogicalResult convertEyeLike(NodeContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getInputType(0);
  if (failed(type))
    return failure();
  if (type->getRank() != 2)
    return ctx.fail("the input must have rank 2, got " +
                    Twine(type->getRank()));
  if (!type->hasStaticShape())
    return ctx.fail("inputs with dynamic dimensions are not supported");
  FailureOr<int64_t> k = ctx.getIntAttr("k", 0);
  if (failed(k))
    return failure();
  Type elementType = type->getElementType();
  if (ctx.findAttribute("dtype")) {
    FailureOr<int64_t> dtype = ctx.getIntAttr("dtype", 0);
    if (failed(dtype))
      return failure();
    elementType = convertDataType(ctx.getContext(), *dtype);
    if (!elementType)
      return ctx.fail("dtype " + getDataTypeName(*dtype) + " is not supported");
  }
  int64_t rows = type->getDimSize(0), cols = type->getDimSize(1);
  std::optional<int64_t> count = countElements(type->getShape());
  if (!count || *count > kMaxHostReadElements)
    return ctx.fail("a " + Twine(rows) + "x" + Twine(cols) +
                    " result is too large to build as a constant");
  SmallVector<double> values;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      values.push_back(j - i == *k ? 1.0 : 0.0);
  FailureOr<Value> result = createConstant(
      ctx, RankedTensorType::get(type->getShape(), elementType), values);
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

void kiln::onnximport::addIndexingConverters(ConverterRegistry &registry) {
  registry["CumSum"] = convertCumSum;
  registry["GatherND"] = convertGatherND;
  registry["ScatterElements"] = convertScatterElements;
  registry["Scatter"] = convertScatterElements;
  registry["ScatterND"] = convertScatterND;
  registry["TopK"] = convertTopK;
  registry["OneHot"] = convertOneHot;
  registry["EyeLike"] = convertEyeLike;
}
