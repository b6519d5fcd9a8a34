//===- CpuCodegen.cpp - ahead-of-time code for the host CPU
//----------------===//
//
// The AOT path of kiln-compile: CPU pipeline, translation to LLVM IR, -O3,
// object emission for the host, and a shared library whose exported
// functions implement include/kiln/runtime/kiln_model.h. The ABI functions
// are generated as C (plain data and one call) and compiled with the system
// C compiler, which also links the library.
//
//===----------------------------------------------------------------------===//

#include "kiln/cpu/CpuCodegen.h"
#include "kiln/cpu/CpuPipeline.h"
#include "kiln/runtime/AtomicFile.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

#include <cstdio>
#include <unistd.h>

using namespace kiln;

/// The text of kiln_runtime_support.c, embedded by CMake.
static constexpr const char *kRuntimeSupportSource =
#include "lib/cpu/RuntimeSupportSource.inc"
    ;

/// Returns a target machine for this host producing PIC code at -O3.
static llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createHostTargetMachine() {
  static bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)initialized;
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  builder->setRelocationModel(llvm::Reloc::PIC_);
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  return builder->createTargetMachine();
}

llvm::Expected<std::unique_ptr<llvm::Module>>
kiln::lowerToHostLLVMIR(mlir::ModuleOp module, llvm::LLVMContext &llvmContext,
                        const CpuScheduleOptions &options) {
  mlir::MLIRContext *context = module.getContext();
  mlir::PassManager pm(context);
  if (failed(buildCpuLoweringPipeline(pm, options)))
    return llvm::createStringError("internal error: bad CPU pipeline");
  if (failed(pm.run(module)))
    return llvm::createStringError(
        "lowering to the CPU failed (see the diagnostics above)");

  mlir::DialectRegistry registry;
  mlir::registerBuiltinDialectTranslation(registry);
  mlir::registerLLVMDialectTranslation(registry);
  context->appendDialectRegistry(registry);
  std::unique_ptr<llvm::Module> llvmModule =
      mlir::translateModuleToLLVMIR(module, llvmContext);
  if (!llvmModule)
    return llvm::createStringError("translation to LLVM IR failed");

  auto targetMachine = createHostTargetMachine();
  if (!targetMachine)
    return targetMachine.takeError();
  llvmModule->setDataLayout((*targetMachine)->createDataLayout());
  llvmModule->setTargetTriple((*targetMachine)->getTargetTriple());
  applyCpuScheduleAttributes(*llvmModule, options);
  auto optimize =
      mlir::makeOptimizingTransformer(/*optLevel=*/3,
                                      /*sizeLevel=*/0, targetMachine->get());
  if (llvm::Error error = optimize(llvmModule.get()))
    return std::move(error);
  return llvmModule;
}

void kiln::applyCpuScheduleAttributes(llvm::Module &module,
                                      const CpuScheduleOptions &options) {
  if (options.vectorBits <= 0)
    return;
  std::string bits = std::to_string(options.vectorBits);
  for (llvm::Function &function : module) {
    if (function.isDeclaration())
      continue;
    function.addFnAttr("prefer-vector-width", bits);
    function.addFnAttr("min-legal-vector-width", bits);
  }
}

llvm::Error kiln::emitHostObject(llvm::Module &module,
                                 llvm::raw_pwrite_stream &os) {
  auto targetMachine = createHostTargetMachine();
  if (!targetMachine)
    return targetMachine.takeError();
  module.setDataLayout((*targetMachine)->createDataLayout());
  llvm::legacy::PassManager passes;
  if ((*targetMachine)
          ->addPassesToEmitFile(passes, os, nullptr,
                                llvm::CodeGenFileType::ObjectFile))
    return llvm::createStringError("this host target cannot emit objects");
  passes.run(module);
  return llvm::Error::success();
}

/// Returns the kiln_dtype number (ONNX numbering) of an element kind.
static int getAbiDtype(ElementKind kind) {
  switch (kind) {
  case ElementKind::Float32:
    return 1;
  case ElementKind::UInt8:
    return 2;
  case ElementKind::Int8:
    return 3;
  case ElementKind::UInt16:
    return 4;
  case ElementKind::Int16:
    return 5;
  case ElementKind::Int32:
    return 6;
  case ElementKind::Int64:
    return 7;
  case ElementKind::Bool:
    return 9;
  case ElementKind::Float16:
    return 10;
  case ElementKind::Float64:
    return 11;
  case ElementKind::UInt32:
    return 12;
  case ElementKind::UInt64:
    return 13;
  case ElementKind::BFloat16:
    return 16;
  }
  return 0;
}

