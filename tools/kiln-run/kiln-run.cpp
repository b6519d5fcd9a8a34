//===- kiln-run.cpp - run a model on the CPU
//--------------------------------===//
//
// Compiles an ONNX or TorchScript model or an nn-dialect .mlir file for this
// CPU, runs it on tensors read from .npy / ONNX .pb files (or seeded random
// inputs), prints and optionally saves the outputs, and can time repeated
// runs.
//
//===----------------------------------------------------------------------===//

#include "kiln/InitAllDialects.h"
#include "kiln/InitAllPasses.h"
#include "kiln/cpu/CpuExecutable.h"
#include "kiln/cpu/kiln_kernels.h"
#include "kiln/support/LoadModel.h"
#include "kiln/support/ThreadsOption.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace cl = llvm::cl;
using namespace kiln;

static cl::OptionCategory runCategory("kiln-run options");

static cl::opt<std::string> modelPath(
    cl::Positional, cl::Required, cl::cat(runCategory),
    cl::desc("<model: .onnx, .pt (TorchScript), or .mlir holding nn ops>"));

static cl::list<std::string>
    inputPaths("input", cl::cat(runCategory), cl::value_desc("file"),
               cl::desc("An input tensor (.npy or ONNX TensorProto .pb), in "
                        "the model's input order; repeat for each input. "
                        "Inputs not given are generated from --seed"));

static cl::opt<std::string>
    outputDir("output-dir", cl::cat(runCategory), cl::value_desc("dir"),
              cl::desc("Write each output as DIR/output_<i>.npy (the "
                       "directory is created if missing)"));

static cl::opt<unsigned> benchmarkRuns(
    "benchmark", cl::cat(runCategory), cl::init(0), cl::value_desc("N"),
    cl::desc("After the first (warm-up) run, time N more runs and print "
             "their median latency"));

static cl::opt<std::string>
    entryName("entry", cl::cat(runCategory), cl::value_desc("name"),
              cl::desc("Function to run in an .mlir file with several public "
                       "functions"));

static cl::opt<unsigned>
    seed("seed", cl::cat(runCategory), cl::init(0),
         cl::desc("Seed for generated inputs (input i uses seed + i)"));

static cl::list<std::string> inputShapes(
    "input-shape", cl::cat(runCategory), cl::value_desc("shape"),
    cl::desc("The type of the next input not given by --input, such as "
             "1x3x224x224xf32 (inputs given by --input take their file's "
             "type): required for TorchScript (.pt), which records no input "
             "types; for ONNX it fixes dynamic dimensions"));

static cl::opt<bool> specialize(
    "specialize", cl::cat(runCategory), cl::init(true),
    cl::desc("Where the compiler needs an ONNX operand at compile time that "
             "the model takes as a graph input (a Reshape's shape, a Slice's "
             "starts, a sequence position), read it from the given input "
             "file; the compiled code is then valid for that value only, and "
             "kiln-run says which inputs it specialized to. With "
             "--specialize=false such models are reported as unsupported"));

static cl::opt<unsigned>
    printCount("print-values", cl::cat(runCategory), cl::init(8),
               cl::value_desc("K"),
               cl::desc("Print the first K values of each output (0: none)"));

static cl::list<int64_t> tileSizes(
    "tile-sizes", cl::cat(runCategory), cl::CommaSeparated,
    cl::value_desc("t0,t1,..."),
    cl::desc("Tile every linalg op before bufferization (kiln-tile-linalg): "
             "an op with N loops takes the first N sizes, outermost loop "
             "first; 0 or a missing size leaves a loop untiled. A schedule "
             "knob: the results are the same up to float summation order"));

static cl::opt<int64_t> vectorBits(
    "vector-bits", cl::cat(runCategory), cl::init(0), cl::value_desc("bits"),
    cl::desc("Preferred vector width in bits for LLVM's vectorizers "
             "(prefer-vector-width, e.g. 128, 256, 512); 0: the host CPU's "
             "default"));

static cl::opt<bool> microkernels(
    "microkernels", cl::cat(runCategory), cl::init(true),
    cl::desc("Call Kiln's hand-written kernels for f32 matrix products and "
             "convolutions (kiln-cpu-microkernels); "
             "--microkernels=false generates their loops instead"));

