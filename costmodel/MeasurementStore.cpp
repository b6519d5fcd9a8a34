//===- MeasurementStore.cpp - measured kernel latencies on disk ----------===//
//
// The SQLite measurement store behind `kiln-cost collect/train/eval`. Two
// tables: `meta` (key/value: schema_version, feature_names) and
// `measurements` (one row per target, kernel key and schedule; the feature
// row as a little-endian float32 blob). Adds are upserts, each committed on
// its own in WAL mode so that a collect killed half-way keeps every
// measurement it finished and readers never block it.
//
//===----------------------------------------------------------------------===//

#include "kiln/costmodel/MeasurementStore.h"
#include "kiln/costmodel/CostModel.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <sqlite3.h>

#include <cstring>

using namespace kiln::cost;

std::string kiln::cost::getDefaultMeasurementStorePath() {
  llvm::SmallString<256> path(getKilnCacheDir());
  llvm::sys::path::append(path, "measurements.sqlite");
  return path.str().str();
}

namespace {

/// A prepared statement, finalized when it goes out of scope.
class Statement {
public:
  Statement(sqlite3 *db, const char *sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK)
      stmt = nullptr;
  }
  ~Statement() { sqlite3_finalize(stmt); }
  Statement(const Statement &) = delete;
  Statement &operator=(const Statement &) = delete;

  explicit operator bool() const { return stmt != nullptr; }
  sqlite3_stmt *get() const { return stmt; }

  void bindText(int index, llvm::StringRef text) {
    sqlite3_bind_text(stmt, index, text.data(), int(text.size()),
                      SQLITE_TRANSIENT);
  }
  std::string getText(int column) const {
    const unsigned char *text = sqlite3_column_text(stmt, column);
    int size = sqlite3_column_bytes(stmt, column);
    return text ? std::string(reinterpret_cast<const char *>(text), size)
                : std::string();
  }

private:
  sqlite3_stmt *stmt = nullptr;
};

/// Runs SQL without results; true on success.
bool execute(sqlite3 *db, const char *sql) {
  return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

/// The feature names as they are recorded in `meta`.
std::string getJoinedFeatureNames() {
  return llvm::join(KernelFeatures::getFeatureNames(), ",");
}

constexpr const char *kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS measurements (
  id INTEGER PRIMARY KEY,
  target TEXT NOT NULL,
  kernel_key TEXT NOT NULL,
  op_name TEXT NOT NULL,
  schedule TEXT NOT NULL,
  source TEXT NOT NULL,
  features BLOB NOT NULL,
  median_seconds REAL NOT NULL,
  spread REAL NOT NULL,
  repeats INTEGER NOT NULL,
  roofline_seconds REAL NOT NULL,
  measured_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE (target, kernel_key, schedule)
);
)sql";

} // namespace

llvm::Error MeasurementStore::makeError(llvm::StringRef message) const {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 path + ": " + message + ": " +
                                     sqlite3_errmsg(db));
}

