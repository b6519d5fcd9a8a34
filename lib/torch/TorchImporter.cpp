//===- TorchImporter.cpp - TorchScript graph to one func.func of nn ops ---===//
//
// Loads a TorchScript file with LibTorch, freezes and inlines its forward
// method, and walks the graph: `prim::` structure (constants, lists, tuples,
// an `If` on a known condition) is resolved here, scalar arithmetic on known
// values is evaluated, and every `aten::` op goes to its converter.
//
//===----------------------------------------------------------------------===//

#include "TorchImporter.h"

#include "kiln/dialects/nn/NNOps.h"
#include "kiln/torch/ImportTorch.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/ir/constants.h>
#include <torch/csrc/jit/passes/constant_propagation.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>
#include <torch/csrc/jit/passes/freeze_module.h>
#include <torch/csrc/jit/passes/inliner.h>
#include <torch/csrc/jit/passes/lower_tuples.h>
#include <torch/csrc/jit/passes/remove_mutation.h>
#include <torch/csrc/jit/serialization/import.h>

#include <sstream>

using namespace mlir;
using namespace kiln::torchimport;
namespace nn = kiln::nn;

//===----------------------------------------------------------------------===//
// Converter context
//===----------------------------------------------------------------------===//

/// Returns "<file>:<line>:<col>" of the source TorchScript recorded for
/// `node`, or "" when it recorded none.
static std::string getSourceLocation(torch::jit::Node *node) {
  if (auto fileLineCol = node->sourceRange().file_line_col()) {
    auto [file, line, col] = *fileLineCol;
    return file + ":" + std::to_string(line) + ":" + std::to_string(col);
  }
  return "";
}

/// Returns the name an op converted from `node` carries in its location: the
/// module path of the layer ("layer1.0.conv1") when the node reads a frozen
/// parameter (named "self.layer1.0.conv1.weight" by freezing) that only it
/// uses, else the TorchScript value it defines. (Freezing pools equal
/// constants, such as the untrained statistics of every batch norm, so a
/// shared parameter does not name its users.) Cost tables show the name.
static std::string getLayerName(torch::jit::Node *node) {
  for (torch::jit::Value *input : node->inputs()) {
    if (input->uses().size() != 1)
      continue;
    std::string debugName = input->debugName(); // returned by value
    llvm::StringRef name = debugName;
    if (!name.consume_front("self.") || !name.contains('.'))
      continue;
    auto [path, parameter] = name.rsplit('.');
    if (parameter.starts_with("weight") || parameter.starts_with("bias") ||
        parameter.starts_with("running_"))
      return path.str();
  }
  if (node->outputs().empty())
    return node->kind().toQualString();
  return node->output(0)->debugName();
}

AtenContext::AtenContext(TorchImporter &importer, torch::jit::Node *node)
    : importer(importer), node(node),
      loc(importer.getNameLoc(getLayerName(node))) {}

OpBuilder &AtenContext::getBuilder() { return importer.getBuilder(); }
MLIRContext *AtenContext::getContext() { return importer.getContext(); }

LogicalResult AtenContext::fail(const Twine &what) const {
  std::string schema;
  if (const c10::FunctionSchema *function = node->maybeSchema()) {
    std::ostringstream os;
    os << *function;
    schema = " '" + os.str() + "'";
  }
  std::string source = getSourceLocation(node);
  std::string result =
      node->outputs().empty() ? "" : "%" + node->output(0)->debugName() + " ";
  return importer.emitFileError(
      "node " + result + "(" + node->kind().toQualString() + schema +
      (source.empty() ? "" : ", at " + source) + "): " + what);
}

FailureOr<Entry *> AtenContext::getEntry(unsigned index) {
  if (index >= node->inputs().size())
    return fail("input #" + Twine(index) + " is missing");
  Entry *entry = importer.lookup(node->input(index));
  if (!entry)
    return fail("input %" + node->input(index)->debugName() +
                " is not defined");
  return entry;
}

bool AtenContext::isNone(unsigned index) {
  if (index >= node->inputs().size())
    return true;
  Entry *entry = importer.lookup(node->input(index));
  return entry && entry->constant && entry->constant->isNone();
}

