//===- NNImageOps.td - image resampling nn ops -------------*- tablegen -*-===//
//
// Ops that resample a tensor onto a grid of another size: `nn.resize`
// (ONNX Resize and Upsample, torch.nn.functional.interpolate), with the
// enums that choose its interpolation, coordinate mapping and rounding.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_NN_NNIMAGEOPS_TD
#define KILN_DIALECTS_NN_NNIMAGEOPS_TD

include "dialects/nn/NNBase.td"

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def NN_ResizeMode : I32EnumAttr<"ResizeMode",
    "how nn.resize interpolates between input elements", [
    I32EnumAttrCase<"Nearest", 0, "nearest">,
    I32EnumAttrCase<"Linear", 1, "linear">,
    I32EnumAttrCase<"Cubic", 2, "cubic">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::kiln::nn";
}
def NN_ResizeModeAttr : EnumAttr<NN_Dialect, NN_ResizeMode, "resize_mode"> {
  let assemblyFormat = "`<` $value `>`";
}

def NN_CoordinateMode : I32EnumAttr<"CoordinateMode",
    "how nn.resize maps an output coordinate to an input coordinate", [
    I32EnumAttrCase<"HalfPixel", 0, "half_pixel">,
    I32EnumAttrCase<"PytorchHalfPixel", 1, "pytorch_half_pixel">,
    I32EnumAttrCase<"AlignCorners", 2, "align_corners">,
    I32EnumAttrCase<"Asymmetric", 3, "asymmetric">,
    I32EnumAttrCase<"TfHalfPixelForNN", 4, "tf_half_pixel_for_nn">,
    I32EnumAttrCase<"TfCropAndResize", 5, "tf_crop_and_resize">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::kiln::nn";
}
def NN_CoordinateModeAttr
    : EnumAttr<NN_Dialect, NN_CoordinateMode, "coordinate_mode"> {
  let assemblyFormat = "`<` $value `>`";
}

def NN_NearestMode : I32EnumAttr<"NearestMode",
    "how nn.resize rounds a coordinate in nearest mode", [
    I32EnumAttrCase<"RoundPreferFloor", 0, "round_prefer_floor">,
    I32EnumAttrCase<"RoundPreferCeil", 1, "round_prefer_ceil">,
    I32EnumAttrCase<"Floor", 2, "floor">,
    I32EnumAttrCase<"Ceil", 3, "ceil">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::kiln::nn";
}
def NN_NearestModeAttr : EnumAttr<NN_Dialect, NN_NearestMode, "nearest_mode"> {
  let assemblyFormat = "`<` $value `>`";
}

//===----------------------------------------------------------------------===//
// Ops
//===----------------------------------------------------------------------===//

def NN_ResizeOp : NN_Op<"resize", [Pure]> {
  let summary = "resample a tensor by nearest, n-linear or n-cubic interpolation";
  let description = [{
    ONNX `Resize` (opsets 10 to 13). The result type gives the output size
    of every dimension; `scales` (one positive factor per dimension) gives
    the coordinate mapping, which is not always `output / input` (ONNX
    computes the output size as `floor(input * scale)` and maps coordinates
    with the scale itself). Along dimension `d`, with `L = scales[d] *
    input_size` (a real number), output coordinate `x` maps to the input
    coordinate

    - `half_pixel`: `(x + 0.5) / scale - 0.5`
    - `pytorch_half_pixel`: as `half_pixel`, but `-0.5` when `L == 1`
    - `align_corners`: `x * (input_size - 1) / (L - 1)`, `0` when `L == 1`
    - `asymmetric`: `x / scale`
    - `tf_half_pixel_for_nn`: `(x + 0.5) / scale`
    - `tf_crop_and_resize`: `roi_start * (input_size - 1) + x * (roi_end -
      roi_start) * (input_size - 1) / (L - 1)` (the centre of the region when
      `L == 1`); an output element whose coordinate falls outside
      `[0, input_size - 1]` along any dimension is `extrapolation_value`.
      `roi` holds the starts of every dimension, then the ends, in
      normalized coordinates; it is required in this mode only.

    `nearest` takes the input element at the coordinate rounded by
    `nearest_mode` (a whole coordinate is kept as is); `linear` interpolates
    between the two neighbours and `cubic` over four with Keys' kernel of
    parameter `cubic_coeff_a`, independently along every dimension.
    Neighbours outside the input repeat the border element, or, with
    `exclude_outside`, get weight 0 and the remaining weights are
    renormalized. These are the semantics of ONNX's reference implementation.

    A dynamic dimension must be dynamic in both the input and the result,
    have scale 1 and a coordinate mode that maps it to itself.
    `linear` and `cubic` need a floating-point element type.

    ```mlir
    %y = nn.resize %x {scales = array<f64: 1.0, 1.0, 2.0, 2.0>,
                       mode = #nn.resize_mode<linear>,
                       coordinate_transformation_mode = #nn.coordinate_mode<align_corners>}
        : (tensor<1x3x8x8xf32>) -> tensor<1x3x16x16xf32>
    ```
  }];
  let arguments = (ins NN_NumericTensor:$input,
      DenseF64ArrayAttr:$scales,
      DefaultValuedAttr<NN_ResizeModeAttr,
                        "::kiln::nn::ResizeMode::Nearest">:$mode,
      DefaultValuedAttr<NN_CoordinateModeAttr,
                        "::kiln::nn::CoordinateMode::HalfPixel">:
          $coordinate_transformation_mode,
      DefaultValuedAttr<NN_NearestModeAttr,
                        "::kiln::nn::NearestMode::RoundPreferFloor">:$nearest_mode,
      DefaultValuedAttr<F64Attr, "-0.75">:$cubic_coeff_a,
      DefaultValuedAttr<BoolAttr, "false">:$exclude_outside,
      OptionalAttr<DenseF64ArrayAttr>:$roi,
      DefaultValuedAttr<F64Attr, "0.0">:$extrapolation_value);
  let results = (outs NN_NumericTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Returns true when dimension `dim` of the result is dimension `dim` of
    /// the input unchanged: equal sizes, scale 1 and a coordinate mode that
    /// maps every coordinate to itself.
    bool isIdentityDim(int64_t dim);
  }];
}

#endif // KILN_DIALECTS_NN_NNIMAGEOPS_TD
