//===- CostReport.h - kiln-cost's per-layer table ---------------*- C++ -*-===//
//
// The rows kiln-cost prints: one per nn op of the entry function, with its
// work counts and the estimate on the target, and the totals; as a table or
// as the JSON object docs/costmodel.md documents.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TOOLS_KILN_COST_COSTREPORT_H
#define KILN_TOOLS_KILN_COST_COSTREPORT_H

#include "kiln/costmodel/CostModel.h"
#include "kiln/costmodel/LearnedModel.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace kiln {

struct CostRow {
  std::string name;
  std::string op;
  std::string output;
  cost::KernelFeatures kernel;
  cost::Estimate estimate;
  /// With --measure: the layer's own median time as a kernel (0 for views).
  double measuredSeconds = 0;
};

struct CostReport {
  cost::TargetSpec target;
  std::string function;
  std::vector<CostRow> rows;
  cost::OpWork totalWork;
  /// Sums of the layers' predictions and band edges (layers run in turn).
  double seconds = 0;
  double low = 0;
  double high = 0;
  /// "roofline", or the learned model's directory.
  std::string predictor = "roofline";
  bool measured = false;
  double measuredLayersSeconds = 0;
  /// The whole model compiled and run at once (--measure).
  double measuredModelSeconds = 0;
};

/// Estimates every layer (nn op directly in `entry`) on `target`: the
/// roofline, corrected by `model` when there is one (`modelDir` names it).
llvm::Expected<CostReport> buildCostReport(mlir::func::FuncOp entry,
                                           const cost::TargetSpec &target,
                                           const cost::LearnedModel *model,
                                           llvm::StringRef modelDir);

/// Runs every layer as a kernel and the whole model on this CPU, filling
/// the measured fields; progress goes to stderr.
llvm::Error measureCostReport(CostReport &report, mlir::func::FuncOp entry);

void printCostReportTable(const CostReport &report, llvm::StringRef model,
                          llvm::raw_ostream &os);
void printCostReportJson(const CostReport &report, llvm::StringRef model,
                         llvm::raw_ostream &os);

} // namespace kiln

#endif // KILN_TOOLS_KILN_COST_COSTREPORT_H
