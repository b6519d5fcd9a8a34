//===- CpuCodegen.h - ahead-of-time code for the host CPU -------*- C++ -*-===//
//
// Turns an nn module into LLVM IR, an object file, and a shared library with
// Kiln's model C ABI (docs/c-abi.md): metadata queries plus one run entry
// point, described for each model by a generated header.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CPU_CPUCODEGEN_H
#define KILN_CPU_CPUCODEGEN_H

#include "kiln/cpu/CpuPipeline.h"
#include "kiln/runtime/ModelSignature.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>

namespace kiln {

/// Lowers `module` in place with the CPU pipeline (scheduled by `options`)
/// and translates it to LLVM IR optimized (-O3) for this host. Diagnostics
/// go to the module's context.
llvm::Expected<std::unique_ptr<llvm::Module>>
lowerToHostLLVMIR(mlir::ModuleOp module, llvm::LLVMContext &llvmContext,
                  const CpuScheduleOptions &options = {});

/// Sets the LLVM function attributes that carry `options` to LLVM's
/// optimizer and code generator on every function defined in `module`:
/// with `options.vectorBits` > 0, "prefer-vector-width" (the vectorizers'
/// register width) and "min-legal-vector-width" (so that a width above the
/// host's default preference, e.g. 512 on AVX-512, is also legal in code
/// generation). Call it before optimizing.
void applyCpuScheduleAttributes(llvm::Module &module,
                                const CpuScheduleOptions &options);

/// Compiles `module` (from lowerToHostLLVMIR) to a position-independent
/// object file for this host.
llvm::Error emitHostObject(llvm::Module &module, llvm::raw_pwrite_stream &os);

/// Returns the C source of the model's ABI functions, which call the lowered
/// entry function `signature.entry`, plus the runtime support and kernels
/// it calls. `defaultThreads` > 0 makes that the library's default thread
/// count (kiln_set_default_num_threads, run when the library loads).
std::string generateAbiSource(const ModelSignature &signature,
                              int defaultThreads = 0);

/// Returns the model-specific C header (prototypes and a description of
/// every input and output) for the library built from `modelName`.
std::string generateModelHeader(const ModelSignature &signature,
                                llvm::StringRef modelName);

/// Links `objectPath` and the ABI source into the shared library
/// `libraryPath` with the system C compiler (cc).
llvm::Error linkSharedLibrary(const ModelSignature &signature,
                              llvm::StringRef objectPath,
                              llvm::StringRef libraryPath,
                              int defaultThreads = 0);

} // namespace kiln

#endif // KILN_CPU_CPUCODEGEN_H
