//===- LearnedModelTest.cpp - the XGBoost correction model ----------------===//
//
// The model learns a known function of the features well enough to predict
// rows it has not seen, trains the same trees for the same seed, survives a
// save/load round trip bit for bit, refuses broken files by name, and
// predicts one row fast enough to be asked per candidate schedule.
//
//===----------------------------------------------------------------------===//

#include "kiln/costmodel/LearnedModel.h"
#include "kiln/costmodel/CostModel.h"
#include "kiln/costmodel/Metrics.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <cmath>
#include <ctime>
#include <random>

using namespace kiln::cost;

namespace {

size_t getWidth() { return KernelFeatures::getFeatureNames().size(); }

/// A made-up log2 correction with thresholds, interactions and a smooth
/// part: what a tree ensemble should fit closely.
float syntheticTarget(const std::vector<float> &row) {
  float value = 0.8f * row[1] - 0.5f * row[5];
  value += row[2] > 0.5f ? 1.0f : -1.0f;
  value += row[3] * row[4];
  return value;
}

std::vector<std::vector<float>> makeRows(size_t count, uint64_t seed) {
  std::mt19937_64 generator(seed);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  std::vector<std::vector<float>> rows(count, std::vector<float>(getWidth()));
  for (std::vector<float> &row : rows)
    for (float &value : row)
      value = uniform(generator);
  return rows;
}

std::vector<float> getTargets(const std::vector<std::vector<float>> &rows) {
  std::vector<float> targets;
  for (const std::vector<float> &row : rows)
    targets.push_back(syntheticTarget(row));
  return targets;
}

class LearnedModelTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    trainRows = new std::vector<std::vector<float>>(makeRows(1500, 1));
    heldOutRows = new std::vector<std::vector<float>>(makeRows(400, 2));
    TrainOptions options;
    options.rounds = 200;
    options.maxDepth = 6;
    options.seed = 7;
    options.provenance = "synthetic";
    auto trained =
        LearnedModel::train(*trainRows, getTargets(*trainRows), options);
    ASSERT_TRUE(bool(trained)) << llvm::toString(trained.takeError());
    model = trained->release();
  }
  static void TearDownTestSuite() {
    delete model;
    delete trainRows;
    delete heldOutRows;
  }

  void SetUp() override {
    ASSERT_FALSE(
        llvm::sys::fs::createUniqueDirectory("kiln-model-test", directory));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(directory); }

  std::string getPath(llvm::StringRef name) const {
    llvm::SmallString<256> path(directory);
    llvm::sys::path::append(path, name);
    return path.str().str();
  }

  static void writeFile(const std::string &path, llvm::StringRef text) {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    ASSERT_FALSE(ec);
    os << text;
  }

  static std::string getLoadError(llvm::StringRef dir) {
    auto loaded = LearnedModel::load(dir);
    if (loaded) {
      ADD_FAILURE() << "loading " << dir.str() << " succeeded";
      return "";
    }
    return llvm::toString(loaded.takeError());
  }

  static LearnedModel *model;
  static std::vector<std::vector<float>> *trainRows;
  static std::vector<std::vector<float>> *heldOutRows;
  llvm::SmallString<256> directory;
};

LearnedModel *LearnedModelTest::model = nullptr;
std::vector<std::vector<float>> *LearnedModelTest::trainRows = nullptr;
std::vector<std::vector<float>> *LearnedModelTest::heldOutRows = nullptr;

TEST_F(LearnedModelTest, PredictsHeldOutRows) {
  ASSERT_TRUE(model);
  std::vector<float> targets = getTargets(*heldOutRows);
  std::vector<float> predictions = model->predictBatch(*heldOutRows);
  ASSERT_EQ(predictions.size(), targets.size());
  double squaredError = 0, mean = 0, variance = 0;
  for (float target : targets)
    mean += target / targets.size();
  for (size_t i = 0; i < targets.size(); ++i) {
    squaredError += std::pow(predictions[i] - targets[i], 2);
    variance += std::pow(targets[i] - mean, 2);
  }
  // The model explains nearly all of the variance of unseen rows.
  EXPECT_LT(squaredError / variance, 0.05);
  std::vector<double> predicted(predictions.begin(), predictions.end());
  std::vector<double> actual(targets.begin(), targets.end());
  EXPECT_GT(spearman(predicted, actual), 0.97);
}

