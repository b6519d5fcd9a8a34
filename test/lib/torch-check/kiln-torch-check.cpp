//===- kiln-torch-check.cpp - compare Kiln with LibTorch on a .pt file ----===//
//
// A test program for the TorchScript frontend: it runs one TorchScript file
// twice on the same seeded random inputs, once in LibTorch (torch::jit::load,
// eval mode, no autograd) and once imported into nn and JIT-compiled by
// Kiln's CPU pipeline, then compares every output (count, element type,
// shape, then values within rtol/atol, NaN equal only to NaN). It prints one
// line per output and exits with 1 when any output differs, 2 when it cannot
// check (a file LibTorch or Kiln cannot load, import, compile or run).
//
//===----------------------------------------------------------------------===//

#include "kiln/InitAllDialects.h"
#include "kiln/InitAllPasses.h"
#include "kiln/cpu/CpuExecutable.h"
#include "kiln/support/LoadModel.h"
#include "kiln/torch/ImportTorch.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

#include <torch/script.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>

namespace cl = llvm::cl;
using kiln::ElementKind;
using kiln::HostTensor;

static cl::OptionCategory checkCategory("kiln-torch-check options");

static cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                                      cl::cat(checkCategory),
                                      cl::desc("<TorchScript model (.pt)>"));

static cl::list<std::string> inputShapes(
    "input-shape", cl::cat(checkCategory), cl::value_desc("shape"),
    cl::desc("The type of forward's next tensor input, such as "
             "1x3x224x224xf32 (element types f32, f64, f16, bf16, i64, i32, "
             "i8, i1; f32 when left out); repeat for each input"));

static cl::opt<unsigned>
    seed("seed", cl::cat(checkCategory), cl::init(0),
         cl::desc("Seed of the random inputs (input i uses seed + i): floats "
                  "uniform in [-1, 1), integers in [0, 10), booleans 0/1"));

static cl::opt<double>
    relativeTolerance("rtol", cl::cat(checkCategory), cl::init(1e-4),
                      cl::desc("Relative tolerance: a float element "
                               "matches when |kiln - libtorch| <= atol "
                               "+ rtol * |libtorch|"));

static cl::opt<double>
    absoluteTolerance("atol", cl::cat(checkCategory), cl::init(1e-5),
                      cl::desc("Absolute tolerance (see --rtol); "
                               "integer and boolean outputs must be "
                               "equal"));

/// Exit status when an output differs.
constexpr int kDiffersExitCode = 1;
/// Exit status when the comparison could not be made.
constexpr int kErrorExitCode = 2;

/// Prints "kiln-torch-check: error: <message>" and returns kErrorExitCode.
static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "kiln-torch-check") << message << "\n";
  return kErrorExitCode;
}

/// Returns `value` with `digits` significant digits, as printf's %g does.
static std::string formatFloat(double value, int digits) {
  char text[40];
  std::snprintf(text, sizeof(text), "%.*g", digits, value);
  return text;
}

//===----------------------------------------------------------------------===//
// Host tensors to and from ATen
//===----------------------------------------------------------------------===//

/// Returns the ATen scalar type of an element kind, if ATen has one.
static std::optional<at::ScalarType> getScalarType(ElementKind kind) {
  switch (kind) {
  case ElementKind::Float16:
    return at::kHalf;
  case ElementKind::BFloat16:
    return at::kBFloat16;
  case ElementKind::Float32:
    return at::kFloat;
  case ElementKind::Float64:
    return at::kDouble;
  case ElementKind::Int8:
    return at::kChar;
  case ElementKind::Int16:
    return at::kShort;
  case ElementKind::Int32:
    return at::kInt;
  case ElementKind::Int64:
    return at::kLong;
  case ElementKind::Bool:
    return at::kBool;
  case ElementKind::UInt8:
    return at::kByte;
  case ElementKind::UInt16:
  case ElementKind::UInt32:
  case ElementKind::UInt64:
    return std::nullopt;
  }
  return std::nullopt;
}