/// Creates the schema in an empty database, then checks that `db` is a
/// Kiln measurement store this build can read. Returns a one-line reason
/// (without the path) on failure.
static std::optional<std::string> initializeOrValidate(sqlite3 *db) {
  auto sqliteReason = [&](llvm::StringRef what) {
    std::string reason = what.str() + ": " + sqlite3_errmsg(db);
    if (sqlite3_errcode(db) == SQLITE_NOTADB)
      reason = "not a SQLite database";
    return reason;
  };

  // The first read of the file tells whether it is a database at all.
  int64_t tableCount = 0;
  {
    Statement tables(db, "SELECT count(*) FROM sqlite_master");
    if (!tables || sqlite3_step(tables.get()) != SQLITE_ROW)
      return sqliteReason("cannot read the database");
    tableCount = sqlite3_column_int64(tables.get(), 0);
  }

  if (tableCount == 0) {
    // WAL cannot be switched on inside a transaction; it is persistent.
    if (!execute(db, "PRAGMA journal_mode=WAL"))
      return sqliteReason("cannot switch to WAL mode");
    // IMMEDIATE: two collects creating the same store do not race.
    if (!execute(db, "BEGIN IMMEDIATE"))
      return sqliteReason("cannot create the schema");
    bool created = execute(db, kSchema);
    if (created) {
      Statement insert(db,
                       "INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)");
      created = bool(insert);
      std::pair<std::string, std::string> entries[] = {
          {"schema_version", std::to_string(kMeasurementSchemaVersion)},
          {"feature_names", getJoinedFeatureNames()}};
      for (auto &[key, value] : entries) {
        if (!created)
          break;
        sqlite3_reset(insert.get());
        insert.bindText(1, key);
        insert.bindText(2, value);
        created = sqlite3_step(insert.get()) == SQLITE_DONE;
      }
    }
    if (!created || !execute(db, "COMMIT")) {
      std::string reason = sqliteReason("cannot create the schema");
      execute(db, "ROLLBACK");
      return reason;
    }
  }

  // Validate what is there (also right after creating it, which keeps one
  // code path for the checks).
  Statement read(db, "SELECT key, value FROM meta");
  if (!read)
    return std::string("not a Kiln measurement store (no meta table)");
  std::optional<std::string> version, featureNames;
  int status;
  while ((status = sqlite3_step(read.get())) == SQLITE_ROW) {
    std::string key = read.getText(0);
    if (key == "schema_version")
      version = read.getText(1);
    else if (key == "feature_names")
      featureNames = read.getText(1);
  }
  if (status != SQLITE_DONE)
    return sqliteReason("cannot read the meta table");
  if (!version)
    return std::string("not a Kiln measurement store (no schema_version)");
  if (*version != std::to_string(kMeasurementSchemaVersion))
    return "measurement store schema version " + *version +
           ", this build reads version " +
           std::to_string(kMeasurementSchemaVersion) +
           " (collect into a new store)";
  if (!featureNames || *featureNames != getJoinedFeatureNames())
    return std::string("measurement store was collected with other feature "
                       "names than this build's (collect into a new store)");
  if (!execute(db, "PRAGMA journal_mode=WAL"))
    return sqliteReason("cannot switch to WAL mode");
  return std::nullopt;
}

llvm::Expected<std::unique_ptr<MeasurementStore>>
MeasurementStore::open(llvm::StringRef path) {
  auto fail = [&](const llvm::Twine &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   path + ": " + message);
  };
  llvm::StringRef parent = llvm::sys::path::parent_path(path);
  if (!parent.empty())
    if (std::error_code error = llvm::sys::fs::create_directories(parent))
      return fail("cannot create directory '" + parent +
                  "': " + error.message());
  if (llvm::sys::fs::is_directory(path))
    return fail("is a directory, expected a measurement store file");

  sqlite3 *db = nullptr;
  int status =
      sqlite3_open_v2(path.str().c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (status != SQLITE_OK) {
    std::string reason = db ? sqlite3_errmsg(db) : sqlite3_errstr(status);
    sqlite3_close(db);
    return fail("cannot open: " + reason);
  }
  // Another collect or a reader may hold the write lock for a moment.
  sqlite3_busy_timeout(db, 10000);
  if (std::optional<std::string> reason = initializeOrValidate(db)) {
    sqlite3_close(db);
    return fail(*reason);
  }
  return std::unique_ptr<MeasurementStore>(new MeasurementStore(
      db, path.str(), KernelFeatures::getFeatureNames().size()));
}

MeasurementStore::~MeasurementStore() { sqlite3_close(db); }

bool MeasurementStore::contains(llvm::StringRef target,
                                llvm::StringRef kernelKey,
                                llvm::StringRef schedule) {
  Statement query(db, "SELECT 1 FROM measurements WHERE target = ? AND "
                      "kernel_key = ? AND schedule = ?");
  if (!query)
    return false;
  query.bindText(1, target);
  query.bindText(2, kernelKey);
  query.bindText(3, schedule);
  return sqlite3_step(query.get()) == SQLITE_ROW;
}

