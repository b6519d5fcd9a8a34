//===- kiln-compile.cpp - compile a model ahead of time -----------------===//
//
// Compiles an ONNX or TorchScript model (or an nn-dialect .mlir file) for a
// target and writes one artefact: by default a shared library implementing
// Kiln's model C ABI (include/kiln/runtime/kiln_model.h) plus a header
// describing this model; or, with --emit, the nn-level MLIR, LLVM IR or an
// object file. Every output file is written atomically.
//
//===----------------------------------------------------------------------===//

#include "kiln/InitAllDialects.h"
#include "kiln/InitAllPasses.h"
#include "kiln/cpu/CpuCodegen.h"
#include "kiln/runtime/AtomicFile.h"
#include "kiln/support/LoadModel.h"
#include "kiln/support/ThreadsOption.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

namespace cl = llvm::cl;
using namespace kiln;

namespace {
enum class EmitKind { SharedLibrary, Mlir, LlvmIR, Object };
} // namespace

static cl::OptionCategory compileCategory("kiln-compile options");

static cl::opt<std::string>
    modelPath(cl::Positional, cl::Required, cl::cat(compileCategory),
              cl::desc("<model: .onnx, .pt (TorchScript), or .mlir holding nn "
                       "ops>"));

static cl::opt<std::string> outputPath("o", cl::Required,
                                       cl::cat(compileCategory),
                                       cl::value_desc("file"),
                                       cl::desc("Output file"));

static cl::opt<std::string>
    target("target", cl::init("cpu"), cl::cat(compileCategory),
           cl::desc("Target to compile for (only 'cpu', this host, so far)"));

static cl::opt<EmitKind> emitKind(
    "emit", cl::init(EmitKind::SharedLibrary), cl::cat(compileCategory),
    cl::desc("What to write to -o"),
    cl::values(clEnumValN(EmitKind::SharedLibrary, "so",
                          "shared library with the kiln_model.h C ABI, plus "
                          "<output>.h describing the model (default)"),
               clEnumValN(EmitKind::Mlir, "mlir",
                          "the nn-dialect module (kiln-run runs it)"),
               clEnumValN(EmitKind::LlvmIR, "llvm", "optimized LLVM IR"),
               clEnumValN(EmitKind::Object, "obj",
                          "object file with the lowered entry function")));

static cl::opt<std::string>
    entryName("entry", cl::cat(compileCategory), cl::value_desc("name"),
              cl::desc("Function to compile in an .mlir file with several "
                       "public functions"));

static cl::list<std::string> inputShapes(
    "input-shape", cl::cat(compileCategory), cl::value_desc("shape"),
    cl::desc("The type of the next model input, such as 1x3x224x224xf32, "
             "one per input in order: required for TorchScript (.pt), which "
             "records no input types; for ONNX it fixes dynamic dimensions "
             "(such as the batch size)"));

static cl::opt<bool> microkernels(
    "microkernels", cl::cat(compileCategory), cl::init(true),
    cl::desc("Call Kiln's hand-written kernels for f32 matrix products and "
             "convolutions (kiln-cpu-microkernels); "
             "--microkernels=false generates their loops instead"));

/// Prints "kiln-compile: error: <message>" and returns the exit code 1.
static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "kiln-compile") << message << "\n";
  return 1;
}

