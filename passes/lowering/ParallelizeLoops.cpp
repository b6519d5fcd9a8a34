//===- ParallelizeLoops.cpp - run generated loops on the thread pool ------===//
//
// Implements kiln-parallelize-loops (see Passes.td). The contractions call
// Kiln's multi-threaded kernels; every other op (elementwise chains,
// pooling, reductions over inner dimensions) is a linalg.generic that
// becomes loops on one thread. This pass outlines each large enough generic
// into a function over a range of its outermost (parallel) loop and calls
// kiln_parallel_range, which runs one range per thread of the kernels' pool.
// The operands travel as pointers to their memref descriptors, built with
// the LLVM dialect and bridged with unrealized casts that the final
// conversion to LLVM folds away.
//
//===----------------------------------------------------------------------===//

#include "kiln/passes/lowering/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"

namespace kiln {
#define GEN_PASS_DEF_PARALLELIZELOOPSPASS
#include "passes/lowering/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kRuntimeName = "kiln_parallel_range";

/// The position among `map`'s results of the outermost loop, or -1.
int64_t getOuterLoopPosition(AffineMap map) {
  for (auto [position, expr] : llvm::enumerate(map.getResults()))
    if (auto dim = dyn_cast<AffineDimExpr>(expr); dim && dim.getPosition() == 0)
      return static_cast<int64_t>(position);
  return -1;
}

/// The LLVM struct a memref of rank `rank` lowers to (its descriptor).
Type getDescriptorType(MLIRContext *context, int64_t rank) {
  Type pointer = LLVM::LLVMPointerType::get(context);
  Type i64 = IntegerType::get(context, 64);
  SmallVector<Type> fields = {pointer, pointer, i64};
  if (rank > 0) {
    fields.push_back(LLVM::LLVMArrayType::get(i64, rank));
    fields.push_back(LLVM::LLVMArrayType::get(i64, rank));
  }
  return LLVM::LLVMStructType::getLiteral(context, fields);
}

struct ParallelizeLoopsPass
    : kiln::impl::ParallelizeLoopsPassBase<ParallelizeLoopsPass> {
  using ParallelizeLoopsPassBase::ParallelizeLoopsPassBase;

  /// The outermost loop's trip count when `op` can run as independent
  /// ranges of it: buffers only, static loops of at least `minElements`
  /// iterations in all, the outermost parallel and indexing every output
  /// (so that ranges write disjoint elements), no linalg.index, memref
  /// operands, and nothing from outside the body but constants.
  std::optional<int64_t> getParallelTripCount(linalg::GenericOp op) {
    if (!op.hasPureBufferSemantics() || op.getNumLoops() == 0 ||
        !isa<func::FuncOp>(op->getParentOp()) ||
        op.getIteratorTypesArray().front() != utils::IteratorType::parallel)
      return std::nullopt;
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    int64_t total = 1;
    for (int64_t range : ranges) {
      if (ShapedType::isDynamic(range))
        return std::nullopt;
      total *= range;
    }
    if (total < minElements || ranges.front() < 2)
      return std::nullopt;
    for (OpOperand &init : op.getDpsInitsMutable())
      if (getOuterLoopPosition(op.getMatchingIndexingMap(&init)) < 0)
        return std::nullopt;
    for (Value operand : op->getOperands()) {
      auto type = dyn_cast<MemRefType>(operand.getType());
      if (!type || !type.isStrided() || type.getMemorySpace())
        return std::nullopt;
    }
    if (!op.getRegion().getOps<linalg::IndexOp>().empty())
      return std::nullopt;
    bool onlyConstants = true;
    visitUsedValuesDefinedAbove(op.getRegion(), [&](OpOperand *use) {
      Operation *definer = use->get().getDefiningOp();
      if (!definer || !definer->hasTrait<OpTrait::ConstantLike>())
        onlyConstants = false;
    });
    if (!onlyConstants)
      return std::nullopt;
    return ranges.front();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<std::pair<linalg::GenericOp, int64_t>> candidates;
    module.walk([&](linalg::GenericOp op) {
      if (std::optional<int64_t> trips = getParallelTripCount(op))
        candidates.emplace_back(op, *trips);
    });
    if (candidates.empty())
      return;

    MLIRContext *context = &getContext();
    Type pointer = LLVM::LLVMPointerType::get(context);
    Type i64 = IntegerType::get(context, 64);
    auto bodyType = FunctionType::get(context, {pointer, i64, i64}, {});
    SymbolTable symbols(module);
    if (!symbols.lookup(kRuntimeName)) {
      OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
      auto runtime = func::FuncOp::create(
          builder, module.getLoc(), kRuntimeName,
          FunctionType::get(context, {i64, bodyType, pointer}, {}));
      runtime.setPrivate();
    }
    for (auto [op, trips] : candidates) {
      func::FuncOp body = outline(op, bodyType);
      symbols.insert(body);
      callRuntime(op, body, trips);
      op->erase();
    }
  }

  /// A function (context, begin, end) running `op` on [begin, end) of its
  /// outermost loop, its operands read from the descriptors `context`
  /// points to.
  func::FuncOp outline(linalg::GenericOp op, FunctionType type) {
    MLIRContext *context = &getContext();
    Location loc = op.getLoc();
    ModuleOp module = getOperation();
    OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
    auto function =
        func::FuncOp::create(builder, loc, "__kiln_parallel_loop", type);
    function.setPrivate();
    Block *entry = function.addEntryBlock();
    builder.setInsertionPointToStart(entry);
    Type pointer = LLVM::LLVMPointerType::get(context);
    Value table = entry->getArgument(0);
    Value begin = arith::IndexCastOp::create(
        builder, loc, builder.getIndexType(), entry->getArgument(1));
    Value end = arith::IndexCastOp::create(builder, loc, builder.getIndexType(),
                                           entry->getArgument(2));
    Value size = arith::SubIOp::create(builder, loc, end, begin);

    IRMapping mapping;
    visitUsedValuesDefinedAbove(op.getRegion(), [&](OpOperand *use) {
      Value value = use->get();
      if (!mapping.contains(value))
        mapping.map(value, builder.clone(*value.getDefiningOp())->getResult(0));
    });

    SmallVector<Value> operands;
    for (OpOperand &operand : op->getOpOperands()) {
      auto memrefType = cast<MemRefType>(operand.get().getType());
      Type descriptorType = getDescriptorType(context, memrefType.getRank());
      Value slot =
          LLVM::GEPOp::create(builder, loc, pointer, pointer, table,
                              ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(
                                  operand.getOperandNumber())});
      Value address = LLVM::LoadOp::create(builder, loc, pointer, slot);
      Value descriptor =
          LLVM::LoadOp::create(builder, loc, descriptorType, address);
      Value memref = UnrealizedConversionCastOp::create(builder, loc,
                                                        memrefType, descriptor)
                         .getResult(0);
      int64_t position =
          getOuterLoopPosition(op.getMatchingIndexingMap(&operand));
      if (position >= 0) {
        SmallVector<OpFoldResult> offsets(memrefType.getRank(),
                                          builder.getIndexAttr(0));
        SmallVector<OpFoldResult> sizes,
            strides(memrefType.getRank(), builder.getIndexAttr(1));
        for (int64_t extent : memrefType.getShape())
          sizes.push_back(builder.getIndexAttr(extent));
        offsets[position] = begin;
        sizes[position] = size;
        memref = memref::SubViewOp::create(builder, loc, memref, offsets, sizes,
                                           strides);
      }
      operands.push_back(memref);
    }
    Operation *clone = builder.clone(*op, mapping);
    clone->setOperands(operands);
    func::ReturnOp::create(builder, loc);
    return function;
  }

