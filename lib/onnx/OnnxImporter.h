//===- OnnxImporter.h - shared by the graph and op converters -*- C++ -*-===//
//
// Private to lib/onnx. The graph importer (GraphImporter.cpp) walks an ONNX
// graph in order and hands each node to a converter registered by op type;
// the converters, one file per op family, see the node through NodeContext:
// its attributes, its inputs as SSA values or as import-time constants
// (HostTensor), checked builders for nn ops, and one way to fail that prints
// the importer's single error line. Constant tensors stay lazy: an
// initializer becomes an `nn.constant` only where an op consumes it, so
// shape arguments that converters read at import time leave no trace.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_ONNX_ONNXIMPORTER_H
#define KILN_LIB_ONNX_ONNXIMPORTER_H

#include "kiln/onnx/ImportOnnx.h"

#include "kiln/dialects/nn/NNBuilders.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Operation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include "onnx/onnx_pb.h"

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kiln::onnximport {

/// Constants with more elements than this (and not splats) are stored as
/// `dense_resource` blobs rather than inline `dense` literals.
constexpr int64_t kMaxInlineElements = 64;
/// The import-time evaluator only computes with tensors up to this size
/// (splats of any size are fine): shape subgraphs are tiny, weights are not.
constexpr int64_t kMaxFoldElements = 4096;
/// Largest constant a converter may read on the host (scales, shapes).
constexpr int64_t kMaxHostReadElements = 1 << 20;

//===----------------------------------------------------------------------===//
// Tensors and types
//===----------------------------------------------------------------------===//

/// Returns the ONNX spelling of a TensorProto data type ("float", "uint8").
llvm::StringRef getDataTypeName(int32_t dataType);

/// Returns the MLIR element type of an ONNX data type, or null for the types
/// the nn dialect cannot hold (unsigned integers, strings, complex numbers).
mlir::Type convertDataType(mlir::MLIRContext *context, int32_t dataType);

/// Returns the size in bytes of one element of `dataType`, or 0 when the
/// importer does not handle the type at all (strings, complex numbers).
int64_t getDataTypeSize(int32_t dataType);

/// Returns the element count of `shape`, or std::nullopt when a dimension is
/// negative or the product overflows int64.
std::optional<int64_t> countElements(llvm::ArrayRef<int64_t> shape);

/// Converts a double to int64 truncating toward zero (ONNX Cast), with NaN
/// becoming 0 and out-of-range values saturating.
int64_t truncateToInt64(double value);

/// A tensor whose contents are known at import time, decoded for host
/// arithmetic: integers (any width, signed or not) and booleans as int64,
/// floating-point values as double. A splat stores one value for all
/// elements, so that ConstantOfShape of a large shape stays cheap.
struct HostTensor {
  int32_t dataType = 0;
  llvm::SmallVector<int64_t> shape;
  std::vector<int64_t> ints;
  std::vector<double> floats;
  bool splat = false;

  /// Returns true when the values live in `floats`.
  bool isFloat() const;
  /// Returns the element count (shapes are validated when built).
  int64_t getNumElements() const;
  /// Returns element `index` (row-major) converted to int64 / double.
  int64_t getInt(int64_t index) const;
  double getDouble(int64_t index) const;
  /// Creates a tensor of `dataType` and `shape` with no values yet.
  static HostTensor make(int32_t dataType, llvm::ArrayRef<int64_t> shape);
  /// Appends one value, converting it to the tensor's kind (and rounding or
  /// wrapping it to the data type, so results match what ONNX computes).
  void append(double value);
  void appendInt(int64_t value);
};

/// Reads the raw little-endian bytes of `tensor` (from raw_data or the typed
/// *_data fields) into `bytes`, with `owned` holding them when they had to be
/// packed. Returns a lower-case description of the problem on failure.
std::optional<std::string>
readTensorBytes(const onnx::TensorProto &tensor,
                llvm::SmallVectorImpl<int64_t> &shape, std::string &owned,
                llvm::StringRef &bytes);

/// Checks that the data of `tensor` (of any type, external data excepted)
/// matches its shape; libonnx's shape inference reads initializers without
/// that check. Returns a description of the problem.
std::optional<std::string> validateTensorData(const onnx::TensorProto &tensor);

/// Decodes `tensor` for host arithmetic; fails (with a description) for
/// tensors larger than `maxElements` or of unsupported types.
std::optional<std::string> decodeTensor(const onnx::TensorProto &tensor,
                                        int64_t maxElements, HostTensor &out);

/// Builds the attribute for a constant of `type` whose little-endian
/// element bytes are `bytes`: inline `dense` for small tensors, splats and
/// booleans, a `dense_resource` blob (keyed by `name`) otherwise.
mlir::ElementsAttr makeElementsAttr(mlir::RankedTensorType type,
                                    llvm::StringRef bytes,
                                    llvm::StringRef name);

/// Converts a host tensor to the attribute of its constant, or returns null
/// when its data type has no MLIR counterpart.
mlir::ElementsAttr hostTensorToAttr(mlir::MLIRContext *context,
                                    const HostTensor &tensor,
                                    llvm::StringRef name);

/// One ONNX value during import. A constant (initializer, Constant node or
/// import-time result) keeps its contents and gets an SSA value only once an
/// op consumes it.
struct TensorEntry {
  mlir::Value value;
  const onnx::TensorProto *proto = nullptr;
  std::shared_ptr<const HostTensor> host;
  /// Set for a graph input whose value is known at compile time
  /// (OnnxImportOptions::knownInputs): `value` is the function argument that
  /// computations use, `proto` the value that operands required to be
  /// constant may read, which specializes the model to it.
  std::string specializedInput;
  /// Set for an ONNX sequence: its elements, known at import time (sequence
  /// ops are resolved while importing; only tensors reach the nn dialect).
  std::optional<std::vector<std::shared_ptr<TensorEntry>>> sequence;

  /// Returns true for a constant that may be folded at import time.
  bool isConstant() const {
    return (proto || host) && specializedInput.empty();
  }
  /// Returns true when an operand required to be constant may read it.
  bool isKnown() const { return proto || host; }
};

class NodeContext;

/// Keeps the first diagnostic emitted while alive instead of printing it, so
/// that an nn op's or type's complaint becomes part of a node's error line.
class DiagnosticCapture {
public:
  explicit DiagnosticCapture(mlir::MLIRContext *context);
  const std::string &getMessage() const { return message; }

private:
  std::string message;
  mlir::ScopedDiagnosticHandler handler;
};

//===----------------------------------------------------------------------===//
// Graph importer
//===----------------------------------------------------------------------===//

/// Imports the main graph of a model into one function. Owns the table from
/// ONNX value names to TensorEntry and materializes constants on demand.
class GraphImporter {
public:
  GraphImporter(mlir::MLIRContext &context, llvm::StringRef fileName,
                const onnx::ModelProto &model, int64_t defaultOpset);

  /// Builds the module, with the graph inputs named in `constantInputs`
  /// (serialized TensorProtos) bound to constants; returns null after
  /// reporting the first problem.
  mlir::OwningOpRef<mlir::ModuleOp>
  importModel(const kiln::OnnxImportOptions &options);

  llvm::StringRef getFileName() const { return fileName; }
  mlir::MLIRContext *getContext() { return &context; }
  mlir::OpBuilder &getBuilder() { return builder; }

  /// Emits `<file>: <message>` as one error line.
  mlir::LogicalResult emitFileError(const llvm::Twine &message);

  /// Returns the entry of the value `name`, or null when nothing defines it.
  TensorEntry *lookup(llvm::StringRef name);
  std::shared_ptr<TensorEntry> lookupShared(llvm::StringRef name);
  /// Records the value `name` defined by the current node; entries are
  /// shared so that an alias (Identity) materializes one constant.
  void define(llvm::StringRef name, std::shared_ptr<TensorEntry> entry);
  /// Returns true when a node or a graph output consumes `name`.
  bool isUsed(llvm::StringRef name) const { return usedNames.contains(name); }

  /// Returns the SSA value of `entry`, creating its `nn.constant` at the
  /// builder's insertion point on first use. On failure returns a
  /// description of the problem.
  mlir::FailureOr<mlir::Value>
  materialize(TensorEntry &entry, llvm::StringRef name, std::string &error);

  /// Returns the location of values and ops named `name`.
  mlir::Location getNameLoc(llvm::StringRef name);

  /// Records that a converter read the known value of the graph input
  /// `name`, specializing the model to it.
  void noteSpecialized(llvm::StringRef name) {
    if (!llvm::is_contained(specializedUsed, name))
      specializedUsed.push_back(name.str());
  }

private:
  mlir::LogicalResult
  importInputs(mlir::Block &body, const OnnxImportOptions &options,
               llvm::SmallVectorImpl<mlir::Type> &types,
               llvm::SmallVectorImpl<llvm::StringRef> &names);
  mlir::LogicalResult
  bindConstantInputs(const llvm::StringMap<std::string> &constantInputs);
  mlir::LogicalResult importNode(const onnx::NodeProto &node);
  mlir::LogicalResult
  importOutputs(llvm::SmallVectorImpl<mlir::Value> &results);
  /// Returns a graph output of a quantized element type as its storage
  /// integers (unsigned for an unsigned storage), as ONNX declares it;
  /// other values unchanged.
  mlir::Value exposeQuantizedOutput(mlir::Value value, llvm::StringRef name);

  mlir::MLIRContext &context;
  std::string fileName;
  const onnx::ModelProto &model;
  int64_t defaultOpset;
  mlir::OpBuilder builder;
  llvm::StringMap<std::shared_ptr<TensorEntry>> values;
  llvm::StringSet<> usedNames;
  llvm::StringMap<int64_t> domainOpsets;
  /// Tensors bound to graph inputs; a deque keeps their addresses stable.
  std::deque<onnx::TensorProto> boundInputs;
  /// Known graph-input values read by converters, in first-use order.
  std::vector<std::string> specializedUsed;
};

//===----------------------------------------------------------------------===//
// Node context: what a converter sees of one node
//===----------------------------------------------------------------------===//

/// The interface between the graph importer and one op converter.
class NodeContext {
public:
  NodeContext(GraphImporter &graph, const onnx::NodeProto &node, int64_t opset);

  const onnx::NodeProto &getNode() const { return node; }
  llvm::StringRef getOpType() const { return node.op_type(); }
  int64_t getOpset() const { return opset; }
  mlir::MLIRContext *getContext() { return graph.getContext(); }
  mlir::OpBuilder &getBuilder() { return graph.getBuilder(); }
  mlir::Location getLoc() const { return loc; }
  /// The node's name, or its first output's name when it has none.
  llvm::StringRef getName() const { return name; }

  /// Emits `<file>: node '<name>' (<OpType>, opset <N>): <what>` and returns
  /// failure. Every converter failure goes through here, exactly once.
  mlir::LogicalResult fail(const llvm::Twine &what) const;

  // Inputs. ONNX marks an omitted optional input with an empty name.
  unsigned getNumInputs() const { return node.input_size(); }
  bool hasInput(unsigned index) const;
  /// Returns input `index` as an SSA value (materializing constants).
  mlir::FailureOr<mlir::Value> getInput(unsigned index);
  /// Returns the ranked tensor type of input `index`.
  mlir::FailureOr<mlir::RankedTensorType> getInputType(unsigned index);
  /// Returns the entry of input `index`, or fails when it is missing.
  mlir::FailureOr<TensorEntry *> getInputEntry(unsigned index);
  /// Returns the shared entry of input `index`, or fails when it is missing.
  mlir::FailureOr<std::shared_ptr<TensorEntry>> getInputShared(unsigned index);
  /// Returns the SSA value of `entry` (an element of a sequence), named
  /// `name` in errors.
  mlir::FailureOr<mlir::Value> materialize(TensorEntry &entry,
                                           llvm::StringRef name);
  /// Returns true when input `index` is present and known at import time.
  bool isConstantInput(unsigned index);
  /// Returns the contents of input `index`, failing with "<what> must be a
  /// constant" when it is not known at import time.
  mlir::FailureOr<std::shared_ptr<const HostTensor>>
  getConstantInput(unsigned index, llvm::StringRef what,
                   int64_t maxElements = kMaxHostReadElements);
  /// Returns the contents of input `index` when it is a constant of at most
  /// `maxElements` elements (or a splat), else null; never reports an error.
  /// Known graph-input values count only with `allowSpecialized` (for ops
  /// that cannot run at run time): folding them would move the model's
  /// computation into the importer.
  std::shared_ptr<const HostTensor>
  tryGetConstantInput(unsigned index, int64_t maxElements,
                      bool allowSpecialized = false);
  /// Returns a constant input's values as integers / doubles.
  mlir::FailureOr<llvm::SmallVector<int64_t>>
  getConstantInts(unsigned index, llvm::StringRef what);
  mlir::FailureOr<llvm::SmallVector<double>>
  getConstantFloats(unsigned index, llvm::StringRef what);

  // Attributes. A missing attribute gives the default; one of the wrong
  // kind fails.
  const onnx::AttributeProto *findAttribute(llvm::StringRef name) const;
  mlir::FailureOr<int64_t> getIntAttr(llvm::StringRef name,
                                      int64_t defaultValue);
  mlir::FailureOr<double> getFloatAttr(llvm::StringRef name,
                                       double defaultValue);
  mlir::FailureOr<std::string> getStringAttr(llvm::StringRef name,
                                             llvm::StringRef defaultValue);
  /// Returns std::nullopt when the attribute is absent.
  mlir::FailureOr<std::optional<llvm::SmallVector<int64_t>>>
  getIntsAttr(llvm::StringRef name);

  // Outputs.
  unsigned getNumOutputs() const { return node.output_size(); }
  /// Returns true when output `index` exists and something consumes it.
  bool isOutputUsed(unsigned index) const;
  /// Fails unless every output from `firstUnsupported` on is unused.
  mlir::LogicalResult checkOutputsUnused(unsigned firstUnsupported,
                                         llvm::StringRef why);
  void setOutput(unsigned index, mlir::Value value);
  /// Makes output `index` the value described by `entry` (shared, not
  /// copied, so that a constant materializes once).
  void setOutputEntry(unsigned index, std::shared_ptr<TensorEntry> entry);
  void setOutput(unsigned index, HostTensor tensor);
  void setOutput(unsigned index, const onnx::TensorProto &tensor);
  /// Makes output `outputIndex` the same value as input `inputIndex`.
  mlir::LogicalResult setOutputAlias(unsigned outputIndex, unsigned inputIndex);

  // Checked op builders: a shape or type that an nn op rejects becomes this
  // node's error line instead of an assertion.
  /// Builds an op whose result type is inferred from operands and attributes;
  /// `args` are those of the op's generated `build` after the result types.
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
  /// Builds an `nn.constant` of rank 0 holding `value` in `elementType`.
  mlir::FailureOr<mlir::Value> createScalar(mlir::Type elementType,
                                            double value);
  /// Builds an `nn.reshape` of `input` to `shape` (a no-op when equal).
  mlir::FailureOr<mlir::Value> createReshape(mlir::Value input,
                                             llvm::ArrayRef<int64_t> shape);

  /// Returns `axis` in [0, rank), accepting [-rank, rank); fails otherwise.
  mlir::FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank,
                                         llvm::StringRef what = "axis");
  /// Normalizes every axis, then sorts them and rejects duplicates.
  mlir::FailureOr<llvm::SmallVector<int64_t>>
  normalizeAxes(llvm::ArrayRef<int64_t> axes, int64_t rank);

private:
  mlir::FailureOr<mlir::Value> buildChecked(mlir::OperationState &state,
                                            kiln::nn::InferReturnTypesFn infer);
  void defineOutput(unsigned index, std::shared_ptr<TensorEntry> entry);

  GraphImporter &graph;
  const onnx::NodeProto &node;
  int64_t opset;
  std::string name;
  mlir::Location loc;
};

