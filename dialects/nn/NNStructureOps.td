//===- NNStructureOps.td - fusion groups -------------------*- tablegen -*-===//
//
// `nn.fusion` groups ops that become one kernel; `nn.yield` ends its body.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_NN_NNSTRUCTUREOPS_TD
#define KILN_DIALECTS_NN_NNSTRUCTUREOPS_TD

include "dialects/nn/NNBase.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"

def NN_FusionOp : NN_Op<"fusion", [IsolatedFromAbove, SingleBlock,
    RecursiveMemoryEffects, RecursivelySpeculatable]> {
  let summary = "a group of ops compiled as one kernel";
  let description = [{
    The body is one block whose arguments stand for `inputs` (same types, in
    order) and which ends in `nn.yield` of values with the result types. The
    region is isolated from above: every value it uses comes in as an input.
    `kind` optionally names the pattern that formed the group.

    ```mlir
    %r = nn.fusion (%x, %w) {kind = "matmul_relu"}
        : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32> {
    ^bb0(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>):
      %m = nn.matmul %a, %b : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
      %y = nn.relu %m : tensor<4x16xf32>
      nn.yield %y : tensor<4x16xf32>
    }
    ```
  }];
  let arguments = (ins Variadic<NN_AnyTensor>:$inputs, OptionalAttr<StrAttr>:$kind);
  let results = (outs Variadic<NN_AnyTensor>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    `(` $inputs `)` attr-dict `:` functional-type($inputs, $results) $body
  }];
  let hasVerifier = 1;
}

def NN_YieldOp : NN_Op<"yield", [Pure, Terminator, ReturnLike,
                                 HasParent<"FusionOp">]> {
  let summary = "the results of an nn.fusion body";
  let arguments = (ins Variadic<NN_AnyTensor>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
}

#endif // KILN_DIALECTS_NN_NNSTRUCTUREOPS_TD
