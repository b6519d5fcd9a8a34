//===- OpWork.h - analytical work counts of nn ops --------------*- C++ -*-===//
//
// The first layer of Kiln's cost model: how much arithmetic an `nn` op does
// and how many bytes it moves, from its operand and result types and
// attributes alone. These counts are target-independent; the roofline
// estimate and the learned correction build on them.
//
// Conventions (docs/costmodel.md lists them per op):
// - A FLOP is one scalar arithmetic operation in the op's reference
//   formulation; a multiply-accumulate is two, a transcendental function
//   (exp, tanh, erf, ...) one. Comparisons and selects count one, casts,
//   copies and index arithmetic none.
// - Bytes read are every operand's full size except where the op reads only
//   part of it (slice, gather: the elements it picks plus the indices);
//   bytes written are every result's size. Reshape and flatten are views
//   and move nothing.
// - A fusion region counts the FLOPs of its body and the bytes of the
//   region's own operands and results: intermediates stay in registers or
//   cache, which is the point of fusing.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COSTMODEL_OPWORK_H
#define KILN_COSTMODEL_OPWORK_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/OperationSupport.h"

#include <string>

namespace kiln::cost {

/// Work of one op.
struct OpWork {
  double flops = 0;
  double bytesRead = 0;
  double bytesWritten = 0;

  double getBytes() const { return bytesRead + bytesWritten; }
  /// FLOPs per byte moved (0 for an op that moves nothing).
  double getIntensity() const {
    return getBytes() > 0 ? flops / getBytes() : 0;
  }
  OpWork &operator+=(const OpWork &other) {
    flops += other.flops;
    bytesRead += other.bytesRead;
    bytesWritten += other.bytesWritten;
    return *this;
  }
};

/// Returns true for ops that compute something (every `nn` op except
/// `nn.constant` and `nn.yield`, which are data and terminators).
bool isLayerOp(mlir::Operation *op);

/// Returns true for convolutions and matrix products: multiply-accumulates
/// that tensor cores and DSP slices speed up.
bool isContraction(mlir::Operation *op);

/// Elements combined into each output: the multiply-accumulates per output
/// of a convolution or matrix product (per input of a transposed
/// convolution), the window of a pool, the reduced elements of a reduction;
/// 1 for elementwise work.
int64_t getReductionSize(mlir::Operation *op);

/// Returns true if computeOpWork has a formula for ops named `name`.
bool hasWorkFormula(mlir::OperationName name);

/// Counts the work of `op`, which must have ranked tensor operands and
/// results with static shapes; returns failure with a reason in `error`
/// otherwise, or for an op without a formula.
mlir::FailureOr<OpWork> computeOpWork(mlir::Operation *op, std::string &error);

/// Returns the size in bytes of a statically shaped tensor type (elements of
/// quantized types take their storage width; i1 takes a byte).
double getTensorBytes(mlir::Type type);

} // namespace kiln::cost

#endif // KILN_COSTMODEL_OPWORK_H
