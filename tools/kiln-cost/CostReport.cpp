//===- CostReport.cpp - kiln-cost's per-layer table -----------------------===//

#include "CostReport.h"

#include "kiln/costmodel/KernelBench.h"
#include "kiln/cpu/CpuExecutable.h"

#include "llvm/ADT/StringMap.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

using namespace kiln;

/// Returns the name an importer gave the op (the ONNX node, the PyTorch
/// module or TorchScript value), or "" when it has none.
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

llvm::Expected<CostReport>
kiln::buildCostReport(mlir::func::FuncOp entry, const cost::TargetSpec &target,
                      const cost::LearnedModel *model,
                      llvm::StringRef modelDir) {
  CostReport report;
  report.target = target;
  if (model)
    report.predictor = modelDir.str();
  report.function = entry.getSymName().str();
  for (mlir::Operation &op : entry.getBody().front()) {
    if (!cost::isLayerOp(&op))
      continue;
    std::string error;
    mlir::FailureOr<cost::KernelFeatures> kernel =
        cost::extractFeatures(&op, cost::Schedule(), error);
    std::string name = getLayerName(op.getLoc());
    if (mlir::failed(kernel))
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          (name.empty() ? "" : "layer '" + name + "': ") + error);
    CostRow row{name, op.getName().getStringRef().str(),
                op.getNumResults() ? describeType(op.getResultTypes()[0]) : "",
                *kernel, cost::estimateRoofline(*kernel, target)};
    cost::Estimate &estimate = row.estimate;
    if (model && estimate.bound != cost::Bound::None) {
      const cost::LearnedModelMetadata &meta = model->getMetadata();
      double correction = model->predict(kernel->toVector(target));
      estimate.seconds = estimate.rooflineSeconds * std::exp2(correction);
      estimate.low = estimate.rooflineSeconds *
                     std::exp2(correction + std::min(0.0, meta.bandLow));
      estimate.high = estimate.rooflineSeconds *
                      std::exp2(correction + std::max(0.0, meta.bandHigh));
    }
    report.totalWork += row.kernel.work;
    report.seconds += row.estimate.seconds;
    report.low += row.estimate.low;
    report.high += row.estimate.high;
    report.rows.push_back(std::move(row));
  }
  return report;
}

llvm::Error kiln::measureCostReport(CostReport &report,
                                    mlir::func::FuncOp entry) {
  // Each distinct kernel once, with the default schedule.
  llvm::StringMap<double> times;
  size_t index = 0;
  for (mlir::Operation &op : entry.getBody().front()) {
    if (!cost::isLayerOp(&op))
      continue;
    CostRow &row = report.rows[index++];
    std::optional<cost::KernelCase> kernel = cost::cutKernel(&op, "");
    if (!kernel)
      continue;
    auto [it, inserted] = times.try_emplace(kernel->key, 0.0);
    if (inserted) {
      llvm::errs() << llvm::formatv("kiln-cost: measuring layer {0}/{1}\r",
                                    index, report.rows.size());
      llvm::Expected<cost::Timing> timing =
          cost::measureKernel(*kernel->module, cost::Schedule(), 0.1);
      if (!timing)
        return llvm::createStringError(
            llvm::inconvertibleErrorCode(),
            "layer '" + row.name + "' (" + row.op +
                "): cannot be measured: " + llvm::toString(timing.takeError()));
      it->second = timing->medianSeconds;
    }
    row.measuredSeconds = it->second;
    report.measuredLayersSeconds += it->second;
  }
  llvm::errs() << "\n";

  // The whole model: what the layers add up to, minus what fusion or the
  // absence of per-call overhead saves.
  mlir::OwningOpRef<mlir::ModuleOp> copy =
      llvm::cast<mlir::ModuleOp>(entry->getParentOp()->clone());
  auto executable = CpuExecutable::compile(*copy, entry.getSymName());
  if (!executable)
    return executable.takeError();
  const ModelSignature &signature = (*executable)->getSignature();
  std::vector<HostTensor> inputs, outputs;
  for (auto [i, spec] : llvm::enumerate(signature.inputs))
    inputs.push_back(makeRandomTensor(spec.kind, spec.shape, i));
  for (const TensorSpec &spec : signature.outputs)
    outputs.emplace_back(spec.kind, spec.shape);
  std::vector<double> runs;
  using Clock = std::chrono::steady_clock;
  Clock::time_point start = Clock::now();
  for (int run = 0;
       run < 101 &&
       (run < 6 ||
        std::chrono::duration<double>(Clock::now() - start).count() < 2.0);
       ++run) {
    Clock::time_point begin = Clock::now();
    if (llvm::Error error = (*executable)->runInto(inputs, outputs))
      return error;
    if (run > 0) // the first run warms up
      runs.push_back(
          std::chrono::duration<double>(Clock::now() - begin).count());
  }
  std::sort(runs.begin(), runs.end());
  report.measuredModelSeconds = runs[runs.size() / 2];
  report.measured = true;
  return llvm::Error::success();
}

