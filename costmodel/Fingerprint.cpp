//===- Fingerprint.cpp - measure this CPU
//----------------------------------===//
//
// `kiln-cost fingerprint`: cores and caches from the operating system
// (sysconf, /sys/devices/system/cpu), SIMD width from the CPU's feature
// flags, and peaks measured by small kernels: independent chains of
// fused multiply-adds (f32), dot-product instructions (bf16, int8 VNNI;
// f16 FMA), and streaming reads over buffers sized for each memory level,
// on one core and on all cores at once.
//
//===----------------------------------------------------------------------===//

#include "kiln/costmodel/TargetSpec.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <memory>
#include <thread>
#include <unistd.h>
#include <vector>

#if defined(__x86_64__)
// GCC 12's reduction intrinsics (_mm512_reduce_add_*) read a variable
// before setting it, by design of their shuffles; do not warn for them.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#endif

using namespace kiln::cost;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Keeps results alive so the compiler cannot drop the measured work.
std::atomic<double> sink{0};

//===----------------------------------------------------------------------===//
// Compute kernels: each runs `iterations` rounds and returns the number of
// operations it did (a multiply-add counts 2).
//===----------------------------------------------------------------------===//

constexpr int kChains = 12; // enough independent FMAs to hide latency

/// Portable f32 kernel (GCC/Clang vector extension, 4 lanes).
double runF32Generic(int64_t iterations) {
  typedef float v4 __attribute__((vector_size(16)));
  v4 acc[kChains];
  for (int c = 0; c < kChains; ++c)
    acc[c] = v4{1.0f + c, 1.0f, 1.0f, 1.0f};
  v4 a = {0.999999f, 0.999999f, 0.999999f, 0.999999f};
  v4 b = {1e-7f, 1e-7f, 1e-7f, 1e-7f};
  for (int64_t i = 0; i < iterations; ++i)
    for (int c = 0; c < kChains; ++c)
      acc[c] = acc[c] * a + b;
  float total = 0;
  for (int c = 0; c < kChains; ++c)
    total += acc[c][0];
  sink = sink + total;
  return 2.0 * 4 * kChains * iterations;
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) double runF32Avx2(int64_t iterations) {
  __m256 acc[kChains];
  for (int c = 0; c < kChains; ++c)
    acc[c] = _mm256_set1_ps(1.0f + c);
  __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (int64_t i = 0; i < iterations; ++i)
    for (int c = 0; c < kChains; ++c)
      acc[c] = _mm256_fmadd_ps(acc[c], a, b);
  float lanes[8];
  for (int c = 1; c < kChains; ++c)
    acc[0] = _mm256_add_ps(acc[0], acc[c]);
  _mm256_storeu_ps(lanes, acc[0]);
  sink = sink + lanes[0];
  return 2.0 * 8 * kChains * iterations;
}

__attribute__((target("avx512f"))) double runF32Avx512(int64_t iterations) {
  __m512 acc[kChains];
  for (int c = 0; c < kChains; ++c)
    acc[c] = _mm512_set1_ps(1.0f + c);
  __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (int64_t i = 0; i < iterations; ++i)
    for (int c = 0; c < kChains; ++c)
      acc[c] = _mm512_fmadd_ps(acc[c], a, b);
  for (int c = 1; c < kChains; ++c)
    acc[0] = _mm512_add_ps(acc[0], acc[c]);
  sink = sink + _mm512_reduce_add_ps(acc[0]);
  return 2.0 * 16 * kChains * iterations;
}

