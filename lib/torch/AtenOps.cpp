//===- AtenOps.cpp - aten:: elementwise and shape converters --------------===//
//
// One converter per `aten::` op (several overloads share one when their
// argument positions agree), and the registry of all converters (layers are
// in AtenLayerOps.cpp). Arguments that are not tensors (dims, sizes,
// scalars) must be known when the model is compiled.
//
//===----------------------------------------------------------------------===//

#include "TorchImporter.h"

#include "kiln/dialects/nn/NNOps.h"

using namespace mlir;
using namespace kiln::torchimport;
namespace nn = kiln::nn;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static FailureOr<Value> getOperandLike(AtenContext &ctx, unsigned index,
                                       Value like) {
  if (!ctx.isNumber(index))
    return ctx.getTensor(index);
  FailureOr<double> value = ctx.getDouble(index, "the scalar operand");
  if (failed(value))
    return failure();
  return ctx.createScalar(
      cast<RankedTensorType>(like.getType()).getElementType(), *value);
}

/// Sets output 0 to `result` when it succeeded.
//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

/// aten::add / aten::sub (self, other, alpha), tensor or scalar `other`.
template <typename OpTy> static LogicalResult convertAddSub(AtenContext &ctx) {
  FailureOr<Value> lhs = ctx.getTensor(0);
  if (failed(lhs))
    return failure();
  FailureOr<double> alpha = ctx.getNumInputs() > 2 ? ctx.getDouble(2, "'alpha'")
                                                   : FailureOr<double>(1.0);
  if (failed(alpha))
    return failure();
  FailureOr<Value> rhs = failure();
  if (ctx.isNumber(1)) {
    FailureOr<double> scalar = ctx.getDouble(1, "'other'");
    if (failed(scalar))
      return failure();
    rhs = ctx.createScalar(
        cast<RankedTensorType>(lhs->getType()).getElementType(),
        *scalar * *alpha);
  } else {
    rhs = ctx.getTensor(1);
    if (succeeded(rhs) && *alpha != 1.0) {
      FailureOr<Value> factor = ctx.createScalar(
          cast<RankedTensorType>(rhs->getType()).getElementType(), *alpha);
      if (failed(factor))
        return failure();
      rhs = ctx.create<nn::MulOp>(*rhs, *factor);
    }
  }
  if (failed(rhs))
    return failure();
  return ctx.setResult(ctx.create<OpTy>(*lhs, *rhs));
}

/// aten::mul / aten::div (self, other), tensor or scalar `other`.
template <typename OpTy> static LogicalResult convertBinary(AtenContext &ctx) {
  if (ctx.getNumInputs() > 2 && !ctx.isNone(2))
    return ctx.fail("a rounding mode is not supported");
  // A number on either side takes the tensor's element type.
  bool numberFirst = ctx.isNumber(0) && !ctx.isNumber(1);
  FailureOr<Value> tensor = ctx.getTensor(numberFirst ? 1 : 0);
  if (failed(tensor))
    return failure();
  FailureOr<Value> other = getOperandLike(ctx, numberFirst ? 0 : 1, *tensor);
  if (failed(other))
    return failure();
  return ctx.setResult(numberFirst ? ctx.create<OpTy>(*other, *tensor)
                                   : ctx.create<OpTy>(*tensor, *other));
}

/// A one-operand activation.
template <typename OpTy> static LogicalResult convertUnary(AtenContext &ctx) {
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  return ctx.setResult(ctx.create<OpTy>(*input));
}

/// aten::hardsigmoid: relu6(x + 3) / 6, which is nn.hardsigmoid with
/// alpha 1/6 (the op's defaults are ONNX's 0.2).
static LogicalResult convertHardSigmoid(AtenContext &ctx) {
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  return ctx.setResult(ctx.create<nn::HardSigmoidOp>(
      *input, ctx.getBuilder().getF64FloatAttr(1.0 / 6.0),
      ctx.getBuilder().getF64FloatAttr(0.5)));
}

