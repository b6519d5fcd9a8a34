//===- OpWork.cpp - analytical work counts of nn ops ----------------------===//
//
// One formula per nn op, keyed by op name; see OpWork.h for the counting
// conventions and docs/costmodel.md for the table this file implements.
//
//===----------------------------------------------------------------------===//

#include "kiln/costmodel/OpWork.h"
#include "kiln/dialects/nn/NNOps.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <cmath>

using namespace mlir;
using namespace kiln;
using namespace kiln::cost;

namespace {

/// FLOPs per result element of the elementwise ops, from their reference
/// formulas (a transcendental function counts one).
const llvm::StringMap<double> &getElementwiseFlops() {
  static const llvm::StringMap<double> table = {
      // Arithmetic, comparisons, logic: one operation.
      {"add", 1},
      {"sub", 1},
      {"mul", 1},
      {"div", 1},
      {"pow", 1},
      {"max", 1},
      {"min", 1},
      {"mod", 1},
      {"bit_shift", 1},
      {"where", 1},
      {"neg", 1},
      {"abs", 1},
      {"equal", 1},
      {"less", 1},
      {"less_equal", 1},
      {"greater", 1},
      {"greater_equal", 1},
      {"and", 1},
      {"or", 1},
      {"xor", 1},
      {"not", 1},
      {"floor", 1},
      {"ceil", 1},
      {"round", 1},
      {"sign", 1},
      {"isnan", 1},
      {"isinf", 1},
      {"relu", 1},
      {"thresholded_relu", 1},
      // Transcendentals.
      {"exp", 1},
      {"log", 1},
      {"sqrt", 1},
      {"erf", 1},
      {"tanh", 1},
      {"sin", 1},
      {"cos", 1},
      {"tan", 1},
      {"asin", 1},
      {"acos", 1},
      {"atan", 1},
      {"sinh", 1},
      {"cosh", 1},
      {"asinh", 1},
      {"acosh", 1},
      {"atanh", 1},
      // Compositions: rsqrt = 1/sqrt(x); clip = max, min; sigmoid =
      // 1/(1+exp(-x)); silu = x*sigmoid(x); hardsigmoid = clip(a*x+b);
      // hardswish = x*hardsigmoid(x); gelu = x/2*(1+erf(x/sqrt 2)) (the tanh
      // form differs by a few operations, not in kind); leaky_relu and prelu
      // = select(x<0, a*x, x); elu, celu = select(x<0, a*(exp(x)-1), x);
      // selu = scale*elu; softplus = log(1+exp(x)); softsign = x/(1+|x|);
      // mish = x*tanh(softplus(x)).
      {"rsqrt", 2},
      {"clip", 2},
      {"sigmoid", 4},
      {"silu", 5},
      {"hardsigmoid", 4},
      {"hardswish", 5},
      {"gelu", 5},
      {"leaky_relu", 3},
      {"prelu", 3},
      {"elu", 4},
      {"celu", 5},
      {"selu", 5},
      {"softplus", 3},
      {"softsign", 3},
      {"mish", 5},
      // Conversions move data only.
      {"cast", 0},
  };
  return table;
}

/// Ops whose work is not elementwise; each has a case in computeOpWork.
const llvm::StringSet<> &getStructuredOps() {
  static const llvm::StringSet<> names = {
      "conv2d",           "conv3d",          "conv_transpose",
      "matmul",           "batch_matmul",    "gemm",
      "linear",           "softmax",         "layer_norm",
      "batch_norm",       "max_pool2d",      "avg_pool2d",
      "max_pool3d",       "avg_pool3d",      "global_avg_pool",
      "reduce_sum",       "reduce_mean",     "reduce_max",
      "reduce_min",       "reduce_prod",     "argmax",
      "argmin",           "cumsum",          "top_k",
      "resize",           "quantize",        "dequantize",
      "reshape",          "flatten",         "transpose",
      "concat",           "slice",           "pad",
      "gather",           "gather_elements", "gather_nd",
      "scatter_elements", "scatter_nd",      "fusion"};
  return names;
}

int64_t getNumElements(Type type) {
  auto shaped = cast<ShapedType>(type);
  return shaped.getNumElements();
}

double getResultElements(Operation *op) {
  double total = 0;
  for (Type type : op->getResultTypes())
    total += getNumElements(type);
  return total;
}

double getOperandBytes(Operation *op) {
  double total = 0;
  for (Type type : op->getOperandTypes())
    total += getTensorBytes(type);
  return total;
}

double getResultBytes(Operation *op) {
  double total = 0;
  for (Type type : op->getResultTypes())
    total += getTensorBytes(type);
  return total;
}

/// FLOPs of the non-elementwise ops. `opName` is the name without "nn.".
FailureOr<double> getStructuredFlops(Operation *op, StringRef opName,
                                     std::string &error) {
  double outElements = getResultElements(op);
  double inElements =
      op->getNumOperands() ? getNumElements(op->getOperand(0).getType()) : 0;
  bool hasBias = op->getNumOperands() > 2;

  if (isContraction(op)) {
    // Each output (each input of a transposed convolution) takes
    // getReductionSize multiply-accumulates.
    double base = opName == "conv_transpose" ? inElements : outElements;
    double flops = 2.0 * base * static_cast<double>(getReductionSize(op));
    // gemm: alpha and beta scaling and the C addition, three per output;
    // the others add a bias.
    if (hasBias)
      flops += (opName == "gemm" ? 3 : 1) * outElements;
    return flops;
  }
  if (opName == "softmax")
    // max, subtract, exp, sum, divide.
    return 5 * inElements;
  if (opName == "layer_norm")
    // mean (1), variance (sub, square, sum: 3), normalize (sub, multiply
    // by the reciprocal: 2), scale and shift (2).
    return 8 * inElements;
  if (opName == "batch_norm")
    // (x - mean) * scale + bias with scale = gamma / sqrt(var + eps)
    // computed per channel.
    return 3 * inElements;
  if (opName == "max_pool2d" || opName == "max_pool3d")
    return outElements * getReductionSize(op);
  if (opName == "avg_pool2d" || opName == "avg_pool3d")
    return outElements * (getReductionSize(op) + 1);
  if (opName == "global_avg_pool")
    return inElements + outElements;
  if (opName == "reduce_sum" || opName == "reduce_max" ||
      opName == "reduce_min" || opName == "reduce_prod" || opName == "argmax" ||
      opName == "argmin" || opName == "cumsum")
    return inElements;
  if (opName == "reduce_mean")
    return inElements + outElements;
  if (auto topK = dyn_cast<nn::TopKOp>(op)) {
    // A partial selection keeping k candidates: about log2(k) + 1
    // comparisons per input element.
    double k = std::max<int64_t>(1, topK.getK());
    return inElements * (std::log2(k) + 1);
  }
  if (auto resize = dyn_cast<nn::ResizeOp>(op)) {
    // Per output element: nearest picks (0 FLOPs); linear interpolation
    // blends 2^d neighbours and cubic 4^d (a multiply-add each) over the d
    // resized dimensions.
    if (resize.getMode() == nn::ResizeMode::Nearest)
      return 0.0;
    int64_t resized = llvm::count_if(resize.getScales(),
                                     [](double scale) { return scale != 1.0; });
    double taps = std::pow(
        resize.getMode() == nn::ResizeMode::Linear ? 2.0 : 4.0, resized);
    return outElements * 2 * taps;
  }
  if (opName == "quantize")
    // divide by the scale, round, add the zero point, clamp (2).
    return 5 * inElements;
  if (opName == "dequantize")
    // subtract the zero point, multiply by the scale.
    return 2 * inElements;
  if (opName == "reshape" || opName == "flatten" || opName == "transpose" ||
      opName == "concat" || opName == "slice" || opName == "pad" ||
      opName == "gather" || opName == "gather_elements" ||
      opName == "gather_nd" || opName == "scatter_elements" ||
      opName == "scatter_nd")
    return 0.0;
  error = ("no FLOP formula for 'nn." + opName + "'").str();
  return failure();
}

/// Bytes of the ops that read only part of an operand or move nothing;
/// returns false for the rest (full operands in, full results out).
bool getSpecialBytes(Operation *op, StringRef opName, OpWork &work) {
  if (opName == "reshape" || opName == "flatten")
    return true; // views
  if (opName == "slice" || opName == "gather" || opName == "gather_elements" ||
      opName == "gather_nd") {
    // The picked elements, plus the index operands.
    work.bytesWritten = getResultBytes(op);
    work.bytesRead = work.bytesWritten;
    for (Value operand : op->getOperands().drop_front())
      work.bytesRead += getTensorBytes(operand.getType());
    return true;
  }
  return false;
}

} // namespace

