//===- LearnedModel.cpp - XGBoost correction of the roofline -------------===//
//
// Trains, saves, loads and evaluates the XGBoost model through its C API.
// Prediction walks the trees itself: after training or loading, the
// booster's JSON export is flattened into one node array, and predict()
// reproduces XGBoost's CPU predictor arithmetic on it (bit-identical
// results, checked by the unit tests against predictWithXGBoost). XGBoost's
// own single-row path costs tens of microseconds in configuration and
// adapter set-up per call; the walk costs a few.
//
//===----------------------------------------------------------------------===//

#include "kiln/costmodel/LearnedModel.h"
#include "kiln/costmodel/CostModel.h"
#include "kiln/costmodel/Metrics.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <xgboost/c_api.h>

#include <cassert>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <optional>
#include <utility>

using namespace kiln::cost;

static constexpr llvm::StringLiteral kModelFile = "model.json";
static constexpr llvm::StringLiteral kMetadataFile = "metadata.json";
static constexpr llvm::StringLiteral kMetadataFormat = "kiln-learned-model";
static constexpr int64_t kMetadataVersion = 1;

/// XGBoost's last error, first line only (it appends a stack trace).
static std::string getXGBoostError() {
  llvm::StringRef message = XGBGetLastError();
  message = message.split('\n').first.trim();
  // "[12:00:00] /path/src/x.cc:42: what happened" -> "what happened".
  if (message.starts_with("[")) {
    size_t sourceEnd = message.find(": ");
    if (sourceEnd != llvm::StringRef::npos) {
      size_t textStart = message.find(": ", sourceEnd + 2);
      if (textStart != llvm::StringRef::npos)
        message = message.drop_front(textStart + 2);
    }
  }
  return message.str();
}

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// XGBoost logs to stdout by default; Kiln's tools keep stdout for results.
static void silenceXGBoost() {
  static bool silenced = [] {
    XGBSetGlobalConfig(R"({"verbosity": 0})");
    return true;
  }();
  (void)silenced;
}

/// Frees an XGBoost handle on scope exit unless released.
template <int (*Free)(void *)> struct HandleGuard {
  void *handle = nullptr;
  ~HandleGuard() {
    if (handle)
      Free(handle);
  }
  void *release() { return std::exchange(handle, nullptr); }
};
using BoosterGuard = HandleGuard<XGBoosterFree>;
using DMatrixGuard = HandleGuard<XGDMatrixFree>;

static std::vector<std::string> getCurrentFeatureNames() {
  std::vector<std::string> names;
  for (llvm::StringRef name : KernelFeatures::getFeatureNames())
    names.push_back(name.str());
  return names;
}

LearnedModel::LearnedModel(void *booster, LearnedModelMetadata metadata)
    : booster(booster), metadata(std::move(metadata)) {}

LearnedModel::~LearnedModel() { XGBoosterFree(booster); }

