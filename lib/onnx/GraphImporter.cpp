//===- GraphImporter.cpp - ONNX graph to one func.func of nn ops ----------===//
//
// Turns the main graph of a checked ModelProto into a module with one
// function: graph inputs that are not initializers become arguments, graph
// outputs become results (both keeping their ONNX names as `kiln.name`
// attributes), initializers and constants stay lazy until an op consumes
// them, and each node goes to the import-time evaluator or to the converter
// registered for its op type.
//
//===----------------------------------------------------------------------===//

#include "OnnxImporter.h"

#include "kiln/dialects/nn/NNOps.h"
#include "kiln/onnx/ImportOnnx.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringExtras.h"

#include <climits>

using namespace mlir;
using namespace kiln::onnximport;

const ConverterRegistry &kiln::onnximport::getConverterRegistry() {
  static const ConverterRegistry registry = [] {
    ConverterRegistry converters;
    addElementwiseConverters(converters);
    addLayerConverters(converters);
    addPoolingConverters(converters);
    addShapeConverters(converters);
    addRearrangeConverters(converters);
    addIndexingConverters(converters);
    addComposedConverters(converters);
    addResizeConverters(converters);
    addQuantConverters(converters);
    addLossConverters(converters);
    addSequenceConverters(converters);
    addConstantConverters(converters);
    return converters;
  }();
  return registry;
}

GraphImporter::GraphImporter(MLIRContext &context, StringRef fileName,
                             const onnx::ModelProto &model,
                             int64_t defaultOpset)
    : context(context), fileName(fileName.str()), model(model),
      defaultOpset(defaultOpset), builder(&context) {
  for (const onnx::OperatorSetIdProto &opset : model.opset_import()) {
    StringRef domain = opset.domain();
    domainOpsets[domain == "ai.onnx" ? "" : domain] = opset.version();
  }
}

