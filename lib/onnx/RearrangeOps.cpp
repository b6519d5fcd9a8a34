//===- RearrangeOps.cpp - ONNX rearranging ops to nn ----------------------===//
//
// Converters for ops that rearrange elements rather than only reshape them:
// Tile, DepthToSpace and SpaceToDepth (reshapes and transposes, plus a
// product with ones for Tile), GatherElements, and Trilu (a select against a
// triangle mask).
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"

#include "kiln/dialects/nn/NNOps.h"

#include "llvm/ADT/StringSwitch.h"

#include <numeric>

using namespace mlir;
using namespace kiln;
using namespace kiln::onnximport;

//===----------------------------------------------------------------------===//
// Tile, DepthToSpace, SpaceToDepth: reshapes and transposes (and, for Tile, a
// product with ones, which copies every element exactly)
//===----------------------------------------------------------------------===//

/// Converts Tile with constant `repeats` (opset 6 on): the input reshaped to
/// [1, d0, 1, d1, ...], broadcast by a product with ones of shape
/// [r0, d0, r1, d1, ...], and reshaped to [r0 * d0, r1 * d1, ...].
static LogicalResult convertTile(NodeContext &ctx) {
  FailureOr<RankedTensorType> inputType = ctx.getInputType(0);
  if (failed(inputType))
    return failure();
  FailureOr<SmallVector<int64_t>> repeats =
      ctx.getConstantInts(1, "the 'repeats' input");
  if (failed(repeats))
    return failure();
  int64_t rank = inputType->getRank();
  if (static_cast<int64_t>(repeats->size()) != rank)
    return ctx.fail("'repeats' has " + Twine(repeats->size()) +
                    " entries for an input of rank " + Twine(rank));
  if (llvm::any_of(*repeats, [](int64_t r) { return r < 1; }))
    return ctx.fail("repeats below 1 are not supported");
  if (!inputType->hasStaticShape())
    return ctx.fail("inputs with dynamic dimensions are not supported");
  if (llvm::all_of(*repeats, [](int64_t r) { return r == 1; }))
    return ctx.setOutputAlias(0, 0);
  Type elementType = inputType->getElementType();
  Attribute one;
  if (isa<FloatType>(elementType))
    one = FloatAttr::get(elementType, 1.0);
  else if (isa<IntegerType>(elementType))
    one = IntegerAttr::get(elementType, 1);
  else
    return ctx.fail("tiling quantized tensors is not supported");
  SmallVector<int64_t> interleaved, broadcast, tiled;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t dim = inputType->getDimSize(d);
    interleaved.append({1, dim});
    broadcast.append({(*repeats)[d], dim});
    tiled.push_back((*repeats)[d] * dim);
  }
  if (!countElements(tiled))
    return ctx.fail("the tiled tensor is too large");
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  FailureOr<Value> value = ctx.createReshape(*input, interleaved);
  if (failed(value))
    return failure();
  auto onesType = RankedTensorType::get(broadcast, elementType);
  FailureOr<Value> ones = ctx.create<nn::ConstantOp>(
      ElementsAttr(DenseElementsAttr::get(onesType, one)));
  if (failed(ones))
    return failure();
  value = ctx.create<nn::MulOp>(*value, *ones);
  if (failed(value))
    return failure();
  value = ctx.createReshape(*value, tiled);
  if (failed(value))
    return failure();
  ctx.setOutput(0, *value);
  return success();
}

/// Reshapes input 0 to `split`, permutes it by `perm` and reshapes it to
/// `shape`: the common form of DepthToSpace and SpaceToDepth.
static LogicalResult setRearrangedOutput(NodeContext &ctx,
                                         ArrayRef<int64_t> split,
                                         ArrayRef<int64_t> perm,
                                         ArrayRef<int64_t> shape) {
  FailureOr<Value> value = ctx.getInput(0);
  if (failed(value))
    return failure();
  value = ctx.createReshape(*value, split);
  if (failed(value))
    return failure();
  value = ctx.create<nn::TransposeOp>(*value, perm);
  if (failed(value))
    return failure();
  value = ctx.createReshape(*value, shape);
  if (failed(value))
    return failure();
  ctx.setOutput(0, *value);
  return success();
}

