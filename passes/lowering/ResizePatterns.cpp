//===- ResizePatterns.cpp - nn.resize to linalg ---------------------------===//
//
// Lowers nn.resize to one linalg.generic over the output. The sampling
// positions along a resized dimension depend only on the output coordinate
// along it, and every size and scale is static, so the pattern computes,
// per resized dimension, a table of input indices (already clamped to the
// border) and interpolation weights for each output coordinate, in double
// precision and with the exact rules of ONNX's reference implementation
// (which neighbours a coordinate takes, how a tie rounds in nearest mode,
// how `exclude_outside` renormalizes). The tables become constant inputs
// of the generic, indexed by that dimension's loop; the body gathers the
// input elements with tensor.extract and sums them times the products of
// their weights in f64. Nearest mode gathers one element and needs no
// arithmetic, so it works on integer tensors too. Dimensions the resize
// leaves unchanged read the input at the output's own index.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "PopulatePatterns.h"

#include "kiln/dialects/nn/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

using namespace mlir;
using namespace kiln;
using namespace kiln::lowering;

namespace {

/// The sampling of one resized dimension: for each output coordinate `x`,
/// `taps` input indices and weights (row-major, `x * taps + t`), and in
/// tf_crop_and_resize mode whether `x` maps outside the input.
struct AxisSampling {
  int64_t dim = 0;
  int64_t taps = 1;
  SmallVector<int64_t> indices;
  SmallVector<double> weights;
  SmallVector<bool> outside;
};

} // namespace

/// Maps output coordinate `x` of a dimension of `inSize` elements to an
/// input coordinate, in the reference's order of operations.
static double mapCoordinate(nn::CoordinateMode mode, int64_t x, double scale,
                            int64_t inSize, double roiStart, double roiEnd) {
  // The reference's resized length: the scaled size, not the floored one.
  double resized = scale * static_cast<double>(inSize);
  double xd = static_cast<double>(x), lastIn = static_cast<double>(inSize - 1);
  switch (mode) {
  case nn::CoordinateMode::HalfPixel:
    return (xd + 0.5) / scale - 0.5;
  case nn::CoordinateMode::PytorchHalfPixel:
    return resized == 1.0 ? -0.5 : (xd + 0.5) / scale - 0.5;
  case nn::CoordinateMode::AlignCorners:
    return resized == 1.0 ? 0.0 : xd * lastIn / (resized - 1.0);
  case nn::CoordinateMode::Asymmetric:
    return xd / scale;
  case nn::CoordinateMode::TfHalfPixelForNN:
    return (xd + 0.5) / scale;
  case nn::CoordinateMode::TfCropAndResize: {
    double offset = roiStart * lastIn;
    if (resized == 1.0)
      return (roiEnd - roiStart) * lastIn / 2.0 + offset;
    return xd * (roiEnd - roiStart) * lastIn / (resized - 1.0) + offset;
  }
  }
  llvm_unreachable("unknown coordinate mode");
}

/// Returns the weights of the neighbours of a coordinate that lies `ratio`
/// (in (0, 1]) past the lower of its two middle neighbours: the reference's
/// nearest (a 0/1 choice of the two), linear and cubic (Keys, parameter
/// `a`, over four) kernels.
static SmallVector<double> getKernelWeights(nn::ResizeOp op, double ratio) {
  switch (op.getMode()) {
  case nn::ResizeMode::Nearest: {
    bool right = false;
    if (ratio == 1.0)
      right = true;
    else if (op.getNearestMode() == nn::NearestMode::RoundPreferFloor)
      right = ratio > 0.5;
    else if (op.getNearestMode() == nn::NearestMode::RoundPreferCeil)
      right = ratio >= 0.5;
    else
      right = op.getNearestMode() == nn::NearestMode::Ceil;
    return {right ? 0.0 : 1.0, right ? 1.0 : 0.0};
  }
  case nn::ResizeMode::Linear:
    return {1.0 - ratio, ratio};
  case nn::ResizeMode::Cubic: {
    double a = op.getCubicCoeffA().convertToDouble();
    double r = ratio, s = 1.0 - ratio;
    return {((a * (r + 1) - 5 * a) * (r + 1) + 8 * a) * (r + 1) - 4 * a,
            ((a + 2) * r - (a + 3)) * r * r + 1,
            ((a + 2) * s - (a + 3)) * s * s + 1,
            ((a * (s + 1) - 5 * a) * (s + 1) + 8 * a) * (s + 1) - 4 * a};
  }
  }
  llvm_unreachable("unknown resize mode");
}

/// Largest sampling table (output size times taps) the pattern builds.
constexpr int64_t kMaxTableEntries = int64_t(1) << 24;

