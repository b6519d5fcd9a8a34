//===- TorchImporter.h - shared by the graph walker and converters -*- C++ -*-//
//
// Private to lib/torch. TorchImporter walks a frozen, inlined TorchScript
// graph and keeps, for every graph value, an Entry: a tensor computed by the
// model (an SSA value), a value known at import time (ints, floats, bools,
// strings, None, and parameter tensors frozen into constants), or a list /
// tuple of entries. Scalar and list arithmetic on known values (shape checks,
// size computations) is evaluated here, so only tensor computation becomes nn
// ops. Each `aten::` op is converted by a function registered by name; a
// converter sees the node through AtenContext.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_TORCH_TORCHIMPORTER_H
#define KILN_LIB_TORCH_TORCHIMPORTER_H

#include "kiln/dialects/nn/NNBuilders.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"

#include <torch/csrc/jit/ir/ir.h>

#include <memory>
#include <optional>
#include <vector>

namespace kiln::torchimport {

/// What the importer knows of one TorchScript value.
struct Entry {
  /// A tensor the model computes.
  mlir::Value tensor;
  /// A value known at import time (scalars, None, strings, lists of
  /// scalars, frozen parameter tensors).
  std::optional<c10::IValue> constant;
  /// A list or tuple whose elements may be tensors.
  std::optional<std::vector<std::shared_ptr<Entry>>> elements;
};

class TorchImporter;

/// What a converter sees of one node.
class AtenContext {
public:
  AtenContext(TorchImporter &importer, torch::jit::Node *node);

  torch::jit::Node *getNode() const { return node; }
  mlir::OpBuilder &getBuilder();
  mlir::MLIRContext *getContext();
  mlir::Location getLoc() const { return loc; }

  /// Emits the node's one error line (op, schema, source location, `what`)
  /// and returns failure.
  mlir::LogicalResult fail(const llvm::Twine &what) const;

  unsigned getNumInputs() const { return node->inputs().size(); }
  /// Returns true when input `index` is the constant None.
  bool isNone(unsigned index);
  /// Returns input `index` as a tensor SSA value (materializing constants).
  mlir::FailureOr<mlir::Value> getTensor(unsigned index);
  /// Returns the ranked tensor type of input `index`.
  mlir::FailureOr<mlir::RankedTensorType> getTensorType(unsigned index);
  /// Returns true when input `index` is a tensor (computed or constant).
  bool isTensor(unsigned index);
  /// Return a known scalar / list input; fail naming `what` otherwise.
  mlir::FailureOr<int64_t> getInt(unsigned index, llvm::StringRef what);
  mlir::FailureOr<double> getDouble(unsigned index, llvm::StringRef what);
  mlir::FailureOr<bool> getBool(unsigned index, llvm::StringRef what);
  mlir::FailureOr<std::string> getString(unsigned index, llvm::StringRef what);
  mlir::FailureOr<llvm::SmallVector<int64_t>> getInts(unsigned index,
                                                      llvm::StringRef what);
  /// Returns input `index` as a number when it is a known int, float, bool
  /// or single-element constant tensor; never reports an error.
  std::optional<double> tryGetKnownNumber(unsigned index);
  /// Returns true when input `index` is a number: a known scalar or a known
  /// rank-0 tensor (which, like a Python number, takes the other operand's
  /// element type in arithmetic).
  bool isNumber(unsigned index);
  /// Returns the shared entry of input `index`, or null.
  std::shared_ptr<Entry> getInputShared(unsigned index);
  /// Returns the entry of list input `index` (to append to), or fails.
  mlir::FailureOr<Entry *> getListEntry(unsigned index);
  /// Returns the elements of a list input of tensors.
  mlir::FailureOr<llvm::SmallVector<mlir::Value>> getTensors(unsigned index);

  /// Builds an op with inferred result types (one result), turning a
  /// rejected shape into the node's error line.
  template <typename OpTy, typename... Args>
  mlir::FailureOr<mlir::Value> create(Args &&...args) {
    mlir::OperationState state(loc, OpTy::getOperationName());
    OpTy::build(getBuilder(), state, mlir::TypeRange(),
                std::forward<Args>(args)...);
    return buildChecked(state, &OpTy::inferReturnTypes);
  }
  /// Builds an op with the given result type.
  template <typename OpTy, typename... Args>
  mlir::FailureOr<mlir::Value> createTyped(mlir::Type resultType,
                                           Args &&...args) {
    mlir::OperationState state(loc, OpTy::getOperationName());
    OpTy::build(getBuilder(), state,
                mlir::TypeRange(llvm::ArrayRef<mlir::Type>(resultType)),
                std::forward<Args>(args)...);
    return buildChecked(state, nullptr);
  }
  /// Builds a rank-0 `nn.constant` of `value` in `elementType`.
  mlir::FailureOr<mlir::Value> createScalar(mlir::Type elementType,
                                            double value);
  /// Builds an `nn.reshape` of `input` to `shape` (nothing when equal).
  mlir::FailureOr<mlir::Value> createReshape(mlir::Value input,
                                             llvm::ArrayRef<int64_t> shape);