bool AtenContext::isTensor(unsigned index) {
  if (index >= node->inputs().size())
    return false;
  Entry *entry = importer.lookup(node->input(index));
  return entry &&
         (entry->tensor || (entry->constant && entry->constant->isTensor()));
}

std::optional<double> AtenContext::tryGetKnownNumber(unsigned index) {
  if (index >= node->inputs().size())
    return std::nullopt;
  Entry *entry = importer.lookup(node->input(index));
  if (!entry || !entry->constant)
    return std::nullopt;
  const c10::IValue &value = *entry->constant;
  if (value.isInt())
    return static_cast<double>(value.toInt());
  if (value.isDouble())
    return value.toDouble();
  if (value.isBool())
    return value.toBool() ? 1.0 : 0.0;
  if (value.isTensor() && value.toTensor().numel() == 1)
    return value.toTensor().item<double>();
  return std::nullopt;
}

std::shared_ptr<Entry> AtenContext::getInputShared(unsigned index) {
  if (index >= node->inputs().size())
    return nullptr;
  return importer.lookupShared(node->input(index));
}

bool AtenContext::isNumber(unsigned index) {
  if (!tryGetKnownNumber(index))
    return false;
  Entry *entry = importer.lookup(node->input(index));
  return !entry->constant->isTensor() || entry->constant->toTensor().dim() == 0;
}

FailureOr<Entry *> AtenContext::getListEntry(unsigned index) {
  FailureOr<Entry *> entry = getEntry(index);
  if (failed(entry))
    return failure();
  if (!(*entry)->elements)
    return fail("input %" + node->input(index)->debugName() +
                " must be a list built in the model");
  return entry;
}

FailureOr<Value> AtenContext::getTensor(unsigned index) {
  FailureOr<Entry *> entry = getEntry(index);
  if (failed(entry))
    return failure();
  std::string error;
  FailureOr<Value> value =
      importer.materialize(**entry, node->input(index)->debugName(), error);
  if (failed(value))
    return fail(error);
  return value;
}

FailureOr<RankedTensorType> AtenContext::getTensorType(unsigned index) {
  FailureOr<Value> value = getTensor(index);
  if (failed(value))
    return failure();
  return cast<RankedTensorType>(value->getType());
}

FailureOr<c10::IValue> AtenContext::getConstant(unsigned index,
                                                StringRef what) {
  FailureOr<Entry *> entry = getEntry(index);
  if (failed(entry))
    return failure();
  if ((*entry)->constant)
    return *(*entry)->constant;
  // A list of known scalars assembled by prim::ListConstruct.
  if ((*entry)->elements) {
    std::vector<int64_t> ints;
    for (const std::shared_ptr<Entry> &element : *(*entry)->elements) {
      if (!element->constant || !element->constant->isInt())
        return fail(what + " must be known when the model is compiled");
      ints.push_back(element->constant->toInt());
    }
    return c10::IValue(ints);
  }
  return fail(what + " must be known when the model is compiled");
}

FailureOr<int64_t> AtenContext::getInt(unsigned index, StringRef what) {
  FailureOr<c10::IValue> value = getConstant(index, what);
  if (failed(value))
    return failure();
  if (value->isInt())
    return value->toInt();
  if (value->isBool())
    return static_cast<int64_t>(value->toBool());
  if (value->isTensor() && value->toTensor().numel() == 1 &&
      !value->toTensor().is_floating_point())
    return value->toTensor().item<int64_t>();
  return fail(what + " must be an integer");
}

FailureOr<double> AtenContext::getDouble(unsigned index, StringRef what) {
  FailureOr<c10::IValue> value = getConstant(index, what);
  if (failed(value))
    return failure();
  if (value->isTensor() && value->toTensor().numel() == 1)
    return value->toTensor().item<double>();
  if (value->isDouble())
    return value->toDouble();
  if (value->isInt())
    return static_cast<double>(value->toInt());
  if (value->isBool())
    return static_cast<double>(value->toBool());
  return fail(what + " must be a number");
}

