//===- HostTensor.cpp - host tensors, element kinds, random inputs
//---------===//
//
// Element-kind bookkeeping for HostTensor and the seeded generator that
// kiln-run uses for inputs the user did not give.
//
//===----------------------------------------------------------------------===//

#include "kiln/runtime/HostTensor.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Path.h"

#include <random>

using namespace kiln;

size_t kiln::getElementSize(ElementKind kind) {
  switch (kind) {
  case ElementKind::Float16:
  case ElementKind::BFloat16:
  case ElementKind::Int16:
  case ElementKind::UInt16:
    return 2;
  case ElementKind::Float32:
  case ElementKind::Int32:
  case ElementKind::UInt32:
    return 4;
  case ElementKind::Float64:
  case ElementKind::Int64:
  case ElementKind::UInt64:
    return 8;
  case ElementKind::Int8:
  case ElementKind::UInt8:
  case ElementKind::Bool:
    return 1;
  }
  llvm_unreachable("unknown element kind");
}

llvm::StringRef kiln::getElementKindName(ElementKind kind) {
  switch (kind) {
  case ElementKind::Float16:
    return "float16";
  case ElementKind::BFloat16:
    return "bfloat16";
  case ElementKind::Float32:
    return "float32";
  case ElementKind::Float64:
    return "float64";
  case ElementKind::Int8:
    return "int8";
  case ElementKind::Int16:
    return "int16";
  case ElementKind::Int32:
    return "int32";
  case ElementKind::Int64:
    return "int64";
  case ElementKind::Bool:
    return "bool";
  case ElementKind::UInt8:
    return "uint8";
  case ElementKind::UInt16:
    return "uint16";
  case ElementKind::UInt32:
    return "uint32";
  case ElementKind::UInt64:
    return "uint64";
  }
  llvm_unreachable("unknown element kind");
}

std::optional<ElementKind> kiln::getElementKind(mlir::Type type) {
  if (type.isF16())
    return ElementKind::Float16;
  if (type.isBF16())
    return ElementKind::BFloat16;
  if (type.isF32())
    return ElementKind::Float32;
  if (type.isF64())
    return ElementKind::Float64;
  if (type.isSignlessInteger(1))
    return ElementKind::Bool;
  if (type.isSignlessInteger(8))
    return ElementKind::Int8;
  if (type.isSignlessInteger(16))
    return ElementKind::Int16;
  if (type.isSignlessInteger(32))
    return ElementKind::Int32;
  if (type.isSignlessInteger(64))
    return ElementKind::Int64;
  if (type.isUnsignedInteger(8))
    return ElementKind::UInt8;
  if (type.isUnsignedInteger(16))
    return ElementKind::UInt16;
  if (type.isUnsignedInteger(32))
    return ElementKind::UInt32;
  if (type.isUnsignedInteger(64))
    return ElementKind::UInt64;
  return std::nullopt;
}

mlir::Type kiln::getMLIRType(ElementKind kind, mlir::MLIRContext *context) {
  mlir::Builder builder(context);
  switch (kind) {
  case ElementKind::Float16:
    return builder.getF16Type();
  case ElementKind::BFloat16:
    return builder.getBF16Type();
  case ElementKind::Float32:
    return builder.getF32Type();
  case ElementKind::Float64:
    return builder.getF64Type();
  case ElementKind::Int8:
    return builder.getI8Type();
  case ElementKind::Int16:
    return builder.getI16Type();
  case ElementKind::Int32:
    return builder.getI32Type();
  case ElementKind::Int64:
    return builder.getI64Type();
  case ElementKind::Bool:
    return builder.getI1Type();
  case ElementKind::UInt8:
  case ElementKind::UInt16:
  case ElementKind::UInt32:
  case ElementKind::UInt64:
    return builder.getIntegerType(getElementSize(kind) * 8,
                                  /*isSigned=*/false);
  }
  llvm_unreachable("unknown element kind");
}

HostTensor::HostTensor(ElementKind kind, llvm::ArrayRef<int64_t> shape)
    : kind(kind), shape(shape) {
  data.assign(getNumElements() * getElementSize(kind), 0);
}

int64_t HostTensor::getNumElements() const {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  return count;
}

std::string HostTensor::describe() const {
  std::string text = getElementKindName(kind).str() + "[";
  llvm::raw_string_ostream os(text);
  llvm::interleave(shape, os, "x");
  os << "]";
  return text;
}

/// Rounds `value` to a 16-bit float format (ties to even); returns its bits.
static uint16_t toHalfBits(double value, const llvm::fltSemantics &semantics) {
  llvm::APFloat converted(value);
  bool losesInfo = false;
  converted.convert(semantics, llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  return static_cast<uint16_t>(converted.bitcastToAPInt().getZExtValue());
}

HostTensor kiln::makeRandomTensor(ElementKind kind,
                                  llvm::ArrayRef<int64_t> shape,
                                  uint64_t seed) {
  HostTensor tensor(kind, shape);
  std::mt19937_64 engine(seed);
  std::uniform_real_distribution<double> real(-1.0, 1.0);
  std::uniform_int_distribution<int64_t> integer(0, 9);
  int64_t count = tensor.getNumElements();
  for (int64_t i = 0; i < count; ++i) {
    switch (kind) {
    case ElementKind::Float16:
      tensor.getData<uint16_t>()[i] =
          toHalfBits(real(engine), llvm::APFloat::IEEEhalf());
      break;
    case ElementKind::BFloat16:
      tensor.getData<uint16_t>()[i] =
          toHalfBits(real(engine), llvm::APFloat::BFloat());
      break;
    case ElementKind::Float32:
      tensor.getData<float>()[i] = static_cast<float>(real(engine));
      break;
    case ElementKind::Float64:
      tensor.getData<double>()[i] = real(engine);
      break;
    case ElementKind::Int8:
      tensor.getData<int8_t>()[i] = static_cast<int8_t>(integer(engine));
      break;
    case ElementKind::Int16:
      tensor.getData<int16_t>()[i] = static_cast<int16_t>(integer(engine));
      break;
    case ElementKind::Int32:
      tensor.getData<int32_t>()[i] = static_cast<int32_t>(integer(engine));
      break;
    case ElementKind::Int64:
      tensor.getData<int64_t>()[i] = integer(engine);
      break;
    case ElementKind::Bool:
      tensor.getData<uint8_t>()[i] = integer(engine) % 2;
      break;
    case ElementKind::UInt8:
      tensor.getData<uint8_t>()[i] = static_cast<uint8_t>(integer(engine));
      break;
    case ElementKind::UInt16:
      tensor.getData<uint16_t>()[i] = static_cast<uint16_t>(integer(engine));
      break;
    case ElementKind::UInt32:
      tensor.getData<uint32_t>()[i] = static_cast<uint32_t>(integer(engine));
      break;
    case ElementKind::UInt64:
      tensor.getData<uint64_t>()[i] = static_cast<uint64_t>(integer(engine));
      break;
    }
  }
  return tensor;
}

llvm::Expected<HostTensor> kiln::readTensorFile(llvm::StringRef path) {
  llvm::StringRef extension = llvm::sys::path::extension(path);
  if (extension.equals_insensitive(".npy"))
    return readNpyFile(path);
  if (extension.equals_insensitive(".pb"))
    return readTensorProtoFile(path);
  return llvm::createStringError(
      "%s: unknown tensor file type (expected .npy or .pb)",
      path.str().c_str());
}
