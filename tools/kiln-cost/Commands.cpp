//===- Commands.cpp - kiln-cost collect, train and eval -------------------===//
//
// collect: layers of real models, cut into kernels, timed under candidate
// schedules into the measurement store. train: the XGBoost correction of the
// roofline, fitted on the store. eval: how well it predicts kernels it has
// not seen. docs/costmodel.md describes the procedure and its results.
//
//===----------------------------------------------------------------------===//

#include "Commands.h"

#include "kiln/costmodel/KernelBench.h"
#include "kiln/costmodel/MeasurementStore.h"
#include "kiln/costmodel/Metrics.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"

#include <chrono>
#include <cmath>

using namespace kiln;
using namespace kiln::cost;

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "kiln-cost") << message << "\n";
  return 1;
}

/// The schedules every kernel is measured under, the default first: vector
/// widths, and tile sizes for the outer loops of the linalg ops a kernel
/// lowers to (matmuls: M, N, K; convolutions: N, F, OH, OW, ...;
/// elementwise ops: their dimensions).
static std::vector<Schedule> getCandidateSchedules(bool defaultOnly) {
  std::vector<Schedule> schedules(1);
  if (defaultOnly)
    return schedules;
  auto add = [&](llvm::ArrayRef<int64_t> tiles, int64_t vectorBits) {
    Schedule schedule;
    schedule.tileSizes.assign(tiles.begin(), tiles.end());
    schedule.vectorBits = vectorBits;
    schedules.push_back(schedule);
  };
  add({}, 128);
  add({}, 512);
  add({1, 16, 16, 16}, 0);
  add({1, 32, 8, 64}, 0);
  add({8, 8, 8, 8}, 0);
  add({32, 32, 32}, 0);
  return schedules;
}

static mlir::func::FuncOp findEntry(mlir::ModuleOp module) {
  for (auto func : module.getOps<mlir::func::FuncOp>())
    if (!func.isExternal() && !func.isPrivate())
      return func;
  return nullptr;
}