TEST_F(LearnedModelTest, AgreesWithXGBoostBitForBit) {
  ASSERT_TRUE(model);
  std::vector<float> reference = model->predictWithXGBoost(*heldOutRows);
  std::vector<float> batch = model->predictBatch(*heldOutRows);
  ASSERT_EQ(reference.size(), heldOutRows->size());
  EXPECT_EQ(batch, reference);
  for (size_t i = 0; i < 20; ++i)
    EXPECT_EQ(model->predict((*heldOutRows)[i]), reference[i]);
  // Rows outside the training range and with missing values take the same
  // paths as in XGBoost.
  std::vector<std::vector<float>> odd = makeRows(50, 9);
  for (size_t i = 0; i < odd.size(); ++i) {
    odd[i][i % odd[i].size()] = i % 2 ? NAN : -5.0f;
    odd[i][(i + 1) % odd[i].size()] = 7.0f;
  }
  EXPECT_EQ(model->predictBatch(odd), model->predictWithXGBoost(odd));
}

TEST_F(LearnedModelTest, TrainingIsDeterministicForASeed) {
  ASSERT_TRUE(model);
  TrainOptions options;
  options.rounds = 200;
  options.maxDepth = 6;
  options.seed = 7;
  auto again = LearnedModel::train(*trainRows, getTargets(*trainRows), options);
  ASSERT_TRUE(bool(again)) << llvm::toString(again.takeError());
  EXPECT_EQ((*again)->predictBatch(*heldOutRows),
            model->predictBatch(*heldOutRows));
}

TEST_F(LearnedModelTest, SaveLoadRoundTrip) {
  ASSERT_TRUE(model);
  auto trained = LearnedModel::train(*trainRows, getTargets(*trainRows),
                                     TrainOptions{/*rounds=*/50});
  ASSERT_TRUE(bool(trained));
  LearnedModel &original = **trained;
  original.calibrateBand(*heldOutRows, getTargets(*heldOutRows));
  const LearnedModelMetadata &metadata = original.getMetadata();
  EXPECT_LT(metadata.bandLow, 0);
  EXPECT_GT(metadata.bandHigh, 0);

  std::string dir = getPath("model");
  ASSERT_FALSE(bool(original.save(dir)));
  auto loaded = LearnedModel::load(dir);
  ASSERT_TRUE(bool(loaded)) << llvm::toString(loaded.takeError());
  EXPECT_EQ((*loaded)->predictBatch(*heldOutRows),
            original.predictBatch(*heldOutRows));
  const LearnedModelMetadata &reread = (*loaded)->getMetadata();
  EXPECT_EQ(reread.featureNames, metadata.featureNames);
  EXPECT_EQ(reread.bandLow, metadata.bandLow);
  EXPECT_EQ(reread.bandHigh, metadata.bandHigh);
  EXPECT_EQ(reread.trainingRows, 1500);
  EXPECT_EQ(reread.provenance, metadata.provenance);
}

TEST_F(LearnedModelTest, BandCoversEightyPercent) {
  auto trained = LearnedModel::train(*trainRows, getTargets(*trainRows),
                                     TrainOptions{/*rounds=*/30});
  ASSERT_TRUE(bool(trained));
  std::vector<float> targets = getTargets(*heldOutRows);
  (*trained)->calibrateBand(*heldOutRows, targets);
  const LearnedModelMetadata &metadata = (*trained)->getMetadata();
  std::vector<float> predictions = (*trained)->predictBatch(*heldOutRows);
  size_t inside = 0;
  for (size_t i = 0; i < targets.size(); ++i) {
    double residual = double(targets[i]) - predictions[i];
    inside += residual >= metadata.bandLow && residual <= metadata.bandHigh;
  }
  EXPECT_NEAR(double(inside) / targets.size(), 0.8, 0.01);
  (*trained)->setBand(-1.0, 2.0);
  EXPECT_EQ(metadata.bandLow, -1.0);
  EXPECT_EQ(metadata.bandHigh, 2.0);
}

