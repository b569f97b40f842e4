"""Print one handout per patient of a roster, in parallel, losing nothing when stopped.

The main process reads the roster as a stream, checks and personalizes each record (cheap), and names
its file, in roster order: so the same roster gives the same names on every run, whatever order the
workers finish in. Worker processes do the expensive part, drawing the PDF, and write it atomically (a
temporary file in OUTDIR renamed over the final name). A file already there is never replaced without
--overwrite, but it is still drawn and compared: PDFs are deterministic, so the same bytes mean the
record has not changed, and different bytes mean a corrected record would otherwise hide behind an old,
wrong handout; that record is reported and the batch exits 1. Only a small window of records is in
flight at once, so memory does not grow with the roster. Results are recorded in roster order in
manifest.csv as they arrive. Ctrl-C (or SIGTERM) stops reading the roster, lets the few handouts in
flight finish, and still writes the manifest; a second Ctrl-C leaves at once. A SIGKILL leaves at most
hidden `.part` files, removed by the next run, never a truncated PDF under a final name.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from handouts.batch.manifest import Manifest, Outcome
from handouts.errors import HandoutError, Problem
from handouts.inputs.roster import Record, open_roster

EXIT_OK, EXIT_FAILED, EXIT_UNREADABLE, EXIT_INTERRUPTED = 0, 1, 2, 130
WINDOW_PER_JOB = 4
"""Records in flight per worker: enough to keep workers busy, few enough that memory stays flat."""
_SAFE_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*\.pdf")
_PAGE = re.compile(rb"/Type /Page(?![A-Za-z])")
DIFFERENT = "a different handout is already there (the record changed?); use --overwrite to replace it"


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS and Windows have no affinity call
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Settings:
    roster: Path
    outdir: Path
    layout: str | None = None
    paper: str | None = None
    jobs: int = 1
    overwrite: bool = False
    quiet: bool = False
    content_path: Path | None = None
    today: dt.date = field(default_factory=dt.date.today)
    background: bool = True
    """False (`--no-background`): leave out the general sections for every record."""


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


# --- the worker side ---------------------------------------------------------------------------


def _init_worker(layout: str, folder: Path, paper: str | None) -> None:
    """Once per worker: ignore Ctrl-C (the main process decides when to stop), load fonts and layout."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the main process's graceful stop, if forked
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    from handouts.inputs.layout import cached_layout
    from handouts.pdf.render import fonts_for

    fonts_for(cached_layout(layout, folder, paper))


def _exit_with_parent(parent: int) -> None:
    """A worker whose batch was killed (SIGKILL) would otherwise wait for work forever."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)


def draw_and_write(job: Job) -> tuple[str, Any]:
    """("written", "unchanged" or "different", pages), ("failed" or "unwritable", problems) or ("bug",
    traceback); never raises."""
    from handouts.inputs.layout import cached_layout
    from handouts.output import write_atomic
    from handouts.pdf.render import render

    try:
        pdf = render(job.handout, cached_layout(job.layout, job.folder, job.paper))
    except HandoutError as exc:
        return "failed", exc.problems
    except Exception:  # a bug: keep its traceback, but let the other patients print
        return "bug", traceback.format_exc()
    pages = len(_PAGE.findall(pdf))
    if job.compare:
        return ("unchanged" if _same(job.path, pdf) else "different"), pages
    try:
        write_atomic(job.path, pdf)
    except HandoutError as exc:  # a full disk or a folder gone read-only: no use going on
        return "unwritable", exc.problems
    return "written", pages


def _same(path: Path, pdf: bytes) -> bool:
    """Whether the file holds exactly these bytes; one that can't be read is not known to be the same."""
    try:
        if path.stat().st_size != len(pdf):
            return False
        return path.read_bytes() == pdf
    except OSError:
        return False


class _Here:
    """--jobs 1: draw in this process, with the same interface as the pool."""

    def __init__(self, layout: str, folder: Path, paper: str | None) -> None:
        from handouts.inputs.layout import cached_layout
        from handouts.pdf.render import fonts_for

        fonts_for(cached_layout(layout, folder, paper))

    def submit(self, fn: Callable[[Job], Any], job: Job) -> Future[Any]:
        done: Future[Any] = Future()
        done.set_result(fn(job))
        return done

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


# --- the main side -----------------------------------------------------------------------------


@dataclass
class _Pending:
    record: Record
    outcome: Outcome
    future: Future[Any] | None = None
    target: Path | None = None


