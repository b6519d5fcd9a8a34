//===- CpuExecutable.cpp - a model JIT-compiled for the host CPU
//-----------===//
//
// Compiles the lowered module with MLIR's ExecutionEngine and calls the entry
// function through its packed wrapper. After the CPU pipeline the entry takes
// every input and then every output as a memref, which the LLVM lowering
// expands into (allocated pointer, aligned pointer, offset, sizes..., strides
// ...); the packed wrapper wants one pointer per expanded scalar.
//
//===----------------------------------------------------------------------===//

#include "kiln/cpu/CpuExecutable.h"
#include "kiln/cpu/CpuCodegen.h"
#include "kiln/cpu/CpuPipeline.h"
#include "kiln/cpu/kiln_kernels.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

using namespace kiln;

/// Kiln's memrefCopy and allocation functions (kiln_runtime_support.c),
/// which lowered code calls.
extern "C" {
void memrefCopy(int64_t elementSize, void *source, void *destination);
void *_mlir_memref_to_llvm_alloc(size_t size);
void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t size);
void _mlir_memref_to_llvm_free(void *pointer);
}

namespace {

/// Storage for the expanded memref arguments of one call.
class PackedArguments {
public:
  /// Appends the descriptor of a contiguous row-major buffer.
  void addBuffer(void *data, llvm::ArrayRef<int64_t> shape) {
    storage.push_back(reinterpret_cast<intptr_t>(data)); // allocated
    storage.push_back(reinterpret_cast<intptr_t>(data)); // aligned
    storage.push_back(0);                                // offset
    storage.append(shape.begin(), shape.end());
    llvm::SmallVector<int64_t> strides(shape.size(), 1);
    for (int i = static_cast<int>(shape.size()) - 2; i >= 0; --i)
      strides[i] = strides[i + 1] * shape[i + 1];
    storage.append(strides.begin(), strides.end());
  }

  /// Returns one pointer per scalar, valid while this object lives.
  llvm::SmallVector<void *> getPointers() {
    llvm::SmallVector<void *> pointers;
    for (size_t i = 0; i < storage.size(); ++i)
      pointers.push_back(&storage[i]);
    return pointers;
  }

private:
  static_assert(sizeof(intptr_t) == sizeof(int64_t), "64-bit hosts only");
  llvm::SmallVector<int64_t> storage;
};

} // namespace

/// Returns a target machine for this host (its CPU and features) that
/// generates code at -O3.
static llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createJitTargetMachine() {
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  return builder->createTargetMachine();
}