int kiln::runCollect(const CollectOptions &options, const TargetSpec &target,
                     mlir::MLIRContext &context, OnnxImportOptions &onnxOptions,
                     TorchImportOptions &torchOptions) {
  if (target.kind != TargetKind::CPU)
    return fail("collect measures on this CPU only (--target cpu); '" +
                target.name + "' is not this machine");
  auto store = MeasurementStore::open(options.dbPath);
  if (!store)
    return fail(llvm::toString(store.takeError()));

  // Cut every model into kernels first, so that progress has a total; then
  // take the models' kernels in turn, so that a budget that runs out still
  // leaves every model represented.
  std::vector<std::vector<KernelCase>> perModel;
  std::vector<mlir::OwningOpRef<mlir::ModuleOp>> models;
  for (const std::string &path : options.models) {
    mlir::OwningOpRef<mlir::ModuleOp> module =
        loadModel(path, context, onnxOptions, torchOptions);
    if (!module)
      return 1;
    mlir::func::FuncOp entry = findEntry(*module);
    if (!entry)
      return fail(path + ": no public function to measure");
    std::vector<KernelCase> cut =
        extractKernels(entry, llvm::sys::path::stem(path));
    llvm::errs() << llvm::formatv("kiln-cost: {0}: {1} distinct kernels\n",
                                  path, cut.size());
    perModel.push_back(std::move(cut));
    models.push_back(std::move(module));
  }
  std::vector<KernelCase> kernels;
  llvm::StringSet<> seen;
  for (size_t index = 0;; ++index) {
    bool any = false;
    for (std::vector<KernelCase> &cut : perModel) {
      if (index >= cut.size())
        continue;
      any = true;
      if (seen.insert(cut[index].key).second)
        kernels.push_back(std::move(cut[index]));
    }
    if (!any)
      break;
  }
  std::vector<Schedule> schedules =
      getCandidateSchedules(options.defaultScheduleOnly);
  // Other precisions: each kernel converted, under the default schedule, a
  // vector width and a tiling.
  std::vector<std::pair<KernelCase, size_t>> work;
  for (KernelCase &kernel : kernels)
    work.emplace_back(std::move(kernel), schedules.size());
  size_t f32Kernels = work.size();
  for (const std::string &precision : options.extraPrecisions)
    for (size_t i = 0; i < f32Kernels; ++i)
      if (std::optional<KernelCase> converted =
              convertKernelPrecision(work[i].first, precision))
        work.emplace_back(std::move(*converted),
                          std::min<size_t>(schedules.size(), 3));
  size_t total = 0;
  for (const auto &[kernel, count] : work)
    total += count;
  llvm::errs() << llvm::formatv(
      "kiln-cost: {0} kernel variants ({1} f32 x {2} schedules, other "
      "precisions x up to 3), {3} measurements into {4} ({5} stored for "
      "'{6}' already); budget {7} min\n",
      work.size(), f32Kernels, schedules.size(), total, (*store)->getPath(),
      (*store)->count(target.name), target.name, options.budgetMinutes);

  using Clock = std::chrono::steady_clock;
  Clock::time_point start = Clock::now();
  size_t done = 0, measured = 0, skipped = 0, failed = 0;
  for (auto &[kernel, scheduleCount] : work) {
    mlir::Operation *op = getKernelOp(*kernel.module);
    for (const Schedule &schedule :
         llvm::ArrayRef(schedules).take_front(scheduleCount)) {
      ++done;
      std::string scheduleText = printSchedule(schedule);
      if ((*store)->contains(target.name, kernel.key, scheduleText)) {
        ++skipped;
        continue;
      }
      double elapsed =
          std::chrono::duration<double>(Clock::now() - start).count();
      if (elapsed > options.budgetMinutes * 60) {
        llvm::errs() << llvm::formatv(
            "kiln-cost: budget of {0} min spent; {1} of {2} kernel "
            "schedules left (run again to go on)\n",
            options.budgetMinutes, total - done + 1, total);
        llvm::errs() << llvm::formatv(
            "kiln-cost: measured {0}, already stored {1}, failed {2}\n",
            measured, skipped, failed);
        return 0;
      }
      std::string error;
      mlir::FailureOr<KernelFeatures> features =
          extractFeatures(op, schedule, error);
      if (mlir::failed(features)) {
        ++failed;
        continue;
      }
      llvm::Expected<Timing> timing =
          measureKernel(*kernel.module, schedule, options.secondsPerKernel);
      if (!timing) {
        ++failed;
        llvm::WithColor::warning(llvm::errs(), "kiln-cost")
            << kernel.source << " (" << kernel.opName << ", " << scheduleText
            << "): not measured: " << llvm::toString(timing.takeError())
            << "\n";
        continue;
      }
      Measurement record;
      record.target = target.name;
      record.kernelKey = kernel.key;
      record.opName = kernel.opName;
      record.schedule = scheduleText;
      record.source = kernel.source;
      record.features = features->toVector(target);
      record.medianSeconds = timing->medianSeconds;
      record.spread = timing->spread;
      record.repeats = timing->repeats;
      record.rooflineSeconds =
          estimateRoofline(*features, target).rooflineSeconds;
      if (llvm::Error error = (*store)->add(record))
        return fail(llvm::toString(std::move(error)));
      ++measured;
      llvm::errs() << llvm::formatv(
          "kiln-cost: [{0}/{1}] {2} {3} {4}: {5:F1} us (spread {6:P0}, "
          "{7} runs)\n",
          done, total, kernel.opName, kernel.source, scheduleText,
          timing->medianSeconds * 1e6, timing->spread, timing->repeats);
    }
  }
  llvm::errs() << llvm::formatv(
      "kiln-cost: done: measured {0}, already stored {1}, failed {2}; {3} "
      "measurements for '{4}' in {5}\n",
      measured, skipped, failed, (*store)->count(target.name), target.name,
      (*store)->getPath());
  return 0;
}