//===----------------------------------------------------------------------===//
// Converter registry
//===----------------------------------------------------------------------===//

/// Converts one node: sets every used output or fails through ctx.fail().
using NodeConverter = mlir::LogicalResult (*)(NodeContext &ctx);
using ConverterRegistry = llvm::StringMap<NodeConverter>;

/// Add, Sub, Mul, Div, Pow, Max, Min, Sum, Mean, Where, Cast, CastLike, Clip
/// and the unary activations and math functions.
void addElementwiseConverters(ConverterRegistry &registry);
/// Conv, Gemm, MatMul, BatchNormalization, LayerNormalization,
/// InstanceNormalization, Softmax and LogSoftmax.
void addLayerConverters(ConverterRegistry &registry);
/// MaxPool, AveragePool, global pooling and the reductions.
void addPoolingConverters(ConverterRegistry &registry);
/// Reshape, Flatten, Transpose, Concat, Split, Slice, Pad, Gather, Squeeze,
/// Unsqueeze, Expand, Identity and Dropout.
void addShapeConverters(ConverterRegistry &registry);
/// Tile, DepthToSpace, SpaceToDepth, GatherElements and Trilu.
void addRearrangeConverters(ConverterRegistry &registry);
/// Resize and Upsample.
void addResizeConverters(ConverterRegistry &registry);
/// CumSum, GatherND, ScatterElements, Scatter, ScatterND, TopK, OneHot and
/// EyeLike.
void addIndexingConverters(ConverterRegistry &registry);
/// Shrink and LRN, imported as compositions of nn ops.
void addComposedConverters(ConverterRegistry &registry);
/// QuantizeLinear and DequantizeLinear.
void addQuantConverters(ConverterRegistry &registry);
/// SequenceEmpty, SequenceConstruct, SequenceInsert, SequenceErase,
/// SequenceAt, SequenceLength, ConcatFromSequence and SplitToSequence, with
/// sequences resolved at import time.
void addSequenceConverters(ConverterRegistry &registry);
/// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss.
void addLossConverters(ConverterRegistry &registry);
/// Constant, and the ops that exist only as import-time constant evaluation
/// (Shape, Size, ConstantOfShape, Range, comparisons and logic).
void addConstantConverters(ConverterRegistry &registry);