FailureOr<bool> AtenContext::getBool(unsigned index, StringRef what) {
  FailureOr<c10::IValue> value = getConstant(index, what);
  if (failed(value))
    return failure();
  if (value->isBool())
    return value->toBool();
  if (value->isInt())
    return value->toInt() != 0;
  return fail(what + " must be a boolean");
}

FailureOr<std::string> AtenContext::getString(unsigned index, StringRef what) {
  FailureOr<c10::IValue> value = getConstant(index, what);
  if (failed(value))
    return failure();
  if (!value->isString())
    return fail(what + " must be a string");
  return value->toStringRef();
}

FailureOr<SmallVector<int64_t>> AtenContext::getInts(unsigned index,
                                                     StringRef what) {
  FailureOr<c10::IValue> value = getConstant(index, what);
  if (failed(value))
    return failure();
  if (value->isInt())
    return SmallVector<int64_t>{value->toInt()};
  if (!value->isIntList())
    return fail(what + " must be a list of integers");
  SmallVector<int64_t> result;
  for (int64_t v : value->toIntVector())
    result.push_back(v);
  return result;
}

FailureOr<SmallVector<Value>> AtenContext::getTensors(unsigned index) {
  FailureOr<Entry *> entry = getEntry(index);
  if (failed(entry))
    return failure();
  SmallVector<Value> values;
  if ((*entry)->elements) {
    for (auto [i, element] : llvm::enumerate(*(*entry)->elements)) {
      std::string error;
      FailureOr<Value> value = importer.materialize(
          *element,
          (node->input(index)->debugName() + "[" + Twine(i) + "]").str(),
          error);
      if (failed(value))
        return fail(error);
      values.push_back(*value);
    }
    return values;
  }
  if ((*entry)->constant && (*entry)->constant->isTensorList()) {
    for (const at::Tensor &tensor : (*entry)->constant->toTensorVector()) {
      Entry element;
      element.constant = c10::IValue(tensor);
      std::string error;
      FailureOr<Value> value =
          importer.materialize(element, node->input(index)->debugName(), error);
      if (failed(value))
        return fail(error);
      values.push_back(*value);
    }
    return values;
  }
  return fail("input %" + node->input(index)->debugName() +
              " must be a list of tensors");
}

FailureOr<Value> AtenContext::buildChecked(OperationState &state,
                                           nn::InferReturnTypesFn infer) {
  std::string message;
  if (Operation *op = nn::buildVerifiedOp(getBuilder(), state, infer, message))
    return op->getResult(0);
  return fail("cannot express as " + state.name.getStringRef() +
              (message.empty() ? "" : ": " + message));
}

FailureOr<Value> AtenContext::createScalar(Type elementType, double value) {
  DenseElementsAttr attr = nn::getScalarAttr(elementType, value);
  if (!attr)
    return fail("cannot build a scalar of this element type");
  return create<nn::ConstantOp>(ElementsAttr(attr));
}

FailureOr<Value> AtenContext::createReshape(Value input,
                                            ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(input.getType());
  if (type.getShape() == shape)
    return input;
  return createTyped<nn::ReshapeOp>(type.clone(shape), input);
}

FailureOr<int64_t> AtenContext::normalizeDim(int64_t dim, int64_t rank) {
  if (dim < -rank || dim >= rank)
    return fail("dimension " + Twine(dim) + " is out of range for rank " +
                Twine(rank));
  return dim < 0 ? dim + rank : dim;
}

void AtenContext::setOutput(unsigned index, Value value) {
  auto entry = std::make_shared<Entry>();
  entry->tensor = value;
  importer.define(node->output(index), std::move(entry));
}

LogicalResult AtenContext::setResult(FailureOr<Value> result) {
  if (failed(result))
    return failure();
  setOutput(0, *result);
  return success();
}

void AtenContext::setConstant(unsigned index, c10::IValue value) {
  auto entry = std::make_shared<Entry>();
  entry->constant = std::move(value);
  importer.define(node->output(index), std::move(entry));
}

void AtenContext::setList(unsigned index,
                          std::vector<std::shared_ptr<Entry>> elements) {
  auto entry = std::make_shared<Entry>();
  entry->elements = std::move(elements);
  importer.define(node->output(index), std::move(entry));
}

