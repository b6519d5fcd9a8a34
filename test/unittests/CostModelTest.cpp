//===- CostModelTest.cpp - analytical work counts ------------------------===//
//
// Every nn op has a work formula, and the counting rules of OpWork.h hold on
// parsed IR: sizes by storage width, views that move nothing, partial reads,
// and fusion regions that keep their intermediates.
//
//===----------------------------------------------------------------------===//

#include "kiln/costmodel/OpWork.h"
#include "kiln/dialects/nn/NNDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace kiln;

namespace {

class CostModelTest : public ::testing::Test {
protected:
  CostModelTest() {
    context
        .loadDialect<nn::NNDialect, func::FuncDialect, quant::QuantDialect>();
  }

  /// Parses `body` as the only function of a module and returns its ops
  /// (not nested ones) that are layers.
  std::vector<Operation *> parseLayers(llvm::StringRef source) {
    module = parseSourceString<ModuleOp>(source, &context);
    EXPECT_TRUE(module);
    std::vector<Operation *> layers;
    if (!module)
      return layers;
    for (auto func : module->getOps<func::FuncOp>())
      for (Operation &op : func.getBody().front())
        if (cost::isLayerOp(&op))
          layers.push_back(&op);
    return layers;
  }

  cost::OpWork work(Operation *op) {
    std::string error;
    FailureOr<cost::OpWork> result = cost::computeOpWork(op, error);
    EXPECT_TRUE(succeeded(result)) << error;
    return succeeded(result) ? *result : cost::OpWork();
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
};

TEST_F(CostModelTest, EveryNNOpHasAFormula) {
  auto *dialect = context.getLoadedDialect<nn::NNDialect>();
  int covered = 0;
  for (RegisteredOperationName name : context.getRegisteredOperations()) {
    if (&name.getDialect() != dialect)
      continue;
    llvm::StringRef opName = name.getStringRef();
    if (opName == "nn.constant" || opName == "nn.yield")
      continue;
    EXPECT_TRUE(cost::hasWorkFormula(name)) << opName.str();
    ++covered;
  }
  EXPECT_GT(covered, 90);
}

TEST_F(CostModelTest, ConvolutionAndElementwise) {
  std::vector<Operation *> layers = parseLayers(R"mlir(
    func.func @f(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>,
                 %b: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
      %c = nn.conv2d %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
      %r = nn.sigmoid %c : tensor<1x4x6x6xf32>
      return %r : tensor<1x4x6x6xf32>
    })mlir");
  ASSERT_EQ(layers.size(), 2u);
  int64_t outputs = 1 * 4 * 6 * 6;
  cost::OpWork conv = work(layers[0]);
  EXPECT_EQ(conv.flops, 2.0 * outputs * 3 * 3 * 3 + outputs);
  EXPECT_EQ(conv.bytesRead, 4.0 * (3 * 8 * 8 + 4 * 3 * 3 * 3 + 4));
  EXPECT_EQ(conv.bytesWritten, 4.0 * outputs);
  cost::OpWork sigmoid = work(layers[1]);
  EXPECT_EQ(sigmoid.flops, 4.0 * outputs);
  EXPECT_DOUBLE_EQ(sigmoid.getIntensity(), 4.0 * outputs / (8.0 * outputs));
}

TEST_F(CostModelTest, ViewsAndPartialReads) {
  std::vector<Operation *> layers = parseLayers(R"mlir(
    func.func @f(%x: tensor<4x6xf16>) -> (tensor<24xf16>, tensor<2x6xf16>) {
      %r = nn.reshape %x : tensor<4x6xf16> -> tensor<24xf16>
      %s = nn.slice %x {starts = array<i64: 1, 0>, ends = array<i64: 3, 6>, steps = array<i64: 1, 1>} : (tensor<4x6xf16>) -> tensor<2x6xf16>
      return %r, %s : tensor<24xf16>, tensor<2x6xf16>
    })mlir");
  ASSERT_EQ(layers.size(), 2u);
  cost::OpWork reshape = work(layers[0]);
  EXPECT_EQ(reshape.getBytes(), 0.0);
  EXPECT_EQ(reshape.getIntensity(), 0.0);
  cost::OpWork slice = work(layers[1]);
  EXPECT_EQ(slice.flops, 0.0);
  EXPECT_EQ(slice.bytesRead, 2.0 * 12);
  EXPECT_EQ(slice.bytesWritten, 2.0 * 12);
}

TEST_F(CostModelTest, FusionKeepsIntermediates) {
  std::vector<Operation *> layers = parseLayers(R"mlir(
    func.func @f(%x: tensor<16xf32>, %y: tensor<16xf32>) -> tensor<16xf32> {
      %0 = nn.fusion (%x, %y) : (tensor<16xf32>, tensor<16xf32>) -> tensor<16xf32> {
      ^bb0(%a: tensor<16xf32>, %b: tensor<16xf32>):
        %s = nn.add %a, %b : (tensor<16xf32>, tensor<16xf32>) -> tensor<16xf32>
        %t = nn.tanh %s : tensor<16xf32>
        nn.yield %t : tensor<16xf32>
      }
      return %0 : tensor<16xf32>
    })mlir");
  ASSERT_EQ(layers.size(), 1u);
  cost::OpWork fused = work(layers[0]);
  EXPECT_EQ(fused.flops, 16.0 + 16.0);
  EXPECT_EQ(fused.bytesRead, 2 * 4.0 * 16);
  EXPECT_EQ(fused.bytesWritten, 4.0 * 16);
}

TEST_F(CostModelTest, StorageWidths) {
  MLIRContext *ctx = &context;
  auto bools = RankedTensorType::get({10}, IntegerType::get(ctx, 1));
  EXPECT_EQ(cost::getTensorBytes(bools), 10.0);
  auto dynamic =
      RankedTensorType::get({ShapedType::kDynamic}, Float32Type::get(ctx));
  EXPECT_EQ(cost::getTensorBytes(dynamic), 0.0);
  std::vector<Operation *> layers = parseLayers(R"mlir(
    func.func @f(%x: tensor<8xf32>) -> tensor<8x!quant.uniform<i8:f32, 0.5>> {
      %q = nn.quantize %x : tensor<8xf32> -> tensor<8x!quant.uniform<i8:f32, 0.5>>
      return %q : tensor<8x!quant.uniform<i8:f32, 0.5>>
    })mlir");
  ASSERT_EQ(layers.size(), 1u);
  cost::OpWork quantize = work(layers[0]);
  EXPECT_EQ(quantize.bytesRead, 32.0);
  EXPECT_EQ(quantize.bytesWritten, 8.0);
}

TEST_F(CostModelTest, DynamicShapesAreAnError) {
  std::vector<Operation *> layers = parseLayers(R"mlir(
    func.func @f(%x: tensor<?xf32>) -> tensor<?xf32> {
      %r = nn.relu %x : tensor<?xf32>
      return %r : tensor<?xf32>
    })mlir");
  ASSERT_EQ(layers.size(), 1u);
  std::string error;
  EXPECT_TRUE(failed(cost::computeOpWork(layers[0], error)));
  EXPECT_NE(error.find("unknown shape"), std::string::npos) << error;
}

} // namespace
