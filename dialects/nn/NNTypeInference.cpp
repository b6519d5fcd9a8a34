//===- NNTypeInference.cpp - result types of nn ops
//-------------------------===//
//
// `inferReturnTypes` for every nn op that implements InferTypeOpInterface.
// Each function is also the op's shape verifier: the interface checks the
// declared result type against the inferred one, and any operand/attribute
// inconsistency found here is reported at the op's location.
//
//===----------------------------------------------------------------------===//

#include "TypeInferenceUtils.h"
#include "kiln/dialects/nn/NNOps.h"
#include "kiln/dialects/nn/ShapeInference.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace kiln::nn;
using namespace kiln::nn::detail;

bool kiln::nn::detail::shapesMayMatch(ArrayRef<int64_t> lhs,
                                      ArrayRef<int64_t> rhs) {
  return lhs.size() == rhs.size() &&
         llvm::all_of(llvm::zip_equal(lhs, rhs), [](auto pair) {
           return dimsMayMatch(std::get<0>(pair), std::get<1>(pair));
         });
}

std::string kiln::nn::detail::formatShape(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleave(
      shape, os,
      [&](int64_t d) {
        if (d == kDynamicDim)
          os << '?';
        else
          os << d;
      },
      "x");
  return text;
}

LogicalResult kiln::nn::detail::checkWindowAttr(OptLoc loc, StringRef name,
                                                ArrayRef<int64_t> values,
                                                size_t expected,
                                                int64_t minimum) {
  if (values.size() != expected)
    return emitOptionalError(loc, "'", name, "' must have ", expected,
                             " entries, got ", values.size());
  for (int64_t v : values)
    if (v < minimum)
      return emitOptionalError(loc, "'", name, "' entries must be >= ", minimum,
                               ", got ", v);
  return success();
}

LogicalResult kiln::nn::detail::checkAxis(OptLoc loc, int64_t axis,
                                          int64_t rank) {
  if (axis < 0 || axis >= rank)
    return emitOptionalError(loc, "axis ", axis, " is out of range for rank ",
                             rank);
  return success();
}

namespace {
/// Returns true when `epsilon` is a number >= 0 (-0.0 included).
bool isValidEpsilon(const APFloat &epsilon) {
  return !epsilon.isNaN() && (epsilon.isZero() || !epsilon.isNegative());
}

/// Checks that `axes` is sorted, unique and within [0, rank).
LogicalResult checkAxes(OptLoc loc, ArrayRef<int64_t> axes, int64_t rank) {
  for (size_t i = 0; i < axes.size(); ++i) {
    if (axes[i] < 0 || axes[i] >= rank)
      return emitOptionalError(loc, "axis ", axes[i],
                               " is out of range for rank ", rank);
    if (i > 0 && axes[i] <= axes[i - 1])
      return emitOptionalError(loc, "'axes' must be sorted and unique");
  }
  return success();
}

/// Checks that a 1-D per-channel parameter has `channels` entries.
LogicalResult checkChannelParam(OptLoc loc, StringRef name, Value param,
                                int64_t channels, Type elementType) {
  RankedTensorType type = rankedType(param);
  if (!type || type.getRank() != 1)
    return emitOptionalError(loc, "'", name, "' must be 1-D");
  if (type.getElementType() != elementType)
    return emitOptionalError(loc, "'", name, "' element type ",
                             type.getElementType(),
                             " does not match the input's ", elementType);
  int64_t size = type.getDimSize(0);
  if (size != kDynamicDim && channels != kDynamicDim && size != channels)
    return emitOptionalError(loc, "'", name, "' has ", size,
                             " entries but there are ", channels, " channels");
  return success();
}

/// Infers the type of a 2-D pooling op on NCHW input.
LogicalResult inferPool2DType(OptLoc loc, Value input, ArrayRef<int64_t> kernel,
                              ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                              ArrayRef<int64_t> dilations, bool ceilMode,
                              InferredTypes &inferred) {
  RankedTensorType type = rankedType(input);
  if (!type)
    return failure();
  if (type.getRank() != 4)
    return emitOptionalError(loc, "expects a 4-D NCHW input, got rank ",
                             type.getRank());
  if (failed(checkWindowAttr(loc, "kernel_shape", kernel, 2, 1)) ||
      failed(checkWindowAttr(loc, "strides", strides, 2, 1)) ||
      failed(checkWindowAttr(loc, "pads", pads, 4, 0)) ||
      failed(checkWindowAttr(loc, "dilations", dilations, 2, 1)))
    return failure();
  SmallVector<int64_t> shape(type.getShape().take_front(2));
  for (int i = 0; i < 2; ++i) {
    std::optional<int64_t> size =
        slidingWindowOutputSize(type.getDimSize(2 + i), kernel[i], strides[i],
                                dilations[i], pads[i], pads[2 + i], ceilMode);
    if (!size)
      return emitOptionalError(loc, "pooling window size overflows int64");
    if (*size != kDynamicDim && *size <= 0)
      return emitOptionalError(loc, "pooling window does not fit the input ",
                               formatShape(type.getShape()));
    shape.push_back(*size);
  }
  inferred.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

/// Infers the type of a reduction over `axes`.
LogicalResult inferReduceTypeImpl(OptLoc loc, Value input,
                                  ArrayRef<int64_t> axes, bool keepDims,
                                  InferredTypes &inferred) {
  RankedTensorType type = rankedType(input);
  if (!type)
    return failure();
  if (failed(checkAxes(loc, axes, type.getRank())))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (!llvm::is_contained(axes, d))
      shape.push_back(type.getDimSize(d));
    else if (keepDims)
      shape.push_back(1);
  }
  inferred.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}
} // namespace

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

