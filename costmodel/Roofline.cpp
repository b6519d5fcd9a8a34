//===- Roofline.cpp - kernel features and the analytical estimate
//----------===//
//
// Features of an nn op or fusion region under a schedule, and the roofline
// estimate on CPU, GPU and FPGA targets; docs/costmodel.md states the rules.
//
//===----------------------------------------------------------------------===//

#include "kiln/costmodel/CostModel.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace kiln::cost;

llvm::StringRef kiln::cost::getBoundName(Bound bound) {
  switch (bound) {
  case Bound::Compute:
    return "compute";
  case Bound::Memory:
    return "memory";
  case Bound::Overhead:
    return "overhead";
  case Bound::None:
    return "none";
  }
  llvm_unreachable("unknown bound");
}

//===----------------------------------------------------------------------===//
// Features
//===----------------------------------------------------------------------===//

namespace {

/// The nn ops the learned model tells apart, in a fixed order (their index
/// is a feature); anything else shares the last code.
const llvm::StringRef kOpCodes[] = {"nn.conv2d",
                                    "nn.conv3d",
                                    "nn.conv_transpose",
                                    "nn.matmul",
                                    "nn.batch_matmul",
                                    "nn.gemm",
                                    "nn.linear",
                                    "nn.max_pool2d",
                                    "nn.avg_pool2d",
                                    "nn.global_avg_pool",
                                    "nn.softmax",
                                    "nn.layer_norm",
                                    "nn.batch_norm",
                                    "nn.reduce_mean",
                                    "nn.reduce_sum",
                                    "nn.transpose",
                                    "nn.concat",
                                    "nn.slice",
                                    "nn.gather",
                                    "nn.pad",
                                    "nn.resize",
                                    "nn.fusion",
                                    "nn.add",
                                    "nn.mul",
                                    "nn.relu",
                                    "nn.clip",
                                    "nn.sigmoid",
                                    "nn.gelu",
                                    "nn.silu",
                                    "nn.hardswish",
                                    "nn.tanh",
                                    "nn.exp",
                                    "nn.cast",
                                    "nn.quantize",
                                    "nn.dequantize"};

int64_t getOpCode(llvm::StringRef name) {
  const auto *it = llvm::find(kOpCodes, name);
  return it - std::begin(kOpCodes);
}

/// The precision a kernel computes in: that of its widest-used input kind,
/// quantized storage counting as int8.
std::pair<Precision, int64_t> getPrecision(Operation *op) {
  Precision precision = Precision::F32;
  int64_t bits = 32;
  for (Type type : op->getOperandTypes()) {
    auto shaped = dyn_cast<ShapedType>(type);
    if (!shaped)
      continue;
    Type element = shaped.getElementType();
    if (auto quantized = dyn_cast<quant::QuantizedType>(element))
      return {Precision::I8, quantized.getStorageTypeIntegralWidth()};
    if (element.isF16())
      return {Precision::F16, 16};
    if (element.isBF16())
      return {Precision::BF16, 16};
    if (element.isF64())
      bits = 64;
  }
  return {precision, bits};
}

} // namespace

FailureOr<KernelFeatures> kiln::cost::extractFeatures(Operation *op,
                                                      const Schedule &schedule,
                                                      std::string &error) {
  FailureOr<OpWork> work = computeOpWork(op, error);
  if (failed(work))
    return failure();
  KernelFeatures kernel;
  kernel.opName = op->getName().getStringRef().str();
  kernel.work = *work;
  kernel.schedule = schedule;
  if (op->getNumResults())
    if (auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType()))
      kernel.outputShape.assign(type.getShape().begin(), type.getShape().end());
  if (kernel.opName == "nn.fusion") {
    kernel.fusedOps = 0;
    for (Operation &inner : op->getRegion(0).front()) {
      if (!isLayerOp(&inner))
        continue;
      ++kernel.fusedOps;
      kernel.contraction |= isContraction(&inner);
      kernel.reductionSize =
          std::max(kernel.reductionSize, getReductionSize(&inner));
      auto [precision, bits] = getPrecision(&inner);
      if (bits != 32 || precision != Precision::F32)
        std::tie(kernel.precision, kernel.elementBits) =
            std::make_pair(precision, bits);
    }
  } else {
    kernel.reductionSize = getReductionSize(op);
    kernel.contraction = isContraction(op);
    std::tie(kernel.precision, kernel.elementBits) = getPrecision(op);
  }
  if (auto density = op->getAttrOfType<FloatAttr>("kiln.density"))
    kernel.density = density.getValueAsDouble();
  return kernel;
}

