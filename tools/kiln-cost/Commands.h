//===- Commands.h - kiln-cost collect, train and eval -----------*- C++ -*-===//

#ifndef KILN_TOOLS_KILN_COST_COMMANDS_H
#define KILN_TOOLS_KILN_COST_COMMANDS_H

#include "kiln/costmodel/LearnedModel.h"
#include "kiln/costmodel/TargetSpec.h"
#include "kiln/support/LoadModel.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/ArrayRef.h"

#include <memory>
#include <string>

namespace kiln {

struct CollectOptions {
  std::vector<std::string> models;
  std::string dbPath;
  double budgetMinutes = 10;
  /// Seconds of repeated runs per kernel and schedule.
  double secondsPerKernel = 0.1;
  /// Only the default schedule (for a quick start or a test).
  bool defaultScheduleOnly = false;
  /// Also measure every kernel converted to these precisions (such as
  /// "f16"), under the first few schedules.
  std::vector<std::string> extraPrecisions;
};

/// Measures every kernel of `options.models` under every candidate schedule
/// on this CPU and stores the medians; skips what is stored already, stops
/// at the budget. Returns the exit code.
int runCollect(const CollectOptions &options, const cost::TargetSpec &target,
               mlir::MLIRContext &context, OnnxImportOptions &onnxOptions,
               TorchImportOptions &torchOptions);

/// Fits the learned model on every stored measurement of `target` (a held-out
/// 20% of the kernels calibrates the band, then the model is refitted on
/// all) and saves it to `outputDir`.
int runTrain(const std::string &dbPath, const cost::TargetSpec &target,
             const std::string &outputDir, bool json);

/// Reports held-out accuracy: a random split by kernel and
/// leave-one-op-kind-out.
int runEval(const std::string &dbPath, const cost::TargetSpec &target,
            bool json);

/// Where `kiln-cost train` writes the model for `target` by default, and
/// where predictions look for it first.
std::string getDefaultModelDir(llvm::StringRef target);

/// The learned model to use for `target`: the trained one in the cache, else
/// the one committed with Kiln (CPU only), else null (roofline only).
/// `where` receives its directory.
llvm::Expected<std::unique_ptr<cost::LearnedModel>>
findLearnedModel(const cost::TargetSpec &target, std::string &where);

} // namespace kiln

#endif // KILN_TOOLS_KILN_COST_COMMANDS_H