void AtenContext::setAlias(unsigned index, unsigned input) {
  importer.define(node->output(index),
                  importer.lookupShared(node->input(input)));
}

//===----------------------------------------------------------------------===//
// Graph importer
//===----------------------------------------------------------------------===//

TorchImporter::TorchImporter(MLIRContext &context, StringRef fileName)
    : context(context), fileName(fileName.str()), builder(&context) {}

LogicalResult TorchImporter::emitFileError(const Twine &message) {
  std::string text = message.str();
  for (char &c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      c = ' ';
  emitError(UnknownLoc::get(&context)) << fileName << ": " << text;
  return failure();
}

Location TorchImporter::getNameLoc(StringRef name) {
  return NameLoc::get(StringAttr::get(&context, name),
                      FileLineColLoc::get(&context, fileName, 0, 0));
}

Entry *TorchImporter::lookup(const torch::jit::Value *value) {
  auto it = values.find(value);
  return it == values.end() ? nullptr : it->second.get();
}

std::shared_ptr<Entry>
TorchImporter::lookupShared(const torch::jit::Value *value) {
  auto it = values.find(value);
  return it == values.end() ? nullptr : it->second;
}

void TorchImporter::define(const torch::jit::Value *value,
                           std::shared_ptr<Entry> entry) {
  values[value] = std::move(entry);
}

Type kiln::torchimport::getElementType(MLIRContext *context,
                                       c10::ScalarType type) {
  Builder b(context);
  switch (type) {
  case c10::ScalarType::Float:
    return b.getF32Type();
  case c10::ScalarType::Double:
    return b.getF64Type();
  case c10::ScalarType::Half:
    return b.getF16Type();
  case c10::ScalarType::BFloat16:
    return b.getBF16Type();
  case c10::ScalarType::Long:
    return b.getI64Type();
  case c10::ScalarType::Int:
    return b.getI32Type();
  case c10::ScalarType::Short:
    return b.getI16Type();
  case c10::ScalarType::Char:
    return b.getI8Type();
  case c10::ScalarType::Bool:
    return b.getI1Type();
  default:
    return nullptr;
  }
}

/// Returns a resource-blob name for `name`: letters, digits, '_' and '.'.
static std::string sanitizeName(StringRef name) {
  std::string result;
  for (char c : name)
    result.push_back(llvm::isAlnum(c) || c == '_' || c == '.' ? c : '_');
  return result.empty() ? "tensor" : result;
}

FailureOr<Value> TorchImporter::materialize(Entry &entry, StringRef name,
                                            std::string &error) {
  if (entry.tensor)
    return entry.tensor;
  if (!entry.constant || !entry.constant->isTensor()) {
    error = ("%" + name + " is not a tensor").str();
    return failure();
  }
  at::Tensor tensor = entry.constant->toTensor().contiguous();
  if (tensor.is_quantized() || !tensor.device().is_cpu()) {
    error = ("constant %" + name + " is quantized or not on the CPU").str();
    return failure();
  }
  Type elementType = getElementType(&context, tensor.scalar_type());
  if (!elementType) {
    error = ("constant %" + name + " has unsupported element type " +
             c10::toString(tensor.scalar_type()))
                .str();
    return failure();
  }
  SmallVector<int64_t> shape(tensor.sizes().begin(), tensor.sizes().end());
  auto type = RankedTensorType::get(shape, elementType);
  int64_t count = tensor.numel();
  ElementsAttr attr;
  if (elementType.isInteger(1)) {
    SmallVector<bool> bits;
    const bool *data = tensor.data_ptr<bool>();
    bits.assign(data, data + count);
    attr = DenseElementsAttr::get(type, bits);
  } else {
    ArrayRef<char> bytes(static_cast<const char *>(tensor.data_ptr()),
                         count * tensor.element_size());
    if (count <= 64)
      attr = DenseElementsAttr::getFromRawBuffer(type, bytes);
    else
      attr = DenseResourceElementsAttr::get(
          type, sanitizeName(name),
          HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes,
                                                        tensor.element_size()));
  }
  OpBuilder::InsertionGuard guard(builder);
  // Constants go to the top of the function so that every use sees them.
  Block *body = builder.getInsertionBlock();
  while (!isa<func::FuncOp>(body->getParentOp()))
    body = body->getParentOp()->getBlock();
  builder.setInsertionPointToStart(body);
  entry.tensor = nn::ConstantOp::create(builder, getNameLoc(name), type, attr);
  return entry.tensor;
}