/// Returns the element kind of an ATen scalar type, if Kiln has one.
static std::optional<ElementKind> getElementKind(at::ScalarType type) {
  for (ElementKind kind :
       {ElementKind::Float16, ElementKind::BFloat16, ElementKind::Float32,
        ElementKind::Float64, ElementKind::Int8, ElementKind::Int16,
        ElementKind::Int32, ElementKind::Int64, ElementKind::Bool,
        ElementKind::UInt8})
    if (getScalarType(kind) == type)
      return kind;
  return std::nullopt;
}

/// Copies `tensor` into a new ATen tensor of the same type and shape.
static at::Tensor toAtTensor(const HostTensor &tensor,
                             at::ScalarType scalarType) {
  std::vector<int64_t> sizes(tensor.shape.begin(), tensor.shape.end());
  // from_blob only borrows the bytes (and wants a non-const pointer), so the
  // result is cloned before LibTorch sees it.
  void *data = const_cast<uint8_t *>(tensor.data.data());
  return at::from_blob(data, sizes, at::TensorOptions().dtype(scalarType))
      .clone();
}

/// Copies an ATen tensor (of any strides) into a host tensor.
static llvm::Expected<HostTensor> toHostTensor(const at::Tensor &tensor) {
  std::optional<ElementKind> kind = getElementKind(tensor.scalar_type());
  if (!kind)
    return llvm::createStringError(
        llvm::Twine("LibTorch returned a tensor of type ") +
        c10::toString(tensor.scalar_type()) + ", which Kiln has no kind for");
  at::Tensor dense = tensor.cpu().contiguous();
  llvm::SmallVector<int64_t> shape(dense.sizes().begin(), dense.sizes().end());
  HostTensor result(*kind, shape);
  if (!result.data.empty())
    std::memcpy(result.data.data(), dense.data_ptr(), result.data.size());
  return result;
}

/// Appends the tensors in `value` (a tensor, or tuples and lists nesting
/// tensors) to `tensors` in order, as Kiln's importer flattens results.
static llvm::Error flattenOutputs(const c10::IValue &value,
                                  std::vector<HostTensor> &tensors) {
  if (value.isTensor()) {
    auto tensor = toHostTensor(value.toTensor());
    if (!tensor)
      return tensor.takeError();
    tensors.push_back(std::move(*tensor));
    return llvm::Error::success();
  }
  if (value.isTuple() || value.isList()) {
    auto elements =
        value.isTuple() ? value.toTupleRef().elements() : value.toListRef();
    for (const c10::IValue &element : elements)
      if (llvm::Error error = flattenOutputs(element, tensors))
        return error;
    return llvm::Error::success();
  }
  return llvm::createStringError(
      "LibTorch returned a " + value.tagKind() +
      " (only tensors and tuples or lists of tensors are compared)");
}

/// Runs the TorchScript file in LibTorch on `inputs` and returns its outputs
/// flattened.
static llvm::Expected<std::vector<HostTensor>>
runLibTorch(llvm::StringRef path, llvm::ArrayRef<HostTensor> inputs) {
  std::vector<HostTensor> outputs;
  try {
    torch::jit::Module module = torch::jit::load(path.str());
    module.eval();
    torch::NoGradGuard noGrad;
    std::vector<c10::IValue> arguments;
    for (const HostTensor &input : inputs)
      arguments.push_back(toAtTensor(input, *getScalarType(input.kind)));
    c10::IValue result = module.forward(std::move(arguments));
    if (llvm::Error error = flattenOutputs(result, outputs))
      return std::move(error);
  } catch (const std::exception &error) {
    // LibTorch's messages span lines (with a C++ backtrace); keep the first.
    return llvm::createStringError(
        "LibTorch: " + llvm::StringRef(error.what()).split('\n').first.rtrim());
  }
  return outputs;
}

//===----------------------------------------------------------------------===//
// Comparison
//===----------------------------------------------------------------------===//

/// Returns whether elements of `kind` are compared within the tolerances
/// (rather than for equality).
static bool isFloatKind(ElementKind kind) {
  return kind == ElementKind::Float16 || kind == ElementKind::BFloat16 ||
         kind == ElementKind::Float32 || kind == ElementKind::Float64;
}

