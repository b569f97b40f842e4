"""The worker side of a batch: draw one handout, in a process of its own or in this one; the main
process writes it (Writer).

Everything a worker gets is plain, picklable data (a Job); everything it sends back is a tuple of plain
values, so a bug in one handout is reported with its traceback while the other patients still print.
"""

from __future__ import annotations

import gc
import os
import signal
import stat
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handouts.errors import HandoutError


@dataclass(frozen=True)
class Job:
    """What a worker needs to draw and write one handout: plain, picklable data."""

    handout: Any
    layout: str
    folder: Path
    paper: str | None
    path: Path
    compare: bool = False
    """A file is already at `path`: draw the handout and compare, never write."""


def _init_worker(layout: str, folder: Path, paper: str | None) -> None:
    """Once per worker: ignore Ctrl-C (the main process decides when to stop), load fonts and layout."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the main process's graceful stop, if forked
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    from handouts.inputs.layout import cached_layout
    from handouts.pdf.text import fonts_for

    fonts_for(cached_layout(layout, folder, paper))
    _settle_memory()


def _settle_memory() -> None:
    """What the worker holds from now on (modules, content, fonts, layouts) is never garbage: keep it
    out of the cyclic garbage collector's way (gc.freeze), which otherwise walks all of it again every
    few dozen handouts; and collect the young objects less often, since a handout makes hundreds of
    thousands of them and leaves only a few thousand in cycles. Together about 2 ms of CPU a handout
    (6%), for about 4 MB more memory at most."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])


GC_YOUNG = 5000
"""Allocations between two collections of the youngest objects (Python's default: 700)."""


def _exit_with_parent(parent: int) -> None:
    """A worker whose batch was killed (SIGKILL) would otherwise wait for work forever."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)


def draw(job: Job) -> tuple[str, Any]:
    """("drawn", (pdf, pages)) for the caller to write (see Writer); ("unchanged", "different" or
    "unreadable", pages) when comparing with the file there; ("failed", problems) or ("bug",
    traceback). Never raises."""
    from handouts.inputs.layout import cached_layout
    from handouts.pdf.render import render_counted

    try:
        pdf, pages = render_counted(job.handout, cached_layout(job.layout, job.folder, job.paper))
    except HandoutError as exc:
        return "failed", exc.problems
    except Exception:  # a bug: keep its traceback, but let the other patients print
        return "bug", traceback.format_exc()
    if job.compare:
        return _compare(job.path, pdf), pages
    return "drawn", (pdf, pages)


def write(path: Path, pdf: bytes, pages: int) -> tuple[str, Any]:
    """("written", pages), or ("unwritable", problems) for a full disk or a folder gone read-only."""
    from handouts.output import write_atomic

    try:
        write_atomic(path, pdf)
    except HandoutError as exc:
        return "unwritable", exc.problems
    return "written", pages


class Writer:
    """Writes drawn handouts in threads of the main process while the workers draw the next ones.

    A handout is written to a temporary file, synced to the disk and renamed (output.write_atomic).
    The sync waits for the disk, about 4 ms a handout here against about 35 ms of drawing: in a worker
    that wait left its core idle a tenth of the time; in a thread here it overlaps the drawing. The
    main process also compares and records results in roster order, so nothing else changes: a
    handout counts as written only once it is on the disk, under its name.
    """

    def __init__(self, threads: int) -> None:
        self.pool = ThreadPoolExecutor(max(1, threads), thread_name_prefix="handouts-write")

    def after(self, drawing: Future[Any], path: Path) -> Future[Any]:
        """A future of the final result of a drawing: written once drawn, or the drawing's own result."""
        done: Future[Any] = Future()

        def drawn(future: Future[Any]) -> None:
            try:
                status, detail = future.result()
                if status != "drawn":
                    done.set_result((status, detail))
                    return
                self.pool.submit(write, path, *detail).add_done_callback(lambda w: _pass_on(w, done))
            except BaseException as exc:  # a worker that died (BrokenProcessPool), a stopped batch
                if not done.done():
                    done.set_exception(exc)

        drawing.add_done_callback(drawn)
        return done

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        self.pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def _pass_on(source: Future[Any], target: Future[Any]) -> None:
    try:
        target.set_result(source.result())
    except BaseException as exc:  # cancelled by a second Ctrl-C; anything else is a bug, kept for flush
        target.set_exception(exc)


def _compare(path: Path, pdf: bytes) -> str:
    """ "unchanged" when the file there holds exactly these bytes, "different" when it holds others,
    "unreadable" when it can't be read (or is a link, which is never followed): then nobody knows."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                return "unreadable"
            there = f.read(len(pdf) + 1)
    except OSError:
        return "unreadable"
    return "unchanged" if there == pdf else "different"


class _Here:
    """--jobs 1: draw in this process, with the same interface as the pool."""

    def __init__(self, layout: str, folder: Path, paper: str | None) -> None:
        from handouts.inputs.layout import cached_layout
        from handouts.pdf.text import fonts_for

        fonts_for(cached_layout(layout, folder, paper))

    def submit(self, fn: Callable[[Job], Any], job: Job) -> Future[Any]:
        done: Future[Any] = Future()
        done.set_result(fn(job))
        return done

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass
