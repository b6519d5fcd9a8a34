//===- kiln-cost.cpp - what a model will cost ---------------------------===//
//
// Prints the per-layer cost table of a model: for every nn op of the entry
// function, its FLOPs, the bytes it reads and writes and its arithmetic
// intensity (costmodel/OpWork.cpp counts them), then the totals; as a table
// or, with --json, as one JSON object. Target-specific predictions (roofline
// latency and the learned correction) are the cost-model issue's next step.
//
//===----------------------------------------------------------------------===//

#include "kiln/InitAllDialects.h"
#include "kiln/costmodel/OpWork.h"
#include "kiln/support/LoadModel.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

namespace cl = llvm::cl;
using namespace kiln;

static cl::OptionCategory costCategory("kiln-cost options");

static cl::opt<std::string>
    modelPath(cl::Positional, cl::Required, cl::cat(costCategory),
              cl::desc("<model: .onnx, .pt (TorchScript), or .mlir holding nn "
                       "ops>"));

static cl::list<std::string> inputShapes(
    "input-shape", cl::cat(costCategory), cl::value_desc("shape"),
    cl::desc("The type of the next model input, such as 1x3x224x224xf32, "
             "one per input in order: required for TorchScript (.pt), which "
             "records no input types; for ONNX it fixes dynamic "
             "dimensions"));

static cl::opt<bool> emitJson("json", cl::cat(costCategory),
                              cl::desc("Print one JSON object instead of the "
                                       "table"));

static cl::opt<std::string>
    entryName("entry", cl::cat(costCategory), cl::value_desc("name"),
              cl::desc("Function to analyze in an .mlir file with several "
                       "public functions"));

/// Prints "kiln-cost: error: <message>" and returns the exit code 1.
static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "kiln-cost") << message << "\n";
  return 1;
}

namespace {
/// One row of the table.
struct Layer {
  std::string name;
  std::string op;
  std::string output;
  cost::OpWork work;
};
} // namespace

/// Returns the name an importer gave the op (the ONNX node or TorchScript
/// value), or "" when it has none.
static std::string getLayerName(mlir::Location loc) {
  if (auto named = llvm::dyn_cast<mlir::NameLoc>(loc))
    return named.getName().str();
  if (auto fused = llvm::dyn_cast<mlir::FusedLoc>(loc))
    for (mlir::Location inner : fused.getLocations())
      if (std::string name = getLayerName(inner); !name.empty())
        return name;
  return "";
}

static std::string describeType(mlir::Type type) {
  auto tensor = llvm::dyn_cast<mlir::RankedTensorType>(type);
  if (!tensor)
    return "?";
  std::string text;
  llvm::raw_string_ostream os(text);
  for (int64_t size : tensor.getShape())
    os << size << "x";
  tensor.getElementType().print(os);
  return text;
}

/// 1234567 -> "1.23 M"; keeps three significant digits.
static std::string humanize(double value, llvm::StringRef unit) {
  static const char *const prefixes[] = {"", "k", "M", "G", "T", "P"};
  unsigned index = 0;
  while (value >= 1000 && index + 1 < std::size(prefixes)) {
    value /= 1000;
    ++index;
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format(index == 0 ? "%.0f" : "%.3g", value) << " "
     << prefixes[index] << unit;
  return text;
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
      "Prints each layer's FLOPs, bytes read and written and arithmetic\n"
      "intensity (FLOPs per byte), counted from the nn IR (see\n"
      "docs/costmodel.md), and the totals.\n\n"
      "  kiln-cost model.onnx\n"
      "  kiln-cost model.pt --input-shape 1x3x224x224xf32 --json\n");

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
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

  std::vector<Layer> layers;
  cost::OpWork total;
  bool failed = false;
  entry.walk([&](mlir::Operation *op) {
    if (failed || !cost::isLayerOp(op) ||
        op->getParentOfType<mlir::func::FuncOp>() != entry ||
        op->getParentOp() != entry.getOperation())
      return;
    std::string error;
    mlir::FailureOr<cost::OpWork> work = cost::computeOpWork(op, error);
    if (mlir::failed(work)) {
      std::string name = getLayerName(op->getLoc());
      fail(modelPath + ": " + (name.empty() ? "" : "layer '" + name + "': ") +
           error);
      failed = true;
      return;
    }
    total += *work;
    layers.push_back(
        {getLayerName(op->getLoc()), op->getName().getStringRef().str(),
         op->getNumResults() ? describeType(op->getResultTypes()[0]) : "",
         *work});
  });
  if (failed)
    return 1;

  if (emitJson) {
    llvm::json::Array rows;
    auto toJson = [](const cost::OpWork &work) {
      return llvm::json::Object{{"flops", work.flops},
                                {"bytes_read", work.bytesRead},
                                {"bytes_written", work.bytesWritten},
                                {"intensity", work.getIntensity()}};
    };
    for (auto [index, layer] : llvm::enumerate(layers)) {
      llvm::json::Object row = toJson(layer.work);
      row["index"] = static_cast<int64_t>(index);
      row["name"] = layer.name;
      row["op"] = layer.op;
      row["output"] = layer.output;
      rows.push_back(std::move(row));
    }
    llvm::json::Object report{{"model", modelPath},
                              {"function", entry.getSymName()},
                              {"layers", std::move(rows)},
                              {"total", toJson(total)}};
    llvm::outs() << llvm::formatv("{0:2}", llvm::json::Value(std::move(report)))
                 << "\n";
    return 0;
  }

  size_t nameWidth = 5, opWidth = 2, outputWidth = 6;
  for (const Layer &layer : layers) {
    nameWidth = std::max(nameWidth, std::min<size_t>(layer.name.size(), 32));
    opWidth = std::max(opWidth, layer.op.size());
    outputWidth = std::max(outputWidth, layer.output.size());
  }
  auto row = [&](llvm::StringRef index, llvm::StringRef name,
                 llvm::StringRef op, llvm::StringRef output,
                 llvm::StringRef flops, llvm::StringRef read,
                 llvm::StringRef written, llvm::StringRef intensity) {
    llvm::outs() << llvm::left_justify(index, 5) << " "
                 << llvm::left_justify(name.take_front(32), nameWidth) << "  "
                 << llvm::left_justify(op, opWidth) << "  "
                 << llvm::left_justify(output, outputWidth) << "  "
                 << llvm::right_justify(flops, 11) << "  "
                 << llvm::right_justify(read, 10) << "  "
                 << llvm::right_justify(written, 10) << "  "
                 << llvm::right_justify(intensity, 7) << "\n";
  };
  auto intensity = [](const cost::OpWork &work) {
    std::string text;
    llvm::raw_string_ostream(text) << llvm::format("%.2f", work.getIntensity());
    return text;
  };
  llvm::outs() << modelPath << " (@" << entry.getSymName()
               << "): " << layers.size()
               << " layers; counts only, no target prediction yet\n";
  row("#", "layer", "op", "output", "FLOPs", "read", "written", "FLOP/B");
  for (auto [index, layer] : llvm::enumerate(layers))
    row(std::to_string(index), layer.name, layer.op, layer.output,
        humanize(layer.work.flops, "FLOP"), humanize(layer.work.bytesRead, "B"),
        humanize(layer.work.bytesWritten, "B"), intensity(layer.work));
  row("total", "", "", "", humanize(total.flops, "FLOP"),
      humanize(total.bytesRead, "B"), humanize(total.bytesWritten, "B"),
      intensity(total));
  return 0;
}
