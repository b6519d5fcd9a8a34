//===- LearnedModel.h - XGBoost correction of the roofline ------*- C++ -*-===//
//
// The learned half of the cost model: gradient-boosted trees (XGBoost) that
// map a kernel's feature row (KernelFeatures::toVector) to the log2 ratio of
// its measured latency to its roofline estimate. A prediction is then
// roofline * 2^predict(row), and the band is the 10th..90th percentile of
// the model's residuals on held-out data, also in log2 space.
//
// On disk a model is a directory holding `model.json` (XGBoost's own JSON
// format) and `metadata.json` (feature names, band, training-set size,
// provenance).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COSTMODEL_LEARNEDMODEL_H
#define KILN_COSTMODEL_LEARNEDMODEL_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace kiln::cost {

/// How `LearnedModel::train` fits (XGBoost's histogram method, squared
/// error). The same rows, options and seed give the same trees; keep
/// `threads` fixed too, since XGBoost does not promise thread-count
/// independence.
struct TrainOptions {
  int rounds = 150;
  int maxDepth = 8;
  double eta = 0.15;
  double subsample = 0.9;
  uint64_t seed = 0;
  int threads = 1;
  /// Where the training data came from (store, target, split), kept in the
  /// metadata.
  std::string provenance;
};

/// What is saved next to the trees.
struct LearnedModelMetadata {
  std::vector<std::string> featureNames;
  /// The 10th and 90th percentile of held-out residuals
  /// (log2(measured / roofline) - prediction); 0 until calibrated.
  double bandLow = 0;
  double bandHigh = 0;
  int64_t trainingRows = 0;
  std::string provenance;
};

/// A trained correction model.
class LearnedModel {
public:
  /// Fits rows -> targets, where targets[i] = log2(measured / roofline) of
  /// row i. Every row has one value per name of
  /// KernelFeatures::getFeatureNames().
  static llvm::Expected<std::unique_ptr<LearnedModel>>
  train(llvm::ArrayRef<std::vector<float>> rows, llvm::ArrayRef<float> targets,
        const TrainOptions &options = {});

  /// Loads a model saved by save(); fails naming the file that is missing
  /// or corrupt, or when its feature names differ from this build's.
  static llvm::Expected<std::unique_ptr<LearnedModel>>
  load(llvm::StringRef directory);

  ~LearnedModel();
  LearnedModel(const LearnedModel &) = delete;
  LearnedModel &operator=(const LearnedModel &) = delete;

  /// Writes model.json and metadata.json into `directory` (created when
  /// missing).
  llvm::Error save(llvm::StringRef directory) const;

  /// The predicted log2 correction of one feature row (a few microseconds;
  /// safe to call from several threads).
  float predict(llvm::ArrayRef<float> row) const;
  /// The predicted log2 corrections of many rows at once.
  std::vector<float>
  predictBatch(llvm::ArrayRef<std::vector<float>> rows) const;

  /// The same predictions computed by XGBoost itself (slower; a reference
  /// for checking predict()).
  std::vector<float>
  predictWithXGBoost(llvm::ArrayRef<std::vector<float>> rows) const;

  /// Sets the band from held-out data: the 10th and 90th percentile of
  /// targets[i] - predict(rows[i]).
  void calibrateBand(llvm::ArrayRef<std::vector<float>> rows,
                     llvm::ArrayRef<float> targets);

  /// Sets the band directly, e.g. to one calibrated on a model fitted
  /// without the held-out rows before refitting on everything.
  void setBand(double low, double high) {
    metadata.bandLow = low;
    metadata.bandHigh = high;
  }

  const LearnedModelMetadata &getMetadata() const { return metadata; }
  size_t getFeatureCount() const { return metadata.featureNames.size(); }

private:
  LearnedModel(void *booster, LearnedModelMetadata metadata);

  /// Flattens the booster's trees into `nodes` for predict().
  llvm::Error compileTrees();

  /// A tree node as predict() walks it, eight bytes so that a 400-tree
  /// model stays in cache: a split's children sit side by side (left, then
  /// right) at `left` relative to the tree's root; a leaf has left == 0.
  struct TreeNode {
    static constexpr uint32_t kMaxNodes = 0xffff;
    static constexpr uint32_t kFeatureShift = 16;
    static constexpr uint32_t kDefaultLeftBit = 1u << 31;
    /// The split threshold (go left when below), or the leaf value.
    float value = 0;
    /// Left child (bits 0-15), feature (16-30), missing goes left (31).
    uint32_t packed = 0;

    uint32_t getLeft() const { return packed & kMaxNodes; }
    uint32_t getFeature() const {
      return (packed & ~kDefaultLeftBit) >> kFeatureShift;
    }
    bool isDefaultLeft() const { return packed & kDefaultLeftBit; }
  };

  /// XGBoost's BoosterHandle (training, saving, the reference prediction).
  void *booster;
  LearnedModelMetadata metadata;
  float baseScore = 0;
  std::vector<TreeNode> nodes;
  std::vector<uint32_t> treeRoots;
  /// XGBoost returns predictions in a buffer owned by the booster.
  mutable std::mutex xgboostMutex;
};

} // namespace kiln::cost

#endif // KILN_COSTMODEL_LEARNEDMODEL_H
