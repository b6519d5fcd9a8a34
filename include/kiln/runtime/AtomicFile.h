//===- AtomicFile.h - write output files all at once -----------*- C++ -*-===//
//
// Every file a Kiln tool produces is written to a temporary file beside its
// destination and renamed into place, so no reader ever sees half a file and
// a failed write leaves nothing behind.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_ATOMICFILE_H
#define KILN_RUNTIME_ATOMICFILE_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace kiln {

/// Writes the file at `path` with `writeContents`; an error returned by
/// `writeContents` abandons the write.
llvm::Error writeFileAtomically(
    llvm::StringRef path,
    llvm::function_ref<llvm::Error(llvm::raw_ostream &)> writeContents);

} // namespace kiln

#endif // KILN_RUNTIME_ATOMICFILE_H