bool kiln::cost::isContraction(Operation *op) {
  return isa<nn::Conv2DOp, nn::Conv3DOp, nn::ConvTransposeOp, nn::MatmulOp,
             nn::BatchMatmulOp, nn::GemmOp, nn::LinearOp>(op);
}

int64_t kiln::cost::getReductionSize(Operation *op) {
  auto typeOf = [&](unsigned i) {
    return cast<RankedTensorType>(op->getOperand(i).getType());
  };
  if (isa<nn::Conv2DOp, nn::Conv3DOp, nn::ConvTransposeOp>(op)) {
    // weight O x C/groups x K... (transposed: C x O/groups x K...).
    RankedTensorType weight = typeOf(1);
    return weight.getNumElements() / std::max<int64_t>(1, weight.getDimSize(0));
  }
  if (isa<nn::MatmulOp, nn::BatchMatmulOp, nn::LinearOp>(op)) {
    RankedTensorType lhs = typeOf(0);
    return lhs.getRank() ? lhs.getShape().back() : 1;
  }
  if (auto gemm = dyn_cast<nn::GemmOp>(op))
    return typeOf(0).getDimSize(gemm.getTransA() ? 0 : 1);
  if (auto kernel = op->getAttrOfType<DenseI64ArrayAttr>("kernel_shape")) {
    int64_t volume = 1;
    for (int64_t size : kernel.asArrayRef())
      volume *= size;
    return volume;
  }
  StringRef name = op->getName().getStringRef();
  if (name.starts_with("nn.reduce_") || isa<nn::GlobalAvgPoolOp>(op) ||
      isa<nn::ArgMaxOp, nn::ArgMinOp>(op)) {
    int64_t in = typeOf(0).getNumElements();
    int64_t out = cast<ShapedType>(op->getResult(0).getType()).getNumElements();
    return out > 0 ? std::max<int64_t>(1, in / out) : 1;
  }
  return 1;
}

