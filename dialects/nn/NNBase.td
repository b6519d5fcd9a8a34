//===- NNBase.td - nn dialect definition and shared constraints -*- tablegen -*-===//
//
// The `nn` dialect is Kiln's framework-neutral layer: both the ONNX and the
// TorchScript importers produce it, and nothing downstream knows which one a
// model came from. This file defines the dialect, its enums, the op base
// classes and the type constraints the op definitions share.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_NN_NNBASE_TD
#define KILN_DIALECTS_NN_NNBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def NN_Dialect : Dialect {
  let name = "nn";
  let cppNamespace = "::kiln::nn";
  let summary = "Framework-neutral neural-network tensor operations";
  let description = [{
    Ops on ranked tensors that both Kiln frontends (ONNX and TorchScript)
    produce. Layouts are fixed (NCHW activations, OIHW convolution weights),
    attributes are normalized by the importers (non-negative axes, explicit
    padding per edge), and every op infers its result type from its operands
    so that a wrong shape is caught where it is created.

    Arithmetic follows NumPy broadcasting. Floating-point folds treat the sign
    of zero as insignificant (`x + 0.0 -> x`), as graph-level simplifiers in
    other deep-learning compilers do.

    Quantized tensors use the upstream `quant` dialect's element types
    (`!quant.uniform<i8:f32, 0.1:-3>` and per-axis variants). Signless
    integers are signed numbers; unsigned ones use the builtin `ui8`..`ui64`
    types, from which the ops whose result depends on signedness (division,
    ordering, extension) take it.
  }];
  let dependentDialects = ["::mlir::quant::QuantDialect"];
  let hasConstantMaterializer = 1;
  let useDefaultAttributePrinterParser = 1;
}

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def NN_PadMode : I32EnumAttr<"PadMode", "how nn.pad fills the border", [
    I32EnumAttrCase<"Constant", 0, "constant">,
    I32EnumAttrCase<"Reflect", 1, "reflect">,
    I32EnumAttrCase<"Edge", 2, "edge">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::kiln::nn";
}
def NN_PadModeAttr : EnumAttr<NN_Dialect, NN_PadMode, "pad_mode"> {
  let assemblyFormat = "`<` $value `>`";
}

def NN_GeluApproximation : I32EnumAttr<"GeluApproximation",
    "which formula nn.gelu computes", [
    I32EnumAttrCase<"None", 0, "none">,
    I32EnumAttrCase<"Tanh", 1, "tanh">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::kiln::nn";
}
def NN_GeluApproximationAttr
    : EnumAttr<NN_Dialect, NN_GeluApproximation, "gelu_approximation"> {
  let assemblyFormat = "`<` $value `>`";
}

def NN_ShiftDirection : I32EnumAttr<"ShiftDirection",
    "which way nn.bit_shift moves the bits", [
    I32EnumAttrCase<"Left", 0, "left">,
    I32EnumAttrCase<"Right", 1, "right">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::kiln::nn";
}
def NN_ShiftDirectionAttr
    : EnumAttr<NN_Dialect, NN_ShiftDirection, "shift_direction"> {
  let assemblyFormat = "`<` $value `>`";
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

// Any element type a model tensor may carry: floats, signless integers
// (signed arithmetic; i1 for masks), unsigned integers (`ui8`..`ui64`, whose
// ops use unsigned division, comparison and extension) and quantized types.
def NN_QuantizedType : Type<CPred<"::llvm::isa<::mlir::quant::QuantizedType>($_self)">,
                            "quantized type">;
def NN_UnsignedInteger : AnyTypeOf<[UI8, UI16, UI32, UI64], "unsigned integer">;
def NN_AnyTensor : RankedTensorOf<[AnyFloat, AnySignlessInteger,
                                   NN_UnsignedInteger, NN_QuantizedType]>;
def NN_FloatTensor : RankedTensorOf<[AnyFloat]>;
def NN_NumericTensor : RankedTensorOf<[AnyFloat, AnySignlessInteger,
                                       NN_UnsignedInteger]>;
// Numbers whose ONNX counterparts have no unsigned variant (Pow's base,
// Neg): floats and signless integers.
def NN_SignedNumericTensor : RankedTensorOf<[AnyFloat, AnySignlessInteger]>;
def NN_UnsignedTensor : RankedTensorOf<[NN_UnsignedInteger]>;
def NN_BoolTensor : RankedTensorOf<[I1]>;
def NN_IndexTensor : RankedTensorOf<[I32, I64]>;
def NN_QuantizedTensor : RankedTensorOf<[NN_QuantizedType]>;

//===----------------------------------------------------------------------===//
// Op base classes
//===----------------------------------------------------------------------===//

class NN_Op<string mnemonic, list<Trait> traits = []>
    : Op<NN_Dialect, mnemonic, traits>;

// An op whose single result type is computed from its operands and
// attributes by a static `inferReturnTypes`; the same function checks shapes,
// so a malformed op reports why when it is verified.
class NN_InferredOp<string mnemonic, list<Trait> traits = []>
    : NN_Op<mnemonic, !listconcat(traits, [Pure, InferTypeOpAdaptor])>;

// Elementwise op of one operand whose result has the operand's type.
class NN_UnaryOp<string mnemonic, Type operandType, list<Trait> traits = []>
    : NN_Op<mnemonic, !listconcat(traits, [Pure, SameOperandsAndResultType])> {
  let description = [{
    Applies the function named in the summary to each element; the result
    has the operand's type.
  }];
  let arguments = (ins operandType:$input);
  let results = (outs operandType:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
}

// Elementwise op of two operands with NumPy broadcasting; each op states its
// function in its own description.
class NN_BinaryOp<string mnemonic, list<Trait> traits = []>
    : NN_InferredOp<mnemonic, traits> {
  let arguments = (ins NN_NumericTensor:$lhs, NN_NumericTensor:$rhs);
  let results = (outs NN_NumericTensor:$output);
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

// Elementwise comparison or logical op of two operands with NumPy
// broadcasting whose result is an `i1` mask; both operands share an element
// type.
class NN_CompareOp<string mnemonic, Type operandType, list<Trait> traits = []>
    : NN_InferredOp<mnemonic, traits> {
  let arguments = (ins operandType:$lhs, operandType:$rhs);
  let results = (outs NN_BoolTensor:$output);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return inferBroadcastCompareType(loc, adaptor.getLhs().getType(),
                                       adaptor.getRhs().getType(), inferred);
    }
  }];
}

// Elementwise test of one float operand whose result is an `i1` mask of the
// operand's shape.
class NN_UnaryTestOp<string mnemonic, list<Trait> traits = []>
    : NN_InferredOp<mnemonic, traits> {
  let arguments = (ins NN_FloatTensor:$input);
  let results = (outs NN_BoolTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return inferUnaryTestType(loc, adaptor.getInput().getType(), inferred);
    }
  }];
}

#endif // KILN_DIALECTS_NN_NNBASE_TD
