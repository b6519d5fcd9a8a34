//===- AtenRecurrentOps.cpp - aten:: recurrent layer converters -----------===//
//
// nn.LSTM, nn.GRU and nn.RNN call one fused op each (aten::lstm, aten::gru,
// aten::rnn_tanh, aten::rnn_relu) with the flat list of weights. There is
// no recurrent nn op: the layer is unrolled over the static sequence length
// into nn ops. For each layer and direction the input projection
// x * W_ih^T + b_ih of every time step is one nn.linear; each step then adds
// h * W_hh^T + b_hh and applies the gates in PyTorch's order. The step
// outputs are concatenated along the time axis, the two directions of a
// bidirectional layer along the features, and the final states of every
// layer and direction along the first axis, as PyTorch returns them.
//
// Also here: aten::zeros / ones (and their _like forms), which build the
// initial states nn.LSTM and nn.GRU pass when none are given.
//
//===----------------------------------------------------------------------===//

#include "TorchImporter.h"

#include "kiln/dialects/nn/NNOps.h"

using namespace mlir;
using namespace kiln::torchimport;
namespace nn = kiln::nn;

//===----------------------------------------------------------------------===//
// Factories
//===----------------------------------------------------------------------===//

/// aten::zeros / aten::ones(size, dtype, layout, device, pin_memory) and
/// aten::zeros_like / aten::ones_like(self, dtype, layout, device,
/// pin_memory, memory_format): a splat nn.constant.
static LogicalResult convertFill(AtenContext &ctx) {
  StringRef name = ctx.getNode()->kind().toUnqualString();
  double fill = name.starts_with("ones") ? 1.0 : 0.0;
  bool like = name.ends_with("_like");
  SmallVector<int64_t> shape;
  Type elementType;
  if (like) {
    FailureOr<RankedTensorType> type = ctx.getTensorType(0);
    if (failed(type))
      return failure();
    if (!type->hasStaticShape())
      return ctx.fail("a tensor of dynamic shape is not supported");
    shape.assign(type->getShape().begin(), type->getShape().end());
    elementType = type->getElementType();
  } else {
    if (ctx.getNode()->maybeSchema() &&
        ctx.getNode()->maybeSchema()->overload_name() != "")
      return ctx.fail("only the plain overload (a list of sizes) is "
                      "supported");
    FailureOr<SmallVector<int64_t>> sizes = ctx.getInts(0, "the size");
    if (failed(sizes))
      return failure();
    for (int64_t size : *sizes)
      if (size < 0)
        return ctx.fail("invalid size " + Twine(size));
    shape = *sizes;
    elementType = ctx.getBuilder().getF32Type();
  }
  if (!ctx.isNone(1)) {
    FailureOr<int64_t> dtype = ctx.getInt(1, "'dtype'");
    if (failed(dtype))
      return failure();
    elementType =
        getElementType(ctx.getContext(), static_cast<c10::ScalarType>(*dtype));
    if (!elementType)
      return ctx.fail(
          "'dtype' " +
          Twine(c10::toString(static_cast<c10::ScalarType>(*dtype))) +
          " is not supported");
  }
  DenseElementsAttr scalar = nn::getScalarAttr(elementType, fill);
  if (!scalar)
    return ctx.fail("cannot fill a tensor of this element type");
  auto type = RankedTensorType::get(shape, elementType);
  return ctx.setResult(ctx.create<nn::ConstantOp>(ElementsAttr(
      DenseElementsAttr::get(type, scalar.getSplatValue<Attribute>()))));
}

//===----------------------------------------------------------------------===//
// Recurrent layers
//===----------------------------------------------------------------------===//

namespace {
enum class CellKind { LSTM, GRU, RNNTanh, RNNRelu };

/// The weights of one layer and direction; biases and the LSTM projection
/// are null when absent.
struct CellWeights {
  Value inputWeight, hiddenWeight, inputBias, hiddenBias, projection;
};

/// The final states of one direction and its outputs, one per time step in
/// time order (batch x outputSize each).
struct DirectionResult {
  SmallVector<Value> outputs;
  Value hidden, cell;
};

/// Unrolls one recurrent layer after another.
class RecurrentBuilder {
public:
  RecurrentBuilder(AtenContext &ctx, CellKind kind, bool batchFirst,
                   int64_t batch, int64_t seq, int64_t hiddenSize,
                   int64_t outputSize)
      : ctx(ctx), kind(kind), batchFirst(batchFirst), batch(batch), seq(seq),
        hiddenSize(hiddenSize), outputSize(outputSize) {}

