// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// Round-trip test of cumsum, gather_nd, scatter_elements, scatter_nd and
// top_k: each case is parsed, printed, re-parsed and printed again (once
// through the custom form, once through the generic form). Every result
// type below is the one the dialect infers, so a case also checks shape
// inference.

// Tests that cumsum round-trips with its defaults, exclusive and reverse, on
// floats, integers and dynamic dimensions.
// CHECK-LABEL: func @cumsum(
// CHECK:         nn.cumsum %{{.*}} {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         nn.cumsum %{{.*}} {axis = 0 : i64, exclusive = true, reverse = true} : (tensor<?x4xi64>) -> tensor<?x4xi64>
func.func @cumsum(%x: tensor<2x3xf32>, %y: tensor<?x4xi64>)
    -> (tensor<2x3xf32>, tensor<?x4xi64>) {
  %0 = nn.cumsum %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = nn.cumsum %y {axis = 0 : i64, exclusive = true, reverse = true} : (tensor<?x4xi64>) -> tensor<?x4xi64>
  return %0, %1 : tensor<2x3xf32>, tensor<?x4xi64>
}

// Tests that gather_nd infers indices.shape[:-1] + data.shape[b + r:], with
// and without batch dimensions.
// CHECK-LABEL: func @gather_nd(
// CHECK:         nn.gather_nd %{{.*}}, %{{.*}} : (tensor<2x3x4xf32>, tensor<5x2xi64>) -> tensor<5x4xf32>
// CHECK:         nn.gather_nd %{{.*}}, %{{.*}} {batch_dims = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x1xi32>) -> tensor<2x4xf32>
func.func @gather_nd(%x: tensor<2x3x4xf32>, %i: tensor<5x2xi64>,
                     %j: tensor<2x1xi32>) -> (tensor<5x4xf32>, tensor<2x4xf32>) {
  %0 = nn.gather_nd %x, %i : (tensor<2x3x4xf32>, tensor<5x2xi64>) -> tensor<5x4xf32>
  %1 = nn.gather_nd %x, %j {batch_dims = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x1xi32>) -> tensor<2x4xf32>
  return %0, %1 : tensor<5x4xf32>, tensor<2x4xf32>
}

// Tests that scatter_elements and scatter_nd round-trip with the default
// reduction and with an explicit one, keeping the data type.
// CHECK-LABEL: func @scatter(
// CHECK:         nn.scatter_elements %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<3x5xf32>, tensor<2x2xi64>, tensor<2x2xf32>) -> tensor<3x5xf32>
// CHECK:         nn.scatter_elements %{{.*}}, %{{.*}}, %{{.*}} {axis = 0 : i64, reduction = #nn.scatter_reduction<max>} : (tensor<3x5xf32>, tensor<2x2xi64>, tensor<2x2xf32>) -> tensor<3x5xf32>
// CHECK:         nn.scatter_nd %{{.*}}, %{{.*}}, %{{.*}} {reduction = #nn.scatter_reduction<mul>} : (tensor<3x5xf32>, tensor<4x1xi64>, tensor<4x5xf32>) -> tensor<3x5xf32>
func.func @scatter(%x: tensor<3x5xf32>, %i: tensor<2x2xi64>, %u: tensor<2x2xf32>,
                   %j: tensor<4x1xi64>, %v: tensor<4x5xf32>)
    -> (tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>) {
  %0 = nn.scatter_elements %x, %i, %u {axis = 1 : i64} : (tensor<3x5xf32>, tensor<2x2xi64>, tensor<2x2xf32>) -> tensor<3x5xf32>
  %1 = nn.scatter_elements %x, %i, %u {axis = 0 : i64, reduction = #nn.scatter_reduction<max>} : (tensor<3x5xf32>, tensor<2x2xi64>, tensor<2x2xf32>) -> tensor<3x5xf32>
  %2 = nn.scatter_nd %x, %j, %v {reduction = #nn.scatter_reduction<mul>} : (tensor<3x5xf32>, tensor<4x1xi64>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return %0, %1, %2 : tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>
}

// Tests that top_k infers k along the axis for the values and i64 indices.
// CHECK-LABEL: func @top_k(
// CHECK:         nn.top_k %{{.*}} {axis = 1 : i64, k = 2 : i64} : (tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>)
// CHECK:         nn.top_k %{{.*}} {axis = 0 : i64, k = 0 : i64, largest = false} : (tensor<3x4xi32>) -> (tensor<0x4xi32>, tensor<0x4xi64>)
func.func @top_k(%x: tensor<3x4xf32>, %y: tensor<3x4xi32>)
    -> (tensor<3x2xf32>, tensor<3x2xi64>, tensor<0x4xi32>, tensor<0x4xi64>) {
  %0, %1 = nn.top_k %x {axis = 1 : i64, k = 2 : i64} : (tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>)
  %2, %3 = nn.top_k %y {axis = 0 : i64, k = 0 : i64, largest = false} : (tensor<3x4xi32>) -> (tensor<0x4xi32>, tensor<0x4xi64>)
  return %0, %1, %2, %3 : tensor<3x2xf32>, tensor<3x2xi64>, tensor<0x4xi32>, tensor<0x4xi64>
}
