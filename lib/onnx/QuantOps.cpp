//===- QuantOps.cpp - ONNX QuantizeLinear / DequantizeLinear to nn --------===//
//
// QuantizeLinear and DequantizeLinear with constant scales and zero points
// become nn.quantize / nn.dequantize on tensors of `!quant.uniform` element
// types: per tensor for a single scale, per axis (along `axis`, opset 13)
// for a 1-D list. The zero point's ONNX type picks the storage type: int8,
// uint8 (an unsigned `u8` storage) or int32 for dequantized biases. A plain
// integer tensor entering DequantizeLinear is reinterpreted as the quantized
// type with `quant.scast` (a `ui8` one after a bit-preserving nn.cast to
// `i8`, as scast takes signless storage); an integer constant is stored as
// signless integers of the same width.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"

#include "kiln/dialects/nn/NNOps.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::onnximport;

namespace {
/// The storage an ONNX quantized data type maps to.
struct StorageKind {
  bool isSigned;
  unsigned width;
};
} // namespace

/// Returns the storage of the ONNX data type, or std::nullopt.
static std::optional<StorageKind> getStorageKind(int32_t dataType) {
  switch (dataType) {
  case onnx::TensorProto_DataType_INT8:
    return StorageKind{true, 8};
  case onnx::TensorProto_DataType_UINT8:
    return StorageKind{false, 8};
  case onnx::TensorProto_DataType_INT32:
    return StorageKind{true, 32};
  default:
    return std::nullopt;
  }
}

/// Builds the quantized element type for `scales` / `zeroPoints` (equal
/// lengths) over data of `dataType`, per axis `axis` when there are several
/// scales.
static FailureOr<quant::QuantizedType>
buildQuantizedType(NodeContext &ctx, StorageKind storage, Type expressedType,
                   ArrayRef<double> scales, ArrayRef<int64_t> zeroPoints,
                   RankedTensorType dataType, int64_t scaleRank) {
  MLIRContext *context = ctx.getContext();
  unsigned flags = storage.isSigned ? quant::QuantizationFlags::Signed : 0;
  Type storageType = IntegerType::get(context, storage.width);
  int64_t minimum = quant::QuantizedType::getDefaultMinimumForInteger(
      storage.isSigned, storage.width);
  int64_t maximum = quant::QuantizedType::getDefaultMaximumForInteger(
      storage.isSigned, storage.width);
  std::optional<int64_t> axis;
  if (scales.size() != 1 || scaleRank > 1) {
    if (scaleRank != 1)
      return ctx.fail("scales must be a scalar or a 1-D tensor");
    FailureOr<int64_t> axisAttr = ctx.getIntAttr("axis", 1);
    if (failed(axisAttr))
      return failure();
    FailureOr<int64_t> normalized =
        ctx.normalizeAxis(*axisAttr, dataType.getRank());
    if (failed(normalized))
      return failure();
    int64_t size = dataType.getDimSize(*normalized);
    if (!ShapedType::isDynamic(size) &&
        size != static_cast<int64_t>(scales.size()))
      return ctx.fail("there are " + Twine(scales.size()) +
                      " scales for a dimension of size " + Twine(size));
    axis = *normalized;
  }
  // The capture must end before ctx.fail() reports, or it would swallow it.
  quant::QuantizedType type;
  std::string message;
  {
    DiagnosticCapture capture(context);
    auto emitter = [&] { return emitError(ctx.getLoc()); };
    if (!axis)
      type = quant::UniformQuantizedType::getChecked(
          emitter, flags, storageType, expressedType, scales.front(),
          zeroPoints.front(), minimum, maximum);
    else
      type = quant::UniformQuantizedPerAxisType::getChecked(
          emitter, flags, storageType, expressedType, scales, zeroPoints,
          static_cast<int32_t>(*axis), minimum, maximum);
    message = capture.getMessage();
  }
  if (!type)
    return ctx.fail("invalid quantization parameters: " + message);
  return type;
}

