//===- NNWindowTypes.cpp - result types of 3-D and transposed windows -----===//
//
// `inferReturnTypes` for nn.conv3d, nn.max_pool3d, nn.avg_pool3d and
// nn.conv_transpose. As in NNTypeInference.cpp each function doubles as the
// op's shape verifier; the checks are written for any number of spatial
// dimensions so the 3-D ops and the 1-D to 3-D transposed convolution share
// them.
//
//===----------------------------------------------------------------------===//

#include "TypeInferenceUtils.h"
#include "kiln/dialects/nn/NNOps.h"
#include "kiln/dialects/nn/ShapeInference.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <limits>

using namespace mlir;
using namespace kiln::nn;
using namespace kiln::nn::detail;

namespace {
/// Checks the optional per-output-channel bias.
LogicalResult checkBias(OptLoc loc, Value bias, int64_t channels,
                        Type elementType) {
  if (!bias)
    return success();
  RankedTensorType type = rankedType(bias);
  if (!type || type.getRank() != 1)
    return emitOptionalError(loc, "'bias' must be 1-D");
  if (type.getElementType() != elementType)
    return emitOptionalError(loc, "'bias' element type ", type.getElementType(),
                             " does not match the input's ", elementType);
  int64_t size = type.getDimSize(0);
  if (size != kDynamicDim && channels != kDynamicDim && size != channels)
    return emitOptionalError(loc, "'bias' has ", size,
                             " entries but there are ", channels,
                             " output channels");
  return success();
}

/// Infers the type of a sliding-window op (pooling when `weight` is null,
/// convolution otherwise) over `spatial` dimensions.
LogicalResult inferWindowType(OptLoc loc, int64_t spatial, Value inputValue,
                              Value weightValue, Value bias,
                              ArrayRef<int64_t> kernelAttr,
                              ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                              ArrayRef<int64_t> dilations, int64_t groups,
                              bool ceilMode, InferredTypes &inferred) {
  RankedTensorType input = rankedType(inputValue);
  if (!input)
    return failure();
  if (input.getRank() != spatial + 2)
    return emitOptionalError(loc, "expects an input of rank ", spatial + 2,
                             ", got rank ", input.getRank());
  if (failed(checkWindowAttr(loc, "strides", strides, spatial, 1)) ||
      failed(checkWindowAttr(loc, "pads", pads, 2 * spatial, 0)) ||
      failed(checkWindowAttr(loc, "dilations", dilations, spatial, 1)))
    return failure();
  SmallVector<int64_t> shape = {input.getDimSize(0), input.getDimSize(1)};
  SmallVector<int64_t> kernel(kernelAttr);
  if (weightValue) {
    RankedTensorType weight = rankedType(weightValue);
    if (!weight)
      return failure();
    if (weight.getRank() != spatial + 2)
      return emitOptionalError(loc, "expects a weight of rank ", spatial + 2,
                               ", got rank ", weight.getRank());
    if (weight.getElementType() != input.getElementType())
      return emitOptionalError(loc, "input and weight element types differ");
    if (groups < 1)
      return emitOptionalError(loc, "'groups' must be >= 1, got ", groups);
    int64_t channels = input.getDimSize(1), perGroup = weight.getDimSize(1);
    if (channels != kDynamicDim && perGroup != kDynamicDim &&
        channels != perGroup * groups)
      return emitOptionalError(loc, "input has ", channels,
                               " channels but weight expects ", perGroup,
                               " per group x ", groups, " groups");
    shape[1] = weight.getDimSize(0);
    if (shape[1] != kDynamicDim && shape[1] % groups != 0)
      return emitOptionalError(loc, "weight output channels ", shape[1],
                               " are not divisible by ", groups, " groups");
    if (failed(checkBias(loc, bias, shape[1], input.getElementType())))
      return failure();
    kernel.assign(weight.getShape().begin() + 2, weight.getShape().end());
  } else if (failed(checkWindowAttr(loc, "kernel_shape", kernel, spatial, 1))) {
    return failure();
  }
  for (int64_t i = 0; i < spatial; ++i) {
    if (kernel[i] == kDynamicDim) {
      shape.push_back(kDynamicDim);
      continue;
    }
    if (kernel[i] < 1)
      return emitOptionalError(loc, "kernel sizes must be >= 1, got ",
                               kernel[i]);
    std::optional<int64_t> size = slidingWindowOutputSize(
        input.getDimSize(2 + i), kernel[i], strides[i], dilations[i], pads[i],
        pads[spatial + i], ceilMode);
    if (!size)
      return emitOptionalError(loc, "window size overflows int64");
    if (*size != kDynamicDim && *size <= 0)
      return emitOptionalError(loc,
                               "the window does not fit the padded "
                               "input along spatial dimension ",
                               i);
    shape.push_back(*size);
  }
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}
} // namespace

