//===- kiln-cost.cpp - what a model will cost ---------------------------===//
//
//   kiln-cost MODEL [--target T] [--input-shape S]... [--json]
//       each layer's work (FLOPs, bytes, intensity) and its predicted
//       latency on the target, then the totals
//   kiln-cost fingerprint [-o FILE] [--quick]
//       measures this CPU and writes its target spec
//   kiln-cost collect MODEL... [--budget-minutes N] [--db PATH]
//   kiln-cost train [--db PATH] [-o DIR]
//   kiln-cost eval [--db PATH] [--json]
//       measure kernels of real models, fit the learned correction, and
//       report how well it predicts kernels it has not seen
//
//===----------------------------------------------------------------------===//

#include "Commands.h"
#include "CostReport.h"

#include "kiln/InitAllDialects.h"
#include "kiln/InitAllPasses.h"
#include "kiln/costmodel/MeasurementStore.h"
#include "kiln/support/LoadModel.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

#include <chrono>

namespace cl = llvm::cl;
using namespace kiln;

static cl::OptionCategory costCategory("kiln-cost options");

static cl::opt<std::string>
    modelPath(cl::Positional, cl::cat(costCategory),
              cl::desc("<model: .onnx, .pt (TorchScript), or .mlir holding nn "
                       "ops>"));

static cl::opt<std::string> targetName(
    "target", cl::init("cpu"), cl::cat(costCategory), cl::value_desc("target"),
    cl::sub(cl::SubCommand::getTopLevel()), cl::sub(cl::SubCommand::getAll()),
    cl::desc("Hardware to predict for: cpu (this machine, measured by "
             "'kiln-cost fingerprint', which runs first if it never has), "
             "sm_80, sm_90, u250, or a target spec .json file"));

static cl::list<std::string> inputShapes(
    "input-shape", cl::cat(costCategory), cl::value_desc("shape"),
    cl::sub(cl::SubCommand::getAll()),
    cl::desc("The type of the next model input, such as 1x3x224x224xf32, "
             "one per input in order: required for TorchScript (.pt), which "
             "records no input types; for ONNX it fixes dynamic "
             "dimensions"));

static cl::opt<bool> emitJson("json", cl::cat(costCategory),
                              cl::sub(cl::SubCommand::getAll()),
                              cl::desc("Print one JSON object instead of the "
                                       "table"));

static cl::opt<bool>
    measure("measure", cl::cat(costCategory),
            cl::desc("Also run every layer and the whole model on this CPU "
                     "and print measured next to predicted (--target cpu)"));

static cl::opt<bool> rooflineOnly(
    "roofline", cl::cat(costCategory),
    cl::desc("Print the analytical roofline estimate without the learned "
             "correction"));

static cl::opt<std::string>
    entryName("entry", cl::cat(costCategory), cl::value_desc("name"),
              cl::desc("Function to analyze in an .mlir file with several "
                       "public functions"));

static cl::SubCommand
    fingerprintCommand("fingerprint",
                       "Measure this CPU (cores, SIMD width, peak rates per "
                       "precision, cache sizes and bandwidths) and write its "
                       "target spec");

static cl::opt<std::string> fingerprintOutput(
    "o", cl::sub(fingerprintCommand), cl::cat(costCategory),
    cl::value_desc("file"),
    cl::desc("Spec file to write (default: $KILN_CACHE_DIR, else "
             "$XDG_CACHE_HOME/kiln, else ~/.cache/kiln, /cpu.json), where "
             "--target cpu reads it"));

static cl::opt<bool>
    fingerprintQuick("quick", cl::sub(fingerprintCommand),
                     cl::cat(costCategory),
                     cl::desc("Measure a tenth as long (noisier; for tests)"));

static cl::SubCommand
    collectCommand("collect",
                   "Measure the kernels of real models under candidate "
                   "schedules on this CPU into the measurement store");
