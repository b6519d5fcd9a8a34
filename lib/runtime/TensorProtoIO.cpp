//===- TensorProtoIO.cpp - ONNX TensorProto (.pb) reading
//------------------===//
//
// Reads the serialized ONNX TensorProto files that ONNX's backend test data
// uses for inputs and expected outputs (test_data_set_*/input_0.pb). Data may
// be in raw_data or in the typed repeated fields; both are accepted.
//
//===----------------------------------------------------------------------===//

#include "kiln/runtime/HostTensor.h"

#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"

#include "onnx/onnx-data_pb.h"
#include "onnx/onnx_pb.h"

#include <cstring>

using namespace kiln;

/// Builds an error "<path>: <message>".
static llvm::Error fileError(llvm::StringRef path, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 path + ": " + message);
}

/// Maps an ONNX TensorProto data type to an element kind.
static std::optional<ElementKind> getKindOfOnnxType(int dataType) {
  switch (dataType) {
  case onnx::TensorProto::FLOAT:
    return ElementKind::Float32;
  case onnx::TensorProto::DOUBLE:
    return ElementKind::Float64;
  case onnx::TensorProto::FLOAT16:
    return ElementKind::Float16;
  case onnx::TensorProto::BFLOAT16:
    return ElementKind::BFloat16;
  case onnx::TensorProto::INT8:
    return ElementKind::Int8;
  case onnx::TensorProto::INT16:
    return ElementKind::Int16;
  case onnx::TensorProto::INT32:
    return ElementKind::Int32;
  case onnx::TensorProto::INT64:
    return ElementKind::Int64;
  case onnx::TensorProto::BOOL:
    return ElementKind::Bool;
  case onnx::TensorProto::UINT8:
    return ElementKind::UInt8;
  case onnx::TensorProto::UINT16:
    return ElementKind::UInt16;
  case onnx::TensorProto::UINT32:
    return ElementKind::UInt32;
  case onnx::TensorProto::UINT64:
    return ElementKind::UInt64;
  default:
    return std::nullopt;
  }
}

/// Copies a repeated field into `tensor`, narrowing each value to T.
template <typename T, typename Field>
static void copyTypedField(const Field &field, HostTensor &tensor) {
  T *out = tensor.getData<T>();
  for (int i = 0; i < field.size(); ++i)
    out[i] = static_cast<T>(field.Get(i));
}

