//===- TensorData.cpp - ONNX tensor data and element types ----------------===//
//
// Everything the importer knows about ONNX tensor contents: the mapping of
// TensorProto data types to MLIR element types, reading a TensorProto's bytes
// (raw_data or the typed *_data fields), decoding them into HostTensor values
// for import-time arithmetic, and building the `dense` / `dense_resource`
// attributes of `nn.constant`.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace mlir;
using namespace kiln::onnximport;

using DataType = onnx::TensorProto_DataType;

StringRef kiln::onnximport::getDataTypeName(int32_t dataType) {
  switch (dataType) {
  case onnx::TensorProto_DataType_FLOAT:
    return "float";
  case onnx::TensorProto_DataType_UINT8:
    return "uint8";
  case onnx::TensorProto_DataType_INT8:
    return "int8";
  case onnx::TensorProto_DataType_UINT16:
    return "uint16";
  case onnx::TensorProto_DataType_INT16:
    return "int16";
  case onnx::TensorProto_DataType_INT32:
    return "int32";
  case onnx::TensorProto_DataType_INT64:
    return "int64";
  case onnx::TensorProto_DataType_STRING:
    return "string";
  case onnx::TensorProto_DataType_BOOL:
    return "bool";
  case onnx::TensorProto_DataType_FLOAT16:
    return "float16";
  case onnx::TensorProto_DataType_DOUBLE:
    return "double";
  case onnx::TensorProto_DataType_UINT32:
    return "uint32";
  case onnx::TensorProto_DataType_UINT64:
    return "uint64";
  case onnx::TensorProto_DataType_COMPLEX64:
    return "complex64";
  case onnx::TensorProto_DataType_COMPLEX128:
    return "complex128";
  case onnx::TensorProto_DataType_BFLOAT16:
    return "bfloat16";
  default:
    return "undefined";
  }
}

Type kiln::onnximport::convertDataType(MLIRContext *context, int32_t dataType) {
  switch (dataType) {
  case onnx::TensorProto_DataType_FLOAT:
    return Float32Type::get(context);
  case onnx::TensorProto_DataType_DOUBLE:
    return Float64Type::get(context);
  case onnx::TensorProto_DataType_FLOAT16:
    return Float16Type::get(context);
  case onnx::TensorProto_DataType_BFLOAT16:
    return BFloat16Type::get(context);
  case onnx::TensorProto_DataType_BOOL:
    return IntegerType::get(context, 1);
  case onnx::TensorProto_DataType_INT8:
    return IntegerType::get(context, 8);
  case onnx::TensorProto_DataType_INT16:
    return IntegerType::get(context, 16);
  case onnx::TensorProto_DataType_INT32:
    return IntegerType::get(context, 32);
  case onnx::TensorProto_DataType_INT64:
    return IntegerType::get(context, 64);
  // Unsigned integers keep their signedness in the type: the nn ops choose
  // unsigned division, comparison and extension from it.
  case onnx::TensorProto_DataType_UINT8:
    return IntegerType::get(context, 8, IntegerType::Unsigned);
  case onnx::TensorProto_DataType_UINT16:
    return IntegerType::get(context, 16, IntegerType::Unsigned);
  case onnx::TensorProto_DataType_UINT32:
    return IntegerType::get(context, 32, IntegerType::Unsigned);
  case onnx::TensorProto_DataType_UINT64:
    return IntegerType::get(context, 64, IntegerType::Unsigned);
  default:
    return nullptr;
  }
}

int64_t kiln::onnximport::getDataTypeSize(int32_t dataType) {
  switch (dataType) {
  case onnx::TensorProto_DataType_UINT8:
  case onnx::TensorProto_DataType_INT8:
  case onnx::TensorProto_DataType_BOOL:
    return 1;
  case onnx::TensorProto_DataType_UINT16:
  case onnx::TensorProto_DataType_INT16:
  case onnx::TensorProto_DataType_FLOAT16:
  case onnx::TensorProto_DataType_BFLOAT16:
    return 2;
  case onnx::TensorProto_DataType_FLOAT:
  case onnx::TensorProto_DataType_INT32:
  case onnx::TensorProto_DataType_UINT32:
    return 4;
  case onnx::TensorProto_DataType_DOUBLE:
  case onnx::TensorProto_DataType_INT64:
  case onnx::TensorProto_DataType_UINT64:
    return 8;
  default:
    return 0;
  }
}

