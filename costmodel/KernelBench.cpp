//===- KernelBench.cpp - measure kernels on this CPU ----------------------===//

#include "kiln/costmodel/KernelBench.h"

#include "kiln/cpu/CpuExecutable.h"
#include "kiln/dialects/nn/NNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <chrono>

using namespace mlir;
using namespace kiln;
using namespace kiln::cost;

namespace {
/// Constants up to this many elements stay in the kernel (shapes, scalars,
/// biases of small layers); larger ones (weights) become arguments so that
/// the kernel reads them from memory as the model does.
constexpr int64_t kInlineConstantElements = 64;

bool isIntegerTensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && isa<IntegerType>(tensor.getElementType());
}
} // namespace

std::optional<KernelCase> kiln::cost::cutKernel(Operation *op,
                                                llvm::StringRef modelName) {
  if (!isLayerOp(op) || op->getNumRegions() != 0)
    return std::nullopt;
  std::string error;
  FailureOr<OpWork> work = computeOpWork(op, error);
  if (failed(work) || work->getBytes() == 0)
    return std::nullopt;

  OpBuilder builder(op->getContext());
  OwningOpRef<ModuleOp> module = ModuleOp::create(builder.getUnknownLoc());
  builder.setInsertionPointToEnd(module->getBody());
  SmallVector<Type> argumentTypes;
  SmallVector<Value> argumentSources;
  for (Value operand : op->getOperands()) {
    auto constant = operand.getDefiningOp<nn::ConstantOp>();
    auto type = cast<RankedTensorType>(operand.getType());
    if (constant && type.getNumElements() <= kInlineConstantElements)
      continue;
    if (!constant && isIntegerTensor(type))
      return std::nullopt;
    argumentTypes.push_back(type);
    argumentSources.push_back(operand);
  }
  auto func = func::FuncOp::create(
      builder, builder.getUnknownLoc(), "kernel",
      builder.getFunctionType(argumentTypes, op->getResultTypes()));
  Block *body = func.addEntryBlock();
  builder.setInsertionPointToStart(body);
  IRMapping mapping;
  for (auto [source, argument] :
       llvm::zip(argumentSources, body->getArguments()))
    mapping.map(source, argument);
  for (Value operand : op->getOperands())
    if (!mapping.contains(operand))
      mapping.map(operand,
                  builder.clone(*operand.getDefiningOp())->getResult(0));
  Operation *clone = builder.clone(*op, mapping);
  func::ReturnOp::create(builder, builder.getUnknownLoc(), clone->getResults());
  module->walk(
      [&](Operation *nested) { nested->setLoc(builder.getUnknownLoc()); });

  std::string key;
  llvm::raw_string_ostream os(key);
  func.print(os, OpPrintingFlags().elideLargeElementsAttrs(16));
  std::string layer;
  if (auto named = dyn_cast<NameLoc>(op->getLoc()))
    layer = named.getName().str();
  return KernelCase{key, op->getName().getStringRef().str(),
                    (modelName + ":" + layer).str(), std::move(module)};
}

std::vector<KernelCase> kiln::cost::extractKernels(func::FuncOp entry,
                                                   llvm::StringRef modelName) {
  std::vector<KernelCase> kernels;
  llvm::StringSet<> seen;
  for (Operation &op : entry.getBody().front()) {
    std::optional<KernelCase> kernel = cutKernel(&op, modelName);
    if (kernel && seen.insert(kernel->key).second)
      kernels.push_back(std::move(*kernel));
  }
  return kernels;
}