/// Computes the sampling table of resized dimension `dim`; fails when a
/// coordinate is not finite (a scale so small that `x / scale` overflows).
static FailureOr<AxisSampling> computeAxisSampling(nn::ResizeOp op,
                                                   int64_t dim) {
  int64_t rank = op.getInput().getType().getRank();
  int64_t inSize = op.getInput().getType().getDimSize(dim);
  int64_t outSize = op.getOutput().getType().getDimSize(dim);
  double scale = op.getScales()[dim];
  nn::CoordinateMode coordinates = op.getCoordinateTransformationMode();
  double roiStart = 0.0, roiEnd = 1.0;
  if (std::optional<ArrayRef<double>> roi = op.getRoi()) {
    roiStart = (*roi)[dim];
    roiEnd = (*roi)[rank + dim];
  }
  bool nearest = op.getMode() == nn::ResizeMode::Nearest;
  int64_t window = op.getMode() == nn::ResizeMode::Cubic ? 4 : 2;
  // The reference pads the input by half a window on each side (repeating
  // the border) and takes the `window` padded positions nearest to the
  // coordinate, preferring lower ones.
  int64_t pad = window / 2;

  AxisSampling sampling;
  sampling.dim = dim;
  sampling.taps = nearest ? 1 : window;
  for (int64_t x = 0; x < outSize; ++x) {
    double source =
        mapCoordinate(coordinates, x, scale, inSize, roiStart, roiEnd);
    if (coordinates == nn::CoordinateMode::TfCropAndResize)
      sampling.outside.push_back(source < 0.0 ||
                                 source > static_cast<double>(inSize - 1));
    if (!std::isfinite(source))
      return failure();
    double base = std::floor(source);
    double ratio = source - base;
    // A whole coordinate is the right neighbour of the pair below it.
    if (ratio == 0.0) {
      base -= 1.0;
      ratio = 1.0;
    }
    // Clamped as a double first, so that a far coordinate cannot overflow.
    double first = std::clamp(
        base - static_cast<double>(window / 2 - 1), static_cast<double>(-pad),
        static_cast<double>(inSize - 1 + pad - (window - 1)));
    int64_t start = static_cast<int64_t>(first);
    SmallVector<double> weights = getKernelWeights(op, ratio);
    if (nearest) {
      int64_t index = weights[0] != 0.0 ? start : start + 1;
      sampling.indices.push_back(std::clamp<int64_t>(index, 0, inSize - 1));
      continue;
    }
    if (op.getExcludeOutside()) {
      double sum = 0.0;
      for (int64_t t = 0; t < window; ++t) {
        int64_t index = start + t;
        if (index < 0 || index >= inSize)
          weights[t] = 0.0;
        sum += weights[t];
      }
      for (double &weight : weights)
        weight /= sum;
    }
    for (int64_t t = 0; t < window; ++t) {
      sampling.indices.push_back(std::clamp<int64_t>(start + t, 0, inSize - 1));
      sampling.weights.push_back(weights[t]);
    }
  }
  // A dimension of one element reads index 0 at every tap: one tap with
  // the summed weight does the same with fewer gathers.
  if (!nearest && inSize == 1) {
    SmallVector<double> summed;
    for (int64_t x = 0; x < outSize; ++x) {
      double sum = 0.0;
      for (int64_t t = 0; t < sampling.taps; ++t)
        sum += sampling.weights[x * sampling.taps + t];
      summed.push_back(sum);
    }
    sampling.taps = 1;
    sampling.indices.assign(outSize, 0);
    sampling.weights = std::move(summed);
  }
  return sampling;
}

/// Returns an arith.constant 1-D tensor of `values`.
template <typename T>
static Value createTable(OpBuilder &b, Location loc, Type elementType,
                         ArrayRef<T> values) {
  auto type =
      RankedTensorType::get({static_cast<int64_t>(values.size())}, elementType);
  return arith::ConstantOp::create(b, loc,
                                   DenseElementsAttr::get(type, values));
}

namespace {

/// Lowers nn.resize to a linalg.generic that gathers and weights input
/// elements through per-dimension sampling tables.
struct ResizeLowering : OpConversionPattern<nn::ResizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::ResizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Value input = adaptor.getInput();
    int64_t rank = resultType.getRank();
    Type elementType = resultType.getElementType();
    bool nearest = op.getMode() == nn::ResizeMode::Nearest;
    bool crop = op.getCoordinateTransformationMode() ==
                nn::CoordinateMode::TfCropAndResize;

    SmallVector<AxisSampling> axes;
    SmallVector<OpFoldResult> resultSizes =
        getTensorSizes(rewriter, loc, input);
    for (int64_t dim = 0; dim < rank; ++dim) {
      if (op.isIdentityDim(dim))
        continue;
      if (resultType.isDynamicDim(dim) ||
          op.getInput().getType().isDynamicDim(dim))
        return emitUnsupported(op, "a resized dynamic dimension");
      if (resultType.getDimSize(dim) > kMaxTableEntries / 4)
        return emitUnsupported(op, "an output dimension this large");
      FailureOr<AxisSampling> sampling = computeAxisSampling(op, dim);
      if (failed(sampling))
        return emitUnsupported(op, "a scale that maps coordinates out of "
                                   "range");
      axes.push_back(std::move(*sampling));
      resultSizes[dim] = rewriter.getIndexAttr(resultType.getDimSize(dim));
    }

