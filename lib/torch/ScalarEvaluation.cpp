//===- ScalarEvaluation.cpp - TorchScript scalar arithmetic at import ----===//
//
// Scripted models compute shapes and check them with scalar ops
// (aten::size, len, comparisons, integer arithmetic, prim::NumToTensor in
// traced ones). With static input shapes all of these are known, so they are
// evaluated here and only tensor computation becomes nn ops.
//
//===----------------------------------------------------------------------===//

#include "TorchImporter.h"

#include "llvm/ADT/StringSet.h"

#include <ATen/ATen.h>

#include <cmath>
#include <sstream>

using namespace mlir;
using namespace kiln::torchimport;
namespace nn = kiln::nn;

/// Returns the elements of a known list input (built by ListConstruct from
/// known values, or a constant list), or nullopt.
static std::optional<std::vector<c10::IValue>> getKnownList(AtenContext &ctx,
                                                            unsigned index) {
  std::shared_ptr<Entry> entry = ctx.getInputShared(index);
  if (!entry)
    return std::nullopt;
  std::vector<c10::IValue> values;
  if (entry->elements) {
    for (const std::shared_ptr<Entry> &element : *entry->elements) {
      if (!element->constant)
        return std::nullopt;
      values.push_back(*element->constant);
    }
    return values;
  }
  if (entry->constant && entry->constant->isList()) {
    for (const c10::IValue &value : entry->constant->toListRef())
      values.push_back(value);
    return values;
  }
  return std::nullopt;
}

/// Returns a known non-tensor input (a string, None, a device, a number).
static std::optional<c10::IValue> getKnownValue(AtenContext &ctx,
                                                unsigned index) {
  std::shared_ptr<Entry> entry = ctx.getInputShared(index);
  if (!entry || !entry->constant || entry->constant->isTensor())
    return std::nullopt;
  return *entry->constant;
}

/// Renders a known value as Python's str() would, for aten::str / format.
static std::string toPythonString(const c10::IValue &value) {
  if (value.isString())
    return value.toStringRef();
  if (value.isNone())
    return "None";
  if (value.isBool())
    return value.toBool() ? "True" : "False";
  std::ostringstream os;
  os << value;
  return os.str();
}

