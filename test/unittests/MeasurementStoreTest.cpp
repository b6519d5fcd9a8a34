//===- MeasurementStoreTest.cpp - the SQLite measurement store ------------===//
//
// The store keeps what was added across reopening, replaces a re-measured
// kernel in place, keeps targets apart, and refuses files it cannot read
// with a one-line error that names the file.
//
//===----------------------------------------------------------------------===//

#include "kiln/costmodel/MeasurementStore.h"
#include "kiln/costmodel/CostModel.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdlib>

using namespace kiln::cost;

namespace {

class MeasurementStoreTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(
        llvm::sys::fs::createUniqueDirectory("kiln-store-test", directory));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(directory); }

  std::string getPath(llvm::StringRef name) const {
    llvm::SmallString<256> path(directory);
    llvm::sys::path::append(path, name);
    return path.str().str();
  }

  static Measurement makeMeasurement(llvm::StringRef kernel,
                                     llvm::StringRef schedule, double seconds) {
    Measurement m;
    m.target = "cpu";
    m.kernelKey = kernel.str();
    m.opName = "nn.conv2d";
    m.schedule = schedule.str();
    m.source = "resnet18/layer1.0.conv1";
    for (size_t i = 0; i < KernelFeatures::getFeatureNames().size(); ++i)
      m.features.push_back(float(i) * 0.5f + float(seconds));
    m.medianSeconds = seconds;
    m.spread = 0.03;
    m.repeats = 25;
    m.rooflineSeconds = seconds / 2;
    return m;
  }

  /// Runs `sql` on the SQLite file at `path` behind the store's back.
  static void executeSql(const std::string &path, const char *sql) {
    sqlite3 *db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }

  /// The error of opening `path`, which must fail.
  static std::string getOpenError(const std::string &path) {
    auto store = MeasurementStore::open(path);
    if (store) {
      ADD_FAILURE() << "opening " << path << " succeeded";
      return "";
    }
    return llvm::toString(store.takeError());
  }

  llvm::SmallString<256> directory;
};

TEST_F(MeasurementStoreTest, CreatesAddsAndReopens) {
  // Parent directories are created on the way.
  std::string path = getPath("nested/dir/measurements.sqlite");
  Measurement conv =
      makeMeasurement("conv-a", "tile=32,32,0;vec=512;par=1", 2e-3);
  {
    auto store = MeasurementStore::open(path);
    ASSERT_TRUE(bool(store)) << llvm::toString(store.takeError());
    EXPECT_EQ((*store)->count("cpu"), 0);
    EXPECT_FALSE((*store)->contains("cpu", conv.kernelKey, conv.schedule));
    ASSERT_FALSE(bool((*store)->add(conv)));
    ASSERT_FALSE(bool((*store)->add(makeMeasurement("conv-b", "par=1", 1e-3))));
    EXPECT_TRUE((*store)->contains("cpu", conv.kernelKey, conv.schedule));
    EXPECT_FALSE((*store)->contains("cpu", conv.kernelKey, "par=2"));
    EXPECT_FALSE((*store)->contains("sm_80", conv.kernelKey, conv.schedule));
    EXPECT_EQ((*store)->count("cpu"), 2);
  }
  auto store = MeasurementStore::open(path);
  ASSERT_TRUE(bool(store)) << llvm::toString(store.takeError());
  auto loaded = (*store)->load("cpu");
  ASSERT_TRUE(bool(loaded)) << llvm::toString(loaded.takeError());
  ASSERT_EQ(loaded->size(), 2u);
  const Measurement &first = loaded->front();
  EXPECT_EQ(first.target, "cpu");
  EXPECT_EQ(first.kernelKey, conv.kernelKey);
  EXPECT_EQ(first.opName, conv.opName);
  EXPECT_EQ(first.schedule, conv.schedule);
  EXPECT_EQ(first.source, conv.source);
  EXPECT_EQ(first.features, conv.features);
  EXPECT_EQ(first.medianSeconds, conv.medianSeconds);
  EXPECT_EQ(first.spread, conv.spread);
  EXPECT_EQ(first.repeats, conv.repeats);
  EXPECT_EQ(first.rooflineSeconds, conv.rooflineSeconds);
  EXPECT_EQ((*loaded)[1].kernelKey, "conv-b");
}

TEST_F(MeasurementStoreTest, ReplacesRemeasuredKernelInPlace) {
  auto store = MeasurementStore::open(getPath("m.sqlite"));
  ASSERT_TRUE(bool(store)) << llvm::toString(store.takeError());
  ASSERT_FALSE(bool((*store)->add(makeMeasurement("a", "par=1", 1.0))));
  ASSERT_FALSE(bool((*store)->add(makeMeasurement("b", "par=1", 2.0))));
  ASSERT_FALSE(bool((*store)->add(makeMeasurement("a", "par=1", 3.0))));
  EXPECT_EQ((*store)->count("cpu"), 2);
  auto loaded = (*store)->load("cpu");
  ASSERT_TRUE(bool(loaded));
  ASSERT_EQ(loaded->size(), 2u);
  EXPECT_EQ((*loaded)[0].kernelKey, "a");
  EXPECT_EQ((*loaded)[0].medianSeconds, 3.0);
  EXPECT_EQ((*loaded)[1].kernelKey, "b");
}

