// Tests that kiln-translate offers MLIR's own translations: an LLVM-dialect
// function becomes LLVM IR.
// RUN: kiln-translate --mlir-to-llvmir %s | FileCheck %s
// RUN: kiln-translate --help | FileCheck %s --check-prefix=HELP

// CHECK: define i32 @answer()
// CHECK:   ret i32 42
// HELP: OVERVIEW: Kiln translation driver
// HELP: --mlir-to-llvmir
llvm.func @answer() -> i32 {
  %0 = llvm.mlir.constant(42 : i32) : i32
  llvm.return %0 : i32
}
