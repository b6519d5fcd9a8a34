//===- OnnxImportFuzzer.cpp - libFuzzer target over the ONNX importer -----===//
//
// Feeds each input to importOnnxModelFromBuffer as a serialized ModelProto.
// Every input gets a fresh MLIRContext, so that no state (uniqued types,
// attributes, dense_resource blobs) leaks from one input into the next and a
// crash reproduces from its input alone. Diagnostics are swallowed: a
// rejected model is the expected outcome for almost every input, and only
// crashes, sanitizer reports, timeouts and memory blow-ups are findings.
// Built by test/fuzz/CMakeLists.txt when KILN_BUILD_FUZZERS is ON and run by
// test/fuzz/run_fuzz.sh.
//
//===----------------------------------------------------------------------===//

#include "kiln/onnx/ImportOnnx.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringRef.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::DialectRegistry registry;
  kiln::registerOnnxImportDialects(registry);
  // One thread per input: the importer is single-threaded and a thread pool
  // per context would dominate the cost of an execution.
  mlir::MLIRContext context(registry, mlir::MLIRContext::Threading::DISABLED);
  mlir::ScopedDiagnosticHandler silence(
      &context, [](mlir::Diagnostic &) { return mlir::success(); });
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      kiln::importOnnxModelFromBuffer(bytes, "fuzz.onnx", context);
  // A module the importer returns must be one that verifies.
  if (module && mlir::failed(mlir::verify(*module)))
    __builtin_trap();
  return 0;
}
