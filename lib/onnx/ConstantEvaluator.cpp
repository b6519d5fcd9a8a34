//===- ConstantEvaluator.cpp - import-time evaluation of constant nodes ---===//
//
// Exported models compute shapes with small subgraphs (Shape -> Gather ->
// Unsqueeze -> Concat -> Reshape, ConstantOfShape, Range, Expand, Where,
// comparisons). The nn dialect has no ops for those: the importer evaluates
// them while importing, on HostTensor values, whenever every input is a
// small constant. Constant, Shape (of a statically shaped tensor) and Size
// are handled here too. The ops that exist only as evaluation report a
// clear error when an input is not a constant.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"

#include "kiln/dialects/nn/ShapeInference.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace kiln::onnximport;

namespace {
using Inputs = ArrayRef<const HostTensor *>;
using Evaluator = FailureOr<bool> (*)(NodeContext &, Inputs);

/// Binary (and comparison) operations the evaluator computes.
enum class BinaryKind {
  Add,
  Sub,
  Mul,
  Div,
  Max,
  Min,
  Equal,
  Less,
  Greater,
  LessOrEqual,
  GreaterOrEqual,
  And,
  Or,
  Xor
};
} // namespace

/// Returns true for operations whose result is boolean.
static bool isComparison(BinaryKind kind) { return kind >= BinaryKind::Equal; }

/// Returns the NumPy broadcast of the shapes of `inputs`.
static std::optional<SmallVector<int64_t>> broadcastAll(Inputs inputs) {
  SmallVector<int64_t> shape;
  for (const HostTensor *input : inputs) {
    auto next = kiln::nn::broadcastShapes(shape, input->shape);
    if (!next)
      return std::nullopt;
    shape = *next;
  }
  return shape;
}

/// Returns the flat index into a tensor of `shape` of the element that
/// broadcasts to flat index `index` of a tensor of `outShape`.
static int64_t broadcastIndex(ArrayRef<int64_t> shape,
                              ArrayRef<int64_t> outShape, int64_t index) {
  int64_t result = 0, stride = 1;
  size_t offset = outShape.size() - shape.size();
  for (int64_t d = outShape.size() - 1; d >= 0; --d) {
    int64_t coordinate = index % outShape[d];
    index /= outShape[d];
    if (d < static_cast<int64_t>(offset))
      continue;
    int64_t dim = shape[d - offset];
    if (dim != 1)
      result += coordinate * stride;
    stride *= dim;
  }
  return result;
}