class _Stop:
    """First Ctrl-C or SIGTERM: finish what is in flight and stop. Second: leave now."""

    def __init__(self) -> None:
        self.requested = False
        self._old: dict[int, Any] = {}

    def __enter__(self) -> _Stop:
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._old[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum: int, frame: Any) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __exit__(self, *exc: Any) -> None:
        for sig, old in self._old.items():
            signal.signal(sig, old)


def run(settings: Settings) -> int:
    """Print the roster; return the exit code. Raise HandoutError when the roster can't be read."""
    from handouts.inputs.content import cached_content
    from handouts.inputs.layout import DEFAULT_LAYOUT, LAYOUTS_DIR, cached_layout

    roster = open_roster(settings.roster)
    content = cached_content(settings.content_path)
    layout = settings.layout or DEFAULT_LAYOUT
    cached_layout(layout, LAYOUTS_DIR, settings.paper)  # a layout that can't print stops it all, before anything
    records = iter(roster)
    first = next(records)  # a YAML roster's defaults are checked here, before anything is written
    runner = _Runner(settings, content, _prepare_outdir(settings.outdir), roster.count)
    with _Stop() as stop:
        runner.executor = (
            _Here(layout, LAYOUTS_DIR, settings.paper)
            if settings.jobs == 1
            else ProcessPoolExecutor(
                settings.jobs, initializer=_init_worker, initargs=(layout, LAYOUTS_DIR, settings.paper)
            )
        )
        try:
            record: Record | None = first
            while record is not None and not stop.requested and runner.broken is None:
                runner.start(record)
                runner.flush(wait=len(runner.window) > WINDOW_PER_JOB * settings.jobs)
                try:
                    record = next(records, None)
                except HandoutError as exc:
                    runner.broken = exc.format_message()  # the roster breaks off here; keep what was done
            runner.flush(drain=True)
        except KeyboardInterrupt:
            stop.requested = True  # a second Ctrl-C: stop waiting; workers finish their one handout
            runner.executor.shutdown(wait=False, cancel_futures=True)
        else:
            runner.executor.shutdown(wait=True)
        finally:
            runner.close()
    counts = runner.manifest.counts
    if runner.broken is not None:
        click.echo(runner.broken, err=True)
    if not settings.quiet or stop.requested:
        summary = _summary(counts, runner.different, str(settings.outdir / "manifest.csv"), stop.requested)
        click.echo(summary, err=stop.requested)
    if runner.broken is not None:
        return EXIT_UNREADABLE
    if stop.requested:
        return EXIT_INTERRUPTED
    return EXIT_FAILED if counts["failed"] or runner.different else EXIT_OK


class _Runner:
    """The main process's side: name and start each record, record the results in roster order."""

    def __init__(self, settings: Settings, content: Any, outdir: Path, total: int) -> None:
        self.settings = settings
        self.content = content
        self.outdir = outdir
        self.manifest = Manifest(outdir / "manifest.csv")
        self.window: deque[_Pending] = deque()
        self.used: set[str] = set()
        self.bar = _progress(total, settings.quiet)
        self.executor: Any = None
        self.broken: str | None = None
        """Why the batch had to stop early (the roster broke off, a worker died)."""
        self.different = 0
        """Records skipped because a different handout is already under their name."""

    def start(self, record: Record) -> None:
        from handouts.build import prepare_record
        from handouts.output import handout_filename

        pending = _Pending(
            record, Outcome(record.row, record.text("name"), record.text("patient_id"), record.text("birth_date"))
        )
        self.window.append(pending)
        settings = self.settings
        try:
            handout, layout = prepare_record(
                record.located, self.content, settings.layout, settings.today, settings.paper, settings.background
            )
            if record.problems:
                raise HandoutError([])
        except HandoutError as exc:
            _fail(pending, [*record.problems, *exc.problems])
            return
        outcome = pending.outcome
        outcome.file = _unique(handout_filename(handout), self.used)
        outcome.name, outcome.patient_id = handout.name, handout.patient_id or ""
        outcome.birth_date = handout.birth_date.isoformat() if handout.birth_date else ""
        target = _inside(self.outdir, outcome.file)
        compare = not settings.overwrite and target.exists()
        pending.target = target
        try:
            job = Job(handout, layout.name, layout.folder, settings.paper, target, compare)
            pending.future = self.executor.submit(draw_and_write, job)
        except BrokenProcessPool:
            self._lost(pending)

    def flush(self, wait: bool = False, drain: bool = False) -> None:
        """Record finished results in roster order; wait for the oldest when the window is full."""
        while self.window:
            head = self.window[0]
            if head.future is not None:
                if not head.future.done() and not (wait or drain):
                    return
                try:
                    self.broken = _settle(head, head.future.result()) or self.broken
                except BrokenProcessPool:
                    self._lost(head)
            self.window.popleft()
            for line in head.outcome.messages:
                _echo_error(line, self.bar)
            self.manifest.add(head.outcome)
            self.different += head.outcome.status == "skipped" and bool(head.outcome.error)
            if self.bar is not None:
                self.bar.update(1)
            wait = drain

    def _lost(self, pending: _Pending) -> None:
        pending.outcome.status, pending.outcome.file = "failed", ""
        pending.outcome.error = "not finished: the process drawing it stopped (killed, or out of memory?)"
        self.broken = (
            "A worker process stopped unexpectedly (killed, or out of memory?); the batch stopped. "
            "Run it again to print the rest: handouts already written are skipped."
        )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.render_finish()
        self.manifest.close()


