//===- MeasurementStore.h - measured kernel latencies on disk ---*- C++ -*-===//
//
// The SQLite store `kiln-cost collect` fills and `kiln-cost train` reads: one
// row per (target, kernel, schedule) with the median of repeated runs, their
// spread, the analytical roofline and the feature row the learned model
// sees. Every add is its own committed transaction in WAL mode, so an
// interrupted collect loses nothing it stored. The schema is versioned and
// records the feature names it was filled with; a store from another schema
// version or feature set is refused rather than silently misread.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COSTMODEL_MEASUREMENTSTORE_H
#define KILN_COSTMODEL_MEASUREMENTSTORE_H

#include "kiln/costmodel/TargetSpec.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct sqlite3;

namespace kiln::cost {

/// One measured kernel variant.
struct Measurement {
  /// Target spec name, e.g. "cpu".
  std::string target;
  /// Canonical text of the kernel (op, types, attributes).
  std::string kernelKey;
  /// The op, e.g. "nn.conv2d".
  std::string opName;
  /// Canonical schedule text, e.g. "tile=32,32,0;vec=512;par=1".
  std::string schedule;
  /// Where the shape came from, e.g. "resnet18/layer1.0.conv1".
  std::string source;
  /// KernelFeatures::toVector(target).
  std::vector<float> features;
  /// Median of the repeated runs, in seconds.
  double medianSeconds = 0;
  /// (p75 - p25) / median of the repeated runs.
  double spread = 0;
  int64_t repeats = 0;
  /// The analytical estimate at collection time.
  double rooflineSeconds = 0;
};

/// The schema version this build reads and writes.
constexpr int64_t kMeasurementSchemaVersion = 1;

/// The store `kiln-cost` uses by default: <cache dir>/measurements.sqlite.
std::string getDefaultMeasurementStorePath();

/// An open measurement store. Not thread-safe: one per thread.
class MeasurementStore {
public:
  /// Opens the store at `path`, creating it (and its parent directories)
  /// when missing. Fails, naming the file, when it is not a SQLite database,
  /// not a Kiln measurement store, another schema version, or was filled
  /// with other feature names than KernelFeatures::getFeatureNames().
  static llvm::Expected<std::unique_ptr<MeasurementStore>>
  open(llvm::StringRef path);

  ~MeasurementStore();
  MeasurementStore(const MeasurementStore &) = delete;
  MeasurementStore &operator=(const MeasurementStore &) = delete;

  /// Whether a measurement of `kernelKey` under `schedule` on `target` is
  /// stored.
  bool contains(llvm::StringRef target, llvm::StringRef kernelKey,
                llvm::StringRef schedule);

  /// Stores `measurement` in its own transaction, replacing an earlier one
  /// of the same (target, kernel, schedule). Its feature row must have one
  /// value per feature name.
  llvm::Error add(const Measurement &measurement);

  /// Every measurement of `target`, in the order they were first added.
  llvm::Expected<std::vector<Measurement>> load(llvm::StringRef target);

  /// How many measurements of `target` are stored.
  int64_t count(llvm::StringRef target);

  const std::string &getPath() const { return path; }

private:
  MeasurementStore(sqlite3 *db, std::string path, size_t featureCount)
      : db(db), path(std::move(path)), featureCount(featureCount) {}

  /// An error naming the store's file: "<path>: <message>: <sqlite error>".
  llvm::Error makeError(llvm::StringRef message) const;

  sqlite3 *db;
  std::string path;
  size_t featureCount;
};

} // namespace kiln::cost

#endif // KILN_COSTMODEL_MEASUREMENTSTORE_H
