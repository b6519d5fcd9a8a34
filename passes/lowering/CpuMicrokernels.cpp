//===- CpuMicrokernels.cpp - call hand-written kernels for contractions ---===//
//
// Implements kiln-cpu-microkernels (see Passes.td): f32 matrix products and
// 2-D convolutions on memrefs become calls to the kernels of
// include/kiln/cpu/kiln_kernels.h.
//
//===----------------------------------------------------------------------===//

#include "kiln/passes/lowering/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/TypeSwitch.h"

namespace kiln {
#define GEN_PASS_DEF_CPUMICROKERNELSPASS
#include "passes/lowering/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {

/// The memref type every kernel argument of rank `rank` is cast to:
/// dynamic sizes, strides and offset.
MemRefType getDynamicStridedType(MLIRContext *context, int64_t rank) {
  SmallVector<int64_t> dynamic(rank, ShapedType::kDynamic);
  auto layout = StridedLayoutAttr::get(context, ShapedType::kDynamic, dynamic);
  return MemRefType::get(dynamic, Float32Type::get(context), layout);
}

/// True when `value` is a memref of f32.
bool isF32MemRef(Value value) {
  auto type = dyn_cast<MemRefType>(value.getType());
  return type && type.getElementType().isF32();
}

/// Static number of multiply-adds of a contraction, or nullopt when a loop
/// bound is dynamic.
std::optional<int64_t> getStaticMultiplyAdds(linalg::LinalgOp op) {
  int64_t product = 1;
  for (int64_t size : op.getStaticLoopRanges()) {
    if (ShapedType::isDynamic(size))
      return std::nullopt;
    product *= size;
  }
  return product;
}

struct CpuMicrokernelsPass
    : kiln::impl::CpuMicrokernelsPassBase<CpuMicrokernelsPass> {
  using CpuMicrokernelsPassBase::CpuMicrokernelsPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<linalg::LinalgOp> candidates;
    module.walk([&](linalg::LinalgOp op) {
      if (!op.hasPureBufferSemantics() ||
          !llvm::all_of(op->getOperands(), isF32MemRef))
        return;
      if (minMultiplyAdds > 0) {
        std::optional<int64_t> work = getStaticMultiplyAdds(op);
        if (work && *work < minMultiplyAdds)
          return;
      }
      if (isa<linalg::MatmulOp, linalg::BatchMatmulOp, linalg::Conv2DNchwFchwOp,
              linalg::DepthwiseConv2DNchwChwOp>(op.getOperation()))
        candidates.push_back(op);
    });

    for (linalg::LinalgOp op : candidates) {
      OpBuilder builder(op);
      LogicalResult result =
          TypeSwitch<Operation *, LogicalResult>(op.getOperation())
              .Case([&](linalg::MatmulOp matmul) {
                return rewriteMatmul(builder, matmul);
              })
              .Case([&](linalg::BatchMatmulOp matmul) {
                return rewriteBatchMatmul(builder, matmul);
              })
              .Case([&](linalg::Conv2DNchwFchwOp conv) {
                return rewriteConv(builder, conv, "kiln_mk_conv2d_nchw_f32",
                                   conv.getStrides(), conv.getDilations());
              })
              .Case([&](linalg::DepthwiseConv2DNchwChwOp conv) {
                return rewriteConv(builder, conv, "kiln_mk_dwconv2d_nchw_f32",
                                   conv.getStrides(), conv.getDilations());
              })
              .Default([](Operation *) { return failure(); });
      if (succeeded(result))
        op->erase();
    }
  }

private:
  /// Returns the declaration of kernel `name` taking `argumentTypes`,
  /// creating it at the start of the module on first use.
  func::FuncOp getKernel(StringRef name, TypeRange argumentTypes) {
    ModuleOp module = getOperation();
    if (auto existing = module.lookupSymbol<func::FuncOp>(name))
      return existing;
    OpBuilder builder = OpBuilder::atBlockBegin(module.getBody());
    auto kernel = func::FuncOp::create(
        builder, module.getLoc(), name,
        builder.getFunctionType(argumentTypes, TypeRange{}));
    kernel.setPrivate();
    kernel->setAttr("llvm.emit_c_interface", builder.getUnitAttr());
    return kernel;
  }

