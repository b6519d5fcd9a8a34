// RUN: kiln-opt %s --nn-to-linalg | FileCheck %s

// CHECK-DAG: #[[$ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$ROW_UNIT:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$FIRST_UNIT:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-DAG: #[[$LAST_UNIT:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG: #[[$TRAILING:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[$SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-DAG: #[[$ID1:.*]] = affine_map<(d0) -> (d0)>

// Tests that a binary op broadcasts as in NumPy: the missing leading
// dimension is not read and the static size-1 dimension reads index 0.
// CHECK-LABEL: func @add_broadcast
// CHECK:         %[[INIT:.*]] = tensor.empty() : tensor<2x3x4xf32>
// CHECK:         linalg.generic
// CHECK-SAME:      indexing_maps = [#[[$ID3]], #[[$ROW_UNIT]], #[[$ID3]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "parallel"]
// CHECK-SAME:      ins(%{{.*}}, %{{.*}} : tensor<2x3x4xf32>, tensor<3x1xf32>)
// CHECK-SAME:      outs(%[[INIT]] : tensor<2x3x4xf32>)
// CHECK:           arith.addf
func.func @add_broadcast(%a: tensor<2x3x4xf32>, %b: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %r = nn.add %a, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  return %r : tensor<2x3x4xf32>
}

// Tests that a dynamic dimension that may be 1 at run time is broadcast
// inside an scf.if when it is 1 and the result size is not: the result size
// is the other operand's size when this one is 1.
// CHECK-LABEL: func @mul_dynamic
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[DA:.*]] = tensor.dim %arg0, %{{.*}} : tensor<?x3xf32>
// CHECK-DAG:     %[[DB:.*]] = tensor.dim %arg1, %{{.*}} : tensor<?x1xf32>
// CHECK:         %[[A_IS_ONE:.*]] = arith.cmpi eq, %[[DA]], %[[C1]]
// CHECK:         %[[SIZE:.*]] = arith.select %[[A_IS_ONE]], %[[DB]], %[[DA]] : index
// CHECK:         %[[A:.*]] = scf.if %{{.*}} -> (tensor<?x3xf32>) {
// CHECK:           linalg.generic {indexing_maps = [#[[$FIRST_UNIT]], #[[$ID2]]]
// CHECK:         } else {
// CHECK:           scf.yield %arg0
// CHECK:         %[[B:.*]] = scf.if %{{.*}} -> (tensor<?x1xf32>) {
// CHECK:         %[[INIT:.*]] = tensor.empty(%[[SIZE]]) : tensor<?x3xf32>
// CHECK:         linalg.generic
// CHECK-SAME:      indexing_maps = [#[[$ID2]], #[[$LAST_UNIT]], #[[$ID2]]]
// CHECK-SAME:      ins(%[[A]], %[[B]] :
// CHECK:           arith.mulf
func.func @mul_dynamic(%a: tensor<?x3xf32>, %b: tensor<?x1xf32>) -> tensor<?x3xf32> {
  %r = nn.mul %a, %b : (tensor<?x3xf32>, tensor<?x1xf32>) -> tensor<?x3xf32>
  return %r : tensor<?x3xf32>
}

// Tests that operands whose dynamic sizes are the same dimension of the same
// tensor need no run-time broadcast.
// CHECK-LABEL: func @sub_same_tensor
// CHECK-NOT:     scf.if
// CHECK:         linalg.generic
// CHECK:           arith.subf
func.func @sub_same_tensor(%a: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %r = nn.sub %a, %a : (tensor<?x3xf32>, tensor<?x3xf32>) -> tensor<?x3xf32>
  return %r : tensor<?x3xf32>
}

// Tests that integer division truncates toward zero (divsi), integer max is
// signed, and integer pow is math.ipowi.
// CHECK-LABEL: func @integer_ops
// CHECK:         arith.divsi
// CHECK:         arith.maxsi
// CHECK:         arith.minsi
// CHECK:         math.ipowi
func.func @integer_ops(%a: tensor<4xi32>, %b: tensor<4xi32>) -> (tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>) {
  %0 = nn.div %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %1 = nn.max %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %2 = nn.min %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %3 = nn.pow %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0, %1, %2, %3 : tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>
}

