//===- ShapeInference.cpp - shape arithmetic for nn ops -------------------===//
//
// Implements the shape helpers declared in ShapeInference.h.
//
//===----------------------------------------------------------------------===//

#include "kiln/dialects/nn/ShapeInference.h"

#include "llvm/Support/CheckedArithmetic.h"

#include <algorithm>
#include <cassert>

using namespace kiln::nn;

static bool isDynamic(int64_t dim) { return dim == kDynamicDim; }

std::optional<llvm::SmallVector<int64_t>>
kiln::nn::broadcastShapes(llvm::ArrayRef<int64_t> lhs,
                          llvm::ArrayRef<int64_t> rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  llvm::SmallVector<int64_t> result(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    // Align from the trailing dimension; missing leading dims act as 1.
    int64_t a = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t b = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (a == 1) {
      result[i] = b;
      continue;
    }
    if (b == 1 || a == b) {
      result[i] = a;
      continue;
    }
    if (isDynamic(a) || isDynamic(b)) {
      // The static side decides; a mismatch can only show at run time.
      result[i] = isDynamic(a) ? b : a;
      continue;
    }
    return std::nullopt;
  }
  return result;
}

std::optional<int64_t> kiln::nn::slidingWindowOutputSize(
    int64_t inputSize, int64_t windowSize, int64_t stride, int64_t dilation,
    int64_t padBegin, int64_t padEnd, bool ceilMode) {
  assert(stride > 0 && dilation > 0 && windowSize > 0 && padBegin >= 0 &&
         padEnd >= 0 && "window attributes must be validated first");
  if (isDynamic(inputSize))
    return kDynamicDim;
  // span = dilation * (window - 1) + 1; padded = input + padBegin + padEnd.
  std::optional<int64_t> span =
      llvm::checkedMulAdd(dilation, windowSize - 1, int64_t(1));
  std::optional<int64_t> padded = llvm::checkedAdd(inputSize, padBegin);
  if (padded)
    padded = llvm::checkedAdd(*padded, padEnd);
  if (!span || !padded)
    return std::nullopt;
  int64_t room = *padded - *span;
  int64_t steps;
  if (room >= 0) {
    // room / stride, rounded up in ceil mode without overflowing.
    steps = room / stride + (ceilMode && room % stride != 0 ? 1 : 0);
  } else {
    // Only ceil mode fits a window that overhangs the padded input, and only
    // by less than one stride (PyTorch: floor((room + stride - 1) / stride)).
    if (!ceilMode || room <= -stride)
      return 0;
    steps = 0;
  }
  int64_t count = steps + 1;
  // With ceil mode the last window must start inside the input or the begin
  // padding, never entirely in the end padding.
  if (ceilMode) {
    std::optional<int64_t> lastStart = llvm::checkedMul(steps, stride);
    if (!lastStart || *lastStart >= inputSize + padBegin)
      --count;
  }
  return count;
}

std::optional<llvm::SmallVector<int64_t>>
kiln::nn::matmulShape(llvm::ArrayRef<int64_t> lhs,
                      llvm::ArrayRef<int64_t> rhs) {
  if (lhs.empty() || rhs.empty())
    return std::nullopt;
  // Promote 1-D operands to matrices, remembering to drop the unit dim.
  llvm::SmallVector<int64_t> a(lhs), b(rhs);
  bool lhsVector = a.size() == 1, rhsVector = b.size() == 1;
  if (lhsVector)
    a.insert(a.begin(), 1);
  if (rhsVector)
    b.push_back(1);
  int64_t k1 = a.back(), k2 = b[b.size() - 2];
  if (!isDynamic(k1) && !isDynamic(k2) && k1 != k2)
    return std::nullopt;
  auto batch = broadcastShapes(llvm::ArrayRef(a).drop_back(2),
                               llvm::ArrayRef(b).drop_back(2));
  if (!batch)
    return std::nullopt;
  llvm::SmallVector<int64_t> result = *batch;
  if (!lhsVector)
    result.push_back(a[a.size() - 2]);
  if (!rhsVector)
    result.push_back(b.back());
  return result;
}

std::optional<int64_t> kiln::nn::productOfDims(llvm::ArrayRef<int64_t> dims) {
  if (llvm::is_contained(dims, kDynamicDim))
    return kDynamicDim;
  std::optional<int64_t> product = 1;
  for (int64_t dim : dims)
    if (!(product = llvm::checkedMul(*product, dim)))
      return std::nullopt;
  return product;
}

bool kiln::nn::isPermutation(llvm::ArrayRef<int64_t> perm) {
  llvm::SmallVector<bool> seen(perm.size(), false);
  for (int64_t p : perm) {
    if (p < 0 || p >= static_cast<int64_t>(perm.size()) || seen[p])
      return false;
    seen[p] = true;
  }
  return true;
}

int64_t kiln::nn::sliceOutputSize(int64_t start, int64_t end, int64_t step) {
  assert(step != 0 && "slice step must be non-zero");
  // Bounds are normalized (within [-1, dim]), so the distance cannot
  // overflow; the step's magnitude may be 2^63, hence unsigned arithmetic.
  int64_t distance = step > 0 ? end - start : start - end;
  if (distance <= 0)
    return 0;
  uint64_t magnitude =
      step > 0 ? static_cast<uint64_t>(step) : 0 - static_cast<uint64_t>(step);
  return static_cast<int64_t>(
      (static_cast<uint64_t>(distance) - 1) / magnitude + 1);
}
