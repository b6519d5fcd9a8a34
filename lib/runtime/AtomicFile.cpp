//===- AtomicFile.cpp - write output files all at once
//---------------------===//
//
// Implements writeFileAtomically with a uniquely named temporary file in the
// destination's directory (so the final rename stays on one file system).
//
//===----------------------------------------------------------------------===//

#include "kiln/runtime/AtomicFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"

using namespace kiln;

llvm::Error kiln::writeFileAtomically(
    llvm::StringRef path,
    llvm::function_ref<llvm::Error(llvm::raw_ostream &)> writeContents) {
  llvm::SmallString<256> temporary;
  int fd;
  if (std::error_code error =
          llvm::sys::fs::createUniqueFile(path + ".tmp-%%%%%%", fd, temporary))
    return llvm::createStringError(path +
                                   ": cannot create: " + error.message());
  llvm::Error result = llvm::Error::success();
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    result = writeContents(os);
    os.close();
    if (!result && os.has_error()) {
      result = llvm::createStringError(
          path + ": cannot write: " + os.error().message());
      os.clear_error();
    }
  }
  if (!result)
    if (std::error_code error = llvm::sys::fs::rename(temporary, path))
      result =
          llvm::createStringError(path + ": cannot write: " + error.message());
  if (result)
    llvm::sys::fs::remove(temporary);
  return result;
}