static cl::list<std::string>
    collectModels(cl::Positional, cl::OneOrMore, cl::sub(collectCommand),
                  cl::cat(costCategory),
                  cl::desc("<models (.onnx, .mlir; "
                           ".pt with --input-shape)>"));
static cl::opt<double> budgetMinutes(
    "budget-minutes", cl::init(10), cl::sub(collectCommand),
    cl::cat(costCategory),
    cl::desc("Stop measuring after this many minutes (run again to go on; "
             "what is stored is skipped)"));
static cl::opt<double> secondsPerKernel(
    "seconds-per-kernel", cl::init(0.1), cl::sub(collectCommand),
    cl::cat(costCategory),
    cl::desc("Repeated runs per kernel and schedule last about this long "
             "(at least 3 runs)"));
static cl::list<std::string> extraPrecisions(
    "precisions", cl::sub(collectCommand), cl::cat(costCategory),
    cl::CommaSeparated, cl::value_desc("list"),
    cl::desc("Also measure each kernel converted to these precisions "
             "(f16, bf16) under the default schedule and two others"));
static cl::opt<bool> defaultScheduleOnly(
    "default-schedule-only", cl::sub(collectCommand), cl::cat(costCategory),
    cl::desc("Measure each kernel with the default schedule only"));

static cl::SubCommand
    trainCommand("train", "Fit the learned correction of the roofline on the "
                          "measurement store and save it");
static cl::opt<std::string> trainOutput(
    "o", cl::sub(trainCommand), cl::cat(costCategory), cl::value_desc("dir"),
    cl::desc("Directory to save the model in (default: <cache>/models/"
             "<target>, where predictions look first)"));

static cl::SubCommand
    evalCommand("eval",
                "Report held-out accuracy of the learned model: a random split "
                "by kernel and leave-one-op-kind-out");

static cl::opt<std::string>
    dbPath("db", cl::sub(collectCommand), cl::sub(trainCommand),
           cl::sub(evalCommand), cl::cat(costCategory), cl::value_desc("path"),
           cl::desc("Measurement store (SQLite; default: <cache>/"
                    "measurements.sqlite)"));

/// Prints "kiln-cost: error: <message>" and returns the exit code 1.
static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "kiln-cost") << message << "\n";
  return 1;
}

/// Measures this CPU and writes the spec to `path` atomically.
static llvm::Expected<cost::TargetSpec> fingerprint(llvm::StringRef path,
                                                    bool quick) {
  auto start = std::chrono::steady_clock::now();
  cost::TargetSpec spec = cost::fingerprintHostCpu(
      [](llvm::StringRef step) {
        llvm::errs() << "kiln-cost: measuring " << step << "\n";
      },
      quick);
  llvm::SmallString<256> directory(path);
  llvm::sys::path::remove_filename(directory);
  if (!directory.empty())
    if (std::error_code error = llvm::sys::fs::create_directories(directory))
      return llvm::createStringError(
          error, directory + ": cannot create: " + error.message());
  if (llvm::Error error = writeTargetSpecFile(path, spec))
    return std::move(error);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  llvm::errs() << llvm::formatv("kiln-cost: wrote {0} ({1:F1} s): {2}\n", path,
                                seconds, spec.description);
  return spec;
}

/// Resolves --target; measures this CPU first when it never has been.
static llvm::Expected<cost::TargetSpec> getTarget() {
  if (targetName == "cpu" &&
      !llvm::sys::fs::exists(cost::getDefaultCpuSpecPath())) {
    llvm::errs() << "kiln-cost: this CPU has no target spec yet; measuring "
                    "it once\n";
    return fingerprint(cost::getDefaultCpuSpecPath(), /*quick=*/false);
  }
  return cost::resolveTarget(targetName);
}

