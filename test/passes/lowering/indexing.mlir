// RUN: kiln-opt %s --nn-to-linalg | FileCheck %s

// Tests that cumsum is an scf.for along the axis (from its end with
// reverse) whose iter_args are the running sum and the result; an exclusive
// sum inserts the running sum before the in-place add.
// CHECK-LABEL: func @cumsum
// CHECK:         %[[ZERO:.*]] = linalg.fill
// CHECK:         scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[SUM:.*]] = %[[ZERO]], %[[OUT:.*]] = %{{.*}}) -> (tensor<3x1xf32>, tensor<3x4xf32>)
// CHECK:           %[[POS:.*]] = arith.subi %{{.*}}, %[[K]] : index
// CHECK:           %[[SLICE:.*]] = tensor.extract_slice %arg0[0, %[[POS]]] [3, 1] [1, 1]
// CHECK:           %[[INS:.*]] = tensor.insert_slice %[[SUM]] into %[[OUT]][0, %[[POS]]] [3, 1] [1, 1]
// CHECK:           %[[NEW:.*]] = linalg.generic {{.*}} ins(%[[SLICE]] : tensor<3x1xf32>) outs(%[[SUM]] : tensor<3x1xf32>)
// CHECK:             arith.addf
// CHECK:           scf.yield %[[NEW]], %[[INS]]
func.func @cumsum(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = nn.cumsum %x {axis = 1 : i64, exclusive = true, reverse = true} : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// Tests that gather_nd is one linalg.generic over the result that reads each
// tuple element, wraps and clamps it, and extracts from the data.
// CHECK-LABEL: func @gather_nd
// CHECK:         linalg.generic {{.*}} outs(%{{.*}} : tensor<5x4xf32>)
// CHECK:           %[[I:.*]] = linalg.index 0
// CHECK:           %[[J:.*]] = linalg.index 1
// CHECK:           tensor.extract %arg1[%[[I]], %{{.*}}] : tensor<5x2xi64>
// CHECK:           %[[D0:.*]] = arith.minsi
// CHECK:           tensor.extract %arg1[%[[I]], %{{.*}}] : tensor<5x2xi64>
// CHECK:           %[[D1:.*]] = arith.minsi
// CHECK:           tensor.extract %arg0[%[[D0]], %[[D1]], %[[J]]] : tensor<2x3x4xf32>
func.func @gather_nd(%x: tensor<2x3x4xf32>, %i: tensor<5x2xi64>) -> tensor<5x4xf32> {
  %0 = nn.gather_nd %x, %i : (tensor<2x3x4xf32>, tensor<5x2xi64>) -> tensor<5x4xf32>
  return %0 : tensor<5x4xf32>
}

// Tests that scatter_elements copies the data and loops over the indices,
// reading the element at the target for the add and inserting the sum.
// CHECK-LABEL: func @scatter_elements
// CHECK:         %[[COPY:.*]] = linalg.copy ins(%arg0 : tensor<3x5xi32>)
// CHECK:         scf.for %[[R:.*]] = {{.*}} iter_args(%{{.*}} = %[[COPY]])
// CHECK:           scf.for %[[C:.*]] = {{.*}} iter_args(%[[T:.*]] = %{{.*}})
// CHECK:             tensor.extract %arg1[%[[R]], %[[C]]] : tensor<2x2xi64>
// CHECK:             %[[AT:.*]] = arith.minsi
// CHECK:             %[[U:.*]] = tensor.extract %arg2[%[[R]], %[[C]]]
// CHECK:             %[[OLD:.*]] = tensor.extract %[[T]][%[[R]], %[[AT]]]
// CHECK:             %[[SUM:.*]] = arith.addi %[[OLD]], %[[U]] : i32
// CHECK:             tensor.insert %[[SUM]] into %[[T]][%[[R]], %[[AT]]]
func.func @scatter_elements(%x: tensor<3x5xi32>, %i: tensor<2x2xi64>, %u: tensor<2x2xi32>) -> tensor<3x5xi32> {
  %0 = nn.scatter_elements %x, %i, %u {axis = 1 : i64, reduction = #nn.scatter_reduction<add>} : (tensor<3x5xi32>, tensor<2x2xi64>, tensor<2x2xi32>) -> tensor<3x5xi32>
  return %0 : tensor<3x5xi32>
}

// Tests that top_k runs, per slice, k scans of the axis that carry the best
// value and position and insert both results.
// CHECK-LABEL: func @top_k
// CHECK:         scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args({{.*}}) -> (tensor<3x2xf32>, tensor<3x2xi64>, f32, index)
// CHECK:           %[[SCAN:.*]]:2 = scf.for {{.*}} -> (f32, index)
// CHECK:             arith.cmpf ogt
// CHECK:           tensor.insert %[[SCAN]]#0 into %{{.*}}[%{{.*}}, %[[J]]] : tensor<3x2xf32>
// CHECK:           %[[IDX:.*]] = arith.index_cast %[[SCAN]]#1 : index to i64
// CHECK:           tensor.insert %[[IDX]] into %{{.*}}[%{{.*}}, %[[J]]] : tensor<3x2xi64>
func.func @top_k(%x: tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>) {
  %0, %1 = nn.top_k %x {axis = 1 : i64, k = 2 : i64} : (tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>)
  return %0, %1 : tensor<3x2xf32>, tensor<3x2xi64>
}