LogicalResult GraphImporter::emitFileError(const Twine &message) {
  // Names in a model may hold anything; the error must stay on one line.
  std::string text = message.str();
  for (char &c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      c = ' ';
  emitError(UnknownLoc::get(&context)) << fileName << ": " << text;
  return failure();
}

Location GraphImporter::getNameLoc(StringRef name) {
  return NameLoc::get(StringAttr::get(&context, name),
                      FileLineColLoc::get(&context, fileName, 0, 0));
}

TensorEntry *GraphImporter::lookup(StringRef name) {
  auto it = values.find(name);
  return it == values.end() ? nullptr : it->second.get();
}

std::shared_ptr<TensorEntry> GraphImporter::lookupShared(StringRef name) {
  auto it = values.find(name);
  return it == values.end() ? nullptr : it->second;
}

void GraphImporter::define(StringRef name, std::shared_ptr<TensorEntry> entry) {
  values[name] = std::move(entry);
}

FailureOr<Value> GraphImporter::materialize(TensorEntry &entry, StringRef name,
                                            std::string &error) {
  if (entry.value)
    return entry.value;
  if (entry.sequence) {
    error = ("'" + name + "' is a sequence where a tensor is expected").str();
    return failure();
  }
  ElementsAttr attr;
  if (entry.proto) {
    SmallVector<int64_t> shape;
    std::string owned;
    StringRef bytes;
    if (std::optional<std::string> problem =
            readTensorBytes(*entry.proto, shape, owned, bytes)) {
      error = ("constant '" + name + "': " + *problem).str();
      return failure();
    }
    Type elementType = convertDataType(&context, entry.proto->data_type());
    if (!elementType) {
      error = ("constant '" + name + "' has unsupported element type " +
               getDataTypeName(entry.proto->data_type()))
                  .str();
      return failure();
    }
    attr = makeElementsAttr(RankedTensorType::get(shape, elementType), bytes,
                            name);
  } else if (entry.host) {
    attr = hostTensorToAttr(&context, *entry.host, name);
    if (!attr) {
      error = ("constant '" + name + "' has unsupported element type " +
               getDataTypeName(entry.host->dataType))
                  .str();
      return failure();
    }
  } else {
    error = ("value '" + name + "' has no definition").str();
    return failure();
  }
  entry.value = kiln::nn::ConstantOp::create(builder, getNameLoc(name), attr);
  return entry.value;
}

/// Returns a symbol name for the graph: letters, digits and underscores,
/// starting with a letter or underscore; `main` when the graph has no name.
static std::string getFunctionName(StringRef graphName) {
  std::string name;
  for (char c : graphName)
    name.push_back(llvm::isAlnum(c) ? c : '_');
  if (name.empty())
    return "main";
  if (llvm::isDigit(name.front()))
    name.insert(name.begin(), '_');
  return name;
}

/// Converts a graph input's or output's TypeProto to a ranked tensor type,
/// returning a description of the problem on failure.
static FailureOr<RankedTensorType> convertValueType(MLIRContext *context,
                                                    const onnx::TypeProto &type,
                                                    std::string &error) {
  if (!type.has_tensor_type()) {
    error = "is not a tensor (sequences, maps, optionals and sparse tensors "
            "are not supported)";
    return failure();
  }
  const onnx::TypeProto_Tensor &tensor = type.tensor_type();
  Type elementType = convertDataType(context, tensor.elem_type());
  if (!elementType) {
    error =
        ("has unsupported element type " + getDataTypeName(tensor.elem_type()))
            .str();
    return failure();
  }
  if (!tensor.has_shape()) {
    error = "has no shape (unranked tensors are not supported)";
    return failure();
  }
  SmallVector<int64_t> shape;
  for (const onnx::TensorShapeProto_Dimension &dim : tensor.shape().dim()) {
    if (!dim.has_dim_value()) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    if (dim.dim_value() < 0) {
      error = "has a negative dimension";
      return failure();
    }
    shape.push_back(dim.dim_value());
  }
  return RankedTensorType::get(shape, elementType);
}

/// Parses a serialized TensorProto; returns false when `bytes` are not one.
/// Returns "f32[?x3x224x224]" for messages.
static std::string describeType(RankedTensorType type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  type.getElementType().print(os);
  os << "[";
  llvm::interleave(
      type.getShape(), os,
      [&](int64_t size) {
        if (ShapedType::isDynamic(size))
          os << "?";
        else
          os << size;
      },
      "x");
  os << "]";
  return text;
}

static bool parseTensorProto(StringRef bytes, onnx::TensorProto &tensor) {
  return bytes.size() <= static_cast<size_t>(INT_MAX) &&
         tensor.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
}

/// Returns true when `tensor` has `type`'s element type and rank and its
/// sizes match every static dimension of `type`.
static bool fitsType(MLIRContext *context, const onnx::TensorProto &tensor,
                     RankedTensorType type) {
  bool fits =
      convertDataType(context, tensor.data_type()) == type.getElementType() &&
      type.getRank() == tensor.dims_size();
  for (int64_t d = 0; fits && d < tensor.dims_size(); ++d)
    fits = type.isDynamicDim(d) || type.getDimSize(d) == tensor.dims(d);
  return fits;
}

LogicalResult GraphImporter::importInputs(Block &body,
                                          const OnnxImportOptions &options,
                                          SmallVectorImpl<Type> &types,
                                          SmallVectorImpl<StringRef> &names) {
  for (const onnx::ValueInfoProto &input : model.graph().input()) {
    // Before IR version 4 every initializer was also listed as an input; it
    // stays a constant (the importer does not let callers override weights).
    if (TensorEntry *entry = lookup(input.name()); entry && entry->proto)
      continue;
    std::string error;
    FailureOr<RankedTensorType> type =
        convertValueType(&context, input.type(), error);
    if (failed(type))
      return emitFileError("graph input '" + input.name() + "' " + error);
    size_t position = types.size();
    ArrayRef<std::string> knownInputs = options.knownInputs;
    if (position < options.inputTypes.size() && options.inputTypes[position]) {
      RankedTensorType given = options.inputTypes[position];
      bool fits = given.getElementType() == type->getElementType() &&
                  given.getRank() == type->getRank();
      for (int64_t d = 0; fits && d < given.getRank(); ++d)
        fits =
            type->isDynamicDim(d) || type->getDimSize(d) == given.getDimSize(d);
      if (!fits || !given.hasStaticShape())
        return emitFileError("graph input '" + input.name() + "' is " +
                             describeType(*type) + ", which " +
                             describeType(given) + " does not fit");
      type = given;
    }
    // A known value specializes the input: its dynamic dimensions take the
    // value's sizes, and converters may read the value (see TensorEntry).
    const onnx::TensorProto *known = nullptr;
    if (position < knownInputs.size() && !knownInputs[position].empty()) {
      onnx::TensorProto &tensor = boundInputs.emplace_back();
      if (!parseTensorProto(knownInputs[position], tensor))
        return emitFileError("the value given for graph input '" +
                             input.name() +
                             "' is not a serialized TensorProto");
      // A value that does not fit the declared type is left unknown; the
      // caller's own input check reports the mismatch.
      if (fitsType(&context, tensor, *type)) {
        known = &tensor;
        if (!type->hasStaticShape()) {
          type = type->clone(
              SmallVector<int64_t>(tensor.dims().begin(), tensor.dims().end()));
          noteSpecialized(input.name());
        }
      }
    }
    types.push_back(*type);
    names.push_back(input.name());
    auto entry = std::make_shared<TensorEntry>();
    entry->value = body.addArgument(*type, getNameLoc(input.name()));
    if (known) {
      entry->proto = known;
      entry->specializedInput = input.name();
    }
    define(input.name(), std::move(entry));
  }
  return success();
}

LogicalResult GraphImporter::importNode(const onnx::NodeProto &node) {
  StringRef domain = node.domain();
  if (domain == "ai.onnx")
    domain = "";
  auto opsetIt = domainOpsets.find(domain);
  int64_t opset = opsetIt == domainOpsets.end() ? 0 : opsetIt->second;
  NodeContext ctx(*this, node, domain.empty() ? defaultOpset : opset);
  if (!domain.empty())
    return ctx.fail(
        ("operators of domain '" + domain + "' are not supported").str());
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.has_g() || attr.graphs_size() > 0)
      return ctx.fail("operators with subgraphs are not supported");

  bool skipEvaluation = false;
  if (failed(checkLegacyNode(ctx, skipEvaluation)))
    return failure();
  FailureOr<bool> evaluated =
      skipEvaluation ? FailureOr<bool>(false) : tryEvaluateNode(ctx);
  if (failed(evaluated))
    return failure();
  if (!*evaluated) {
    const ConverterRegistry &registry = getConverterRegistry();
    auto it = registry.find(node.op_type());
    if (it == registry.end())
      return ctx.fail("operator is not supported");
    if (failed(it->second(ctx)))
      return failure();
  }
  // A converter sets every output it supports; an unused optional output may
  // stay undefined, a used one may not.
  for (int i = 0, e = node.output_size(); i < e; ++i)
    if (ctx.isOutputUsed(i) && !lookup(node.output(i)))
      return ctx.fail("output #" + Twine(i) + " ('" + node.output(i) +
                      "') is not supported");
  return success();
}

