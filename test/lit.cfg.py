# lit configuration for Kiln's tests: which files are tests, and the tool
# substitutions they use (%kiln_libs for plugins, %kiln_src for examples).
import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "Kiln"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.kiln_obj_root, "test")
# Folders that hold inputs or sources rather than lit tests.
config.excludes = ["CMakeLists.txt", "lib", "unittests", "Inputs"]

config.substitutions.append(("%kiln_libs", config.kiln_libs_dir))
config.substitutions.append(("%kiln_src", config.kiln_src_root))
# Debian's interpreter, which sees python3-torch/onnx/numpy (the first
# python3 on PATH may be another one).
config.substitutions.append(("%debian_python", "/usr/bin/python3"))
# MLIR's runtime libraries (printMemref*) for tests that run with mlir-runner.
config.substitutions.append(
    ("%mlir_lib_dir", os.path.join(os.path.dirname(config.llvm_tools_dir),
                                   "lib")))

# kiln-cost keeps this machine's CPU spec, measurements and trained models in
# a cache directory: the tests use one in the build tree, never ~/.cache.
config.environment["KILN_CACHE_DIR"] = os.path.join(config.test_exec_root,
                                                    "kiln-cache")

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(
    [ToolSubst("kiln-opt", unresolved="fatal"),
     ToolSubst("kiln-translate", unresolved="fatal"),
     ToolSubst("kiln-run", unresolved="fatal"),
     ToolSubst("kiln-compile", unresolved="fatal"),
     ToolSubst("kiln-cost", unresolved="fatal"),
     ToolSubst("mlir-runner", unresolved="fatal"),
     # Built only with LibTorch (test/lib/torch-check); where it is missing,
     # the tests that run it fail alone instead of the whole suite.
     ToolSubst("kiln-torch-check", unresolved="ignore")],
    [config.kiln_tools_dir, config.llvm_tools_dir])