TEST_F(MeasurementStoreTest, KeepsTargetsApart) {
  auto store = MeasurementStore::open(getPath("m.sqlite"));
  ASSERT_TRUE(bool(store));
  Measurement gpu = makeMeasurement("a", "par=1", 1.0);
  gpu.target = "sm_80";
  ASSERT_FALSE(bool((*store)->add(gpu)));
  ASSERT_FALSE(bool((*store)->add(makeMeasurement("a", "par=1", 2.0))));
  EXPECT_EQ((*store)->count("cpu"), 1);
  EXPECT_EQ((*store)->count("sm_80"), 1);
  EXPECT_EQ((*store)->count("u250"), 0);
  auto loaded = (*store)->load("sm_80");
  ASSERT_TRUE(bool(loaded));
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ((*loaded)[0].medianSeconds, 1.0);
}

TEST_F(MeasurementStoreTest, EveryAddIsCommitted) {
  // A second connection sees each add at once: nothing waits for a close.
  std::string path = getPath("m.sqlite");
  auto writer = MeasurementStore::open(path);
  ASSERT_TRUE(bool(writer));
  auto reader = MeasurementStore::open(path);
  ASSERT_TRUE(bool(reader));
  ASSERT_FALSE(bool((*writer)->add(makeMeasurement("a", "par=1", 1.0))));
  EXPECT_EQ((*reader)->count("cpu"), 1);
  ASSERT_FALSE(bool((*writer)->add(makeMeasurement("b", "par=1", 1.0))));
  EXPECT_EQ((*reader)->count("cpu"), 2);
}

TEST_F(MeasurementStoreTest, RejectsWrongFeatureCount) {
  auto store = MeasurementStore::open(getPath("m.sqlite"));
  ASSERT_TRUE(bool(store));
  Measurement m = makeMeasurement("a", "par=1", 1.0);
  m.features.pop_back();
  llvm::Error error = (*store)->add(m);
  ASSERT_TRUE(bool(error));
  EXPECT_NE(llvm::toString(std::move(error)).find("features"),
            std::string::npos);
  EXPECT_EQ((*store)->count("cpu"), 0);
}

TEST_F(MeasurementStoreTest, RefusesFileThatIsNotADatabase) {
  std::string path = getPath("notes.sqlite");
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    ASSERT_FALSE(ec);
    os << "these are not the measurements you are looking for\n"
       << std::string(4096, 'x');
  }
  std::string error = getOpenError(path);
  EXPECT_EQ(error, path + ": not a SQLite database");
}

TEST_F(MeasurementStoreTest, RefusesOtherSqliteDatabase) {
  std::string path = getPath("other.sqlite");
  executeSql(path, "CREATE TABLE songs (title TEXT)");
  std::string error = getOpenError(path);
  EXPECT_NE(error.find(path + ": not a Kiln measurement store"),
            std::string::npos)
      << error;
}

TEST_F(MeasurementStoreTest, RefusesOtherSchemaVersion) {
  std::string path = getPath("m.sqlite");
  ASSERT_TRUE(bool(MeasurementStore::open(path)));
  executeSql(path, "UPDATE meta SET value = '2' WHERE key = 'schema_version'");
  std::string error = getOpenError(path);
  EXPECT_NE(error.find(path + ": measurement store schema version 2, this "
                              "build reads version 1"),
            std::string::npos)
      << error;
  EXPECT_EQ(error.find('\n'), std::string::npos);
}

TEST_F(MeasurementStoreTest, RefusesOtherFeatureNames) {
  std::string path = getPath("m.sqlite");
  ASSERT_TRUE(bool(MeasurementStore::open(path)));
  executeSql(path, "UPDATE meta SET value = 'op_code,log_flops' WHERE key = "
                   "'feature_names'");
  std::string error = getOpenError(path);
  EXPECT_NE(error.find(path + ": measurement store was collected with other "
                              "feature names"),
            std::string::npos)
      << error;
}

TEST_F(MeasurementStoreTest, DefaultPathIsInTheCacheDirectory) {
  const char *previous = std::getenv("KILN_CACHE_DIR");
  std::string saved = previous ? previous : "";
  ::setenv("KILN_CACHE_DIR", directory.c_str(), 1);
  EXPECT_EQ(getKilnCacheDir(), directory.str().str());
  EXPECT_EQ(getDefaultMeasurementStorePath(), getPath("measurements.sqlite"));
  EXPECT_EQ(llvm::sys::path::parent_path(getDefaultCpuSpecPath()),
            getKilnCacheDir());
  if (previous)
    ::setenv("KILN_CACHE_DIR", saved.c_str(), 1);
  else
    ::unsetenv("KILN_CACHE_DIR");
}

} // namespace