std::optional<int64_t>
kiln::onnximport::countElements(ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t dim : shape) {
    if (dim < 0)
      return std::nullopt;
    std::optional<int64_t> product = llvm::checkedMul(count, dim);
    if (!product)
      return std::nullopt;
    count = *product;
  }
  return count;
}

//===----------------------------------------------------------------------===//
// HostTensor
//===----------------------------------------------------------------------===//

/// Returns true for the floating-point ONNX data types.
static bool isFloatDataType(int32_t dataType) {
  return dataType == onnx::TensorProto_DataType_FLOAT ||
         dataType == onnx::TensorProto_DataType_DOUBLE ||
         dataType == onnx::TensorProto_DataType_FLOAT16 ||
         dataType == onnx::TensorProto_DataType_BFLOAT16;
}

/// Returns the APFloat semantics of a 16-bit float data type.
static const llvm::fltSemantics &getHalfSemantics(int32_t dataType) {
  return dataType == onnx::TensorProto_DataType_BFLOAT16
             ? llvm::APFloat::BFloat()
             : llvm::APFloat::IEEEhalf();
}

/// Rounds `value` to the precision of the float data type `dataType`.
static double roundToDataType(double value, int32_t dataType) {
  switch (dataType) {
  case onnx::TensorProto_DataType_FLOAT:
    return static_cast<double>(static_cast<float>(value));
  case onnx::TensorProto_DataType_FLOAT16:
  case onnx::TensorProto_DataType_BFLOAT16: {
    llvm::APFloat rounded(value);
    bool losesInfo = false;
    rounded.convert(getHalfSemantics(dataType),
                    llvm::APFloat::rmNearestTiesToEven, &losesInfo);
    return rounded.convertToDouble();
  }
  default:
    return value;
  }
}

/// Wraps `value` to the width and signedness of the integer data type.
static int64_t wrapToDataType(int64_t value, int32_t dataType) {
  switch (dataType) {
  case onnx::TensorProto_DataType_BOOL:
    return value != 0;
  case onnx::TensorProto_DataType_INT8:
    return static_cast<int8_t>(value);
  case onnx::TensorProto_DataType_UINT8:
    return static_cast<uint8_t>(value);
  case onnx::TensorProto_DataType_INT16:
    return static_cast<int16_t>(value);
  case onnx::TensorProto_DataType_UINT16:
    return static_cast<uint16_t>(value);
  case onnx::TensorProto_DataType_INT32:
    return static_cast<int32_t>(value);
  case onnx::TensorProto_DataType_UINT32:
    return static_cast<uint32_t>(value);
  default:
    return value;
  }
}

bool HostTensor::isFloat() const { return isFloatDataType(dataType); }

int64_t HostTensor::getNumElements() const {
  return countElements(shape).value_or(0);
}

int64_t kiln::onnximport::truncateToInt64(double value) {
  // NaN and values out of range would be undefined behaviour in C++.
  if (std::isnan(value))
    return 0;
  if (value >= 9.2233720368547758e18)
    return std::numeric_limits<int64_t>::max();
  if (value <= -9.2233720368547758e18)
    return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(value);
}

int64_t HostTensor::getInt(int64_t index) const {
  if (splat)
    index = 0;
  if (!isFloat())
    return index < static_cast<int64_t>(ints.size()) ? ints[index] : 0;
  return truncateToInt64(
      index < static_cast<int64_t>(floats.size()) ? floats[index] : 0.0);
}

double HostTensor::getDouble(int64_t index) const {
  if (splat)
    index = 0;
  if (isFloat())
    return index < static_cast<int64_t>(floats.size()) ? floats[index] : 0.0;
  int64_t value = index < static_cast<int64_t>(ints.size()) ? ints[index] : 0;
  if (dataType == onnx::TensorProto_DataType_UINT64)
    return static_cast<double>(static_cast<uint64_t>(value));
  return static_cast<double>(value);
}

HostTensor HostTensor::make(int32_t dataType, ArrayRef<int64_t> shape) {
  HostTensor tensor;
  tensor.dataType = dataType;
  tensor.shape.assign(shape.begin(), shape.end());
  return tensor;
}

