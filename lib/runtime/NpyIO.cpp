//===- NpyIO.cpp - NumPy .npy reading and writing
//--------------------------===//
//
// Reads and writes the NumPy array file format (format versions 1.0 to 3.0,
// C order, little-endian), following NumPy's published format description.
// Every malformed header is a one-line error naming the file.
//
//===----------------------------------------------------------------------===//

#include "kiln/runtime/AtomicFile.h"
#include "kiln/runtime/HostTensor.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace kiln;

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;

/// Builds an error "<path>: <message>".
llvm::Error fileError(llvm::StringRef path, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 path + ": " + message);
}

/// Maps a NumPy dtype descriptor such as "<f4" to an element kind.
std::optional<ElementKind> parseDescriptor(llvm::StringRef descr) {
  if (descr.size() != 3)
    return std::nullopt;
  char order = descr[0];
  llvm::StringRef code = descr.drop_front();
  // One-byte types carry '|'; wider ones must be little-endian ('<', or '='
  // on this little-endian host).
  bool little = order == '<' || order == '=' || order == '|';
  if (!little)
    return std::nullopt;
  if (code == "f2")
    return ElementKind::Float16;
  if (code == "f4")
    return ElementKind::Float32;
  if (code == "f8")
    return ElementKind::Float64;
  if (code == "i1")
    return ElementKind::Int8;
  if (code == "i2")
    return ElementKind::Int16;
  if (code == "i4")
    return ElementKind::Int32;
  if (code == "i8")
    return ElementKind::Int64;
  if (code == "b1")
    return ElementKind::Bool;
  if (code == "u1")
    return ElementKind::UInt8;
  if (code == "u2")
    return ElementKind::UInt16;
  if (code == "u4")
    return ElementKind::UInt32;
  if (code == "u8")
    return ElementKind::UInt64;
  return std::nullopt;
}

/// Returns the descriptor NumPy uses for `kind`; bfloat16 has none.
std::optional<llvm::StringRef> getDescriptor(ElementKind kind) {
  switch (kind) {
  case ElementKind::Float16:
    return llvm::StringRef("<f2");
  case ElementKind::Float32:
    return llvm::StringRef("<f4");
  case ElementKind::Float64:
    return llvm::StringRef("<f8");
  case ElementKind::Int8:
    return llvm::StringRef("|i1");
  case ElementKind::Int16:
    return llvm::StringRef("<i2");
  case ElementKind::Int32:
    return llvm::StringRef("<i4");
  case ElementKind::Int64:
    return llvm::StringRef("<i8");
  case ElementKind::Bool:
    return llvm::StringRef("|b1");
  case ElementKind::UInt8:
    return llvm::StringRef("|u1");
  case ElementKind::UInt16:
    return llvm::StringRef("<u2");
  case ElementKind::UInt32:
    return llvm::StringRef("<u4");
  case ElementKind::UInt64:
    return llvm::StringRef("<u8");
  case ElementKind::BFloat16:
    return std::nullopt;
  }
  return std::nullopt;
}

/// Returns the text of `key`'s value in the header dictionary: a quoted
/// string, True/False, or a parenthesized tuple.
std::optional<llvm::StringRef> findHeaderValue(llvm::StringRef header,
                                               llvm::StringRef key) {
  for (char quote : {'\'', '"'}) {
    std::string needle = std::string(1, quote) + key.str() + quote;
    size_t at = header.find(needle);
    if (at == llvm::StringRef::npos)
      continue;
    llvm::StringRef rest = header.drop_front(at + needle.size()).ltrim();
    if (!rest.consume_front(":"))
      return std::nullopt;
    rest = rest.ltrim();
    if (rest.empty())
      return std::nullopt;
    if (rest.front() == '\'' || rest.front() == '"') {
      size_t end = rest.find(rest.front(), 1);
      if (end == llvm::StringRef::npos)
        return std::nullopt;
      return rest.slice(1, end);
    }
    if (rest.front() == '(') {
      size_t end = rest.find(')');
      if (end == llvm::StringRef::npos)
        return std::nullopt;
      return rest.slice(1, end);
    }
    return rest.take_while([](char c) { return llvm::isAlnum(c); });
  }
  return std::nullopt;
}

} // namespace

