//===- kiln-opt.cpp - Kiln's opt-style driver
//-------------------------------===//
//
// Parses MLIR, runs a pass pipeline and prints the result, with every
// upstream dialect and pass plus Kiln's. Out-of-tree passes load with
// --load-pass-plugin=lib.so and may use Kiln's dialects: the tool exports its
// symbols for them.
//
//===----------------------------------------------------------------------===//

#include "kiln/InitAllDialects.h"
#include "kiln/InitAllPasses.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/WithColor.h"

/// Checks every `--load-pass-plugin` argument before MlirOptMain sees it:
/// upstream reports an unloadable plugin but carries on and exits 0, which
/// would hide a typo in a build script. Returns false after printing one
/// error line for the first plugin that cannot be loaded.
static bool checkPassPlugins(int argc, char **argv) {
  const llvm::StringRef flag = "--load-pass-plugin";
  const llvm::StringRef flagWithValue = "--load-pass-plugin=";
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    if (arg.starts_with("-load-pass-plugin"))
      arg = arg.drop_front(); // accept the single-dash spelling too
    if (!arg.starts_with(flag))
      continue;
    llvm::StringRef path;
    if (arg.consume_front(flagWithValue))
      path = arg;
    else if (arg == flag && i + 1 < argc)
      path = argv[++i];
    else
      continue;
    auto plugin = mlir::PassPlugin::load(path.str());
    if (!plugin) {
      llvm::WithColor::error(llvm::errs(), "kiln-opt")
          << "cannot load pass plugin '" << path
          << "': " << llvm::toString(plugin.takeError()) << "\n";
      return false;
    }
  }
  return true;
}

int main(int argc, char **argv) {
  if (!checkPassPlugins(argc, argv))
    return 1;

  mlir::registerAllPasses();
  kiln::registerAllPasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  kiln::registerAllDialects(registry);

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "Kiln optimizer driver: runs MLIR and Kiln passes\n",
      registry));
}