LogicalResult kiln::nn::inferBroadcastBinaryType(OptLoc loc, Type lhs, Type rhs,
                                                 InferredTypes &inferred) {
  RankedTensorType lhsType = rankedType(lhs), rhsType = rankedType(rhs);
  if (!lhsType || !rhsType)
    return failure();
  if (lhsType.getElementType() != rhsType.getElementType())
    return emitOptionalError(
        loc, "operand element types differ: ", lhsType.getElementType(), " vs ",
        rhsType.getElementType());
  auto shape = broadcastShapes(lhsType.getShape(), rhsType.getShape());
  if (!shape)
    return emitOptionalError(
        loc, "operand shapes ", formatShape(lhsType.getShape()), " and ",
        formatShape(rhsType.getShape()), " are not broadcast-compatible");
  inferred.push_back(RankedTensorType::get(*shape, lhsType.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Comparisons, logical ops, elementwise tests and PRelu
//===----------------------------------------------------------------------===//

LogicalResult kiln::nn::inferBroadcastCompareType(OptLoc loc, Type lhs,
                                                  Type rhs,
                                                  InferredTypes &inferred) {
  SmallVector<Type, 1> values;
  if (failed(inferBroadcastBinaryType(loc, lhs, rhs, values)))
    return failure();
  auto valueType = cast<RankedTensorType>(values.front());
  inferred.push_back(
      valueType.clone(IntegerType::get(valueType.getContext(), 1)));
  return success();
}

LogicalResult kiln::nn::inferUnaryTestType(OptLoc, Type input,
                                           InferredTypes &inferred) {
  RankedTensorType inputType = rankedType(input);
  if (!inputType)
    return failure();
  inferred.push_back(
      inputType.clone(IntegerType::get(inputType.getContext(), 1)));
  return success();
}

LogicalResult PReluOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                        Adaptor adaptor,
                                        InferredTypes &inferred) {
  SmallVector<Type, 1> values;
  if (failed(inferBroadcastBinaryType(loc, adaptor.getInput().getType(),
                                      adaptor.getSlope().getType(), values)))
    return failure();
  // The slope broadcasts to the input, never the other way round.
  auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
  if (cast<RankedTensorType>(values.front()).getShape() != inputType.getShape())
    return emitOptionalError(
        loc, "slope shape ",
        formatShape(
            cast<RankedTensorType>(adaptor.getSlope().getType()).getShape()),
        " does not broadcast to input shape ",
        formatShape(inputType.getShape()));
  inferred.push_back(inputType);
  return success();
}

LogicalResult WhereOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                        Adaptor adaptor,
                                        InferredTypes &inferred) {
  RankedTensorType cond = rankedType(adaptor.getCondition());
  SmallVector<Type, 1> values;
  if (!cond ||
      failed(inferBroadcastBinaryType(loc, adaptor.getLhs().getType(),
                                      adaptor.getRhs().getType(), values)))
    return failure();
  auto valueType = cast<RankedTensorType>(values.front());
  auto shape = broadcastShapes(cond.getShape(), valueType.getShape());
  if (!shape)
    return emitOptionalError(loc, "condition shape ",
                             formatShape(cond.getShape()),
                             " does not broadcast with value shape ",
                             formatShape(valueType.getShape()));
  inferred.push_back(RankedTensorType::get(*shape, valueType.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

LogicalResult Conv2DOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                         Adaptor adaptor,
                                         InferredTypes &inferred) {
  RankedTensorType input = rankedType(adaptor.getInput());
  RankedTensorType weight = rankedType(adaptor.getWeight());
  if (!input || !weight)
    return failure();
  if (input.getRank() != 4)
    return emitOptionalError(loc, "expects a 4-D NCHW input, got rank ",
                             input.getRank());
  if (weight.getRank() != 4)
    return emitOptionalError(loc, "expects a 4-D OIHW weight, got rank ",
                             weight.getRank());
  if (input.getElementType() != weight.getElementType())
    return emitOptionalError(loc, "input and weight element types differ");
  ArrayRef<int64_t> strides = adaptor.getStrides(), pads = adaptor.getPads(),
                    dilations = adaptor.getDilations();
  if (failed(checkWindowAttr(loc, "strides", strides, 2, 1)) ||
      failed(checkWindowAttr(loc, "pads", pads, 4, 0)) ||
      failed(checkWindowAttr(loc, "dilations", dilations, 2, 1)))
    return failure();
  int64_t groups = adaptor.getGroups();
  if (groups < 1)
    return emitOptionalError(loc, "'groups' must be >= 1, got ", groups);
  int64_t channels = input.getDimSize(1), outChannels = weight.getDimSize(0);
  int64_t groupChannels = weight.getDimSize(1);
  if (channels != kDynamicDim && groupChannels != kDynamicDim &&
      channels != groupChannels * groups)
    return emitOptionalError(loc, "input has ", channels,
                             " channels but weight expects ", groupChannels,
                             " per group x ", groups, " groups");
  if (outChannels != kDynamicDim && outChannels % groups != 0)
    return emitOptionalError(loc, "weight output channels ", outChannels,
                             " are not divisible by ", groups, " groups");
  if (Value bias = adaptor.getBias())
    if (failed(checkChannelParam(loc, "bias", bias, outChannels,
                                 input.getElementType())))
      return failure();
  SmallVector<int64_t> shape = {input.getDimSize(0), outChannels};
  for (int i = 0; i < 2; ++i) {
    int64_t kernel = weight.getDimSize(2 + i);
    if (kernel == kDynamicDim) {
      shape.push_back(kDynamicDim);
      continue;
    }
    if (kernel < 1)
      return emitOptionalError(loc, "weight spatial sizes must be >= 1, got ",
                               formatShape(weight.getShape()));
    std::optional<int64_t> size =
        slidingWindowOutputSize(input.getDimSize(2 + i), kernel, strides[i],
                                dilations[i], pads[i], pads[2 + i]);
    if (!size)
      return emitOptionalError(loc, "convolution window size overflows int64");
    if (*size != kDynamicDim && *size <= 0)
      return emitOptionalError(loc, "kernel ", formatShape(weight.getShape()),
                               " does not fit the padded input ",
                               formatShape(input.getShape()));
    shape.push_back(*size);
  }
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                         Adaptor adaptor,
                                         InferredTypes &inferred) {
  RankedTensorType lhs = rankedType(adaptor.getLhs());
  RankedTensorType rhs = rankedType(adaptor.getRhs());
  if (!lhs || !rhs)
    return failure();
  if (lhs.getElementType() != rhs.getElementType())
    return emitOptionalError(loc, "operand element types differ");
  auto shape = matmulShape(lhs.getShape(), rhs.getShape());
  if (!shape)
    return emitOptionalError(loc, "cannot multiply ",
                             formatShape(lhs.getShape()), " by ",
                             formatShape(rhs.getShape()),
                             " (operands must be >= 1-D, inner sizes equal, "
                             "batch sizes broadcastable)");
  inferred.push_back(RankedTensorType::get(*shape, lhs.getElementType()));
  return success();
}

LogicalResult BatchMatmulOp::inferReturnTypes(MLIRContext *ctx, OptLoc loc,
                                              Adaptor adaptor,
                                              InferredTypes &inferred) {
  RankedTensorType lhs = rankedType(adaptor.getLhs());
  RankedTensorType rhs = rankedType(adaptor.getRhs());
  if (!lhs || !rhs)
    return failure();
  if (lhs.getRank() < 3 || lhs.getRank() != rhs.getRank())
    return emitOptionalError(loc, "expects operands of equal rank >= 3, got ",
                             lhs.getRank(), " and ", rhs.getRank());
  MatmulOp::Adaptor matmul(adaptor.getOperands());
  return MatmulOp::inferReturnTypes(ctx, loc, matmul, inferred);
}

LogicalResult GemmOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                       Adaptor adaptor,
                                       InferredTypes &inferred) {
  RankedTensorType a = rankedType(adaptor.getA());
  RankedTensorType b = rankedType(adaptor.getB());
  if (!a || !b)
    return failure();
  if (a.getRank() != 2 || b.getRank() != 2)
    return emitOptionalError(loc, "expects 2-D A and B, got ranks ",
                             a.getRank(), " and ", b.getRank());
  if (a.getElementType() != b.getElementType())
    return emitOptionalError(loc, "A and B element types differ");
  int64_t m = a.getDimSize(adaptor.getTransA() ? 1 : 0);
  int64_t k1 = a.getDimSize(adaptor.getTransA() ? 0 : 1);
  int64_t k2 = b.getDimSize(adaptor.getTransB() ? 1 : 0);
  int64_t n = b.getDimSize(adaptor.getTransB() ? 0 : 1);
  if (k1 != kDynamicDim && k2 != kDynamicDim && k1 != k2)
    return emitOptionalError(loc, "inner dimensions differ: ", k1, " vs ", k2);
  SmallVector<int64_t> shape = {m, n};
  if (RankedTensorType c = rankedType(adaptor.getC())) {
    if (c.getElementType() != a.getElementType())
      return emitOptionalError(loc, "C element type differs from A's");
    // C broadcasts one way: each of its dims is 1, equal, or unknown.
    auto broadcast = broadcastShapes(c.getShape(), shape);
    bool fits = c.getRank() <= 2 && broadcast &&
                llvm::all_of(llvm::zip_equal(*broadcast, shape), [](auto pair) {
                  auto [got, want] = pair;
                  return want == kDynamicDim || got == want;
                });
    if (!fits)
      return emitOptionalError(loc, "C of shape ", formatShape(c.getShape()),
                               " does not broadcast to ", formatShape(shape));
  }
  inferred.push_back(RankedTensorType::get(shape, a.getElementType()));
  return success();
}

LogicalResult LinearOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                         Adaptor adaptor,
                                         InferredTypes &inferred) {
  RankedTensorType input = rankedType(adaptor.getInput());
  RankedTensorType weight = rankedType(adaptor.getWeight());
  if (!input || !weight)
    return failure();
  if (input.getRank() < 1 || weight.getRank() != 2)
    return emitOptionalError(loc,
                             "expects input of rank >= 1 and a 2-D weight");
  if (input.getElementType() != weight.getElementType())
    return emitOptionalError(loc, "input and weight element types differ");
  int64_t k = input.getShape().back(), wk = weight.getDimSize(1);
  if (k != kDynamicDim && wk != kDynamicDim && k != wk)
    return emitOptionalError(loc, "input features ", k,
                             " do not match weight features ", wk);
  int64_t n = weight.getDimSize(0);
  if (Value bias = adaptor.getBias())
    if (failed(checkChannelParam(loc, "bias", bias, n, input.getElementType())))
      return failure();
  SmallVector<int64_t> shape(input.getShape().drop_back());
  shape.push_back(n);
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                            Adaptor adaptor,
                                            InferredTypes &inferred) {
  RankedTensorType input = rankedType(adaptor.getInput());
  if (!input)
    return failure();
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= input.getRank())
    return emitOptionalError(loc, "axis ", axis, " is out of range for rank ",
                             input.getRank());
  if (!isValidEpsilon(adaptor.getEpsilon()))
    return emitOptionalError(loc, "'epsilon' must be a non-negative number");
  ArrayRef<int64_t> normalized = input.getShape().drop_front(axis);
  for (auto [name, param] :
       {std::pair<StringRef, Value>{"scale", adaptor.getScale()},
        {"bias", adaptor.getBias()}}) {
    RankedTensorType type = rankedType(param);
    if (!type)
      continue;
    if (type.getElementType() != input.getElementType() ||
        type.getShape() != normalized)
      return emitOptionalError(loc, "'", name, "' must have shape ",
                               formatShape(normalized), " and element type ",
                               input.getElementType());
  }
  inferred.push_back(input);
  return success();
}

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                            Adaptor adaptor,
                                            InferredTypes &inferred) {
  RankedTensorType input = rankedType(adaptor.getInput());
  if (!input)
    return failure();
  if (input.getRank() < 2)
    return emitOptionalError(loc, "expects an N x C x ... input of rank >= 2");
  if (!isValidEpsilon(adaptor.getEpsilon()))
    return emitOptionalError(loc, "'epsilon' must be a non-negative number");
  int64_t channels = input.getDimSize(1);
  for (auto [name, param] :
       {std::pair<StringRef, Value>{"scale", adaptor.getScale()},
        {"bias", adaptor.getBias()},
        {"mean", adaptor.getMean()},
        {"variance", adaptor.getVariance()}})
    if (failed(checkChannelParam(loc, name, param, channels,
                                 input.getElementType())))
      return failure();
  inferred.push_back(input);
  return success();
}