def _settle(pending: _Pending, result: tuple[str, Any]) -> str | None:
    """Record a worker's result; return why the batch must stop, if it must."""
    status, detail = result
    if status in ("written", "unchanged", "different"):
        outcome = pending.outcome
        outcome.status, outcome.pages = ("written" if status == "written" else "skipped"), detail
        if status == "different":
            outcome.error = DIFFERENT
            outcome.messages = [pending.record.explain(Problem(str(pending.target), DIFFERENT))]
        return None
    if status in ("failed", "unwritable"):
        _fail(pending, detail)
        if status == "unwritable":
            return f"{detail[0]}; the batch stopped: make room or choose another folder, then run it again"
        return None
    pending.outcome.status = "failed"
    pending.outcome.error = "internal error while drawing this handout (please report it)"
    pending.outcome.messages = [f"{pending.record.label}: {pending.outcome.error}\n{detail}"]
    return None


def _fail(pending: _Pending, problems: list[Problem]) -> None:
    pending.outcome.status = "failed"
    pending.outcome.file = ""
    pending.outcome.messages = [pending.record.explain(p) for p in problems]
    pending.outcome.error = " | ".join(pending.outcome.messages)


def _echo_error(line: str, bar: Any) -> None:
    if bar is not None:
        click.echo("\r\033[K", err=True, nl=False)  # clear the bar's line so the error reads cleanly
    click.echo(line, err=True)


def _unique(name: str, used: set[str]) -> str:
    """The first record keeps the name, later ones get _2, _3...: the same on every run.

    File names from handout_filename have exactly two underscores, so a suffixed name can't be
    another patient's natural name.
    """
    stem, ext = name.rsplit(".", 1)
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{stem}_{n}.{ext}"
    used.add(candidate)
    return candidate


def _inside(outdir: Path, name: str) -> Path:
    """The final path, refused (as a bug) unless it is a plain safe name directly inside OUTDIR."""
    if not _SAFE_NAME.fullmatch(name) or ".." in name:
        raise RuntimeError(f"unsafe handout file name {name!r}")
    return outdir / name


def _prepare_outdir(outdir: Path) -> Path:
    shown = str(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise HandoutError(Problem(shown, "is a file; give a folder for the handouts"))
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        # Hidden leftovers of a batch that was killed (SIGKILL, power cut) before it could clean up.
        for stale in outdir.glob(".*.pdf.*.part"):
            stale.unlink()
    except OSError as exc:
        raise HandoutError(Problem(shown, f"can't use this folder for handouts: {exc.strerror}")) from None
    return outdir.resolve()


def _progress(total: int, quiet: bool) -> Any:
    if quiet or not sys.stderr.isatty():
        return None
    bar = click.progressbar(length=total, label="Printing handouts", file=sys.stderr, show_pos=True)
    bar.render_progress()
    return bar


def _summary(counts: dict[str, int], different: int, manifest: str, interrupted: bool) -> str:
    parts = [f"{counts['written']} written"]
    if counts["skipped"] - different:
        parts.append(f"{counts['skipped'] - different} skipped (already there, unchanged)")
    if different:
        parts.append(f"{different} skipped (a different handout is already there; --overwrite replaces it)")
    if counts["failed"]:
        parts.append(f"{counts['failed']} failed")
    head = "Stopped: " if interrupted else ""
    return f"{head}{', '.join(parts)}: see {manifest}"