/// bf16 pairs multiplied and accumulated into f32 (vdpbf16ps): 32 products
/// per instruction.
__attribute__((target("avx512f,avx512bf16"))) double
runBF16Avx512(int64_t iterations) {
  __m512 acc[kChains];
  for (int c = 0; c < kChains; ++c)
    acc[c] = _mm512_set1_ps(0.0f);
  __m512bh a = (__m512bh)_mm512_set1_epi16(0x3f80); // 1.0 in bf16
  __m512bh b = (__m512bh)_mm512_set1_epi16(0x3380); // ~6e-8
  for (int64_t i = 0; i < iterations; ++i)
    for (int c = 0; c < kChains; ++c)
      acc[c] = _mm512_dpbf16_ps(acc[c], a, b);
  for (int c = 1; c < kChains; ++c)
    acc[0] = _mm512_add_ps(acc[0], acc[c]);
  sink = sink + _mm512_reduce_add_ps(acc[0]);
  return 2.0 * 32 * kChains * iterations;
}

/// f16 fused multiply-adds (AVX512-FP16): 32 lanes.
__attribute__((target("avx512f,avx512fp16"))) double
runF16Avx512(int64_t iterations) {
  __m512h acc[kChains];
  for (int c = 0; c < kChains; ++c)
    acc[c] = _mm512_set1_ph((_Float16)1.0f);
  __m512h a = _mm512_set1_ph((_Float16)0.999f);
  __m512h b = _mm512_set1_ph((_Float16)0.001f);
  for (int64_t i = 0; i < iterations; ++i)
    for (int c = 0; c < kChains; ++c)
      acc[c] = _mm512_fmadd_ph(acc[c], a, b);
  for (int c = 1; c < kChains; ++c)
    acc[0] = _mm512_add_ph(acc[0], acc[c]);
  sink = sink + (double)_mm512_reduce_add_ph(acc[0]);
  return 2.0 * 32 * kChains * iterations;
}

/// u8 x s8 products summed in groups of four into i32 (vpdpbusd): 64
/// products per instruction.
__attribute__((target("avx512f,avx512vnni"))) double
runI8Avx512(int64_t iterations) {
  __m512i acc[kChains];
  for (int c = 0; c < kChains; ++c)
    acc[c] = _mm512_setzero_si512();
  __m512i a = _mm512_set1_epi8(1), b = _mm512_set1_epi8(1);
  for (int64_t i = 0; i < iterations; ++i)
    for (int c = 0; c < kChains; ++c)
      acc[c] = _mm512_dpbusd_epi32(acc[c], a, b);
  for (int c = 1; c < kChains; ++c)
    acc[0] = _mm512_add_epi32(acc[0], acc[c]);
  sink = sink + _mm512_reduce_add_epi32(acc[0]);
  return 2.0 * 64 * kChains * iterations;
}

/// Streaming read of `bytes` bytes (a multiple of 512), summed so that the
/// loads are not dropped.
__attribute__((target("avx512f"))) void readAvx512(const char *data,
                                                   size_t bytes) {
  __m512 acc[8];
  for (int c = 0; c < 8; ++c)
    acc[c] = _mm512_setzero_ps();
  for (size_t offset = 0; offset + 512 <= bytes; offset += 512)
    for (int c = 0; c < 8; ++c)
      acc[c] = _mm512_add_ps(
          acc[c], _mm512_load_ps((const float *)(data + offset + 64 * c)));
  for (int c = 1; c < 8; ++c)
    acc[0] = _mm512_add_ps(acc[0], acc[c]);
  sink = sink + _mm512_reduce_add_ps(acc[0]);
}

__attribute__((target("avx2"))) void readAvx2(const char *data, size_t bytes) {
  __m256 acc[8];
  for (int c = 0; c < 8; ++c)
    acc[c] = _mm256_setzero_ps();
  for (size_t offset = 0; offset + 256 <= bytes; offset += 256)
    for (int c = 0; c < 8; ++c)
      acc[c] = _mm256_add_ps(
          acc[c], _mm256_load_ps((const float *)(data + offset + 32 * c)));
  for (int c = 1; c < 8; ++c)
    acc[0] = _mm256_add_ps(acc[0], acc[c]);
  float lanes[8];
  _mm256_storeu_ps(lanes, acc[0]);
  sink = sink + lanes[0];
}
#endif