/// 1234567 -> "1.23 M"; three significant digits, decimal prefixes.
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

/// Microseconds with three significant digits.
static std::string formatMicros(double seconds) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%.3g", seconds * 1e6);
  return text;
}

static std::string formatIntensity(const cost::OpWork &work) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%.2f", work.getIntensity());
  return text;
}

void kiln::printCostReportTable(const CostReport &report, llvm::StringRef model,
                                llvm::raw_ostream &os) {
  bool fpga = report.target.kind == cost::TargetKind::FPGA;
  bool band = report.high > report.low;
  os << model << " (@" << report.function << ") on " << report.target.name
     << " (" << report.target.description << "): " << report.rows.size()
     << " layers; "
     << (report.predictor == "roofline"
             ? std::string("roofline estimate (no learned model for this "
                           "target)")
             : "roofline corrected by the learned model in " + report.predictor)
     << "\n";

  std::vector<std::vector<std::string>> table;
  std::vector<std::string> header = {"#",     "layer", "op",    "output",
                                     "prec",  "FLOPs", "bytes", "FLOP/B",
                                     "bound", "us"};
  if (band)
    header.push_back("band us");
  if (report.measured)
    header.push_back("measured us");
  if (fpga)
    for (const char *column : {"cycles", "DSP", "LUT", "BRAM18K"})
      header.push_back(column);
  table.push_back(header);
  for (auto [index, row] : llvm::enumerate(report.rows)) {
    std::vector<std::string> cells = {
        std::to_string(index),
        llvm::StringRef(row.name).take_front(32).str(),
        row.op,
        row.output,
        cost::getPrecisionName(row.kernel.precision).str(),
        humanize(row.kernel.work.flops, ""),
        humanize(row.kernel.work.getBytes(), "B"),
        formatIntensity(row.kernel.work),
        cost::getBoundName(row.estimate.bound).str(),
        formatMicros(row.estimate.seconds)};
    if (band)
      cells.push_back(formatMicros(row.estimate.low) + "-" +
                      formatMicros(row.estimate.high));
    if (report.measured)
      cells.push_back(formatMicros(row.measuredSeconds));
    if (fpga && row.estimate.fpga)
      for (double value :
           {row.estimate.fpga->cycles, double(row.estimate.fpga->dsp),
            double(row.estimate.fpga->lut), double(row.estimate.fpga->bram18k)})
        cells.push_back(humanize(value, ""));
    table.push_back(std::move(cells));
  }
  std::vector<std::string> total = {"total",
                                    "",
                                    "",
                                    "",
                                    "",
                                    humanize(report.totalWork.flops, ""),
                                    humanize(report.totalWork.getBytes(), "B"),
                                    formatIntensity(report.totalWork),
                                    "",
                                    formatMicros(report.seconds)};
  if (band)
    total.push_back(formatMicros(report.low) + "-" + formatMicros(report.high));
  if (report.measured)
    total.push_back(formatMicros(report.measuredLayersSeconds));
  table.push_back(std::move(total));

  std::vector<size_t> widths(header.size(), 0);
  for (const auto &cells : table)
    for (auto [i, cell] : llvm::enumerate(cells))
      widths[i] = std::max(widths[i], cell.size());
  for (const auto &cells : table) {
    std::string line;
    for (auto [i, cell] : llvm::enumerate(cells)) {
      bool left = i >= 1 && i <= 4;
      std::string padding(widths[i] - cell.size(), ' ');
      line += left ? cell + padding : padding + cell;
      line += "  ";
    }
    os << llvm::StringRef(line).rtrim() << "\n";
  }
  // Milliseconds, or microseconds below one.
  auto time = [](double seconds) {
    std::string text;
    llvm::raw_string_ostream os(text);
    if (seconds >= 1e-3)
      os << llvm::format("%.3g ms", seconds * 1e3);
    else
      os << llvm::format("%.3g us", seconds * 1e6);
    return text;
  };
  os << "predicted latency " << time(report.seconds);
  if (band)
    os << " (" << time(report.low) << " to " << time(report.high) << ")";
  if (report.measured)
    os << "; measured " << time(report.measuredModelSeconds)
       << " for the whole model (" << time(report.measuredLayersSeconds)
       << " layer by layer), predicted/measured "
       << llvm::format("%.2f", report.seconds / report.measuredModelSeconds);
  os << "\n";
}

