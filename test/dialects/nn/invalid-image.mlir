// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Verifier errors of nn.resize.

// Tests that nn.resize rejects a result of another element type.
func.func @resize_element_type(%x: tensor<1x4xf32>) {
  // expected-error @below {{result type 'tensor<1x8xf16>' must have the rank and element type of 'tensor<1x4xf32>'}}
  %0 = nn.resize %x {scales = array<f64: 1.0, 2.0>} : (tensor<1x4xf32>) -> tensor<1x8xf16>
  return
}

// -----

// Tests that nn.resize rejects a result of another rank.
func.func @resize_rank(%x: tensor<1x4xf32>) {
  // expected-error @below {{result type 'tensor<8xf32>' must have the rank and element type of 'tensor<1x4xf32>'}}
  %0 = nn.resize %x {scales = array<f64: 1.0, 2.0>} : (tensor<1x4xf32>) -> tensor<8xf32>
  return
}

// -----

// Tests that nn.resize needs one scale per dimension.
func.func @resize_scale_count(%x: tensor<1x4xf32>) {
  // expected-error @below {{expects one scale per dimension, got 1 for rank 2}}
  %0 = nn.resize %x {scales = array<f64: 2.0>} : (tensor<1x4xf32>) -> tensor<1x8xf32>
  return
}

// -----

// Tests that nn.resize rejects a zero scale.
func.func @resize_zero_scale(%x: tensor<1x4xf32>) {
  // expected-error @below {{scale of dimension 1 must be a positive number, got 0}}
  %0 = nn.resize %x {scales = array<f64: 1.0, 0.0>} : (tensor<1x4xf32>) -> tensor<1x1xf32>
  return
}

// -----

// Tests that nn.resize rejects a dynamic dimension it would resize.
func.func @resize_dynamic(%x: tensor<1x?xf32>) {
  // expected-error @below {{dynamic dimension 1 must be dynamic in input and result, with scale 1 and a coordinate mode that keeps it unchanged}}
  %0 = nn.resize %x {scales = array<f64: 1.0, 2.0>} : (tensor<1x?xf32>) -> tensor<1x?xf32>
  return
}

// -----

// Tests that nn.resize rejects a dynamic dimension in a coordinate mode
// that moves coordinates even at scale 1.
func.func @resize_dynamic_tf_half_pixel(%x: tensor<?x4xf32>) {
  // expected-error @below {{dynamic dimension 0 must be dynamic in input and result}}
  %0 = nn.resize %x {scales = array<f64: 1.0, 2.0>, coordinate_transformation_mode = #nn.coordinate_mode<tf_half_pixel_for_nn>} : (tensor<?x4xf32>) -> tensor<?x8xf32>
  return
}

// -----

// Tests that nn.resize cannot fill a result from an empty dimension.
func.func @resize_empty(%x: tensor<1x0xf32>) {
  // expected-error @below {{cannot resize empty dimension 1 to size 2}}
  %0 = nn.resize %x {scales = array<f64: 1.0, 2.0>} : (tensor<1x0xf32>) -> tensor<1x2xf32>
  return
}

// -----

// Tests that nn.resize interpolates only floating-point tensors.
func.func @resize_linear_int(%x: tensor<1x4xi32>) {
  // expected-error @below {{mode 'linear' needs a floating-point element type, got 'i32'}}
  %0 = nn.resize %x {scales = array<f64: 1.0, 2.0>, mode = #nn.resize_mode<linear>} : (tensor<1x4xi32>) -> tensor<1x8xi32>
  return
}

// -----

// Tests that nn.resize needs 'roi' in tf_crop_and_resize mode.
func.func @resize_crop_without_roi(%x: tensor<1x4xf32>) {
  // expected-error @below {{'roi' is required with tf_crop_and_resize and only with it}}
  %0 = nn.resize %x {scales = array<f64: 1.0, 2.0>, coordinate_transformation_mode = #nn.coordinate_mode<tf_crop_and_resize>} : (tensor<1x4xf32>) -> tensor<1x8xf32>
  return
}

// -----

// Tests that nn.resize rejects 'roi' outside tf_crop_and_resize mode.
func.func @resize_roi_without_crop(%x: tensor<1x4xf32>) {
  // expected-error @below {{'roi' is required with tf_crop_and_resize and only with it}}
  %0 = nn.resize %x {scales = array<f64: 1.0, 2.0>, roi = array<f64: 0.0, 0.0, 1.0, 1.0>} : (tensor<1x4xf32>) -> tensor<1x8xf32>
  return
}

// -----

// Tests that nn.resize needs a start and an end per dimension in 'roi'.
func.func @resize_roi_size(%x: tensor<1x4xf32>) {
  // expected-error @below {{'roi' must have 4 entries (starts, then ends), got 2}}
  %0 = nn.resize %x {scales = array<f64: 1.0, 2.0>, coordinate_transformation_mode = #nn.coordinate_mode<tf_crop_and_resize>, roi = array<f64: 0.0, 1.0>} : (tensor<1x4xf32>) -> tensor<1x8xf32>
  return
}