/// aten::gelu(input, approximate).
static LogicalResult convertGelu(AtenContext &ctx) {
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  nn::GeluApproximation approximation = nn::GeluApproximation::None;
  if (ctx.getNumInputs() > 1) {
    FailureOr<std::string> mode = ctx.getString(1, "'approximate'");
    if (failed(mode))
      return failure();
    if (*mode == "tanh")
      approximation = nn::GeluApproximation::Tanh;
    else if (*mode != "none")
      return ctx.fail("approximation '" + *mode + "' is not supported");
  }
  return ctx.setResult(ctx.create<nn::GeluOp>(*input, approximation));
}

/// aten::hardtanh(input, min, max) and aten::relu6(input).
static LogicalResult convertClamp(AtenContext &ctx) {
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  double low = 0, high = 6;
  StringRef name = ctx.getNode()->kind().toUnqualString();
  if (name.starts_with("hardtanh") || name.starts_with("clamp")) {
    if (name.starts_with("hardtanh")) {
      low = -1;
      high = 1;
    }
    FloatAttr lowAttr, highAttr;
    for (unsigned index : {1u, 2u}) {
      if (index >= ctx.getNumInputs() || ctx.isNone(index))
        continue;
      FailureOr<double> bound = ctx.getDouble(index, "a bound");
      if (failed(bound))
        return failure();
      (index == 1 ? low : high) = *bound;
      (index == 1 ? lowAttr : highAttr) =
          ctx.getBuilder().getF64FloatAttr(*bound);
    }
    if (name.starts_with("clamp"))
      return ctx.setResult(ctx.create<nn::ClipOp>(*input, lowAttr, highAttr));
  }
  return ctx.setResult(
      ctx.create<nn::ClipOp>(*input, ctx.getBuilder().getF64FloatAttr(low),
                             ctx.getBuilder().getF64FloatAttr(high)));
}

/// Ops that are the identity in inference: dropout in eval mode,
/// contiguous, clone, detach.
static LogicalResult convertIdentity(AtenContext &ctx) {
  StringRef name = ctx.getNode()->kind().toUnqualString();
  if (name.contains("dropout")) {
    FailureOr<bool> train = ctx.getBool(2, "'train'");
    if (failed(train))
      return failure();
    if (*train)
      return ctx.fail("dropout in training mode is not supported (call "
                      "model.eval() before saving)");
  }
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  ctx.setOutput(0, *input);
  return success();
}

void kiln::torchimport::addElementwiseConverters(AtenRegistry &registry) {
  for (StringRef suffix : {"", "_"}) {
    auto add = [&](StringRef name, AtenConverter converter) {
      registry[("aten::" + name + suffix).str()] = converter;
    };
    add("add", convertAddSub<nn::AddOp>);
    add("sub", convertAddSub<nn::SubOp>);
    add("mul", convertBinary<nn::MulOp>);
    add("div", convertBinary<nn::DivOp>);
    add("relu", convertUnary<nn::ReluOp>);
    add("sigmoid", convertUnary<nn::SigmoidOp>);
    add("tanh", convertUnary<nn::TanhOp>);
    add("silu", convertUnary<nn::SiluOp>);
    add("hardswish", convertUnary<nn::HardSwishOp>);
    add("hardsigmoid", convertHardSigmoid);
    add("exp", convertUnary<nn::ExpOp>);
    add("log", convertUnary<nn::LogOp>);
    add("sqrt", convertUnary<nn::SqrtOp>);
    add("rsqrt", convertUnary<nn::RsqrtOp>);
    add("neg", convertUnary<nn::NegOp>);
    add("abs", convertUnary<nn::AbsOp>);
    add("erf", convertUnary<nn::ErfOp>);
    add("gelu", convertGelu);
    add("hardtanh", convertClamp);
    add("relu6", convertClamp);
    add("clamp", convertClamp);
    add("dropout", convertIdentity);
    add("feature_dropout", convertIdentity);
  }
  registry["aten::contiguous"] = convertIdentity;
  registry["aten::clone"] = convertIdentity;
  registry["aten::detach"] = convertIdentity;
}

//===----------------------------------------------------------------------===//
// Shapes
//===----------------------------------------------------------------------===//

