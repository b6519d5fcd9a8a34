//===- NNToLinalg.cpp - the nn-to-linalg conversion pass ------------------===//
//
// Implements nn-to-linalg: a full dialect conversion of the nn dialect to
// linalg, tensor, arith, math and scf on tensors. This file only sets up the
// conversion (target, type converter, function-signature patterns) and
// gathers the op patterns from their families (see PopulatePatterns.h);
// Passes.td describes the lowering of each family.
//
//===----------------------------------------------------------------------===//

#include "PopulatePatterns.h"

#include "kiln/dialects/nn/NNDialect.h"
#include "kiln/passes/lowering/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace kiln {
#define GEN_PASS_DEF_NNTOLINALGPASS
#include "passes/lowering/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;
using namespace kiln::lowering;

/// Returns the element type the lowered IR uses for the nn element type
/// `type`: a quantized type's storage integer, the signless integer of an
/// unsigned one's width (arith and linalg want signless integers; the
/// patterns choose the unsigned arith ops from the nn types), else `type`.
static Type convertElementType(Type type) {
  if (auto quantized = dyn_cast<quant::QuantizedType>(type))
    return quantized.getStorageType();
  if (auto integer = dyn_cast<IntegerType>(type);
      integer && integer.isUnsigned())
    return IntegerType::get(type.getContext(), integer.getWidth());
  return type;
}

NNToLinalgTypeConverter::NNToLinalgTypeConverter() {
  // Later conversions are tried first; the identity is the fallback.
  addConversion([](Type type) { return type; });
  addConversion(
      [](quant::QuantizedType type) -> Type { return type.getStorageType(); });
  addConversion(
      [](IntegerType type) -> Type { return convertElementType(type); });
  addConversion([](RankedTensorType type) -> Type {
    Type elementType = convertElementType(type.getElementType());
    if (elementType == type.getElementType())
      return type;
    return RankedTensorType::get(type.getShape(), elementType,
                                 type.getEncoding());
  });
}

namespace {

/// Lowers every nn op in a module to linalg and friends, or fails naming the
/// ops that cannot be lowered.
struct NNToLinalgPass : kiln::impl::NNToLinalgPassBase<NNToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    NNToLinalgTypeConverter typeConverter;

    ConversionTarget target(*context);
    target.addIllegalDialect<nn::NNDialect>();
    // Every other op (the linalg, tensor, arith, math and scf ops the
    // patterns create, func.return, ...) is legal once its operand and
    // result types no longer mention quant or unsigned types; one that still
    // does and has no pattern fails the conversion.
    target.markUnknownOpDynamicallyLegal(
        [&](Operation *op) { return typeConverter.isLegal(op); });
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return typeConverter.isSignatureLegal(op.getFunctionType()) &&
             typeConverter.isLegal(&op.getBody());
    });

    RewritePatternSet patterns(context);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(
        patterns, typeConverter);
    populateCallOpTypeConversionPattern(patterns, typeConverter);
    populateReturnOpTypeConversionPattern(patterns, typeConverter);
    scf::populateSCFStructuralTypeConversionsAndLegality(typeConverter,
                                                         patterns, target);
    populateElementwisePatterns(typeConverter, patterns);
    populateCastPatterns(typeConverter, patterns);
    populateLayerPatterns(typeConverter, patterns);
    populateWindowPatterns(typeConverter, patterns);
    populateNormalizationPatterns(typeConverter, patterns);
    populateDataMovementPatterns(typeConverter, patterns);
    populateIndexingPatterns(typeConverter, patterns);
    populateQuantizationPatterns(typeConverter, patterns);
    populateFusionPatterns(typeConverter, patterns);
    populateResizePatterns(typeConverter, patterns);

    if (failed(
            applyFullConversion(getOperation(), target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
