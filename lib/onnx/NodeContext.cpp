//===- NodeContext.cpp - what an op converter sees of one ONNX node -------===//
//
// The converters' side of the importer: guarded access to a node's inputs,
// attributes and outputs, import-time constants, checked nn op builders that
// turn a rejected shape or type into the node's error line, and axis
// normalization. Every failure here reports through NodeContext::fail so
// that a node produces exactly one error line.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"

#include "kiln/dialects/nn/NNBuilders.h"
#include "kiln/dialects/nn/NNOps.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

using namespace mlir;
using namespace kiln::onnximport;

NodeContext::NodeContext(GraphImporter &graph, const onnx::NodeProto &node,
                         int64_t opset)
    : graph(graph), node(node), opset(opset),
      name(node.name().empty() && node.output_size() > 0 ? node.output(0)
                                                         : node.name()),
      loc(graph.getNameLoc(name)) {}

LogicalResult NodeContext::fail(const Twine &what) const {
  return graph.emitFileError("node '" + name + "' (" + node.op_type() +
                             ", opset " + Twine(opset) + "): " + what);
}

//===----------------------------------------------------------------------===//
// Inputs
//===----------------------------------------------------------------------===//

bool NodeContext::hasInput(unsigned index) const {
  return index < static_cast<unsigned>(node.input_size()) &&
         !node.input(index).empty();
}

FailureOr<TensorEntry *> NodeContext::getInputEntry(unsigned index) {
  if (!hasInput(index))
    return fail("input #" + Twine(index) + " is missing");
  TensorEntry *entry = graph.lookup(node.input(index));
  if (!entry)
    return fail("input '" + node.input(index) + "' is not defined");
  return entry;
}

FailureOr<std::shared_ptr<TensorEntry>>
NodeContext::getInputShared(unsigned index) {
  if (!hasInput(index))
    return fail("input #" + Twine(index) + " is missing");
  std::shared_ptr<TensorEntry> entry = graph.lookupShared(node.input(index));
  if (!entry)
    return fail("input '" + node.input(index) + "' is not defined");
  return entry;
}

FailureOr<Value> NodeContext::materialize(TensorEntry &entry, StringRef name) {
  std::string error;
  FailureOr<Value> value = graph.materialize(entry, name, error);
  if (failed(value))
    return fail(error);
  return value;
}

FailureOr<Value> NodeContext::getInput(unsigned index) {
  FailureOr<TensorEntry *> entry = getInputEntry(index);
  if (failed(entry))
    return failure();
  std::string error;
  FailureOr<Value> value = graph.materialize(**entry, node.input(index), error);
  if (failed(value))
    return fail(error);
  return value;
}

FailureOr<RankedTensorType> NodeContext::getInputType(unsigned index) {
  FailureOr<TensorEntry *> entry = getInputEntry(index);
  if (failed(entry))
    return failure();
  // Constants report their type without becoming ops.
  if (!(*entry)->value && (*entry)->isConstant()) {
    int32_t dataType = (*entry)->proto ? (*entry)->proto->data_type()
                                       : (*entry)->host->dataType;
    Type elementType = convertDataType(getContext(), dataType);
    if (!elementType)
      return fail("input '" + node.input(index) +
                  "' has unsupported element type " +
                  getDataTypeName(dataType));
    SmallVector<int64_t> shape;
    if ((*entry)->proto)
      shape.assign((*entry)->proto->dims().begin(),
                   (*entry)->proto->dims().end());
    else
      shape.assign((*entry)->host->shape);
    if (!countElements(shape))
      return fail("input '" + node.input(index) + "' has an invalid shape");
    return RankedTensorType::get(shape, elementType);
  }
  FailureOr<Value> value = getInput(index);
  if (failed(value))
    return failure();
  auto type = dyn_cast<RankedTensorType>(value->getType());
  if (!type)
    return fail("input '" + node.input(index) + "' is not a ranked tensor");
  return type;
}

bool NodeContext::isConstantInput(unsigned index) {
  if (!hasInput(index))
    return false;
  TensorEntry *entry = graph.lookup(node.input(index));
  return entry && entry->isConstant();
}