namespace {
/// The store's rows as training data.
struct Dataset {
  std::vector<std::vector<float>> rows;
  std::vector<float> targets; // log2(measured / roofline)
  std::vector<double> measured;
  std::vector<double> roofline;
  std::vector<std::string> keys;
  std::vector<std::string> ops;
};

llvm::Expected<Dataset> loadDataset(const std::string &dbPath,
                                    const TargetSpec &target) {
  auto store = MeasurementStore::open(dbPath);
  if (!store)
    return store.takeError();
  auto measurements = (*store)->load(target.name);
  if (!measurements)
    return measurements.takeError();
  // The vector width feature is the schedule's own (0: the compiler's
  // choice); stores filled before it was read from there are corrected.
  llvm::ArrayRef<llvm::StringRef> names = KernelFeatures::getFeatureNames();
  size_t vectorColumn = llvm::find(names, "vector_bits") - names.begin();
  Dataset data;
  for (const Measurement &m : *measurements) {
    if (m.medianSeconds <= 0 || m.rooflineSeconds <= 0)
      continue;
    data.rows.push_back(m.features);
    int64_t vectorBits = 0;
    size_t at = m.schedule.find("vec=");
    if (at != std::string::npos &&
        !llvm::StringRef(m.schedule)
             .substr(at + 4)
             .split(';')
             .first.getAsInteger(10, vectorBits) &&
        vectorColumn < data.rows.back().size())
      data.rows.back()[vectorColumn] = float(vectorBits);
    data.targets.push_back(std::log2(m.medianSeconds / m.rooflineSeconds));
    data.measured.push_back(m.medianSeconds);
    data.roofline.push_back(m.rooflineSeconds);
    data.keys.push_back(m.kernelKey);
    data.ops.push_back(m.opName);
  }
  if (data.rows.size() < 20)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("{0}: {1} usable measurements for target '{2}'; "
                      "collect more first (kiln-cost collect)",
                      dbPath, data.rows.size(), target.name));
  return data;
}

template <typename T>
std::vector<T> pick(const std::vector<T> &values,
                    const std::vector<size_t> &indices) {
  std::vector<T> picked;
  for (size_t index : indices)
    picked.push_back(values[index]);
  return picked;
}

/// Held-out figures of one split.
struct Scores {
  size_t trainRows = 0, testRows = 0, testKernels = 0;
  double spearman = 0, mape = 0, within10 = 0, pairwise = 0, regret = 0;
  /// Pairwise accuracy over schedule pairs more than 5% apart.
  double pairwiseApart = 0;
  double rooflineSpearman = 0, rooflinePairwise = 0;
};

llvm::Expected<Scores> scoreSplit(const Dataset &data, const Split &split,
                                  const TrainOptions &options) {
  auto model = LearnedModel::train(pick(data.rows, split.train),
                                   pick(data.targets, split.train), options);
  if (!model)
    return model.takeError();
  std::vector<float> corrections =
      (*model)->predictBatch(pick(data.rows, split.test));
  std::vector<double> predicted, actual, roofline;
  std::vector<std::string> keys;
  for (auto [i, index] : llvm::enumerate(split.test)) {
    predicted.push_back(data.roofline[index] * std::exp2(corrections[i]));
    actual.push_back(data.measured[index]);
    roofline.push_back(data.roofline[index]);
    keys.push_back(data.keys[index]);
  }
  Scores scores;
  scores.trainRows = split.train.size();
  scores.testRows = split.test.size();
  std::vector<ScheduleGroup> groups = groupByKernel(keys, predicted, actual);
  scores.testKernels = groups.size();
  scores.spearman = spearman(predicted, actual);
  scores.mape = mape(predicted, actual);
  scores.within10 = shareWithin(predicted, actual, 0.10);
  scores.pairwise = pairwiseRankingAccuracy(groups);
  scores.pairwiseApart = pairwiseRankingAccuracy(groups, 0.05);
  scores.regret = decisionRegret(groups);
  scores.rooflineSpearman = spearman(roofline, actual);
  scores.rooflinePairwise =
      pairwiseRankingAccuracy(groupByKernel(keys, roofline, actual));
  return scores;
}

