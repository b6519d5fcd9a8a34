//===- ModelSignature.h - inputs and outputs of a compiled model -*- C++
//-*-===//
//
// The names, element kinds and shapes of a model's inputs and outputs, read
// from its entry function before lowering, and the checks that given input
// tensors match them.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_MODELSIGNATURE_H
#define KILN_RUNTIME_MODELSIGNATURE_H

#include "kiln/runtime/HostTensor.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace kiln {

/// Attribute on entry-function arguments and results holding the model's own
/// name for that tensor (set by the frontends).
constexpr llvm::StringLiteral kTensorNameAttr = "kiln.name";

/// One input or output of a model.
struct TensorSpec {
  std::string name;
  ElementKind kind = ElementKind::Float32;
  llvm::SmallVector<int64_t> shape;

  /// Returns "'name' float32[1x3]".
  std::string describe() const;
};

/// The entry function of a model and its inputs and outputs, in order.
struct ModelSignature {
  std::string entry;
  std::vector<TensorSpec> inputs;
  std::vector<TensorSpec> outputs;
};

/// Reads the signature of `entry` in `module`, or of its only public function
/// when `entry` is empty. Fails on dynamic shapes and unsupported types.
llvm::Expected<ModelSignature> getModelSignature(mlir::ModuleOp module,
                                                 llvm::StringRef entry = {});

/// Checks that `inputs` match the signature's inputs one for one.
llvm::Error checkInputs(const ModelSignature &signature,
                        llvm::ArrayRef<HostTensor> inputs);

} // namespace kiln

#endif // KILN_RUNTIME_MODELSIGNATURE_H
