//===- ResizeOps.cpp - ONNX Resize and Upsample to nn ---------------------===//
//
// Converters for the resampling ops: Resize (opsets 10 to 13, and later
// opsets without their additions) and Upsample (opsets 7 and 9), all to
// `nn.resize`. Scales, sizes and the region of interest must be known at
// import time: they fix the output shape and the op's attributes. Opset 10
// Resize and Upsample have no coordinate attributes; they sample
// asymmetrically (`x / scale`) and, in nearest mode, round down, which is
// what every definition of them agrees on for upsampling; the cases where
// runtimes disagree (nearest downsampling, linear output sizes that are not
// a whole multiple) are rejected rather than guessed.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"

#include "kiln/dialects/nn/NNOps.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mlir;
using namespace kiln;
using namespace kiln::onnximport;

namespace {

/// What a Resize or Upsample node asks for, normalized across opsets.
struct ResizeRequest {
  nn::ResizeMode mode = nn::ResizeMode::Nearest;
  nn::CoordinateMode coordinates = nn::CoordinateMode::HalfPixel;
  nn::NearestMode nearest = nn::NearestMode::RoundPreferFloor;
  double cubicCoeffA = -0.75;
  bool excludeOutside = false;
  double extrapolationValue = 0.0;
  SmallVector<double> roi;
  SmallVector<double> scales;
  SmallVector<int64_t> sizes;
};

} // namespace

/// Formats a scale for an error message ("0.5", "1.25").
static std::string formatScale(double scale) {
  return llvm::formatv("{0}", scale).str();
}

/// Reads the `mode` attribute; `allowCubic` is false before opset 11.
static FailureOr<nn::ResizeMode> readMode(NodeContext &ctx, bool allowCubic) {
  FailureOr<std::string> name = ctx.getStringAttr("mode", "nearest");
  if (failed(name))
    return failure();
  std::optional<nn::ResizeMode> mode =
      llvm::StringSwitch<std::optional<nn::ResizeMode>>(*name)
          .Case("nearest", nn::ResizeMode::Nearest)
          .Case("linear", nn::ResizeMode::Linear)
          .Case("cubic", allowCubic ? std::optional(nn::ResizeMode::Cubic)
                                    : std::nullopt)
          .Default(std::nullopt);
  if (!mode)
    return ctx.fail("mode '" + *name + "' is not supported");
  return *mode;
}

/// Returns the values of optional input `index`, empty when it is absent.
static FailureOr<SmallVector<double>>
readOptionalFloats(NodeContext &ctx, unsigned index, StringRef what) {
  if (!ctx.hasInput(index))
    return SmallVector<double>();
  return ctx.getConstantFloats(index, what);
}

/// Reads the attributes and inputs of Resize from opset 11 on.
static LogicalResult readResizeAttributes(NodeContext &ctx, int64_t rank,
                                          ResizeRequest &request) {
  // Opset 18 additions change the output size or the filter.
  FailureOr<int64_t> antialias = ctx.getIntAttr("antialias", 0);
  if (failed(antialias))
    return failure();
  if (*antialias != 0)
    return ctx.fail("'antialias' is not supported");
  if (ctx.findAttribute("axes"))
    return ctx.fail("the 'axes' attribute is not supported");
  FailureOr<std::string> policy =
      ctx.getStringAttr("keep_aspect_ratio_policy", "stretch");
  if (failed(policy))
    return failure();
  if (*policy != "stretch")
    return ctx.fail("keep_aspect_ratio_policy '" + *policy +
                    "' is not supported");

  FailureOr<nn::ResizeMode> mode = readMode(ctx, /*allowCubic=*/true);
  if (failed(mode))
    return failure();
  request.mode = *mode;
  FailureOr<std::string> coordinates =
      ctx.getStringAttr("coordinate_transformation_mode", "half_pixel");
  if (failed(coordinates))
    return failure();
  std::optional<nn::CoordinateMode> coordinateMode =
      nn::symbolizeCoordinateMode(*coordinates);
  if (!coordinateMode)
    return ctx.fail("coordinate_transformation_mode '" + *coordinates +
                    "' is not supported");
  request.coordinates = *coordinateMode;
  FailureOr<std::string> nearest =
      ctx.getStringAttr("nearest_mode", "round_prefer_floor");
  if (failed(nearest))
    return failure();
  std::optional<nn::NearestMode> nearestMode =
      nn::symbolizeNearestMode(*nearest);
  if (!nearestMode)
    return ctx.fail("nearest_mode '" + *nearest + "' is not supported");
  request.nearest = *nearestMode;
  FailureOr<double> cubicCoeffA = ctx.getFloatAttr("cubic_coeff_a", -0.75);
  FailureOr<int64_t> excludeOutside = ctx.getIntAttr("exclude_outside", 0);
  FailureOr<double> extrapolation =
      ctx.getFloatAttr("extrapolation_value", 0.0);
  if (failed(cubicCoeffA) || failed(excludeOutside) || failed(extrapolation))
    return failure();
  request.cubicCoeffA = *cubicCoeffA;
  request.excludeOutside = *excludeOutside != 0;
  request.extrapolationValue = *extrapolation;
  // The reference renormalizes the single nearest tap, which divides by
  // zero where that tap lies outside; no runtime agrees on that.
  if (request.excludeOutside && request.mode == nn::ResizeMode::Nearest)
    return ctx.fail("'exclude_outside' with mode 'nearest' is not supported");

  if (request.coordinates == nn::CoordinateMode::TfCropAndResize) {
    FailureOr<SmallVector<double>> roi =
        readOptionalFloats(ctx, 1, "the 'roi' input");
    if (failed(roi))
      return failure();
    if (static_cast<int64_t>(roi->size()) != 2 * rank)
      return ctx.fail("'roi' must have " + Twine(2 * rank) +
                      " entries for tf_crop_and_resize, got " +
                      Twine(roi->size()));
    request.roi = std::move(*roi);
  }
  FailureOr<SmallVector<double>> scales =
      readOptionalFloats(ctx, 2, "the 'scales' input");
  if (failed(scales))
    return failure();
  request.scales = std::move(*scales);
  if (ctx.hasInput(3)) {
    FailureOr<SmallVector<int64_t>> sizes =
        ctx.getConstantInts(3, "the 'sizes' input");
    if (failed(sizes))
      return failure();
    request.sizes = std::move(*sizes);
  }
  if (request.scales.empty() == request.sizes.empty())
    return ctx.fail("exactly one of 'scales' and 'sizes' must be given");
  return success();
}