llvm::json::Object toJson(const Scores &scores) {
  return llvm::json::Object{
      {"train_rows", int64_t(scores.trainRows)},
      {"test_rows", int64_t(scores.testRows)},
      {"test_kernels", int64_t(scores.testKernels)},
      {"spearman", scores.spearman},
      {"mape", scores.mape},
      {"within_10_percent", scores.within10},
      {"pairwise_accuracy", scores.pairwise},
      {"pairwise_accuracy_over_5_percent", scores.pairwiseApart},
      {"decision_regret", scores.regret},
      {"roofline_spearman", scores.rooflineSpearman},
      {"roofline_pairwise_accuracy", scores.rooflinePairwise}};
}

void printScores(llvm::StringRef label, const Scores &scores) {
  llvm::outs() << llvm::formatv(
      "{0,-28} {1,6} {2,6} {3,8:F3} {4,7:P1} {5,8:P1} {6,9:F3} {7,8:F3} "
      "{8,7:P1}   {9,6:F3} {10,6:F3}\n",
      label, scores.trainRows, scores.testRows, scores.spearman, scores.mape,
      scores.within10, scores.pairwise, scores.pairwiseApart, scores.regret,
      scores.rooflineSpearman, scores.rooflinePairwise);
}
} // namespace

std::string kiln::getDefaultModelDir(llvm::StringRef target) {
  llvm::SmallString<256> path(getKilnCacheDir());
  llvm::sys::path::append(path, "models", target);
  return path.str().str();
}

llvm::Expected<std::unique_ptr<LearnedModel>>
kiln::findLearnedModel(const TargetSpec &target, std::string &where) {
  std::string trained = getDefaultModelDir(target.name);
  llvm::SmallString<256> metadata(trained);
  llvm::sys::path::append(metadata, "metadata.json");
  if (llvm::sys::fs::exists(metadata)) {
    where = trained;
    return LearnedModel::load(trained);
  }
#ifdef KILN_DEFAULT_MODEL_DIR
  if (target.kind == TargetKind::CPU) {
    llvm::SmallString<256> committed(KILN_DEFAULT_MODEL_DIR);
    llvm::sys::path::append(committed, "cpu");
    llvm::SmallString<256> committedMetadata(committed);
    llvm::sys::path::append(committedMetadata, "metadata.json");
    if (llvm::sys::fs::exists(committedMetadata)) {
      where = committed.str().str();
      return LearnedModel::load(committed);
    }
  }
#endif
  return std::unique_ptr<LearnedModel>();
}

int kiln::runTrain(const std::string &dbPath, const TargetSpec &target,
                   const std::string &outputDir, bool json) {
  llvm::Expected<Dataset> data = loadDataset(dbPath, target);
  if (!data)
    return fail(llvm::toString(data.takeError()));
  TrainOptions options;
  options.provenance = llvm::formatv(
      "{0} measurements of {1} kernels for target '{2}' ({3}) from {4}",
      data->rows.size(),
      groupByKernel(data->keys, data->measured, data->measured).size(),
      target.name, target.description, dbPath);
  // The band comes from kernels the model has not seen; the saved model is
  // then fitted on everything.
  Split split = splitByKernel(data->keys, 0.2, /*seed=*/0);
  auto heldOut = LearnedModel::train(pick(data->rows, split.train),
                                     pick(data->targets, split.train), options);
  if (!heldOut)
    return fail(llvm::toString(heldOut.takeError()));
  auto model = LearnedModel::train(data->rows, data->targets, options);
  if (!model)
    return fail(llvm::toString(model.takeError()));
  std::vector<std::vector<float>> testRows = pick(data->rows, split.test);
  std::vector<float> testTargets = pick(data->targets, split.test);
  (*heldOut)->calibrateBand(testRows, testTargets);
  // Carry the held-out band over to the model fitted on everything.
  const LearnedModelMetadata &heldOutMeta = (*heldOut)->getMetadata();
  (*model)->setBand(heldOutMeta.bandLow, heldOutMeta.bandHigh);
  std::string directory =
      outputDir.empty() ? getDefaultModelDir(target.name) : outputDir;
  if (llvm::Error error = (*model)->save(directory))
    return fail(llvm::toString(std::move(error)));
  const LearnedModelMetadata &meta = (*model)->getMetadata();
  if (json) {
    llvm::outs() << llvm::formatv(
                        "{0:2}",
                        llvm::json::Value(llvm::json::Object{
                            {"model", directory},
                            {"rows", int64_t(data->rows.size())},
                            {"band_log2",
                             llvm::json::Array{meta.bandLow, meta.bandHigh}},
                            {"provenance", meta.provenance}}))
                 << "\n";
  } else {
    llvm::outs() << llvm::formatv(
        "kiln-cost: trained on {0}; band x{1:F2} to x{2:F2} (10th-90th "
        "percentile of held-out error); saved to {3}\n",
        options.provenance, std::exp2(meta.bandLow), std::exp2(meta.bandHigh),
        directory);
  }
  return 0;
}

