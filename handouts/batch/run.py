"""Print one handout per patient of a roster, in parallel, losing nothing when stopped.

The main process reads the roster as a stream, checks and personalizes each record (cheap), and names
its file, in roster order: so the same roster gives the same names on every run, whatever order the
workers finish in. Worker processes do the expensive part, drawing the PDF; threads of the main
process write each one atomically (a temporary file in OUTDIR, synced and renamed over the final name)
while the workers draw the next. A file already there is never replaced without
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
import signal
import sys
import traceback
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from handouts.batch.manifest import Manifest, Outcome
from handouts.batch.outdir import MANIFEST_NAME, inside, prepare, unique
from handouts.batch.worker import Job, Writer, _Here, _init_worker, draw
from handouts.errors import HandoutError, Problem
from handouts.home import SHIPPED_LAYOUTS
from handouts.inputs.roster import Record, open_roster
from handouts.terminal import safe

EXIT_OK, EXIT_FAILED, EXIT_UNREADABLE, EXIT_INTERRUPTED = 0, 1, 2, 130
WINDOW_PER_JOB = 4
"""Records in flight per worker: enough to keep workers busy, few enough that memory stays flat."""
DIFFERENT = "a different handout is already there (the record changed?); use --overwrite to replace it"
UNREADABLE = "a file is already there that can't be read (or is a link); check it, or use --overwrite to replace it"


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
    layouts: Path = SHIPPED_LAYOUTS
    """The clinic's layouts folder (`home.resolve`), or the shipped one."""
    background: bool = True
    """False (`--no-background`): leave out the general sections for every record."""
    language: str | None = None
    """--language: every handout in this language, whatever each record says."""
    fhir_out: Path | None = None
    """--fhir-out: a FHIR DocumentReference for each handout in this folder (docs/fhir.md)."""
    previous: Path | None = None
    """--previous DIR: each record's previous handout, found there by patient id and birth date."""


# --- the main side -----------------------------------------------------------------------------


@dataclass
class _Pending:
    record: Record
    outcome: Outcome
    future: Future[Any] | None = None
    target: Path | None = None
    date: dt.date | None = None
    """The handout's date (its DocumentReference's, with --fhir-out)."""


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
    from handouts.inputs.layout import DEFAULT_LAYOUT, cached_layout

    roster = open_roster(settings.roster, settings.layouts)  # read whole: nothing written to OUTDIR can change it now
    content = cached_content(settings.content_path)
    if hasattr(roster, "content"):  # a FHIR roster reads which moves have modes from it (handouts/fhir/read.py)
        roster.content = content
    if settings.language:
        from handouts.inputs.translation import translated

        translated(content, settings.language)  # a missing or broken translation stops it all, before anything
    layout = settings.layout or DEFAULT_LAYOUT
    cached_layout(layout, settings.layouts, settings.paper)  # a layout that can't print stops it all, before anything
    records = iter(roster)
    first = next(records)  # a YAML roster's defaults are checked here, before anything is written
    outdir, lock = prepare(settings.outdir, settings.roster)
    jobs = max(1, min(settings.jobs, roster.count, default_jobs()))
    try:
        runner = _Runner(settings, content, outdir, roster.count, jobs)
        with _Stop() as stop:
            runner.executor = (
                _Here(layout, settings.layouts, settings.paper)
                if jobs == 1
                else ProcessPoolExecutor(
                    jobs, initializer=_init_worker, initargs=(layout, settings.layouts, settings.paper)
                )
            )
            _print_all(runner, first, records, stop, jobs)
    finally:
        lock.release()
    counts = runner.manifest.counts
    if runner.broken is not None:
        click.echo(safe(runner.broken), err=True)
    if not settings.quiet or stop.requested:
        summary = _summary(counts, runner.kept, str(settings.outdir / MANIFEST_NAME), stop.requested)
        click.echo(safe(summary), err=stop.requested)
    if runner.broken is not None:
        return EXIT_UNREADABLE
    if stop.requested:
        return EXIT_INTERRUPTED
    return EXIT_FAILED if counts["failed"] or sum(runner.kept.values()) else EXIT_OK