  /// Replaces `op` by a table of pointers to its operands' descriptors (on
  /// the stack) and kiln_parallel_range(trips, body, table).
  void callRuntime(linalg::GenericOp op, func::FuncOp body, int64_t trips) {
    MLIRContext *context = &getContext();
    Location loc = op.getLoc();
    OpBuilder builder(op);
    Type pointer = LLVM::LLVMPointerType::get(context);
    Type i64 = builder.getI64Type();
    Value one = LLVM::ConstantOp::create(builder, loc, i64,
                                         builder.getI64IntegerAttr(1));
    int64_t count = op->getNumOperands();
    Value table = LLVM::AllocaOp::create(
        builder, loc, pointer, LLVM::LLVMArrayType::get(pointer, count), one);
    for (OpOperand &operand : op->getOpOperands()) {
      auto memrefType = cast<MemRefType>(operand.get().getType());
      Type descriptorType = getDescriptorType(context, memrefType.getRank());
      Value descriptor = UnrealizedConversionCastOp::create(
                             builder, loc, descriptorType, operand.get())
                             .getResult(0);
      Value address =
          LLVM::AllocaOp::create(builder, loc, pointer, descriptorType, one);
      LLVM::StoreOp::create(builder, loc, descriptor, address);
      Value slot =
          LLVM::GEPOp::create(builder, loc, pointer, pointer, table,
                              ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(
                                  operand.getOperandNumber())});
      LLVM::StoreOp::create(builder, loc, address, slot);
    }
    Value function = func::ConstantOp::create(
        builder, loc, body.getFunctionType(), body.getSymName());
    Value total = arith::ConstantIntOp::create(builder, loc, trips, 64);
    func::CallOp::create(builder, loc, kRuntimeName, TypeRange{},
                         ValueRange{total, function, table});
  }
};

} // namespace