void readGeneric(const char *data, size_t bytes) {
  typedef float v4 __attribute__((vector_size(16)));
  v4 acc[4] = {};
  for (size_t offset = 0; offset + 64 <= bytes; offset += 64)
    for (int c = 0; c < 4; ++c)
      acc[c] += *(const v4 *)(data + offset + 16 * c);
  sink = sink + acc[0][0] + acc[1][0] + acc[2][0] + acc[3][0];
}

#if defined(__x86_64__)
#pragma GCC diagnostic pop
#endif

//===----------------------------------------------------------------------===//
// Host facts
//===----------------------------------------------------------------------===//

struct Features {
  bool avx2 = false, avx512 = false, avx512bf16 = false, avx512fp16 = false,
       avx512vnni = false;
};

Features detectFeatures() {
  Features features;
#if defined(__x86_64__)
  __builtin_cpu_init();
  features.avx2 =
      __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  features.avx512 = __builtin_cpu_supports("avx512f");
  // GCC 12's __builtin_cpu_supports lacks the newer names; read the kernel's
  // flags instead.
  if (auto buffer = llvm::MemoryBuffer::getFileAsStream("/proc/cpuinfo")) {
    llvm::StringRef text = (*buffer)->getBuffer();
    size_t flags = text.find("\nflags");
    if (flags != llvm::StringRef::npos) {
      llvm::StringRef line = text.substr(flags + 1).split('\n').first;
      llvm::SmallVector<llvm::StringRef> words;
      line.split(words, ' ');
      auto has = [&](llvm::StringRef flag) {
        return llvm::is_contained(words, flag);
      };
      features.avx512bf16 = features.avx512 && has("avx512_bf16");
      features.avx512fp16 = features.avx512 && has("avx512_fp16");
      features.avx512vnni = features.avx512 && has("avx512_vnni");
    }
  }
#endif
  return features;
}

std::string readSysFile(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFileAsStream(path);
  if (!buffer)
    return "";
  return (*buffer)->getBuffer().trim().str();
}

/// Parses "48K", "2048K", "32M".
double parseCacheSize(llvm::StringRef text) {
  double scale = 1;
  if (text.consume_back("K"))
    scale = 1024;
  else if (text.consume_back("M"))
    scale = 1024 * 1024;
  uint64_t value = 0;
  if (text.getAsInteger(10, value))
    return 0;
  return value * scale;
}

/// Counts the CPUs in a list such as "0-1,4".
int64_t countCpuList(llvm::StringRef list) {
  int64_t count = 0;
  llvm::SmallVector<llvm::StringRef> ranges;
  list.split(ranges, ',', -1, false);
  for (llvm::StringRef range : ranges) {
    auto [first, last] = range.split('-');
    int64_t lo = 0, hi = 0;
    if (first.trim().getAsInteger(10, lo))
      continue;
    if (last.empty() || last.trim().getAsInteger(10, hi))
      hi = lo;
    count += hi - lo + 1;
  }
  return std::max<int64_t>(count, 1);
}

struct CacheLevel {
  int level;
  double size;
  int64_t sharedBy;
};

std::vector<CacheLevel> readCaches() {
  std::vector<CacheLevel> caches;
  for (int index = 0; index < 8; ++index) {
    std::string dir =
        llvm::formatv("/sys/devices/system/cpu/cpu0/cache/index{0}", index);
    std::string type = readSysFile(dir + "/type");
    if (type.empty())
      break;
    if (type == "Instruction")
      continue;
    CacheLevel cache;
    if (llvm::StringRef(readSysFile(dir + "/level"))
            .getAsInteger(10, cache.level))
      continue;
    cache.size = parseCacheSize(readSysFile(dir + "/size"));
    cache.sharedBy = countCpuList(readSysFile(dir + "/shared_cpu_list"));
    if (cache.size > 0)
      caches.push_back(cache);
  }
  std::sort(caches.begin(), caches.end(),
            [](const CacheLevel &a, const CacheLevel &b) {
              return a.level < b.level;
            });
  return caches;
}