  /// Slices [begin, end) of axis `axis` of a static tensor.
  FailureOr<Value> slice(Value input, int64_t axis, int64_t begin,
                         int64_t end) {
    auto type = cast<RankedTensorType>(input.getType());
    SmallVector<int64_t> starts(type.getRank(), 0), steps(type.getRank(), 1);
    SmallVector<int64_t> ends(type.getShape());
    starts[axis] = begin;
    ends[axis] = end;
    return ctx.create<nn::SliceOp>(input, ArrayRef<int64_t>(starts),
                                   ArrayRef<int64_t>(ends),
                                   ArrayRef<int64_t>(steps));
  }

  /// Gate `index` (of hiddenSize columns) of batch x gates*hiddenSize.
  FailureOr<Value> gate(Value gates, int64_t index) {
    return slice(gates, 1, index * hiddenSize, (index + 1) * hiddenSize);
  }

  /// Row `index` of a states tensor (layers*directions x batch x size) as
  /// batch x size.
  FailureOr<Value> initialState(Value states, int64_t index) {
    FailureOr<Value> row = slice(states, 0, index, index + 1);
    if (failed(row))
      return failure();
    int64_t size = cast<RankedTensorType>(states.getType()).getDimSize(2);
    return ctx.createReshape(*row, {batch, size});
  }

  /// One step of the cell: `projected` is x_t * W_ih^T + b_ih (batch x
  /// gates*hiddenSize); updates `hidden` (and `cell` for the LSTM).
  LogicalResult step(Value projected, const CellWeights &weights, Value &hidden,
                     Value &cell) {
    FailureOr<Value> recurrent = ctx.create<nn::LinearOp>(
        hidden, weights.hiddenWeight, weights.hiddenBias);
    if (failed(recurrent))
      return failure();
    switch (kind) {
    case CellKind::LSTM:
      return lstmStep(projected, *recurrent, weights, hidden, cell);
    case CellKind::GRU:
      return gruStep(projected, *recurrent, hidden);
    case CellKind::RNNTanh:
    case CellKind::RNNRelu: {
      FailureOr<Value> sum = ctx.create<nn::AddOp>(projected, *recurrent);
      if (failed(sum))
        return failure();
      FailureOr<Value> next = kind == CellKind::RNNTanh
                                  ? ctx.create<nn::TanhOp>(*sum)
                                  : ctx.create<nn::ReluOp>(*sum);
      if (failed(next))
        return failure();
      hidden = *next;
      return success();
    }
    }
    return failure();
  }

  /// i, f, g, o = chunks of the summed projections; c' = f * c + i * g,
  /// h' = o * tanh(c'), then h' * W_hr^T with a projection.
  LogicalResult lstmStep(Value projected, Value recurrent,
                         const CellWeights &weights, Value &hidden,
                         Value &cell) {
    FailureOr<Value> gates = ctx.create<nn::AddOp>(projected, recurrent);
    if (failed(gates))
      return failure();
    SmallVector<Value, 4> parts;
    for (int64_t index = 0; index < 4; ++index) {
      FailureOr<Value> part = gate(*gates, index);
      if (failed(part))
        return failure();
      part = index == 2 ? ctx.create<nn::TanhOp>(*part)
                        : ctx.create<nn::SigmoidOp>(*part);
      if (failed(part))
        return failure();
      parts.push_back(*part);
    }
    FailureOr<Value> kept = ctx.create<nn::MulOp>(parts[1], cell);
    FailureOr<Value> added = ctx.create<nn::MulOp>(parts[0], parts[2]);
    if (failed(kept) || failed(added))
      return failure();
    FailureOr<Value> nextCell = ctx.create<nn::AddOp>(*kept, *added);
    if (failed(nextCell))
      return failure();
    FailureOr<Value> squashed = ctx.create<nn::TanhOp>(*nextCell);
    if (failed(squashed))
      return failure();
    FailureOr<Value> next = ctx.create<nn::MulOp>(parts[3], *squashed);
    if (failed(next))
      return failure();
    if (weights.projection) {
      next = ctx.create<nn::LinearOp>(*next, weights.projection, Value());
      if (failed(next))
        return failure();
    }
    hidden = *next;
    cell = *nextCell;
    return success();
  }

