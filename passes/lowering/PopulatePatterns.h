//===- PopulatePatterns.h - nn-to-linalg pattern families -------*- C++ -*-===//
//
// Private to passes/lowering: declares one populate function per op family
// of the nn-to-linalg conversion and the type converter they share. The pass
// (NNToLinalg.cpp) only wires these together; each family's patterns live in
// their own file.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_LOWERING_POPULATEPATTERNS_H
#define KILN_PASSES_LOWERING_POPULATEPATTERNS_H

#include "mlir/Transforms/DialectConversion.h"

namespace kiln::lowering {

/// Converts the types nn ops carry into the types of the lowered IR: a
/// tensor (or scalar) of an upstream `quant` element type becomes one of the
/// quantized type's storage integer type, one of an unsigned integer type
/// (`ui8`..`ui64`) one of the signless type of that width; every other type
/// is kept.
class NNToLinalgTypeConverter : public mlir::TypeConverter {
public:
  NNToLinalgTypeConverter();
};

/// Binary arithmetic with broadcasting, where, the comparisons and the unary
/// activations and math functions (ElementwisePatterns.cpp).
void populateElementwisePatterns(const mlir::TypeConverter &typeConverter,
                                 mlir::RewritePatternSet &patterns);

/// Cast, clip and bit_shift, whose integer results depend on the width and
/// signedness of the element type (CastPatterns.cpp).
void populateCastPatterns(const mlir::TypeConverter &typeConverter,
                          mlir::RewritePatternSet &patterns);

/// Convolution, matmul, batch_matmul, gemm, linear and the 2-D pools
/// (LayerPatterns.cpp).
void populateLayerPatterns(const mlir::TypeConverter &typeConverter,
                           mlir::RewritePatternSet &patterns);

/// conv3d, conv_transpose and the 3-D pools (WindowPatterns.cpp).
void populateWindowPatterns(const mlir::TypeConverter &typeConverter,
                            mlir::RewritePatternSet &patterns);

/// Softmax, layer_norm, batch_norm, global_avg_pool and the reductions
/// (NormalizationPatterns.cpp).
void populateNormalizationPatterns(const mlir::TypeConverter &typeConverter,
                                   mlir::RewritePatternSet &patterns);

/// Constants and the data-movement ops: reshape, flatten, transpose, concat,
/// slice, pad and gather (DataMovementPatterns.cpp).
void populateDataMovementPatterns(const mlir::TypeConverter &typeConverter,
                                  mlir::RewritePatternSet &patterns);

/// cumsum, gather_nd, scatter_elements, scatter_nd and top_k
/// (IndexingPatterns.cpp).
void populateIndexingPatterns(const mlir::TypeConverter &typeConverter,
                              mlir::RewritePatternSet &patterns);

/// Quantize and dequantize (QuantizationPatterns.cpp).
void populateQuantizationPatterns(const mlir::TypeConverter &typeConverter,
                                  mlir::RewritePatternSet &patterns);

/// nn.fusion, whose body is inlined (FusionPatterns.cpp).
void populateFusionPatterns(const mlir::TypeConverter &typeConverter,
                            mlir::RewritePatternSet &patterns);

/// nn.resize, through per-dimension sampling tables (ResizePatterns.cpp).
void populateResizePatterns(const mlir::TypeConverter &typeConverter,
                            mlir::RewritePatternSet &patterns);

} // namespace kiln::lowering

#endif // KILN_PASSES_LOWERING_POPULATEPATTERNS_H