double readClockHz() {
  std::string text = readSysFile(
      "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq"); // kHz
  double khz = 0;
  if (!text.empty() && !llvm::StringRef(text).getAsDouble(khz) && khz > 0)
    return khz * 1e3;
  if (auto buffer = llvm::MemoryBuffer::getFileAsStream("/proc/cpuinfo")) {
    llvm::StringRef rest = (*buffer)->getBuffer();
    size_t at = rest.find("cpu MHz");
    if (at != llvm::StringRef::npos) {
      llvm::StringRef value =
          rest.substr(at).split('\n').first.split(':').second.trim();
      double mhz = 0;
      if (!value.getAsDouble(mhz))
        return mhz * 1e6;
    }
  }
  return 0;
}

std::string readModelName() {
  if (auto buffer = llvm::MemoryBuffer::getFileAsStream("/proc/cpuinfo")) {
    llvm::StringRef rest = (*buffer)->getBuffer();
    size_t at = rest.find("model name");
    if (at != llvm::StringRef::npos)
      return rest.substr(at).split('\n').first.split(':').second.trim().str();
  }
  return "unknown CPU";
}

//===----------------------------------------------------------------------===//
// Measurement
//===----------------------------------------------------------------------===//

/// Runs `kernel(iterations)` (returning operations done) until `seconds`
/// have passed, doubling the iteration count; returns the best rate of
/// three timed runs at the final size.
double measureRate(const std::function<double(int64_t)> &kernel,
                   double seconds) {
  int64_t iterations = 1000;
  while (true) {
    Clock::time_point start = Clock::now();
    kernel(iterations);
    if (secondsSince(start) > seconds / 8 || iterations > (int64_t(1) << 40))
      break;
    iterations *= 2;
  }
  double best = 0;
  for (int run = 0; run < 3; ++run) {
    Clock::time_point start = Clock::now();
    double operations = kernel(iterations);
    best = std::max(best, operations / secondsSince(start));
  }
  return best;
}

/// Runs `work` on `threads` threads at once and returns the sum of their
/// rates.
double measureParallel(int64_t threads,
                       const std::function<double(int64_t)> &work) {
  std::vector<double> rates(threads);
  std::vector<std::thread> pool;
  for (int64_t t = 0; t < threads; ++t)
    pool.emplace_back([&, t] { rates[t] = work(t); });
  for (std::thread &thread : pool)
    thread.join();
  double total = 0;
  for (double rate : rates)
    total += rate;
  return total;
}

using ReadKernel = void (*)(const char *, size_t);

/// Read bandwidth (bytes/s) over a buffer of `bytes`, best of several
/// passes lasting about `seconds` in all.
double measureRead(ReadKernel read, size_t bytes, double seconds) {
  bytes = std::max<size_t>(bytes / 512 * 512, 512);
  auto deleter = [](char *p) { std::free(p); };
  std::unique_ptr<char, decltype(deleter)> buffer(
      static_cast<char *>(std::aligned_alloc(64, bytes)), deleter);
  if (!buffer)
    return 0;
  for (size_t i = 0; i < bytes; i += 4)
    *reinterpret_cast<float *>(buffer.get() + i) = 1.0f;
  read(buffer.get(), bytes); // warm the level
  int64_t passes = 1;
  while (true) {
    Clock::time_point start = Clock::now();
    for (int64_t p = 0; p < passes; ++p)
      read(buffer.get(), bytes);
    if (secondsSince(start) > seconds / 8 || passes > (int64_t(1) << 30))
      break;
    passes *= 2;
  }
  double best = 0;
  for (int run = 0; run < 3; ++run) {
    Clock::time_point start = Clock::now();
    for (int64_t p = 0; p < passes; ++p)
      read(buffer.get(), bytes);
    best = std::max(best, double(bytes) * passes / secondsSince(start));
  }
  return best;
}

} // namespace

