//===- NNShapeOps.td - constants and data-movement nn ops --*- tablegen -*-===//
//
// Constants (weights) and the ops that only move data: reshape, flatten,
// transpose, concat, slice, pad, gather and gather_elements.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_NN_NNSHAPEOPS_TD
#define KILN_DIALECTS_NN_NNSHAPEOPS_TD

include "dialects/nn/NNBase.td"

def NN_ConstantOp : NN_InferredOp<"constant", [ConstantLike]> {
  let summary = "a constant tensor (weights, biases, shape arguments)";
  let description = [{
    Holds an `ElementsAttr`. Importers store large weights as
    `dense_resource` blobs so that the IR stays printable; small ones as
    `dense`.

    ```mlir
    %w = nn.constant dense_resource<conv1_weight> : tensor<64x3x7x7xf32>
    %b = nn.constant dense<0.0> : tensor<64xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs NN_AnyTensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

def NN_ReshapeOp : NN_Op<"reshape", [Pure]> {
  let summary = "change the shape, keeping the elements in row-major order";
  let description = [{
    The result type gives the new shape. Element types match; when both
    shapes are static their element counts match; at most one result
    dimension is dynamic. Folds reshapes of reshapes and of constants.

    ```mlir
    %r = nn.reshape %x : tensor<1x512x1x1xf32> -> tensor<1x512xf32>
    ```
  }];
  let arguments = (ins NN_AnyTensor:$input);
  let results = (outs NN_AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def NN_FlattenOp : NN_InferredOp<"flatten"> {
  let summary = "collapse to 2-D around an axis";
  let description = [{
    ONNX `Flatten`: `d0 x ... x dn` becomes
    `(d0 * ... * d(axis-1)) x (d(axis) * ... * dn)`, with `0 <= axis <= rank`.
    Canonicalizes to `nn.reshape`.
  }];
  let arguments = (ins NN_AnyTensor:$input, DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs NN_AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasCanonicalizer = 1;
}

def NN_TransposeOp : NN_InferredOp<"transpose"> {
  let summary = "permute dimensions";
  let description = [{
    Result dimension `i` is input dimension `perm[i]`. Folds the identity
    permutation and transposes of transposes; a permutation that only moves
    unit dimensions canonicalizes to `nn.reshape`.
  }];
  let arguments = (ins NN_AnyTensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs NN_AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def NN_ConcatOp : NN_InferredOp<"concat"> {
  let summary = "join tensors along an axis";
  let description = [{
    All inputs share rank, element type and every dimension but `axis`.
    A single input folds to itself; nested concats on the same axis merge.
  }];
  let arguments = (ins Variadic<NN_AnyTensor>:$inputs, I64Attr:$axis);
  let results = (outs NN_AnyTensor:$output);
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def NN_SliceOp : NN_InferredOp<"slice"> {
  let summary = "strided slice, one start/end/step per dimension";
  let description = [{
    Normalized ONNX `Slice`: `starts`, `ends` and `steps` have one entry per
    dimension. For `step > 0`, `0 <= start <= end <= dim`; for `step < 0`,
    `-1 <= end <= start < dim` (an end of -1 runs to the first element). The
    result has `ceil((end - start) / step)` elements per dimension. A slice
    that keeps everything folds away.
  }];
  let arguments = (ins NN_AnyTensor:$input, DenseI64ArrayAttr:$starts,
                       DenseI64ArrayAttr:$ends, DenseI64ArrayAttr:$steps);
  let results = (outs NN_AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def NN_PadOp : NN_InferredOp<"pad"> {
  let summary = "pad each dimension at both ends";
  let description = [{
    `pads` holds the begin padding of every dimension, then the end padding
    (ONNX order), all non-negative. `mode` (spelled `#nn.pad_mode<reflect>`)
    is `constant` (fill with `value`),
    `reflect` (mirror without the edge; pads smaller than the dimension) or
    `edge` (repeat the border element). All-zero padding folds away.
  }];
  let arguments = (ins NN_NumericTensor:$input, DenseI64ArrayAttr:$pads,
      DefaultValuedAttr<NN_PadModeAttr, "::kiln::nn::PadMode::Constant">:$mode,
      DefaultValuedAttr<F64Attr, "0.0">:$value);
  let results = (outs NN_NumericTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def NN_GatherOp : NN_InferredOp<"gather"> {
  let summary = "gather slices along an axis by index";
  let description = [{
    ONNX `Gather`: the result shape is
    `data.shape[:axis] + indices.shape + data.shape[axis+1:]`. Negative
    indices count from the end of the axis.
  }];
  let arguments = (ins NN_AnyTensor:$data, NN_IndexTensor:$indices, I64Attr:$axis);
  let results = (outs NN_AnyTensor:$output);
  let assemblyFormat =
      "$data `,` $indices attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Element-wise gathering (ONNX GatherElements)
//===----------------------------------------------------------------------===//

def NN_GatherElementsOp : NN_InferredOp<"gather_elements"> {
  let summary = "gather single elements along an axis by index";
  let description = [{
    ONNX `GatherElements`: `data` and `indices` have the same rank, and the
    result has the shape of `indices`, with
    `out[i0, ..., ik] = data[i0, ..., indices[i0, ..., ik], ..., ik]` (the
    index replacing position `axis`). Negative indices count from the end of
    the axis.

    ```mlir
    %g = nn.gather_elements %x, %i {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
    ```
  }];
  let arguments = (ins NN_AnyTensor:$data, NN_IndexTensor:$indices, I64Attr:$axis);
  let results = (outs NN_AnyTensor:$output);
  let assemblyFormat =
      "$data `,` $indices attr-dict `:` functional-type(operands, results)";
}

#endif // KILN_DIALECTS_NN_NNSHAPEOPS_TD
