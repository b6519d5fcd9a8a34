//===- KernelMatchers.h - what kiln-cpu-microkernels folds into calls -*- C++
//-*-===//
//
// Private to passes/lowering: the buffer-level patterns kiln-cpu-microkernels
// folds into its kernel calls -- a zero-padded copy a convolution can read
// in place, and the bias init and elementwise activation around a product
// that the fused kernels apply while storing. Matching has no side effects
// but one: matchEpilogue moves the activation's output allocation above the
// product when it fuses (the kernel writes it there).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_LOWERING_KERNELMATCHERS_H
#define KILN_PASSES_LOWERING_KERNELMATCHERS_H

#include "kiln/cpu/kiln_kernels.h"

#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "mlir/IR/ValueRange.h"
#include "mlir/Support/LLVM.h"
#include <limits>
#include <optional>

namespace kiln::lowering {

using mlir::ArrayRef;
using mlir::Operation;
using mlir::SmallVector;
using mlir::Value;
using mlir::ValueRange;

/// A zero-padded copy of an image that a convolution can read in place
/// (its kernels pad implicitly): the image, the padding before its first
/// row and column, and the ops that made the copy.
struct FoldablePad {
  Value source;
  int64_t top = 0, left = 0;
  SmallVector<Operation *> ops; // erased in this order
};

/// Matches `input` of `consumer` as
///   %p = memref.alloc ; zero fill of %p ;
///   memref.copy %src, (memref.subview %p [0, 0, top, left] [sizes of %src])
/// with %p used by nothing else (but deallocs), and nothing between the
/// copy and `consumer` that may write %src.
std::optional<FoldablePad> matchFoldablePad(Value input, Operation *consumer);

/// An activation the fused kernels apply while storing: one of
/// KILN_MK_ACT_* with its two parameters.
struct Activation {
  int64_t kind = KILN_MK_ACT_NONE;
  float lo = -std::numeric_limits<float>::infinity();
  float hi = std::numeric_limits<float>::infinity();
};

/// An epilogue a contraction kernel can apply while storing its output:
/// the bias (or zero) the output buffer was initialized with, and an
/// elementwise activation (ReLU, ReLU6, clip, SiLU, hardswish) applied
/// right after.
struct FusableEpilogue {
  Value bias; // 1-D memref; null for a zero init
  Activation activation;
  Value target;                 // the buffer the kernel writes
  SmallVector<Operation *> ops; // erased, in this order, after the rewrite
};

/// Matches the output buffer `out` of the contraction `consumer` as
///   %out = memref.alloc ; linalg.broadcast %bias (dims `biasDims`, or a
///   linalg.generic broadcasting it) or a zero fill into %out ; <consumer> ;
///   [activation generic %out (or a collapse_shape view of it) -> %dst] ;
///   memref.dealloc %out
/// with %out used by nothing else; `inputs` are the buffers the kernel
/// reads, which %dst must not alias.
std::optional<FusableEpilogue> matchEpilogue(Value out, Operation *consumer,
                                             ArrayRef<int64_t> biasDims,
                                             ValueRange inputs);

} // namespace kiln::lowering

#endif // KILN_PASSES_LOWERING_KERNELMATCHERS_H
