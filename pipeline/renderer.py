"""A build's last two stages on two cores. Once the tables are made the process forks: the child renders
the dataset's files into a staging folder while the parent validates the tables; once they pass, the
parent joins in, taking files to make from the same queue, then makes the catalogues and the manifest
from the sizes and SHA-256s of all of them. The folder is swapped into place only if all of this
succeeded.

Threads do not do it: validation and rendering both hold the GIL for much of their work. A fork needs
nothing handed over: the child has the tables already, shared copy-on-write. The queue is a pipe filled
before the fork with one byte per job, which each process reads one at a time (a pipe's reads are atomic,
and once drained it reads as empty, for no process holds its writing end). The child reports back its
files' sizes and SHA-256s, or its failure. The fork happens after pyarrow has started its threads, which
Arrow allows: its thread pools and allocator are reset in a forked child. The child ends with
``os._exit``, so nothing of the parent (atexit handlers, buffered output) runs twice.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.store import folders

# Where there is no fork (Windows), the build renders after validating, in one process. A fork pays even
# for one article: it costs a few milliseconds, and rendering and validating take about 0.1 s each.
CAN_FORK = hasattr(os, "fork")


class RenderJob:
    """The files of one build, made by a forked child and then this process too: ``finish`` them, or
    ``cancel``."""

    def __init__(self, pid: int, reader: int, queue: int, jobs: list, project: dict, notes: dict, staging: Path,
                 target: Path):
        self.pid, self.reader, self.queue, self.jobs = pid, reader, queue, jobs
        self.project, self.notes, self.staging, self.target = project, notes, staging, target

    def finish(self, tables: dict) -> None:
        """With ``tables`` validated: make the files still queued, then, with the child's, the catalogues
        and the manifest; a failure on either side is raised as a ``PipelineError``."""
        from pipeline import io
        from pipeline.export import closing_files

        try:
            facts = take_and_render(self.queue, self.jobs, tables, self.project, self.notes, self.staging)
            facts.update(self._child_facts())
            io.write_into(self.staging, closing_files(tables, facts, self.project))
        except PipelineError:
            raise
        except OSError as error:
            raise folders.failed(error, self.target, "write the output") from None
        except Exception as error:  # noqa: BLE001 - reported as the child's failures are
            raise PipelineError(f"rendering failed: {type(error).__name__}: {error}", str(self.target)) from None

    def _child_facts(self) -> dict:
        with os.fdopen(self.reader, "rb") as pipe:
            message = pipe.read().decode("utf-8", "replace")
        self.reader = None
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        code = os.waitstatus_to_exitcode(status)
        report = json.loads(message) if message.startswith("{") else {}
        if code != 0 or "facts" not in report:
            raise PipelineError(f"rendering failed: {report.get('failure') or f'the render process ended with {code}'}",
                                str(self.target))
        return {path: tuple(fact) for path, fact in report["facts"].items()}

    def cancel(self) -> None:
        """Stop the child, if it still runs, and remove what was written."""
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ChildProcessError, ProcessLookupError):
                pass
            self.pid = None
        for descriptor in (self.reader, self.queue):
            if descriptor is not None:
                os.close(descriptor)
        self.reader = self.queue = None
        folders.discard(self.staging)


def render_in_child(tables: dict, project: dict, notes: dict, staging: Path, target: Path) -> RenderJob:
    """Fork; the child renders the files of ``tables`` (as staged, before validation) into the empty folder
    ``staging``, the new content of ``target``, taking them from a queue it shares with this process."""
    from pipeline.export import file_jobs

    # The card, chart and report, then the tables' files, the largest first: whichever process ends last
    # then has only small files left.
    jobs = sorted(file_jobs(tables, notes), key=lambda job: (job[1] is not None, -len(tables.get(job[1], ())),
                                                             job[0] != "csv"))
    queue, filler = os.pipe()
    os.write(filler, bytes(range(len(jobs))))  # a few dozen bytes: far below a pipe's capacity
    os.close(filler)
    reader, writer = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid:
        os.close(writer)
        return RenderJob(pid, reader, queue, jobs, project, notes, staging, target)
    os.close(reader)
    report: dict = {}
    try:
        from pipeline.validate import in_schema_order

        report["facts"] = take_and_render(queue, jobs, in_schema_order(tables), project, notes, staging, parent)
    except BaseException as error:  # noqa: BLE001 - everything is reported to the parent, which stops
        if isinstance(error, OSError):
            error = folders.failed(error, target, "write the output")
        report = {"failure": str(error) if isinstance(error, PipelineError) else f"{type(error).__name__}: {error}"}
    finally:
        try:
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(json.dumps(report).encode("utf-8"))
        finally:
            os._exit(0 if "facts" in report else 1)


def take_and_render(queue: int, jobs: list, tables: dict, project: dict, notes: dict, staging: Path,
                    parent: int | None = None) -> dict[str, tuple[int, str]]:
    """Take jobs (see :func:`pipeline.export.file_jobs`) from ``queue``, a pipe of their numbers, one at a
    time until it is empty; make their files and write them into ``staging``; return their sizes and
    SHA-256s. In the child, ``parent`` is the building process's id: should it end (killed), the child
    stops at the next job instead of finishing files no one will use."""
    from pipeline import io
    from pipeline.export import make_files

    facts: dict[str, tuple[int, str]] = {}

    def made():
        while taken := os.read(queue, 1):
            if parent is not None and os.getppid() != parent:
                raise PipelineError("the build this renders for has ended", str(staging))
            for path, data, fact in make_files(tables, jobs[taken[0]], project, notes):
                facts[path] = fact
                yield path, data

    io.write_into(staging, made())
    return facts