def _print_all(runner: _Runner, first: Record, records: Iterator[Record], stop: _Stop, jobs: int) -> None:
    """Start each record in roster order, a window at a time; record results as they arrive."""
    try:
        record: Record | None = first
        while record is not None and not stop.requested and runner.broken is None:
            runner.start(record)
            runner.flush(wait=len(runner.window) > WINDOW_PER_JOB * jobs)
            try:
                record = next(records, None)
            except HandoutError as exc:
                runner.broken = str(exc)  # the roster breaks off here; keep what was done
        runner.flush(drain=True)
    except KeyboardInterrupt:
        stop.requested = True  # a second Ctrl-C: stop waiting; workers finish their one handout
        runner.executor.shutdown(wait=False, cancel_futures=True)
        runner.writer.shutdown(wait=False, cancel_futures=True)  # a write begun still ends whole
    else:
        runner.executor.shutdown(wait=True)
        runner.writer.shutdown(wait=True)
    finally:
        runner.close()


class _Runner:
    """The main process's side: name and start each record, record the results in roster order."""

    def __init__(self, settings: Settings, content: Any, outdir: Path, total: int, jobs: int = 1) -> None:
        self.settings = settings
        self.content = content
        self.outdir = outdir
        self.manifest = Manifest(outdir / MANIFEST_NAME, settings.fhir_out is not None)
        self.window: deque[_Pending] = deque()
        self.used: set[str] = set()
        self.bar = _progress(total, settings.quiet)
        self.executor: Any = None
        self.writer = Writer(jobs)
        """Writes each drawn handout in a thread, while the workers draw the next."""
        self.broken: str | None = None
        """Why the batch had to stop early (the roster broke off, a worker died)."""
        self.kept = {DIFFERENT: 0, UNREADABLE: 0}
        """Records skipped because a different (or unreadable) file is already under their name."""
        from handouts.batch.previous import Finder

        self.finder = Finder(settings.roster, settings.previous, content, settings.layouts, settings.today)
        """Each record's previous handout, to say what changed (the `previous` column, --previous DIR)."""

    def start(self, record: Record) -> None:
        pending = _Pending(
            record, Outcome(record.row, record.text("name"), record.text("patient_id"), record.text("birth_date"))
        )
        self.window.append(pending)
        try:
            job = self._job(pending)
        except HandoutError as exc:
            _fail(pending, [*record.problems, *exc.problems])
            return
        except Exception:  # a bug (clinic content that check passed, say): this record fails, the rest print
            _bug(pending, traceback.format_exc())
            return
        try:
            drawing = self.executor.submit(draw, job)
            pending.future = drawing if job.compare else self.writer.after(drawing, job.path)
        except BrokenProcessPool:
            self._lost(pending)

    def _job(self, pending: _Pending) -> Job:
        """Check, personalize and name one record (cheap, here, in roster order): what a worker draws."""
        from handouts.build import prepare_record
        from handouts.output import handout_filename

        settings, record = self.settings, pending.record
        if record.problems and record.located.data is None:  # a handout in a folder of PDFs that can't be read
            raise HandoutError([])
        previous, missing = self.finder.previous(record)
        handout, layout = prepare_record(
            record.located,
            self.content,
            settings.layout,
            settings.today,
            settings.paper,
            settings.layouts,
            settings.background,
            settings.language,
            previous,
        )
        if record.problems:
            raise HandoutError([])
        outcome = pending.outcome
        said = [*handout.warnings, *([missing] if missing else [])]
        outcome.warnings = [record.explain(w) for w in said]  # said, not refused
        name = unique(handout_filename(handout), self.used)
        outcome.name, outcome.patient_id = handout.name, handout.patient_id or ""
        outcome.birth_date = handout.birth_date.isoformat() if handout.birth_date else ""
        target = inside(self.outdir, name)
        outcome.file, pending.target, pending.date = name, target, handout.date
        compare = not settings.overwrite and target.exists()
        return Job(handout, layout.name, layout.folder, settings.paper, target, compare)

    def flush(self, wait: bool = False, drain: bool = False) -> None:
        """Record finished results in roster order; wait for the oldest when the window is full."""
        while self.window:
            head = self.window[0]
            if head.future is not None:
                if not head.future.done() and not (wait or drain):
                    return
                try:
                    self._settle(head)
                except BrokenProcessPool:
                    self._lost(head)
                except Exception:  # a bug while writing it (the drawing's own are caught in the worker)
                    _bug(head, traceback.format_exc())
            self.window.popleft()
            for line in head.outcome.messages:
                _echo_error(line, self.bar)
            for line in [] if self.settings.quiet else head.outcome.warnings:
                _echo_error(f"warning: {line}", self.bar)
            self.manifest.add(head.outcome)
            if head.outcome.status == "skipped" and head.outcome.error in self.kept:
                self.kept[head.outcome.error] += 1
            if self.bar is not None:
                self.bar.update(1)
            wait = drain

    def _settle(self, head: _Pending) -> None:
        assert head.future is not None
        self.broken = _settle(head, head.future.result()) or self.broken
        if self.settings.fhir_out is not None and head.outcome.status != "failed":
            _document(head, self.settings.fhir_out)

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
    if status in ("written", "unchanged", "different", "unreadable"):
        outcome = pending.outcome
        outcome.status, outcome.pages = ("written" if status == "written" else "skipped"), detail
        if status in ("different", "unreadable"):
            outcome.error = DIFFERENT if status == "different" else UNREADABLE
            outcome.messages = [pending.record.explain(Problem(str(pending.target), outcome.error))]
        return None
    if status in ("failed", "unwritable"):
        _fail(pending, detail)
        if status == "unwritable":
            return f"{detail[0]}; the batch stopped: make room or choose another folder, then run it again"
        return None
    _bug(pending, detail)
    return None