llvm::Expected<std::unique_ptr<CpuExecutable>>
CpuExecutable::compile(mlir::ModuleOp module, llvm::StringRef entry,
                       const CpuScheduleOptions &scheduleOptions) {
  auto signature = getModelSignature(module, entry);
  if (!signature)
    return signature.takeError();

  mlir::MLIRContext *context = module.getContext();
  mlir::PassManager pm(context);
  if (failed(buildCpuLoweringPipeline(pm, scheduleOptions)))
    return llvm::createStringError("internal error: bad CPU pipeline");
  if (failed(pm.run(module)))
    return llvm::createStringError(
        "lowering to the CPU failed (see the diagnostics above)");

  static bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)initialized;
  mlir::DialectRegistry registry;
  mlir::registerBuiltinDialectTranslation(registry);
  mlir::registerLLVMDialectTranslation(registry);
  context->appendDialectRegistry(registry);

  // The optimizer needs the host's target machine: without it LLVM's
  // vectorizers cost code with a generic TargetTransformInfo that knows no
  // vector registers. The engine gets a target machine of its own for code
  // generation; without one it would make a host one at the default -O2
  // (it ignores jitCodeGenOptLevel when it owns the target machine).
  auto optimizerTarget = createJitTargetMachine();
  if (!optimizerTarget)
    return optimizerTarget.takeError();
  auto codegenTarget = createJitTargetMachine();
  if (!codegenTarget)
    return codegenTarget.takeError();
  std::function<llvm::Error(llvm::Module *)> optimize =
      mlir::makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0,
                                      optimizerTarget->get());
  // The transformer is a function_ref: keep the callable alive here.
  auto scheduleAndOptimize = [&](llvm::Module *llvmModule) {
    applyCpuScheduleAttributes(*llvmModule, scheduleOptions);
    return optimize(llvmModule);
  };
  mlir::ExecutionEngineOptions options;
  options.transformer = scheduleAndOptimize;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  auto engine =
      mlir::ExecutionEngine::create(module, options, std::move(*codegenTarget));
  if (!engine)
    return engine.takeError();
  (*engine)->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    auto add = [&](llvm::StringRef name, auto *function) {
      symbols[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(function),
                                 llvm::JITSymbolFlags::Exported};
    };
    add("memrefCopy", &memrefCopy);
    add("_mlir_memref_to_llvm_alloc", &_mlir_memref_to_llvm_alloc);
    add("_mlir_memref_to_llvm_aligned_alloc",
        &_mlir_memref_to_llvm_aligned_alloc);
    add("_mlir_memref_to_llvm_free", &_mlir_memref_to_llvm_free);
    // The hand-written kernels (kiln_gemm.c, kiln_conv.c) that
    // kiln-cpu-microkernels calls.
    add("_mlir_ciface_kiln_mk_gemm_f32", &_mlir_ciface_kiln_mk_gemm_f32);
    add("_mlir_ciface_kiln_mk_gemm_pa_f32", &_mlir_ciface_kiln_mk_gemm_pa_f32);
    add("_mlir_ciface_kiln_mk_gemm_pb_f32", &_mlir_ciface_kiln_mk_gemm_pb_f32);
    add("_mlir_ciface_kiln_mk_conv2d_nchw_pa_f32",
        &_mlir_ciface_kiln_mk_conv2d_nchw_pa_f32);
    add("_mlir_ciface_kiln_mk_gemm_pb_fused_f32",
        &_mlir_ciface_kiln_mk_gemm_pb_fused_f32);
    add("_mlir_ciface_kiln_mk_conv2d_nchw_pa_fused_f32",
        &_mlir_ciface_kiln_mk_conv2d_nchw_pa_fused_f32);
    add("_mlir_ciface_kiln_mk_dwconv2d_nchw_fused_f32",
        &_mlir_ciface_kiln_mk_dwconv2d_nchw_fused_f32);
    add("_mlir_ciface_kiln_mk_batch_gemm_f32",
        &_mlir_ciface_kiln_mk_batch_gemm_f32);
    add("_mlir_ciface_kiln_mk_conv2d_nchw_f32",
        &_mlir_ciface_kiln_mk_conv2d_nchw_f32);
    add("_mlir_ciface_kiln_mk_dwconv2d_nchw_f32",
        &_mlir_ciface_kiln_mk_dwconv2d_nchw_f32);
    // Loops kiln-parallelize-loops outlined.
    add("kiln_parallel_range", &kiln_parallel_range);
    return symbols;
  });
  // The JIT generates machine code lazily, on the first lookup: do it here so
  // that compile time is paid (and measured) at compile time, not in the
  // first run.
  if (auto entry = (*engine)->lookupPacked(signature->entry); !entry)
    return entry.takeError();
  return std::unique_ptr<CpuExecutable>(
      new CpuExecutable(std::move(*signature), std::move(*engine)));
}

llvm::Expected<std::vector<HostTensor>>
CpuExecutable::run(llvm::ArrayRef<HostTensor> inputs) {
  std::vector<HostTensor> outputs;
  for (const TensorSpec &spec : signature.outputs)
    outputs.emplace_back(spec.kind, spec.shape);
  if (llvm::Error error = runInto(inputs, outputs))
    return std::move(error);
  return outputs;
}

llvm::Error CpuExecutable::runInto(llvm::ArrayRef<HostTensor> inputs,
                                   llvm::MutableArrayRef<HostTensor> outputs) {
  if (llvm::Error error = checkInputs(signature, inputs))
    return error;
  PackedArguments arguments;
  // The generated code only reads inputs; the const_cast is for the ABI.
  for (const HostTensor &input : inputs)
    arguments.addBuffer(const_cast<uint8_t *>(input.data.data()), input.shape);
  for (auto [spec, output] : llvm::zip_equal(signature.outputs, outputs)) {
    if (output.kind != spec.kind ||
        llvm::ArrayRef(output.shape) != llvm::ArrayRef(spec.shape))
      return llvm::createStringError("output buffer " + output.describe() +
                                     " does not match " + spec.describe());
    arguments.addBuffer(output.data.data(), output.shape);
  }
  llvm::SmallVector<void *> pointers = arguments.getPointers();
  return engine->invokePacked(signature.entry, pointers);
}