LogicalResult Conv3DOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                         Adaptor adaptor,
                                         InferredTypes &inferred) {
  return inferWindowType(loc, 3, adaptor.getInput(), adaptor.getWeight(),
                         adaptor.getBias(), {}, adaptor.getStrides(),
                         adaptor.getPads(), adaptor.getDilations(),
                         adaptor.getGroups(), /*ceilMode=*/false, inferred);
}

LogicalResult MaxPool3DOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                            Adaptor adaptor,
                                            InferredTypes &inferred) {
  return inferWindowType(loc, 3, adaptor.getInput(), Value(), Value(),
                         adaptor.getKernelShape(), adaptor.getStrides(),
                         adaptor.getPads(), adaptor.getDilations(), 1,
                         adaptor.getCeilMode(), inferred);
}

LogicalResult AvgPool3DOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                            Adaptor adaptor,
                                            InferredTypes &inferred) {
  const int64_t unitDilations[] = {1, 1, 1};
  return inferWindowType(loc, 3, adaptor.getInput(), Value(), Value(),
                         adaptor.getKernelShape(), adaptor.getStrides(),
                         adaptor.getPads(), unitDilations, 1,
                         adaptor.getCeilMode(), inferred);
}

LogicalResult ConvTransposeOp::inferReturnTypes(MLIRContext *, OptLoc loc,
                                                Adaptor adaptor,
                                                InferredTypes &inferred) {
  RankedTensorType input = rankedType(adaptor.getInput());
  RankedTensorType weight = rankedType(adaptor.getWeight());
  if (!input || !weight)
    return failure();
  int64_t rank = input.getRank();
  if (rank < 3 || rank > 5)
    return emitOptionalError(loc,
                             "expects an input with 1 to 3 spatial "
                             "dimensions, got rank ",
                             rank);
  if (weight.getRank() != rank)
    return emitOptionalError(loc, "expects a weight of rank ", rank,
                             ", got rank ", weight.getRank());
  if (weight.getElementType() != input.getElementType())
    return emitOptionalError(loc, "input and weight element types differ");
  int64_t spatial = rank - 2;
  ArrayRef<int64_t> strides = adaptor.getStrides(), pads = adaptor.getPads(),
                    dilations = adaptor.getDilations(),
                    outputPadding = adaptor.getOutputPadding();
  if (failed(checkWindowAttr(loc, "strides", strides, spatial, 1)) ||
      failed(checkWindowAttr(loc, "pads", pads, 2 * spatial,
                             std::numeric_limits<int64_t>::min())) ||
      failed(checkWindowAttr(loc, "dilations", dilations, spatial, 1)) ||
      failed(checkWindowAttr(loc, "output_padding", outputPadding, spatial, 0)))
    return failure();
  int64_t groups = adaptor.getGroups();
  if (groups < 1)
    return emitOptionalError(loc, "'groups' must be >= 1, got ", groups);
  int64_t channels = input.getDimSize(1), weightChannels = weight.getDimSize(0);
  if (channels != kDynamicDim && weightChannels != kDynamicDim &&
      channels != weightChannels)
    return emitOptionalError(loc, "input has ", channels,
                             " channels but weight has ", weightChannels);
  if (channels != kDynamicDim && channels % groups != 0)
    return emitOptionalError(loc, "input channels ", channels,
                             " are not divisible by ", groups, " groups");
  int64_t outChannels = weight.getDimSize(1);
  if (outChannels != kDynamicDim)
    outChannels *= groups;
  if (failed(checkBias(loc, adaptor.getBias(), outChannels,
                       input.getElementType())))
    return failure();
  SmallVector<int64_t> shape = {input.getDimSize(0), outChannels};
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t in = input.getDimSize(2 + i), kernel = weight.getDimSize(2 + i);
    if (kernel != kDynamicDim && kernel < 1)
      return emitOptionalError(loc, "kernel sizes must be >= 1, got ", kernel);
    if (in == kDynamicDim || kernel == kDynamicDim) {
      shape.push_back(kDynamicDim);
      continue;
    }
    // stride * (in - 1) + output_padding + dilation * (K - 1) + 1 - pads.
    std::optional<int64_t> full =
        llvm::checkedMulAdd(strides[i], in - 1, outputPadding[i]);
    std::optional<int64_t> span =
        llvm::checkedMulAdd(dilations[i], kernel - 1, int64_t(1));
    if (full && span)
      full = llvm::checkedAdd(*full, *span);
    if (full)
      full = llvm::checkedSub(*full, pads[i]);
    if (full)
      full = llvm::checkedSub(*full, pads[spatial + i]);
    if (!full)
      return emitOptionalError(loc, "output size overflows int64");
    int64_t size = *full;
    if (size <= 0)
      return emitOptionalError(loc,
                               "'pads' remove the whole output along "
                               "spatial dimension ",
                               i);
    shape.push_back(size);
  }
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}