/// Returns the name of graph input or output `value` for `kiln.name`: its
/// debug name without the numeric suffix TorchScript adds (`x.1` -> `x`).
static std::string getValueName(const torch::jit::Value *value,
                                StringRef fallback) {
  if (!value->hasDebugName())
    return fallback.str();
  StringRef name = value->debugNameBase();
  return name.empty() ? fallback.str() : name.str();
}

LogicalResult TorchImporter::importNode(torch::jit::Node *node) {
  AtenContext ctx(*this, node);
  torch::jit::NodeKind kind = node->kind();

  if (kind == c10::prim::Constant) {
    std::optional<c10::IValue> value = torch::jit::toIValue(node->output());
    if (!value)
      return ctx.fail("constant of an unsupported kind");
    ctx.setConstant(0, *value);
    return success();
  }
  if (kind == c10::prim::ListConstruct || kind == c10::prim::TupleConstruct) {
    std::vector<std::shared_ptr<Entry>> elements;
    for (torch::jit::Value *input : node->inputs()) {
      std::shared_ptr<Entry> element = lookupShared(input);
      if (!element)
        return ctx.fail("input %" + input->debugName() + " is not defined");
      elements.push_back(std::move(element));
    }
    ctx.setList(0, std::move(elements));
    return success();
  }
  if (kind == c10::prim::ListUnpack || kind == c10::prim::TupleUnpack) {
    Entry *list = lookup(node->input(0));
    if (list && list->constant && list->constant->isList() &&
        list->constant->toListRef().size() == node->outputs().size()) {
      for (auto [index, element] :
           llvm::enumerate(list->constant->toListRef())) {
        auto entry = std::make_shared<Entry>();
        entry->constant = element;
        define(node->output(index), std::move(entry));
      }
      return success();
    }
    if (!list || !list->elements ||
        list->elements->size() != node->outputs().size())
      return ctx.fail("can only unpack a list or tuple of known length");
    for (auto [index, element] : llvm::enumerate(*list->elements))
      define(node->output(index), element);
    return success();
  }
  if (kind == c10::prim::TupleIndex ||
      (kind == c10::aten::__getitem__ && lookup(node->input(0)) &&
       lookup(node->input(0))->elements)) {
    Entry *list = lookup(node->input(0));
    FailureOr<int64_t> index = ctx.getInt(1, "the index");
    if (failed(index))
      return failure();
    int64_t size = static_cast<int64_t>(list->elements->size());
    if (*index < -size || *index >= size)
      return ctx.fail("index " + Twine(*index) + " is out of range");
    define(node->output(),
           (*list->elements)[*index < 0 ? *index + size : *index]);
    return success();
  }
  if (kind == c10::prim::If) {
    FailureOr<bool> condition = ctx.getBool(0, "the condition");
    if (failed(condition))
      return failure();
    torch::jit::Block *taken = node->blocks()[*condition ? 0 : 1];
    if (failed(importBlock(taken)))
      return failure();
    for (auto [index, output] : llvm::enumerate(taken->outputs()))
      define(node->output(index), lookupShared(output));
    return success();
  }
  if (kind == c10::prim::RaiseException)
    return ctx.fail("the model raises an exception for these input shapes");

  FailureOr<bool> evaluated = tryEvaluateScalarNode(ctx);
  if (failed(evaluated))
    return failure();
  if (*evaluated)
    return success();

  const AtenRegistry &registry = getAtenRegistry();
  auto it = registry.find(kind.toQualString());
  if (it == registry.end())
    return ctx.fail("operator is not supported");
  if (failed(it->second(ctx)))
    return failure();
  for (torch::jit::Value *output : node->outputs())
    if (!lookup(output) && !output->uses().empty())
      return ctx.fail("output %" + output->debugName() + " is not supported");
  // An in-place op (trailing '_') also updates its first operand: later
  // uses of that value see the result.
  StringRef name = kind.toUnqualString();
  if (name.ends_with("_") && !name.starts_with("__") &&
      !node->inputs().empty() && !node->outputs().empty())
    define(node->input(0), lookupShared(node->output(0)));
  return success();
}

