//===- LegacyOps.cpp - forms of ONNX opsets 1 to 6 ------------------------===//
//
// Opsets below 7 differ from later ones mostly in attributes: the binary
// arithmetic and comparison ops broadcast only when `broadcast` is set, and
// then align the second operand with the first at `axis` (default: the
// trailing dimensions) instead of NumPy's right alignment; BatchNormalization
// and Dropout carry `is_test`; a few ops take arguments that later became
// inputs. The converters read the changed attributes themselves; this file
// holds the checks that run before any converter (rejecting training-mode
// nodes and shapes the legacy rules forbid) and the reshape that turns a
// legacy-broadcast operand into one NumPy broadcasting treats the same way.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"

#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::onnximport;

/// Returns true for the ops whose opset < 7 versions have the `broadcast` /
/// `axis` attributes.
static bool hasLegacyBroadcast(StringRef opType) {
  return llvm::StringSwitch<bool>(opType)
      .Cases({"Add", "Sub", "Mul", "Div", "Pow"}, true)
      .Cases({"Equal", "Less", "Greater", "And", "Or", "Xor"}, true)
      .Default(false);
}

/// Returns true for the legacy-broadcast ops whose converter applies
/// alignLegacyBroadcastOperand (the others exist only as import-time
/// evaluation, which broadcasts like NumPy).
static bool convertsLegacyBroadcast(StringRef opType) {
  return llvm::StringSwitch<bool>(opType)
      .Cases({"Add", "Sub", "Mul", "Div", "Pow"}, true)
      .Default(false);
}

/// Computes the shape operand B takes, at rank(A), under the legacy rule
/// (`broadcast` = 1, B's dimensions placed from `axis`). Fails with a
/// description when the shapes do not follow the rule. Returns std::nullopt
/// when B is a scalar (which broadcasts the same way in both rules).
static FailureOr<std::optional<SmallVector<int64_t>>>
getLegacyAlignedShape(NodeContext &ctx, ArrayRef<int64_t> lhsShape,
                      ArrayRef<int64_t> rhsShape) {
  int64_t lhsRank = lhsShape.size();
  int64_t rhsRank = rhsShape.size();
  if (rhsRank == 0)
    return std::optional<SmallVector<int64_t>>();
  if (rhsRank > lhsRank) {
    (void)ctx.fail("with 'broadcast' set, the second operand (rank " +
                   Twine(rhsRank) + ") must not have a higher rank than " +
                   "the first (rank " + Twine(lhsRank) + ")");
    return failure();
  }
  int64_t defaultAxis = lhsRank - rhsRank;
  FailureOr<int64_t> axis = ctx.getIntAttr("axis", defaultAxis);
  if (failed(axis))
    return failure();
  // A single-element B is a scalar for the legacy rule whatever the axis.
  if (rhsRank == 1 && rhsShape[0] == 1)
    return std::optional<SmallVector<int64_t>>();
  if (*axis < 0 || *axis > lhsRank - rhsRank) {
    (void)ctx.fail("'axis' " + Twine(*axis) +
                   " does not place the second operand inside the first");
    return failure();
  }
  SmallVector<int64_t> aligned(lhsRank, 1);
  for (int64_t i = 0; i < rhsRank; ++i) {
    int64_t lhsDim = lhsShape[*axis + i];
    int64_t rhsDim = rhsShape[i];
    if (!ShapedType::isDynamic(lhsDim) && !ShapedType::isDynamic(rhsDim) &&
        rhsDim != lhsDim && rhsDim != 1) {
      (void)ctx.fail("with 'broadcast' set, dimension " + Twine(i) +
                     " of the second operand (" + Twine(rhsDim) +
                     ") does not match dimension " + Twine(*axis + i) +
                     " of the first (" + Twine(lhsDim) + ")");
      return failure();
    }
    aligned[*axis + i] = rhsDim;
  }
  return std::optional<SmallVector<int64_t>>(std::move(aligned));
}