/// Computes `kind` on two integers; std::nullopt when undefined.
static std::optional<int64_t> computeInt(BinaryKind kind, int64_t a,
                                         int64_t b) {
  auto wrap = [](uint64_t value) { return static_cast<int64_t>(value); };
  switch (kind) {
  case BinaryKind::Add:
    return wrap(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
  case BinaryKind::Sub:
    return wrap(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
  case BinaryKind::Mul:
    return wrap(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
  case BinaryKind::Div:
    if (b == 0 || (a == std::numeric_limits<int64_t>::min() && b == -1))
      return std::nullopt;
    return a / b;
  case BinaryKind::Max:
    return std::max(a, b);
  case BinaryKind::Min:
    return std::min(a, b);
  case BinaryKind::Equal:
    return a == b;
  case BinaryKind::Less:
    return a < b;
  case BinaryKind::Greater:
    return a > b;
  case BinaryKind::LessOrEqual:
    return a <= b;
  case BinaryKind::GreaterOrEqual:
    return a >= b;
  case BinaryKind::And:
    return (a != 0) && (b != 0);
  case BinaryKind::Or:
    return (a != 0) || (b != 0);
  case BinaryKind::Xor:
    return (a != 0) != (b != 0);
  }
  return std::nullopt;
}

/// Computes `kind` on two floats.
static double computeFloat(BinaryKind kind, double a, double b) {
  switch (kind) {
  case BinaryKind::Add:
    return a + b;
  case BinaryKind::Sub:
    return a - b;
  case BinaryKind::Mul:
    return a * b;
  case BinaryKind::Div:
    return a / b;
  case BinaryKind::Max:
    return std::isnan(a) || std::isnan(b) ? NAN : std::max(a, b);
  case BinaryKind::Min:
    return std::isnan(a) || std::isnan(b) ? NAN : std::min(a, b);
  case BinaryKind::Equal:
    return a == b;
  case BinaryKind::Less:
    return a < b;
  case BinaryKind::Greater:
    return a > b;
  case BinaryKind::LessOrEqual:
    return a <= b;
  case BinaryKind::GreaterOrEqual:
    return a >= b;
  default:
    return NAN;
  }
}

/// Returns true for data types the evaluator computes with: floats and
/// integers that fit int64 (uint64 and uint32 would need unsigned
/// semantics for division and comparisons).
static bool isEvaluable(const HostTensor &tensor) {
  return tensor.dataType != onnx::TensorProto_DataType_UINT64 &&
         tensor.dataType != onnx::TensorProto_DataType_UINT32 &&
         getDataTypeSize(tensor.dataType) != 0;
}

/// Applies `kind` to `lhs` and `rhs` with broadcasting; std::nullopt when
/// the result is too large or undefined.
static std::optional<HostTensor>
applyBinary(BinaryKind kind, const HostTensor &lhs, const HostTensor &rhs) {
  if (lhs.dataType != rhs.dataType || !isEvaluable(lhs))
    return std::nullopt;
  const HostTensor *pair[] = {&lhs, &rhs};
  std::optional<SmallVector<int64_t>> shape = broadcastAll(pair);
  if (!shape)
    return std::nullopt;
  std::optional<int64_t> count = countElements(*shape);
  bool splat = lhs.splat && rhs.splat;
  if (!count || (!splat && *count > kMaxFoldElements))
    return std::nullopt;
  int32_t dataType =
      isComparison(kind) ? onnx::TensorProto_DataType_BOOL : lhs.dataType;
  HostTensor result = HostTensor::make(dataType, *shape);
  result.splat = splat;
  for (int64_t i = 0, e = splat ? std::min<int64_t>(*count, 1) : *count; i < e;
       ++i) {
    int64_t a = broadcastIndex(lhs.shape, *shape, i);
    int64_t b = broadcastIndex(rhs.shape, *shape, i);
    if (lhs.isFloat()) {
      result.append(computeFloat(kind, lhs.getDouble(a), rhs.getDouble(b)));
      continue;
    }
    std::optional<int64_t> value =
        computeInt(kind, lhs.getInt(a), rhs.getInt(b));
    if (!value)
      return std::nullopt;
    result.appendInt(*value);
  }
  return result;
}

/// Evaluates a binary op, or a left-to-right chain for variadic ones.
template <BinaryKind kind>
static FailureOr<bool> evaluateBinary(NodeContext &ctx, Inputs inputs) {
  if (inputs.size() < 2 || llvm::is_contained(inputs, nullptr))
    return false;
  std::optional<HostTensor> result = applyBinary(kind, *inputs[0], *inputs[1]);
  for (const HostTensor *next : inputs.drop_front(2)) {
    if (!result)
      return false;
    result = applyBinary(kind, *result, *next);
  }
  if (!result)
    return false;
  ctx.setOutput(0, std::move(*result));
  return true;
}

/// Applies `fn` (double -> double, or int64 -> int64) to every element.
template <typename FloatFn, typename IntFn>
static FailureOr<bool> evaluateUnary(NodeContext &ctx, Inputs inputs,
                                     FloatFn floatFn, IntFn intFn) {
  if (inputs.size() != 1 || !inputs[0] || !isEvaluable(*inputs[0]))
    return false;
  const HostTensor &input = *inputs[0];
  HostTensor result = HostTensor::make(input.dataType, input.shape);
  result.splat = input.splat;
  int64_t count = input.splat ? std::min<int64_t>(input.getNumElements(), 1)
                              : input.getNumElements();
  for (int64_t i = 0; i < count; ++i) {
    if (input.isFloat())
      result.append(floatFn(input.getDouble(i)));
    else
      result.appendInt(intFn(input.getInt(i)));
  }
  ctx.setOutput(0, std::move(result));
  return true;
}

static FailureOr<bool> evaluateNeg(NodeContext &ctx, Inputs inputs) {
  return evaluateUnary(
      ctx, inputs, [](double x) { return -x; },
      [](int64_t x) {
        return static_cast<int64_t>(0 - static_cast<uint64_t>(x));
      });
}

static FailureOr<bool> evaluateNot(NodeContext &ctx, Inputs inputs) {
  if (inputs.size() != 1 || !inputs[0] ||
      inputs[0]->dataType != onnx::TensorProto_DataType_BOOL)
    return false;
  return evaluateUnary(
      ctx, inputs, [](double x) { return x; },
      [](int64_t x) -> int64_t { return x == 0; });
}

/// Evaluates Cast to any data type the importer supports.
static FailureOr<bool> evaluateCast(NodeContext &ctx, Inputs inputs) {
  if (inputs.size() != 1 || !inputs[0] || !isEvaluable(*inputs[0]))
    return false;
  FailureOr<int64_t> to = ctx.getIntAttr("to", 0);
  if (failed(to))
    return failure();
  if (!convertDataType(ctx.getContext(), *to))
    return false;
  const HostTensor &input = *inputs[0];
  HostTensor result = HostTensor::make(*to, input.shape);
  result.splat = input.splat;
  int64_t count = input.splat ? std::min<int64_t>(input.getNumElements(), 1)
                              : input.getNumElements();
  for (int64_t i = 0; i < count; ++i) {
    if (input.isFloat())
      result.append(input.getDouble(i));
    else
      result.appendInt(input.getInt(i));
  }
  ctx.setOutput(0, std::move(result));
  return true;
}

/// Evaluates Where(condition, x, y) with three-way broadcasting.
static FailureOr<bool> evaluateWhere(NodeContext &ctx, Inputs inputs) {
  if (inputs.size() != 3 || llvm::is_contained(inputs, nullptr))
    return false;
  const HostTensor &cond = *inputs[0], &lhs = *inputs[1], &rhs = *inputs[2];
  if (cond.dataType != onnx::TensorProto_DataType_BOOL ||
      lhs.dataType != rhs.dataType)
    return false;
  std::optional<SmallVector<int64_t>> shape = broadcastAll(inputs);
  if (!shape)
    return false;
  std::optional<int64_t> count = countElements(*shape);
  if (!count || *count > kMaxFoldElements)
    return false;
  HostTensor result = HostTensor::make(lhs.dataType, *shape);
  for (int64_t i = 0; i < *count; ++i) {
    bool pick = cond.getInt(broadcastIndex(cond.shape, *shape, i)) != 0;
    const HostTensor &source = pick ? lhs : rhs;
    int64_t index = broadcastIndex(source.shape, *shape, i);
    if (source.isFloat())
      result.floats.push_back(source.getDouble(index));
    else
      result.ints.push_back(source.getInt(index));
  }
  ctx.setOutput(0, std::move(result));
  return true;
}

/// Evaluates ConstantOfShape: a splat of the `value` attribute (float 0 by
/// default) with the shape given by the input.
static FailureOr<bool> evaluateConstantOfShape(NodeContext &ctx,
                                               Inputs inputs) {
  if (inputs.size() != 1 || !inputs[0])
    return false;
  SmallVector<int64_t> shape;
  for (int64_t i = 0, e = inputs[0]->getNumElements(); i < e; ++i)
    shape.push_back(inputs[0]->getInt(i));
  if (!countElements(shape))
    return ctx.fail("the shape input holds a negative or too large size");
  HostTensor result = HostTensor::make(onnx::TensorProto_DataType_FLOAT, shape);
  result.splat = true;
  result.append(0.0);
  if (const onnx::AttributeProto *attr = ctx.findAttribute("value")) {
    HostTensor value;
    if (!attr->has_t())
      return ctx.fail("attribute 'value' must be a tensor");
    if (std::optional<std::string> error = decodeTensor(attr->t(), 1, value))
      return ctx.fail("attribute 'value': " + *error);
    if (value.getNumElements() != 1)
      return ctx.fail("attribute 'value' must hold one element");
    result = HostTensor::make(value.dataType, shape);
    result.splat = true;
    if (value.isFloat())
      result.floats.push_back(value.getDouble(0));
    else
      result.ints.push_back(value.getInt(0));
  }
  ctx.setOutput(0, std::move(result));
  return true;
}

/// Evaluates Range(start, limit, delta).
static FailureOr<bool> evaluateRange(NodeContext &ctx, Inputs inputs) {
  if (inputs.size() != 3 || llvm::is_contained(inputs, nullptr))
    return false;
  for (const HostTensor *input : inputs)
    if (input->getNumElements() != 1 || !isEvaluable(*input))
      return false;
  const HostTensor &start = *inputs[0];
  HostTensor result = HostTensor::make(start.dataType, {0});
  if (start.isFloat()) {
    double first = start.getDouble(0), limit = inputs[1]->getDouble(0),
           delta = inputs[2]->getDouble(0);
    if (delta == 0 || std::isnan(first) || std::isnan(limit) ||
        std::isnan(delta))
      return ctx.fail("Range needs a non-zero delta and numeric bounds");
    double count = std::max(std::ceil((limit - first) / delta), 0.0);
    if (count > kMaxFoldElements)
      return ctx.fail("Range of " + Twine(truncateToInt64(count)) +
                      " elements is too large to evaluate at import time");
    for (int64_t i = 0; i < static_cast<int64_t>(count); ++i)
      result.append(first + i * delta);
  } else {
    int64_t first = start.getInt(0), limit = inputs[1]->getInt(0),
            delta = inputs[2]->getInt(0);
    if (delta == 0)
      return ctx.fail("Range needs a non-zero delta");
    // Count in double: the int64 distance may overflow.
    double count = std::max(
        std::ceil((static_cast<double>(limit) - static_cast<double>(first)) /
                  static_cast<double>(delta)),
        0.0);
    if (count > kMaxFoldElements)
      return ctx.fail("Range of " + Twine(truncateToInt64(count)) +
                      " elements is too large to evaluate at import time");
    for (int64_t i = 0; i < static_cast<int64_t>(count); ++i)
      result.appendInt(static_cast<int64_t>(static_cast<uint64_t>(first) +
                                            static_cast<uint64_t>(i) *
                                                static_cast<uint64_t>(delta)));
  }
  result.shape[0] = static_cast<int64_t>(result.isFloat() ? result.floats.size()
                                                          : result.ints.size());
  ctx.setOutput(0, std::move(result));
  return true;
}

/// Evaluates Expand(input, shape): NumPy broadcasting of both shapes.
static FailureOr<bool> evaluateExpand(NodeContext &ctx, Inputs inputs) {
  if (inputs.size() != 2 || llvm::is_contained(inputs, nullptr))
    return false;
  const HostTensor &input = *inputs[0];
  SmallVector<int64_t> target;
  for (int64_t i = 0, e = inputs[1]->getNumElements(); i < e; ++i)
    target.push_back(inputs[1]->getInt(i));
  if (!countElements(target))
    return ctx.fail("the shape input holds a negative or too large size");
  auto shape = kiln::nn::broadcastShapes(input.shape, target);
  if (!shape)
    return ctx.fail("the input does not broadcast to the requested shape");
  std::optional<int64_t> count = countElements(*shape);
  if (!count || (!input.splat && *count > kMaxFoldElements))
    return false;
  HostTensor result = HostTensor::make(input.dataType, *shape);
  result.splat = input.splat;
  for (int64_t i = 0, e = input.splat ? std::min<int64_t>(*count, 1) : *count;
       i < e; ++i) {
    int64_t index = broadcastIndex(input.shape, *shape, i);
    if (input.isFloat())
      result.floats.push_back(input.getDouble(index));
    else
      result.ints.push_back(input.getInt(index));
  }
  ctx.setOutput(0, std::move(result));
  return true;
}

/// Returns the evaluators by op type.
static const llvm::StringMap<Evaluator> &getEvaluators() {
  static const llvm::StringMap<Evaluator> evaluators = {
      {"Add", evaluateBinary<BinaryKind::Add>},
      {"Sub", evaluateBinary<BinaryKind::Sub>},
      {"Mul", evaluateBinary<BinaryKind::Mul>},
      {"Div", evaluateBinary<BinaryKind::Div>},
      {"Sum", evaluateBinary<BinaryKind::Add>},
      {"Max", evaluateBinary<BinaryKind::Max>},
      {"Min", evaluateBinary<BinaryKind::Min>},
      {"Equal", evaluateBinary<BinaryKind::Equal>},
      {"Less", evaluateBinary<BinaryKind::Less>},
      {"Greater", evaluateBinary<BinaryKind::Greater>},
      {"LessOrEqual", evaluateBinary<BinaryKind::LessOrEqual>},
      {"GreaterOrEqual", evaluateBinary<BinaryKind::GreaterOrEqual>},
      {"And", evaluateBinary<BinaryKind::And>},
      {"Or", evaluateBinary<BinaryKind::Or>},
      {"Xor", evaluateBinary<BinaryKind::Xor>},
      {"Neg", evaluateNeg},
      {"Not", evaluateNot},
      {"Cast", evaluateCast},
      {"Where", evaluateWhere},
      {"ConstantOfShape", evaluateConstantOfShape},
      {"Range", evaluateRange},
      {"Expand", evaluateExpand},
  };
  return evaluators;
}

FailureOr<bool> kiln::onnximport::tryEvaluateNode(NodeContext &ctx,
                                                  bool allowSpecialized) {
  const llvm::StringMap<Evaluator> &evaluators = getEvaluators();
  auto it = evaluators.find(ctx.getOpType());
  if (it == evaluators.end())
    return false;
  SmallVector<std::shared_ptr<const HostTensor>> holders;
  SmallVector<const HostTensor *> inputs;
  for (unsigned i = 0, e = ctx.getNumInputs(); i < e; ++i) {
    if (!ctx.hasInput(i)) {
      inputs.push_back(nullptr);
      continue;
    }
    std::shared_ptr<const HostTensor> host =
        ctx.tryGetConstantInput(i, kMaxFoldElements, allowSpecialized);
    if (!host)
      return false;
    inputs.push_back(host.get());
    holders.push_back(std::move(host));
  }
  return it->second(ctx, inputs);
}

//===----------------------------------------------------------------------===//
// Converters whose results are always constants
//===----------------------------------------------------------------------===//

/// Converts Constant: its tensor (or scalar / list attribute) is the output.
static LogicalResult convertConstant(NodeContext &ctx) {
  const onnx::NodeProto &node = ctx.getNode();
  if (node.attribute_size() != 1)
    return ctx.fail("expects exactly one value attribute");
  const onnx::AttributeProto &attr = node.attribute(0);
  StringRef name = attr.name();
  if (name == "value") {
    if (!attr.has_t())
      return ctx.fail("attribute 'value' must be a tensor");
    ctx.setOutput(0, attr.t());
    return success();
  }
  if (name == "value_float" || name == "value_int") {
    bool isFloat = name == "value_float";
    HostTensor tensor =
        HostTensor::make(isFloat ? onnx::TensorProto_DataType_FLOAT
                                 : onnx::TensorProto_DataType_INT64,
                         {});
    if (isFloat)
      tensor.append(attr.f());
    else
      tensor.appendInt(attr.i());
    ctx.setOutput(0, std::move(tensor));
    return success();
  }
  if (name == "value_floats" || name == "value_ints") {
    bool isFloat = name == "value_floats";
    int64_t count = isFloat ? attr.floats_size() : attr.ints_size();
    HostTensor tensor =
        HostTensor::make(isFloat ? onnx::TensorProto_DataType_FLOAT
                                 : onnx::TensorProto_DataType_INT64,
                         {count});
    for (int64_t i = 0; i < count; ++i) {
      if (isFloat)
        tensor.append(attr.floats(i));
      else
        tensor.appendInt(attr.ints(i));
    }
    ctx.setOutput(0, std::move(tensor));
    return success();
  }
  return ctx.fail("attribute '" + name + "' is not supported");
}

/// Converts Shape of a statically shaped tensor, with the `start` / `end`
/// attributes of opset 15.
static LogicalResult convertShape(NodeContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getInputType(0);
  if (failed(type))
    return failure();
  if (!type->hasStaticShape())
    return ctx.fail("the shape of a tensor with dynamic dimensions is not "
                    "supported (it is evaluated at import time)");
  int64_t rank = type->getRank();
  FailureOr<int64_t> start = ctx.getIntAttr("start", 0);
  if (failed(start))
    return failure();
  FailureOr<int64_t> end = ctx.getIntAttr("end", rank);
  if (failed(end))
    return failure();
  auto clampIndex = [rank](int64_t index) {
    if (index < 0)
      index += rank;
    return std::clamp<int64_t>(index, 0, rank);
  };
  int64_t first = clampIndex(*start), last = clampIndex(*end);
  HostTensor result = HostTensor::make(onnx::TensorProto_DataType_INT64,
                                       {std::max<int64_t>(last - first, 0)});
  for (int64_t d = first; d < last; ++d)
    result.appendInt(type->getDimSize(d));
  ctx.setOutput(0, std::move(result));
  return success();
}

/// Converts Size of a statically shaped tensor.
static LogicalResult convertSize(NodeContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getInputType(0);
  if (failed(type))
    return failure();
  if (!type->hasStaticShape())
    return ctx.fail("the size of a tensor with dynamic dimensions is not "
                    "supported (it is evaluated at import time)");
  HostTensor result = HostTensor::make(onnx::TensorProto_DataType_INT64, {});
  result.appendInt(type->getNumElements());
  ctx.setOutput(0, std::move(result));
  return success();
}

/// Evaluates an op that exists only at import time on the known values of
/// graph inputs (specializing the model to them); reports it when an input
/// is not known.
static LogicalResult convertOnlyConstant(NodeContext &ctx) {
  FailureOr<bool> evaluated = tryEvaluateNode(ctx, /*allowSpecialized=*/true);
  if (failed(evaluated))
    return failure();
  if (*evaluated)
    return success();
  return ctx.fail("only supported when every input is a small constant "
                  "(evaluated at import time)");
}

void kiln::onnximport::addConstantConverters(ConverterRegistry &registry) {
  registry["Constant"] = convertConstant;
  registry["Shape"] = convertShape;
  registry["Size"] = convertSize;
  // Comparisons and logical ops on non-constant inputs have nn converters
  // (ElementwiseOps.cpp).
  for (StringRef opType : {"ConstantOfShape", "Range"})
    registry[opType] = convertOnlyConstant;
}