/// Returns element `index` of a floating-point tensor as a double.
static double getFloatElement(const HostTensor &tensor, int64_t index) {
  switch (tensor.kind) {
  case ElementKind::Float32:
    return tensor.getData<float>()[index];
  case ElementKind::Float64:
    return tensor.getData<double>()[index];
  default: {
    const llvm::fltSemantics &semantics = tensor.kind == ElementKind::Float16
                                              ? llvm::APFloat::IEEEhalf()
                                              : llvm::APFloat::BFloat();
    llvm::APFloat value(semantics,
                        llvm::APInt(16, tensor.getData<uint16_t>()[index]));
    return value.convertToFloat();
  }
  }
}

/// Returns element `index` of an integer or boolean tensor as an int64_t
/// (uint64 values above INT64_MAX wrap, which keeps equality exact).
static int64_t getIntegerElement(const HostTensor &tensor, int64_t index) {
  switch (tensor.kind) {
  case ElementKind::Int8:
    return tensor.getData<int8_t>()[index];
  case ElementKind::Int16:
    return tensor.getData<int16_t>()[index];
  case ElementKind::Int32:
    return tensor.getData<int32_t>()[index];
  case ElementKind::Int64:
    return tensor.getData<int64_t>()[index];
  case ElementKind::Bool:
  case ElementKind::UInt8:
    return tensor.getData<uint8_t>()[index];
  case ElementKind::UInt16:
    return tensor.getData<uint16_t>()[index];
  case ElementKind::UInt32:
    return tensor.getData<uint32_t>()[index];
  case ElementKind::UInt64:
    return static_cast<int64_t>(tensor.getData<uint64_t>()[index]);
  default:
    llvm_unreachable("expected an integer or boolean tensor");
  }
}

/// Returns "[i, j, k]", the position of row-major element `index`.
static std::string formatIndex(llvm::ArrayRef<int64_t> shape, int64_t index) {
  llvm::SmallVector<int64_t> position(shape.size());
  for (size_t dim = shape.size(); dim-- > 0;) {
    position[dim] = index % shape[dim];
    index /= shape[dim];
  }
  return "[" +
         llvm::join(llvm::map_range(
                        position, [](int64_t i) { return std::to_string(i); }),
                    ", ") +
         "]";
}