double kiln::cost::getTensorBytes(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasStaticShape())
    return 0;
  Type element = shaped.getElementType();
  if (auto quantized = dyn_cast<quant::QuantizedType>(element))
    element = quantized.getStorageType();
  unsigned bits = element.isIntOrFloat() ? element.getIntOrFloatBitWidth() : 8;
  if (auto complex = dyn_cast<ComplexType>(element))
    bits = 2 * complex.getElementType().getIntOrFloatBitWidth();
  double bytes = std::ceil(std::max(1u, bits) / 8.0);
  if (bits == 4 || bits == 2)
    bytes = bits / 8.0; // packed sub-byte types
  return bytes * static_cast<double>(shaped.getNumElements());
}

bool kiln::cost::isLayerOp(Operation *op) {
  StringRef name = op->getName().getStringRef();
  return name.consume_front("nn.") && name != "constant" && name != "yield";
}

bool kiln::cost::hasWorkFormula(OperationName name) {
  StringRef opName = name.getStringRef();
  if (!opName.consume_front("nn."))
    return false;
  return getElementwiseFlops().contains(opName) ||
         getStructuredOps().contains(opName);
}

FailureOr<OpWork> kiln::cost::computeOpWork(Operation *op, std::string &error) {
  StringRef opName = op->getName().getStringRef();
  if (!opName.consume_front("nn.") || !hasWorkFormula(op->getName())) {
    error =
        ("no cost formula for '" + op->getName().getStringRef() + "'").str();
    return failure();
  }
  for (Type type :
       llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes())) {
    auto shaped = dyn_cast<RankedTensorType>(type);
    if (!shaped || !shaped.hasStaticShape()) {
      error = ("'" + op->getName().getStringRef() +
               "' has a tensor of unknown shape; give the input shapes")
                  .str();
      return failure();
    }
  }

  OpWork work;
  if (opName == "fusion") {
    // The body's arithmetic; only the region's inputs and results move.
    for (Operation &inner : op->getRegion(0).front()) {
      if (!isLayerOp(&inner))
        continue;
      FailureOr<OpWork> innerWork = computeOpWork(&inner, error);
      if (failed(innerWork))
        return failure();
      work.flops += innerWork->flops;
    }
    work.bytesRead = getOperandBytes(op);
    work.bytesWritten = getResultBytes(op);
    return work;
  }

  auto elementwise = getElementwiseFlops().find(opName);
  if (elementwise != getElementwiseFlops().end()) {
    work.flops = elementwise->second * getResultElements(op);
  } else {
    FailureOr<double> flops = getStructuredFlops(op, opName, error);
    if (failed(flops))
      return failure();
    work.flops = *flops;
  }
  if (!getSpecialBytes(op, opName, work)) {
    work.bytesRead = getOperandBytes(op);
    work.bytesWritten = getResultBytes(op);
  }
  return work;
}