/// Reads the quantization parameters of a QuantizeLinear/DequantizeLinear
/// node (inputs 1 and 2) and builds the quantized type of input 0. The
/// storage defaults to `defaultStorage` when there is no zero point.
static FailureOr<quant::QuantizedType>
getQuantizedType(NodeContext &ctx, RankedTensorType dataType,
                 Type expressedType, int32_t defaultStorage) {
  FailureOr<std::shared_ptr<const HostTensor>> scaleTensor =
      ctx.getConstantInput(1, "the scale");
  if (failed(scaleTensor))
    return failure();
  if (!(*scaleTensor)->isFloat())
    return ctx.fail("the scale must be a float tensor");
  SmallVector<double> scales;
  for (int64_t i = 0, e = (*scaleTensor)->getNumElements(); i < e; ++i)
    scales.push_back((*scaleTensor)->getDouble(i));
  if (scales.empty())
    return ctx.fail("the scale is empty");

  int32_t storageDataType = defaultStorage;
  SmallVector<int64_t> zeroPoints(scales.size(), 0);
  if (ctx.hasInput(2)) {
    FailureOr<std::shared_ptr<const HostTensor>> zeroPoint =
        ctx.getConstantInput(2, "the zero point");
    if (failed(zeroPoint))
      return failure();
    storageDataType = (*zeroPoint)->dataType;
    if ((*zeroPoint)->getNumElements() != static_cast<int64_t>(scales.size()))
      return ctx.fail("the zero point and the scale differ in size");
    for (int64_t i = 0, e = scales.size(); i < e; ++i)
      zeroPoints[i] = (*zeroPoint)->getInt(i);
  }
  std::optional<StorageKind> storage = getStorageKind(storageDataType);
  if (!storage)
    return ctx.fail("quantized data of type " +
                    getDataTypeName(storageDataType) + " is not supported");
  return buildQuantizedType(ctx, *storage, expressedType, scales, zeroPoints,
                            dataType, (*scaleTensor)->shape.size());
}

