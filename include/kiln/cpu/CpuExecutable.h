//===- CpuExecutable.h - a model JIT-compiled for the host CPU --*- C++ -*-===//
//
// Lowers an nn module with the CPU pipeline, JIT-compiles it with MLIR's
// ExecutionEngine and runs it on host tensors.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CPU_CPUEXECUTABLE_H
#define KILN_CPU_CPUEXECUTABLE_H

#include "kiln/cpu/CpuPipeline.h"
#include "kiln/runtime/HostTensor.h"
#include "kiln/runtime/ModelSignature.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"

#include <memory>

namespace kiln {

/// A model compiled to native code for this CPU.
class CpuExecutable {
public:
  /// Lowers `module` in place (it must hold nn ops on tensors) and compiles
  /// it for the host CPU, scheduled by `options`. The signature is read from
  /// the module before lowering. Lowering diagnostics go to the module's
  /// context.
  static llvm::Expected<std::unique_ptr<CpuExecutable>>
  compile(mlir::ModuleOp module, llvm::StringRef entry = {},
          const CpuScheduleOptions &options = {});

  const ModelSignature &getSignature() const { return signature; }

  /// Runs the model on `inputs` (checked against the signature) and returns
  /// freshly allocated outputs.
  llvm::Expected<std::vector<HostTensor>>
  run(llvm::ArrayRef<HostTensor> inputs);

  /// Runs the model writing into `outputs`, which must already have the
  /// output kinds and shapes (what benchmark loops use to avoid allocation).
  llvm::Error runInto(llvm::ArrayRef<HostTensor> inputs,
                      llvm::MutableArrayRef<HostTensor> outputs);

private:
  CpuExecutable(ModelSignature signature,
                std::unique_ptr<mlir::ExecutionEngine> engine)
      : signature(std::move(signature)), engine(std::move(engine)) {}

  ModelSignature signature;
  std::unique_ptr<mlir::ExecutionEngine> engine;
};

} // namespace kiln

#endif // KILN_CPU_CPUEXECUTABLE_H
