//===- ThreadsOption.h - the --threads option of Kiln's tools -----*- C++
//-*-===//
//
// libLLVM registers an undocumented `-threads` option of its own, which
// would clash with Kiln's at static initialization. Tools call
// registerThreadsOption from main, before parsing the command line: it
// retires LLVM's and registers Kiln's in the tool's category.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_SUPPORT_THREADSOPTION_H
#define KILN_SUPPORT_THREADSOPTION_H

#include "llvm/Support/CommandLine.h"

namespace kiln {

/// Registers `--threads N` in `category` and returns it (0 = default).
inline llvm::cl::opt<int> &
registerThreadsOption(llvm::cl::OptionCategory &category) {
  auto &options = llvm::cl::getRegisteredOptions();
  if (auto it = options.find("threads"); it != options.end())
    it->second->removeArgument();
  static llvm::cl::opt<int> threads(
      "threads", llvm::cl::cat(category), llvm::cl::init(0),
      llvm::cl::value_desc("N"),
      llvm::cl::desc("Threads for the model's kernels, from one pool per "
                     "process; 0: every core this process may use, or "
                     "$KILN_NUM_THREADS when set"));
  return threads;
}

} // namespace kiln

#endif // KILN_SUPPORT_THREADSOPTION_H