/// Returns true when NumPy's right-aligned broadcasting of `rhsShape` gives
/// the same placement as the legacy `aligned` shape.
static bool alignsLikeNumpy(ArrayRef<int64_t> rhsShape,
                            ArrayRef<int64_t> aligned) {
  size_t lead = aligned.size() - rhsShape.size();
  return llvm::all_of(aligned.take_front(lead),
                      [](int64_t dim) { return dim == 1; }) &&
         aligned.drop_front(lead) == rhsShape;
}

/// Checks the legacy broadcast attributes of a binary op; sets
/// `skipEvaluation` when the second operand needs the legacy reshape (which
/// only the converter applies).
static LogicalResult checkLegacyBroadcast(NodeContext &ctx,
                                          bool &skipEvaluation) {
  if (ctx.getNumInputs() != 2)
    return success();
  FailureOr<RankedTensorType> lhsType = ctx.getInputType(0);
  if (failed(lhsType))
    return failure();
  FailureOr<RankedTensorType> rhsType = ctx.getInputType(1);
  if (failed(rhsType))
    return failure();
  FailureOr<int64_t> broadcast = ctx.getIntAttr("broadcast", 0);
  if (failed(broadcast))
    return failure();
  if (*broadcast == 0) {
    if (lhsType->getShape() != rhsType->getShape())
      return ctx.fail("operand shapes differ but 'broadcast' is not set");
    return success();
  }
  FailureOr<std::optional<SmallVector<int64_t>>> aligned =
      getLegacyAlignedShape(ctx, lhsType->getShape(), rhsType->getShape());
  if (failed(aligned))
    return failure();
  if (!*aligned || alignsLikeNumpy(rhsType->getShape(), **aligned))
    return success();
  if (!convertsLegacyBroadcast(ctx.getOpType()))
    return ctx.fail("broadcasting with an 'axis' other than the trailing "
                    "dimensions is not supported for this op");
  skipEvaluation = true;
  return success();
}

/// Fails when the `is_test` attribute selects training mode.
static LogicalResult checkIsTest(NodeContext &ctx) {
  FailureOr<int64_t> isTest = ctx.getIntAttr("is_test", 0);
  if (failed(isTest))
    return failure();
  if (*isTest == 0)
    return ctx.fail("is_test=0 (training mode) is not supported");
  return success();
}

LogicalResult kiln::onnximport::checkLegacyNode(NodeContext &ctx,
                                                bool &skipEvaluation) {
  skipEvaluation = false;
  if (ctx.getOpset() >= 7)
    return success();
  StringRef opType = ctx.getOpType();
  if (hasLegacyBroadcast(opType))
    return checkLegacyBroadcast(ctx, skipEvaluation);
  if (opType == "BatchNormalization" || opType == "Dropout")
    return checkIsTest(ctx);
  if (opType == "Tile" && ctx.getOpset() < 6)
    return ctx.fail("the 'tiles'/'axis' form of opsets before 6 is not "
                    "supported");
  if (opType == "Cast" && ctx.getOpset() < 6) {
    const onnx::AttributeProto *to = ctx.findAttribute("to");
    if (to && to->type() == onnx::AttributeProto::STRING)
      return ctx.fail("the string 'to' attribute of opsets before 6 is not "
                      "supported");
  }
  if (opType == "Split" && ctx.getOpset() < 2 && ctx.hasInput(1))
    return ctx.fail("the 'split' input of opset 1 is not supported");
  if (opType == "Upsample")
    return ctx.fail("operator is not supported");
  return success();
}

FailureOr<Value> kiln::onnximport::alignLegacyBroadcastOperand(NodeContext &ctx,
                                                               Value lhs,
                                                               Value rhs) {
  if (ctx.getOpset() >= 7)
    return rhs;
  FailureOr<int64_t> broadcast = ctx.getIntAttr("broadcast", 0);
  if (failed(broadcast))
    return failure();
  if (*broadcast == 0)
    return rhs;
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  FailureOr<std::optional<SmallVector<int64_t>>> aligned =
      getLegacyAlignedShape(ctx, lhsType.getShape(), rhsType.getShape());
  if (failed(aligned))
    return failure();
  if (!*aligned || alignsLikeNumpy(rhsType.getShape(), **aligned))
    return rhs;
  return ctx.createReshape(rhs, **aligned);
}