/// Returns `text` as a C string literal.
static std::string quoteC(llvm::StringRef text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      quoted += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char escape[8];
      std::snprintf(escape, sizeof(escape), "\\%03o",
                    static_cast<unsigned>(static_cast<unsigned char>(c)));
      quoted += escape;
      continue;
    }
    quoted += c;
  }
  return quoted + "\"";
}

/// Emits the metadata tables and accessors for the inputs or outputs.
static void emitTensorTables(llvm::raw_ostream &os, llvm::StringRef role,
                             llvm::ArrayRef<TensorSpec> specs) {
  for (auto [index, spec] : llvm::enumerate(specs)) {
    os << "static const int64_t " << role << index << "_shape[] = {";
    llvm::interleaveComma(spec.shape, os);
    os << (spec.shape.empty() ? "0" : "") << "};\n";
  }
  auto table = [&](llvm::StringRef type, llvm::StringRef name, auto valueOf) {
    os << "static const " << type << " " << role << "_" << name << "s[] = {";
    for (auto [index, spec] : llvm::enumerate(specs))
      os << (index ? ", " : "") << valueOf(index, spec);
    os << (specs.empty() ? "0" : "") << "};\n";
  };
  table("char *const", "name",
        [](size_t, const TensorSpec &spec) { return quoteC(spec.name); });
  table("int32_t", "dtype", [](size_t, const TensorSpec &spec) {
    return std::to_string(getAbiDtype(spec.kind));
  });
  table("int32_t", "rank", [](size_t, const TensorSpec &spec) {
    return std::to_string(spec.shape.size());
  });
  table("int64_t *const", "shape", [&](size_t index, const TensorSpec &) {
    return (role + llvm::Twine(index) + "_shape").str();
  });
  size_t count = specs.size();
  os << "KILN_EXPORT int32_t kiln_model_num_" << role << "s(void) { return "
     << count << "; }\n";
  auto accessor = [&](llvm::StringRef type, llvm::StringRef name,
                      llvm::StringRef fallback) {
    os << "KILN_EXPORT " << type << " kiln_model_" << role << "_" << name
       << "(int32_t i) { return i >= 0 && i < " << count << " ? " << role << "_"
       << name << "s[i] : " << fallback << "; }\n";
  };
  accessor("const char *", "name", "0");
  accessor("int32_t", "dtype", "0");
  accessor("int32_t", "rank", "-1");
  accessor("const int64_t *", "shape", "0");
}