/// aten::view / aten::reshape(input, shape) with one -1 allowed.
static LogicalResult convertView(AtenContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getTensorType(0);
  FailureOr<SmallVector<int64_t>> shape = ctx.getInts(1, "the shape");
  if (failed(type) || failed(shape))
    return failure();
  if (!type->hasStaticShape())
    return ctx.fail("reshaping a tensor of dynamic shape is not supported");
  int64_t known = 1, inferred = -1;
  for (auto [i, size] : llvm::enumerate(*shape)) {
    if (size == -1 && inferred < 0) {
      inferred = i;
      continue;
    }
    if (size < 0)
      return ctx.fail("invalid size " + Twine(size) + " in the shape");
    known *= size;
  }
  if (inferred >= 0) {
    if (known == 0 || type->getNumElements() % known)
      return ctx.fail("the shape does not fit the input's element count");
    (*shape)[inferred] = type->getNumElements() / known;
  } else if (known != type->getNumElements()) {
    return ctx.fail("the shape does not fit the input's element count");
  }
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  return ctx.setResult(ctx.createReshape(*input, *shape));
}

/// aten::flatten(input, start_dim, end_dim).
static LogicalResult convertFlatten(AtenContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getTensorType(0);
  FailureOr<int64_t> start = ctx.getInt(1, "'start_dim'");
  FailureOr<int64_t> end = ctx.getInt(2, "'end_dim'");
  if (failed(type) || failed(start) || failed(end))
    return failure();
  int64_t rank = std::max<int64_t>(type->getRank(), 1);
  FailureOr<int64_t> first = ctx.normalizeDim(*start, rank);
  FailureOr<int64_t> last = ctx.normalizeDim(*end, rank);
  if (failed(first) || failed(last))
    return failure();
  if (!type->hasStaticShape())
    return ctx.fail("flattening a tensor of dynamic shape is not supported");
  SmallVector<int64_t> shape;
  ArrayRef<int64_t> dims = type->getShape();
  for (int64_t d = 0; d < static_cast<int64_t>(dims.size()); ++d) {
    if (d > *first && d <= *last)
      shape.back() *= dims[d];
    else
      shape.push_back(dims[d]);
  }
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  return ctx.setResult(ctx.createReshape(*input, shape));
}

/// aten::permute(input, dims).
static LogicalResult convertPermute(AtenContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getTensorType(0);
  FailureOr<SmallVector<int64_t>> dims = ctx.getInts(1, "'dims'");
  if (failed(type) || failed(dims))
    return failure();
  SmallVector<int64_t> perm;
  for (int64_t dim : *dims) {
    FailureOr<int64_t> axis = ctx.normalizeDim(dim, type->getRank());
    if (failed(axis))
      return failure();
    perm.push_back(*axis);
  }
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  return ctx.setResult(
      ctx.create<nn::TransposeOp>(*input, ArrayRef<int64_t>(perm)));
}

/// aten::transpose(input, dim0, dim1) and aten::t(input).
static LogicalResult convertTranspose(AtenContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getTensorType(0);
  if (failed(type))
    return failure();
  int64_t rank = type->getRank();
  SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  if (ctx.getNumInputs() == 1) {
    if (rank == 2)
      std::swap(perm[0], perm[1]);
  } else {
    FailureOr<int64_t> a = ctx.getInt(1, "'dim0'");
    FailureOr<int64_t> b = ctx.getInt(2, "'dim1'");
    if (failed(a) || failed(b))
      return failure();
    FailureOr<int64_t> x = ctx.normalizeDim(*a, rank);
    FailureOr<int64_t> y = ctx.normalizeDim(*b, rank);
    if (failed(x) || failed(y))
      return failure();
    std::swap(perm[*x], perm[*y]);
  }
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  return ctx.setResult(
      ctx.create<nn::TransposeOp>(*input, ArrayRef<int64_t>(perm)));
}

/// aten::cat(tensors, dim).
static LogicalResult convertCat(AtenContext &ctx) {
  FailureOr<SmallVector<Value>> inputs = ctx.getTensors(0);
  FailureOr<int64_t> dim = ctx.getInt(1, "'dim'");
  if (failed(inputs) || failed(dim))
    return failure();
  if (inputs->empty())
    return ctx.fail("cannot concatenate an empty list");
  FailureOr<int64_t> axis = ctx.normalizeDim(
      *dim, cast<RankedTensorType>(inputs->front().getType()).getRank());
  if (failed(axis))
    return failure();
  return ctx.setResult(ctx.create<nn::ConcatOp>(ValueRange(*inputs),
                                                static_cast<uint64_t>(*axis)));
}

