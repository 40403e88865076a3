"""The exceptions xrecon raises: bad input is a ValueError, a failure of the engine a RuntimeError."""
import dataclasses
import re
from typing import Optional

# One diagnostic line of the engine, as the xrecon command prints it: FILE:LINE:COLUMN: error: MESSAGE,
# or FILE (--set): error: MESSAGE for an override, which has no place in the file.
_DIAGNOSTIC = re.compile(r"^(?P<file>.+?)(?::(?P<line>\d+):(?P<column>\d+))?: error: (?P<message>.*)$")


class InputError(ValueError):
    """Bad input: a pipeline, a parameter, an array's dtype or shape, a data file."""


@dataclasses.dataclass(frozen=True)
class Diagnostic:
    """One problem of a pipeline at its place in the file (1-based line and column; None for a
    `set` override, whose file reads "FILE (--set)")."""
    file: str
    line: Optional[int]
    column: Optional[int]
    message: str

    def __str__(self):
        where = self.file if self.line is None else f"{self.file}:{self.line}:{self.column}"
        return f"{where}: error: {self.message}"


class PipelineError(InputError):
    """A pipeline that failed its checks: every problem in `diagnostics`; `file`, `line`,
    `column` and `error` are those of the first."""

    def __init__(self, text, diagnostics):
        super().__init__(text)
        self.diagnostics = diagnostics
        first = diagnostics[0]
        self.file, self.line, self.column, self.error = first.file, first.line, first.column, first.message


class EngineError(RuntimeError):
    """A failure inside the engine that is not the input's fault (or not known to be)."""


class NotCompiledError(EngineError):
    """A backend this build lacks (CUDA, oneDNN, ONNX)."""


def diagnostics_of(text):
    """The file:line:column diagnostics in an engine message (a stage's failure keeps its prefix)."""
    found = []
    for line in text.splitlines():
        match = _DIAGNOSTIC.match(line)
        if match:
            line, column = (None, None) if match["line"] is None else (int(match["line"]), int(match["column"]))
            found.append(Diagnostic(match["file"], line, column, match["message"]))
    return found


def from_engine(kind, message):
    """The Python exception for an engine exception of `kind` (called by the compiled module)."""
    if kind == "input":
        diagnostics = diagnostics_of(message)
        return PipelineError(message, diagnostics) if diagnostics else InputError(message)
    if kind == "not_compiled":
        return NotCompiledError(message)
    if kind == "memory":
        return MemoryError(message)
    if kind == "cancelled":
        return KeyboardInterrupt(message)
    return EngineError(message)
