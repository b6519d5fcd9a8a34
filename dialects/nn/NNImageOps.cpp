//===- NNImageOps.cpp - verification of the image resampling ops ----------===//
//
// nn.resize takes its result type from the importer (output sizes and
// scales are separate facts in ONNX), so it checks here that the two agree
// in rank and element type, that every scale is a positive number, and that
// dynamic dimensions are only ones the resize leaves unchanged.
//
//===----------------------------------------------------------------------===//

#include "kiln/dialects/nn/NNOps.h"

#include <cmath>

using namespace mlir;
using namespace kiln::nn;

/// Returns true for the coordinate modes that map coordinate `x` to `x`
/// when the scale is 1 and the sizes are equal.
static bool keepsCoordinatesAtUnitScale(CoordinateMode mode) {
  return mode != CoordinateMode::TfHalfPixelForNN &&
         mode != CoordinateMode::TfCropAndResize;
}

bool ResizeOp::isIdentityDim(int64_t dim) {
  return getScales()[dim] == 1.0 &&
         getInput().getType().getDimSize(dim) ==
             getOutput().getType().getDimSize(dim) &&
         keepsCoordinatesAtUnitScale(getCoordinateTransformationMode());
}

LogicalResult ResizeOp::verify() {
  RankedTensorType input = getInput().getType(), output = getOutput().getType();
  int64_t rank = input.getRank();
  if (output.getRank() != rank ||
      output.getElementType() != input.getElementType())
    return emitOpError("result type ")
           << output << " must have the rank and element type of " << input;
  ArrayRef<double> scales = getScales();
  if (static_cast<int64_t>(scales.size()) != rank)
    return emitOpError("expects one scale per dimension, got ")
           << scales.size() << " for rank " << rank;
  for (auto [dim, scale] : llvm::enumerate(scales))
    if (!(scale > 0.0) || !std::isfinite(scale))
      return emitOpError("scale of dimension ")
             << dim << " must be a positive number, got " << scale;
  for (int64_t dim = 0; dim < rank; ++dim) {
    int64_t inSize = input.getDimSize(dim), outSize = output.getDimSize(dim);
    if (ShapedType::isDynamic(inSize) || ShapedType::isDynamic(outSize)) {
      if (!isIdentityDim(dim))
        return emitOpError("dynamic dimension ")
               << dim
               << " must be dynamic in input and result, with scale 1 and a "
                  "coordinate mode that keeps it unchanged";
      continue;
    }
    if (inSize == 0 && outSize != 0)
      return emitOpError("cannot resize empty dimension ")
             << dim << " to size " << outSize;
  }
  if (getMode() != ResizeMode::Nearest &&
      !isa<FloatType>(input.getElementType()))
    return emitOpError("mode '")
           << stringifyResizeMode(getMode())
           << "' needs a floating-point element type, got "
           << input.getElementType();
  bool crop =
      getCoordinateTransformationMode() == CoordinateMode::TfCropAndResize;
  std::optional<ArrayRef<double>> roi = getRoi();
  if (crop != roi.has_value())
    return emitOpError("'roi' is required with tf_crop_and_resize and only "
                       "with it");
  if (roi && static_cast<int64_t>(roi->size()) != 2 * rank)
    return emitOpError("'roi' must have ")
           << 2 * rank << " entries (starts, then ends), got " << roi->size();
  return success();
}