/// Slices `input` along `axis` into pieces of `sizes`, as a list output.
static LogicalResult setSplitOutput(AtenContext &ctx, Value input, int64_t axis,
                                    ArrayRef<int64_t> sizes) {
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> starts(type.getRank(), 0), steps(type.getRank(), 1);
  SmallVector<int64_t> ends(type.getShape());
  std::vector<std::shared_ptr<Entry>> pieces;
  int64_t offset = 0;
  for (int64_t size : sizes) {
    starts[axis] = offset;
    ends[axis] = offset + size;
    offset += size;
    FailureOr<Value> piece = ctx.create<nn::SliceOp>(
        input, ArrayRef<int64_t>(starts), ArrayRef<int64_t>(ends),
        ArrayRef<int64_t>(steps));
    if (failed(piece))
      return failure();
    auto entry = std::make_shared<Entry>();
    entry->tensor = *piece;
    pieces.push_back(std::move(entry));
  }
  ctx.setList(0, std::move(pieces));
  return success();
}

/// aten::chunk(input, chunks, dim) and aten::split(input, size(s), dim).
static LogicalResult convertSplit(AtenContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getTensorType(0);
  FailureOr<SmallVector<int64_t>> count = ctx.getInts(1, "the split size");
  FailureOr<int64_t> dim = ctx.getInt(2, "'dim'");
  if (failed(type) || failed(count) || failed(dim))
    return failure();
  FailureOr<int64_t> axis = ctx.normalizeDim(*dim, type->getRank());
  if (failed(axis))
    return failure();
  if (!type->hasStaticShape())
    return ctx.fail("splitting a tensor of dynamic shape is not supported");
  int64_t size = type->getDimSize(*axis);
  SmallVector<int64_t> sizes;
  bool isChunk = ctx.getNode()->kind().toUnqualString() == std::string("chunk");
  if (isChunk || count->size() == 1) {
    int64_t value = count->front();
    if (value <= 0)
      return ctx.fail("the split size must be positive");
    int64_t piece = isChunk ? (size + value - 1) / value : value;
    for (int64_t offset = 0; offset < size; offset += piece)
      sizes.push_back(std::min(piece, size - offset));
  } else {
    sizes.assign(count->begin(), count->end());
    int64_t total = 0;
    for (int64_t s : sizes)
      total += s;
    if (total != size)
      return ctx.fail("the split sizes do not add up to the dimension");
  }
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  return setSplitOutput(ctx, *input, *axis, sizes);
}

/// aten::unsqueeze(input, dim) and aten::squeeze(input[, dim]).
static LogicalResult convertSqueeze(AtenContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getTensorType(0);
  if (failed(type))
    return failure();
  if (!type->hasStaticShape())
    return ctx.fail("a tensor of dynamic shape is not supported");
  SmallVector<int64_t> shape(type->getShape());
  bool unsqueeze =
      ctx.getNode()->kind().toUnqualString() == std::string("unsqueeze");
  if (unsqueeze) {
    FailureOr<int64_t> dim = ctx.getInt(1, "'dim'");
    if (failed(dim))
      return failure();
    FailureOr<int64_t> axis = ctx.normalizeDim(*dim, type->getRank() + 1);
    if (failed(axis))
      return failure();
    shape.insert(shape.begin() + *axis, 1);
  } else if (ctx.getNumInputs() > 1) {
    FailureOr<int64_t> dim = ctx.getInt(1, "'dim'");
    if (failed(dim))
      return failure();
    FailureOr<int64_t> axis =
        ctx.normalizeDim(*dim, std::max<int64_t>(type->getRank(), 1));
    if (failed(axis))
      return failure();
    if (*axis < static_cast<int64_t>(shape.size()) && shape[*axis] == 1)
      shape.erase(shape.begin() + *axis);
  } else {
    llvm::erase(shape, 1);
  }
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  return ctx.setResult(ctx.createReshape(*input, shape));
}

