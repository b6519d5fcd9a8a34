//===- TargetSpec.cpp - hardware targets as data
//---------------------------===//
//
// The JSON spec format, the built-in GPU and FPGA tables, and finding the
// measured CPU spec.
//
//===----------------------------------------------------------------------===//

#include "kiln/costmodel/TargetSpec.h"
#include "kiln/runtime/AtomicFile.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

using namespace kiln::cost;
namespace json = llvm::json;

llvm::StringRef kiln::cost::getTargetKindName(TargetKind kind) {
  switch (kind) {
  case TargetKind::CPU:
    return "cpu";
  case TargetKind::GPU:
    return "gpu";
  case TargetKind::FPGA:
    return "fpga";
  }
  llvm_unreachable("unknown target kind");
}

llvm::StringRef kiln::cost::getPrecisionName(Precision precision) {
  switch (precision) {
  case Precision::F32:
    return "f32";
  case Precision::F16:
    return "f16";
  case Precision::BF16:
    return "bf16";
  case Precision::I8:
    return "i8";
  }
  llvm_unreachable("unknown precision");
}

double TargetSpec::getPeak(Precision precision) const {
  double peak = peakPerUnit[static_cast<int>(precision)];
  return peak > 0 ? peak : peakPerUnit[static_cast<int>(Precision::F32)];
}

//===----------------------------------------------------------------------===//
// JSON
//===----------------------------------------------------------------------===//

namespace {
/// Reads fields of one JSON object, remembering the first problem.
class FieldReader {
public:
  FieldReader(const json::Object &object, std::string path, std::string &error)
      : object(object), path(std::move(path)), error(error) {}

  bool fail(const llvm::Twine &what) {
    if (error.empty())
      error = (path + what).str();
    return false;
  }

  bool number(llvm::StringRef key, double &out, bool required = true) {
    const json::Value *value = object.get(key);
    if (!value)
      return required ? fail("." + key + " is missing") : true;
    std::optional<double> number = value->getAsNumber();
    if (!number || *number < 0)
      return fail("." + key + " must be a non-negative number");
    out = *number;
    return true;
  }

  bool integer(llvm::StringRef key, int64_t &out, bool required = true) {
    const json::Value *value = object.get(key);
    if (!value)
      return required ? fail("." + key + " is missing") : true;
    std::optional<int64_t> number = value->getAsInteger();
    if (!number || *number < 0)
      return fail("." + key + " must be a non-negative integer");
    out = *number;
    return true;
  }

  bool string(llvm::StringRef key, std::string &out, bool required = true) {
    const json::Value *value = object.get(key);
    if (!value)
      return required ? fail("." + key + " is missing") : true;
    std::optional<llvm::StringRef> text = value->getAsString();
    if (!text)
      return fail("." + key + " must be a string");
    out = text->str();
    return true;
  }

private:
  const json::Object &object;
  std::string path;
  std::string &error;
};
} // namespace