llvm::Expected<std::unique_ptr<LearnedModel>>
LearnedModel::train(llvm::ArrayRef<std::vector<float>> rows,
                    llvm::ArrayRef<float> targets,
                    const TrainOptions &options) {
  silenceXGBoost();
  std::vector<std::string> featureNames = getCurrentFeatureNames();
  size_t width = featureNames.size();
  if (rows.empty())
    return makeError("cannot train the cost model without measurements");
  // Deeper trees could outgrow the 16-bit child index of the node layout.
  if (options.maxDepth < 1 || options.maxDepth > 15)
    return makeError("cost model max depth must be between 1 and 15, got " +
                     llvm::Twine(options.maxDepth));
  if (rows.size() != targets.size())
    return makeError("cost model training got " + llvm::Twine(rows.size()) +
                     " rows but " + llvm::Twine(targets.size()) + " targets");
  std::vector<float> values;
  values.reserve(rows.size() * width);
  for (const std::vector<float> &row : rows) {
    if (row.size() != width)
      return makeError("cost model training row has " +
                       llvm::Twine(row.size()) + " features, expected " +
                       llvm::Twine(width));
    values.insert(values.end(), row.begin(), row.end());
  }

  DMatrixGuard matrix;
  if (XGDMatrixCreateFromMat(values.data(), rows.size(), width, NAN,
                             &matrix.handle) != 0 ||
      XGDMatrixSetFloatInfo(matrix.handle, "label", targets.data(),
                            targets.size()) != 0)
    return makeError("cannot build the training matrix: " + getXGBoostError());

  BoosterGuard booster;
  if (XGBoosterCreate(&matrix.handle, 1, &booster.handle) != 0)
    return makeError("cannot create the booster: " + getXGBoostError());
  // Starting from the mean correction saves the first trees the work of
  // finding it (XGBoost 1.7 starts from 0.5 otherwise).
  double meanTarget =
      std::accumulate(targets.begin(), targets.end(), 0.0) / targets.size();
  std::pair<std::string, std::string> params[] = {
      {"booster", "gbtree"},
      {"objective", "reg:squarederror"},
      {"tree_method", "hist"},
      {"max_depth", std::to_string(options.maxDepth)},
      {"eta", std::to_string(options.eta)},
      {"subsample", std::to_string(options.subsample)},
      {"seed", std::to_string(options.seed)},
      {"nthread", std::to_string(std::max(options.threads, 1))},
      {"base_score", std::to_string(meanTarget)},
      {"verbosity", "0"}};
  for (auto &[name, value] : params)
    if (XGBoosterSetParam(booster.handle, name.c_str(), value.c_str()) != 0)
      return makeError("cannot set XGBoost parameter " + name + "=" + value +
                       ": " + getXGBoostError());
  for (int round = 0; round < options.rounds; ++round)
    if (XGBoosterUpdateOneIter(booster.handle, round, matrix.handle) != 0)
      return makeError("cost model training failed in round " +
                       llvm::Twine(round) + ": " + getXGBoostError());
  // One thread answers a single-row prediction fastest.
  XGBoosterSetParam(booster.handle, "nthread", "1");

  LearnedModelMetadata metadata;
  metadata.featureNames = std::move(featureNames);
  metadata.trainingRows = int64_t(rows.size());
  metadata.provenance = options.provenance;
  std::unique_ptr<LearnedModel> model(
      new LearnedModel(booster.release(), std::move(metadata)));
  if (llvm::Error error = model->compileTrees())
    return std::move(error);
  return model;
}

/// Predicts `count` rows of `width` contiguous floats at `values` with
/// `booster`; the returned buffer belongs to the booster.
static const float *predictWithBooster(void *booster, const float *values,
                                       size_t count, size_t width) {
  // A NumPy-style __array_interface__ pointing at the caller's floats.
  char arrayInterface[192];
  std::snprintf(arrayInterface, sizeof(arrayInterface),
                "{\"data\": [%" PRIuPTR ", true], \"shape\": [%zu, %zu], "
                "\"typestr\": \"<f4\", \"version\": 3}",
                reinterpret_cast<uintptr_t>(values), count, width);
  static const char *config =
      "{\"type\": 0, \"training\": false, \"iteration_begin\": 0, "
      "\"iteration_end\": 0, \"strict_shape\": false, \"missing\": NaN, "
      "\"cache_id\": 0}";
  const bst_ulong *shape = nullptr;
  bst_ulong dimensions = 0;
  const float *result = nullptr;
  if (XGBoosterPredictFromDense(booster, arrayInterface, config, nullptr,
                                &shape, &dimensions, &result) != 0)
    return nullptr;
  return result;
}

std::vector<float> LearnedModel::predictWithXGBoost(
    llvm::ArrayRef<std::vector<float>> rows) const {
  size_t width = getFeatureCount();
  std::vector<float> values;
  values.reserve(rows.size() * width);
  for (const std::vector<float> &row : rows) {
    assert(row.size() == width &&
           "feature row does not match the model's features");
    values.insert(values.end(), row.begin(), row.end());
    values.resize(values.size() - row.size() + width, 0.0f);
  }
  if (rows.empty())
    return {};
  // The result buffer belongs to the booster until its next prediction.
  std::lock_guard<std::mutex> lock(xgboostMutex);
  const float *result =
      predictWithBooster(booster, values.data(), rows.size(), width);
  assert(result && "XGBoost rejected a well-formed prediction request");
  if (!result)
    return std::vector<float>(rows.size(), 0.0f);
  return std::vector<float>(result, result + rows.size());
}