/// Reads the NCHW input type and `blocksize` of DepthToSpace / SpaceToDepth;
/// C, H and W must be static.
static FailureOr<std::pair<RankedTensorType, int64_t>>
getBlockRearrangement(NodeContext &ctx) {
  FailureOr<RankedTensorType> inputType = ctx.getInputType(0);
  if (failed(inputType))
    return failure();
  if (inputType->getRank() != 4) {
    (void)ctx.fail("expects an N x C x H x W input");
    return failure();
  }
  if (llvm::any_of(inputType->getShape().drop_front(), ShapedType::isDynamic)) {
    (void)ctx.fail("dynamic C, H or W dimensions are not supported");
    return failure();
  }
  const onnx::AttributeProto *attr = ctx.findAttribute("blocksize");
  if (!attr) {
    (void)ctx.fail("attribute 'blocksize' is required");
    return failure();
  }
  FailureOr<int64_t> blockSize = ctx.getIntAttr("blocksize", 1);
  if (failed(blockSize))
    return failure();
  if (*blockSize < 1) {
    (void)ctx.fail("'blocksize' must be positive");
    return failure();
  }
  return std::make_pair(*inputType, *blockSize);
}

/// Converts DepthToSpace in DCR (default) or CRD mode.
static LogicalResult convertDepthToSpace(NodeContext &ctx) {
  auto info = getBlockRearrangement(ctx);
  if (failed(info))
    return failure();
  auto [type, b] = *info;
  FailureOr<std::string> mode = ctx.getStringAttr("mode", "DCR");
  if (failed(mode))
    return failure();
  if (*mode != "DCR" && *mode != "CRD")
    return ctx.fail("mode '" + *mode + "' is not supported");
  int64_t n = type.getDimSize(0), c = type.getDimSize(1),
          h = type.getDimSize(2), w = type.getDimSize(3);
  if (c % (b * b) != 0)
    return ctx.fail("the channel count " + Twine(c) +
                    " is not a multiple of blocksize^2");
  int64_t depth = c / (b * b);
  SmallVector<int64_t> shape = {n, depth, h * b, w * b};
  if (*mode == "DCR")
    return setRearrangedOutput(ctx, {n, b, b, depth, h, w}, {0, 3, 4, 1, 5, 2},
                               shape);
  return setRearrangedOutput(ctx, {n, depth, b, b, h, w}, {0, 1, 4, 2, 5, 3},
                             shape);
}

/// Converts SpaceToDepth.
static LogicalResult convertSpaceToDepth(NodeContext &ctx) {
  auto info = getBlockRearrangement(ctx);
  if (failed(info))
    return failure();
  auto [type, b] = *info;
  int64_t n = type.getDimSize(0), c = type.getDimSize(1),
          h = type.getDimSize(2), w = type.getDimSize(3);
  if (h % b != 0 || w % b != 0)
    return ctx.fail("the spatial size " + Twine(h) + "x" + Twine(w) +
                    " is not a multiple of the blocksize");
  return setRearrangedOutput(ctx, {n, c, h / b, b, w / b, b},
                             {0, 3, 5, 1, 2, 4}, {n, c * b * b, h / b, w / b});
}