llvm::Expected<TargetSpec>
kiln::cost::parseTargetSpec(llvm::StringRef text, llvm::StringRef fileName) {
  auto failure = [&](const llvm::Twine &what) {
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        fileName + ": not a valid Kiln target spec: " + what);
  };
  llvm::Expected<json::Value> parsed = json::parse(text);
  if (!parsed)
    return failure(llvm::toString(parsed.takeError()));
  const json::Object *root = parsed->getAsObject();
  if (!root)
    return failure("expected a JSON object");

  std::string error;
  FieldReader fields(*root, "", error);
  TargetSpec spec;
  int64_t version = 0;
  std::string kind;
  fields.integer("kiln_target_spec", version);
  if (error.empty() && version != kTargetSpecVersion)
    return failure(llvm::formatv("format version {0}; this Kiln reads "
                                 "version {1}",
                                 version, kTargetSpecVersion));
  fields.string("name", spec.name);
  fields.string("kind", kind);
  fields.string("description", spec.description, /*required=*/false);
  fields.string("provenance", spec.provenance, /*required=*/false);
  fields.integer("compute_units", spec.computeUnits);
  fields.integer("simd_bits", spec.simdBits, /*required=*/false);
  double clockGHz = 0, overheadUs = 0;
  fields.number("clock_ghz", clockGHz);
  fields.number("launch_overhead_us", overheadUs, /*required=*/false);
  spec.clockHz = clockGHz * 1e9;
  spec.launchOverhead = overheadUs * 1e-6;
  if (!error.empty())
    return failure(error);
  if (kind == "cpu")
    spec.kind = TargetKind::CPU;
  else if (kind == "gpu")
    spec.kind = TargetKind::GPU;
  else if (kind == "fpga")
    spec.kind = TargetKind::FPGA;
  else
    return failure(".kind must be \"cpu\", \"gpu\" or \"fpga\"");
  if (spec.computeUnits < 1)
    return failure(".compute_units must be at least 1");

  const json::Object *peaks = root->getObject("peak_gops_per_unit");
  if (!peaks)
    return failure(".peak_gops_per_unit is missing (an object such as "
                   "{\"f32\": 83.2})");
  FieldReader peakFields(*peaks, ".peak_gops_per_unit", error);
  for (Precision precision : kAllPrecisions) {
    double gops = 0;
    peakFields.number(getPrecisionName(precision), gops,
                      /*required=*/precision == Precision::F32);
    spec.peakPerUnit[static_cast<int>(precision)] = gops * 1e9;
  }
  if (!error.empty())
    return failure(error);
  if (spec.peakPerUnit[0] <= 0)
    return failure(".peak_gops_per_unit.f32 must be positive");

  const json::Array *levels = root->getArray("memory");
  if (!levels || levels->empty())
    return failure(".memory is missing (a list of levels, innermost first)");
  for (auto [index, value] : llvm::enumerate(*levels)) {
    const json::Object *level = value.getAsObject();
    std::string path = llvm::formatv(".memory[{0}]", index);
    if (!level)
      return failure(path + " must be an object");
    FieldReader levelFields(*level, path, error);
    MemoryLevel memory;
    double perUnit = 0, total = 0;
    levelFields.string("name", memory.name);
    levelFields.number("size_bytes", memory.sizeBytes);
    levelFields.integer("shared_by", memory.sharedBy, /*required=*/false);
    levelFields.number("gbps_per_unit", perUnit);
    levelFields.number("gbps_total", total);
    if (!error.empty())
      return failure(error);
    if (perUnit <= 0 || total <= 0)
      return failure(path + ": bandwidths must be positive");
    memory.bandwidthPerUnit = perUnit * 1e9;
    memory.bandwidthTotal = total * 1e9;
    spec.memory.push_back(std::move(memory));
  }

  if (const json::Object *fpga = root->getObject("fpga")) {
    FieldReader fpgaFields(*fpga, ".fpga", error);
    FpgaResources resources;
    fpgaFields.integer("lut", resources.lut);
    fpgaFields.integer("ff", resources.ff);
    fpgaFields.integer("dsp", resources.dsp);
    fpgaFields.integer("bram_18k", resources.bram18k);
    fpgaFields.integer("uram", resources.uram, /*required=*/false);
    if (!error.empty())
      return failure(error);
    spec.fpga = resources;
  } else if (spec.kind == TargetKind::FPGA) {
    return failure(".fpga (resources) is missing for an FPGA target");
  }
  return spec;
}

llvm::Expected<TargetSpec>
kiln::cost::readTargetSpecFile(llvm::StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return llvm::createStringError(
        buffer.getError(),
        path + ": cannot read the target spec: " + buffer.getError().message());
  return parseTargetSpec((*buffer)->getBuffer(), path);
}

std::string kiln::cost::printTargetSpec(const TargetSpec &spec) {
  json::Object peaks;
  for (Precision precision : kAllPrecisions)
    if (double peak = spec.peakPerUnit[static_cast<int>(precision)])
      peaks[getPrecisionName(precision)] = peak / 1e9;
  json::Array levels;
  for (const MemoryLevel &level : spec.memory)
    levels.push_back(
        json::Object{{"name", level.name},
                     {"size_bytes", level.sizeBytes},
                     {"shared_by", level.sharedBy},
                     {"gbps_per_unit", level.bandwidthPerUnit / 1e9},
                     {"gbps_total", level.bandwidthTotal / 1e9}});
  json::Object root{{"kiln_target_spec", kTargetSpecVersion},
                    {"name", spec.name},
                    {"kind", getTargetKindName(spec.kind)},
                    {"description", spec.description},
                    {"provenance", spec.provenance},
                    {"compute_units", spec.computeUnits},
                    {"simd_bits", spec.simdBits},
                    {"clock_ghz", spec.clockHz / 1e9},
                    {"launch_overhead_us", spec.launchOverhead * 1e6},
                    {"peak_gops_per_unit", std::move(peaks)},
                    {"memory", std::move(levels)}};
  if (spec.fpga)
    root["fpga"] = json::Object{{"lut", spec.fpga->lut},
                                {"ff", spec.fpga->ff},
                                {"dsp", spec.fpga->dsp},
                                {"bram_18k", spec.fpga->bram18k},
                                {"uram", spec.fpga->uram}};
  return llvm::formatv("{0:2}", json::Value(std::move(root))).str() + "\n";
}