/// Returns `path` with its extension replaced by ".h".
static std::string headerPathFor(llvm::StringRef path) {
  llvm::SmallString<256> header(path);
  llvm::sys::path::replace_extension(header, ".h");
  return header.str().str();
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::opt<int> &threadCount = kiln::registerThreadsOption(compileCategory);
  threadCount.setDescription(
      "Default number of threads of the compiled library's kernels (the "
      "caller's kiln_model_set_num_threads and $KILN_NUM_THREADS take "
      "precedence); 0: every core the process may use");
  cl::HideUnrelatedOptions(compileCategory);
  cl::ParseCommandLineOptions(
      argc, argv,
      "kiln-compile: compile a model ahead of time\n\n"
      "  kiln-compile model.onnx --target=cpu -o model.so\n"
      "  kiln-compile model.onnx --emit=mlir -o model.mlir\n"
      "  kiln-compile model.pt --input-shape 1x3x224x224xf32 -o model.so\n");
  if (target != "cpu")
    return fail("unknown target '" + target + "' (supported: cpu)");
  if (threadCount < 0)
    return fail("--threads: must be >= 0");

  mlir::registerAllPasses();
  kiln::registerAllPasses();
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  kiln::registerAllDialects(registry);
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  llvm::SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  PlainDiagnosticHandler plainDiagnostics(&context, "kiln-compile");

  OnnxImportOptions onnxOptions;
  TorchImportOptions torchOptions;
  if (llvm::Error error =
          addInputShapes(inputShapes, context, onnxOptions, torchOptions))
    return fail(llvm::toString(std::move(error)));
  mlir::OwningOpRef<mlir::ModuleOp> module =
      loadModel(modelPath, context, onnxOptions, torchOptions);
  if (!module)
    return 1;
  if (emitKind == EmitKind::Mlir) {
    if (llvm::Error error =
            writeFileAtomically(outputPath, [&](llvm::raw_ostream &os) {
              module->print(os);
              return llvm::Error::success();
            }))
      return fail(llvm::toString(std::move(error)));
    return 0;
  }

  auto signature = getModelSignature(*module, entryName);
  if (!signature)
    return fail(modelPath + ": " + llvm::toString(signature.takeError()));
  llvm::LLVMContext llvmContext;
  CpuScheduleOptions schedule;
  schedule.microkernels = microkernels;
  auto llvmModule = lowerToHostLLVMIR(*module, llvmContext, schedule);
  if (!llvmModule)
    return fail(modelPath + ": " + llvm::toString(llvmModule.takeError()));

  if (emitKind == EmitKind::LlvmIR) {
    if (llvm::Error error =
            writeFileAtomically(outputPath, [&](llvm::raw_ostream &os) {
              (*llvmModule)->print(os, nullptr);
              return llvm::Error::success();
            }))
      return fail(llvm::toString(std::move(error)));
    return 0;
  }

  // Objects go through a file so that a shared library can be linked from it.
  auto writeObject = [&](llvm::StringRef path) {
    return writeFileAtomically(path, [&](llvm::raw_ostream &os) -> llvm::Error {
      llvm::SmallString<0> bytes;
      llvm::raw_svector_ostream buffer(bytes);
      if (llvm::Error error = emitHostObject(**llvmModule, buffer))
        return error;
      os << bytes;
      return llvm::Error::success();
    });
  };
  if (emitKind == EmitKind::Object) {
    if (llvm::Error error = writeObject(outputPath))
      return fail(llvm::toString(std::move(error)));
    return 0;
  }

  llvm::SmallString<128> objectPath;
  if (std::error_code error =
          llvm::sys::fs::createTemporaryFile("kiln-model", "o", objectPath))
    return fail("cannot create a temporary file: " + error.message());
  llvm::scope_exit removeObject([&] { llvm::sys::fs::remove(objectPath); });
  if (llvm::Error error = writeObject(objectPath))
    return fail(llvm::toString(std::move(error)));
  if (llvm::Error error =
          linkSharedLibrary(*signature, objectPath, outputPath, threadCount))
    return fail(llvm::toString(std::move(error)));
  std::string headerPath = headerPathFor(outputPath);
  if (llvm::Error error =
          writeFileAtomically(headerPath, [&](llvm::raw_ostream &os) {
            os << generateModelHeader(*signature,
                                      llvm::sys::path::filename(modelPath));
            return llvm::Error::success();
          }))
    return fail(llvm::toString(std::move(error)));
  return 0;
}