void HostTensor::append(double value) {
  if (isFloat()) {
    floats.push_back(roundToDataType(value, dataType));
    return;
  }
  appendInt(dataType == onnx::TensorProto_DataType_BOOL
                ? value != 0.0
                : truncateToInt64(value));
}

void HostTensor::appendInt(int64_t value) {
  if (isFloat()) {
    floats.push_back(roundToDataType(static_cast<double>(value), dataType));
    return;
  }
  ints.push_back(wrapToDataType(value, dataType));
}

//===----------------------------------------------------------------------===//
// Reading TensorProto bytes
//===----------------------------------------------------------------------===//

/// Appends the `size` low-order bytes of `value` to `bytes`, little-endian.
static void appendBytes(std::string &bytes, uint64_t value, int64_t size) {
  for (int64_t i = 0; i < size; ++i)
    bytes.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

std::optional<std::string>
kiln::onnximport::readTensorBytes(const onnx::TensorProto &tensor,
                                  SmallVectorImpl<int64_t> &shape,
                                  std::string &owned, StringRef &bytes) {
  int32_t dataType = tensor.data_type();
  if (tensor.data_location() == onnx::TensorProto_DataLocation_EXTERNAL)
    return std::string("tensors with external data are not supported");
  if (tensor.has_segment())
    return std::string("segmented tensors are not supported");
  int64_t elementSize = getDataTypeSize(dataType);
  if (elementSize == 0)
    return ("tensors of element type " + getDataTypeName(dataType) +
            " are not supported")
        .str();
  shape.assign(tensor.dims().begin(), tensor.dims().end());
  std::optional<int64_t> count = countElements(shape);
  std::optional<int64_t> byteCount =
      count ? llvm::checkedMul(*count, elementSize) : std::nullopt;
  if (!byteCount)
    return std::string("tensor has an invalid shape");

  if (tensor.has_raw_data()) {
    bytes = tensor.raw_data();
    if (static_cast<int64_t>(bytes.size()) != *byteCount)
      return ("tensor has " + Twine(bytes.size()) +
              " bytes of data, expected " + Twine(*byteCount))
          .str();
    return std::nullopt;
  }

  int64_t found = 0;
  owned.clear();
  owned.reserve(*byteCount);
  switch (dataType) {
  case onnx::TensorProto_DataType_FLOAT:
    found = tensor.float_data_size();
    for (float value : tensor.float_data()) {
      uint32_t bits;
      std::memcpy(&bits, &value, sizeof(bits));
      appendBytes(owned, bits, 4);
    }
    break;
  case onnx::TensorProto_DataType_DOUBLE:
    found = tensor.double_data_size();
    for (double value : tensor.double_data()) {
      uint64_t bits;
      std::memcpy(&bits, &value, sizeof(bits));
      appendBytes(owned, bits, 8);
    }
    break;
  case onnx::TensorProto_DataType_INT64:
    found = tensor.int64_data_size();
    for (int64_t value : tensor.int64_data())
      appendBytes(owned, static_cast<uint64_t>(value), 8);
    break;
  case onnx::TensorProto_DataType_UINT32:
  case onnx::TensorProto_DataType_UINT64:
    found = tensor.uint64_data_size();
    for (uint64_t value : tensor.uint64_data())
      appendBytes(owned, value, elementSize);
    break;
  default:
    // int32_data holds every type of 32 bits or fewer, 16-bit floats as
    // their bit patterns.
    found = tensor.int32_data_size();
    for (int32_t value : tensor.int32_data())
      appendBytes(owned,
                  dataType == onnx::TensorProto_DataType_BOOL
                      ? static_cast<uint64_t>(value != 0)
                      : static_cast<uint64_t>(static_cast<uint32_t>(value)),
                  elementSize);
    break;
  }
  if (found != *count)
    return ("tensor has " + Twine(found) + " values, expected " + Twine(*count))
        .str();
  bytes = owned;
  return std::nullopt;
}

std::optional<std::string>
kiln::onnximport::validateTensorData(const onnx::TensorProto &tensor) {
  if (tensor.data_location() == onnx::TensorProto_DataLocation_EXTERNAL)
    return std::nullopt;
  auto problem = [&](const Twine &what) {
    return (Twine("tensor '") + tensor.name() + "' " + what).str();
  };
  std::optional<int64_t> count = countElements(
      SmallVector<int64_t>(tensor.dims().begin(), tensor.dims().end()));
  if (!count)
    return problem("has an invalid shape");
  int32_t dataType = tensor.data_type();
  bool isComplex = dataType == onnx::TensorProto_DataType_COMPLEX64 ||
                   dataType == onnx::TensorProto_DataType_COMPLEX128;
  int64_t elementSize = getDataTypeSize(dataType);
  if (isComplex)
    elementSize = dataType == onnx::TensorProto_DataType_COMPLEX64 ? 8 : 16;
  int64_t expected = *count, found = 0;
  if (tensor.has_raw_data()) {
    if (elementSize == 0)
      return std::nullopt;
    std::optional<int64_t> bytes = llvm::checkedMul(*count, elementSize);
    if (!bytes || static_cast<int64_t>(tensor.raw_data().size()) != *bytes)
      return problem("has " + Twine(tensor.raw_data().size()) +
                     " bytes of data, which does not fit its shape and type");
    return std::nullopt;
  }
  if (isComplex)
    expected *= 2;
  switch (dataType) {
  case onnx::TensorProto_DataType_FLOAT:
  case onnx::TensorProto_DataType_COMPLEX64:
    found = tensor.float_data_size();
    break;
  case onnx::TensorProto_DataType_DOUBLE:
  case onnx::TensorProto_DataType_COMPLEX128:
    found = tensor.double_data_size();
    break;
  case onnx::TensorProto_DataType_INT64:
    found = tensor.int64_data_size();
    break;
  case onnx::TensorProto_DataType_UINT32:
  case onnx::TensorProto_DataType_UINT64:
    found = tensor.uint64_data_size();
    break;
  case onnx::TensorProto_DataType_STRING:
    found = tensor.string_data_size();
    break;
  case onnx::TensorProto_DataType_UNDEFINED:
    return problem("has no data type");
  default:
    found = tensor.int32_data_size();
    break;
  }
  if (found != expected)
    return problem("has " + Twine(found) + " values, expected " +
                   Twine(expected));
  return std::nullopt;
}

/// Reads the element at byte offset `offset` of `bytes` as an unsigned
/// little-endian integer of `size` bytes.
static uint64_t readBits(StringRef bytes, int64_t offset, int64_t size) {
  uint64_t bits = 0;
  for (int64_t i = 0; i < size; ++i)
    bits |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[offset + i]))
            << (8 * i);
  return bits;
}