/// Converts GatherElements(data, indices) along a possibly negative axis.
static LogicalResult convertGatherElements(NodeContext &ctx) {
  FailureOr<RankedTensorType> dataType = ctx.getInputType(0);
  if (failed(dataType))
    return failure();
  FailureOr<int64_t> axisValue = ctx.getIntAttr("axis", 0);
  if (failed(axisValue))
    return failure();
  FailureOr<int64_t> axis = ctx.normalizeAxis(*axisValue, dataType->getRank());
  if (failed(axis))
    return failure();
  FailureOr<Value> data = ctx.getInput(0);
  if (failed(data))
    return failure();
  FailureOr<Value> indices = ctx.getInput(1);
  if (failed(indices))
    return failure();
  FailureOr<Value> result = ctx.create<nn::GatherElementsOp>(
      *data, *indices, ctx.getBuilder().getI64IntegerAttr(*axis));
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Converts Trilu (opset 14): keeps the upper (`upper` = 1, the default) or
/// lower triangle of the last two dimensions relative to diagonal `k` (the
/// optional input) and zeroes the rest, as nn.where(mask, x, 0), which keeps
/// the selected elements bit for bit (NaN and infinities included).
static LogicalResult convertTrilu(NodeContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getInputType(0);
  if (failed(type))
    return failure();
  int64_t rank = type->getRank();
  if (rank < 2)
    return ctx.fail("the input must have rank >= 2, got " + Twine(rank));
  int64_t rows = type->getDimSize(rank - 2), cols = type->getDimSize(rank - 1);
  if (ShapedType::isDynamic(rows) || ShapedType::isDynamic(cols))
    return ctx.fail("the last two dimensions must be static");
  FailureOr<int64_t> upper = ctx.getIntAttr("upper", 1);
  if (failed(upper))
    return failure();
  // With a constant (or absent) k the mask is an import-time constant;
  // otherwise it is computed at run time as (j - i >= k) or (j - i <= k)
  // from a constant table of j - i.
  FailureOr<Value> maskValue = failure();
  if (!ctx.hasInput(1) || ctx.isConstantInput(1)) {
    int64_t k = 0;
    if (ctx.hasInput(1)) {
      FailureOr<SmallVector<int64_t>> values =
          ctx.getConstantInts(1, "the 'k' input");
      if (failed(values))
        return failure();
      if (values->size() != 1)
        return ctx.fail("the 'k' input must hold one value");
      k = values->front();
    }
    HostTensor mask = HostTensor::make(onnx::TensorProto::BOOL, {rows, cols});
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j)
        mask.appendInt(*upper ? j - i >= k : j - i <= k);
    ElementsAttr maskAttr =
        hostTensorToAttr(ctx.getContext(), mask, ctx.getName().str() + "_mask");
    if (!maskAttr)
      return ctx.fail("cannot build the triangle mask");
    maskValue = ctx.create<nn::ConstantOp>(maskAttr);
  } else {
    FailureOr<RankedTensorType> kType = ctx.getInputType(1);
    if (failed(kType))
      return failure();
    if (!kType->getElementType().isInteger(64) || !kType->hasStaticShape() ||
        kType->getNumElements() != 1)
      return ctx.fail("the 'k' input must be one int64 value");
    HostTensor offsets =
        HostTensor::make(onnx::TensorProto::INT64, {rows, cols});
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j)
        offsets.appendInt(j - i);
    ElementsAttr offsetsAttr = hostTensorToAttr(
        ctx.getContext(), offsets, ctx.getName().str() + "_offsets");
    if (!offsetsAttr)
      return ctx.fail("cannot build the diagonal offsets");
    FailureOr<Value> offsetsValue = ctx.create<nn::ConstantOp>(offsetsAttr);
    FailureOr<Value> k = ctx.getInput(1);
    if (failed(offsetsValue) || failed(k))
      return failure();
    FailureOr<Value> scalarK = ctx.createReshape(*k, {});
    if (failed(scalarK))
      return failure();
    maskValue = *upper ? ctx.create<nn::GreaterEqualOp>(*offsetsValue, *scalarK)
                       : ctx.create<nn::LessEqualOp>(*offsetsValue, *scalarK);
  }
  if (failed(maskValue))
    return failure();
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  FailureOr<Value> zero = ctx.createScalar(type->getElementType(), 0.0);
  if (failed(zero))
    return failure();
  FailureOr<Value> result = ctx.create<nn::WhereOp>(*maskValue, *input, *zero);
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

void kiln::onnximport::addRearrangeConverters(ConverterRegistry &registry) {
  registry["GatherElements"] = convertGatherElements;
  registry["Tile"] = convertTile;
  registry["Trilu"] = convertTrilu;
  registry["DepthToSpace"] = convertDepthToSpace;
  registry["SpaceToDepth"] = convertSpaceToDepth;
}
