//===- NNElementwiseOps.td - elementwise nn ops ------------*- tablegen -*-===//
//
// Binary arithmetic with NumPy broadcasting, `where`, `cast`, `clip` and the
// unary activations and math functions.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_NN_NNELEMENTWISEOPS_TD
#define KILN_DIALECTS_NN_NNELEMENTWISEOPS_TD

include "dialects/nn/NNBase.td"

//===----------------------------------------------------------------------===//
// Binary
//===----------------------------------------------------------------------===//

def NN_AddOp : NN_BinaryOp<"add", [Commutative]> {
  let summary = "elementwise addition with broadcasting";
  let description = [{
    `lhs + rhs` elementwise; shapes broadcast as in NumPy. Folds `x + 0`.

    ```mlir
    %r = nn.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let hasFolder = 1;
}

def NN_SubOp : NN_BinaryOp<"sub"> {
  let summary = "elementwise subtraction with broadcasting";
  let description = "`lhs - rhs` elementwise with NumPy broadcasting. Folds `x - 0`.";
  let hasFolder = 1;
}

def NN_MulOp : NN_BinaryOp<"mul", [Commutative]> {
  let summary = "elementwise multiplication with broadcasting";
  let description = "`lhs * rhs` elementwise with NumPy broadcasting. Folds `x * 1`.";
  let hasFolder = 1;
}

def NN_DivOp : NN_BinaryOp<"div"> {
  let summary = "elementwise division with broadcasting";
  let description = [{
    `lhs / rhs` elementwise with NumPy broadcasting; integer division
    truncates toward zero. Folds `x / 1`.
  }];
  let hasFolder = 1;
}

def NN_PowOp : NN_BinaryOp<"pow"> {
  let summary = "elementwise power with broadcasting";
  let description = "`lhs ^ rhs` elementwise with NumPy broadcasting. Folds `x ^ 1`.";
  let hasFolder = 1;
}

def NN_MaxOp : NN_BinaryOp<"max", [Commutative]> {
  let summary = "elementwise maximum with broadcasting";
  let description = "Larger of `lhs` and `rhs` (NaN propagates). Folds `max(x, x)`.";
  let hasFolder = 1;
}

def NN_MinOp : NN_BinaryOp<"min", [Commutative]> {
  let summary = "elementwise minimum with broadcasting";
  let description = "Smaller of `lhs` and `rhs` (NaN propagates). Folds `min(x, x)`.";
  let hasFolder = 1;
}

def NN_WhereOp : NN_InferredOp<"where"> {
  let summary = "elementwise select with broadcasting";
  let description = [{
    `condition ? lhs : rhs` elementwise; all three operands broadcast together
    as in NumPy. `lhs` and `rhs` share an element type; `condition` is `i1`.
  }];
  let arguments = (ins NN_BoolTensor:$condition, NN_AnyTensor:$lhs,
                       NN_AnyTensor:$rhs);
  let results = (outs NN_AnyTensor:$output);
  let assemblyFormat =
      "$condition `,` $lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Conversions and clamping
//===----------------------------------------------------------------------===//

def NN_CastOp : NN_Op<"cast", [Pure, SameOperandsAndResultShape]> {
  let summary = "elementwise conversion between numeric element types";
  let description = [{
    Converts each element to the result's element type with ONNX `Cast`
    semantics: float to integer truncates toward zero; integer to `i1` tests
    for non-zero. Quantized types go through `nn.quantize`/`nn.dequantize`.

    ```mlir
    %r = nn.cast %x : tensor<4xf32> -> tensor<4xi64>
    ```
  }];
  let arguments = (ins NN_NumericTensor:$input);
  let results = (outs NN_NumericTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
}

def NN_ClipOp : NN_UnaryOp<"clip", NN_NumericTensor> {
  let summary = "clamp to an optional lower and upper bound";
  let description = [{
    `min(max(x, min), max)`; a missing bound is unbounded. The canonical form
    of `clip` with only `min = 0` is `nn.relu`.

    ```mlir
    %r = nn.clip %x {min = 0.0 : f64, max = 6.0 : f64} : tensor<8xf32>
    ```
  }];
  let arguments = (ins NN_NumericTensor:$input, OptionalAttr<F64Attr>:$min,
                       OptionalAttr<F64Attr>:$max);
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

//===----------------------------------------------------------------------===//
// Unary activations and math
//===----------------------------------------------------------------------===//

def NN_ReluOp : NN_UnaryOp<"relu", NN_NumericTensor> {
  let summary = "rectified linear unit, max(x, 0)";
  let hasFolder = 1;
}
def NN_SigmoidOp : NN_UnaryOp<"sigmoid", NN_FloatTensor> {
  let summary = "logistic sigmoid, 1 / (1 + exp(-x))";
}
def NN_TanhOp : NN_UnaryOp<"tanh", NN_FloatTensor> {
  let summary = "hyperbolic tangent";
}
def NN_GeluOp : NN_UnaryOp<"gelu", NN_FloatTensor> {
  let summary = "Gaussian error linear unit";
  let description = [{
    `x * Phi(x)` with the exact erf form, or the tanh approximation when
    `approximate = #nn.gelu_approximation<tanh>`.
  }];
  let arguments = (ins NN_FloatTensor:$input,
      DefaultValuedAttr<NN_GeluApproximationAttr,
                        "::kiln::nn::GeluApproximation::None">:$approximate);
}
def NN_SiluOp : NN_UnaryOp<"silu", NN_FloatTensor> {
  let summary = "sigmoid linear unit (swish), x * sigmoid(x)";
}
def NN_HardSwishOp : NN_UnaryOp<"hardswish", NN_FloatTensor> {
  let summary = "x * relu6(x + 3) / 6";
}
def NN_HardSigmoidOp : NN_UnaryOp<"hardsigmoid", NN_FloatTensor> {
  let summary = "max(0, min(1, alpha * x + beta))";
  let description = [{
    Defaults follow ONNX (`alpha = 0.2`, `beta = 0.5`); PyTorch's
    `hardsigmoid` is `alpha = 1/6`.
  }];
  let arguments = (ins NN_FloatTensor:$input,
                       DefaultValuedAttr<F64Attr, "0.2">:$alpha,
                       DefaultValuedAttr<F64Attr, "0.5">:$beta);
}
def NN_ErfOp : NN_UnaryOp<"erf", NN_FloatTensor> { let summary = "error function"; }
def NN_ExpOp : NN_UnaryOp<"exp", NN_FloatTensor> { let summary = "natural exponential"; }
def NN_LogOp : NN_UnaryOp<"log", NN_FloatTensor> { let summary = "natural logarithm"; }
def NN_SqrtOp : NN_UnaryOp<"sqrt", NN_FloatTensor> { let summary = "square root"; }
def NN_RsqrtOp : NN_UnaryOp<"rsqrt", NN_FloatTensor> {
  let summary = "reciprocal square root, 1 / sqrt(x)";
}
def NN_NegOp : NN_UnaryOp<"neg", NN_NumericTensor> {
  let summary = "negation";
  let hasFolder = 1;
}
def NN_AbsOp : NN_UnaryOp<"abs", NN_NumericTensor> {
  let summary = "absolute value";
  let hasFolder = 1;
}

#endif // KILN_DIALECTS_NN_NNELEMENTWISEOPS_TD