llvm::ArrayRef<llvm::StringRef> KernelFeatures::getFeatureNames() {
  static const llvm::StringRef names[] = {"op_code",
                                          "log_flops",
                                          "log_bytes_read",
                                          "log_bytes_written",
                                          "log_intensity",
                                          "element_bits",
                                          "log_out_0",
                                          "log_out_1",
                                          "log_out_2",
                                          "log_out_3",
                                          "rank",
                                          "log_reduction",
                                          "fused_ops",
                                          "density",
                                          "tile_0",
                                          "tile_1",
                                          "tile_2",
                                          "tile_3",
                                          "log_tiles_0",
                                          "log_tiles_1",
                                          "log_tiles_2",
                                          "log_tiles_3",
                                          "log_tile_volume",
                                          "vector_bits",
                                          "parallel_degree",
                                          "log_working_set_over_l1",
                                          "log_working_set_over_l2",
                                          "log_roofline_seconds",
                                          "roofline_memory_bound",
                                          "target_log_peak",
                                          "target_log_bandwidth",
                                          "target_simd_bits"};
  return names;
}

std::vector<float> KernelFeatures::toVector(const TargetSpec &target) const {
  auto logOf = [](double value) { return float(std::log2(1.0 + value)); };
  std::vector<float> row;
  row.push_back(getOpCode(opName));
  row.push_back(logOf(work.flops));
  row.push_back(logOf(work.bytesRead));
  row.push_back(logOf(work.bytesWritten));
  row.push_back(logOf(work.getIntensity()));
  row.push_back(elementBits);
  // The output shape right-aligned to four dimensions (NCHW; a matrix is
  // 1x1xMxN), sizes beyond the fourth folded into the first.
  double padded[4] = {1, 1, 1, 1};
  for (size_t i = 0; i < outputShape.size(); ++i) {
    size_t slot = outputShape.size() - 1 - i;
    int index = 3 - int(std::min<size_t>(i, 3));
    padded[index] *= std::max<int64_t>(outputShape[slot], 1);
  }
  for (double size : padded)
    row.push_back(logOf(size));
  row.push_back(outputShape.size());
  row.push_back(logOf(reductionSize));
  row.push_back(fusedOps);
  row.push_back(density);
  // Tile sizes apply to the leading loops, which for the ops Kiln tiles
  // (convolutions, matrix products, pooling, elementwise) run over the
  // leading output dimensions: how many tiles each makes, and how many
  // output elements one tile covers.
  double tileVolume = 1;
  llvm::SmallVector<float, 4> tileCounts;
  for (size_t i = 0; i < 4; ++i) {
    int64_t tile = i < schedule.tileSizes.size() ? schedule.tileSizes[i] : 0;
    int64_t dim =
        i < outputShape.size() ? std::max<int64_t>(1, outputShape[i]) : 1;
    int64_t covered = tile > 0 ? std::min(tile, dim) : dim;
    tileVolume *= covered;
    tileCounts.push_back(
        float(std::log2(std::ceil(double(dim) / double(covered)))));
    row.push_back(logOf(tile));
  }
  for (size_t i = 4; i < outputShape.size(); ++i)
    tileVolume *= std::max<int64_t>(1, outputShape[i]);
  row.insert(row.end(), tileCounts.begin(), tileCounts.end());
  row.push_back(logOf(tileVolume));
  // 0 is the compiler's own choice, which need not be the SIMD width.
  row.push_back(schedule.vectorBits);
  row.push_back(schedule.parallelDegree);
  double workingSet = work.getBytes();
  double l1 = target.memory.size() > 1 ? target.memory[0].sizeBytes : 0;
  double l2 = target.memory.size() > 2 ? target.memory[1].sizeBytes : l1;
  row.push_back(l1 > 0 ? float(std::log2((1 + workingSet) / l1)) : 0.0f);
  row.push_back(l2 > 0 ? float(std::log2((1 + workingSet) / l2)) : 0.0f);
  Estimate roofline = estimateRoofline(*this, target);
  row.push_back(float(std::log2(roofline.rooflineSeconds * 1e9)));
  row.push_back(roofline.bound == Bound::Memory ? 1.0f : 0.0f);
  row.push_back(logOf(target.getPeak(precision)));
  row.push_back(logOf(target.memory.back().bandwidthPerUnit));
  row.push_back(target.simdBits);
  return row;
}

//===----------------------------------------------------------------------===//
// Roofline
//===----------------------------------------------------------------------===//

