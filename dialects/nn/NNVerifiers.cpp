//===- NNVerifiers.cpp - verifiers of nn ops without type inference
//--------===//
//
// Ops whose result type is given rather than inferred (reshape, quantize,
// dequantize), that carry attribute invariants ODS cannot express (clip,
// softmax), or that hold a region (fusion) check themselves here.
//
//===----------------------------------------------------------------------===//

#include "kiln/dialects/nn/NNOps.h"
#include "kiln/dialects/nn/ShapeInference.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"

using namespace mlir;
using namespace kiln::nn;

LogicalResult ClipOp::verify() {
  FloatAttr low = getMinAttr(), high = getMaxAttr();
  for (FloatAttr bound : {low, high})
    if (bound && bound.getValue().isNaN())
      return emitOpError("bounds must be numbers, got NaN");
  if (low && high && low.getValueAsDouble() > high.getValueAsDouble())
    return emitOpError("'min' (")
           << low.getValueAsDouble() << ") is greater than 'max' ("
           << high.getValueAsDouble() << ")";
  return success();
}

LogicalResult SoftmaxOp::verify() {
  int64_t rank = getInput().getType().getRank();
  // I64Attr reads back unsigned; negative axes are rejected as out of range.
  int64_t axis = static_cast<int64_t>(getAxis());
  if (axis < 0 || axis >= rank)
    return emitOpError("axis ") << axis << " is out of range for rank " << rank;
  return success();
}

LogicalResult ReshapeOp::verify() {
  RankedTensorType input = getInput().getType(), output = getOutput().getType();
  if (input.getElementType() != output.getElementType())
    return emitOpError("element type changes from ")
           << input.getElementType() << " to " << output.getElementType();
  if (output.getNumDynamicDims() > 1)
    return emitOpError("result may have at most one dynamic dimension, got ")
           << output.getNumDynamicDims();
  if (!input.hasStaticShape())
    return success();
  // With one dynamic result dimension the static ones must divide the count.
  int64_t known = 1;
  for (int64_t dim : output.getShape())
    if (dim != kDynamicDim)
      known *= dim;
  int64_t count = input.getNumElements();
  bool fits = output.hasStaticShape()
                  ? known == count
                  : (known != 0 ? count % known == 0 : count == 0);
  if (!fits)
    return emitOpError("cannot reshape ")
           << count << " elements into " << output;
  return success();
}

/// Checks that `quantized` is a supported quantized element type whose
/// expressed type is `expressed` and whose per-axis parameters fit `shape`.
static LogicalResult verifyQuantizedType(Operation *op, Type quantized,
                                         Type expressed,
                                         RankedTensorType shape) {
  auto type = dyn_cast<quant::QuantizedType>(quantized);
  if (!isa_and_present<quant::UniformQuantizedType,
                       quant::UniformQuantizedPerAxisType>(type))
    return op->emitOpError("supports per-tensor and per-axis !quant.uniform "
                           "element types only, got ")
           << quantized;
  if (type.getExpressedType() != expressed)
    return op->emitOpError("quantized type expresses ")
           << type.getExpressedType() << " but the float side is " << expressed;
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
    int64_t axis = perAxis.getQuantizedDimension();
    if (axis >= shape.getRank())
      return op->emitOpError("quantized dimension ")
             << axis << " is out of range for rank " << shape.getRank();
    int64_t size = shape.getDimSize(axis);
    int64_t scales = static_cast<int64_t>(perAxis.getScales().size());
    if (size != kDynamicDim && size != scales)
      return op->emitOpError("per-axis type has ")
             << scales << " scales but dimension " << axis << " has size "
             << size;
  }
  return success();
}

LogicalResult QuantizeOp::verify() {
  return verifyQuantizedType(*this, getOutput().getType().getElementType(),
                             getInput().getType().getElementType(),
                             getOutput().getType());
}

LogicalResult DequantizeOp::verify() {
  return verifyQuantizedType(*this, getInput().getType().getElementType(),
                             getOutput().getType().getElementType(),
                             getInput().getType());
}

LogicalResult FusionOp::verify() {
  Block &body = getBody().front();
  if (body.getArgumentTypes() != getInputs().getTypes())
    return emitOpError("body arguments must have the types of the inputs");
  auto yield = body.empty() ? YieldOp() : dyn_cast<YieldOp>(body.back());
  if (!yield)
    return emitOpError("body must end in nn.yield");
  if (yield.getValues().getTypes() != getResultTypes())
    return emitOpError("yielded types must match the result types");
  return success();
}

LogicalResult ModOp::verify() {
  if (isa<FloatType>(getOutput().getType().getElementType()) && !getFmod())
    return emitOpError("float operands require 'fmod' (the sign of the "
                       "dividend)");
  return success();
}

LogicalResult CeluOp::verify() {
  if (getAlpha().isZero())
    return emitOpError("'alpha' must not be zero");
  return success();
}