/// Compares output `number` of Kiln with LibTorch's, prints one line saying
/// how, and returns whether they match.
static bool compareOutput(size_t number, const HostTensor &kiln,
                          const HostTensor &libtorch) {
  llvm::raw_ostream &os = llvm::outs();
  os << "output " << number << ": ";
  if (kiln.kind != libtorch.kind || kiln.shape != libtorch.shape) {
    os << "kiln " << kiln.describe() << " differs from libtorch "
       << libtorch.describe() << "\n";
    return false;
  }
  os << kiln.describe();

  bool isFloat = isFloatKind(kiln.kind);
  int64_t count = kiln.getNumElements();
  int64_t mismatches = 0, firstMismatch = -1;
  double maxError = 0, largest = 0;
  for (int64_t i = 0; i < count; ++i) {
    bool matches;
    if (isFloat) {
      double actual = getFloatElement(kiln, i);
      double expected = getFloatElement(libtorch, i);
      if (std::isfinite(actual) && std::isfinite(expected)) {
        double error = std::fabs(actual - expected);
        maxError = std::max(maxError, error);
        largest = std::max(largest, std::fabs(expected));
        matches = error <=
                  absoluteTolerance + relativeTolerance * std::fabs(expected);
      } else {
        // Infinities must agree exactly; a NaN matches only a NaN.
        matches =
            actual == expected || (std::isnan(actual) && std::isnan(expected));
      }
    } else {
      int64_t actual = getIntegerElement(kiln, i);
      int64_t expected = getIntegerElement(libtorch, i);
      matches = actual == expected;
      maxError = std::max(maxError, std::fabs(double(actual) - expected));
      largest = std::max(largest, std::fabs(double(expected)));
    }
    if (matches)
      continue;
    if (firstMismatch < 0)
      firstMismatch = i;
    ++mismatches;
  }

  std::string summary = "max abs error " + formatFloat(maxError, 3) +
                        ", largest |value| " + formatFloat(largest, 3);
  if (firstMismatch < 0) {
    os << " matches LibTorch (" << summary << ")\n";
    return true;
  }
  auto formatElement = [&](const HostTensor &tensor) {
    return isFloat ? formatFloat(getFloatElement(tensor, firstMismatch), 8)
                   : std::to_string(getIntegerElement(tensor, firstMismatch));
  };
  os << " differs from LibTorch at index "
     << formatIndex(kiln.shape, firstMismatch) << ": kiln "
     << formatElement(kiln) << " vs libtorch " << formatElement(libtorch)
     << " (" << mismatches << " of " << count << " elements differ, " << summary
     << ")\n";
  return false;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions(checkCategory);
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "kiln-torch-check: run a TorchScript model in LibTorch and compiled "
          "by Kiln on the same random inputs and compare the outputs\n\n"
          "  kiln-torch-check model.pt --input-shape 1x3x224x224xf32\n\n"
          "Prints one line per output. Exit status: 0 when every output "
          "matches, 1 when one differs (in count, element type, shape or "
          "values), 2 when the model cannot be checked\n",
          &llvm::errs()))
    return kErrorExitCode;
  if (!(relativeTolerance >= 0) || !(absoluteTolerance >= 0) ||
      std::isinf(relativeTolerance) || std::isinf(absoluteTolerance))
    return fail("--rtol and --atol must be finite and not negative");

  mlir::registerAllPasses();
  kiln::registerAllPasses();
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  kiln::registerAllDialects(registry);
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  llvm::SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  kiln::PlainDiagnosticHandler plainDiagnostics(&context, "kiln-torch-check");

  // The inputs both sides run on.
  kiln::TorchImportOptions options;
  std::vector<HostTensor> inputs;
  for (const std::string &spec : inputShapes) {
    std::string error;
    mlir::RankedTensorType type = kiln::parseInputShape(spec, &context, error);
    if (!type)
      return fail("--input-shape " + error);
    std::optional<ElementKind> kind =
        kiln::getElementKind(type.getElementType());
    if (!kind || !getScalarType(*kind))
      return fail("--input-shape '" + spec +
                  "': the element type has no LibTorch equivalent");
    options.inputTypes.push_back(type);
    uint64_t inputSeed = uint64_t(seed) + inputs.size();
    inputs.push_back(kiln::makeRandomTensor(*kind, type.getShape(), inputSeed));
  }

  mlir::OwningOpRef<mlir::ModuleOp> module =
      kiln::importTorchScriptModel(modelPath, context, options);
  if (!module)
    return kErrorExitCode;
  auto executable = kiln::CpuExecutable::compile(*module);
  if (!executable)
    return fail(modelPath + ": " + llvm::toString(executable.takeError()));
  if (llvm::Error error =
          kiln::checkInputs((*executable)->getSignature(), inputs))
    return fail(modelPath + ": " + llvm::toString(std::move(error)));
  for (auto [index, input] : llvm::enumerate(inputs))
    llvm::outs() << "input " << index << ": " << input.describe() << " (seed "
                 << uint64_t(seed) + index << ")\n";
  auto kilnOutputs = (*executable)->run(inputs);
  if (!kilnOutputs)
    return fail(modelPath + ": " + llvm::toString(kilnOutputs.takeError()));

  auto torchOutputs = runLibTorch(modelPath, inputs);
  if (!torchOutputs)
    return fail(modelPath + ": " + llvm::toString(torchOutputs.takeError()));

  bool allMatch = true;
  if (kilnOutputs->size() != torchOutputs->size()) {
    llvm::outs() << "Kiln's model has " << kilnOutputs->size()
                 << " outputs but LibTorch returned " << torchOutputs->size()
                 << "\n";
    allMatch = false;
  }
  size_t differing = 0;
  size_t compared = std::min(kilnOutputs->size(), torchOutputs->size());
  for (size_t i = 0; i < compared; ++i)
    if (!compareOutput(i, (*kilnOutputs)[i], (*torchOutputs)[i]))
      ++differing;
  if (differing)
    llvm::outs() << differing << " of " << compared
                 << " outputs differ from LibTorch (rtol "
                 << formatFloat(relativeTolerance, 3) << ", atol "
                 << formatFloat(absoluteTolerance, 3) << ")\n";
  return allMatch && !differing ? 0 : kDiffersExitCode;
}