FailureOr<std::shared_ptr<const HostTensor>>
NodeContext::getConstantInput(unsigned index, StringRef what,
                              int64_t maxElements) {
  FailureOr<TensorEntry *> entry = getInputEntry(index);
  if (failed(entry))
    return failure();
  if (!(*entry)->isKnown())
    return fail(what + " must be a constant");
  if (!(*entry)->specializedInput.empty())
    graph.noteSpecialized((*entry)->specializedInput);
  if (!(*entry)->host) {
    auto tensor = std::make_shared<HostTensor>();
    if (std::optional<std::string> error =
            decodeTensor(*(*entry)->proto, maxElements, *tensor))
      return fail(what + ": " + *error);
    (*entry)->host = std::move(tensor);
  }
  const HostTensor &host = *(*entry)->host;
  if (!host.splat && host.getNumElements() > maxElements)
    return fail(what + " is too large to read at import time");
  return (*entry)->host;
}

std::shared_ptr<const HostTensor>
NodeContext::tryGetConstantInput(unsigned index, int64_t maxElements,
                                 bool allowSpecialized) {
  if (!hasInput(index))
    return nullptr;
  TensorEntry *entry = graph.lookup(node.input(index));
  if (!entry || !(allowSpecialized ? entry->isKnown() : entry->isConstant()))
    return nullptr;
  if (!entry->host) {
    auto tensor = std::make_shared<HostTensor>();
    if (decodeTensor(*entry->proto, maxElements, *tensor))
      return nullptr;
    entry->host = std::move(tensor);
  }
  if (!entry->host->splat && entry->host->getNumElements() > maxElements)
    return nullptr;
  if (!entry->specializedInput.empty())
    graph.noteSpecialized(entry->specializedInput);
  return entry->host;
}

FailureOr<SmallVector<int64_t>> NodeContext::getConstantInts(unsigned index,
                                                             StringRef what) {
  FailureOr<std::shared_ptr<const HostTensor>> tensor =
      getConstantInput(index, what);
  if (failed(tensor))
    return failure();
  if ((*tensor)->isFloat())
    return fail(what + " must hold integers");
  SmallVector<int64_t> values;
  for (int64_t i = 0, e = (*tensor)->getNumElements(); i < e; ++i)
    values.push_back((*tensor)->getInt(i));
  return values;
}