LogicalResult GraphImporter::importOutputs(SmallVectorImpl<Value> &results) {
  for (const onnx::ValueInfoProto &output : model.graph().output()) {
    TensorEntry *entry = lookup(output.name());
    if (!entry)
      return emitFileError("graph output '" + output.name() +
                           "' is not computed by the graph");
    std::string error;
    FailureOr<Value> value = materialize(*entry, output.name(), error);
    if (failed(value))
      return emitFileError("graph output '" + output.name() + "': " + error);
    results.push_back(exposeQuantizedOutput(*value, output.name()));
  }
  return success();
}

Value GraphImporter::exposeQuantizedOutput(Value value, StringRef name) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  auto quantized =
      type ? dyn_cast<quant::QuantizedType>(type.getElementType()) : nullptr;
  if (!quantized)
    return value;
  // ONNX declares the output as the storage integers, uint8 for a `u8`
  // storage: reinterpret the quantized tensor as those.
  Location loc = getNameLoc(name);
  auto storageType = cast<IntegerType>(quantized.getStorageType());
  Value storage = quant::StorageCastOp::create(builder, loc,
                                               type.clone(storageType), value);
  if (quantized.isSigned())
    return storage;
  auto unsignedType =
      IntegerType::get(&context, storageType.getWidth(), IntegerType::Unsigned);
  return kiln::nn::CastOp::create(builder, loc, type.clone(unsignedType),
                                  storage);
}