/// Converts QuantizeLinear(x, scale, zero_point?).
static LogicalResult convertQuantizeLinear(NodeContext &ctx) {
  FailureOr<RankedTensorType> inputType = ctx.getInputType(0);
  if (failed(inputType))
    return failure();
  FailureOr<quant::QuantizedType> quantized =
      getQuantizedType(ctx, *inputType, inputType->getElementType(),
                       onnx::TensorProto_DataType_UINT8);
  if (failed(quantized))
    return failure();
  FailureOr<Value> input = ctx.getInput(0);
  if (failed(input))
    return failure();
  FailureOr<Value> result =
      ctx.createTyped<nn::QuantizeOp>(inputType->clone(*quantized), *input);
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

/// Returns the ONNX data type of input 0 of a DequantizeLinear node.
static FailureOr<int32_t> getDataTypeOfInput(NodeContext &ctx) {
  FailureOr<TensorEntry *> entry = ctx.getInputEntry(0);
  if (failed(entry))
    return failure();
  if ((*entry)->proto && !(*entry)->value)
    return (*entry)->proto->data_type();
  if ((*entry)->host && !(*entry)->value)
    return (*entry)->host->dataType;
  FailureOr<RankedTensorType> type = ctx.getInputType(0);
  if (failed(type))
    return failure();
  Type element = type->getElementType();
  if (auto quantized = dyn_cast<quant::QuantizedType>(element))
    return quantized.isSigned() ? onnx::TensorProto_DataType_INT8
                                : onnx::TensorProto_DataType_UINT8;
  if (element.isUnsignedInteger(8))
    return onnx::TensorProto_DataType_UINT8;
  if (element.isInteger(8))
    return onnx::TensorProto_DataType_INT8;
  if (element.isInteger(32))
    return onnx::TensorProto_DataType_INT32;
  std::string name;
  llvm::raw_string_ostream os(name);
  os << element;
  return ctx.fail("cannot dequantize elements of type " + name);
}

/// Returns input 0 as a tensor of `quantized` elements: an nn.constant of its
/// storage integers, or the value reinterpreted by quant.scast.
static FailureOr<Value> getQuantizedInput(NodeContext &ctx,
                                          quant::QuantizedType quantized) {
  FailureOr<TensorEntry *> entry = ctx.getInputEntry(0);
  if (failed(entry))
    return failure();
  auto storageType = cast<IntegerType>(quantized.getStorageType());
  Value storage;
  if ((*entry)->proto && !(*entry)->value) {
    // Integer weights, unsigned ones included, keep their bit patterns.
    SmallVector<int64_t> shape;
    std::string owned;
    StringRef bytes;
    if (std::optional<std::string> error =
            readTensorBytes(*(*entry)->proto, shape, owned, bytes))
      return ctx.fail(*error);
    if (getDataTypeSize((*entry)->proto->data_type()) * 8 !=
        storageType.getWidth())
      return ctx.fail("the data and the zero point differ in width");
    ElementsAttr attr =
        makeElementsAttr(RankedTensorType::get(shape, storageType), bytes,
                         ctx.getNode().input(0));
    FailureOr<Value> constant = ctx.create<nn::ConstantOp>(attr);
    if (failed(constant))
      return failure();
    storage = *constant;
  } else {
    FailureOr<Value> value = ctx.getInput(0);
    if (failed(value))
      return failure();
    storage = *value;
  }
  auto type = cast<RankedTensorType>(storage.getType());
  if (type.getElementType() == quantized)
    return storage;
  // quant.scast takes signless storage: reinterpret `ui8` data first.
  if (type.getElementType().isUnsignedInteger()) {
    FailureOr<Value> raw =
        ctx.createTyped<nn::CastOp>(type.clone(storageType), storage);
    if (failed(raw))
      return failure();
    storage = *raw;
    type = cast<RankedTensorType>(storage.getType());
  }
  if (isa<quant::QuantizedType>(type.getElementType())) {
    FailureOr<Value> raw =
        ctx.createTyped<quant::StorageCastOp>(type.clone(storageType), storage);
    if (failed(raw))
      return failure();
    storage = *raw;
  }
  return ctx.createTyped<quant::StorageCastOp>(type.clone(quantized), storage);
}

/// Returns the shape of input 0 without materializing it: a constant is
/// stored directly as the quantized type's storage.
static FailureOr<SmallVector<int64_t>> getInputShape(NodeContext &ctx) {
  FailureOr<TensorEntry *> entry = ctx.getInputEntry(0);
  if (failed(entry))
    return failure();
  if ((*entry)->proto && !(*entry)->value) {
    SmallVector<int64_t> shape((*entry)->proto->dims().begin(),
                               (*entry)->proto->dims().end());
    if (!countElements(shape))
      return ctx.fail("the data has an invalid shape");
    return shape;
  }
  if ((*entry)->host && !(*entry)->value)
    return SmallVector<int64_t>((*entry)->host->shape);
  FailureOr<RankedTensorType> type = ctx.getInputType(0);
  if (failed(type))
    return failure();
  return SmallVector<int64_t>(type->getShape());
}

/// Converts DequantizeLinear(x, scale, zero_point?).
static LogicalResult convertDequantizeLinear(NodeContext &ctx) {
  FailureOr<SmallVector<int64_t>> shape = getInputShape(ctx);
  if (failed(shape))
    return failure();
  FailureOr<int32_t> dataType = getDataTypeOfInput(ctx);
  if (failed(dataType))
    return failure();
  auto resultType =
      RankedTensorType::get(*shape, Float32Type::get(ctx.getContext()));
  FailureOr<quant::QuantizedType> quantized =
      getQuantizedType(ctx, resultType, resultType.getElementType(), *dataType);
  if (failed(quantized))
    return failure();
  FailureOr<Value> input = getQuantizedInput(ctx, *quantized);
  if (failed(input))
    return failure();
  FailureOr<Value> result =
      ctx.createTyped<nn::DequantizeOp>(resultType, *input);
  if (failed(result))
    return failure();
  ctx.setOutput(0, *result);
  return success();
}

void kiln::onnximport::addQuantConverters(ConverterRegistry &registry) {
  registry["QuantizeLinear"] = convertQuantizeLinear;
  registry["DequantizeLinear"] = convertDequantizeLinear;
}
