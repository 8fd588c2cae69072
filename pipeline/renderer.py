"""A build's last two stages on two cores: the dataset's files are rendered and written by a forked
copy of this process while this one validates the tables; they are swapped into place only if the tables
pass.

Threads do not do it: validation and rendering both hold the GIL for much of their work. A fork needs
nothing handed over (the child has the tables already, shared copy-on-write) and reports back only
whether it succeeded. It happens after pyarrow has started its threads, which Arrow allows: its thread
pools and allocator are reset in a forked child. The child ends with ``os._exit``, so nothing of the
parent (atexit handlers, buffered output) runs twice.
"""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

from pipeline.errors import PipelineError

# Where there is no fork (Windows), the build renders after validating, in one process. A fork pays even
# for one article: it costs a few milliseconds, and rendering and validating take about 0.1 s each.
CAN_FORK = hasattr(os, "fork")


class RenderJob:
    """The forked renderer of one build: ``wait`` for its files, or ``cancel`` it."""

    def __init__(self, pid: int, reader: int, staging: Path, target: Path):
        self.pid, self.reader, self.staging, self.target = pid, reader, staging, target

    def wait(self) -> None:
        """Wait for the files in ``staging``; a failure in the child is raised as a ``PipelineError``."""
        with os.fdopen(self.reader, "rb") as pipe:
            message = pipe.read().decode("utf-8", "replace")
        _, status = os.waitpid(self.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code != 0 or message:
            shutil.rmtree(self.staging, ignore_errors=True)
            raise PipelineError(f"rendering failed: {message or f'the render process ended with {code}'}",
                                str(self.target))

    def cancel(self) -> None:
        """Stop the child and remove what it wrote."""
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        os.close(self.reader)
        shutil.rmtree(self.staging, ignore_errors=True)


def render_in_child(tables: dict, project: dict, notes: dict, staging: Path, target: Path) -> RenderJob:
    """Fork; the child renders ``tables`` (as staged, before validation) into the empty folder ``staging``,
    the new content of ``target``."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid:
        os.close(writer)
        return RenderJob(pid, reader, staging, target)
    os.close(reader)
    failure = ""
    try:
        _render_into(tables, project, notes, staging)
    except BaseException as error:  # noqa: BLE001 - everything is reported to the parent, which stops
        failure = str(error) if isinstance(error, PipelineError) else f"{type(error).__name__}: {error}"
    finally:
        try:
            os.write(writer, failure.encode("utf-8"))
        finally:
            os._exit(1 if failure else 0)


def _render_into(tables: dict, project: dict, notes: dict, staging: Path) -> None:
    from pipeline import io
    from pipeline.export import render
    from pipeline.validate import in_schema_order

    # One thread: the other core is validating.
    io.write_into(staging, render(in_schema_order(tables), project, notes, threads=1))
