//===- TargetSpec.h - hardware targets as data ------------------*- C++ -*-===//
//
// What the cost model knows about a piece of hardware: compute peaks per
// precision, the memory hierarchy with sizes and bandwidths, launch
// overhead and, for FPGAs, resources and clock. A CPU spec is measured by
// `kiln-cost fingerprint`; GPU and FPGA specs are built-in tables of
// published figures. Specs are JSON files (docs/costmodel.md documents the
// format); no pass or estimator carries hardware numbers of its own.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COSTMODEL_TARGETSPEC_H
#define KILN_COSTMODEL_TARGETSPEC_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>

namespace kiln::cost {

/// The version of the spec file format this code reads and writes.
inline constexpr int64_t kTargetSpecVersion = 1;

enum class TargetKind { CPU, GPU, FPGA };

llvm::StringRef getTargetKindName(TargetKind kind);

/// Element precisions with their own compute peak.
enum class Precision { F32, F16, BF16, I8 };
inline constexpr Precision kAllPrecisions[] = {Precision::F32, Precision::F16,
                                               Precision::BF16, Precision::I8};

llvm::StringRef getPrecisionName(Precision precision);

/// One level of the memory hierarchy, innermost first; the last is main
/// memory (DRAM, HBM, board DDR).
struct MemoryLevel {
  std::string name;
  /// Capacity of one instance in bytes (0 for main memory: unbounded).
  double sizeBytes = 0;
  /// How many compute units (cores, SMs) share one instance.
  int64_t sharedBy = 1;
  /// Sustained read bandwidth of one compute unit, and of all together.
  double bandwidthPerUnit = 0; // bytes/s
  double bandwidthTotal = 0;   // bytes/s
};

/// FPGA fabric resources (whole device).
struct FpgaResources {
  int64_t lut = 0;
  int64_t ff = 0;
  int64_t dsp = 0;
  int64_t bram18k = 0;
  int64_t uram = 0;
};

struct TargetSpec {
  std::string name;
  TargetKind kind = TargetKind::CPU;
  std::string description;
  /// Where the numbers come from: "measured by kiln-cost fingerprint on
  /// <date>" or the published source of a table.
  std::string provenance;
  /// Compute units: CPU cores, GPU SMs, FPGA super logic regions.
  int64_t computeUnits = 1;
  /// SIMD register width in bits (CPU), warp width x 32 (GPU), 0 (FPGA).
  int64_t simdBits = 0;
  double clockHz = 0;
  /// Peak operations per second of one compute unit, per precision
  /// (multiply-accumulate counted as 2); 0 where the target has no fast path
  /// for a precision, which then runs at the f32 rate.
  double peakPerUnit[4] = {0, 0, 0, 0};
  llvm::SmallVector<MemoryLevel, 4> memory;
  /// Fixed cost of starting one kernel (a call on a CPU, a launch on a GPU).
  double launchOverhead = 0; // seconds
  std::optional<FpgaResources> fpga;

  /// Peak of one compute unit at `precision` (falls back to f32).
  double getPeak(Precision precision) const;
};

/// Reads a spec from JSON text; errors name `fileName` and the field.
llvm::Expected<TargetSpec> parseTargetSpec(llvm::StringRef json,
                                           llvm::StringRef fileName);

/// Reads a spec file.
llvm::Expected<TargetSpec> readTargetSpecFile(llvm::StringRef path);

/// Writes `spec` as pretty-printed JSON.
std::string printTargetSpec(const TargetSpec &spec);

/// Writes `spec` to `path` atomically (a temporary file renamed into place).
llvm::Error writeTargetSpecFile(llvm::StringRef path, const TargetSpec &spec);

/// Names of the built-in tables ("sm_80", "sm_90", "u250").
llvm::ArrayRef<llvm::StringRef> getBuiltinTargetNames();

/// Returns a built-in table, or nullopt for an unknown name.
std::optional<TargetSpec> getBuiltinTarget(llvm::StringRef name);

/// Kiln's cache directory: $KILN_CACHE_DIR, else $XDG_CACHE_HOME/kiln, else
/// ~/.cache/kiln. It holds cpu.json, measurements.sqlite and models/.
std::string getKilnCacheDir();

/// Where `kiln-cost fingerprint` keeps this machine's CPU spec by default:
/// $KILN_CACHE_DIR, else $XDG_CACHE_HOME/kiln, else ~/.cache/kiln, plus
/// "cpu.json".
std::string getDefaultCpuSpecPath();

/// Resolves a --target: a built-in name, "cpu" (the fingerprint at
/// getDefaultCpuSpecPath(), which must exist), or the path of a spec file.
llvm::Expected<TargetSpec> resolveTarget(llvm::StringRef target);

/// Measures this CPU (see Fingerprint.cpp); `progress` receives one line per
/// step. Takes a few seconds; `quick` measures a tenth as long (tests).
TargetSpec
fingerprintHostCpu(llvm::function_ref<void(llvm::StringRef)> progress,
                   bool quick = false);

} // namespace kiln::cost

#endif // KILN_COSTMODEL_TARGETSPEC_H
