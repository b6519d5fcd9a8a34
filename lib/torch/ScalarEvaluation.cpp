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

using namespace mlir;
using namespace kiln::torchimport;
namespace nn = kiln::nn;

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