int kiln::runEval(const std::string &dbPath, const TargetSpec &target,
                  bool json) {
  llvm::Expected<Dataset> data = loadDataset(dbPath, target);
  if (!data)
    return fail(llvm::toString(data.takeError()));
  TrainOptions options;
  // Five random splits (seeds 0-4): one split's figures move by a few
  // points with which kernels land in its test side.
  std::vector<Scores> randoms;
  for (uint64_t seed = 0; seed < 5; ++seed) {
    auto scores =
        scoreSplit(*data, splitByKernel(data->keys, 0.2, seed), options);
    if (!scores)
      return fail(llvm::toString(scores.takeError()));
    randoms.push_back(*scores);
  }
  Scores mean;
  for (const Scores &scores : randoms) {
    mean.trainRows += scores.trainRows;
    mean.testRows += scores.testRows;
    mean.testKernels += scores.testKernels;
    mean.spearman += scores.spearman / randoms.size();
    mean.mape += scores.mape / randoms.size();
    mean.within10 += scores.within10 / randoms.size();
    mean.pairwise += scores.pairwise / randoms.size();
    mean.pairwiseApart += scores.pairwiseApart / randoms.size();
    mean.regret += scores.regret / randoms.size();
    mean.rooflineSpearman += scores.rooflineSpearman / randoms.size();
    mean.rooflinePairwise += scores.rooflinePairwise / randoms.size();
  }
  mean.trainRows /= randoms.size();
  mean.testRows /= randoms.size();
  mean.testKernels /= randoms.size();
  std::vector<std::pair<std::string, Scores>> folds;
  for (const std::string &op : getOpKinds(data->ops)) {
    Split split = splitLeavingOutOp(data->ops, op);
    if (split.train.empty() || split.test.empty())
      continue;
    auto scores = scoreSplit(*data, split, options);
    if (!scores)
      return fail(llvm::toString(scores.takeError()));
    folds.emplace_back(op, *scores);
  }
  if (json) {
    llvm::json::Array splits;
    for (const Scores &scores : randoms)
      splits.push_back(toJson(scores));
    llvm::json::Object leaveOut;
    for (const auto &[op, scores] : folds)
      leaveOut[op] = toJson(scores);
    llvm::outs() << llvm::formatv(
                        "{0:2}",
                        llvm::json::Value(llvm::json::Object{
                            {"store", dbPath},
                            {"target", target.name},
                            {"rows", int64_t(data->rows.size())},
                            {"random_split_mean", toJson(mean)},
                            {"random_splits", std::move(splits)},
                            {"leave_one_op_kind_out", std::move(leaveOut)}}))
                 << "\n";
    return 0;
  }
  llvm::outs() << llvm::formatv(
      "{0} measurements for '{1}' in {2}; held-out figures (roofline alone "
      "in the last two columns)\n",
      data->rows.size(), target.name, dbPath);
  llvm::outs() << llvm::formatv(
      "{0,-28} {1,6} {2,6} {3,8} {4,7} {5,8} {6,9} {7,8} {8,7}   {9,6} "
      "{10,6}\n",
      "split", "train", "test", "spearman", "MAPE", "<=10%", "pairwise",
      "pw>5%", "regret", "rf-rho", "rf-pw");
  for (auto [seed, scores] : llvm::enumerate(randoms))
    printScores(llvm::formatv("random 20% of kernels, #{0}", seed).str(),
                scores);
  printScores("random splits, mean", mean);
  for (const auto &[op, scores] : folds)
    printScores("without " + op, scores);
  return 0;
}
