//===- ModelSignature.cpp - inputs and outputs of a compiled model
//---------===//
//
// Reads a model's signature from its entry function and checks user inputs
// against it with messages that name the input and both types.
//
//===----------------------------------------------------------------------===//

#include "kiln/runtime/ModelSignature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace kiln;

std::string TensorSpec::describe() const {
  HostTensor shapeOnly;
  shapeOnly.kind = kind;
  shapeOnly.shape = shape;
  return "'" + name + "' " + shapeOnly.describe();
}

/// Builds the spec of one argument or result of `function`.
static llvm::Expected<TensorSpec>
makeSpec(mlir::func::FuncOp function, mlir::Type type,
         mlir::DictionaryAttr attrs, llvm::StringRef role, unsigned index) {
  TensorSpec spec;
  auto name = attrs ? attrs.getAs<mlir::StringAttr>(kTensorNameAttr) : nullptr;
  spec.name = name ? name.str() : (role + "_" + llvm::Twine(index)).str();
  auto tensorType = llvm::dyn_cast<mlir::RankedTensorType>(type);
  std::string where = "function '" + function.getName().str() + "' " +
                      role.str() + " " + std::to_string(index) + " ('" +
                      spec.name + "')";
  if (!tensorType)
    return llvm::createStringError(where + " is not a ranked tensor");
  if (!tensorType.hasStaticShape()) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << tensorType;
    return llvm::createStringError(
        where + " has the dynamic shape " + text +
        "; only static shapes can be compiled so far");
  }
  std::optional<ElementKind> kind = getElementKind(tensorType.getElementType());
  if (!kind) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << tensorType.getElementType();
    return llvm::createStringError(where + " has unsupported element type " +
                                   text);
  }
  spec.kind = *kind;
  spec.shape.assign(tensorType.getShape().begin(), tensorType.getShape().end());
  return spec;
}

llvm::Expected<ModelSignature> kiln::getModelSignature(mlir::ModuleOp module,
                                                       llvm::StringRef entry) {
  mlir::func::FuncOp function;
  for (auto candidate : module.getOps<mlir::func::FuncOp>()) {
    if (candidate.isDeclaration())
      continue;
    if (!entry.empty() ? candidate.getName() != entry : !candidate.isPublic())
      continue;
    if (function)
      return llvm::createStringError(
          "the module has several public functions ('" +
          function.getName().str() + "', '" + candidate.getName().str() +
          "'); choose one with --entry");
    function = candidate;
  }
  if (!function)
    return llvm::createStringError(
        entry.empty() ? std::string("the module has no public function to run")
                      : "the module has no function '" + entry.str() + "'");

  ModelSignature signature;
  signature.entry = function.getName().str();
  mlir::FunctionType type = function.getFunctionType();
  for (auto [index, input] : llvm::enumerate(type.getInputs())) {
    auto spec = makeSpec(function, input, function.getArgAttrDict(index),
                         "input", index);
    if (!spec)
      return spec.takeError();
    signature.inputs.push_back(std::move(*spec));
  }
  for (auto [index, output] : llvm::enumerate(type.getResults())) {
    auto spec = makeSpec(function, output, function.getResultAttrDict(index),
                         "output", index);
    if (!spec)
      return spec.takeError();
    signature.outputs.push_back(std::move(*spec));
  }
  return signature;
}

llvm::Error kiln::checkInputs(const ModelSignature &signature,
                              llvm::ArrayRef<HostTensor> inputs) {
  if (inputs.size() != signature.inputs.size())
    return llvm::createStringError(
        "the model takes " + std::to_string(signature.inputs.size()) +
        " inputs but " + std::to_string(inputs.size()) + " were given");
  for (auto [index, pair] :
       llvm::enumerate(llvm::zip_equal(signature.inputs, inputs))) {
    const auto &[spec, tensor] = pair;
    if (tensor.kind != spec.kind ||
        llvm::ArrayRef(tensor.shape) != llvm::ArrayRef(spec.shape))
      return llvm::createStringError("input " + std::to_string(index) + " " +
                                     spec.describe() + " was given " +
                                     tensor.describe());
  }
  return llvm::Error::success();
}
