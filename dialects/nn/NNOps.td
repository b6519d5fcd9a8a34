//===- NNOps.td - nn dialect operations --------------------*- tablegen -*-===//
//
// Entry point for the nn op definitions; each family lives in its own file.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_NN_NNOPS_TD
#define KILN_DIALECTS_NN_NNOPS_TD

include "dialects/nn/NNBase.td"
include "dialects/nn/NNElementwiseOps.td"
include "dialects/nn/NNLayerOps.td"
include "dialects/nn/NNShapeOps.td"
include "dialects/nn/NNQuantOps.td"
include "dialects/nn/NNStructureOps.td"
include "dialects/nn/NNIndexingOps.td"
include "dialects/nn/NNImageOps.td"

#endif // KILN_DIALECTS_NN_NNOPS_TD