LogicalResult GraphImporter::bindConstantInputs(
    const llvm::StringMap<std::string> &constantInputs) {
  for (const auto &binding : constantInputs) {
    StringRef name = binding.getKey();
    const onnx::ValueInfoProto *input = nullptr;
    for (const onnx::ValueInfoProto &candidate : model.graph().input())
      if (candidate.name() == name)
        input = &candidate;
    if (!input)
      return emitFileError("cannot bind '" + name +
                           "': the graph has no input of that name");
    onnx::TensorProto &tensor = boundInputs.emplace_back();
    if (!parseTensorProto(binding.getValue(), tensor))
      return emitFileError("cannot bind '" + name +
                           "': the value is not a serialized TensorProto");
    std::string error;
    FailureOr<RankedTensorType> declared =
        convertValueType(&context, input->type(), error);
    if (failed(declared) || !fitsType(&context, tensor, *declared))
      return emitFileError("cannot bind '" + name +
                           "': the tensor does not have the input's type");
    auto entry = std::make_shared<TensorEntry>();
    entry->proto = &tensor;
    define(name, std::move(entry));
  }
  return success();
}

OwningOpRef<ModuleOp>
GraphImporter::importModel(const kiln::OnnxImportOptions &options) {
  const onnx::GraphProto &graph = model.graph();
  if (graph.sparse_initializer_size() > 0) {
    (void)emitFileError("sparse initializers are not supported");
    return nullptr;
  }
  for (const onnx::TensorProto &initializer : graph.initializer()) {
    auto entry = std::make_shared<TensorEntry>();
    entry->proto = &initializer;
    define(initializer.name(), std::move(entry));
  }
  if (failed(bindConstantInputs(options.constantInputs)))
    return nullptr;
  for (const onnx::NodeProto &node : graph.node())
    for (const std::string &input : node.input())
      if (!input.empty())
        usedNames.insert(input);
  for (const onnx::ValueInfoProto &output : graph.output())
    usedNames.insert(output.name());

  Location moduleLoc = FileLineColLoc::get(&context, fileName, 0, 0);
  OwningOpRef<ModuleOp> module = ModuleOp::create(moduleLoc);
  builder.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(builder, getNameLoc(graph.name()),
                                   getFunctionName(graph.name()),
                                   builder.getFunctionType({}, {}));
  Block *body = func.addEntryBlock();
  SmallVector<Type> inputTypes;
  SmallVector<StringRef> inputNames;
  if (failed(importInputs(*body, options, inputTypes, inputNames)))
    return nullptr;

  builder.setInsertionPointToEnd(body);
  for (const onnx::NodeProto &node : graph.node())
    if (failed(importNode(node)))
      return nullptr;
  SmallVector<Value> results;
  if (failed(importOutputs(results)))
    return nullptr;
  func::ReturnOp::create(builder, moduleLoc, results);

  func.setFunctionType(
      builder.getFunctionType(inputTypes, ValueRange(results).getTypes()));
  for (auto [index, name] : llvm::enumerate(inputNames))
    func.setArgAttr(index, kiln::kOnnxNameAttr, builder.getStringAttr(name));
  for (auto [index, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(index, kiln::kOnnxNameAttr,
                       builder.getStringAttr(output.name()));
  if (!specializedUsed.empty()) {
    SmallVector<Attribute> names;
    for (const std::string &name : specializedUsed)
      names.push_back(builder.getStringAttr(name));
    (*module)->setAttr(kiln::kSpecializedInputsAttr,
                       builder.getArrayAttr(names));
  }
  return module;
}