float LearnedModel::predict(llvm::ArrayRef<float> row) const {
  assert(row.size() == getFeatureCount() &&
         "feature row does not match the model's features");
  if (row.size() != getFeatureCount())
    return 0.0f;
  // The same arithmetic as XGBoost's CPU predictor, so that the results
  // agree bit for bit: the base score plus each tree's leaf in tree order,
  // summed in float; a feature goes left when below the split (or, when
  // missing, where the tree says).
  float sum = baseScore;
  for (uint32_t root : treeRoots) {
    const TreeNode *tree = &nodes[root];
    const TreeNode *node = tree;
    while (uint32_t left = node->getLeft()) {
      float value = row[node->getFeature()];
      bool goRight =
          std::isnan(value) ? !node->isDefaultLeft() : !(value < node->value);
      node = &tree[left + goRight];
    }
    sum += node->value;
  }
  return sum;
}

std::vector<float>
LearnedModel::predictBatch(llvm::ArrayRef<std::vector<float>> rows) const {
  std::vector<float> predictions;
  predictions.reserve(rows.size());
  for (const std::vector<float> &row : rows)
    predictions.push_back(predict(row));
  return predictions;
}

/// The JSON array `key` of `tree` as numbers (booleans as 0/1).
static std::optional<std::vector<double>>
getNumbers(const llvm::json::Object &tree, llvm::StringRef key) {
  const llvm::json::Array *array = tree.getArray(key);
  if (!array)
    return std::nullopt;
  std::vector<double> numbers;
  numbers.reserve(array->size());
  for (const llvm::json::Value &value : *array) {
    if (std::optional<double> number = value.getAsNumber())
      numbers.push_back(*number);
    else if (std::optional<bool> flag = value.getAsBoolean())
      numbers.push_back(*flag);
    else
      return std::nullopt;
  }
  return numbers;
}

