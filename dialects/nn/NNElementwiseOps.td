//===- NNElementwiseOps.td - elementwise nn ops ------------*- tablegen -*-===//
//
// Binary arithmetic with NumPy broadcasting, `where`, `cast`, `clip`, the
// unary activations and math functions, the comparisons and logical ops
// (i1 results), rounding, trigonometry, float tests, the parameterized
// activations, `prelu` and `mod`.
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
    truncates toward zero (unsigned for `ui*` elements). Folds `x / 1`.
  }];
  let hasFolder = 1;
}

def NN_PowOp : NN_BinaryOp<"pow"> {
  let summary = "elementwise power with broadcasting";
  let description = [{
    `lhs ^ rhs` elementwise with NumPy broadcasting. Folds `x ^ 1`. As for
    ONNX `Pow`'s base, unsigned element types are not accepted.
  }];
  let arguments = (ins NN_SignedNumericTensor:$lhs,
                       NN_SignedNumericTensor:$rhs);
  let hasFolder = 1;
}

def NN_MaxOp : NN_BinaryOp<"max", [Commutative]> {
  let summary = "elementwise maximum with broadcasting";
  let description = [{
    Larger of `lhs` and `rhs` (NaN propagates; `ui*` elements compare
    unsigned). Folds `max(x, x)`.
  }];
  let hasFolder = 1;
}