  /// r = sigmoid(x_r + h_r), z = sigmoid(x_z + h_z),
  /// n = tanh(x_n + r * h_n) (h_n includes b_hn), h' = n + z * (h - n),
  /// which is (1 - z) * n + z * h.
  LogicalResult gruStep(Value projected, Value recurrent, Value &hidden) {
    SmallVector<Value, 2> resetUpdate;
    for (int64_t index = 0; index < 2; ++index) {
      FailureOr<Value> x = gate(projected, index);
      FailureOr<Value> h = gate(recurrent, index);
      if (failed(x) || failed(h))
        return failure();
      FailureOr<Value> sum = ctx.create<nn::AddOp>(*x, *h);
      if (failed(sum))
        return failure();
      FailureOr<Value> activated = ctx.create<nn::SigmoidOp>(*sum);
      if (failed(activated))
        return failure();
      resetUpdate.push_back(*activated);
    }
    FailureOr<Value> x = gate(projected, 2);
    FailureOr<Value> h = gate(recurrent, 2);
    if (failed(x) || failed(h))
      return failure();
    FailureOr<Value> reset = ctx.create<nn::MulOp>(resetUpdate[0], *h);
    if (failed(reset))
      return failure();
    FailureOr<Value> sum = ctx.create<nn::AddOp>(*x, *reset);
    if (failed(sum))
      return failure();
    FailureOr<Value> candidate = ctx.create<nn::TanhOp>(*sum);
    if (failed(candidate))
      return failure();
    FailureOr<Value> difference = ctx.create<nn::SubOp>(hidden, *candidate);
    if (failed(difference))
      return failure();
    FailureOr<Value> update =
        ctx.create<nn::MulOp>(resetUpdate[1], *difference);
    if (failed(update))
      return failure();
    FailureOr<Value> next = ctx.create<nn::AddOp>(*candidate, *update);
    if (failed(next))
      return failure();
    hidden = *next;
    return success();
  }

  /// Runs one direction of one layer over `input` (batch x seq x features
  /// or seq x batch x features).
  FailureOr<DirectionResult> runDirection(Value input,
                                          const CellWeights &weights,
                                          Value hidden, Value cell,
                                          bool reverse) {
    FailureOr<Value> projected =
        ctx.create<nn::LinearOp>(input, weights.inputWeight, weights.inputBias);
    if (failed(projected))
      return failure();
    int64_t timeAxis = batchFirst ? 1 : 0;
    int64_t gateColumns =
        cast<RankedTensorType>(projected->getType()).getDimSize(2);
    DirectionResult result;
    result.outputs.resize(seq);
    for (int64_t i = 0; i < seq; ++i) {
      int64_t t = reverse ? seq - 1 - i : i;
      FailureOr<Value> atTime = slice(*projected, timeAxis, t, t + 1);
      if (failed(atTime))
        return failure();
      atTime = ctx.createReshape(*atTime, {batch, gateColumns});
      if (failed(atTime) || failed(step(*atTime, weights, hidden, cell)))
        return failure();
      result.outputs[t] = hidden;
    }
    result.hidden = hidden;
    result.cell = cell;
    return result;
  }

  /// Stacks per-step outputs (batch x size each) along the time axis.
  FailureOr<Value> stackTime(ArrayRef<Value> outputs) {
    SmallVector<Value> steps;
    for (Value output : outputs) {
      FailureOr<Value> expanded =
          batchFirst ? ctx.createReshape(output, {batch, 1, outputSize})
                     : ctx.createReshape(output, {1, batch, outputSize});
      if (failed(expanded))
        return failure();
      steps.push_back(*expanded);
    }
    return concat(steps, batchFirst ? 1 : 0);
  }

  FailureOr<Value> concat(ArrayRef<Value> values, int64_t axis) {
    if (values.size() == 1)
      return values.front();
    return ctx.create<nn::ConcatOp>(ValueRange(values),
                                    static_cast<uint64_t>(axis));
  }

  /// Stacks final states (batch x size each) into count x batch x size.
  FailureOr<Value> stackStates(ArrayRef<Value> states) {
    SmallVector<Value> rows;
    for (Value state : states) {
      int64_t size = cast<RankedTensorType>(state.getType()).getDimSize(1);
      FailureOr<Value> row = ctx.createReshape(state, {1, batch, size});
      if (failed(row))
        return failure();
      rows.push_back(*row);
    }
    return concat(rows, 0);
  }

private:
  AtenContext &ctx;
  CellKind kind;
  bool batchFirst;
  int64_t batch, seq, hiddenSize, outputSize;
};
} // namespace

/// Returns true when `value` is a static tensor of shape `shape`.
static bool hasShape(Value value, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  return type.hasStaticShape() && type.getShape() == shape;
}

static std::string formatShape(Value value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleave(cast<RankedTensorType>(value.getType()).getShape(), os, "x");
  return text;
}