namespace {

/// DSP slices per multiply-accumulate and LUTs per lane on an FPGA, by
/// precision (an f32 multiply-add takes about five DSP48s, a 16-bit one two,
/// and two int8 products share one).
double getDspPerMac(Precision precision) {
  switch (precision) {
  case Precision::F32:
    return 5;
  case Precision::F16:
  case Precision::BF16:
    return 2;
  case Precision::I8:
    return 0.5;
  }
  return 5;
}

double getLutPerLane(Precision precision) {
  switch (precision) {
  case Precision::F32:
    return 400;
  case Precision::F16:
  case Precision::BF16:
    return 200;
  case Precision::I8:
    return 40;
  }
  return 400;
}

Estimate estimateFpga(const KernelFeatures &kernel, const TargetSpec &target) {
  const FpgaResources &device = *target.fpga;
  double flops = kernel.work.flops * kernel.density;
  double macs = flops / 2;
  double dspPerMac = getDspPerMac(kernel.precision);
  bool contraction = kernel.contraction && macs > 0;
  double bytesPerCycle = target.memory.back().bandwidthTotal / target.clockHz;
  // Contractions use every DSP; other arithmetic runs in LUT lanes, as many
  // as main memory delivers elements per cycle (more would wait for data).
  double lanes = contraction
                     ? std::floor(device.dsp / dspPerMac)
                     : std::ceil(bytesPerCycle * 8 /
                                 std::max<int64_t>(8, kernel.elementBits));
  double work = contraction ? macs : flops;
  lanes = std::max(1.0, std::min(lanes, work));
  double computeCycles = work / lanes;
  double memoryCycles = kernel.work.getBytes() / bytesPerCycle;
  // Pipeline fill: the depth of a multiply-add tree over the reduction.
  double depth = 10 + 4 * std::ceil(std::log2(1.0 + kernel.reductionSize));
  FpgaUsage usage;
  usage.cycles = std::max(computeCycles, memoryCycles) + depth;
  usage.dsp = contraction ? int64_t(std::ceil(lanes * dspPerMac)) : 0;
  usage.lut =
      int64_t(lanes * getLutPerLane(kernel.precision) / (contraction ? 4 : 1)) +
      2000;
  usage.ff = 2 * usage.lut;
  // Buffers: what one pass reads, up to the on-chip capacity, in 18 Kb
  // (2304-byte) block RAMs.
  double onChip = target.memory.size() > 1 ? target.memory[0].sizeBytes : 0;
  usage.bram18k =
      int64_t(std::ceil(std::min(kernel.work.bytesRead, onChip) / 2304));
  usage.lut = std::min(usage.lut, device.lut);
  usage.ff = std::min(usage.ff, device.ff);
  usage.dsp = std::min(usage.dsp, device.dsp);
  usage.bram18k = std::min(usage.bram18k, device.bram18k);

  Estimate estimate;
  estimate.computeSeconds = computeCycles / target.clockHz;
  estimate.memorySeconds = memoryCycles / target.clockHz;
  estimate.memoryLevel = target.memory.back().name;
  estimate.rooflineSeconds =
      usage.cycles / target.clockHz + target.launchOverhead;
  estimate.bound =
      computeCycles >= memoryCycles ? Bound::Compute : Bound::Memory;
  estimate.fpga = usage;
  return estimate;
}

} // namespace

Estimate kiln::cost::estimateRoofline(const KernelFeatures &kernel,
                                      const TargetSpec &target) {
  Estimate estimate;
  if (kernel.work.flops == 0 && kernel.work.getBytes() == 0) {
    // A view (reshape, flatten): no kernel runs.
    estimate.bound = Bound::None;
    return estimate;
  }
  if (target.kind == TargetKind::FPGA && target.fpga) {
    estimate = estimateFpga(kernel, target);
  } else {
    double outputs = 1;
    for (int64_t size : kernel.outputShape)
      outputs *= std::max<int64_t>(size, 1);
    double units = std::clamp<double>(kernel.schedule.parallelDegree, 1,
                                      target.computeUnits);
    Precision precision = kernel.precision;
    if (target.kind == TargetKind::GPU) {
      // A GPU kernel spreads over one SM per 2048 outputs, up to all; only
      // contractions reach the tensor-core peaks of narrow types.
      units = std::clamp(std::ceil(outputs / 2048), 1.0,
                         double(target.computeUnits));
      if (!kernel.contraction)
        precision = Precision::F32;
    }
    double peak = target.getPeak(precision) * units;
    if (kernel.elementBits > 32)
      peak *= 32.0 / kernel.elementBits;
    if (target.kind == TargetKind::CPU && kernel.schedule.vectorBits > 0 &&
        target.simdBits > 0)
      peak *= std::min<double>(kernel.schedule.vectorBits, target.simdBits) /
              target.simdBits;
    estimate.computeSeconds = kernel.work.flops * kernel.density / peak;

    // The innermost level whose capacity (private levels: one per unit
    // used) holds the working set serves it.
    double workingSet = kernel.work.getBytes();
    const MemoryLevel *serving = &target.memory.back();
    for (const MemoryLevel &level : target.memory) {
      double capacity =
          level.sharedBy > 1 ? level.sizeBytes : level.sizeBytes * units;
      if (level.sizeBytes == 0 || workingSet <= capacity) {
        serving = &level;
        break;
      }
    }
    double bandwidth = units <= 1 ? serving->bandwidthPerUnit
                                  : std::min(serving->bandwidthTotal,
                                             serving->bandwidthPerUnit * units);
    estimate.memorySeconds = workingSet / bandwidth;
    estimate.memoryLevel = serving->name;
    double busy = std::max(estimate.computeSeconds, estimate.memorySeconds);
    estimate.rooflineSeconds = busy + target.launchOverhead;
    estimate.bound = target.launchOverhead > busy ? Bound::Overhead
                     : estimate.computeSeconds >= estimate.memorySeconds
                         ? Bound::Compute
                         : Bound::Memory;
  }
  estimate.seconds = estimate.low = estimate.high = estimate.rooflineSeconds;
  return estimate;
}
