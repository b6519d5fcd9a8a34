//===- ShapeInference.cpp - shape arithmetic for nn ops -------------------===//
//
// Implements the shape helpers declared in ShapeInference.h.
//
//===----------------------------------------------------------------------===//

#include "kiln/dialects/nn/ShapeInference.h"

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

int64_t kiln::nn::slidingWindowOutputSize(int64_t inputSize, int64_t windowSize,
                                          int64_t stride, int64_t dilation,
                                          int64_t padBegin, int64_t padEnd,
                                          bool ceilMode) {
  assert(stride > 0 && dilation > 0 && "stride and dilation must be positive");
  if (isDynamic(inputSize))
    return kDynamicDim;
  int64_t span = dilation * (windowSize - 1) + 1;
  int64_t room = inputSize + padBegin + padEnd - span;
  if (room < 0)
    return 0;
  int64_t count = (ceilMode ? (room + stride - 1) / stride : room / stride) + 1;
  // With ceil mode the last window must start inside the input or the begin
  // padding, never entirely in the end padding.
  if (ceilMode && (count - 1) * stride >= inputSize + padBegin)
    --count;
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

int64_t kiln::nn::productOfDims(llvm::ArrayRef<int64_t> dims) {
  int64_t product = 1;
  for (int64_t dim : dims) {
    if (isDynamic(dim))
      return kDynamicDim;
    product *= dim;
  }
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
  int64_t distance = step > 0 ? end - start : start - end;
  int64_t magnitude = step > 0 ? step : -step;
  if (distance <= 0)
    return 0;
  return (distance + magnitude - 1) / magnitude;
}