def NN_MinOp : NN_BinaryOp<"min", [Commutative]> {
  let summary = "elementwise minimum with broadcasting";
  let description = [{
    Smaller of `lhs` and `rhs` (NaN propagates; `ui*` elements compare
    unsigned). Folds `min(x, x)`.
  }];
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
    for non-zero; an integer widens by its own signedness (zero-extension
    from `ui*` and `i1`, sign-extension from other signless types) and
    narrows by truncation, so a cast between `iN` and `uiN` keeps the bits.
    Quantized types go through `nn.quantize`/`nn.dequantize`.

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
def NN_NegOp : NN_UnaryOp<"neg", NN_SignedNumericTensor> {
  let summary = "negation";
  let hasFolder = 1;
}
def NN_AbsOp : NN_UnaryOp<"abs", NN_NumericTensor> {
  let summary = "absolute value";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Comparisons and logical ops (i1 results, NumPy broadcasting)
//===----------------------------------------------------------------------===//

def NN_EqualOp : NN_CompareOp<"equal", NN_NumericTensor, [Commutative]> {
  let summary = "elementwise equality with broadcasting";
  let description = [{
    `lhs == rhs` elementwise as an `i1` mask; shapes broadcast as in NumPy.
    Floats compare ordered (NaN equals nothing), integers exactly.

    ```mlir
    %m = nn.equal %a, %b : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi1>
    ```
  }];
}
def NN_LessOp : NN_CompareOp<"less", NN_NumericTensor> {
  let summary = "elementwise `lhs < rhs` with broadcasting";
  let description = [{
    `i1` mask of `lhs < rhs`; signless integers compare signed, `ui*` and
    `i1` unsigned, floats ordered (false when either is NaN).
  }];
}
def NN_LessEqualOp : NN_CompareOp<"less_equal", NN_NumericTensor> {
  let summary = "elementwise `lhs <= rhs` with broadcasting";
  let description = "As `nn.less`, for `lhs <= rhs`.";
}
def NN_GreaterOp : NN_CompareOp<"greater", NN_NumericTensor> {
  let summary = "elementwise `lhs > rhs` with broadcasting";
  let description = "As `nn.less`, for `lhs > rhs`.";
}
def NN_GreaterEqualOp : NN_CompareOp<"greater_equal", NN_NumericTensor> {
  let summary = "elementwise `lhs >= rhs` with broadcasting";
  let description = "As `nn.less`, for `lhs >= rhs`.";
}

def NN_AndOp : NN_CompareOp<"and", NN_BoolTensor, [Commutative]> {
  let summary = "elementwise logical and of `i1` masks with broadcasting";
  let description = "`lhs && rhs` elementwise with NumPy broadcasting.";
}
def NN_OrOp : NN_CompareOp<"or", NN_BoolTensor, [Commutative]> {
  let summary = "elementwise logical or of `i1` masks with broadcasting";
  let description = "`lhs || rhs` elementwise with NumPy broadcasting.";
}
def NN_XorOp : NN_CompareOp<"xor", NN_BoolTensor, [Commutative]> {
  let summary = "elementwise exclusive or of `i1` masks with broadcasting";
  let description = "`lhs != rhs` elementwise with NumPy broadcasting.";
}
def NN_NotOp : NN_UnaryOp<"not", NN_BoolTensor> {
  let summary = "elementwise logical not of an `i1` mask";
}

//===----------------------------------------------------------------------===//
// Rounding, sign, trigonometric and hyperbolic functions, float tests
//===----------------------------------------------------------------------===//

def NN_FloorOp : NN_UnaryOp<"floor", NN_FloatTensor> {
  let summary = "round toward negative infinity";
}
def NN_CeilOp : NN_UnaryOp<"ceil", NN_FloatTensor> {
  let summary = "round toward positive infinity";
}
def NN_RoundOp : NN_UnaryOp<"round", NN_FloatTensor> {
  let summary = "round to the nearest integer, halves to even";
  let description = [{
    Rounds each element to the nearest integer value; halfway cases go to
    the even neighbour (`2.5 -> 2`, `-1.5 -> -2`), as ONNX `Round` and
    `numpy.round` do.
  }];
}
def NN_SignOp : NN_UnaryOp<"sign", NN_NumericTensor> {
  let summary = "-1, 0 or 1 by the sign of each element";
  let description = "NaN stays NaN; a zero of either sign stays as it is.";
}
def NN_SinOp : NN_UnaryOp<"sin", NN_FloatTensor> { let summary = "sine"; }
def NN_CosOp : NN_UnaryOp<"cos", NN_FloatTensor> { let summary = "cosine"; }
def NN_TanOp : NN_UnaryOp<"tan", NN_FloatTensor> { let summary = "tangent"; }
def NN_AsinOp : NN_UnaryOp<"asin", NN_FloatTensor> {
  let summary = "arcsine";
}
def NN_AcosOp : NN_UnaryOp<"acos", NN_FloatTensor> {
  let summary = "arccosine";
}
def NN_AtanOp : NN_UnaryOp<"atan", NN_FloatTensor> {
  let summary = "arctangent";
}
def NN_SinhOp : NN_UnaryOp<"sinh", NN_FloatTensor> {
  let summary = "hyperbolic sine";
}
def NN_CoshOp : NN_UnaryOp<"cosh", NN_FloatTensor> {
  let summary = "hyperbolic cosine";
}
def NN_AsinhOp : NN_UnaryOp<"asinh", NN_FloatTensor> {
  let summary = "inverse hyperbolic sine";
}
def NN_AcoshOp : NN_UnaryOp<"acosh", NN_FloatTensor> {
  let summary = "inverse hyperbolic cosine";
}
def NN_AtanhOp : NN_UnaryOp<"atanh", NN_FloatTensor> {
  let summary = "inverse hyperbolic tangent";
}

def NN_IsNaNOp : NN_UnaryTestOp<"isnan"> {
  let summary = "`i1` mask of the NaN elements";
}
def NN_IsInfOp : NN_UnaryTestOp<"isinf"> {
  let summary = "`i1` mask of the infinite elements";
  let description = [{
    True for `+inf` when `detect_positive` and for `-inf` when
    `detect_negative` (both by default), as ONNX `IsInf`.

    ```mlir
    %m = nn.isinf %x {detect_negative = false} : tensor<4xf32> -> tensor<4xi1>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input,
                       DefaultValuedAttr<BoolAttr, "true">:$detect_negative,
                       DefaultValuedAttr<BoolAttr, "true">:$detect_positive);
}

//===----------------------------------------------------------------------===//
// Parameterized activations and Mod
//===----------------------------------------------------------------------===//

def NN_LeakyReluOp : NN_UnaryOp<"leaky_relu", NN_FloatTensor> {
  let summary = "x for x >= 0, alpha * x below";
  let arguments = (ins NN_FloatTensor:$input,
                       DefaultValuedAttr<F64Attr, "0.01">:$alpha);
}
def NN_EluOp : NN_UnaryOp<"elu", NN_FloatTensor> {
  let summary = "x for x >= 0, alpha * (exp(x) - 1) below";
  let arguments = (ins NN_FloatTensor:$input,
                       DefaultValuedAttr<F64Attr, "1.0">:$alpha);
}
def NN_SeluOp : NN_UnaryOp<"selu", NN_FloatTensor> {
  let summary = "gamma * x for x > 0, gamma * alpha * (exp(x) - 1) otherwise";
  let description = [{
    Defaults are ONNX's (the float32 values of the self-normalizing
    constants).
  }];
  let arguments = (ins NN_FloatTensor:$input,
      DefaultValuedAttr<F64Attr, "1.67326319217681884765625">:$alpha,
      DefaultValuedAttr<F64Attr, "1.05070102214813232421875">:$gamma);
}
def NN_CeluOp : NN_UnaryOp<"celu", NN_FloatTensor> {
  let summary = "max(0, x) + min(0, alpha * (exp(x / alpha) - 1))";
  let description = "`alpha` must not be zero.";
  let arguments = (ins NN_FloatTensor:$input,
                       DefaultValuedAttr<F64Attr, "1.0">:$alpha);
  let hasVerifier = 1;
}
def NN_SoftplusOp : NN_UnaryOp<"softplus", NN_FloatTensor> {
  let summary = "log(1 + exp(x))";
  let description = [{
    Computed as `max(x, 0) + log1p(exp(-|x|))`, which does not overflow for
    large `x`.
  }];
}
def NN_SoftsignOp : NN_UnaryOp<"softsign", NN_FloatTensor> {
  let summary = "x / (1 + |x|)";
}
def NN_MishOp : NN_UnaryOp<"mish", NN_FloatTensor> {
  let summary = "x * tanh(softplus(x))";
}
def NN_ThresholdedReluOp : NN_UnaryOp<"thresholded_relu", NN_FloatTensor> {
  let summary = "x for x > alpha, 0 otherwise";
  let arguments = (ins NN_FloatTensor:$input,
                       DefaultValuedAttr<F64Attr, "1.0">:$alpha);
}

def NN_PReluOp : NN_InferredOp<"prelu"> {
  let summary = "x for x >= 0, slope * x below, slope broadcast to x";
  let description = [{
    The slope broadcasts to the input's shape (unidirectionally, as ONNX
    `PRelu`); the result has the input's type.

    ```mlir
    %r = nn.prelu %x, %s : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
    ```
  }];
  let arguments = (ins NN_NumericTensor:$input, NN_NumericTensor:$slope);
  let results = (outs NN_NumericTensor:$output);
  let assemblyFormat =
      "$input `,` $slope attr-dict `:` functional-type(operands, results)";
}

def NN_ModOp : NN_BinaryOp<"mod"> {
  let summary = "elementwise remainder with broadcasting";
  let description = [{
    With `fmod = false` (integers only) the remainder takes the sign of the
    divisor, as Python's `%`; with `fmod = true` it takes the sign of the
    dividend, as C's `fmod`. Floats require `fmod = true`. An integer
    remainder by zero is 0 (as in NumPy). For `ui*` elements both are the
    plain unsigned remainder.
  }];
  let arguments = (ins NN_NumericTensor:$lhs, NN_NumericTensor:$rhs,
                       DefaultValuedAttr<BoolAttr, "false">:$fmod);
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Bit shifts (unsigned integers)
//===----------------------------------------------------------------------===//

def NN_BitShiftOp : NN_InferredOp<"bit_shift"> {
  let summary = "elementwise logical bit shift of unsigned integers";
  let description = [{
    Shifts each element of `lhs` left or right (`direction`) by the
    corresponding element of `rhs`, with NumPy broadcasting, as ONNX
    `BitShift`. Both operands are unsigned integers of one type; a right
    shift fills with zeros, and a shift by the bit width or more gives 0 (as
    `numpy.left_shift` / `numpy.right_shift` do).

    ```mlir
    %r = nn.bit_shift %x, %n {direction = #nn.shift_direction<right>}
        : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
    ```
  }];
  let arguments = (ins NN_UnsignedTensor:$lhs, NN_UnsignedTensor:$rhs,
                       NN_ShiftDirectionAttr:$direction);
  let results = (outs NN_UnsignedTensor:$output);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return inferBroadcastBinaryType(loc, adaptor.getLhs().getType(),
                                      adaptor.getRhs().getType(), inferred);
    }
  }];
}

#endif // KILN_DIALECTS_NN_NNELEMENTWISEOPS_TD