/// Decodes the element `bits` of `dataType` into `tensor`.
static void appendDecoded(HostTensor &tensor, uint64_t bits) {
  switch (tensor.dataType) {
  case onnx::TensorProto_DataType_FLOAT: {
    uint32_t narrow = static_cast<uint32_t>(bits);
    float value;
    std::memcpy(&value, &narrow, sizeof(value));
    tensor.floats.push_back(value);
    return;
  }
  case onnx::TensorProto_DataType_DOUBLE: {
    double value;
    std::memcpy(&value, &bits, sizeof(value));
    tensor.floats.push_back(value);
    return;
  }
  case onnx::TensorProto_DataType_FLOAT16:
  case onnx::TensorProto_DataType_BFLOAT16: {
    llvm::APFloat value(getHalfSemantics(tensor.dataType),
                        llvm::APInt(16, bits & 0xffff));
    tensor.floats.push_back(value.convertToDouble());
    return;
  }
  case onnx::TensorProto_DataType_INT8:
    tensor.ints.push_back(static_cast<int8_t>(bits));
    return;
  case onnx::TensorProto_DataType_INT16:
    tensor.ints.push_back(static_cast<int16_t>(bits));
    return;
  case onnx::TensorProto_DataType_INT32:
    tensor.ints.push_back(static_cast<int32_t>(bits));
    return;
  case onnx::TensorProto_DataType_BOOL:
    tensor.ints.push_back((bits & 0xff) != 0);
    return;
  default:
    // Unsigned types and int64 keep their bit pattern.
    tensor.ints.push_back(static_cast<int64_t>(bits));
    return;
  }
}