llvm::Error LearnedModel::compileTrees() {
  auto fail = [](const llvm::Twine &message) {
    return makeError("unexpected XGBoost model layout: " + message);
  };
  bst_ulong length = 0;
  const char *buffer = nullptr;
  if (XGBoosterSaveModelToBuffer(booster, R"({"format": "json"})", &length,
                                 &buffer) != 0)
    return makeError("cannot export the XGBoost model: " + getXGBoostError());
  llvm::Expected<llvm::json::Value> model =
      llvm::json::parse(llvm::StringRef(buffer, length));
  if (!model)
    return fail(llvm::toString(model.takeError()));

  const llvm::json::Object *root = model->getAsObject();
  const llvm::json::Object *learner =
      root ? root->getObject("learner") : nullptr;
  const llvm::json::Object *parameters =
      learner ? learner->getObject("learner_model_param") : nullptr;
  const llvm::json::Object *booster =
      learner ? learner->getObject("gradient_booster") : nullptr;
  const llvm::json::Object *trees =
      booster ? booster->getObject("model") : nullptr;
  const llvm::json::Array *treeList =
      trees ? trees->getArray("trees") : nullptr;
  if (!parameters || !booster || !treeList)
    return fail("no learner, parameters or trees");
  if (booster->getString("name") != "gbtree")
    return fail("booster is not gbtree");
  std::optional<llvm::StringRef> base = parameters->getString("base_score");
  if (!base)
    return fail("no base_score");
  // XGBoost writes floats as the shortest text that reads back exactly.
  baseScore = std::strtof(base->str().c_str(), nullptr);

  if (getFeatureCount() >= (1u << 15))
    return fail("more features than a tree node can name");
  nodes.clear();
  treeRoots.clear();
  for (const llvm::json::Value &treeValue : *treeList) {
    const llvm::json::Object *tree = treeValue.getAsObject();
    if (!tree)
      return fail("a tree is not an object");
    auto left = getNumbers(*tree, "left_children");
    auto right = getNumbers(*tree, "right_children");
    auto features = getNumbers(*tree, "split_indices");
    auto conditions = getNumbers(*tree, "split_conditions");
    auto defaultLeft = getNumbers(*tree, "default_left");
    auto splitTypes = getNumbers(*tree, "split_type");
    if (!left || !right || !features || !conditions || !defaultLeft)
      return fail("a tree lacks its node arrays");
    size_t count = left->size();
    if (right->size() != count || features->size() != count ||
        conditions->size() != count || defaultLeft->size() != count ||
        count == 0)
      return fail("a tree's node arrays differ in length");
    if (count > TreeNode::kMaxNodes)
      return fail("a tree has " + llvm::Twine(count) + " nodes, at most " +
                  llvm::Twine(TreeNode::kMaxNodes) + " are supported");
    for (size_t i = 0; i < count; ++i) {
      if (splitTypes && i < splitTypes->size() && (*splitTypes)[i] != 0)
        return fail("categorical splits are not supported");
      bool isLeaf = (*left)[i] < 0;
      if (!isLeaf && ((*left)[i] >= double(count) || (*right)[i] < 0 ||
                      (*right)[i] >= double(count) ||
                      (*features)[i] >= double(getFeatureCount())))
        return fail("a split points outside its tree");
    }
    // Breadth-first renumbering puts each node's children side by side,
    // so a node needs only its left child's index.
    uint32_t base = uint32_t(nodes.size());
    treeRoots.push_back(base);
    std::vector<size_t> order = {0};
    nodes.emplace_back();
    for (size_t next = 0; next < order.size(); ++next) {
      size_t old = order[next];
      TreeNode &node = nodes[base + next];
      node.value = float((*conditions)[old]);
      if ((*left)[old] < 0)
        continue;
      if (order.size() + 2 > count)
        return fail("a tree's children do not form a tree");
      node.packed = uint32_t(order.size()) |
                    uint32_t((*features)[old]) << TreeNode::kFeatureShift |
                    ((*defaultLeft)[old] != 0 ? TreeNode::kDefaultLeftBit : 0);
      order.push_back(size_t((*left)[old]));
      order.push_back(size_t((*right)[old]));
      nodes.emplace_back();
      nodes.emplace_back();
    }
  }
  return llvm::Error::success();
}

void LearnedModel::calibrateBand(llvm::ArrayRef<std::vector<float>> rows,
                                 llvm::ArrayRef<float> targets) {
  assert(rows.size() == targets.size() && "one target per row");
  std::vector<float> predictions = predictBatch(rows);
  std::vector<double> residuals;
  for (size_t i = 0; i < predictions.size(); ++i)
    residuals.push_back(double(targets[i]) - predictions[i]);
  if (residuals.empty())
    return;
  metadata.bandLow = quantile(residuals, 0.10);
  metadata.bandHigh = quantile(residuals, 0.90);
}

llvm::Error LearnedModel::save(llvm::StringRef directory) const {
  if (std::error_code error = llvm::sys::fs::create_directories(directory))
    return makeError(directory +
                     ": cannot create directory: " + error.message());
  llvm::SmallString<256> modelPath(directory);
  llvm::sys::path::append(modelPath, kModelFile);
  if (XGBoosterSaveModel(booster, modelPath.c_str()) != 0)
    return makeError(modelPath +
                     ": cannot write the model: " + getXGBoostError());

  llvm::json::Array names;
  for (const std::string &name : metadata.featureNames)
    names.push_back(name);
  llvm::json::Object object{{"format", kMetadataFormat},
                            {"version", kMetadataVersion},
                            {"feature_names", std::move(names)},
                            {"band_low", metadata.bandLow},
                            {"band_high", metadata.bandHigh},
                            {"training_rows", metadata.trainingRows},
                            {"provenance", metadata.provenance}};
  llvm::SmallString<256> metadataPath(directory);
  llvm::sys::path::append(metadataPath, kMetadataFile);
  std::error_code error;
  llvm::raw_fd_ostream os(metadataPath, error, llvm::sys::fs::OF_Text);
  if (error)
    return makeError(metadataPath + ": cannot write: " + error.message());
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(object))) << "\n";
  os.close();
  if (os.has_error())
    return makeError(metadataPath + ": cannot write: " + os.error().message());
  return llvm::Error::success();
}