/// Computes the node's outputs at import time when all its inputs are small
/// constants and the evaluator knows the op. Returns true when it did, false
/// when the node must be converted to ops, failure after an error.
mlir::FailureOr<bool> tryEvaluateNode(NodeContext &ctx,
                                      bool allowSpecialized = false);

/// Returns the explicit per-edge pads ([begins..., ends...]) of a sliding
/// window op from its `auto_pad` and `pads` attributes; SAME_UPPER and
/// SAME_LOWER need static spatial and kernel sizes.
mlir::FailureOr<llvm::SmallVector<int64_t>>
getWindowPads(NodeContext &ctx, llvm::ArrayRef<int64_t> spatialSizes,
              llvm::ArrayRef<int64_t> kernel, llvm::ArrayRef<int64_t> strides,
              llvm::ArrayRef<int64_t> dilations);

/// Checks a node of a default-domain opset below 7 for the legacy forms the
/// converters cannot express (training-mode `is_test`, shapes the legacy
/// `broadcast` rule forbids) before it is evaluated or converted. Sets
/// `skipEvaluation` when the import-time evaluator (which broadcasts like
/// NumPy) must leave the node to its converter. A no-op from opset 7 on.
mlir::LogicalResult checkLegacyNode(NodeContext &ctx, bool &skipEvaluation);

/// Returns `rhs` reshaped so that NumPy broadcasting against `lhs` places it
/// as the legacy (opset < 7) `broadcast`/`axis` attributes do; `rhs` itself
/// when no reshape is needed (always from opset 7 on).
mlir::FailureOr<mlir::Value>
alignLegacyBroadcastOperand(NodeContext &ctx, mlir::Value lhs, mlir::Value rhs);

/// Returns the registry holding every converter.
const ConverterRegistry &getConverterRegistry();

} // namespace kiln::onnximport

#endif // KILN_LIB_ONNX_ONNXIMPORTER_H