llvm::Error kiln::cost::writeTargetSpecFile(llvm::StringRef path,
                                            const TargetSpec &spec) {
  return kiln::writeFileAtomically(path, [&](llvm::raw_ostream &os) {
    os << printTargetSpec(spec);
    return llvm::Error::success();
  });
}

//===----------------------------------------------------------------------===//
// Built-in tables
//===----------------------------------------------------------------------===//

namespace {
MemoryLevel level(llvm::StringRef name, double sizeBytes, int64_t sharedBy,
                  double perUnitGBps, double totalGBps) {
  return {name.str(), sizeBytes, sharedBy, perUnitGBps * 1e9, totalGBps * 1e9};
}

/// A data-centre GPU from its published figures: whole-device peaks in
/// TOP/s (f32 on CUDA cores; f16/bf16 and int8 dense on tensor cores),
/// split evenly over its SMs.
TargetSpec makeGpu(llvm::StringRef name, llvm::StringRef description,
                   llvm::StringRef sources, int64_t sms, double clockGHz,
                   double f32Tops, double f16Tops, double i8Tops,
                   llvm::SmallVector<MemoryLevel, 4> memory,
                   double launchMicros) {
  TargetSpec spec;
  spec.name = name.str();
  spec.kind = TargetKind::GPU;
  spec.description = description.str();
  spec.provenance = ("published figures: " + sources +
                     "; on-chip bandwidths estimated from clock and port "
                     "widths")
                        .str();
  spec.computeUnits = sms;
  spec.simdBits = 32 * 32;
  spec.clockHz = clockGHz * 1e9;
  spec.peakPerUnit[0] = f32Tops * 1e12 / sms;
  spec.peakPerUnit[1] = f16Tops * 1e12 / sms;
  spec.peakPerUnit[2] = f16Tops * 1e12 / sms;
  spec.peakPerUnit[3] = i8Tops * 1e12 / sms;
  spec.memory = std::move(memory);
  spec.launchOverhead = launchMicros * 1e-6;
  return spec;
}

/// NVIDIA A100 SXM4 80 GB (sm_80), from NVIDIA's A100 datasheet and
/// Ampere architecture whitepaper: 108 SMs at 1.41 GHz boost; 19.5 TFLOP/s
/// f32 (CUDA cores), 312 TFLOP/s f16/bf16 and 624 TOP/s int8 dense on
/// tensor cores; 2039 GB/s HBM2e; 40 MB L2; 192 KB L1/shared per SM.
/// On-chip bandwidths are estimates from the clock and port widths.
TargetSpec makeA100() {
  return makeGpu(
      "sm_80", "NVIDIA A100 SXM4 80 GB (sm_80)",
      "NVIDIA A100 datasheet and Ampere whitepaper", 108, 1.41, 19.5, 312, 624,
      {level("L1/shared", 192 * 1024, 1, 180, 19400),
       level("L2", 40e6, 108, 50, 5000), level("HBM2e", 0, 108, 19, 2039)},
      4);
}

/// NVIDIA H100 SXM5 80 GB (sm_90), from NVIDIA's H100 datasheet and Hopper
/// whitepaper: 132 SMs at 1.98 GHz boost; 67 TFLOP/s f32, 989 TFLOP/s
/// f16/bf16 and 1979 TOP/s int8 dense on tensor cores; 3.35 TB/s HBM3;
/// 50 MB L2; 256 KB L1/shared per SM.
TargetSpec makeH100() {
  return makeGpu(
      "sm_90", "NVIDIA H100 SXM5 80 GB (sm_90)",
      "NVIDIA H100 datasheet and Hopper whitepaper", 132, 1.98, 67, 989, 1979,
      {level("L1/shared", 256 * 1024, 1, 250, 33000),
       level("L2", 50e6, 132, 60, 8000), level("HBM3", 0, 132, 25, 3350)},
      3);
}

/// AMD Alveo U250 (XCU250), from the Alveo U250 product brief: 1,728K LUTs,
/// 3,456K registers, 12,288 DSP slices, 2,688 36 Kb block RAMs (5,376 18 Kb
/// halves), 1,280 UltraRAMs, 64 GB DDR4 in four channels at 77 GB/s; kernels
/// at 300 MHz. Peaks assume every DSP busy: an int8 multiply-accumulate
/// pair per DSP per cycle, an f32 or f16 multiply-add per 5 or 2 DSPs.
TargetSpec makeU250() {
  TargetSpec spec;
  spec.name = "u250";
  spec.kind = TargetKind::FPGA;
  spec.description = "AMD Alveo U250 (XCU250 FPGA, 4 SLRs)";
  spec.provenance = "published figures: AMD Alveo U250 product brief; "
                    "peaks derived from DSP count and a 300 MHz kernel clock";
  spec.computeUnits = 4;
  spec.simdBits = 0;
  spec.clockHz = 300e6;
  double dspPerUnit = 12288.0 / 4;
  spec.peakPerUnit[0] = dspPerUnit / 5 * 2 * 300e6;
  spec.peakPerUnit[1] = dspPerUnit / 2 * 2 * 300e6;
  spec.peakPerUnit[2] = dspPerUnit / 2 * 2 * 300e6;
  spec.peakPerUnit[3] = dspPerUnit * 2 * 2 * 300e6;
  // On-chip RAM: every BRAM/URAM port delivers 8 bytes per cycle.
  spec.memory = {level("BRAM/URAM", 54e6, 4, 2000, 8000),
                 level("DDR4", 0, 4, 19.2, 77)};
  spec.launchOverhead = 10e-6;
  spec.fpga = FpgaResources{1728000, 3456000, 12288, 5376, 1280};
  return spec;
}
} // namespace