std::optional<KernelCase>
kiln::cost::convertKernelPrecision(const KernelCase &kernel,
                                   llvm::StringRef precision) {
  ModuleOp source = kernel.module.get();
  std::string text;
  llvm::raw_string_ostream os(text);
  source.print(os);
  // Element types appear as "xf32>" in tensor types and as ": f32" on
  // scalars; f32 is nowhere else in a printed kernel.
  std::string converted;
  llvm::StringRef rest = text;
  while (!rest.empty()) {
    size_t at = rest.find("f32");
    converted += rest.take_front(at).str();
    if (at == llvm::StringRef::npos)
      break;
    converted += precision.str();
    rest = rest.drop_front(at + 3);
  }
  MLIRContext *context = source.getContext();
  // Parse quietly: a kernel whose op rejects the type is simply skipped.
  ScopedDiagnosticHandler quiet(context,
                                [](Diagnostic &) { return success(); });
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(converted, context);
  if (!module || failed(verify(*module)))
    return std::nullopt;
  std::string key;
  llvm::raw_string_ostream keyStream(key);
  for (auto func : module->getOps<func::FuncOp>())
    func.print(keyStream, OpPrintingFlags().elideLargeElementsAttrs(16));
  return KernelCase{key, kernel.opName, kernel.source + ":" + precision.str(),
                    std::move(module)};
}

Operation *kiln::cost::getKernelOp(ModuleOp kernel) {
  for (auto func : kernel.getOps<func::FuncOp>())
    for (Operation &op : func.getBody().front())
      if (isLayerOp(&op))
        return &op;
  return nullptr;
}

std::string kiln::cost::printSchedule(const Schedule &schedule) {
  std::string text = "tile=";
  text += schedule.tileSizes.empty()
              ? "none"
              : llvm::join(llvm::map_range(schedule.tileSizes,
                                           [](int64_t size) {
                                             return std::to_string(size);
                                           }),
                           ",");
  text += ";vec=" + std::to_string(schedule.vectorBits);
  text += ";par=" + std::to_string(schedule.parallelDegree);
  return text;
}

CpuScheduleOptions kiln::cost::toCpuOptions(const Schedule &schedule) {
  CpuScheduleOptions options;
  options.tileSizes.assign(schedule.tileSizes.begin(),
                           schedule.tileSizes.end());
  options.vectorBits = schedule.vectorBits;
  return options;
}

llvm::Expected<Timing> kiln::cost::measureKernel(ModuleOp kernel,
                                                 const Schedule &schedule,
                                                 double seconds) {
  OwningOpRef<ModuleOp> copy = kernel.clone();
  auto executable =
      CpuExecutable::compile(*copy, "kernel", toCpuOptions(schedule));
  if (!executable)
    return executable.takeError();
  const ModelSignature &signature = (*executable)->getSignature();
  std::vector<HostTensor> inputs;
  for (auto [index, spec] : llvm::enumerate(signature.inputs))
    inputs.push_back(makeRandomTensor(spec.kind, spec.shape, 1 + index));
  std::vector<HostTensor> outputs;
  for (const TensorSpec &spec : signature.outputs)
    outputs.emplace_back(spec.kind, spec.shape);

  using Clock = std::chrono::steady_clock;
  if (llvm::Error error = (*executable)->runInto(inputs, outputs))
    return std::move(error); // warm-up: caches, page faults
  std::vector<double> times;
  Clock::time_point start = Clock::now();
  while (
      times.size() < 3 ||
      (times.size() < 1000 &&
       std::chrono::duration<double>(Clock::now() - start).count() < seconds)) {
    Clock::time_point begin = Clock::now();
    if (llvm::Error error = (*executable)->runInto(inputs, outputs))
      return std::move(error);
    times.push_back(
        std::chrono::duration<double>(Clock::now() - begin).count());
  }
  std::sort(times.begin(), times.end());
  auto quantile = [&](double q) {
    return times[std::min(times.size() - 1, size_t(q * times.size()))];
  };
  Timing timing;
  timing.medianSeconds = quantile(0.5);
  timing.spread = timing.medianSeconds > 0
                      ? (quantile(0.75) - quantile(0.25)) / timing.medianSeconds
                      : 0;
  timing.repeats = times.size();
  return timing;
}