LogicalResult TorchImporter::importBlock(torch::jit::Block *block) {
  for (torch::jit::Node *node : block->nodes())
    if (failed(importNode(node)))
      return failure();
  return success();
}

OwningOpRef<ModuleOp>
TorchImporter::importGraph(torch::jit::Graph &graph,
                           ArrayRef<RankedTensorType> inputTypes) {
  Location moduleLoc = FileLineColLoc::get(&context, fileName, 0, 0);
  OwningOpRef<ModuleOp> module = ModuleOp::create(moduleLoc);
  builder.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(builder, moduleLoc, "forward",
                                   builder.getFunctionType({}, {}));
  Block *body = func.addEntryBlock();

  // The first input of a method is the module itself (unused once frozen).
  // Optional tensors (`Tensor?`, such as an attention mask) beyond the
  // given input types are None.
  SmallVector<torch::jit::Value *> tensorInputs;
  for (torch::jit::Value *input : graph.inputs()) {
    if (input->type()->kind() == c10::TypeKind::ClassType)
      continue;
    if (input->type()->kind() == c10::TypeKind::OptionalType &&
        tensorInputs.size() >= inputTypes.size()) {
      auto none = std::make_shared<Entry>();
      none->constant = c10::IValue();
      define(input, std::move(none));
      continue;
    }
    if (input->type()->kind() != c10::TypeKind::TensorType &&
        input->type()->kind() != c10::TypeKind::OptionalType) {
      (void)emitFileError("forward input %" + input->debugName() +
                          " has type " + input->type()->str() +
                          "; only tensor inputs are supported");
      return nullptr;
    }
    tensorInputs.push_back(input);
  }
  if (tensorInputs.size() != inputTypes.size()) {
    (void)emitFileError("forward takes " + Twine(tensorInputs.size()) +
                        " tensor inputs but " + Twine(inputTypes.size()) +
                        " input shapes were given (--input-shape, once per "
                        "input, such as 1x3x224x224xf32)");
    return nullptr;
  }
  SmallVector<std::string> inputNames;
  for (auto [index, input] : llvm::enumerate(tensorInputs)) {
    std::string name = getValueName(input, "input_" + std::to_string(index));
    auto entry = std::make_shared<Entry>();
    entry->tensor = body->addArgument(inputTypes[index], getNameLoc(name));
    define(input, std::move(entry));
    inputNames.push_back(name);
  }

  builder.setInsertionPointToEnd(body);
  if (failed(importBlock(graph.block())))
    return nullptr;

  // Outputs: tensors, or (nested) tuples and lists of them, flattened.
  SmallVector<Value> results;
  std::function<LogicalResult(Entry &, const std::string &)> addOutput =
      [&](Entry &entry, const std::string &name) -> LogicalResult {
    if (entry.elements) {
      for (auto [i, element] : llvm::enumerate(*entry.elements))
        if (failed(addOutput(*element, name + "." + std::to_string(i))))
          return failure();
      return success();
    }
    std::string error;
    FailureOr<Value> value = materialize(entry, name, error);
    if (failed(value))
      return emitFileError("forward output " + name + ": " + error);
    results.push_back(*value);
    return success();
  };
  for (torch::jit::Value *output : graph.outputs()) {
    Entry *entry = lookup(output);
    if (!entry) {
      (void)emitFileError("forward output %" + output->debugName() +
                          " is not computed");
      return nullptr;
    }
    if (failed(addOutput(*entry, "%" + output->debugName())))
      return nullptr;
  }
  func::ReturnOp::create(builder, moduleLoc, results);
  func.setFunctionType(builder.getFunctionType(body->getArgumentTypes(),
                                               ValueRange(results).getTypes()));
  for (auto [index, name] : llvm::enumerate(inputNames))
    func.setArgAttr(index, "kiln.name", builder.getStringAttr(name));
  for (size_t index = 0; index < results.size(); ++index)
    func.setResultAttr(
        index, "kiln.name",
        builder.getStringAttr("output_" + std::to_string(index)));
  return module;
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

void kiln::registerTorchImportDialects(DialectRegistry &registry) {
  registry.insert<nn::NNDialect, func::FuncDialect>();
}

RankedTensorType kiln::parseInputShape(StringRef spec, MLIRContext *context,
                                       std::string &error) {
  SmallVector<StringRef> parts;
  spec.split(parts, 'x');
  Builder b(context);
  Type elementType = b.getF32Type();
  static const std::pair<StringRef, unsigned> kinds[] = {
      {"f32", 0}, {"f64", 1}, {"f16", 2}, {"bf16", 3},
      {"i64", 4}, {"i32", 5}, {"i8", 6},  {"i1", 7}};
  if (!parts.empty() && !parts.back().empty() &&
      !llvm::isDigit(parts.back().front())) {
    StringRef name = parts.pop_back_val();
    Type types[] = {b.getF32Type(),  b.getF64Type(), b.getF16Type(),
                    b.getBF16Type(), b.getI64Type(), b.getI32Type(),
                    b.getI8Type(),   b.getI1Type()};
    elementType = nullptr;
    for (auto [kindName, index] : kinds)
      if (kindName == name)
        elementType = types[index];
    if (!elementType) {
      error = ("'" + spec + "': unknown element type '" + name +
               "' (expected f32, f64, f16, bf16, i64, i32, i8 or i1)")
                  .str();
      return nullptr;
    }
  }
  SmallVector<int64_t> shape;
  for (StringRef part : parts) {
    int64_t size;
    if (part.getAsInteger(10, size) || size < 0) {
      error = ("'" + spec + "': expected sizes such as 1x3x224x224xf32").str();
      return nullptr;
    }
    shape.push_back(size);
  }
  return RankedTensorType::get(shape, elementType);
}

OwningOpRef<ModuleOp>
kiln::importTorchScriptModelFromBuffer(StringRef bytes, StringRef fileName,
                                       MLIRContext &context,
                                       const TorchImportOptions &options) {
  DialectRegistry registry;
  registerTorchImportDialects(registry);
  context.appendDialectRegistry(registry);
  context.loadDialect<nn::NNDialect, func::FuncDialect>();
  TorchImporter importer(context, fileName);

  std::shared_ptr<torch::jit::Graph> graph;
  try {
    std::istringstream stream(bytes.str());
    torch::jit::Module module = torch::jit::load(stream);
    module.eval();
    torch::jit::Module frozen = torch::jit::freeze_module(module);
    if (!frozen.find_method("forward")) {
      (void)importer.emitFileError("the TorchScript module has no forward "
                                   "method");
      return nullptr;
    }
    graph = frozen.get_method("forward").graph()->copy();
    torch::jit::Inline(*graph);
    torch::jit::RemoveTensorMutation(graph);
    torch::jit::LowerSimpleTuples(graph);
    torch::jit::ConstantPropagation(graph);
    torch::jit::EliminateDeadCode(graph);
  } catch (const std::exception &error) {
    // LibTorch's messages span lines (with a C++ backtrace); keep the first.
    StringRef message = error.what();
    (void)importer.emitFileError(
        "not a loadable TorchScript module (expected a file saved by "
        "torch.jit.save): " +
        message.split('\n').first.rtrim());
    return nullptr;
  }
  return importer.importGraph(*graph, options.inputTypes);
}

OwningOpRef<ModuleOp>
kiln::importTorchScriptModel(StringRef path, MLIRContext &context,
                             const TorchImportOptions &options) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer) {
    emitError(UnknownLoc::get(&context))
        << path << ": cannot read the file: " << buffer.getError().message();
    return nullptr;
  }
  return importTorchScriptModelFromBuffer((*buffer)->getBuffer(), path, context,
                                          options);
}