/// Returns true when `bytes` are an ONNX SequenceProto (what ONNX's test
/// data stores for sequence inputs) rather than a TensorProto: such a file
/// also parses as a TensorProto, into nonsense.
static bool isSequenceProto(llvm::StringRef bytes) {
  onnx::SequenceProto sequence;
  if (!sequence.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return false;
  // Field numbers 3-7 of SequenceProto hold its elements; in a TensorProto
  // they are data fields whose types differ, so a real tensor leaves these
  // empty or fails to parse.
  return sequence.elem_type() != onnx::SequenceProto::UNDEFINED &&
         (sequence.tensor_values_size() > 0 ||
          sequence.sequence_values_size() > 0 ||
          sequence.map_values_size() > 0 ||
          sequence.optional_values_size() > 0 ||
          sequence.sparse_tensor_values_size() > 0);
}

/// Decodes the TensorProto in `bytes`, read from `path`.
static llvm::Expected<HostTensor> decodeTensorProto(llvm::StringRef path,
                                                    llvm::StringRef bytes) {
  onnx::TensorProto proto;
  if (bytes.size() > static_cast<size_t>(INT32_MAX) ||
      !proto.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return fileError(path, "not a valid ONNX TensorProto");
  std::optional<ElementKind> kind = getKindOfOnnxType(proto.data_type());
  if (!kind)
    return fileError(path, "unsupported ONNX data type " +
                               llvm::Twine(proto.data_type()));
  if (proto.data_location() == onnx::TensorProto::EXTERNAL)
    return fileError(path, "external tensor data is not supported");
  llvm::SmallVector<int64_t> shape;
  uint64_t elements = 1;
  bool overflow = false;

  for (int64_t dim : proto.dims()) {
    if (dim < 0)
      return fileError(path, "negative dimension " + llvm::Twine(dim));
    shape.push_back(dim);
    elements = llvm::SaturatingMultiply(elements, static_cast<uint64_t>(dim),
                                        &overflow);
  }
  // Every stored element takes at least one byte of the file: a larger
  // shape cannot be right (a SequenceProto read as a TensorProto, say), and
  // must not be allocated.
  if (overflow || elements > std::max<uint64_t>(bytes.size(), 1))
    return fileError(path, "not a valid ONNX TensorProto (its dimensions "
                           "need more values than the file holds)");
  HostTensor tensor(*kind, shape);
  size_t count = static_cast<size_t>(tensor.getNumElements());

  if (proto.has_raw_data()) {
    if (proto.raw_data().size() != tensor.data.size())
      return fileError(path, "raw_data holds " +
                                 llvm::Twine(proto.raw_data().size()) +
                                 " bytes but " + tensor.describe() + " needs " +
                                 llvm::Twine(tensor.data.size()));
    std::memcpy(tensor.data.data(), proto.raw_data().data(),
                tensor.data.size());
    return tensor;
  }

  // Typed fields: float_data, double_data, int64_data, uint64_data (uint32
  // and uint64), or int32_data (which also carries int8/16, uint8/16, bool
  // and the bits of float16/bfloat16).
  auto checkCount = [&](int size) -> llvm::Error {
    if (static_cast<size_t>(size) != count)
      return fileError(path, "holds " + llvm::Twine(size) + " values but " +
                                 tensor.describe() + " needs " +
                                 llvm::Twine(count));
    return llvm::Error::success();
  };
  switch (*kind) {
  case ElementKind::Float32:
    if (llvm::Error error = checkCount(proto.float_data_size()))
      return std::move(error);
    copyTypedField<float>(proto.float_data(), tensor);
    break;
  case ElementKind::Float64:
    if (llvm::Error error = checkCount(proto.double_data_size()))
      return std::move(error);
    copyTypedField<double>(proto.double_data(), tensor);
    break;
  case ElementKind::Int64:
    if (llvm::Error error = checkCount(proto.int64_data_size()))
      return std::move(error);
    copyTypedField<int64_t>(proto.int64_data(), tensor);
    break;
  case ElementKind::Int32:
    if (llvm::Error error = checkCount(proto.int32_data_size()))
      return std::move(error);
    copyTypedField<int32_t>(proto.int32_data(), tensor);
    break;
  case ElementKind::UInt32:
    if (llvm::Error error = checkCount(proto.uint64_data_size()))
      return std::move(error);
    copyTypedField<uint32_t>(proto.uint64_data(), tensor);
    break;
  case ElementKind::UInt64:
    if (llvm::Error error = checkCount(proto.uint64_data_size()))
      return std::move(error);
    copyTypedField<uint64_t>(proto.uint64_data(), tensor);
    break;
  case ElementKind::Int16:
  case ElementKind::UInt16:
  case ElementKind::Float16:
  case ElementKind::BFloat16:
    if (llvm::Error error = checkCount(proto.int32_data_size()))
      return std::move(error);
    copyTypedField<uint16_t>(proto.int32_data(), tensor);
    break;
  case ElementKind::Int8:
  case ElementKind::UInt8:
  case ElementKind::Bool:
    if (llvm::Error error = checkCount(proto.int32_data_size()))
      return std::move(error);
    copyTypedField<uint8_t>(proto.int32_data(), tensor);
    break;
  }
  return tensor;
}

llvm::Expected<HostTensor> kiln::readTensorProtoFile(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fileError(path, "cannot read: " + buffer.getError().message());
  llvm::StringRef bytes = (*buffer)->getBuffer();
  llvm::Expected<HostTensor> tensor = decodeTensorProto(path, bytes);
  // A SequenceProto also parses as a TensorProto, into nonsense; say what
  // the file is instead of what is wrong with that nonsense.
  if (!tensor && bytes.size() <= static_cast<size_t>(INT32_MAX) &&
      isSequenceProto(bytes)) {
    llvm::consumeError(tensor.takeError());
    return fileError(path, "holds an ONNX SequenceProto; sequence, map and "
                           "optional inputs are not supported");
  }
  return tensor;
}

std::string kiln::encodeTensorProto(const HostTensor &tensor) {
  onnx::TensorProto proto;
  // Every element kind has exactly one ONNX data type; find it through the
  // reading direction so that the two cannot disagree.
  for (int dataType = onnx::TensorProto_DataType_DataType_MIN;
       dataType <= onnx::TensorProto_DataType_DataType_MAX; ++dataType)
    if (getKindOfOnnxType(dataType) == tensor.kind)
      proto.set_data_type(dataType);
  for (int64_t dim : tensor.shape)
    proto.add_dims(dim);
  proto.set_raw_data(tensor.data.data(), tensor.data.size());
  return proto.SerializeAsString();
}