/// Sets up the asymmetric sampling of Upsample and Resize-10 and rejects the
/// scales whose result runtimes disagree on.
static LogicalResult readLegacyScales(NodeContext &ctx,
                                      RankedTensorType inputType,
                                      ResizeRequest &request) {
  request.coordinates = nn::CoordinateMode::Asymmetric;
  if (request.mode == nn::ResizeMode::Nearest)
    request.nearest = nn::NearestMode::Floor;
  for (auto [dim, scale] : llvm::enumerate(request.scales)) {
    if (request.mode == nn::ResizeMode::Nearest && scale < 1.0)
      return ctx.fail("nearest downsampling (scale " + formatScale(scale) +
                      ") is not supported before opset 11");
    int64_t size = inputType.getDimSize(dim);
    if (request.mode == nn::ResizeMode::Linear &&
        !ShapedType::isDynamic(size) &&
        std::floor(scale * size) != scale * size)
      return ctx.fail("linear resizing to a fractional size (scale " +
                      formatScale(scale) + " of " + Twine(size) +
                      ") is not supported before opset 11");
  }
  return success();
}

/// Builds the nn.resize of a request, computing the output shape and the
/// per-dimension scales the coordinate mapping uses.
static LogicalResult emitResize(NodeContext &ctx, RankedTensorType inputType,
                                ResizeRequest &request) {
  int64_t rank = inputType.getRank();
  SmallVector<int64_t> outShape;
  if (!request.sizes.empty()) {
    if (static_cast<int64_t>(request.sizes.size()) != rank)
      return ctx.fail("'sizes' has " + Twine(request.sizes.size()) +
                      " entries for rank " + Twine(rank));
    for (auto [dim, size] : llvm::enumerate(request.sizes)) {
      int64_t inSize = inputType.getDimSize(dim);
      if (ShapedType::isDynamic(inSize) || inSize == 0)
        return ctx.fail("resizing by 'sizes' needs static, non-empty input "
                        "dimensions");
      if (size <= 0)
        return ctx.fail("'sizes' must be positive, got " + Twine(size));
      // As ONNX defines it: the scale is the ratio of the sizes.
      request.scales.push_back(static_cast<double>(size) /
                               static_cast<double>(inSize));
      outShape.push_back(size);
    }
  } else {
    if (static_cast<int64_t>(request.scales.size()) != rank)
      return ctx.fail("'scales' has " + Twine(request.scales.size()) +
                      " entries for rank " + Twine(rank));
    bool crop = request.coordinates == nn::CoordinateMode::TfCropAndResize;
    for (auto [dim, scale] : llvm::enumerate(request.scales)) {
      if (!(scale > 0.0) || !std::isfinite(scale))
        return ctx.fail("scales must be positive, got " + formatScale(scale));
      int64_t inSize = inputType.getDimSize(dim);
      if (ShapedType::isDynamic(inSize)) {
        if (scale != 1.0 || crop)
          return ctx.fail("dimension " + Twine(dim) +
                          " is dynamic and its scale is not 1");
        outShape.push_back(ShapedType::kDynamic);
        continue;
      }
      double extent = static_cast<double>(inSize) * scale;
      if (crop)
        extent *= request.roi[rank + dim] - request.roi[dim];
      double size = std::floor(extent);
      if (!(size >= 1.0) || size > static_cast<double>(INT64_MAX / 2))
        return ctx.fail("dimension " + Twine(dim) + " of size " +
                        Twine(inSize) + " scaled by " + formatScale(scale) +
                        " has no valid output size");
      outShape.push_back(static_cast<int64_t>(size));
    }
  }

  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  Builder &builder = ctx.getBuilder();
  MLIRContext *context = ctx.getContext();
  auto resultType = RankedTensorType::get(outShape, inputType.getElementType());
  DenseF64ArrayAttr roi = request.roi.empty()
                              ? DenseF64ArrayAttr()
                              : builder.getDenseF64ArrayAttr(request.roi);
  FailureOr<Value> result = ctx.createTyped<nn::ResizeOp>(
      resultType, *input, builder.getDenseF64ArrayAttr(request.scales),
      nn::ResizeModeAttr::get(context, request.mode),
      nn::CoordinateModeAttr::get(context, request.coordinates),
      nn::NearestModeAttr::get(context, request.nearest),
      builder.getF64FloatAttr(request.cubicCoeffA),
      builder.getBoolAttr(request.excludeOutside), roi,
      builder.getF64FloatAttr(request.extrapolationValue));
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Returns true for a float element type (linear and cubic need one).
static bool checkInterpolatedType(NodeContext &ctx, RankedTensorType type,
                                  nn::ResizeMode mode) {
  if (mode == nn::ResizeMode::Nearest || isa<FloatType>(type.getElementType()))
    return true;
  (void)ctx.fail("mode '" + nn::stringifyResizeMode(mode) +
                 "' on integer tensors is not supported");
  return false;
}

/// Converts Resize: scales as an input from opset 10, sizes, roi and the
/// coordinate attributes from opset 11.
static LogicalResult convertResize(NodeContext &ctx) {
  FailureOr<RankedTensorType> inputType = ctx.getInputType(0);
  if (failed(inputType))
    return failure();
  ResizeRequest request;
  if (ctx.getOpset() < 11) {
    FailureOr<nn::ResizeMode> mode = readMode(ctx, /*allowCubic=*/false);
    if (failed(mode))
      return failure();
    request.mode = *mode;
    FailureOr<SmallVector<double>> scales =
        ctx.getConstantFloats(1, "the 'scales' input");
    if (failed(scales))
      return failure();
    request.scales = std::move(*scales);
    if (static_cast<int64_t>(request.scales.size()) != inputType->getRank())
      return ctx.fail("'scales' has " + Twine(request.scales.size()) +
                      " entries for rank " + Twine(inputType->getRank()));
    if (failed(readLegacyScales(ctx, *inputType, request)))
      return failure();
  } else if (failed(readResizeAttributes(ctx, inputType->getRank(), request))) {
    return failure();
  }
  if (!checkInterpolatedType(ctx, *inputType, request.mode))
    return failure();
  return emitResize(ctx, *inputType, request);
}

/// Converts Upsample: scales as an attribute in opset 7, as an input from
/// opset 9 (earlier opsets are rejected in LegacyOps.cpp).
static LogicalResult convertUpsample(NodeContext &ctx) {
  FailureOr<RankedTensorType> inputType = ctx.getInputType(0);
  if (failed(inputType))
    return failure();
  ResizeRequest request;
  FailureOr<nn::ResizeMode> mode = readMode(ctx, /*allowCubic=*/false);
  if (failed(mode))
    return failure();
  request.mode = *mode;
  if (ctx.getOpset() < 9) {
    const onnx::AttributeProto *scales = ctx.findAttribute("scales");
    if (!scales || scales->type() != onnx::AttributeProto::FLOATS)
      return ctx.fail("attribute 'scales' (floats) is required");
    request.scales.assign(scales->floats().begin(), scales->floats().end());
  } else {
    FailureOr<SmallVector<double>> scales =
        ctx.getConstantFloats(1, "the 'scales' input");
    if (failed(scales))
      return failure();
    request.scales = std::move(*scales);
  }
  if (static_cast<int64_t>(request.scales.size()) != inputType->getRank())
    return ctx.fail("'scales' has " + Twine(request.scales.size()) +
                    " entries for rank " + Twine(inputType->getRank()));
  if (failed(readLegacyScales(ctx, *inputType, request)))
    return failure();
  if (!checkInterpolatedType(ctx, *inputType, request.mode))
    return failure();
  return emitResize(ctx, *inputType, request);
}

void kiln::onnximport::addResizeConverters(ConverterRegistry &registry) {
  registry["Resize"] = convertResize;
  registry["Upsample"] = convertUpsample;
}