llvm::Expected<HostTensor> kiln::readNpyFile(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fileError(path, "cannot read: " + buffer.getError().message());
  llvm::StringRef bytes = (*buffer)->getBuffer();
  if (bytes.size() < kMagicSize + 4 ||
      !bytes.starts_with(llvm::StringRef(kMagic, kMagicSize)))
    return fileError(path, "not a NumPy .npy file (bad magic)");
  uint8_t major = bytes[kMagicSize];
  size_t headerLength, headerStart;
  if (major == 1) {
    headerLength = uint8_t(bytes[8]) | (size_t(uint8_t(bytes[9])) << 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return fileError(path, "truncated .npy header");
    headerLength = 0;
    for (int i = 0; i < 4; ++i)
      headerLength |= size_t(uint8_t(bytes[8 + i])) << (8 * i);
    headerStart = 12;
  } else {
    return fileError(path, "unsupported .npy format version " +
                               llvm::Twine(int(major)));
  }
  if (bytes.size() < headerStart + headerLength)
    return fileError(path, "truncated .npy header");
  llvm::StringRef header = bytes.substr(headerStart, headerLength);

  std::optional<llvm::StringRef> descr = findHeaderValue(header, "descr");
  std::optional<llvm::StringRef> fortran =
      findHeaderValue(header, "fortran_order");
  std::optional<llvm::StringRef> shapeText = findHeaderValue(header, "shape");
  if (!descr || !fortran || !shapeText)
    return fileError(path, "malformed .npy header: " + header.trim());
  std::optional<ElementKind> kind = parseDescriptor(*descr);
  if (!kind)
    return fileError(path, "unsupported dtype '" + *descr +
                               "' (supported: little-endian float16/32/64, "
                               "int8/16/32/64, bool)");
  if (*fortran != "False")
    return fileError(path, "Fortran-order arrays are not supported; save with "
                           "numpy.ascontiguousarray");

  llvm::SmallVector<int64_t> shape;
  llvm::SmallVector<llvm::StringRef> parts;
  shapeText->split(parts, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (llvm::StringRef part : parts) {
    part = part.trim();
    if (part.empty())
      continue;
    int64_t dim;
    if (part.getAsInteger(10, dim) || dim < 0)
      return fileError(path, "malformed shape (" + *shapeText + ")");
    shape.push_back(dim);
  }

  HostTensor tensor(*kind, shape);
  llvm::StringRef payload = bytes.drop_front(headerStart + headerLength);
  if (payload.size() != tensor.data.size())
    return fileError(path, "holds " + llvm::Twine(payload.size()) +
                               " data bytes but " + tensor.describe() +
                               " needs " + llvm::Twine(tensor.data.size()));
  std::memcpy(tensor.data.data(), payload.data(), payload.size());
  return tensor;
}

llvm::Error kiln::writeNpyFile(llvm::StringRef path, const HostTensor &tensor) {
  std::optional<llvm::StringRef> descr = getDescriptor(tensor.kind);
  if (!descr)
    return fileError(path, "NumPy has no " + getElementKindName(tensor.kind) +
                               " dtype");
  // Python tuple syntax: "()", "(3,)", "(2, 3)".
  std::string shape;
  llvm::raw_string_ostream shapeStream(shape);
  llvm::interleave(tensor.shape, shapeStream, ", ");
  if (tensor.shape.size() == 1)
    shape += ",";
  std::string header = "{'descr': '" + descr->str() +
                       "', 'fortran_order': False, 'shape': (" + shape + "), }";
  // Pad with spaces so that magic + version + length + header is a multiple
  // of 64 bytes, ending in a newline.
  size_t total = kMagicSize + 4 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';

  return writeFileAtomically(path, [&](llvm::raw_ostream &os) {
    os.write(kMagic, kMagicSize);
    os << char(1) << char(0) << char(header.size() & 0xFF)
       << char((header.size() >> 8) & 0xFF) << header;
    os.write(reinterpret_cast<const char *>(tensor.data.data()),
             tensor.data.size());
    return llvm::Error::success();
  });
}