/// Appends the expanded memref arguments of one buffer to a call.
static void emitBufferArguments(llvm::raw_ostream &os, llvm::StringRef pointer,
                                llvm::ArrayRef<int64_t> shape) {
  os << "(void *)" << pointer << ", (void *)" << pointer << ", 0";
  for (int64_t dim : shape)
    os << ", " << dim;
  llvm::SmallVector<int64_t> strides(shape.size(), 1);
  for (int i = static_cast<int>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  for (int64_t stride : strides)
    os << ", " << stride;
}

/// Appends the C parameter types of one expanded memref.
static void emitBufferParameters(llvm::raw_ostream &os, size_t rank,
                                 bool &first) {
  os << (first ? "" : ", ") << "void *, void *, int64_t";
  first = false;
  for (size_t i = 0; i < 2 * rank; ++i)
    os << ", int64_t";
}

std::string kiln::generateAbiSource(const ModelSignature &signature,
                                    int defaultThreads) {
  std::string source;
  llvm::raw_string_ostream os(source);
  os << "/* Generated by kiln-compile: the kiln_model.h ABI of one model. */\n"
        "#include <stdint.h>\n"
        "#define KILN_EXPORT __attribute__((visibility(\"default\")))\n\n";
  // The lowered entry takes each input, then each output, as an expanded
  // memref: allocated and aligned pointers, offset, sizes, strides.
  os << "extern void " << signature.entry << "(";
  bool first = true;
  for (const TensorSpec &spec : signature.inputs)
    emitBufferParameters(os, spec.shape.size(), first);
  for (const TensorSpec &spec : signature.outputs)
    emitBufferParameters(os, spec.shape.size(), first);
  os << (first ? "void" : "") << ");\n\n";
  os << "KILN_EXPORT int32_t kiln_model_abi_version(void) { return 1; }\n";
  os << kRuntimeSupportSource << "\n";
  os << "KILN_EXPORT int32_t kiln_model_set_num_threads(int32_t n) {\n"
        "  return kiln_set_num_threads(n);\n}\n"
        "KILN_EXPORT int32_t kiln_model_get_num_threads(void) {\n"
        "  return kiln_get_num_threads();\n}\n";
  if (defaultThreads > 0)
    os << "__attribute__((constructor)) static void "
          "kiln_model_init_threads(void) {\n  kiln_set_default_num_threads("
       << defaultThreads << ");\n}\n";
  emitTensorTables(os, "input", signature.inputs);
  emitTensorTables(os, "output", signature.outputs);
  os << "\nKILN_EXPORT int32_t kiln_model_run(const void *const *inputs, "
        "void *const *outputs) {\n  "
     << signature.entry << "(";
  first = true;
  for (auto [index, spec] : llvm::enumerate(signature.inputs)) {
    os << (first ? "" : ",\n      ");
    first = false;
    emitBufferArguments(os, ("inputs[" + llvm::Twine(index) + "]").str(),
                        spec.shape);
  }
  for (auto [index, spec] : llvm::enumerate(signature.outputs)) {
    os << (first ? "" : ",\n      ");
    first = false;
    emitBufferArguments(os, ("outputs[" + llvm::Twine(index) + "]").str(),
                        spec.shape);
  }
  os << ");\n  return 0;\n}\n";
  return source;
}

std::string kiln::generateModelHeader(const ModelSignature &signature,
                                      llvm::StringRef modelName) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "/* Generated by kiln-compile from " << modelName
     << ".\n * The library implements kiln_model.h (ABI version 1):\n";
  for (auto [index, spec] : llvm::enumerate(signature.inputs))
    os << " *   input " << index << ": " << spec.describe() << "\n";
  for (auto [index, spec] : llvm::enumerate(signature.outputs))
    os << " *   output " << index << ": " << spec.describe() << "\n";
  os << " */\n#include <stdint.h>\n\n";
  os << "#define KILN_MODEL_NUM_INPUTS " << signature.inputs.size() << "\n";
  os << "#define KILN_MODEL_NUM_OUTPUTS " << signature.outputs.size() << "\n";
  auto elementCounts = [&](llvm::StringRef role,
                           llvm::ArrayRef<TensorSpec> specs) {
    for (auto [index, spec] : llvm::enumerate(specs)) {
      int64_t count = 1;
      for (int64_t dim : spec.shape)
        count *= dim;
      os << "#define KILN_MODEL_" << role << index << "_ELEMENTS " << count
         << "\n";
    }
  };
  elementCounts("INPUT", signature.inputs);
  elementCounts("OUTPUT", signature.outputs);
  os << "\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n"
        "int32_t kiln_model_run(const void *const *inputs, "
        "void *const *outputs);\n"
        "#ifdef __cplusplus\n}\n#endif\n";
  return text;
}

llvm::Error kiln::linkSharedLibrary(const ModelSignature &signature,
                                    llvm::StringRef objectPath,
                                    llvm::StringRef libraryPath,
                                    int defaultThreads) {
  llvm::ErrorOr<std::string> compiler = llvm::sys::findProgramByName("cc");
  if (!compiler)
    return llvm::createStringError(
        "no C compiler 'cc' on PATH to link the shared library; install gcc "
        "or use --emit=obj");
  llvm::SmallString<128> abiSource;
  if (std::error_code error =
          llvm::sys::fs::createTemporaryFile("kiln-abi", "c", abiSource))
    return llvm::createStringError("cannot create a temporary file: " +
                                   error.message());
  llvm::scope_exit removeSource([&] { llvm::sys::fs::remove(abiSource); });
  if (llvm::Error error =
          writeFileAtomically(abiSource, [&](llvm::raw_ostream &os) {
            os << generateAbiSource(signature, defaultThreads);
            return llvm::Error::success();
          }))
    return error;

  // Link to a temporary name beside the output, then rename into place.
  llvm::SmallString<256> temporary;
  int fd;
  if (std::error_code error = llvm::sys::fs::createUniqueFile(
          libraryPath + ".tmp-%%%%%%", fd, temporary))
    return llvm::createStringError(libraryPath +
                                   ": cannot create: " + error.message());
  ::close(fd);
  llvm::SmallVector<llvm::StringRef> arguments = {
      *compiler, "-shared", "-fPIC",   "-O3",      "-pthread",
      "-o",      temporary, abiSource, objectPath, "-lm"};
  std::string message;
  int status = llvm::sys::ExecuteAndWait(*compiler, arguments, std::nullopt, {},
                                         0, 0, &message);
  if (status != 0) {
    llvm::sys::fs::remove(temporary);
    return llvm::createStringError("linking " + libraryPath + " with " +
                                   *compiler + " failed" +
                                   (message.empty() ? "" : ": " + message));
  }
  if (std::error_code error = llvm::sys::fs::rename(temporary, libraryPath)) {
    llvm::sys::fs::remove(temporary);
    return llvm::createStringError(libraryPath +
                                   ": cannot write: " + error.message());
  }
  return llvm::Error::success();
}