llvm::ArrayRef<llvm::StringRef> kiln::cost::getBuiltinTargetNames() {
  static const llvm::StringRef names[] = {"sm_80", "sm_90", "u250"};
  return names;
}

std::optional<TargetSpec> kiln::cost::getBuiltinTarget(llvm::StringRef name) {
  if (name == "sm_80")
    return makeA100();
  if (name == "sm_90")
    return makeH100();
  if (name == "u250")
    return makeU250();
  return std::nullopt;
}

std::string kiln::cost::getKilnCacheDir() {
  llvm::SmallString<256> path;
  if (std::optional<std::string> dir =
          llvm::sys::Process::GetEnv("KILN_CACHE_DIR")) {
    path = *dir;
  } else if (std::optional<std::string> xdg =
                 llvm::sys::Process::GetEnv("XDG_CACHE_HOME")) {
    path = *xdg;
    llvm::sys::path::append(path, "kiln");
  } else {
    llvm::sys::path::home_directory(path);
    llvm::sys::path::append(path, ".cache", "kiln");
  }
  return path.str().str();
}

std::string kiln::cost::getDefaultCpuSpecPath() {
  llvm::SmallString<256> path(getKilnCacheDir());
  llvm::sys::path::append(path, "cpu.json");
  return path.str().str();
}

llvm::Expected<TargetSpec> kiln::cost::resolveTarget(llvm::StringRef target) {
  if (std::optional<TargetSpec> builtin = getBuiltinTarget(target))
    return *builtin;
  if (target == "cpu") {
    std::string path = getDefaultCpuSpecPath();
    if (!llvm::sys::fs::exists(path))
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "target 'cpu': this machine has not been measured yet; run "
          "'kiln-cost fingerprint' (it writes " +
              path + ")");
    return readTargetSpecFile(path);
  }
  if (target.ends_with(".json"))
    return readTargetSpecFile(target);
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(),
      "unknown target '" + target +
          "' (expected cpu, sm_80, sm_90, u250 or a spec .json file)");
}