def _document(pending: _Pending, folder: Path) -> None:
    """--fhir-out: the handout's DocumentReference, from the PDF on the disk (written or unchanged)."""
    from handouts.fhir.write import batch_document

    assert pending.target is not None and pending.date is not None
    pending.outcome.document = batch_document(folder, pending.target, pending.date, pending.record, pending.outcome)


def _bug(pending: _Pending, trace: str) -> None:
    """A record that hit a bug: failed in the manifest, naming no file (one already under its name is
    another, older handout), with the traceback on stderr for whoever reports it."""
    outcome = pending.outcome
    outcome.status, outcome.file, outcome.pages = "failed", "", None
    last = trace.strip().splitlines()[-1] if trace.strip() else "unknown error"
    outcome.error = f"internal error while making this handout ({last}); please report it"
    outcome.messages = [f"{pending.record.explain(Problem(pending.record.located.file, outcome.error))}\n{trace}"]


def _fail(pending: _Pending, problems: list[Problem]) -> None:
    pending.outcome.status = "failed"
    pending.outcome.file = ""
    pending.outcome.messages = [pending.record.explain(p) for p in problems]
    pending.outcome.error = " | ".join(pending.outcome.messages)


def _echo_error(line: str, bar: Any) -> None:
    if bar is not None:
        click.echo("\r\033[K", err=True, nl=False)  # clear the bar's line so the error reads cleanly
    click.echo(safe(line), err=True)


def _progress(total: int, quiet: bool) -> Any:
    if quiet or not sys.stderr.isatty():
        return None
    bar = click.progressbar(length=total, label="Printing handouts", file=sys.stderr, show_pos=True)
    bar.render_progress()
    return bar


def _summary(counts: dict[str, int], kept: dict[str, int], manifest: str, interrupted: bool) -> str:
    different, unreadable = kept[DIFFERENT], kept[UNREADABLE]
    parts = [f"{counts['written']} written"]
    if counts["skipped"] - different - unreadable:
        parts.append(f"{counts['skipped'] - different - unreadable} skipped (already there, unchanged)")
    if different:
        parts.append(f"{different} skipped (a different handout is already there; --overwrite replaces it)")
    if unreadable:
        parts.append(f"{unreadable} skipped (a file that can't be read is already there; --overwrite replaces it)")
    if counts["failed"]:
        parts.append(f"{counts['failed']} failed")
    head = "Stopped: " if interrupted else ""
    return f"{head}{', '.join(parts)}: see {manifest}"
