//===- ImportOnnx.cpp - load, check and import an ONNX model --------------===//
//
// The public entry points of the ONNX frontend. A model is parsed with
// libonnx's protobuf classes, validated by onnx::checker::check_model and a
// check of every tensor's data size, checked for a supported opset of the
// default domain (1 to 17), imported by GraphImporter, and finally run
// through ONNX shape inference, whose output shapes must agree with the
// imported ones. libonnx reports problems by throwing; every exception
// becomes one error line that names the file.
//
//===----------------------------------------------------------------------===//

#include "kiln/onnx/ImportOnnx.h"

#include "OnnxImporter.h"

#include "kiln/dialects/nn/NNDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include "onnx/checker.h"
#include "onnx/shape_inference/implementation.h"

#include <climits>
#include <exception>

using namespace mlir;

/// The range of default-domain opsets the converters implement.
static constexpr int64_t kMinOpset = 1;
static constexpr int64_t kMaxOpset = 17;

void kiln::registerOnnxImportDialects(DialectRegistry &registry) {
  registry.insert<nn::NNDialect, func::FuncDialect, quant::QuantDialect>();
}

/// Collapses every run of whitespace and control characters (ONNX messages
/// span lines, names may hold anything) to one space.
static std::string toOneLine(StringRef text) {
  std::string printable = text.str();
  for (char &c : printable)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      c = ' ';
  SmallVector<StringRef> words;
  llvm::SplitString(printable, words);
  return llvm::join(words, " ");
}

/// Emits `<file>: <message>` as one error line and returns null.
static OwningOpRef<ModuleOp> reportModelError(MLIRContext &context,
                                              StringRef fileName,
                                              const Twine &message) {
  emitError(UnknownLoc::get(&context))
      << fileName << ": " << toOneLine(message.str());
  return nullptr;
}

static std::optional<std::string>
validateGraphTensors(const onnx::GraphProto &graph);

/// Checks every tensor held by `node`'s attributes, subgraphs included.
static std::optional<std::string>
validateNodeTensors(const onnx::NodeProto &node) {
  for (const onnx::AttributeProto &attr : node.attribute()) {
    if (attr.has_t())
      if (auto error = kiln::onnximport::validateTensorData(attr.t()))
        return error;
    for (const onnx::TensorProto &tensor : attr.tensors())
      if (auto error = kiln::onnximport::validateTensorData(tensor))
        return error;
    if (attr.has_sparse_tensor())
      for (const onnx::TensorProto *tensor :
           {&attr.sparse_tensor().values(), &attr.sparse_tensor().indices()})
        if (auto error = kiln::onnximport::validateTensorData(*tensor))
          return error;
    if (attr.has_g())
      if (auto error = validateGraphTensors(attr.g()))
        return error;
    for (const onnx::GraphProto &graph : attr.graphs())
      if (auto error = validateGraphTensors(graph))
        return error;
  }
  return std::nullopt;
}

/// Checks every tensor of `graph` (initializers and node attributes) against
/// its shape before libonnx's shape inference reads them: it trusts their
/// sizes and would read out of bounds.
static std::optional<std::string>
validateGraphTensors(const onnx::GraphProto &graph) {
  for (const onnx::TensorProto &tensor : graph.initializer())
    if (auto error = kiln::onnximport::validateTensorData(tensor))
      return error;
  for (const onnx::SparseTensorProto &sparse : graph.sparse_initializer())
    for (const onnx::TensorProto *tensor :
         {&sparse.values(), &sparse.indices()})
      if (auto error = kiln::onnximport::validateTensorData(*tensor))
        return error;
  for (const onnx::NodeProto &node : graph.node())
    if (auto error = validateNodeTensors(node))
      return error;
  return std::nullopt;
}

/// Prints a shape as `2x?x3` for diagnostics.
static std::string formatShape(ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleave(
      shape, os,
      [&](int64_t dim) {
        if (ShapedType::isDynamic(dim))
          os << '?';
        else
          os << dim;
      },
      "x");
  return text;
}