LogicalResult MaxPool2DOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                            Adaptor adaptor,
                                            InferredTypes &inferred) {
  return inferPool2DType(loc, adaptor.getInput(), adaptor.getKernelShape(),
                         adaptor.getStrides(), adaptor.getPads(),
                         adaptor.getDilations(), adaptor.getCeilMode(),
                         inferred);
}

LogicalResult AvgPool2DOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                            Adaptor adaptor,
                                            InferredTypes &inferred) {
  const int64_t unitDilations[] = {1, 1};
  return inferPool2DType(loc, adaptor.getInput(), adaptor.getKernelShape(),
                         adaptor.getStrides(), adaptor.getPads(), unitDilations,
                         adaptor.getCeilMode(), inferred);
}

LogicalResult GlobalAvgPoolOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                                Adaptor adaptor,
                                                InferredTypes &inferred) {
  RankedTensorType input = rankedType(adaptor.getInput());
  if (!input)
    return failure();
  if (input.getRank() < 3)
    return emitOptionalError(loc,
                             "expects an N x C x D1 x ... input of rank "
                             ">= 3, got rank ",
                             input.getRank());
  SmallVector<int64_t> shape(input.getShape().take_front(2));
  shape.append(input.getRank() - 2, 1);
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult kiln::nn::inferReduceType(OptLoc loc, Value input,
                                        ArrayRef<int64_t> axes, bool keepDims,
                                        InferredTypes &inferred) {
  return inferReduceTypeImpl(loc, input, axes, keepDims, inferred);
}

//===----------------------------------------------------------------------===//
// Constants and data movement
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                           Adaptor adaptor,
                                           InferredTypes &inferred) {
  auto value = dyn_cast_if_present<ElementsAttr>(adaptor.getValueAttr());
  if (!value)
    return failure();
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type)
    return emitOptionalError(loc, "value must be a ranked tensor");
  inferred.push_back(type);
  return success();
}