/// Reads metadata.json; errors name the file.
static llvm::Expected<LearnedModelMetadata> readMetadata(llvm::StringRef path) {
  auto fail = [&](const llvm::Twine &message) {
    return makeError(path + ": " + message);
  };
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return fail("cannot read: " + buffer.getError().message());
  llvm::Expected<llvm::json::Value> value =
      llvm::json::parse((*buffer)->getBuffer());
  if (!value)
    return fail("not valid JSON: " + llvm::toString(value.takeError()));
  const llvm::json::Object *object = value->getAsObject();
  if (!object || object->getString("format") != kMetadataFormat)
    return fail("not a Kiln learned-model metadata file");
  if (object->getInteger("version") != kMetadataVersion)
    return fail("metadata version " +
                llvm::Twine(object->getInteger("version").value_or(-1)) +
                ", this build reads version " + llvm::Twine(kMetadataVersion));
  LearnedModelMetadata metadata;
  const llvm::json::Array *names = object->getArray("feature_names");
  if (!names)
    return fail("missing feature_names");
  for (const llvm::json::Value &name : *names) {
    std::optional<llvm::StringRef> text = name.getAsString();
    if (!text)
      return fail("feature_names holds a non-string");
    metadata.featureNames.push_back(text->str());
  }
  std::optional<double> low = object->getNumber("band_low");
  std::optional<double> high = object->getNumber("band_high");
  std::optional<int64_t> rows = object->getInteger("training_rows");
  if (!low || !high || !rows)
    return fail("missing band_low, band_high or training_rows");
  metadata.bandLow = *low;
  metadata.bandHigh = *high;
  metadata.trainingRows = *rows;
  if (std::optional<llvm::StringRef> provenance =
          object->getString("provenance"))
    metadata.provenance = provenance->str();
  return metadata;
}

llvm::Expected<std::unique_ptr<LearnedModel>>
LearnedModel::load(llvm::StringRef directory) {
  silenceXGBoost();
  llvm::SmallString<256> modelPath(directory), metadataPath(directory);
  llvm::sys::path::append(modelPath, kModelFile);
  llvm::sys::path::append(metadataPath, kMetadataFile);
  for (llvm::StringRef path : {modelPath.str(), metadataPath.str()})
    if (!llvm::sys::fs::is_regular_file(path))
      return makeError(path + ": no such file (not a saved cost model; run "
                              "'kiln-cost train')");

  llvm::Expected<LearnedModelMetadata> metadata = readMetadata(metadataPath);
  if (!metadata)
    return metadata.takeError();
  if (metadata->featureNames != getCurrentFeatureNames())
    return makeError(metadataPath +
                     ": the model was trained on other features than this "
                     "build computes (retrain with 'kiln-cost train')");

  BoosterGuard booster;
  if (XGBoosterCreate(nullptr, 0, &booster.handle) != 0)
    return makeError("cannot create the booster: " + getXGBoostError());
  if (XGBoosterLoadModel(booster.handle, modelPath.c_str()) != 0)
    return makeError(modelPath +
                     ": not a valid XGBoost model: " + getXGBoostError());
  bst_ulong featureCount = 0;
  if (XGBoosterGetNumFeature(booster.handle, &featureCount) != 0 ||
      featureCount != metadata->featureNames.size())
    return makeError(modelPath + ": the model takes " +
                     llvm::Twine(uint64_t(featureCount)) + " features, " +
                     kMetadataFile + " names " +
                     llvm::Twine(metadata->featureNames.size()));
  XGBoosterSetParam(booster.handle, "nthread", "1");
  std::unique_ptr<LearnedModel> model(
      new LearnedModel(booster.release(), std::move(*metadata)));
  if (llvm::Error error = model->compileTrees())
    return makeError(modelPath + ": " + llvm::toString(std::move(error)));
  return model;
}