/// Compares the result shapes of the imported function with the graph
/// output shapes ONNX shape inference found: a static size on both sides
/// that differs means that the import and ONNX disagree about the model.
static LogicalResult checkOutputShapes(MLIRContext &context, StringRef fileName,
                                       const onnx::ModelProto &model,
                                       ModuleOp module) {
  auto funcs = module.getOps<func::FuncOp>();
  if (funcs.empty())
    return success();
  ArrayRef<Type> results = (*funcs.begin()).getResultTypes();
  for (auto [index, output] : llvm::enumerate(model.graph().output())) {
    if (index >= results.size() || !output.type().has_tensor_type() ||
        !output.type().tensor_type().has_shape())
      continue;
    auto type = dyn_cast<RankedTensorType>(results[index]);
    const onnx::TensorShapeProto &shape = output.type().tensor_type().shape();
    if (!type || type.getRank() != shape.dim_size())
      continue;
    SmallVector<int64_t> onnxShape;
    bool differs = false;
    for (auto [d, dim] : llvm::enumerate(shape.dim())) {
      int64_t size =
          dim.has_dim_value() ? dim.dim_value() : ShapedType::kDynamic;
      onnxShape.push_back(size);
      differs |= !ShapedType::isDynamic(size) && !type.isDynamicDim(d) &&
                 size != type.getDimSize(d);
    }
    if (differs) {
      reportModelError(context, fileName,
                       "graph output '" + output.name() + "' has shape " +
                           formatShape(type.getShape()) + " after import but " +
                           formatShape(onnxShape) + " by ONNX shape inference");
      return failure();
    }
  }
  return success();
}

/// Returns the model's opset of the default domain, or 0 when it has none.
static int64_t getDefaultOpset(const onnx::ModelProto &model) {
  for (const onnx::OperatorSetIdProto &opset : model.opset_import())
    if (opset.domain().empty() || opset.domain() == "ai.onnx")
      return opset.version();
  return 0;
}

OwningOpRef<ModuleOp>
kiln::importOnnxModelFromBuffer(StringRef bytes, StringRef fileName,
                                MLIRContext &context,
                                const OnnxImportOptions &options) {
  DialectRegistry registry;
  registerOnnxImportDialects(registry);
  context.appendDialectRegistry(registry);
  context.loadDialect<nn::NNDialect, func::FuncDialect, quant::QuantDialect>();

  onnx::ModelProto model;
  if (bytes.size() > static_cast<size_t>(INT_MAX) ||
      !model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return reportModelError(context, fileName,
                            "not an ONNX model (protobuf parsing failed; the "
                            "file may be truncated or corrupt)");
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception &error) {
    return reportModelError(context, fileName,
                            Twine("invalid ONNX model: ") + error.what());
  } catch (...) {
    return reportModelError(context, fileName, "invalid ONNX model");
  }

  std::optional<std::string> tensorError = validateGraphTensors(model.graph());
  for (const onnx::FunctionProto &function : model.functions())
    for (const onnx::NodeProto &node : function.node())
      if (!tensorError)
        tensorError = validateNodeTensors(node);
  if (tensorError)
    return reportModelError(context, fileName,
                            "invalid ONNX model: " + *tensorError);

  int64_t opset = getDefaultOpset(model);
  if (opset == 0)
    return reportModelError(context, fileName,
                            "the model imports no opset of the default ONNX "
                            "domain (ai.onnx)");
  if (opset < kMinOpset || opset > kMaxOpset)
    return reportModelError(
        context, fileName,
        "opset " + Twine(opset) +
            " of the default ONNX domain is not supported (supported: " +
            Twine(kMinOpset) + " to " + Twine(kMaxOpset) + ")");

  onnximport::GraphImporter importer(context, fileName, model, opset);
  OwningOpRef<ModuleOp> module = importer.importModel(options);
  if (!module)
    return nullptr;

  // ONNX shape inference runs last, on a model whose every node the
  // converters accepted: libonnx 1.12's inference functions trust attribute
  // values (a zero stride, an axis out of range) and crash on invalid ones,
  // which the converters reject first. Its result cross-checks ours.
  try {
    onnx::shape_inference::InferShapes(model);
  } catch (const std::exception &error) {
    return reportModelError(context, fileName,
                            Twine("ONNX shape inference failed: ") +
                                error.what());
  } catch (...) {
    return reportModelError(context, fileName, "ONNX shape inference failed");
  }
  if (failed(checkOutputShapes(context, fileName, model, *module)))
    return nullptr;
  return module;
}

OwningOpRef<ModuleOp> kiln::importOnnxModel(StringRef path,
                                            MLIRContext &context,
                                            const OnnxImportOptions &options) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer)
    return reportModelError(
        context, path, "cannot read the file: " + buffer.getError().message());
  return importOnnxModelFromBuffer((*buffer)->getBuffer(), path, context,
                                   options);
}