/// aten::slice(input, dim, start, end, step) and aten::select(input, dim,
/// index).
static LogicalResult convertSlice(AtenContext &ctx) {
  FailureOr<RankedTensorType> type = ctx.getTensorType(0);
  FailureOr<int64_t> dim = ctx.getInt(1, "'dim'");
  if (failed(type) || failed(dim))
    return failure();
  if (!type->hasStaticShape())
    return ctx.fail("slicing a tensor of dynamic shape is not supported");
  FailureOr<int64_t> axis = ctx.normalizeDim(*dim, type->getRank());
  if (failed(axis))
    return failure();
  int64_t size = type->getDimSize(*axis);
  bool select = ctx.getNode()->kind().toUnqualString() == std::string("select");
  int64_t start = 0, end = size, step = 1;
  if (select) {
    FailureOr<int64_t> index = ctx.getInt(2, "'index'");
    if (failed(index))
      return failure();
    if (*index < -size || *index >= size)
      return ctx.fail("index " + Twine(*index) + " is out of range");
    start = *index < 0 ? *index + size : *index;
    end = start + 1;
  } else {
    auto bound = [&](unsigned index, int64_t fallback) -> FailureOr<int64_t> {
      if (ctx.isNone(index))
        return fallback;
      FailureOr<int64_t> value = ctx.getInt(index, "a slice bound");
      if (failed(value))
        return failure();
      int64_t v = *value < 0 ? *value + size : *value;
      return std::clamp<int64_t>(v, 0, size);
    };
    FailureOr<int64_t> s = bound(2, 0), e = bound(3, size);
    FailureOr<int64_t> st = ctx.getInt(4, "'step'");
    if (failed(s) || failed(e) || failed(st))
      return failure();
    if (*st <= 0)
      return ctx.fail("the step must be positive");
    start = *s;
    end = std::max(*s, *e);
    step = *st;
  }
  SmallVector<int64_t> starts(type->getRank(), 0), steps(type->getRank(), 1);
  SmallVector<int64_t> ends(type->getShape());
  starts[*axis] = start;
  ends[*axis] = end;
  steps[*axis] = step;
  FailureOr<Value> input = ctx.getTensor(0);
  if (failed(input))
    return failure();
  FailureOr<Value> result = ctx.create<nn::SliceOp>(
      *input, ArrayRef<int64_t>(starts), ArrayRef<int64_t>(ends),
      ArrayRef<int64_t>(steps));
  if (failed(result) || !select)
    return ctx.setResult(result);
  SmallVector<int64_t> shape(type->getShape());
  shape.erase(shape.begin() + *axis);
  return ctx.setResult(ctx.createReshape(*result, shape));
}

/// aten::append(list, element): lists are references, so the list entry
/// itself grows and the output aliases it.
static LogicalResult convertAppend(AtenContext &ctx) {
  FailureOr<Entry *> list = ctx.getListEntry(0);
  if (failed(list))
    return failure();
  std::shared_ptr<Entry> element = ctx.getInputShared(1);
  if (!element)
    return ctx.fail("the appended value is not defined");
  (*list)->elements->push_back(std::move(element));
  ctx.setAlias(0, 0);
  return success();
}

void kiln::torchimport::addShapeConverters(AtenRegistry &registry) {
  registry["aten::append"] = convertAppend;
  registry["aten::view"] = convertView;
  registry["aten::reshape"] = convertView;
  registry["aten::flatten"] = convertFlatten;
  registry["aten::permute"] = convertPermute;
  registry["aten::transpose"] = convertTranspose;
  registry["aten::t"] = convertTranspose;
  registry["aten::cat"] = convertCat;
  registry["aten::chunk"] = convertSplit;
  registry["aten::split"] = convertSplit;
  registry["aten::unsqueeze"] = convertSqueeze;
  registry["aten::squeeze"] = convertSqueeze;
  registry["aten::slice"] = convertSlice;
  registry["aten::select"] = convertSlice;
}

const AtenRegistry &kiln::torchimport::getAtenRegistry() {
  static const AtenRegistry registry = [] {
    AtenRegistry converters;
    addLayerConverters(converters);
    addElementwiseConverters(converters);
    addShapeConverters(converters);
    addTransformerConverters(converters);
    addRecurrentConverters(converters);
    return converters;
  }();
  return registry;
}
