"""Finding and running Kiln's command-line tools.

The Python API drives the same tools a shell user runs (`kiln-compile`,
`kiln-cost`), so it compiles exactly what they compile and reports the same
one-line errors. The tools are looked up, in order, in the directory named by
the KILN_TOOLS_DIR environment variable, in the build tree beside this
package (`<repo>/build/bin` when the package is used from a checkout), and on
PATH.
"""

import os
import pathlib
import shutil
import subprocess
from typing import List, Optional


class KilnError(RuntimeError):
    """A Kiln tool rejected the model or failed; the message is the tool's
    own error line (it names the file, node or op and what to do)."""


def _candidates(name: str):
    env = os.environ.get("KILN_TOOLS_DIR")
    if env:
        yield pathlib.Path(env) / name
        return
    repo = pathlib.Path(__file__).resolve().parent.parent.parent
    yield repo / "build" / "bin" / name
    found = shutil.which(name)
    if found:
        yield pathlib.Path(found)


def find_tool(name: str) -> pathlib.Path:
    """Returns the path of the Kiln tool `name` (such as "kiln-compile")."""
    for path in _candidates(name):
        if path.is_file() and os.access(path, os.X_OK):
            return path
    where = os.environ.get("KILN_TOOLS_DIR")
    hint = (f"KILN_TOOLS_DIR={where} does not hold it" if where else
            "build Kiln (cmake --build build) or set KILN_TOOLS_DIR to the "
            "directory holding the Kiln tools")
    raise KilnError(f"cannot find the Kiln tool '{name}': {hint}")


def run_tool(name: str, arguments: List[str],
             cwd: Optional[pathlib.Path] = None) -> str:
    """Runs a Kiln tool and returns its standard output; raises KilnError
    carrying the tool's error lines when it fails."""
    command = [str(find_tool(name))] + [str(a) for a in arguments]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        message = "\n".join(lines) if lines else (
            f"{name} exited with status {result.returncode}")
        raise KilnError(message)
    return result.stdout