  /// Casts `value` to the fully dynamic strided memref of its rank.
  Value castToDynamic(OpBuilder &builder, Location loc, Value value) {
    auto type = cast<MemRefType>(value.getType());
    return memref::CastOp::create(
        builder, loc, getDynamicStridedType(&getContext(), type.getRank()),
        value);
  }

  /// The 2-D view `value` read through `map` as (row, column) of the
  /// product's logical operand: itself, or its transpose when `map` lists
  /// the dimensions the other way round.
  Value orientOperand(OpBuilder &builder, Location loc, Value value,
                      AffineMap map, AffineMap expected, AffineMap transposed) {
    if (map == expected)
      return castToDynamic(builder, loc, value);
    if (map != transposed)
      return nullptr;
    AffineMap swap = AffineMap::getPermutationMap(ArrayRef<unsigned>{1, 0},
                                                  builder.getContext());
    Value view = memref::TransposeOp::create(builder, loc, value,
                                             AffineMapAttr::get(swap));
    return castToDynamic(builder, loc, view);
  }

  LogicalResult rewriteMatmul(OpBuilder &builder, linalg::MatmulOp op) {
    Location loc = op.getLoc();
    MLIRContext *context = builder.getContext();
    AffineExpr m, n, k;
    bindDims(context, m, n, k);
    auto map = [&](AffineExpr a, AffineExpr b) {
      return AffineMap::get(3, 0, {a, b}, context);
    };
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    if (maps.size() != 3 || maps[2] != map(m, n) ||
        (maps[0] != map(m, k) && maps[0] != map(k, m)) ||
        (maps[1] != map(k, n) && maps[1] != map(n, k)))
      return failure();
    Value a = orientOperand(builder, loc, op.getDpsInputs()[0], maps[0],
                            map(m, k), map(k, m));
    Value b = orientOperand(builder, loc, op.getDpsInputs()[1], maps[1],
                            map(k, n), map(n, k));
    if (!a || !b)
      return failure();
    Value c = castToDynamic(builder, loc, op.getDpsInits()[0]);
    func::FuncOp kernel =
        getKernel("kiln_mk_gemm_f32", {a.getType(), b.getType(), c.getType()});
    func::CallOp::create(builder, loc, kernel, ValueRange{a, b, c});
    return success();
  }

  LogicalResult rewriteBatchMatmul(OpBuilder &builder,
                                   linalg::BatchMatmulOp op) {
    Location loc = op.getLoc();
    MLIRContext *context = builder.getContext();
    AffineExpr batch, m, n, k;
    bindDims(context, batch, m, n, k);
    auto map = [&](AffineExpr a, AffineExpr b) {
      return AffineMap::get(4, 0, {batch, a, b}, context);
    };
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    if (maps.size() != 3 || maps[0] != map(m, k) || maps[1] != map(k, n) ||
        maps[2] != map(m, n))
      return failure();
    SmallVector<Value> operands;
    for (Value operand : op->getOperands())
      operands.push_back(castToDynamic(builder, loc, operand));
    func::FuncOp kernel =
        getKernel("kiln_mk_batch_gemm_f32", ValueRange(operands).getTypes());
    func::CallOp::create(builder, loc, kernel, operands);
    return success();
  }

  LogicalResult rewriteConv(OpBuilder &builder, linalg::LinalgOp op,
                            StringRef name, DenseIntElementsAttr strides,
                            DenseIntElementsAttr dilations) {
    Location loc = op.getLoc();
    SmallVector<int64_t> s = llvm::to_vector(strides.getValues<int64_t>());
    SmallVector<int64_t> d = llvm::to_vector(dilations.getValues<int64_t>());
    if (s.size() != 2 || d.size() != 2)
      return failure();
    SmallVector<Value> operands;
    for (Value operand : op->getOperands())
      operands.push_back(castToDynamic(builder, loc, operand));
    for (int64_t value : {s[0], s[1], d[0], d[1]})
      operands.push_back(
          arith::ConstantIntOp::create(builder, loc, value, /*width=*/64));
    func::FuncOp kernel = getKernel(name, ValueRange(operands).getTypes());
    func::CallOp::create(builder, loc, kernel, operands);
    return success();
  }
};

} // namespace
