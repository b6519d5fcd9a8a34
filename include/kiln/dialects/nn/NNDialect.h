//===- NNDialect.h - the nn dialect -----------------------------*- C++ -*-===//
//
// Declares the nn dialect class and its enum and attribute types.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_NN_NNDIALECT_H
#define KILN_DIALECTS_NN_NNDIALECT_H

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Attributes.h"
#include "mlir/IR/Dialect.h"

#include "dialects/nn/NNDialect.h.inc"
#include "dialects/nn/NNEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/nn/NNAttrs.h.inc"

#endif // KILN_DIALECTS_NN_NNDIALECT_H