/// Evaluates the Python-level logic of scripted modules (the fast-path
/// checks of nn.MultiheadAttention and nn.TransformerEncoderLayer, say):
/// queries about tensors answered from their static types, and string and
/// list operations on known values. Kiln imports the path PyTorch takes with
/// autograd enabled on the CPU, which avoids the fused inference-only
/// kernels; it computes the same function.
static FailureOr<bool> tryEvaluateMetaNode(AtenContext &ctx, StringRef name) {
  torch::jit::Node *node = ctx.getNode();
  if (name == "aten::warn")
    return true;
  if (node->outputs().size() != 1)
    return false;
  if (name == "prim::unchecked_cast") {
    ctx.setAlias(0, 0);
    return true;
  }
  if (name == "prim::Uninitialized") {
    ctx.setConstant(0, c10::IValue());
    return true;
  }
  if (name == "aten::is_grad_enabled") {
    ctx.setConstant(0, c10::IValue(true));
    return true;
  }
  if (name == "aten::is_autocast_enabled" || name == "prim::is_cuda" ||
      name == "prim::is_nested" || name == "prim::requires_grad" ||
      name == "prim::is_mkldnn" || name == "prim::is_quantized" ||
      name == "prim::is_sparse") {
    ctx.setConstant(0, c10::IValue(false));
    return true;
  }
  if (name == "prim::device") {
    ctx.setConstant(0, c10::IValue(c10::Device(c10::kCPU)));
    return true;
  }
  if (name == "aten::is_floating_point" || name == "prim::dtype") {
    FailureOr<RankedTensorType> type = ctx.getTensorType(0);
    if (failed(type))
      return failure();
    Type element = type->getElementType();
    if (name == "aten::is_floating_point") {
      ctx.setConstant(0, c10::IValue(isa<FloatType>(element)));
      return true;
    }
    c10::ScalarType scalar;
    if (element.isF32())
      scalar = c10::ScalarType::Float;
    else if (element.isF64())
      scalar = c10::ScalarType::Double;
    else if (element.isF16())
      scalar = c10::ScalarType::Half;
    else if (element.isBF16())
      scalar = c10::ScalarType::BFloat16;
    else if (element.isInteger(64))
      scalar = c10::ScalarType::Long;
    else if (element.isInteger(32))
      scalar = c10::ScalarType::Int;
    else if (element.isInteger(1))
      scalar = c10::ScalarType::Bool;
    else
      return ctx.fail("unsupported element type");
    ctx.setConstant(0, c10::IValue(static_cast<int64_t>(scalar)));
    return true;
  }
  if (name == "aten::str") {
    std::optional<c10::IValue> value = getKnownValue(ctx, 0);
    if (!value)
      return false;
    ctx.setConstant(0, c10::IValue(toPythonString(*value)));
    return true;
  }
  if (name == "aten::format") {
    std::optional<c10::IValue> format = getKnownValue(ctx, 0);
    if (!format || !format->isString())
      return false;
    std::string text = format->toStringRef(), result;
    unsigned next = 1;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text.compare(i, 2, "{}") == 0 && next < ctx.getNumInputs()) {
        std::optional<c10::IValue> value = getKnownValue(ctx, next++);
        result += value ? toPythonString(*value) : "<tensor>";
        ++i;
        continue;
      }
      result.push_back(text[i]);
    }
    ctx.setConstant(0, c10::IValue(result));
    return true;
  }
  if (name == "aten::find") {
    std::optional<c10::IValue> text = getKnownValue(ctx, 0);
    std::optional<c10::IValue> part = getKnownValue(ctx, 1);
    if (!text || !part || !text->isString() || !part->isString())
      return false;
    size_t found = text->toStringRef().find(part->toStringRef());
    ctx.setConstant(0, c10::IValue(found == std::string::npos
                                       ? int64_t(-1)
                                       : static_cast<int64_t>(found)));
    return true;
  }
  if (name == "aten::__getitem__") {
    std::optional<std::vector<c10::IValue>> list = getKnownList(ctx, 0);
    std::optional<double> index = ctx.tryGetKnownNumber(1);
    if (!list || !index)
      return false;
    int64_t size = static_cast<int64_t>(list->size());
    int64_t i = static_cast<int64_t>(*index);
    if (i < -size || i >= size)
      return ctx.fail("index " + Twine(i) + " is out of range");
    ctx.setConstant(0, (*list)[i < 0 ? i + size : i]);
    return true;
  }
  if (name == "aten::any" || name == "aten::all") {
    std::optional<std::vector<c10::IValue>> list = getKnownList(ctx, 0);
    if (!list)
      return false;
    bool any = false, all = true;
    for (const c10::IValue &value : *list) {
      if (!value.isBool())
        return false;
      any |= value.toBool();
      all &= value.toBool();
    }
    ctx.setConstant(0, c10::IValue(name == "aten::any" ? any : all));
    return true;
  }
  if (name == "aten::__contains__") {
    std::optional<c10::IValue> needle = getKnownValue(ctx, 1);
    if (!needle)
      return false;
    if (std::optional<std::vector<c10::IValue>> list = getKnownList(ctx, 0)) {
      bool found = false;
      for (const c10::IValue &value : *list)
        found |= value == *needle;
      ctx.setConstant(0, c10::IValue(found));
      return true;
    }
    std::optional<c10::IValue> text = getKnownValue(ctx, 0);
    if (!text || !text->isString() || !needle->isString())
      return false;
    ctx.setConstant(
        0, c10::IValue(text->toStringRef().find(needle->toStringRef()) !=
                       std::string::npos));
    return true;
  }
  if (name == "aten::len") {
    std::optional<std::vector<c10::IValue>> list = getKnownList(ctx, 0);
    std::shared_ptr<Entry> entry = ctx.getInputShared(0);
    if (list) {
      ctx.setConstant(0, c10::IValue(static_cast<int64_t>(list->size())));
      return true;
    }
    if (entry && entry->elements) {
      ctx.setConstant(
          0, c10::IValue(static_cast<int64_t>(entry->elements->size())));
      return true;
    }
    if (entry && entry->constant && entry->constant->isString()) {
      ctx.setConstant(0, c10::IValue(static_cast<int64_t>(
                             entry->constant->toStringRef().size())));
      return true;
    }
    return false;
  }
  // Equality of known lists (the hidden-state shape checks of nn.LSTM and
  // nn.GRU: `hx.size() != expected_hidden_size`).
  if ((name == "aten::eq" || name == "aten::ne") && ctx.getNumInputs() == 2) {
    std::optional<std::vector<c10::IValue>> a = getKnownList(ctx, 0);
    std::optional<std::vector<c10::IValue>> b = getKnownList(ctx, 1);
    if (a && b) {
      bool equal = a->size() == b->size();
      for (size_t i = 0; equal && i < a->size(); ++i)
        equal = (*a)[i] == (*b)[i];
      ctx.setConstant(0, c10::IValue(name == "aten::eq" ? equal : !equal));
      return true;
    }
  }
  // Equality of known non-numbers (strings, None, devices).
  if ((name == "aten::eq" || name == "aten::ne") && ctx.getNumInputs() == 2) {
    std::optional<c10::IValue> a = getKnownValue(ctx, 0);
    std::optional<c10::IValue> b = getKnownValue(ctx, 1);
    if (!a || !b || (a->isScalar() && b->isScalar()) ||
        (a->isBool() && b->isBool()))
      return false;
    bool equal = *a == *b;
    ctx.setConstant(0, c10::IValue(name == "aten::eq" ? equal : !equal));
    return true;
  }
  if ((name == "aten::sqrt" || name == "aten::log" || name == "aten::exp") &&
      !ctx.isTensor(0)) {
    std::optional<double> value = ctx.tryGetKnownNumber(0);
    if (!value)
      return false;
    double result = name == "aten::sqrt"  ? std::sqrt(*value)
                    : name == "aten::log" ? std::log(*value)
                                          : std::exp(*value);
    ctx.setConstant(0, c10::IValue(result));
    return true;
  }
  return false;
}

FailureOr<bool> kiln::torchimport::tryEvaluateScalarNode(AtenContext &ctx) {
  torch::jit::Node *node = ctx.getNode();
  StringRef name = node->kind().toQualString();
  FailureOr<bool> meta = tryEvaluateMetaNode(ctx, name);
  if (failed(meta) || *meta)
    return meta;
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
