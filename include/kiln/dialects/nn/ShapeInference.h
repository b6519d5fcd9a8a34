//===- ShapeInference.h - shape arithmetic for nn ops -----------*- C++ -*-===//
//
// Pure functions on shapes (lists of dimension sizes, where
// mlir::ShapedType::kDynamic marks an unknown size) that the nn ops use to
// infer result types. They know nothing about ops or diagnostics, so they are
// unit-tested directly and reusable by the frontends.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_NN_SHAPEINFERENCE_H
#define KILN_DIALECTS_NN_SHAPEINFERENCE_H

#include "mlir/IR/BuiltinTypeInterfaces.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>

namespace kiln::nn {

/// Marker for a dimension whose size is not known at compile time.
constexpr int64_t kDynamicDim = mlir::ShapedType::kDynamic;

/// Returns the NumPy broadcast of `lhs` and `rhs`, or std::nullopt when two
/// static sizes differ and neither is 1. A dynamic size broadcast against 1
/// stays dynamic; against a static size other than 1 it takes that size.
std::optional<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs);

/// Returns the number of windows a sliding window (convolution or pooling)
/// produces along one dimension:
/// floor((in + padBegin + padEnd - dilation * (window - 1) - 1) / stride) + 1,
/// rounded up instead with `ceilMode`, where a window that would start in the
/// end padding is dropped (PyTorch and ONNX opset 19 agree on this). Returns
/// kDynamicDim for a dynamic input, 0 when no window fits, and std::nullopt
/// when the arithmetic overflows int64_t.
std::optional<int64_t> slidingWindowOutputSize(int64_t inputSize,
                                               int64_t windowSize,
                                               int64_t stride, int64_t dilation,
                                               int64_t padBegin, int64_t padEnd,
                                               bool ceilMode = false);

/// Returns the result shape of numpy.matmul(lhs, rhs), or std::nullopt when
/// an operand is 0-D, the contracted sizes differ, or batch dimensions do not
/// broadcast.
std::optional<llvm::SmallVector<int64_t>>
matmulShape(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs);

/// Returns the product of `dims`, kDynamicDim if any of them is dynamic, or
/// std::nullopt when the product overflows int64_t.
std::optional<int64_t> productOfDims(llvm::ArrayRef<int64_t> dims);

/// Returns true when `perm` holds each of 0 .. perm.size()-1 exactly once.
bool isPermutation(llvm::ArrayRef<int64_t> perm);

/// Returns the number of elements a slice with `step` != 0 selects between
/// `start` and `end` (see nn.slice for the normalized bounds).
int64_t sliceOutputSize(int64_t start, int64_t end, int64_t step);

} // namespace kiln::nn

#endif // KILN_DIALECTS_NN_SHAPEINFERENCE_H
