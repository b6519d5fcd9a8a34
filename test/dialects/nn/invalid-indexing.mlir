// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Verifier errors of cumsum, gather_nd, scatter_elements, scatter_nd and top_k.

// Tests that nn.cumsum rejects an axis equal to the rank.
func.func @cumsum_axis(%x: tensor<2x3xf32>) {
  // expected-error @below {{axis 2 is out of range for rank 2}}
  // expected-error @below {{'nn.cumsum' op failed to infer returned types}}
  %0 = nn.cumsum %x {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that nn.gather_nd rejects scalar indices.
func.func @gather_nd_scalar_indices(%x: tensor<2x3xf32>, %i: tensor<i64>) {
  // expected-error @below {{indices must have rank >= 1}}
  // expected-error @below {{'nn.gather_nd' op failed to infer returned types}}
  %0 = nn.gather_nd %x, %i : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that nn.gather_nd rejects index tuples of dynamic length.
func.func @gather_nd_dynamic_tuple(%x: tensor<2x3xf32>, %i: tensor<4x?xi64>) {
  // expected-error @below {{the last dimension of indices must be static}}
  // expected-error @below {{'nn.gather_nd' op failed to infer returned types}}
  %0 = nn.gather_nd %x, %i : (tensor<2x3xf32>, tensor<4x?xi64>) -> tensor<4xf32>
  return
}

// -----

// Tests that nn.gather_nd rejects batch_dims as large as the indices rank.
func.func @gather_nd_batch_dims(%x: tensor<2x3xf32>, %i: tensor<2x1xi64>) {
  // expected-error @below {{batch_dims 2 must be in [0, min(data rank, indices rank))}}
  // expected-error @below {{'nn.gather_nd' op failed to infer returned types}}
  %0 = nn.gather_nd %x, %i {batch_dims = 2 : i64} : (tensor<2x3xf32>, tensor<2x1xi64>) -> tensor<2xf32>
  return
}

// -----

// Tests that nn.gather_nd rejects index tuples longer than the data rank.
func.func @gather_nd_long_tuple(%x: tensor<2x3xf32>, %i: tensor<4x3xi64>) {
  // expected-error @below {{index tuples of length 3 do not fit data of rank 2 with 0 batch dimensions}}
  // expected-error @below {{'nn.gather_nd' op failed to infer returned types}}
  %0 = nn.gather_nd %x, %i : (tensor<2x3xf32>, tensor<4x3xi64>) -> tensor<4xf32>
  return
}

// -----

// Tests that nn.gather_nd rejects batch dimensions of different sizes.
func.func @gather_nd_batch_mismatch(%x: tensor<2x3xf32>, %i: tensor<3x1xi64>) {
  // expected-error @below {{the batch dimensions of data and indices do not match}}
  // expected-error @below {{'nn.gather_nd' op failed to infer returned types}}
  %0 = nn.gather_nd %x, %i {batch_dims = 1 : i64} : (tensor<2x3xf32>, tensor<3x1xi64>) -> tensor<3xf32>
  return
}

// -----

// Tests that nn.scatter_elements rejects updates of another element type.
func.func @scatter_elements_update_type(%x: tensor<2x3xf32>, %i: tensor<2x3xi64>, %u: tensor<2x3xf64>) {
  // expected-error @below {{updates of element type 'f64' do not match data of element type 'f32'}}
  // expected-error @below {{'nn.scatter_elements' op failed to infer returned types}}
  %0 = nn.scatter_elements %x, %i, %u {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3xi64>, tensor<2x3xf64>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that nn.scatter_elements rejects an axis equal to the rank.
func.func @scatter_elements_axis(%x: tensor<2x3xf32>, %i: tensor<2x3xi64>, %u: tensor<2x3xf32>) {
  // expected-error @below {{axis 2 is out of range for rank 2}}
  // expected-error @below {{'nn.scatter_elements' op failed to infer returned types}}
  %0 = nn.scatter_elements %x, %i, %u {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x3xi64>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that nn.scatter_elements rejects indices of another rank.
func.func @scatter_elements_rank(%x: tensor<2x3xf32>, %i: tensor<6xi64>, %u: tensor<6xf32>) {
  // expected-error @below {{indices of rank 1 do not match data of rank 2}}
  // expected-error @below {{'nn.scatter_elements' op failed to infer returned types}}
  %0 = nn.scatter_elements %x, %i, %u {axis = 0 : i64} : (tensor<2x3xf32>, tensor<6xi64>, tensor<6xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that nn.scatter_elements rejects indices and updates of different shapes.
func.func @scatter_elements_shapes(%x: tensor<2x3xf32>, %i: tensor<2x3xi64>, %u: tensor<2x2xf32>) {
  // expected-error @below {{indices and updates must have the same shape}}
  // expected-error @below {{'nn.scatter_elements' op failed to infer returned types}}
  %0 = nn.scatter_elements %x, %i, %u {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3xi64>, tensor<2x2xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that nn.scatter_elements rejects indices larger than the data off the axis.
func.func @scatter_elements_too_large(%x: tensor<2x3xf32>, %i: tensor<2x4xi64>, %u: tensor<2x4xf32>) {
  // expected-error @below {{indices dimension 1 of size 4 exceeds the data size 3}}
  // expected-error @below {{'nn.scatter_elements' op failed to infer returned types}}
  %0 = nn.scatter_elements %x, %i, %u {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x4xi64>, tensor<2x4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that nn.scatter_elements rejects writing along an empty axis.
func.func @scatter_elements_empty_axis(%x: tensor<2x0xf32>, %i: tensor<2x1xi64>, %u: tensor<2x1xf32>) {
  // expected-error @below {{cannot scatter into an empty axis 1}}
  // expected-error @below {{'nn.scatter_elements' op failed to infer returned types}}
  %0 = nn.scatter_elements %x, %i, %u {axis = 1 : i64} : (tensor<2x0xf32>, tensor<2x1xi64>, tensor<2x1xf32>) -> tensor<2x0xf32>
  return
}

// -----

// Tests that nn.scatter_nd rejects updates of another element type.
func.func @scatter_nd_update_type(%x: tensor<2x3xi32>, %i: tensor<2x1xi64>, %u: tensor<2x3xi64>) {
  // expected-error @below {{updates of element type 'i64' do not match data of element type 'i32'}}
  // expected-error @below {{'nn.scatter_nd' op failed to infer returned types}}
  %0 = nn.scatter_nd %x, %i, %u : (tensor<2x3xi32>, tensor<2x1xi64>, tensor<2x3xi64>) -> tensor<2x3xi32>
  return
}

// -----

// Tests that nn.scatter_nd rejects index tuples longer than the data rank.
func.func @scatter_nd_long_tuple(%x: tensor<2x3xf32>, %i: tensor<2x3xi64>, %u: tensor<2xf32>) {
  // expected-error @below {{index tuples of length 3 do not fit data of rank 2}}
  // expected-error @below {{'nn.scatter_nd' op failed to infer returned types}}
  %0 = nn.scatter_nd %x, %i, %u : (tensor<2x3xf32>, tensor<2x3xi64>, tensor<2xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that nn.scatter_nd rejects updates of the wrong shape.
func.func @scatter_nd_update_shape(%x: tensor<2x3xf32>, %i: tensor<4x1xi64>, %u: tensor<4x2xf32>) {
  // expected-error @below {{updates must have shape indices.shape[:-1] + data.shape[1:]}}
  // expected-error @below {{'nn.scatter_nd' op failed to infer returned types}}
  %0 = nn.scatter_nd %x, %i, %u : (tensor<2x3xf32>, tensor<4x1xi64>, tensor<4x2xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that nn.top_k rejects an axis equal to the rank.
func.func @top_k_axis(%x: tensor<2x3xf32>) {
  // expected-error @below {{axis 2 is out of range for rank 2}}
  // expected-error @below {{'nn.top_k' op failed to infer returned types}}
  %0, %1 = nn.top_k %x {axis = 2 : i64, k = 1 : i64} : (tensor<2x3xf32>) -> (tensor<2x1xf32>, tensor<2x1xi64>)
  return
}

// -----

// Tests that nn.top_k rejects k larger than the axis.
func.func @top_k_large_k(%x: tensor<2x3xf32>) {
  // expected-error @below {{k = 4 is out of range for axis 1 of size 3}}
  // expected-error @below {{'nn.top_k' op failed to infer returned types}}
  %0, %1 = nn.top_k %x {axis = 1 : i64, k = 4 : i64} : (tensor<2x3xf32>) -> (tensor<2x4xf32>, tensor<2x4xi64>)
  return
}