std::optional<std::string>
kiln::onnximport::decodeTensor(const onnx::TensorProto &proto,
                               int64_t maxElements, HostTensor &out) {
  SmallVector<int64_t> shape;
  std::string owned;
  StringRef bytes;
  if (std::optional<std::string> error =
          readTensorBytes(proto, shape, owned, bytes))
    return error;
  int64_t count = countElements(shape).value_or(0);
  if (count > maxElements)
    return ("tensor of " + Twine(count) +
            " elements is too large to read at import time")
        .str();
  out = HostTensor::make(proto.data_type(), shape);
  int64_t size = getDataTypeSize(proto.data_type());
  for (int64_t i = 0; i < count; ++i)
    appendDecoded(out, readBits(bytes, i * size, size));
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Constant attributes
//===----------------------------------------------------------------------===//

/// Turns a value name into a resource key that prints without quotes.
static std::string sanitizeBlobName(StringRef name) {
  std::string key;
  for (char c : name)
    key.push_back(llvm::isAlnum(c) || c == '_' || c == '.' ? c : '_');
  if (key.empty() || llvm::isDigit(key.front()) || key.front() == '.')
    key.insert(key.begin(), '_');
  return key;
}

ElementsAttr kiln::onnximport::makeElementsAttr(RankedTensorType type,
                                                StringRef bytes,
                                                StringRef name) {
  int64_t count = type.getNumElements();
  if (count == 0)
    return DenseElementsAttr::get(type, ArrayRef<Attribute>());
  int64_t size = static_cast<int64_t>(bytes.size()) / count;
  if (type.getElementType().isInteger(1)) {
    SmallVector<bool> values;
    values.reserve(count);
    for (char byte : bytes)
      values.push_back(byte != 0);
    return DenseElementsAttr::get(type, values);
  }
  StringRef first = bytes.take_front(size);
  bool isSplat = true;
  for (int64_t i = 1; i < count && isSplat; ++i)
    isSplat = bytes.substr(i * size, size) == first;
  if (isSplat)
    return DenseElementsAttr::getFromRawBuffer(
        type, ArrayRef<char>(first.data(), first.size()));
  if (count <= kMaxInlineElements)
    return DenseElementsAttr::getFromRawBuffer(
        type, ArrayRef<char>(bytes.data(), bytes.size()));
  AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
      ArrayRef<char>(bytes.data(), bytes.size()), size);
  return DenseResourceElementsAttr::get(type, sanitizeBlobName(name),
                                        std::move(blob));
}

/// Appends element `index` of `tensor` to `bytes` in its data type's
/// little-endian encoding.
static void packElement(const HostTensor &tensor, int64_t index,
                        std::string &bytes) {
  int64_t size = getDataTypeSize(tensor.dataType);
  switch (tensor.dataType) {
  case onnx::TensorProto_DataType_FLOAT: {
    float value = static_cast<float>(tensor.getDouble(index));
    uint32_t bits;
    std::memcpy(&bits, &value, sizeof(bits));
    appendBytes(bytes, bits, 4);
    return;
  }
  case onnx::TensorProto_DataType_DOUBLE: {
    double value = tensor.getDouble(index);
    uint64_t bits;
    std::memcpy(&bits, &value, sizeof(bits));
    appendBytes(bytes, bits, 8);
    return;
  }
  case onnx::TensorProto_DataType_FLOAT16:
  case onnx::TensorProto_DataType_BFLOAT16: {
    llvm::APFloat value(tensor.getDouble(index));
    bool losesInfo = false;
    value.convert(getHalfSemantics(tensor.dataType),
                  llvm::APFloat::rmNearestTiesToEven, &losesInfo);
    appendBytes(bytes, value.bitcastToAPInt().getZExtValue(), 2);
    return;
  }
  default:
    appendBytes(bytes, static_cast<uint64_t>(tensor.getInt(index)), size);
    return;
  }
}

ElementsAttr kiln::onnximport::hostTensorToAttr(MLIRContext *context,
                                                const HostTensor &tensor,
                                                StringRef name) {
  Type elementType = convertDataType(context, tensor.dataType);
  if (!elementType)
    return nullptr;
  auto type = RankedTensorType::get(tensor.shape, elementType);
  int64_t count = tensor.getNumElements();
  std::string bytes;
  if (tensor.splat && count > 0) {
    packElement(tensor, 0, bytes);
    if (elementType.isInteger(1))
      return DenseElementsAttr::get(type, tensor.getInt(0) != 0);
    return DenseElementsAttr::getFromRawBuffer(
        type, ArrayRef<char>(bytes.data(), bytes.size()));
  }
  for (int64_t i = 0; i < count; ++i)
    packElement(tensor, i, bytes);
  return makeElementsAttr(type, bytes, name);
}