static mlir::func::FuncOp findEntry(mlir::ModuleOp module) {
  mlir::func::FuncOp entry;
  for (auto func : module.getOps<mlir::func::FuncOp>()) {
    if (func.isExternal() || func.isPrivate())
      continue;
    if (!entryName.empty() ? func.getSymName() == entryName : !entry)
      entry = func;
  }
  return entry;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions(costCategory);
  cl::ParseCommandLineOptions(
      argc, argv,
      "kiln-cost: what a model will cost, layer by layer\n\n"
      "For each layer: FLOPs, bytes moved, arithmetic intensity, whether\n"
      "compute or memory bounds it, and the predicted latency on --target;\n"
      "then the totals. docs/costmodel.md documents the rules and the JSON.\n\n"
      "  kiln-cost model.onnx\n"
      "  kiln-cost model.pt --input-shape 1x3x224x224xf32 --target sm_90 "
      "--json\n"
      "  kiln-cost fingerprint\n"
      "  kiln-cost collect resnet18.onnx mlp.onnx --budget-minutes 30\n"
      "  kiln-cost train && kiln-cost eval\n");

  if (fingerprintCommand) {
    std::string path = fingerprintOutput.empty() ? cost::getDefaultCpuSpecPath()
                                                 : fingerprintOutput.getValue();
    if (auto spec = fingerprint(path, fingerprintQuick); !spec)
      return fail(llvm::toString(spec.takeError()));
    return 0;
  }
  bool command = collectCommand || trainCommand || evalCommand;
  if (!command && modelPath.empty())
    return fail("no model given (kiln-cost MODEL, or one of the commands "
                "fingerprint, collect, train, eval; see --help)");

  llvm::Expected<cost::TargetSpec> target = getTarget();
  if (!target)
    return fail(llvm::toString(target.takeError()));
  std::string store =
      dbPath.empty() ? cost::getDefaultMeasurementStorePath() : dbPath;
  if (trainCommand)
    return runTrain(store, *target, trainOutput, emitJson);
  if (evalCommand)
    return runEval(store, *target, emitJson);

  // Measuring (collect, --measure) runs the CPU pipeline.
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
  PlainDiagnosticHandler plainDiagnostics(&context, "kiln-cost");

  OnnxImportOptions onnxOptions;
  TorchImportOptions torchOptions;
  if (llvm::Error error =
          addInputShapes(inputShapes, context, onnxOptions, torchOptions))
    return fail(llvm::toString(std::move(error)));
  if (collectCommand) {
    CollectOptions options;
    options.models.assign(collectModels.begin(), collectModels.end());
    options.dbPath = store;
    options.budgetMinutes = budgetMinutes;
    options.secondsPerKernel = secondsPerKernel;
    options.defaultScheduleOnly = defaultScheduleOnly;
    options.extraPrecisions.assign(extraPrecisions.begin(),
                                   extraPrecisions.end());
    return runCollect(options, *target, context, onnxOptions, torchOptions);
  }

  mlir::OwningOpRef<mlir::ModuleOp> module =
      loadModel(modelPath, context, onnxOptions, torchOptions);
  if (!module)
    return 1;
  mlir::func::FuncOp entry = findEntry(*module);
  if (!entry)
    return fail(modelPath + ": " +
                (entryName.empty()
                     ? "no public function to analyze"
                     : "no public function named '" + entryName + "'"));

  std::unique_ptr<cost::LearnedModel> learned;
  std::string learnedDir;
  if (!rooflineOnly) {
    auto found = findLearnedModel(*target, learnedDir);
    if (!found)
      return fail(llvm::toString(found.takeError()));
    learned = std::move(*found);
  }
  llvm::Expected<CostReport> report =
      buildCostReport(entry, *target, learned.get(), learnedDir);
  if (!report)
    return fail(modelPath + ": " + llvm::toString(report.takeError()));
  if (measure) {
    if (target->kind != cost::TargetKind::CPU)
      return fail("--measure runs on this CPU: use --target cpu");
    if (llvm::Error error = measureCostReport(*report, entry))
      return fail(modelPath + ": " + llvm::toString(std::move(error)));
  }
  if (emitJson)
    printCostReportJson(*report, modelPath, llvm::outs());
  else
    printCostReportTable(*report, modelPath, llvm::outs());
  return 0;
}
