//===- FoldBatchNorm.cpp - fold batch norm into convolution
//----------------===//
//
// Implements nn-fold-batch-norm: an inference batch normalization that
// follows a convolution with constant weights is absorbed into those weights
// and the convolution bias (see Passes.td for the algorithm). Both `dense`
// and `dense_resource` constants are read; folded weights keep the storage
// kind of the original weight so large models stay printable.
//
//===----------------------------------------------------------------------===//

#include "kiln/dialects/nn/NNOps.h"
#include "kiln/passes/fusion/Passes.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace kiln {
#define GEN_PASS_DEF_FOLDBATCHNORMPASS
#include "passes/fusion/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;
using namespace kiln::nn;

namespace {

/// The values of a constant float tensor, widened to double.
struct FloatConstant {
  SmallVector<double> values;
  /// Set when the constant is a dense_resource blob (and its blob name).
  std::optional<std::string> resourceName;
};

/// Reads the constant feeding `value` as doubles; std::nullopt when it is not
/// a constant of a supported float storage.
std::optional<FloatConstant> readFloatConstant(Value value) {
  Attribute attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  FloatConstant result;
  if (auto dense = dyn_cast<DenseFPElementsAttr>(attr)) {
    for (const APFloat &v : dense.getValues<APFloat>())
      result.values.push_back(v.convertToDouble());
    return result;
  }
  auto fillFrom = [&](auto resource) -> std::optional<FloatConstant> {
    auto data = resource.tryGetAsArrayRef();
    if (!data)
      return std::nullopt;
    result.values.assign(data->begin(), data->end());
    result.resourceName = resource.getRawHandle().getKey().str();
    return result;
  };
  if (auto f32 = dyn_cast<DenseF32ResourceElementsAttr>(attr))
    return fillFrom(f32);
  if (auto f64 = dyn_cast<DenseF64ResourceElementsAttr>(attr))
    return fillFrom(f64);
  return std::nullopt;
}

/// Builds an `nn.constant` of `type` holding `values`, as a dense_resource
/// blob named `blobName` when given (MLIR uniquifies the name), otherwise as
/// dense elements.
Value createFloatConstant(PatternRewriter &rewriter, Location loc,
                          RankedTensorType type, ArrayRef<double> values,
                          const std::optional<std::string> &blobName) {
  auto floatType = cast<FloatType>(type.getElementType());
  ElementsAttr attr;
  if (blobName && floatType.isF32()) {
    SmallVector<float> narrowed(values.begin(), values.end());
    attr = cast<ElementsAttr>(DenseF32ResourceElementsAttr::get(
        type, *blobName,
        HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef(narrowed))));
  } else if (blobName && floatType.isF64()) {
    attr = cast<ElementsAttr>(DenseF64ResourceElementsAttr::get(
        type, *blobName,
        HeapAsmResourceBlob::allocateAndCopyInferAlign(values)));
  } else {
    SmallVector<APFloat> elements;
    for (double v : values) {
      APFloat element(v);
      bool losesInfo = false;
      element.convert(floatType.getFloatSemantics(),
                      APFloat::rmNearestTiesToEven, &losesInfo);
      elements.push_back(element);
    }
    attr = DenseElementsAttr::get(type, elements);
  }
  return ConstantOp::create(rewriter, loc, attr);
}

/// Folds `batch_norm(conv2d(x, W, b))` into `conv2d(x, W', b')`.
struct FoldBatchNormIntoConv : OpRewritePattern<BatchNormOp> {
  FoldBatchNormIntoConv(MLIRContext *context, llvm::Statistic &numFolded)
      : OpRewritePattern(context), numFolded(numFolded) {}

  LogicalResult matchAndRewrite(BatchNormOp norm,
                                PatternRewriter &rewriter) const override {
    auto conv = norm.getInput().getDefiningOp<Conv2DOp>();
    if (!conv || !conv->hasOneUse())
      return rewriter.notifyMatchFailure(norm,
                                         "input is not a single-use conv2d");
    std::optional<FloatConstant> weight = readFloatConstant(conv.getWeight());
    std::optional<FloatConstant> scale = readFloatConstant(norm.getScale());
    std::optional<FloatConstant> shift = readFloatConstant(norm.getBias());
    std::optional<FloatConstant> mean = readFloatConstant(norm.getMean());
    std::optional<FloatConstant> variance =
        readFloatConstant(norm.getVariance());
    if (!weight || !scale || !shift || !mean || !variance)
      return rewriter.notifyMatchFailure(norm,
                                         "operands are not float constants");
    std::optional<FloatConstant> bias;
    if (conv.getBias() && !(bias = readFloatConstant(conv.getBias())))
      return rewriter.notifyMatchFailure(norm, "conv bias is not a constant");

    RankedTensorType weightType = conv.getWeight().getType();
    int64_t channels = weightType.getDimSize(0);
    size_t count = static_cast<size_t>(channels);
    if (scale->values.size() != count || shift->values.size() != count ||
        mean->values.size() != count || variance->values.size() != count ||
        (bias && bias->values.size() != count))
      return rewriter.notifyMatchFailure(norm, "parameter sizes differ");

    // OIHW is row-major, so each output channel's weights are contiguous.
    size_t perChannel = weight->values.size() / count;
    double epsilon = norm.getEpsilon().convertToDouble();
    SmallVector<double> newBias(count);
    for (size_t o = 0; o < count; ++o) {
      double factor =
          scale->values[o] / std::sqrt(variance->values[o] + epsilon);
      for (size_t i = 0; i < perChannel; ++i)
        weight->values[o * perChannel + i] *= factor;
      double oldBias = bias ? bias->values[o] : 0.0;
      newBias[o] = (oldBias - mean->values[o]) * factor + shift->values[o];
    }

    // Folded blobs are named after the weight they came from.
    std::optional<std::string> weightBlob, biasBlob;
    if (weight->resourceName) {
      weightBlob = *weight->resourceName + "_bn_folded";
      biasBlob = *weight->resourceName + "_bias_bn_folded";
    }
    Location loc = norm.getLoc();
    Value newWeight =
        createFloatConstant(rewriter, conv.getWeight().getLoc(), weightType,
                            weight->values, weightBlob);
    auto biasType =
        RankedTensorType::get({channels}, weightType.getElementType());
    Value newBiasValue =
        createFloatConstant(rewriter, loc, biasType, newBias, biasBlob);
    auto folded = Conv2DOp::create(
        rewriter, rewriter.getFusedLoc({conv.getLoc(), loc}), conv.getType(),
        conv.getInput(), newWeight, newBiasValue, conv.getStridesAttr(),
        conv.getPadsAttr(), conv.getDilationsAttr(), conv.getGroupsAttr());
    rewriter.replaceOp(norm, folded.getResult());
    rewriter.eraseOp(conv);
    ++numFolded;
    return success();
  }

  llvm::Statistic &numFolded;
};

struct FoldBatchNormPass
    : kiln::impl::FoldBatchNormPassBase<FoldBatchNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldBatchNormIntoConv>(&getContext(), numFolded);
    // Only this pattern runs: the pass must not canonicalize anything else.
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
  }
};

} // namespace
