//===- NNLayerOps.td - layer-level nn ops ------------------*- tablegen -*-===//
//
// Convolution, matrix products, normalizations, pooling, softmax and
// reductions: the ops that carry most of a model's FLOPs and that fusion,
// quantization and sparsity act on.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_NN_NNLAYEROPS_TD
#define KILN_DIALECTS_NN_NNLAYEROPS_TD

include "dialects/nn/NNBase.td"

def NN_Conv2DOp : NN_InferredOp<"conv2d"> {
  let summary = "2-D convolution, NCHW input and OIHW weights";
  let description = [{
    `input` is `N x C x H x W`, `weight` is `O x C/groups x kH x kW`, the
    optional `bias` is `O`. `pads` is `[top, left, bottom, right]`. The output
    is `N x O x H' x W'` with
    `H' = floor((H + top + bottom - dilation_h * (kH - 1) - 1) / stride_h) + 1`.
    `N` (and `H`, `W`) may be dynamic.

    ```mlir
    %y = nn.conv2d %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 3, 3, 3, 3>}
        : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>)
        -> tensor<1x64x112x112xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input, NN_FloatTensor:$weight,
      Optional<NN_FloatTensor>:$bias,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
      DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
      DefaultValuedAttr<I64Attr, "1">:$groups);
  let results = (outs NN_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def NN_MatmulOp : NN_InferredOp<"matmul"> {
  let summary = "matrix product with NumPy `matmul` semantics";
  let description = [{
    Exactly `numpy.matmul` (and ONNX `MatMul`, `torch.matmul`): 1-D operands
    are promoted to a row (lhs) or column (rhs) vector and the promoted
    dimension is dropped from the result; dimensions before the last two
    broadcast.

    ```mlir
    %y = nn.matmul %a, %b : (tensor<64x784xf32>, tensor<784x512xf32>) -> tensor<64x512xf32>
    ```
  }];
  let arguments = (ins NN_NumericTensor:$lhs, NN_NumericTensor:$rhs);
  let results = (outs NN_NumericTensor:$output);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

def NN_BatchMatmulOp : NN_InferredOp<"batch_matmul"> {
  let summary = "batched matrix product with broadcast batch dimensions";
  let description = [{
    `lhs` is `B... x M x K`, `rhs` is `B'... x K x N`, both of rank >= 3 and of
    equal rank; batch dimensions broadcast (each pair equal or one of them 1).
    The explicit form of `nn.matmul` that later passes tile directly.
  }];
  let arguments = (ins NN_NumericTensor:$lhs, NN_NumericTensor:$rhs);
  let results = (outs NN_NumericTensor:$output);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

def NN_GemmOp : NN_InferredOp<"gemm"> {
  let summary = "general matrix multiply, alpha * op(A) * op(B) + beta * C";
  let description = [{
    ONNX `Gemm`: `A` and `B` are 2-D, optionally transposed by `trans_a` /
    `trans_b`; the optional `C` broadcasts to `M x N`.
  }];
  let arguments = (ins NN_FloatTensor:$a, NN_FloatTensor:$b,
      Optional<NN_FloatTensor>:$c,
      DefaultValuedAttr<F64Attr, "1.0">:$alpha,
      DefaultValuedAttr<F64Attr, "1.0">:$beta,
      DefaultValuedAttr<BoolAttr, "false">:$trans_a,
      DefaultValuedAttr<BoolAttr, "false">:$trans_b);
  let results = (outs NN_FloatTensor:$output);
  let assemblyFormat = [{
    $a `,` $b (`,` $c^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasCanonicalizer = 1;
}

def NN_LinearOp : NN_InferredOp<"linear"> {
  let summary = "fully connected layer, input * weight^T + bias";
  let description = [{
    `torch.nn.functional.linear`: `input` is `... x K`, `weight` is `N x K`,
    the optional `bias` is `N`; the result is `... x N`.
  }];
  let arguments = (ins NN_FloatTensor:$input, NN_FloatTensor:$weight,
                       Optional<NN_FloatTensor>:$bias);
  let results = (outs NN_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def NN_SoftmaxOp : NN_Op<"softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "softmax along one axis";
  let description = "`exp(x - max) / sum(exp(x - max))` along `axis` (0 <= axis < rank).";
  let arguments = (ins NN_FloatTensor:$input, I64Attr:$axis);
  let results = (outs NN_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
  let hasVerifier = 1;
}

def NN_LayerNormOp : NN_InferredOp<"layer_norm", [AttrSizedOperandSegments]> {
  let summary = "layer normalization over the trailing dimensions";
  let description = [{
    Normalizes over dimensions `[axis, rank)` to zero mean and unit variance
    (biased variance, `epsilon` added), then applies the optional `scale` and
    `bias`, whose shape is the normalized dimensions.
  }];
  let arguments = (ins NN_FloatTensor:$input, Optional<NN_FloatTensor>:$scale,
      Optional<NN_FloatTensor>:$bias, I64Attr:$axis,
      DefaultValuedAttr<F64Attr, "1e-5">:$epsilon);
  let results = (outs NN_FloatTensor:$output);
  let assemblyFormat = [{
    $input (`scale` $scale^)? (`bias` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def NN_BatchNormOp : NN_InferredOp<"batch_norm"> {
  let summary = "batch normalization in inference mode";
  let description = [{
    `(x - mean) / sqrt(var + epsilon) * scale + bias` per channel; `input` is
    `N x C x ...` and the four parameters are `C`.
  }];
  let arguments = (ins NN_FloatTensor:$input, NN_FloatTensor:$scale,
      NN_FloatTensor:$bias, NN_FloatTensor:$mean, NN_FloatTensor:$variance,
      DefaultValuedAttr<F64Attr, "1e-5">:$epsilon);
  let results = (outs NN_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance attr-dict `:`
    functional-type(operands, results)
  }];
}

class NN_Pool2DOp<string mnemonic> : NN_InferredOp<mnemonic> {
  let results = (outs NN_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def NN_MaxPool2DOp : NN_Pool2DOp<"max_pool2d"> {
  let summary = "2-D max pooling over NCHW";
  let description = [{
    Window `kernel_shape`, with `strides`, `dilations` and `pads`
    (`[top, left, bottom, right]`, padded positions never win). With
    `ceil_mode` the output size rounds up, but a window never starts in the
    bottom/right padding.
  }];
  let arguments = (ins NN_FloatTensor:$input, DenseI64ArrayAttr:$kernel_shape,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
      DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
      DefaultValuedAttr<BoolAttr, "false">:$ceil_mode);
}

def NN_AvgPool2DOp : NN_Pool2DOp<"avg_pool2d"> {
  let summary = "2-D average pooling over NCHW";
  let description = [{
    Window `kernel_shape` with `strides` and `pads` (`[top, left, bottom,
    right]`). Padded positions count in the divisor only with
    `count_include_pad`. `ceil_mode` as for `nn.max_pool2d`.
  }];
  let arguments = (ins NN_FloatTensor:$input, DenseI64ArrayAttr:$kernel_shape,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
      DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
      DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
      DefaultValuedAttr<BoolAttr, "false">:$count_include_pad);
}

//===----------------------------------------------------------------------===//
// 3-D windows and transposed convolution (inference in NNWindowTypes.cpp)
//===----------------------------------------------------------------------===//

def NN_Conv3DOp : NN_InferredOp<"conv3d"> {
  let summary = "3-D convolution, NCDHW input and OIDHW weights";
  let description = [{
    `nn.conv2d` with a depth dimension: `input` is `N x C x D x H x W`,
    `weight` is `O x C/groups x kD x kH x kW`, the optional `bias` is `O`.
    `pads` is `[front, top, left, back, bottom, right]`; each output size is
    `floor((in + begin + end - dilation * (k - 1) - 1) / stride) + 1`.

    ```mlir
    %y = nn.conv3d %x, %w {strides = array<i64: 2, 2, 2>}
        : (tensor<1x3x8x8x8xf32>, tensor<4x3x3x3x3xf32>) -> tensor<1x4x3x3x3xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input, NN_FloatTensor:$weight,
      Optional<NN_FloatTensor>:$bias,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1, 1}">:$strides,
      DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0, 0, 0}">:$pads,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1, 1}">:$dilations,
      DefaultValuedAttr<I64Attr, "1">:$groups);
  let results = (outs NN_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def NN_MaxPool3DOp : NN_Pool2DOp<"max_pool3d"> {
  let summary = "3-D max pooling over NCDHW";
  let description = [{
    `nn.max_pool2d` with a depth dimension: `kernel_shape`, `strides` and
    `dilations` have three entries, `pads` six (`[front, top, left, back,
    bottom, right]`); padded positions never win; `ceil_mode` as for the
    2-D op.
  }];
  let arguments = (ins NN_FloatTensor:$input, DenseI64ArrayAttr:$kernel_shape,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1, 1}">:$strides,
      DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0, 0, 0}">:$pads,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1, 1}">:$dilations,
      DefaultValuedAttr<BoolAttr, "false">:$ceil_mode);
}

def NN_AvgPool3DOp : NN_Pool2DOp<"avg_pool3d"> {
  let summary = "3-D average pooling over NCDHW";
  let description = [{
    `nn.avg_pool2d` with a depth dimension: `kernel_shape` and `strides` have
    three entries, `pads` six (`[front, top, left, back, bottom, right]`).
    Padded positions count in the divisor only with `count_include_pad`.
  }];
  let arguments = (ins NN_FloatTensor:$input, DenseI64ArrayAttr:$kernel_shape,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1, 1}">:$strides,
      DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0, 0, 0}">:$pads,
      DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
      DefaultValuedAttr<BoolAttr, "false">:$count_include_pad);
}

def NN_ConvTransposeOp : NN_InferredOp<"conv_transpose"> {
  let summary = "transposed (fractionally strided) convolution over 1 to 3 "
                "spatial dimensions";
  let description = [{
    The gradient of a convolution with respect to its input, as ONNX
    `ConvTranspose` and `torch.nn.functional.conv_transpose{1,2,3}d` define
    it. `input` is `N x C x D1 ... Dk` (k = 1, 2 or 3), `weight` is
    `C x O/groups x K1 ... Kk`, the optional `bias` is `O`. Each input
    element `x[i]` adds `x[i] * weight[j]` (channels within a group) to
    position `i * stride + j * dilation` of the full output, which is cropped by
    `pads` (`[begin_1 ... begin_k, end_1 ... end_k]`) and extended at the end
    by `output_padding` positions that receive only the bias; a negative pad
    extends the output on its side with such positions instead. Each output
    size is
    `stride * (in - 1) + output_padding + dilation * (K - 1) + 1 - begin - end`.
    `strides`, `dilations`, `pads` and `output_padding` are required and
    have k (2k for `pads`) entries.

    ```mlir
    %y = nn.conv_transpose %x, %w {strides = array<i64: 2, 2>,
        pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>,
        output_padding = array<i64: 1, 1>}
        : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x8x8xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input, NN_FloatTensor:$weight,
      Optional<NN_FloatTensor>:$bias, DenseI64ArrayAttr:$strides,
      DenseI64ArrayAttr:$pads, DenseI64ArrayAttr:$dilations,
      DenseI64ArrayAttr:$output_padding,
      DefaultValuedAttr<I64Attr, "1">:$groups);
  let results = (outs NN_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def NN_GlobalAvgPoolOp : NN_InferredOp<"global_avg_pool"> {
  let summary = "mean over all spatial dimensions";
  let description = "`N x C x D1 x ... x Dk` to `N x C x 1 x ... x 1` (rank >= 3).";
  let arguments = (ins NN_FloatTensor:$input);
  let results = (outs NN_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

class NN_ReduceOp<string mnemonic, Type tensorType> : NN_InferredOp<mnemonic> {
  let description = [{
    Reduces the listed `axes` (sorted, unique, each in `[0, rank)`); with
    `keepdims` the reduced dimensions stay as 1. An empty `axes` list is the
    identity and folds away.
  }];
  let arguments = (ins tensorType:$input, DenseI64ArrayAttr:$axes,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs tensorType:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return inferReduceType(loc, adaptor.getInput(), adaptor.getAxes(),
                             adaptor.getKeepdims(), inferred);
    }
  }];
}

def NN_ReduceSumOp : NN_ReduceOp<"reduce_sum", NN_NumericTensor> {
  let summary = "sum over axes";
}
def NN_ReduceMeanOp : NN_ReduceOp<"reduce_mean", NN_FloatTensor> {
  let summary = "arithmetic mean over axes";
}
def NN_ReduceMaxOp : NN_ReduceOp<"reduce_max", NN_NumericTensor> {
  let summary = "maximum over axes";
}

//===----------------------------------------------------------------------===//
// Further reductions (ONNX ReduceMin, ReduceProd, ArgMax, ArgMin). ReduceL1,
// ReduceL2, ReduceLogSum, ReduceLogSumExp and ReduceSumSquare import as
// elementwise ops around nn.reduce_sum.
//===----------------------------------------------------------------------===//

def NN_ReduceMinOp : NN_ReduceOp<"reduce_min", NN_NumericTensor> {
  let summary = "minimum over axes";
}
def NN_ReduceProdOp : NN_ReduceOp<"reduce_prod", NN_NumericTensor> {
  let summary = "product over axes";
}

class NN_ArgReduceOp<string mnemonic> : NN_InferredOp<mnemonic> {
  let description = [{
    Returns the `i64` index along `axis` (in `[0, rank)`) of the extreme
    element; ties go to the first index, or to the last with
    `select_last_index`. With `keepdims` the reduced dimension stays as 1.
    The reduced dimension must not be empty.

    ```mlir
    %i = nn.argmax %x {axis = 1 : i64, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xi64>
    ```
  }];
  let arguments = (ins NN_NumericTensor:$input, I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                       DefaultValuedAttr<BoolAttr, "false">:$select_last_index);
  let results = (outs RankedTensorOf<[I64]>:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return inferArgReduceType(loc, adaptor.getInput(), adaptor.getAxis(),
                                adaptor.getKeepdims(), inferred);
    }
  }];
}

def NN_ArgMaxOp : NN_ArgReduceOp<"argmax"> {
  let summary = "index of the maximum along an axis";
}
def NN_ArgMinOp : NN_ArgReduceOp<"argmin"> {
  let summary = "index of the minimum along an axis";
}

#endif // KILN_DIALECTS_NN_NNLAYEROPS_TD