llvm::Error MeasurementStore::add(const Measurement &measurement) {
  if (measurement.features.size() != featureCount)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        path + ": measurement of '" + measurement.kernelKey + "' has " +
            std::to_string(measurement.features.size()) +
            " features, the store expects " + std::to_string(featureCount));
  // An upsert rather than INSERT OR REPLACE keeps the row id, so load()
  // returns a re-measured kernel where it first appeared.
  Statement insert(
      db, "INSERT INTO measurements(target, kernel_key, op_name, schedule, "
          "source, features, median_seconds, spread, repeats, "
          "roofline_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT(target, kernel_key, schedule) DO UPDATE SET "
          "op_name = excluded.op_name, source = excluded.source, "
          "features = excluded.features, "
          "median_seconds = excluded.median_seconds, "
          "spread = excluded.spread, repeats = excluded.repeats, "
          "roofline_seconds = excluded.roofline_seconds, "
          "measured_at = CURRENT_TIMESTAMP");
  if (!insert)
    return makeError("cannot prepare insert");
  insert.bindText(1, measurement.target);
  insert.bindText(2, measurement.kernelKey);
  insert.bindText(3, measurement.opName);
  insert.bindText(4, measurement.schedule);
  insert.bindText(5, measurement.source);
  static_assert(sizeof(float) == 4, "features are stored as float32");
  sqlite3_bind_blob(insert.get(), 6, measurement.features.data(),
                    int(measurement.features.size() * sizeof(float)),
                    SQLITE_TRANSIENT);
  sqlite3_bind_double(insert.get(), 7, measurement.medianSeconds);
  sqlite3_bind_double(insert.get(), 8, measurement.spread);
  sqlite3_bind_int64(insert.get(), 9, measurement.repeats);
  sqlite3_bind_double(insert.get(), 10, measurement.rooflineSeconds);
  // Outside an explicit transaction the statement commits on its own.
  if (sqlite3_step(insert.get()) != SQLITE_DONE)
    return makeError("cannot store the measurement of '" +
                     measurement.kernelKey + "'");
  return llvm::Error::success();
}

llvm::Expected<std::vector<Measurement>>
MeasurementStore::load(llvm::StringRef target) {
  Statement query(db, "SELECT kernel_key, op_name, schedule, source, "
                      "features, median_seconds, spread, repeats, "
                      "roofline_seconds FROM measurements WHERE target = ? "
                      "ORDER BY id");
  if (!query)
    return makeError("cannot prepare query");
  query.bindText(1, target);
  std::vector<Measurement> measurements;
  int status;
  while ((status = sqlite3_step(query.get())) == SQLITE_ROW) {
    Measurement &m = measurements.emplace_back();
    m.target = target.str();
    m.kernelKey = query.getText(0);
    m.opName = query.getText(1);
    m.schedule = query.getText(2);
    m.source = query.getText(3);
    const void *blob = sqlite3_column_blob(query.get(), 4);
    size_t bytes = sqlite3_column_bytes(query.get(), 4);
    if (bytes != featureCount * sizeof(float))
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          path + ": measurement of '" + m.kernelKey +
              "' has a feature row of " + std::to_string(bytes) +
              " bytes, expected " +
              std::to_string(featureCount * sizeof(float)));
    m.features.resize(featureCount);
    if (bytes)
      std::memcpy(m.features.data(), blob, bytes);
    m.medianSeconds = sqlite3_column_double(query.get(), 5);
    m.spread = sqlite3_column_double(query.get(), 6);
    m.repeats = sqlite3_column_int64(query.get(), 7);
    m.rooflineSeconds = sqlite3_column_double(query.get(), 8);
  }
  if (status != SQLITE_DONE)
    return makeError("cannot read measurements");
  return measurements;
}

int64_t MeasurementStore::count(llvm::StringRef target) {
  Statement query(db, "SELECT count(*) FROM measurements WHERE target = ?");
  if (!query)
    return 0;
  query.bindText(1, target);
  if (sqlite3_step(query.get()) != SQLITE_ROW)
    return 0;
  return sqlite3_column_int64(query.get(), 0);
}