/// Prints "kiln-run: error: <message>" and returns the exit code 1.
static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "kiln-run") << message << "\n";
  return 1;
}

/// Returns `value` with six significant digits, as printf's %g does.
static std::string formatFloat(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

/// Returns element `index` of `tensor` as text.
static std::string formatElement(const HostTensor &tensor, int64_t index) {
  switch (tensor.kind) {
  case ElementKind::Float32:
    return formatFloat(tensor.getData<float>()[index]);
  case ElementKind::Float64:
    return formatFloat(tensor.getData<double>()[index]);
  case ElementKind::Float16:
  case ElementKind::BFloat16: {
    const llvm::fltSemantics &semantics = tensor.kind == ElementKind::Float16
                                              ? llvm::APFloat::IEEEhalf()
                                              : llvm::APFloat::BFloat();
    llvm::APFloat value(semantics,
                        llvm::APInt(16, tensor.getData<uint16_t>()[index]));
    return formatFloat(value.convertToFloat());
  }
  case ElementKind::Int8:
    return std::to_string(tensor.getData<int8_t>()[index]);
  case ElementKind::Int16:
    return std::to_string(tensor.getData<int16_t>()[index]);
  case ElementKind::Int32:
    return std::to_string(tensor.getData<int32_t>()[index]);
  case ElementKind::Int64:
    return std::to_string(tensor.getData<int64_t>()[index]);
  case ElementKind::Bool:
    return tensor.getData<uint8_t>()[index] ? "true" : "false";
  case ElementKind::UInt8:
    return std::to_string(tensor.getData<uint8_t>()[index]);
  case ElementKind::UInt16:
    return std::to_string(tensor.getData<uint16_t>()[index]);
  case ElementKind::UInt32:
    return std::to_string(tensor.getData<uint32_t>()[index]);
  case ElementKind::UInt64:
    return std::to_string(tensor.getData<uint64_t>()[index]);
  }
  return "?";
}

/// Seconds since `start`.
static double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::opt<int> &threadCount = kiln::registerThreadsOption(runCategory);
  cl::HideUnrelatedOptions(runCategory);
  cl::ParseCommandLineOptions(
      argc, argv,
      "kiln-run: compile a model for this CPU and run it\n\n"
      "  kiln-run model.onnx --input x.npy --output-dir out --benchmark 20\n"
      "  kiln-run model.pt --input-shape 1x3x224x224xf32\n"
      "  kiln-run model.onnx --tile-sizes 1,8,8 --vector-bits 256\n"
      "  kiln-run model.onnx --threads 1 --benchmark 50\n");

  if (llvm::any_of(tileSizes, [](int64_t size) { return size < 0; }))
    return fail("--tile-sizes: sizes must be >= 0");
  if (vectorBits < 0)
    return fail("--vector-bits: must be >= 0");
  if (threadCount < 0)
    return fail("--threads: must be >= 0");
  kiln_set_num_threads(threadCount);

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
  PlainDiagnosticHandler plainDiagnostics(&context, "kiln-run");

  // Inputs are read before compiling: the compiler may specialize to them.
  std::vector<HostTensor> inputs;
  OnnxImportOptions onnxOptions;
  for (const std::string &path : inputPaths) {
    auto tensor = readTensorFile(path);
    if (!tensor)
      return fail(llvm::toString(tensor.takeError()));
    if (specialize)
      onnxOptions.knownInputs.push_back(encodeTensorProto(*tensor));
    inputs.push_back(std::move(*tensor));
  }

  // TorchScript records no input types: given inputs lend theirs, then
  // --input-shape types the rest.
  // For ONNX, --input-shape fixes the dynamic dimensions of the inputs
  // generated after the given ones.
  TorchImportOptions torchOptions;
  for (const HostTensor &tensor : inputs) {
    torchOptions.inputTypes.push_back(mlir::RankedTensorType::get(
        tensor.shape, getMLIRType(tensor.kind, &context)));
    onnxOptions.inputTypes.push_back(nullptr);
  }
  if (llvm::Error error =
          addInputShapes(inputShapes, context, onnxOptions, torchOptions))
    return fail(llvm::toString(std::move(error)));

  auto start = std::chrono::steady_clock::now();
  mlir::OwningOpRef<mlir::ModuleOp> module =
      loadModel(modelPath, context, onnxOptions, torchOptions);
  if (!module)
    return 1;
  if (auto names =
          (*module)->getAttrOfType<mlir::ArrayAttr>(kSpecializedInputsAttr)) {
    llvm::outs() << "specialized to the given shape or value of input";
    llvm::outs() << (names.size() > 1 ? "s " : " ");
    llvm::interleaveComma(names, llvm::outs(), [](mlir::Attribute name) {
      llvm::outs() << "'" << llvm::cast<mlir::StringAttr>(name).getValue()
                   << "'";
    });
    llvm::outs() << " (the compiled code is valid for such inputs only)\n";
  }

  CpuScheduleOptions schedule;
  schedule.tileSizes.assign(tileSizes.begin(), tileSizes.end());
  schedule.vectorBits = vectorBits;
  schedule.microkernels = microkernels;
  auto executable = CpuExecutable::compile(*module, entryName, schedule);
  if (!executable)
    return fail(modelPath + ": " + llvm::toString(executable.takeError()));
  const ModelSignature &signature = (*executable)->getSignature();
  llvm::outs() << "compiled " << modelPath << " ('" << signature.entry
               << "') in " << llvm::formatv("{0:f2}", secondsSince(start))
               << " s\n";

  if (inputPaths.size() > signature.inputs.size())
    return fail(llvm::Twine(inputPaths.size()) +
                " inputs given but the model takes " +
                llvm::Twine(signature.inputs.size()));
  for (auto [index, spec] : llvm::enumerate(signature.inputs)) {
    if (index < inputPaths.size())
      continue;
    inputs.push_back(makeRandomTensor(spec.kind, spec.shape, seed + index));
    llvm::outs() << "input " << index << " " << spec.describe()
                 << ": generated (seed " << seed + index << ")\n";
  }
  if (llvm::Error error = checkInputs(signature, inputs))
    return fail(llvm::toString(std::move(error)));

  auto outputs = (*executable)->run(inputs);
  if (!outputs)
    return fail(llvm::toString(outputs.takeError()));

  if (!outputDir.empty())
    if (std::error_code error = llvm::sys::fs::create_directories(outputDir))
      return fail(outputDir + ": cannot create directory: " + error.message());
  for (auto [index, output] : llvm::enumerate(*outputs)) {
    llvm::outs() << "output " << index << " "
                 << signature.outputs[index].describe();
    int64_t shown = std::min<int64_t>(printCount, output.getNumElements());
    if (shown > 0) {
      llvm::outs() << ": [";
      for (int64_t i = 0; i < shown; ++i)
        llvm::outs() << (i ? ", " : "") << formatElement(output, i);
      llvm::outs() << (shown < output.getNumElements() ? ", ...]" : "]");
    }
    if (!outputDir.empty()) {
      llvm::SmallString<256> path(outputDir);
      llvm::sys::path::append(path, "output_" + std::to_string(index) + ".npy");
      if (llvm::Error error = writeNpyFile(path, output))
        return fail(llvm::toString(std::move(error)));
      llvm::outs() << " -> " << path;
    }
    llvm::outs() << "\n";
  }

  if (benchmarkRuns > 0) {
    std::vector<double> milliseconds;
    for (unsigned run = 0; run < benchmarkRuns; ++run) {
      auto begin = std::chrono::steady_clock::now();
      if (llvm::Error error = (*executable)->runInto(inputs, *outputs))
        return fail(llvm::toString(std::move(error)));
      milliseconds.push_back(secondsSince(begin) * 1e3);
    }
    std::sort(milliseconds.begin(), milliseconds.end());
    size_t n = milliseconds.size();
    double median = n % 2 ? milliseconds[n / 2]
                          : (milliseconds[n / 2 - 1] + milliseconds[n / 2]) / 2;
    llvm::outs() << llvm::formatv("latency: median {0:f3} ms over {1} runs "
                                  "(min {2:f3}, max {3:f3}; 1 warm-up run)\n",
                                  median, n, milliseconds.front(),
                                  milliseconds.back());
  }
  return 0;
}