TEST_F(LearnedModelTest, LoadNamesMissingFile) {
  std::string dir = getPath("nothing-here");
  std::string error = getLoadError(dir);
  EXPECT_NE(error.find(getPath("nothing-here/model.json") + ": no such file"),
            std::string::npos)
      << error;
}

TEST_F(LearnedModelTest, LoadNamesCorruptFiles) {
  ASSERT_TRUE(model);
  std::string dir = getPath("model");
  ASSERT_FALSE(bool(model->save(dir)));
  std::string metadataPath = getPath("model/metadata.json");
  std::string modelPath = getPath("model/model.json");

  writeFile(modelPath, "{\"learner\": ");
  std::string error = getLoadError(dir);
  EXPECT_NE(error.find(modelPath + ": not a valid XGBoost model"),
            std::string::npos)
      << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;

  writeFile(metadataPath, "[1, 2");
  error = getLoadError(dir);
  EXPECT_NE(error.find(metadataPath + ": not valid JSON"), std::string::npos)
      << error;

  writeFile(metadataPath,
            R"({"format": "kiln-learned-model", "version": 1,
                "feature_names": ["op_code"], "band_low": 0, "band_high": 0,
                "training_rows": 1})");
  error = getLoadError(dir);
  EXPECT_NE(error.find(metadataPath + ": the model was trained on other "
                                      "features"),
            std::string::npos)
      << error;
}

TEST_F(LearnedModelTest, RejectsMismatchedTrainingData) {
  std::vector<std::vector<float>> rows = makeRows(4, 3);
  rows[2].pop_back();
  auto trained = LearnedModel::train(rows, {1, 2, 3, 4});
  ASSERT_FALSE(bool(trained));
  EXPECT_NE(llvm::toString(trained.takeError()).find("features, expected"),
            std::string::npos);
  auto empty = LearnedModel::train({}, {});
  ASSERT_FALSE(bool(empty));
  llvm::consumeError(empty.takeError());
}

TEST_F(LearnedModelTest, PredictsOneRowQuickly) {
  // The default size: 400 rounds of depth-8 trees.
  std::vector<std::vector<float>> rows = makeRows(2000, 4);
  auto trained = LearnedModel::train(rows, getTargets(rows), TrainOptions{});
  ASSERT_TRUE(bool(trained));
  const LearnedModel &full = **trained;
  const int calls = 5000;
  float sink = 0;
  for (int i = 0; i < 100; ++i) // warm up
    sink += full.predict((*heldOutRows)[i % heldOutRows->size()]);
  // CPU time of this thread: other work on a busy machine does not count.
  auto getCpuSeconds = [] {
    timespec now;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return now.tv_sec + now.tv_nsec * 1e-9;
  };
  double start = getCpuSeconds();
  for (int i = 0; i < calls; ++i)
    sink += full.predict((*heldOutRows)[i % heldOutRows->size()]);
  double microseconds = (getCpuSeconds() - start) / calls * 1e6;
  std::vector<float> reference(heldOutRows->begin()->begin(),
                               heldOutRows->begin()->end());
  start = getCpuSeconds();
  for (int i = 0; i < 200; ++i)
    sink += full.predictWithXGBoost({reference})[0];
  double xgboostMicroseconds = (getCpuSeconds() - start) / 200 * 1e6;
  std::printf("[ TIMING   ] LearnedModel::predict, 400 trees of depth 8: "
              "%.2f us per row (XGBoost's own path: %.2f us)\n",
              microseconds, xgboostMicroseconds);
  EXPECT_TRUE(std::isfinite(sink));
  EXPECT_LT(microseconds, 50.0);
}

} // namespace