FailureOr<SmallVector<double>> NodeContext::getConstantFloats(unsigned index,
                                                              StringRef what) {
  FailureOr<std::shared_ptr<const HostTensor>> tensor =
      getConstantInput(index, what);
  if (failed(tensor))
    return failure();
  SmallVector<double> values;
  for (int64_t i = 0, e = (*tensor)->getNumElements(); i < e; ++i)
    values.push_back((*tensor)->getDouble(i));
  return values;
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

const onnx::AttributeProto *NodeContext::findAttribute(StringRef name) const {
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

/// Returns true when `attr` is of `type`; old models may leave the type out,
/// in which case the matching field must be set.
static bool hasAttrType(const onnx::AttributeProto &attr,
                        onnx::AttributeProto_AttributeType type,
                        bool fieldIsSet) {
  if (attr.type() == type)
    return true;
  return attr.type() == onnx::AttributeProto_AttributeType_UNDEFINED &&
         fieldIsSet;
}

FailureOr<int64_t> NodeContext::getIntAttr(StringRef name,
                                           int64_t defaultValue) {
  const onnx::AttributeProto *attr = findAttribute(name);
  if (!attr)
    return defaultValue;
  if (!hasAttrType(*attr, onnx::AttributeProto_AttributeType_INT,
                   attr->has_i()))
    return fail("attribute '" + name + "' must be an integer");
  return attr->i();
}

FailureOr<double> NodeContext::getFloatAttr(StringRef name,
                                            double defaultValue) {
  const onnx::AttributeProto *attr = findAttribute(name);
  if (!attr)
    return defaultValue;
  if (!hasAttrType(*attr, onnx::AttributeProto_AttributeType_FLOAT,
                   attr->has_f()))
    return fail("attribute '" + name + "' must be a float");
  return static_cast<double>(attr->f());
}

FailureOr<std::string> NodeContext::getStringAttr(StringRef name,
                                                  StringRef defaultValue) {
  const onnx::AttributeProto *attr = findAttribute(name);
  if (!attr)
    return defaultValue.str();
  if (!hasAttrType(*attr, onnx::AttributeProto_AttributeType_STRING,
                   attr->has_s()))
    return fail("attribute '" + name + "' must be a string");
  return attr->s();
}

FailureOr<std::optional<SmallVector<int64_t>>>
NodeContext::getIntsAttr(StringRef name) {
  const onnx::AttributeProto *attr = findAttribute(name);
  if (!attr)
    return std::optional<SmallVector<int64_t>>();
  if (!hasAttrType(*attr, onnx::AttributeProto_AttributeType_INTS,
                   attr->ints_size() > 0))
    return fail("attribute '" + name + "' must be a list of integers");
  return std::optional<SmallVector<int64_t>>(
      SmallVector<int64_t>(attr->ints().begin(), attr->ints().end()));
}

//===----------------------------------------------------------------------===//
// Outputs
//===----------------------------------------------------------------------===//

bool NodeContext::isOutputUsed(unsigned index) const {
  return index < static_cast<unsigned>(node.output_size()) &&
         !node.output(index).empty() && graph.isUsed(node.output(index));
}

LogicalResult NodeContext::checkOutputsUnused(unsigned firstUnsupported,
                                              StringRef why) {
  for (unsigned i = firstUnsupported, e = node.output_size(); i < e; ++i)
    if (isOutputUsed(i))
      return fail("output #" + Twine(i) + " ('" + node.output(i) +
                  "') is used, but " + why);
  return success();
}

void NodeContext::defineOutput(unsigned index,
                               std::shared_ptr<TensorEntry> entry) {
  if (index < static_cast<unsigned>(node.output_size()) &&
      !node.output(index).empty())
    graph.define(node.output(index), std::move(entry));
}

void NodeContext::setOutputEntry(unsigned index,
                                 std::shared_ptr<TensorEntry> entry) {
  defineOutput(index, std::move(entry));
}

void NodeContext::setOutput(unsigned index, Value value) {
  auto entry = std::make_shared<TensorEntry>();
  entry->value = value;
  defineOutput(index, std::move(entry));
}

void NodeContext::setOutput(unsigned index, HostTensor tensor) {
  auto entry = std::make_shared<TensorEntry>();
  entry->host = std::make_shared<const HostTensor>(std::move(tensor));
  defineOutput(index, std::move(entry));
}

void NodeContext::setOutput(unsigned index, const onnx::TensorProto &tensor) {
  auto entry = std::make_shared<TensorEntry>();
  entry->proto = &tensor;
  defineOutput(index, std::move(entry));
}

LogicalResult NodeContext::setOutputAlias(unsigned outputIndex,
                                          unsigned inputIndex) {
  if (!hasInput(inputIndex))
    return fail("input #" + Twine(inputIndex) + " is missing");
  auto it = graph.lookupShared(node.input(inputIndex));
  if (!it)
    return fail("input '" + node.input(inputIndex) + "' is not defined");
  defineOutput(outputIndex, std::move(it));
  return success();
}

//===----------------------------------------------------------------------===//
// Checked op builders
//===----------------------------------------------------------------------===//

DiagnosticCapture::DiagnosticCapture(MLIRContext *context)
    : handler(context, [this](Diagnostic &diagnostic) {
        if (message.empty())
          message = diagnostic.str();
        return success();
      }) {}

FailureOr<Value> NodeContext::buildChecked(OperationState &state,
                                           kiln::nn::InferReturnTypesFn infer) {
  std::string message;
  if (Operation *op =
          kiln::nn::buildVerifiedOp(getBuilder(), state, infer, message))
    return op->getResult(0);
  return fail("cannot express as " + state.name.getStringRef() +
              (message.empty() ? "" : ": " + message));
}

FailureOr<Value> NodeContext::createScalar(Type elementType, double value) {
  DenseElementsAttr attr = kiln::nn::getScalarAttr(elementType, value);
  if (!attr)
    return fail("cannot build a constant of element type");
  return create<kiln::nn::ConstantOp>(ElementsAttr(attr));
}

FailureOr<Value> NodeContext::createReshape(Value input,
                                            ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(input.getType());
  if (type.getShape() == shape)
    return input;
  return createTyped<kiln::nn::ReshapeOp>(type.clone(shape), input);
}

//===----------------------------------------------------------------------===//
// Axes
//===----------------------------------------------------------------------===//

FailureOr<int64_t> NodeContext::normalizeAxis(int64_t axis, int64_t rank,
                                              StringRef what) {
  if (axis < -rank || axis >= rank)
    return fail(what + " " + Twine(axis) + " is out of range for rank " +
                Twine(rank));
  return axis < 0 ? axis + rank : axis;
}

FailureOr<SmallVector<int64_t>>
NodeContext::normalizeAxes(ArrayRef<int64_t> axes, int64_t rank) {
  SmallVector<int64_t> normalized;
  for (int64_t axis : axes) {
    FailureOr<int64_t> value = normalizeAxis(axis, rank);
    if (failed(value))
      return failure();
    normalized.push_back(*value);
  }
  llvm::sort(normalized);
  if (std::adjacent_find(normalized.begin(), normalized.end()) !=
      normalized.end())
    return fail("axes must not repeat");
  return normalized;
}
