"""The pipeline's own error type: every expected failure is one of these, with a one-line message."""

from __future__ import annotations


class PipelineError(Exception):
    """A failure the user can act on: bad input, a failed validation, a locked output folder.

    ``str(error)`` is the one line shown to the user: ``path:line: message`` where a file (and a line)
    applies.
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path or ""
        if self.path and self.line is not None:
            where = f"{self.path}:{self.line}"
        return f"{where}: {self.message}" if where else self.message

    def __reduce__(self):
        return (type(self), (self.message, self.path, self.line))