/// aten::lstm.input(input, hx[], params[], has_biases, num_layers, dropout,
/// train, bidirectional, batch_first) -> (output, h_n, c_n), and
/// aten::gru.input / aten::rnn_tanh.input / aten::rnn_relu.input(input, hx,
/// params[], ...) -> (output, h_n).
template <CellKind Kind>
static LogicalResult convertRecurrent(AtenContext &ctx) {
  const c10::FunctionSchema *schema = ctx.getNode()->maybeSchema();
  if (!schema || schema->overload_name() != "input")
    return ctx.fail("packed sequences (the 'data' overload) are not "
                    "supported");
  bool isLSTM = Kind == CellKind::LSTM;
  FailureOr<bool> hasBiases = ctx.getBool(3, "'has_biases'");
  FailureOr<int64_t> numLayers = ctx.getInt(4, "'num_layers'");
  FailureOr<bool> train = ctx.getBool(6, "'train'");
  FailureOr<bool> bidirectional = ctx.getBool(7, "'bidirectional'");
  FailureOr<bool> batchFirst = ctx.getBool(8, "'batch_first'");
  if (failed(hasBiases) || failed(numLayers) || failed(train) ||
      failed(bidirectional) || failed(batchFirst))
    return failure();
  if (*train)
    return ctx.fail("a recurrent layer in training mode is not supported "
                    "(call model.eval() before saving)");
  if (*numLayers <= 0)
    return ctx.fail("'num_layers' must be positive");
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  auto inputType = cast<RankedTensorType>(input->getType());
  if (inputType.getRank() != 3)
    return ctx.fail("expects a rank-3 input (batched), got rank " +
                    Twine(inputType.getRank()));
  if (!inputType.hasStaticShape())
    return ctx.fail("the sequence length and batch size must be static");
  if (!isa<FloatType>(inputType.getElementType()))
    return ctx.fail("expects a floating-point input");
  int64_t batch = inputType.getDimSize(*batchFirst ? 0 : 1);
  int64_t seq = inputType.getDimSize(*batchFirst ? 1 : 0);
  int64_t features = inputType.getDimSize(2);
  if (seq == 0)
    return ctx.fail("an empty sequence is not supported");

  // params: for each layer, for each direction: w_ih, w_hh, then b_ih, b_hh
  // with biases, then w_hr for an LSTM with projections.
  FailureOr<SmallVector<Value>> params = ctx.getTensors(2);
  if (failed(params))
    return failure();
  int64_t directions = *bidirectional ? 2 : 1;
  int64_t count = *numLayers * directions;
  int64_t perCell = *hasBiases ? 4 : 2;
  int64_t total = static_cast<int64_t>(params->size());
  bool projected = isLSTM && total == count * (perCell + 1);
  if (total != count * perCell && !projected)
    return ctx.fail("expects " + Twine(count * perCell) +
                    " weight tensors for " + Twine(*numLayers) +
                    " layer(s) and " + Twine(directions) +
                    " direction(s), got " + Twine(total));
  if (projected)
    ++perCell;
  int64_t gates = isLSTM ? 4 : Kind == CellKind::GRU ? 3 : 1;
  auto firstWeight = cast<RankedTensorType>((*params)[0].getType());
  if (firstWeight.getRank() != 2 || firstWeight.isDynamicDim(0) ||
      firstWeight.getDimSize(0) % gates)
    return ctx.fail("the input weight of layer 0 is " +
                    formatShape((*params)[0]) + ", expected " + Twine(gates) +
                    "*hidden_size rows");
  int64_t hiddenSize = firstWeight.getDimSize(0) / gates;
  int64_t outputSize = hiddenSize;
  if (projected) {
    auto projection = cast<RankedTensorType>((*params)[perCell - 1].getType());
    if (projection.getRank() != 2 || projection.isDynamicDim(0))
      return ctx.fail("the projection weight must be a static matrix");
    outputSize = projection.getDimSize(0);
  }

  // Initial states: count x batch x outputSize (and x hiddenSize for c).
  Value hiddenStates, cellStates;
  if (isLSTM) {
    FailureOr<SmallVector<Value>> hx = ctx.getTensors(1);
    if (failed(hx))
      return failure();
    if (hx->size() != 2)
      return ctx.fail("expects two initial states (h_0, c_0), got " +
                      Twine(hx->size()));
    hiddenStates = (*hx)[0];
    cellStates = (*hx)[1];
    if (!hasShape(cellStates, {count, batch, hiddenSize}))
      return ctx.fail("c_0 is " + formatShape(cellStates) + ", expected " +
                      Twine(count) + "x" + Twine(batch) + "x" +
                      Twine(hiddenSize));
  } else {
    FailureOr<Value> hx = ctx.getTensor(1);
    if (failed(hx))
      return failure();
    hiddenStates = *hx;
  }
  if (!hasShape(hiddenStates, {count, batch, outputSize}))
    return ctx.fail("h_0 is " + formatShape(hiddenStates) + ", expected " +
                    Twine(count) + "x" + Twine(batch) + "x" +
                    Twine(outputSize));

  RecurrentBuilder builder(ctx, Kind, *batchFirst, batch, seq, hiddenSize,
                           outputSize);
  Value layerInput = *input;
  int64_t layerFeatures = features;
  SmallVector<Value> finalHidden, finalCell;
  for (int64_t layer = 0; layer < *numLayers; ++layer) {
    SmallVector<Value, 2> directionOutputs;
    for (int64_t direction = 0; direction < directions; ++direction) {
      int64_t index = layer * directions + direction;
      ArrayRef<Value> cellParams =
          ArrayRef<Value>(*params).slice(index * perCell, perCell);
      CellWeights weights;
      weights.inputWeight = cellParams[0];
      weights.hiddenWeight = cellParams[1];
      if (*hasBiases) {
        weights.inputBias = cellParams[2];
        weights.hiddenBias = cellParams[3];
      }
      if (projected)
        weights.projection = cellParams.back();
      std::string where =
          "layer " + std::to_string(layer) + (direction ? " (reverse)" : "");
      int64_t rows = gates * hiddenSize;
      if (!hasShape(weights.inputWeight, {rows, layerFeatures}))
        return ctx.fail("the input weight of " + where + " is " +
                        formatShape(weights.inputWeight) + ", expected " +
                        Twine(rows) + "x" + Twine(layerFeatures) +
                        " for an input of " + Twine(layerFeatures) +
                        " features");
      if (!hasShape(weights.hiddenWeight, {rows, outputSize}))
        return ctx.fail("the hidden weight of " + where + " is " +
                        formatShape(weights.hiddenWeight) + ", expected " +
                        Twine(rows) + "x" + Twine(outputSize));
      for (Value bias : {weights.inputBias, weights.hiddenBias})
        if (bias && !hasShape(bias, {rows}))
          return ctx.fail("a bias of " + where + " is " + formatShape(bias) +
                          ", expected " + Twine(rows));
      if (projected && !hasShape(weights.projection, {outputSize, hiddenSize}))
        return ctx.fail("the projection weight of " + where + " is " +
                        formatShape(weights.projection) + ", expected " +
                        Twine(outputSize) + "x" + Twine(hiddenSize));
      FailureOr<Value> hidden = builder.initialState(hiddenStates, index);
      if (failed(hidden))
        return failure();
      Value cell;
      if (isLSTM) {
        FailureOr<Value> value = builder.initialState(cellStates, index);
        if (failed(value))
          return failure();
        cell = *value;
      }
      FailureOr<DirectionResult> result = builder.runDirection(
          layerInput, weights, *hidden, cell, /*reverse=*/direction == 1);
      if (failed(result))
        return failure();
      FailureOr<Value> stacked = builder.stackTime(result->outputs);
      if (failed(stacked))
        return failure();
      directionOutputs.push_back(*stacked);
      finalHidden.push_back(result->hidden);
      if (isLSTM)
        finalCell.push_back(result->cell);
    }
    // Dropout between layers only applies in training.
    FailureOr<Value> output = builder.concat(directionOutputs, 2);
    if (failed(output))
      return failure();
    layerInput = *output;
    layerFeatures = directions * outputSize;
  }
  FailureOr<Value> hN = builder.stackStates(finalHidden);
  if (failed(hN))
    return failure();
  ctx.setOutput(0, layerInput);
  ctx.setOutput(1, *hN);
  if (isLSTM) {
    FailureOr<Value> cN = builder.stackStates(finalCell);
    if (failed(cN))
      return failure();
    ctx.setOutput(2, *cN);
  }
  return success();
}

void kiln::torchimport::addRecurrentConverters(AtenRegistry &registry) {
  registry["aten::lstm"] = convertRecurrent<CellKind::LSTM>;
  registry["aten::gru"] = convertRecurrent<CellKind::GRU>;
  registry["aten::rnn_tanh"] = convertRecurrent<CellKind::RNNTanh>;
  registry["aten::rnn_relu"] = convertRecurrent<CellKind::RNNRelu>;
  registry["aten::zeros"] = convertFill;
  registry["aten::ones"] = convertFill;
  registry["aten::zeros_like"] = convertFill;
  registry["aten::ones_like"] = convertFill;
}
