//===- HostTensor.h - tensors in host memory for running models -*- C++ -*-===//
//
// A dense, row-major tensor in host memory with its element type and shape:
// what kiln-run reads from .npy / ONNX .pb files, hands to compiled models
// and writes back. It knows nothing about MLIR beyond converting its element
// type to and from an MLIR type.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_HOSTTENSOR_H
#define KILN_RUNTIME_HOSTTENSOR_H

#include "mlir/IR/Types.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kiln {

/// The element types a model input or output may have.
enum class ElementKind {
  Float16,
  BFloat16,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  Bool,
  UInt8,
  UInt16,
  UInt32,
  UInt64,
};

/// Returns the size of one element in bytes (Bool is one byte).
size_t getElementSize(ElementKind kind);

/// Returns a short name such as "float32" for messages.
llvm::StringRef getElementKindName(ElementKind kind);

/// Returns the kind matching an MLIR element type, if there is one.
std::optional<ElementKind> getElementKind(mlir::Type type);

/// Returns the MLIR type of an element kind.
mlir::Type getMLIRType(ElementKind kind, mlir::MLIRContext *context);

/// A dense row-major tensor; `data` holds shape-product elements.
struct HostTensor {
  ElementKind kind = ElementKind::Float32;
  llvm::SmallVector<int64_t> shape;
  std::vector<uint8_t> data;

  HostTensor() = default;
  HostTensor(ElementKind kind, llvm::ArrayRef<int64_t> shape);

  int64_t getNumElements() const;
  template <typename T> T *getData() {
    return reinterpret_cast<T *>(data.data());
  }
  template <typename T> const T *getData() const {
    return reinterpret_cast<const T *>(data.data());
  }
  /// Returns "float32[1x3x224x224]" for messages.
  std::string describe() const;
};

/// Reads a NumPy .npy file (format 1.0-3.0, C order, little-endian).
llvm::Expected<HostTensor> readNpyFile(llvm::StringRef path);

/// Writes `tensor` as a .npy file; the file appears atomically (written to a
/// temporary file beside it, then renamed).
llvm::Error writeNpyFile(llvm::StringRef path, const HostTensor &tensor);

/// Reads an ONNX TensorProto from a binary .pb file.
llvm::Expected<HostTensor> readTensorProtoFile(llvm::StringRef path);

/// Serializes `tensor` as an ONNX TensorProto (data in raw_data).
std::string encodeTensorProto(const HostTensor &tensor);

/// Reads a tensor from a .npy or .pb file, chosen by extension.
llvm::Expected<HostTensor> readTensorFile(llvm::StringRef path);

/// Fills a tensor with reproducible pseudo-random values for `seed`: floats
/// uniform in [-1, 1), integers (signed or unsigned) in [0, 10), booleans
/// 0/1.
HostTensor makeRandomTensor(ElementKind kind, llvm::ArrayRef<int64_t> shape,
                            uint64_t seed);

} // namespace kiln

#endif // KILN_RUNTIME_HOSTTENSOR_H