LogicalResult FlattenOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                          Adaptor adaptor,
                                          InferredTypes &inferred) {
  RankedTensorType input = rankedType(adaptor.getInput());
  if (!input)
    return failure();
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis > input.getRank())
    return emitOptionalError(loc, "axis ", axis, " is out of range [0, ",
                             input.getRank(), "]");
  std::optional<int64_t> outer =
      productOfDims(input.getShape().take_front(axis));
  std::optional<int64_t> inner =
      productOfDims(input.getShape().drop_front(axis));
  if (!outer || !inner)
    return emitOptionalError(loc, "flattened size overflows int64");
  inferred.push_back(
      RankedTensorType::get({*outer, *inner}, input.getElementType()));
  return success();
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                            Adaptor adaptor,
                                            InferredTypes &inferred) {
  RankedTensorType input = rankedType(adaptor.getInput());
  if (!input)
    return failure();
  ArrayRef<int64_t> perm = adaptor.getPerm();
  if (static_cast<int64_t>(perm.size()) != input.getRank() ||
      !isPermutation(perm))
    return emitOptionalError(loc, "'perm' must be a permutation of the ",
                             input.getRank(), " input dimensions");
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(input.getDimSize(p));
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                         Adaptor adaptor,
                                         InferredTypes &inferred) {
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return emitOptionalError(loc, "expects at least one input");
  RankedTensorType first = rankedType(inputs.front());
  if (!first)
    return failure();
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= first.getRank())
    return emitOptionalError(loc, "axis ", axis, " is out of range for rank ",
                             first.getRank());
  SmallVector<int64_t> shape(first.getShape());
  for (auto [index, input] : llvm::enumerate(inputs.drop_front())) {
    RankedTensorType type = rankedType(input);
    if (!type)
      return failure();
    if (type.getElementType() != first.getElementType() ||
        type.getRank() != first.getRank())
      return emitOptionalError(loc, "inputs must share rank and element type");
    for (int64_t d = 0; d < first.getRank(); ++d) {
      int64_t size = type.getDimSize(d);
      if (d == axis) {
        std::optional<int64_t> sum = llvm::checkedAdd(shape[d], size);
        if (shape[d] == kDynamicDim || size == kDynamicDim)
          shape[d] = kDynamicDim;
        else if (!sum)
          return emitOptionalError(loc, "concatenated size overflows int64");
        else
          shape[d] = *sum;
        continue;
      }
      if (shape[d] == kDynamicDim)
        shape[d] = size;
      else if (size != kDynamicDim && size != shape[d])
        return emitOptionalError(loc, "input #", index + 1, " has size ", size,
                                 " in dimension ", d,
                                 " but earlier inputs have ", shape[d],
                                 " (only axis ", axis, " may differ)");
    }
  }
  inferred.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                        Adaptor adaptor,
                                        InferredTypes &inferred) {
  RankedTensorType input = rankedType(adaptor.getInput());
  if (!input)
    return failure();
  ArrayRef<int64_t> starts = adaptor.getStarts(), ends = adaptor.getEnds(),
                    steps = adaptor.getSteps();
  int64_t rank = input.getRank();
  if (static_cast<int64_t>(starts.size()) != rank ||
      static_cast<int64_t>(ends.size()) != rank ||
      static_cast<int64_t>(steps.size()) != rank)
    return emitOptionalError(loc,
                             "'starts', 'ends' and 'steps' need one entry "
                             "per dimension (",
                             rank, ")");
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t dim = input.getDimSize(d), start = starts[d], end = ends[d],
            step = steps[d];
    if (step == 0)
      return emitOptionalError(loc, "step of dimension ", d, " is zero");
    bool inBounds =
        step > 0
            ? (0 <= start && start <= end && (dim == kDynamicDim || end <= dim))
            : (-1 <= end && end <= start &&
               (dim == kDynamicDim ? start >= 0 : start < dim));
    if (!inBounds)
      return emitOptionalError(loc, "slice [", start, ":", end, ":", step,
                               "] of dimension ", d, " (size ",
                               dim == kDynamicDim ? std::string("?")
                                                  : std::to_string(dim),
                               ") is not normalized");
    shape.push_back(sliceOutputSize(start, end, step));
  }
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                      Adaptor adaptor,
                                      InferredTypes &inferred) {
  RankedTensorType input = rankedType(adaptor.getInput());
  if (!input)
    return failure();
  int64_t rank = input.getRank();
  ArrayRef<int64_t> pads = adaptor.getPads();
  if (failed(checkWindowAttr(loc, "pads", pads, 2 * rank, 0)))
    return failure();
  bool reflect = adaptor.getMode() == PadMode::Reflect;
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t dim = input.getDimSize(d);
    if (reflect && dim != kDynamicDim &&
        (pads[d] >= dim || pads[rank + d] >= dim))
      return emitOptionalError(loc, "reflect padding of dimension ", d,
                               " must be smaller than its size ", dim);
    if (dim == kDynamicDim) {
      shape.push_back(kDynamicDim);
      continue;
    }
    std::optional<int64_t> size = llvm::checkedAdd(dim, pads[d]);
    if (size)
      size = llvm::checkedAdd(*size, pads[rank + d]);
    if (!size)
      return emitOptionalError(loc, "padded size of dimension ", d,
                               " overflows int64");
    shape.push_back(*size);
  }
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                         Adaptor adaptor,
                                         InferredTypes &inferred) {
  RankedTensorType data = rankedType(adaptor.getData());
  RankedTensorType indices = rankedType(adaptor.getIndices());
  if (!data || !indices)
    return failure();
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= data.getRank())
    return emitOptionalError(loc, "axis ", axis, " is out of range for rank ",
                             data.getRank());
  SmallVector<int64_t> shape(data.getShape().take_front(axis));
  llvm::append_range(shape, indices.getShape());
  llvm::append_range(shape, data.getShape().drop_front(axis + 1));
  inferred.push_back(RankedTensorType::get(shape, data.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Further reductions: reduce_min, reduce_prod, argmax, argmin
//===----------------------------------------------------------------------===//

/// Infers the i64 index tensor of argmax / argmin over `axis`.
LogicalResult kiln::nn::inferArgReduceType(OptLoc loc, Value input,
                                           int64_t axis, bool keepDims,
                                           InferredTypes &inferred) {
  RankedTensorType type = rankedType(input);
  if (!type)
    return failure();
  if (axis < 0 || axis >= type.getRank())
    return emitOptionalError(loc, "axis ", axis, " is out of range for rank ",
                             type.getRank());
  if (type.getDimSize(axis) == 0)
    return emitOptionalError(loc, "the reduced dimension ", axis,
                             " must not be empty");
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (d != axis)
      shape.push_back(type.getDimSize(d));
    else if (keepDims)
      shape.push_back(1);
  }
  inferred.push_back(
      RankedTensorType::get(shape, IntegerType::get(type.getContext(), 64)));
  return success();
}

LogicalResult GatherElementsOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                                 Adaptor adaptor,
                                                 InferredTypes &inferred) {
  RankedTensorType data = rankedType(adaptor.getData());
  RankedTensorType indices = rankedType(adaptor.getIndices());
  if (!data || !indices)
    return failure();
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= data.getRank())
    return emitOptionalError(loc, "axis ", axis, " is out of range for rank ",
                             data.getRank());
  if (indices.getRank() != data.getRank())
    return emitOptionalError(loc, "indices of rank ", indices.getRank(),
                             " do not match data of rank ", data.getRank());
  if (data.getDimSize(axis) == 0 && indices.getNumElements() != 0)
    return emitOptionalError(loc, "cannot gather from an empty axis ", axis);
  inferred.push_back(
      RankedTensorType::get(indices.getShape(), data.getElementType()));
  return success();
}
