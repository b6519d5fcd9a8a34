//===- NNIndexingOps.td - scans, scatters, top-k -----------*- tablegen -*-===//
//
// Ops whose results are addressed by run-time indices or by a running
// order along an axis: cumsum (a scan), gather_nd, scatter_elements and
// scatter_nd (which write through index tensors), and top_k (a partial
// sort). Their result types are inferred in NNIndexingOps.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_NN_NNINDEXINGOPS_TD
#define KILN_DIALECTS_NN_NNINDEXINGOPS_TD

include "dialects/nn/NNBase.td"

def NN_ScatterReduction : I32EnumAttr<"ScatterReduction",
    "how a scatter combines an update with the element it lands on", [
    I32EnumAttrCase<"None", 0, "none">,
    I32EnumAttrCase<"Add", 1, "add">,
    I32EnumAttrCase<"Mul", 2, "mul">,
    I32EnumAttrCase<"Max", 3, "max">,
    I32EnumAttrCase<"Min", 4, "min">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::kiln::nn";
}
def NN_ScatterReductionAttr
    : EnumAttr<NN_Dialect, NN_ScatterReduction, "scatter_reduction"> {
  let assemblyFormat = "`<` $value `>`";
}

def NN_CumsumOp : NN_InferredOp<"cumsum"> {
  let summary = "cumulative sum along an axis";
  let description = [{
    ONNX `CumSum` with a normalized axis (`0 <= axis < rank`): element `i`
    along `axis` is the sum of elements `0..i` (`0..i-1` with `exclusive`,
    so that the first is 0). With `reverse` the sums run from the end of the
    axis instead. The sum is accumulated in order, one element at a time, as
    NumPy's `cumsum` does. The result has the input's type.

    ```mlir
    %s = nn.cumsum %x {axis = 1 : i64, exclusive = true} : (tensor<2x3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins NN_NumericTensor:$input, I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "false">:$exclusive,
                       DefaultValuedAttr<BoolAttr, "false">:$reverse);
  let results = (outs NN_NumericTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def NN_GatherNDOp : NN_InferredOp<"gather_nd"> {
  let summary = "gather slices addressed by index tuples";
  let description = [{
    ONNX `GatherND`: the last dimension of `indices` (of size `r`, static)
    holds tuples that index dimensions `batch_dims..batch_dims+r-1` of
    `data`; the first `batch_dims` dimensions of `data` and `indices` are
    batch dimensions they share. The result shape is
    `indices.shape[:-1] + data.shape[batch_dims + r:]`. Negative indices
    count from the end of their dimension.

    ```mlir
    %g = nn.gather_nd %x, %i {batch_dims = 0 : i64} : (tensor<2x2x2xf32>, tensor<2x1x2xi64>) -> tensor<2x1x2xf32>
    ```
  }];
  let arguments = (ins NN_AnyTensor:$data, NN_IndexTensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$batch_dims);
  let results = (outs NN_AnyTensor:$output);
  let assemblyFormat =
      "$data `,` $indices attr-dict `:` functional-type(operands, results)";
}

def NN_ScatterElementsOp : NN_InferredOp<"scatter_elements"> {
  let summary = "write single elements along an axis by index";
  let description = [{
    ONNX `ScatterElements`: the result is `data` where, for every position
    `p` of `indices` (which has the rank and shape of `updates`, and at most
    the size of `data` in every dimension but `axis`), the element at `p`
    with `p[axis]` replaced by `indices[p]` becomes `updates[p]`, combined
    with the element already there when `reduction` is `add`, `mul`, `max`
    or `min`. Updates apply in row-major order of `p`, so that with
    `reduction = none` the last of duplicate indices wins. Negative indices
    count from the end of the axis.

    ```mlir
    %s = nn.scatter_elements %x, %i, %u {axis = 1 : i64, reduction = #nn.scatter_reduction<add>}
        : (tensor<1x5xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<1x5xf32>
    ```
  }];
  let arguments = (ins NN_NumericTensor:$data, NN_IndexTensor:$indices,
      NN_NumericTensor:$updates, I64Attr:$axis,
      DefaultValuedAttr<NN_ScatterReductionAttr,
                        "::kiln::nn::ScatterReduction::None">:$reduction);
  let results = (outs NN_NumericTensor:$output);
  let assemblyFormat = [{
    $data `,` $indices `,` $updates attr-dict `:` functional-type(operands, results)
  }];
}

def NN_ScatterNDOp : NN_InferredOp<"scatter_nd"> {
  let summary = "write slices addressed by index tuples";
  let description = [{
    ONNX `ScatterND`: the last dimension of `indices` (of size `r`, static)
    holds tuples that address slices `data[t]` of shape `data.shape[r:]`;
    `updates` has shape `indices.shape[:-1] + data.shape[r:]`. The result is
    `data` with each addressed slice replaced by its update (combined with
    it for `add`, `mul`, `max`, `min`), in row-major order of the tuples.
    Negative indices count from the end of their dimension.

    ```mlir
    %s = nn.scatter_nd %x, %i, %u : (tensor<4x4xf32>, tensor<2x1xi64>, tensor<2x4xf32>) -> tensor<4x4xf32>
    ```
  }];
  let arguments = (ins NN_NumericTensor:$data, NN_IndexTensor:$indices,
      NN_NumericTensor:$updates,
      DefaultValuedAttr<NN_ScatterReductionAttr,
                        "::kiln::nn::ScatterReduction::None">:$reduction);
  let results = (outs NN_NumericTensor:$output);
  let assemblyFormat = [{
    $data `,` $indices `,` $updates attr-dict `:` functional-type(operands, results)
  }];
}

def NN_TopKOp : NN_InferredOp<"top_k"> {
  let summary = "the k largest or smallest elements along an axis, sorted";
  let description = [{
    ONNX `TopK` with a normalized axis and a constant `k`
    (`0 <= k <= dim(axis)`): `values` holds the `k` largest elements of each
    slice along `axis` (the smallest with `largest = false`) in order, best
    first, and `indices` their `i64` positions. Equal values are ordered by
    position, the lower first, as ONNX requires.

    ```mlir
    %v, %i = nn.top_k %x {axis = 1 : i64, k = 2 : i64} : (tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>)
    ```
  }];
  let arguments = (ins NN_NumericTensor:$input, I64Attr:$axis,
                       I64Attr:$k, DefaultValuedAttr<BoolAttr, "true">:$largest);
  let results = (outs NN_NumericTensor:$values,
                      RankedTensorOf<[I64]>:$indices);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

#endif // KILN_DIALECTS_NN_NNINDEXINGOPS_TD
