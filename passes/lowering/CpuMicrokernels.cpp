//===- CpuMicrokernels.cpp - call hand-written kernels for contractions ---===//
//
// Implements kiln-cpu-microkernels (see Passes.td): f32 matrix products and
// 2-D convolutions on memrefs become calls to the kernels of
// include/kiln/cpu/kiln_kernels.h.
//
//===----------------------------------------------------------------------===//

#include "kiln/cpu/kiln_kernels.h"
#include "kiln/passes/lowering/Passes.h"

#include "KernelMatchers.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/StringSet.h"

#include "llvm/ADT/TypeSwitch.h"
#include <limits>

namespace kiln {
#define GEN_PASS_DEF_CPUMICROKERNELSPASS
#include "passes/lowering/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln::lowering;

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

/// The constant global `value` is a contiguous view of (through casts and
/// reshapes, which keep the row-major order of the elements), or null.
memref::GlobalOp getConstantSource(Value value, ModuleOp module) {
  auto type = dyn_cast<MemRefType>(value.getType());
  if (!type || !type.hasStaticShape() || !type.getLayout().isIdentity())
    return nullptr;
  Value source = value;
  while (true) {
    if (auto expand = source.getDefiningOp<memref::ExpandShapeOp>())
      source = expand.getSrc();
    else if (auto collapse = source.getDefiningOp<memref::CollapseShapeOp>())
      source = collapse.getSrc();
    else if (auto cast = source.getDefiningOp<memref::CastOp>())
      source = cast.getSource();
    else
      break;
  }
  auto get = source.getDefiningOp<memref::GetGlobalOp>();
  if (!get)
    return nullptr;
  auto global = module.lookupSymbol<memref::GlobalOp>(get.getNameAttr());
  if (!global || !global.getConstant() || !global.getInitialValue() ||
      !global.getType().getLayout().isIdentity() ||
      global.getType().getNumElements() != type.getNumElements())
    return nullptr;
  return global;
}

/// The f32 values of a constant global's initializer in row-major order, or
/// nullopt for initializers this pass cannot read.
std::optional<std::vector<float>> readValues(memref::GlobalOp global) {
  Attribute initial = *global.getInitialValue();
  int64_t count = global.getType().getNumElements();
  if (auto dense = dyn_cast<DenseElementsAttr>(initial)) {
    if (!dense.getElementType().isF32())
      return std::nullopt;
    if (dense.isSplat())
      return std::vector<float>(count, dense.getSplatValue<float>());
    auto values = dense.getValues<float>();
    return std::vector<float>(values.begin(), values.end());
  }
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(initial)) {
    std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef();
    if (!data || int64_t(data->size()) != count)
      return std::nullopt;
    return std::vector<float>(data->begin(), data->end());
  }
  return std::nullopt;
}

/// Erases views of globals nobody reads any more, then the globals in
/// `candidates` that nothing refers to.
void eraseUnusedSources(ModuleOp module, const llvm::StringSet<> &candidates) {
  bool changed = true;
  while (changed) {
    changed = false;
    module.walk([&](Operation *op) {
      if (op->use_empty() && isa<memref::ExpandShapeOp, memref::CollapseShapeOp,
                                 memref::CastOp, memref::GetGlobalOp>(op)) {
        op->erase();
        changed = true;
      }
    });
  }
  for (auto global :
       llvm::make_early_inc_range(module.getOps<memref::GlobalOp>()))
    if (candidates.contains(global.getSymName()) &&
        SymbolTable::symbolKnownUseEmpty(global, module))
      global->erase();
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
                if (prepackWeights &&
                    succeeded(rewritePackedConv(builder, conv)))
                  return success();
                return rewriteConv(builder, conv, "kiln_mk_conv2d_nchw_f32",
                                   conv.getStrides(), conv.getDilations());
              })
              .Case([&](linalg::DepthwiseConv2DNchwChwOp conv) {
                return rewriteConv(builder, conv, "kiln_mk_dwconv2d_nchw_f32",
                                   conv.getStrides(), conv.getDilations(),
                                   "kiln_mk_dwconv2d_nchw_fused_f32");
              })
              .Default([](Operation *) { return failure(); });
      if (succeeded(result))
        op->erase();
    }
    // Unused views go first (casts made for operands that fused kernels no
    // longer take, views of weights now read packed), so that the buffers
    // below lose every use; original weight globals nothing reads go too.
    eraseUnusedSources(getOperation(), packedSources);
    for (FoldablePad &pad : foldedPads)
      for (Operation *op : pad.ops)
        op->erase();
    for (FusableEpilogue &epilogue : fusedEpilogues)
      for (Operation *op : epilogue.ops)
        op->erase();
  }

