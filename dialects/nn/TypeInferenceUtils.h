//===- TypeInferenceUtils.h - helpers of the nn ops' type inference -*- C++
//-*-//
//
// Private to dialects/nn: the small checks that the inferReturnTypes
// functions of every op family share (NNTypeInference.cpp, NNWindowTypes.cpp,
// NNIndexingOps.cpp). Each returns failure after emitting one diagnostic at
// the optional location, so inference doubles as verification.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_NN_TYPEINFERENCEUTILS_H
#define KILN_DIALECTS_NN_TYPEINFERENCEUTILS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Value.h"

#include <optional>
#include <string>

namespace kiln::nn::detail {

using InferredTypes = llvm::SmallVectorImpl<mlir::Type>;
using OptLoc = std::optional<mlir::Location>;

/// Returns the ranked tensor type of `value`, or null (the ODS constraints
/// report non-ranked operands; inference must not crash before they run).
inline mlir::RankedTensorType rankedType(mlir::Value value) {
  return value ? llvm::dyn_cast<mlir::RankedTensorType>(value.getType())
               : nullptr;
}
inline mlir::RankedTensorType rankedType(mlir::Type type) {
  return llvm::dyn_cast_if_present<mlir::RankedTensorType>(type);
}

/// Returns true when two dimension sizes may be equal.
inline bool dimsMayMatch(int64_t lhs, int64_t rhs) {
  return mlir::ShapedType::isDynamic(lhs) || mlir::ShapedType::isDynamic(rhs) ||
         lhs == rhs;
}

/// Returns true when two shapes have the same rank and may be equal.
bool shapesMayMatch(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs);

/// Prints a shape as `2x?x3` (or `scalar`) for diagnostics.
std::string formatShape(llvm::ArrayRef<int64_t> shape);

/// Checks that a window attribute (`strides`, `pads`, ...) has `expected`
/// entries, each at least `minimum`.
mlir::LogicalResult checkWindowAttr(OptLoc loc, llvm::StringRef name,
                                    llvm::ArrayRef<int64_t> values,
                                    size_t expected, int64_t minimum);

/// Checks that `axis` is a dimension of a tensor of rank `rank`.
mlir::LogicalResult checkAxis(OptLoc loc, int64_t axis, int64_t rank);

} // namespace kiln::nn::detail

#endif // KILN_DIALECTS_NN_TYPEINFERENCEUTILS_H
