//===- NNBuilders.cpp - checked construction of nn ops --------------------===//
//
// See NNBuilders.h: op construction that reports instead of asserting.
//
//===----------------------------------------------------------------------===//

#include "kiln/dialects/nn/NNBuilders.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

Operation *kiln::nn::buildVerifiedOp(OpBuilder &builder, OperationState &state,
                                     InferReturnTypesFn infer,
                                     std::string &message) {
  MLIRContext *context = builder.getContext();
  // Keep the first diagnostic instead of printing it; the capture ends
  // before the caller reports.
  ScopedDiagnosticHandler capture(context, [&](Diagnostic &diagnostic) {
    if (message.empty())
      message = diagnostic.str();
    return success();
  });
  if (infer) {
    SmallVector<Type, 1> types;
    if (failed(infer(context, state.location, state.operands,
                     state.attributes.getDictionary(context),
                     state.getRawProperties(), state.regions, types)) ||
        types.size() != 1)
      return nullptr;
    state.addTypes(types);
  }
  Operation *op = builder.create(state);
  if (failed(verify(op, /*verifyRecursively=*/false))) {
    op->erase();
    return nullptr;
  }
  return op;
}

DenseElementsAttr kiln::nn::getScalarAttr(Type elementType, double value) {
  auto type = RankedTensorType::get({}, elementType);
  if (isa<FloatType>(elementType))
    return DenseElementsAttr::get(type, FloatAttr::get(elementType, value));
  if (!isa<IntegerType>(elementType))
    return nullptr;
  // Truncate toward zero, saturating (a double outside int64 is undefined
  // to cast); the bound is the largest double below 2^63.
  double clamped = std::clamp(std::isnan(value) ? 0.0 : std::trunc(value),
                              -9223372036854774784.0, 9223372036854774784.0);
  int64_t integer = static_cast<int64_t>(clamped);
  return DenseElementsAttr::get(type, IntegerAttr::get(elementType, integer));
}