void kiln::printCostReportJson(const CostReport &report, llvm::StringRef model,
                               llvm::raw_ostream &os) {
  namespace json = llvm::json;
  json::Array layers;
  for (auto [index, row] : llvm::enumerate(report.rows)) {
    const cost::OpWork &work = row.kernel.work;
    json::Object layer{
        {"index", static_cast<int64_t>(index)},
        {"name", row.name},
        {"op", row.op},
        {"output", row.output},
        {"precision", cost::getPrecisionName(row.kernel.precision)},
        {"flops", work.flops},
        {"bytes_read", work.bytesRead},
        {"bytes_written", work.bytesWritten},
        {"intensity", work.getIntensity()},
        {"bound", cost::getBoundName(row.estimate.bound)},
        {"memory_level", row.estimate.memoryLevel},
        {"roofline_us", row.estimate.rooflineSeconds * 1e6},
        {"latency_us", row.estimate.seconds * 1e6},
        {"latency_low_us", row.estimate.low * 1e6},
        {"latency_high_us", row.estimate.high * 1e6}};
    if (report.measured)
      layer["measured_us"] = row.measuredSeconds * 1e6;
    if (const auto &usage = row.estimate.fpga)
      layer["fpga"] = json::Object{{"cycles", usage->cycles},
                                   {"dsp", usage->dsp},
                                   {"lut", usage->lut},
                                   {"ff", usage->ff},
                                   {"bram_18k", usage->bram18k}};
    layers.push_back(std::move(layer));
  }
  const cost::OpWork &work = report.totalWork;
  json::Object total{{"flops", work.flops},
                     {"bytes_read", work.bytesRead},
                     {"bytes_written", work.bytesWritten},
                     {"intensity", work.getIntensity()},
                     {"latency_ms", report.seconds * 1e3},
                     {"latency_low_ms", report.low * 1e3},
                     {"latency_high_ms", report.high * 1e3}};
  if (report.measured) {
    total["measured_ms"] = report.measuredModelSeconds * 1e3;
    total["measured_layers_ms"] = report.measuredLayersSeconds * 1e3;
  }
  const cost::TargetSpec &target = report.target;
  json::Object root{
      {"model", model},
      {"function", report.function},
      {"target", json::Object{{"name", target.name},
                              {"kind", cost::getTargetKindName(target.kind)},
                              {"description", target.description},
                              {"provenance", target.provenance}}},
      {"predictor", report.predictor},
      {"layers", std::move(layers)},
      {"total", std::move(total)}};
  os << llvm::formatv("{0:2}", json::Value(std::move(root))) << "\n";
}
