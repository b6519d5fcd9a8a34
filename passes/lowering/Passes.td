//===- Passes.td - lowering passes -------------------------*- tablegen -*-===//
//
// Passes that lower Kiln's dialects towards code generation.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_LOWERING_PASSES_TD
#define KILN_PASSES_LOWERING_PASSES_TD

include "mlir/Pass/PassBase.td"

def NNToLinalgPass : Pass<"nn-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Lower nn ops to linalg, tensor, arith and math on tensors";
  let description = [{
    A full dialect conversion: every `nn` op is rewritten, and an op (or
    type) that cannot be lowered fails the pass with an error naming it (for
    an nn op, `<op>: <reason> not supported by nn-to-linalg`); there is no
    partial lowering. Result types are the ops' own (the nn verifiers
    inferred them). Tensors of `quant` element types become tensors of the
    storage integer type everywhere, function signatures and calls included;
    `quant.scast` between the two becomes a no-op, and a quantized
    `dense_resource` constant keeps its blob as storage integers. Unsigned
    integer types (`ui8`..`ui64`) likewise become signless; every pattern
    whose integer semantics depend on signedness reads it from the nn types
    and uses the unsigned arith op (`divui`, `remui`, `maxui`/`minui`,
    `cmpi ult/ugt/ule/uge`, `extui`, `uitofp`, `shrui`).

    - Elementwise ops become one `linalg.generic` with NumPy broadcasting: a
      static size-1 dimension is read at index 0, and a dynamic dimension that
      may be 1 at run time while the result is larger is expanded first inside
      an `scf.if`. Float max/min propagate NaN (`arith.maximumf/minimumf`),
      integer division truncates toward zero, float pow is `math.powf` and
      integer pow `math.ipowi`, and `cast` follows ONNX (float to int
      truncates, anything to `i1` tests non-zero, `i1` to a number gives 0/1).
      Unsigned division and remainder by 0 give 0; `bit_shift` by the bit
      width or more gives 0.
    - `conv2d` pads with `tensor.pad` and becomes `linalg.conv_2d_nchw_fchw`,
      `linalg.depthwise_conv_2d_nchw_chw` (groups = input = output channels)
      or `linalg.conv_2d_ngchw_gfchw` (other groups), accumulating into the
      broadcast bias. `matmul` and `batch_matmul` (NumPy semantics: 1-D
      promotion, broadcast batch dimensions) become `linalg.dot`, `vecmat`,
      `matvec` or `matmul` up to rank 2; otherwise lhs-only batch dimensions
      fold into the rows of a `linalg.matmul`, and broadcast batches are
      materialized, collapsed into one and fed to `linalg.batch_matmul`.
      `gemm` and `linear` are `linalg.matmul` with transposing indexing maps,
      accumulating into the broadcast C (times beta) or bias.
    - Pools pad explicitly (-inf for max, 0 for average) and add end padding
      so that the last `ceil_mode` window fits, then use
      `linalg.pooling_nchw_max/sum`. Average pooling divides by a divisor
      tensor (a constant for static sizes, index arithmetic otherwise) that
      counts, per window, the input elements, plus the explicit padding with
      `count_include_pad`, never the ceil extension.
    - `softmax` subtracts the maximum before exponentiating; `layer_norm` uses
      the biased variance; reductions are `linalg.reduce`, with
      `tensor.expand_shape` restoring `keepdims` dimensions.
    - Data movement uses `tensor` ops (`collapse_shape`/`expand_shape`,
      `reshape` when several result sizes are dynamic, `extract_slice`,
      `pad`, `concat`) and `linalg.transpose`. A slice dimension with a
      negative step is extracted in increasing order and reversed by a
      `linalg.generic`; `reflect`/`edge` padding and `gather` (negative
      indices wrap) are generics that compute source indices.
    - `quantize` computes `saturate(round_half_even(x / scale) + zero_point)`
      in the float type (`math.roundeven`, saturation by comparison before
      the conversion), `dequantize` `(q - zero_point) * scale`, per tensor or
      per axis.
    - `resize` is one `linalg.generic` over the output: each resized
      dimension gets constant tables, computed at compile time in double
      precision with the rules of ONNX's reference implementation, of the
      (border-clamped) input indices and weights of every output
      coordinate; the body gathers with `tensor.extract` and sums the
      weighted elements in f64 (nearest mode only gathers).
    - `gather_nd` is a `linalg.generic` that reads its index tuple with
      `tensor.extract`. `cumsum`, the scatters and `top_k` are `scf.for`
      loops over tensors: `cumsum` adds one slice per step to a running sum
      and inserts it; `scatter_elements` / `scatter_nd` copy the data and
      `tensor.insert` each update element in row-major order (combined with
      the element there for a reduction; the last duplicate wins); `top_k`
      selects, k times per slice, the best element ranked after the previous
      one (value, NaN last, then position), O(k * n) with no scratch memory.
    - `nn.fusion` is inlined into its parent block.

    The result runs on CPU through upstream passes, for example
    `--canonicalize --one-shot-bufferize=bufferize-function-boundaries
    --convert-linalg-to-loops --convert-math-to-funcs
    --expand-strided-metadata --lower-affine --convert-scf-to-cf
    --finalize-memref-to-llvm --convert-math-to-llvm --convert-math-to-libm
    --convert-arith-to-llvm --convert-cf-to-llvm --convert-func-to-llvm
    --reconcile-unrealized-casts`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def FlattenMemRefGlobalsPass
    : Pass<"kiln-flatten-memref-globals", "::mlir::ModuleOp"> {
  let summary = "Store multi-dimensional constant globals as 1-D arrays";
  let description = [{
    Bufferized weights become `memref.global`s whose LLVM lowering is a
    nested array type (`[512 x [784 x float]]`), which LLVM builds and
    interns one row constant at a time: for a ResNet that is millions of
    constants and most of the compile time. This pass rewrites every
    constant global of static shape and rank > 1 to the 1-D global of the
    same elements (row-major order is unchanged, for `dense` and
    `dense_resource` initializers alike) and each `memref.get_global` of it
    to a get of the flat global followed by a `memref.expand_shape` back to
    the original shape. Globals it cannot rewrite (non-constant,
    uninitialized, non-identity layout) are left alone.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def TileLinalgPass : Pass<"kiln-tile-linalg", "::mlir::ModuleOp"> {
  let summary = "Tile every linalg op on tensors into scf.for loops";
  let description = [{
    A schedule knob for the CPU pipeline, run on tensors before
    bufferization: every op of the linalg dialect that implements
    `TilingInterface` (named ops such as `linalg.matmul` and
    `linalg.conv_2d_nchw_fchw`, `linalg.generic`, `linalg.fill`,
    `linalg.reduce`, ...) is tiled with `scf::tileUsingSCF` into a nest of
    `scf.for` loops over `tensor.extract_slice` / `tensor.insert_slice`, and
    replaced by the loop nest's results.

    An op with N loops (its iteration space, in the order of its iterator
    types) takes the first N entries of `tile-sizes`; missing entries are 0,
    which leaves that loop untiled, and a size larger than its dimension is
    allowed (the loop then runs once over a clamped tile). Reduction loops
    are tiled as ordinary sequential loops carrying the partial result, so
    each output element still accumulates in the original order. Ops with no
    loops, ops whose sizes are all 0, and ops the interface cannot tile are
    left unchanged: the pass never fails. With an empty `tile-sizes` (the
    default) it does nothing.
  }];
  let options = [
    ListOption<"tileSizes", "tile-sizes", "int64_t",
               "Tile size of each loop, outermost first (0: untiled)">
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def FuseElementwisePass : Pass<"kiln-fuse-elementwise", "::mlir::ModuleOp"> {
  let summary = "Fuse chains of elementwise linalg ops and flatten their loops";
  let description = [{
    Runs on linalg on tensors, after `nn-to-linalg`. Three steps, each a
    greedy rewrite with upstream linalg patterns:

    1. With `fuse` (the default), a `linalg.generic` whose only user is an
       elementwise consumer generic is merged into it
       (`populateElementwiseOpsFusionPatterns`): SiLU's sigmoid and
       multiply, hardswish's add, clamp, divide and multiply, a residual add
       and its ReLU become one loop nest with no buffer between them. A
       producer with several users is kept (fusing it would recompute it
       in each).
    2. With `collapse-dims` (the default), unit dimensions of generics are
       dropped (`populateFoldUnitExtentDimsPatterns`), so that broadcast
       operands such as 1xCx1x1 lose their constant indices; then
    3. adjacent loops of a generic that every operand walks contiguously
       and that share an iterator type are merged into one
       (`populateCollapseDimensions`): a 1x672x14x14 elementwise op becomes
       one loop of 131712 elements, and a per-channel scale one loop over
       channels around one over pixels, so the innermost loop is long
       enough to vectorize. Operands are reshaped with
       `tensor.collapse_shape` / `expand_shape`, which bufferize to views.

    Named ops (matmul, convolutions, broadcasts, fills) are left alone.
  }];
  let options = [
    Option<"fuse", "fuse", "bool", /*default=*/"true",
           "Merge single-use elementwise producers into their consumers">,
    Option<"collapseDims", "collapse-dims", "bool", /*default=*/"true",
           "Drop unit dimensions and merge contiguous loops of generics">
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def CpuMicrokernelsPass
    : Pass<"kiln-cpu-microkernels", "::mlir::ModuleOp"> {
  let summary = "Call Kiln's hand-written CPU kernels for f32 contractions";
  let description = [{
    Runs on bufferized code (memrefs), before linalg is lowered to loops.
    Each f32 `linalg.matmul` (with any of its transposing indexing maps),
    `linalg.batch_matmul`, `linalg.conv_2d_nchw_fchw` and
    `linalg.depthwise_conv_2d_nchw_chw` is replaced by a `func.call` to the
    matching kernel of include/kiln/cpu/kiln_kernels.h (packed, register-
    blocked and multi-threaded; see lib/cpu/kiln_gemm.c), declared in
    the module with `llvm.emit_c_interface` so that each memref travels as a
    pointer to its strided descriptor. Operands are cast to fully dynamic
    strided memrefs; a transposed matmul operand becomes a
    `memref.transpose` view. The kernels accumulate into their output
    exactly as the linalg ops do, so a bias or zero fill before them keeps
    its meaning. Ops on other element types, with tensor semantics, or with
    non-default casting are left alone.

    With `min-multiply-adds` the pass keeps generated loops for contractions that
    do fewer multiply-adds than that (static shapes only; the call overhead
    dominates tiny products).

    With `prepack-weights` (the default), an operand that is a view of a
    constant f32 `memref.global` (a weight) is packed at compile time into
    the kernels' blocked layout (`kiln_mk_pack_a_f32` / `_b_f32`, compiled
    into this pass), stored in a new private global, and the call goes to
    the kernel variant that reads it packed (`kiln_mk_gemm_pa_f32`,
    `kiln_mk_gemm_pb_f32`, `kiln_mk_conv2d_nchw_pa_f32`). The original
    global is erased when nothing else reads it.

    With `fold-padding` (the default), a convolution whose input is a
    zero-padded copy made only for it (`memref.alloc`, a zero `linalg.fill`
    or `linalg.map`, and a `memref.copy` of the image into a subview at
    offsets [0, 0, top, left]) reads the image itself: the kernels treat
    positions outside it as zeros (the `pad_top`, `pad_left` arguments), and
    the copy and its buffer are erased. The fold is skipped when anything
    between the copy and the convolution may write the image.

    With `fuse-epilogues` (the default), a convolution or matrix product
    with packed weights (or a depthwise convolution) whose output is a
    fresh buffer initialized by a `linalg.broadcast` of a bias (or a zero
    fill) and read only by one elementwise activation generic calls the
    fused kernel (`kiln_mk_conv2d_nchw_pa_fused_f32`,
    `kiln_mk_gemm_pb_fused_f32`, `kiln_mk_dwconv2d_nchw_fused_f32`), which
    adds the bias and applies the activation while storing, straight into
    the activation's output; the init, the activation and the intermediate
    buffer are erased. The activations recognized are a clamp
    (`arith.maximumf`/`arith.minimumf` with constants: ReLU, ReLU6, clip),
    SiLU (`x * (1 / (1 + exp(-x)))`) and hardswish
    (`x * max(min(alpha * x + beta, 1), 0)`), as nn-to-linalg and
    kiln-fuse-elementwise build them; the activation may read the product
    through a `memref.collapse_shape`. Without an activation the bias is
    still fused. The activation's output must not be touched between the
    product and the activation nor alias the kernel's inputs.
  }];
  let options = [
    Option<"prepackWeights", "prepack-weights", "bool", /*default=*/"true",
           "Pack constant operands at compile time">,
    Option<"fuseEpilogues", "fuse-epilogues", "bool", /*default=*/"true",
           "Let kernels add the bias and apply a clamp, SiLU or hardswish "
           "while storing">,
    Option<"foldPadding", "fold-padding", "bool", /*default=*/"true",
           "Let convolution kernels pad implicitly instead of reading a "
           "zero-padded copy">,
    Option<"minMultiplyAdds", "min-multiply-adds", "int64_t", /*default=*/"0",
           "Keep loops for static contractions below this many "
           "multiply-adds">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect"
  ];
}

def ParallelizeLoopsPass
    : Pass<"kiln-parallelize-loops", "::mlir::ModuleOp"> {
  let summary = "Run large linalg.generic ops on the kernels' thread pool";
  let description = [{
    Runs on bufferized code, after `kiln-cpu-microkernels` and before linalg
    becomes loops. Each `linalg.generic` directly in a function whose static
    iteration space has at least `min-elements` points, whose outermost loop
    is parallel and indexes every output (so that ranges of it write
    disjoint elements), with memref operands, no `linalg.index` and nothing
    from outside its body but constants, is outlined into a private
    function `(!llvm.ptr table, i64 begin, i64 end)` that runs the generic
    on subviews of its operands over [begin, end) of that loop. In its
    place, a table of pointers to the operands' memref descriptors is built
    on the stack (LLVM dialect ops; `builtin.unrealized_conversion_cast`
    bridges memrefs and descriptors until the conversion to LLVM folds the
    casts) and `kiln_parallel_range(trips, function, table)` runs one
    contiguous range per thread of the pool of include/kiln/cpu/
    kiln_kernels.h (one call on one thread). Each element is computed by
    the same code as before, in the same order within its range: results do
    not depend on the thread count.
  }];
  let options = [
    Option<"minElements", "min-elements", "int64_t", /*default=*/"32768",
           "Parallelize generics with at least this many iterations"> 
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect"
  ];
}

def ApproximateMathPass
    : Pass<"kiln-approximate-math", "::mlir::ModuleOp"> {
  let summary = "Expand f32 exp, expm1, tanh and erf into polynomials";
  let description = [{
    Rewrites `math.exp`, `math.expm1`, `math.tanh` and `math.erf` on f32
    (scalars or vectors) into MLIR's polynomial approximations
    (`populateMathPolynomialApproximationPatterns`): arithmetic that LLVM's
    vectorizer handles, where libm's scalar calls would keep the loops of
    sigmoid, SiLU, softmax and GELU scalar. The approximations are accurate
    to a few ulp in f32; other functions and types keep their libm calls.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
    "::mlir::vector::VectorDialect"
  ];
}

#endif // KILN_PASSES_LOWERING_PASSES_TD