private:
  enum class Operand { A, B };

  /// Padding copies folded into kernels, erased after their convolutions.
  SmallVector<FoldablePad> foldedPads;
  /// Bias inits and clamps fused into kernels, erased after the rewrite.
  SmallVector<FusableEpilogue> fusedEpilogues;

  /// matchEpilogue when `fuse-epilogues` is on, recorded for erasure.
  std::optional<FusableEpilogue> fuseEpilogue(Value out, Operation *consumer,
                                              ArrayRef<int64_t> biasDims,
                                              ValueRange inputs) {
    if (!fuseEpilogues)
      return std::nullopt;
    std::optional<FusableEpilogue> epilogue =
        matchEpilogue(out, consumer, biasDims, inputs);
    if (epilogue)
      fusedEpilogues.push_back(*epilogue);
    return epilogue;
  }

  /// Inserts the fused kernels' bias argument at `biasPosition` (with no
  /// bias, `placeholder`, never read) and appends has_bias, clamp, lo, hi.
  void appendEpilogueArguments(OpBuilder &builder, Location loc,
                               const FusableEpilogue &epilogue,
                               Value placeholder,
                               SmallVectorImpl<Value> &operands,
                               size_t biasPosition) {
    operands.insert(operands.begin() + biasPosition,
                    epilogue.bias ? castToDynamic(builder, loc, epilogue.bias)
                                  : placeholder);
    operands.push_back(arith::ConstantIntOp::create(
        builder, loc, epilogue.bias ? 1 : 0, /*width=*/64));
    operands.push_back(arith::ConstantIntOp::create(
        builder, loc, epilogue.activation.kind, /*width=*/64));
    for (float bound : {epilogue.activation.lo, epilogue.activation.hi})
      operands.push_back(arith::ConstantFloatOp::create(
          builder, loc, builder.getF32Type(), APFloat(bound)));
  }

  /// matchFoldablePad when `fold-padding` is on; a match is recorded so
  /// that its ops are erased once the convolution is replaced.
  std::optional<FoldablePad> foldPad(Value input, Operation *consumer) {
    if (!foldPadding)
      return std::nullopt;
    std::optional<FoldablePad> pad = matchFoldablePad(input, consumer);
    if (pad)
      foldedPads.push_back(*pad);
    return pad;
  }

  /// Globals whose packed copies replaced them, to erase when unused.
  llvm::StringSet<> packedSources;
  /// Packed globals already made, by (source global, operand, transposed).
  llvm::StringMap<memref::GlobalOp> packedGlobals;

  /// When `value` is a view of a constant f32 global holding the matrix
  /// operand `which` of a product (stored transposed when `transposed`),
  /// returns a 1-D memref of its packed form (kiln_mk_pack_a_f32 /
  /// _b_f32) from a new global; else null. `value` is 2-D [rows, cols] as
  /// stored; convolution weights [F, C, KH, KW] are packed as A [F, C*KH*KW].
  Value packConstant(OpBuilder &builder, Location loc, Value value,
                     Operand which, bool transposed) {
    ModuleOp module = getOperation();
    memref::GlobalOp global = getConstantSource(value, module);
    if (!global)
      return nullptr;
    ArrayRef<int64_t> shape = cast<MemRefType>(value.getType()).getShape();
    int64_t rows = shape[0];
    int64_t cols = 1;
    for (int64_t size : shape.drop_front())
      cols *= size;
    // The logical operand: A is m x k, B is k x n; stored [rows, cols] or,
    // transposed, [cols, rows] of it.
    int64_t outer = transposed ? cols : rows, inner = transposed ? rows : cols;
    int64_t rowStride = transposed ? 1 : cols,
            colStride = transposed ? cols : 1;
    std::string key =
        (global.getSymName() + (which == Operand::A ? "_a" : "_b") +
         (transposed ? "t" : ""))
            .str();
    memref::GlobalOp packedGlobal = packedGlobals.lookup(key);
    if (!packedGlobal) {
      std::optional<std::vector<float>> values = readValues(global);
      if (!values)
        return nullptr;
      int64_t size = which == Operand::A ? kiln_mk_packed_a_size(outer, inner)
                                         : kiln_mk_packed_b_size(outer, inner);
      AsmResourceBlob blob = HeapAsmResourceBlob::allocate(
          size_t(size) * sizeof(float), /*align=*/64);
      float *out = reinterpret_cast<float *>(blob.getMutableData().data());
      if (which == Operand::A)
        kiln_mk_pack_a_f32(values->data(), outer, inner, rowStride, colStride,
                           out);
      else
        kiln_mk_pack_b_f32(values->data(), outer, inner, rowStride, colStride,
                           out);
      auto tensorType =
          RankedTensorType::get({size}, Float32Type::get(&getContext()));
      auto initial = DenseResourceElementsAttr::get(
          tensorType, (key + "_packed").c_str(), std::move(blob));
      OpBuilder moduleBuilder(global);
      packedGlobal = memref::GlobalOp::create(
          moduleBuilder, global.getLoc(), key + "_packed",
          moduleBuilder.getStringAttr("private"),
          MemRefType::get({size}, Float32Type::get(&getContext())), initial,
          /*constant=*/true, moduleBuilder.getI64IntegerAttr(64));
      SymbolTable(module).insert(packedGlobal);
      packedGlobals[key] = packedGlobal;
    }
    packedSources.insert(global.getSymName());
    Value packed = memref::GetGlobalOp::create(
        builder, loc, packedGlobal.getType(), packedGlobal.getSymName());
    return castToDynamic(builder, loc, packed);
  }

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
    Value lhs = op.getDpsInputs()[0], rhs = op.getDpsInputs()[1];
    auto castOutput = [&] {
      return castToDynamic(builder, loc, op.getDpsInits()[0]);
    };
    // A constant operand (a weight) is packed now, into its own global.
    if (prepackWeights) {
      if (Value packed = packConstant(builder, loc, rhs, Operand::B,
                                      /*transposed=*/maps[1] == map(n, k))) {
        Value a =
            orientOperand(builder, loc, lhs, maps[0], map(m, k), map(k, m));
        std::optional<FusableEpilogue> epilogue =
            fuseEpilogue(op.getDpsInits()[0], op, {0}, ValueRange{lhs});
        if (epilogue) {
          SmallVector<Value> operands = {
              a, packed, castToDynamic(builder, loc, epilogue->target)};
          appendEpilogueArguments(builder, loc, *epilogue, packed, operands,
                                  /*biasPosition=*/2);
          func::FuncOp kernel = getKernel("kiln_mk_gemm_pb_fused_f32",
                                          ValueRange(operands).getTypes());
          func::CallOp::create(builder, loc, kernel, operands);
          return success();
        }
        Value c = castOutput();
        func::FuncOp kernel =
            getKernel("kiln_mk_gemm_pb_f32",
                      {a.getType(), packed.getType(), c.getType()});
        func::CallOp::create(builder, loc, kernel, ValueRange{a, packed, c});
        return success();
      }
      if (Value packed = packConstant(builder, loc, lhs, Operand::A,
                                      /*transposed=*/maps[0] == map(k, m))) {
        Value b =
            orientOperand(builder, loc, rhs, maps[1], map(k, n), map(n, k));
        Value c = castOutput();
        func::FuncOp kernel =
            getKernel("kiln_mk_gemm_pa_f32",
                      {packed.getType(), b.getType(), c.getType()});
        func::CallOp::create(builder, loc, kernel, ValueRange{packed, b, c});
        return success();
      }
    }
    Value a = orientOperand(builder, loc, lhs, maps[0], map(m, k), map(k, m));
    Value b = orientOperand(builder, loc, rhs, maps[1], map(k, n), map(n, k));
    Value c = castOutput();
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

  /// A convolution with constant weights: they are packed now and the
  /// kernel reads them in that form (kh and kw travel as arguments).
  LogicalResult rewritePackedConv(OpBuilder &builder,
                                  linalg::Conv2DNchwFchwOp op) {
    Location loc = op.getLoc();
    Value input = op.getDpsInputs()[0], weight = op.getDpsInputs()[1];
    auto weightType = cast<MemRefType>(weight.getType());
    SmallVector<int64_t> s =
        llvm::to_vector(op.getStrides().getValues<int64_t>());
    SmallVector<int64_t> d =
        llvm::to_vector(op.getDilations().getValues<int64_t>());
    if (s.size() != 2 || d.size() != 2 || !weightType.hasStaticShape() ||
        !getConstantSource(weight, getOperation()))
      return failure();
    Value packed = packConstant(builder, loc, weight, Operand::A,
                                /*transposed=*/false);
    if (!packed)
      return failure();
    std::optional<FoldablePad> pad = foldPad(input, op);
    if (pad)
      input = pad->source;
    std::optional<FusableEpilogue> epilogue =
        fuseEpilogue(op.getDpsInits()[0], op, {0, 2, 3}, ValueRange{input});
    Value out = epilogue ? epilogue->target : op.getDpsInits()[0];
    SmallVector<Value> operands = {castToDynamic(builder, loc, input), packed,
                                   castToDynamic(builder, loc, out)};
    for (int64_t value :
         {weightType.getDimSize(2), weightType.getDimSize(3), s[0], s[1], d[0],
          d[1], pad ? pad->top : 0, pad ? pad->left : 0})
      operands.push_back(
          arith::ConstantIntOp::create(builder, loc, value, /*width=*/64));
    if (epilogue)
      appendEpilogueArguments(builder, loc, *epilogue, packed, operands,
                              /*biasPosition=*/2);
    func::FuncOp kernel =
        getKernel(epilogue ? "kiln_mk_conv2d_nchw_pa_fused_f32"
                           : "kiln_mk_conv2d_nchw_pa_f32",
                  ValueRange(operands).getTypes());
    func::CallOp::create(builder, loc, kernel, operands);
    return success();
  }

  /// A convolution (input, weights, output operands) as a call to `name`
  /// with strides, dilations and padding, or to `fusedName` (when not
  /// empty) with a fused bias and clamp.
  LogicalResult rewriteConv(OpBuilder &builder, linalg::LinalgOp op,
                            StringRef name, DenseIntElementsAttr strides,
                            DenseIntElementsAttr dilations,
                            StringRef fusedName = {}) {
    Location loc = op.getLoc();
    SmallVector<int64_t> s = llvm::to_vector(strides.getValues<int64_t>());
    SmallVector<int64_t> d = llvm::to_vector(dilations.getValues<int64_t>());
    if (s.size() != 2 || d.size() != 2)
      return failure();
    Value input = op.getDpsInputs()[0], output = op.getDpsInits()[0];
    std::optional<FoldablePad> pad = foldPad(input, op);
    if (pad)
      input = pad->source;
    // A fused variant takes a 1-D bias: fuse only when there is one.
    std::optional<FusableEpilogue> epilogue;
    if (!fusedName.empty() && fuseEpilogues) {
      epilogue = matchEpilogue(output, op, {0, 2, 3},
                               ValueRange{input, op.getDpsInputs()[1]});
      if (epilogue && epilogue->bias)
        fusedEpilogues.push_back(*epilogue);
      else
        epilogue.reset();
    }
    SmallVector<Value> operands = {
        castToDynamic(builder, loc, input),
        castToDynamic(builder, loc, op.getDpsInputs()[1]),
        castToDynamic(builder, loc, epilogue ? epilogue->target : output)};
    for (int64_t value :
         {s[0], s[1], d[0], d[1], pad ? pad->top : 0, pad ? pad->left : 0})
      operands.push_back(
          arith::ConstantIntOp::create(builder, loc, value, /*width=*/64));
    if (epilogue)
      appendEpilogueArguments(builder, loc, *epilogue, Value(), operands,
                              /*biasPosition=*/2);
    func::FuncOp kernel =
        getKernel(epilogue ? fusedName : name, ValueRange(operands).getTypes());
    func::CallOp::create(builder, loc, kernel, operands);
    return success();
  }
};

} // namespace