// Tests that float max/min propagate NaN (maximumf/minimumf, not maxnumf) and
// float pow is math.powf.
// CHECK-LABEL: func @float_ops
// CHECK:         arith.maximumf
// CHECK:         arith.minimumf
// CHECK:         arith.divf
// CHECK:         math.powf
func.func @float_ops(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = nn.max %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = nn.min %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = nn.div %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %3 = nn.pow %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// Tests that where broadcasts all three operands, including a 0-D one.
// CHECK-LABEL: func @where
// CHECK:         linalg.generic
// CHECK-SAME:      indexing_maps = [#[[$LAST_UNIT]], #[[$TRAILING]], #[[$SCALAR]], #[[$ID2]]]
// CHECK:         ^bb0(%[[C:.*]]: i1, %[[L:.*]]: f32, %[[R:.*]]: f32, %{{.*}}: f32):
// CHECK:           arith.select %[[C]], %[[L]], %[[R]] : f32
func.func @where(%c: tensor<2x1xi1>, %a: tensor<3xf32>, %b: tensor<f32>) -> tensor<2x3xf32> {
  %r = nn.where %c, %a, %b : (tensor<2x1xi1>, tensor<3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

// Tests that cast has ONNX semantics: float to int truncates (fptosi), float
// to i1 is "!= 0" with NaN true (une), i1 converts unsigned (uitofp, extui),
// int to i1 is "!= 0", narrowing wraps (trunci), wider ints sign-extend.
// CHECK-LABEL: func @casts
// CHECK:         arith.fptosi %{{.*}} : f32 to i32
// CHECK:         arith.cmpf une, %{{.*}}, %{{.*}} : f32
// CHECK:         arith.uitofp %{{.*}} : i1 to f32
// CHECK:         arith.cmpi ne, %{{.*}}, %{{.*}} : i64
// CHECK:         arith.trunci %{{.*}} : i64 to i8
// CHECK:         arith.extui %{{.*}} : i1 to i32
// CHECK:         arith.extsi %{{.*}} : i8 to i64
// CHECK:         arith.sitofp %{{.*}} : i64 to f32
// CHECK:         arith.extf %{{.*}} : f32 to f64
func.func @casts(%f: tensor<4xf32>, %b: tensor<4xi1>, %i: tensor<4xi64>, %s: tensor<4xi8>)
    -> (tensor<4xi32>, tensor<4xi1>, tensor<4xf32>, tensor<4xi1>, tensor<4xi8>, tensor<4xi32>, tensor<4xi64>, tensor<4xf32>, tensor<4xf64>) {
  %0 = nn.cast %f : tensor<4xf32> -> tensor<4xi32>
  %1 = nn.cast %f : tensor<4xf32> -> tensor<4xi1>
  %2 = nn.cast %b : tensor<4xi1> -> tensor<4xf32>
  %3 = nn.cast %i : tensor<4xi64> -> tensor<4xi1>
  %4 = nn.cast %i : tensor<4xi64> -> tensor<4xi8>
  %5 = nn.cast %b : tensor<4xi1> -> tensor<4xi32>
  %6 = nn.cast %s : tensor<4xi8> -> tensor<4xi64>
  %7 = nn.cast %i : tensor<4xi64> -> tensor<4xf32>
  %8 = nn.cast %f : tensor<4xf32> -> tensor<4xf64>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8 : tensor<4xi32>, tensor<4xi1>, tensor<4xf32>, tensor<4xi1>, tensor<4xi8>, tensor<4xi32>, tensor<4xi64>, tensor<4xf32>, tensor<4xf64>
}

// Tests that clip clamps with NaN-propagating float max/min, and that integer
// bounds round inward (ceil for min) and drop when outside the type's range.
// CHECK-LABEL: func @clip
// CHECK:         %[[LO:.*]] = arith.constant -1.000000e+00 : f32
// CHECK:         %[[LOW:.*]] = arith.maximumf %{{.*}}, %[[LO]] : f32
// CHECK:         %[[HI:.*]] = arith.constant 6.000000e+00 : f32
// CHECK:         arith.minimumf %[[LOW]], %[[HI]] : f32
// CHECK:         %[[ILO:.*]] = arith.constant -2 : i32
// CHECK:         arith.maxsi %{{.*}}, %[[ILO]] : i32
// CHECK-NOT:     arith.minsi
// CHECK:         return
func.func @clip(%f: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
  %0 = nn.clip %f {min = -1.0 : f64, max = 6.0 : f64} : tensor<4xf32>
  %1 = nn.clip %i {min = -2.5 : f64, max = 1.0e10 : f64} : tensor<4xi32>
  return %0, %1 : tensor<4xf32>, tensor<4xi32>
}

// Tests that gelu is exact (erf of x / sqrt(2)) by default and uses the tanh
// formula with sqrt(2 / pi) and 0.044715 when asked.
// CHECK-LABEL: func @gelu
// CHECK:         arith.constant 0.707106769 : f32
// CHECK:         math.erf
// CHECK:         arith.constant 4.471500e-02 : f32
// CHECK:         arith.constant 0.797884583 : f32
// CHECK:         math.tanh
func.func @gelu(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = nn.gelu %x : tensor<4xf32>
  %1 = nn.gelu %x {approximate = #nn.gelu_approximation<tanh>} : tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// Tests that the activations use PyTorch's formulas: relu is maximumf with 0
// (NaN stays NaN), sigmoid 1 / (1 + exp(-x)), silu x / (1 + exp(-x)),
// hardswish x * min(max(x + 3, 0), 6) / 6 and hardsigmoid
// max(0, min(1, alpha x + beta)).
// CHECK-LABEL: func @activations
// CHECK:         arith.maximumf
// CHECK:         arith.negf
// CHECK-NEXT:    math.exp
// CHECK-NEXT:    arith.addf
// CHECK-NEXT:    arith.divf
// CHECK:         arith.negf
// CHECK-NEXT:    math.exp
// CHECK-NEXT:    arith.addf
// CHECK-NEXT:    arith.divf %{{.*}}, %{{.*}} : f32
// CHECK:         %[[THREE:.*]] = arith.constant 3.000000e+00 : f32
// CHECK:         %[[SIX:.*]] = arith.constant 6.000000e+00 : f32
// CHECK:         %[[SHIFT:.*]] = arith.addf %{{.*}}, %[[THREE]]
// CHECK:         %[[MAX:.*]] = arith.maximumf %[[SHIFT]]
// CHECK:         %[[MIN:.*]] = arith.minimumf %[[MAX]], %[[SIX]]
// CHECK:         %[[MUL:.*]] = arith.mulf %{{.*}}, %[[MIN]]
// CHECK:         arith.divf %[[MUL]], %[[SIX]]
// CHECK:         %[[ALPHA:.*]] = arith.constant 2.500000e-01 : f32
// CHECK:         %[[BETA:.*]] = arith.constant 1.250000e-01 : f32
// CHECK:         %[[SCALED:.*]] = arith.mulf %[[ALPHA]], %{{.*}}
// CHECK:         %[[LINEAR:.*]] = arith.addf %[[SCALED]], %[[BETA]]
// CHECK:         %[[CAPPED:.*]] = arith.minimumf %[[LINEAR]]
// CHECK:         arith.maximumf %[[CAPPED]]
func.func @activations(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = nn.relu %x : tensor<4xf32>
  %1 = nn.sigmoid %x : tensor<4xf32>
  %2 = nn.silu %x : tensor<4xf32>
  %3 = nn.hardswish %x : tensor<4xf32>
  %4 = nn.hardsigmoid %x {alpha = 0.25 : f64, beta = 0.125 : f64} : tensor<4xf32>
  return %0, %1, %2, %3, %4 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// Tests that the math functions map to the math dialect, and integer neg and
// abs to 0 - x and math.absi.
// CHECK-LABEL: func @math
// CHECK:         math.tanh
// CHECK:         math.erf
// CHECK:         math.exp
// CHECK:         math.log
// CHECK:         math.sqrt
// CHECK:         math.rsqrt
// CHECK:         arith.negf
// CHECK:         math.absf
// CHECK:         arith.subi
// CHECK:         math.absi
func.func @math(%x: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<4xi32>) {
  %0 = nn.tanh %x : tensor<4xf32>
  %1 = nn.erf %x : tensor<4xf32>
  %2 = nn.exp %x : tensor<4xf32>
  %3 = nn.log %x : tensor<4xf32>
  %4 = nn.sqrt %x : tensor<4xf32>
  %5 = nn.rsqrt %x : tensor<4xf32>
  %6 = nn.neg %x : tensor<4xf32>
  %7 = nn.abs %x : tensor<4xf32>
  %8 = nn.neg %i : tensor<4xi32>
  %9 = nn.abs %i : tensor<4xi32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<4xi32>
}