    if (axes.empty() && resultType == input.getType()) {
      rewriter.replaceOp(op, input);
      return success();
    }

    // Table inputs, each read at its dimension's loop index: per axis its
    // tap indices, then its tap weights, then its outside flags.
    SmallVector<Value> tables;
    SmallVector<AffineMap> maps;
    Type i64 = rewriter.getI64Type(), f64 = rewriter.getF64Type();
    for (const AxisSampling &axis : axes) {
      AffineMap map = getMapKeepingDims(getContext(), rank, {axis.dim});
      int64_t outSize = resultType.getDimSize(axis.dim);
      for (int64_t t = 0; t < axis.taps; ++t) {
        SmallVector<int64_t> column;
        for (int64_t x = 0; x < outSize; ++x)
          column.push_back(axis.indices[x * axis.taps + t]);
        tables.push_back(
            createTable(rewriter, loc, i64, ArrayRef<int64_t>(column)));
        maps.push_back(map);
      }
      if (!nearest) {
        for (int64_t t = 0; t < axis.taps; ++t) {
          SmallVector<double> column;
          for (int64_t x = 0; x < outSize; ++x)
            column.push_back(axis.weights[x * axis.taps + t]);
          tables.push_back(
              createTable(rewriter, loc, f64, ArrayRef<double>(column)));
          maps.push_back(map);
        }
      }
      if (crop) {
        tables.push_back(createTable(rewriter, loc, rewriter.getI1Type(),
                                     ArrayRef<bool>(axis.outside)));
        maps.push_back(map);
      }
    }

    double extrapolation = op.getExtrapolationValue().convertToDouble();
    Value result = createMappedGeneric(
        rewriter, loc, resultType, resultSizes, tables, maps,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          // Unpack the table elements of this output position.
          SmallVector<SmallVector<Value>> tapIndices, tapWeights;
          Value anyOutside;
          unsigned next = 0;
          for (const AxisSampling &axis : axes) {
            SmallVector<Value> indices, weights;
            for (int64_t t = 0; t < axis.taps; ++t)
              indices.push_back(arith::IndexCastOp::create(
                  b, l, b.getIndexType(), args[next++]));
            if (!nearest)
              for (int64_t t = 0; t < axis.taps; ++t)
                weights.push_back(args[next++]);
            if (crop) {
              Value outside = args[next++];
              anyOutside = anyOutside
                               ? arith::OrIOp::create(b, l, anyOutside, outside)
                                     .getResult()
                               : outside;
            }
            tapIndices.push_back(std::move(indices));
            tapWeights.push_back(std::move(weights));
          }

          // Dimensions the resize keeps read at the output's own index.
          SmallVector<Value> loopIndices;
          for (int64_t dim = 0; dim < rank; ++dim)
            loopIndices.push_back(
                llvm::any_of(
                    axes,
                    [&](const AxisSampling &axis) { return axis.dim == dim; })
                    ? Value()
                    : linalg::IndexOp::create(b, l, dim).getResult());

          // Visits every combination of taps, one per resized axis.
          SmallVector<int64_t> tap(axes.size(), 0);
          auto gather = [&]() -> Value {
            SmallVector<Value> position;
            unsigned axisIndex = 0;
            for (int64_t dim = 0; dim < rank; ++dim) {
              if (axisIndex < axes.size() && axes[axisIndex].dim == dim) {
                position.push_back(tapIndices[axisIndex][tap[axisIndex]]);
                ++axisIndex;
                continue;
              }
              position.push_back(loopIndices[dim]);
            }
            return tensor::ExtractOp::create(b, l, input, position);
          };

          Value value;
          if (nearest) {
            value = gather();
          } else {
            Value sum;
            while (true) {
              Value element = gather();
              if (element.getType() != f64)
                element = arith::ExtFOp::create(b, l, f64, element);
              Value weight;
              for (auto [axisIndex, weights] : llvm::enumerate(tapWeights)) {
                Value w = weights[tap[axisIndex]];
                weight =
                    weight ? arith::MulFOp::create(b, l, weight, w).getResult()
                           : w;
              }
              Value term =
                  weight
                      ? arith::MulFOp::create(b, l, element, weight).getResult()
                      : element;
              sum = sum ? arith::AddFOp::create(b, l, sum, term).getResult()
                        : term;
              // Advance the mixed-radix tap counter.
              size_t axisIndex = 0;
              for (; axisIndex < axes.size(); ++axisIndex) {
                if (++tap[axisIndex] < axes[axisIndex].taps)
                  break;
                tap[axisIndex] = 0;
              }
              if (axisIndex == axes.size())
                break;
            }
            value = sum;
            if (elementType != f64)
              value = arith::TruncFOp::create(b, l, elementType, value);
          }
          if (!anyOutside)
            return value;
          Value fill = createScalarConstant(b, l, elementType, extrapolation);
          return arith::SelectOp::create(b, l, anyOutside, fill, value);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void kiln::lowering::populateResizePatterns(const TypeConverter &typeConverter,
                                            RewritePatternSet &patterns) {
  patterns.add<ResizeLowering>(typeConverter, patterns.getContext());
}