  /// Returns `dim` in [0, rank), accepting [-rank, rank).
  mlir::FailureOr<int64_t> normalizeDim(int64_t dim, int64_t rank);

  void setOutput(unsigned index, mlir::Value value);
  /// Sets output 0 to `result` when it succeeded; returns its status.
  mlir::LogicalResult setResult(mlir::FailureOr<mlir::Value> result);
  void setConstant(unsigned index, c10::IValue value);
  void setList(unsigned index, std::vector<std::shared_ptr<Entry>> elements);
  /// Makes output `index` the same entry as input `input`.
  void setAlias(unsigned index, unsigned input);

private:
  mlir::FailureOr<mlir::Value> buildChecked(mlir::OperationState &state,
                                            kiln::nn::InferReturnTypesFn infer);
  mlir::FailureOr<Entry *> getEntry(unsigned index);
  mlir::FailureOr<c10::IValue> getConstant(unsigned index,
                                           llvm::StringRef what);

  TorchImporter &importer;
  torch::jit::Node *node;
  mlir::Location loc;
};

/// Converts one node: sets every output or fails through ctx.fail().
using AtenConverter = mlir::LogicalResult (*)(AtenContext &ctx);
using AtenRegistry = llvm::StringMap<AtenConverter>;

/// Convolution, pooling, normalization, linear layers and matrix products.
void addLayerConverters(AtenRegistry &registry);
/// The fused transformer encoder layer of nn.TransformerEncoderLayer's fast
/// path, as nn ops.
void addTransformerConverters(AtenRegistry &registry);
/// Elementwise arithmetic and activations.
void addElementwiseConverters(AtenRegistry &registry);
/// Shape and data movement: view, reshape, flatten, permute, cat, ...
void addShapeConverters(AtenRegistry &registry);
/// Recurrent layers (LSTM, GRU, Elman RNN) unrolled over the sequence, and
/// the zeros / ones factories their initial states come from.
void addRecurrentConverters(AtenRegistry &registry);

/// Returns the MLIR element type of a LibTorch scalar type, or null.
mlir::Type getElementType(mlir::MLIRContext *context, c10::ScalarType type);

/// Walks one graph into one function.
class TorchImporter {
public:
  TorchImporter(mlir::MLIRContext &context, llvm::StringRef fileName);

  /// Imports `graph` (the frozen, inlined forward method) with its tensor
  /// inputs typed `inputTypes`.
  mlir::OwningOpRef<mlir::ModuleOp>
  importGraph(torch::jit::Graph &graph,
              llvm::ArrayRef<mlir::RankedTensorType> inputTypes);

  mlir::MLIRContext *getContext() { return &context; }
  mlir::OpBuilder &getBuilder() { return builder; }
  llvm::StringRef getFileName() const { return fileName; }

  /// Emits `<file>: <message>` as one error line.
  mlir::LogicalResult emitFileError(const llvm::Twine &message);

  Entry *lookup(const torch::jit::Value *value);
  std::shared_ptr<Entry> lookupShared(const torch::jit::Value *value);
  void define(const torch::jit::Value *value, std::shared_ptr<Entry> entry);
  /// Returns the tensor SSA value of `entry`, creating an `nn.constant` for
  /// a frozen tensor on first use; fails with a description otherwise.
  mlir::FailureOr<mlir::Value> materialize(Entry &entry, llvm::StringRef name,
                                           std::string &error);
  /// Returns a location naming the TorchScript value `name`.
  mlir::Location getNameLoc(llvm::StringRef name);

private:
  mlir::LogicalResult importBlock(torch::jit::Block *block);
  mlir::LogicalResult importNode(torch::jit::Node *node);

  mlir::MLIRContext &context;
  std::string fileName;
  mlir::OpBuilder builder;
  llvm::DenseMap<const torch::jit::Value *, std::shared_ptr<Entry>> values;
};

/// Returns the converters by qualified op name (`aten::conv2d`).
const AtenRegistry &getAtenRegistry();

/// Evaluates a node whose inputs are all known scalars or lists (size and
/// shape arithmetic, comparisons). Returns true when it did.
mlir::FailureOr<bool> tryEvaluateScalarNode(AtenContext &ctx);

} // namespace kiln::torchimport

#endif // KILN_LIB_TORCH_TORCHIMPORTER_H
