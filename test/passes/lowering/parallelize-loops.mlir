// RUN: kiln-opt %s --split-input-file --kiln-parallelize-loops="min-elements=64" | FileCheck %s

// Tests the outlining: the generic becomes a private function over a range
// [begin, end) of its outermost loop, reading each operand's descriptor
// through a table of pointers, and taking subviews along the dimension that
// loop indexes (the broadcast bias, indexed by the inner loop only, is read
// whole); the constant the body uses is cloned in. At the call site the
// table is built on the stack and kiln_parallel_range gets the trip count.
// CHECK-LABEL: func.func @bias_relu
// CHECK: %[[TABLE:.*]] = llvm.alloca %{{.*}} x !llvm.array<3 x ptr>
// CHECK: builtin.unrealized_conversion_cast %arg0 : memref<16x8xf32> to !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
// CHECK: builtin.unrealized_conversion_cast %arg1 : memref<8xf32> to !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
// CHECK: %[[FN:.*]] = constant @__kiln_parallel_loop : (!llvm.ptr, i64, i64) -> ()
// CHECK: %[[TRIPS:.*]] = arith.constant 16 : i64
// CHECK: call @kiln_parallel_range(%[[TRIPS]], %[[FN]], %[[TABLE]])
// CHECK-NOT: linalg.generic
// CHECK: func.func private @kiln_parallel_range(i64, (!llvm.ptr, i64, i64) -> (), !llvm.ptr)
// CHECK: func.func private @__kiln_parallel_loop(%[[CTX:.*]]: !llvm.ptr, %[[B:.*]]: i64, %[[E:.*]]: i64)
// CHECK-DAG: %[[BEGIN:.*]] = arith.index_cast %[[B]] : i64 to index
// CHECK-DAG: %[[END:.*]] = arith.index_cast %[[E]] : i64 to index
// CHECK: %[[SIZE:.*]] = arith.subi %[[END]], %[[BEGIN]]
// CHECK: arith.constant 0.000000e+00 : f32
// CHECK: %[[X:.*]] = builtin.unrealized_conversion_cast %{{.*}} to memref<16x8xf32>
// CHECK: %[[XS:.*]] = memref.subview %[[X]][%[[BEGIN]], 0] [%[[SIZE]], 8] [1, 1]
// CHECK: %[[BIAS:.*]] = builtin.unrealized_conversion_cast %{{.*}} to memref<8xf32>
// CHECK-NOT: memref.subview %[[BIAS]]
// CHECK: %[[Y:.*]] = builtin.unrealized_conversion_cast %{{.*}} to memref<16x8xf32>
// CHECK: %[[YS:.*]] = memref.subview %[[Y]][%[[BEGIN]], 0] [%[[SIZE]], 8] [1, 1]
// CHECK: linalg.generic {{.*}} ins(%[[XS]], %[[BIAS]] : {{.*}}) outs(%[[YS]] :
#id = affine_map<(i, j) -> (i, j)>
#col = affine_map<(i, j) -> (j)>
func.func @bias_relu(%x: memref<16x8xf32>, %b: memref<8xf32>, %y: memref<16x8xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %b : memref<16x8xf32>, memref<8xf32>) outs(%y : memref<16x8xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %s = arith.addf %in, %bias : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Tests the generics left alone: too few iterations; an outermost
// reduction (ranges would write the same outputs); an output the outermost
// loop does not index; linalg.index (its values would be relative to the
// range); a body using a non-constant value from outside.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: kiln_parallel_range
// CHECK-COUNT-5: linalg.generic
// CHECK-NOT: kiln_parallel_range
#id = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (i)>
#col = affine_map<(i, j) -> (j)>
func.func @left_alone(%small: memref<4x8xf32>, %x: memref<16x8xf32>, %sum: memref<8xf32>,
                      %y: memref<16x8xf32>, %k: f32) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%small : memref<4x8xf32>) outs(%small : memref<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.generic {indexing_maps = [#id, #col], iterator_types = ["reduction", "parallel"]}
      ins(%x : memref<16x8xf32>) outs(%sum : memref<8xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id, #col], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<16x8xf32>) outs(%sum : memref<8xf32>) {
  ^bb0(%in: f32, %acc: f32):
    linalg.yield %in : f32
  }
  linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel"]}
      outs(%y : memref<16x8xf32>) {
  ^bb0(%out: f32):
    %i = linalg.index 0 : index
    %c = arith.index_cast %i : index to i32
    %f = arith.sitofp %c : i32 to f32
    linalg.yield %f : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<16x8xf32>) outs(%y : memref<16x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.mulf %in, %k : f32
    linalg.yield %s : f32
  }
  return
}