TargetSpec kiln::cost::fingerprintHostCpu(
    llvm::function_ref<void(llvm::StringRef)> progress, bool quick) {
  TargetSpec spec;
  spec.name = "cpu";
  spec.kind = TargetKind::CPU;
  spec.computeUnits = std::max<long>(1, sysconf(_SC_NPROCESSORS_ONLN));
  spec.clockHz = readClockHz();
  Features features = detectFeatures();
  spec.simdBits = features.avx512 ? 512 : features.avx2 ? 256 : 128;
  spec.description =
      llvm::formatv("{0}, {1} cores, {2}-bit SIMD", readModelName(),
                    spec.computeUnits, spec.simdBits);
  char date[32];
  std::time_t now = std::time(nullptr);
  std::strftime(date, sizeof(date), "%Y-%m-%d", std::gmtime(&now));
  spec.provenance =
      (llvm::Twine("measured by kiln-cost fingerprint on ") + date).str();
  // A call into compiled model code costs about this much.
  spec.launchOverhead = 0.2e-6;

  // Quick mode (for tests) measures a tenth as long and reads main memory
  // from a smaller buffer: the same procedure, noisier numbers.
  const double computeSeconds = quick ? 0.03 : 0.3;
  std::function<double(int64_t)> f32 = runF32Generic;
  ReadKernel read = readGeneric;
#if defined(__x86_64__)
  if (features.avx2) {
    f32 = runF32Avx2;
    read = readAvx2;
  }
  if (features.avx512) {
    f32 = runF32Avx512;
    read = readAvx512;
  }
#endif
  progress("peak f32 multiply-add rate");
  spec.peakPerUnit[static_cast<int>(Precision::F32)] =
      measureRate(f32, computeSeconds);
#if defined(__x86_64__)
  if (features.avx512bf16) {
    progress("peak bf16 dot-product rate (avx512_bf16)");
    spec.peakPerUnit[static_cast<int>(Precision::BF16)] =
        measureRate(runBF16Avx512, computeSeconds);
  }
  if (features.avx512fp16) {
    progress("peak f16 multiply-add rate (avx512_fp16)");
    spec.peakPerUnit[static_cast<int>(Precision::F16)] =
        measureRate(runF16Avx512, computeSeconds);
  }
  if (features.avx512vnni) {
    progress("peak int8 dot-product rate (avx512_vnni)");
    spec.peakPerUnit[static_cast<int>(Precision::I8)] =
        measureRate(runI8Avx512, computeSeconds);
  }
#endif

  // Memory levels: a buffer of half of each cache level, then main memory
  // with a buffer well beyond the last cache.
  std::vector<CacheLevel> caches = readCaches();
  double lastCache = caches.empty() ? 32e6 : caches.back().size;
  const double readSeconds = quick ? 0.02 : 0.2;
  auto addLevel = [&](llvm::StringRef name, double size, int64_t sharedBy,
                      size_t bufferBytes) {
    progress(("read bandwidth of " + name).str());
    MemoryLevel level;
    level.name = name.str();
    level.sizeBytes = size;
    level.sharedBy = sharedBy;
    level.bandwidthPerUnit = measureRead(read, bufferBytes, readSeconds);
    // All cores at once, each on its own buffer; a shared level divides the
    // buffer among its sharers so that the whole still fits.
    size_t perThread = sharedBy > 1 && size > 0
                           ? bufferBytes / std::min(sharedBy, spec.computeUnits)
                           : bufferBytes;
    if (size == 0)
      perThread = bufferBytes / spec.computeUnits;
    level.bandwidthTotal = measureParallel(spec.computeUnits, [&](int64_t) {
      return measureRead(read, perThread, readSeconds);
    });
    spec.memory.push_back(level);
  };
  for (const CacheLevel &cache : caches)
    addLevel(("L" + llvm::Twine(cache.level)).str(), cache.size, cache.sharedBy,
             static_cast<size_t>(cache.size / 2));
  size_t dramBytes = static_cast<size_t>(
      quick ? 64.0 * (1 << 20)
            : std::clamp(4 * lastCache, 256.0 * (1 << 20), 2048.0 * (1 << 20)));
  addLevel("DRAM", 0, spec.computeUnits, dramBytes);
  return spec;
}
