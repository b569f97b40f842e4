"""manifest.csv: what happened to every record of a batch, safe to open in a spreadsheet.

Each row is written and flushed as its result arrives, so a batch that is stopped, even killed, still
says what it did. Patient text is never allowed to become a spreadsheet formula: a cell that would start
with =, +, -, @, a tab or a carriage return gets a leading apostrophe, which spreadsheets show as text.
The file is UTF-8 with a byte-order mark, which is what makes Excel show accented names correctly.
"""

from __future__ import annotations

import csv
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from handouts.errors import HandoutError, Problem
from handouts.output import _UMASK

COLUMNS = ("row", "name", "patient_id", "birth_date", "status", "file", "pages", "error", "warning")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Outcome:
    row: int
    name: str = ""
    patient_id: str = ""
    birth_date: str = ""
    """The second identifier when there is no patient_id; both are kept as written."""
    status: str = "failed"
    file: str = ""
    pages: int | None = None
    error: str = ""
    messages: list[str] = field(default_factory=list)
    """The error lines as shown on the terminal, one per problem."""
    warnings: list[str] = field(default_factory=list)
    """What the desk should know though the handout printed (a kind of exercise naming no moves), as
    shown on the terminal; the manifest's `warning` cell holds them all."""
    document: str = ""
    """With --fhir-out: the DocumentReference file written for this handout (docs/fhir.md)."""


def cell(value: object) -> str:
    """A value as a spreadsheet will show it, never run it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


class Manifest:
    def __init__(self, path: Path, documents: bool = False) -> None:
        """A new file, created (never opened) in OUTDIR and renamed over `path` at once: a link planted
        as manifest.csv is replaced, not followed, and the file rows are written into is this one."""
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
            os.fchmod(fd, 0o666 & ~_UMASK)
            self._file = os.fdopen(fd, "w", encoding="utf-8-sig", newline="")
            os.replace(tmp, path)
        except OSError as exc:
            if tmp is not None:
                _remove(tmp)
            raise HandoutError(Problem(str(path), f"can't write the manifest: {exc.strerror}")) from None
        self._path = path
        self._writer = csv.writer(self._file)
        self.counts = {"written": 0, "skipped": 0, "failed": 0}
        self._documents = documents
        self._write((*COLUMNS, "fhir_document") if documents else COLUMNS)

    def add(self, outcome: Outcome) -> None:
        self.counts[outcome.status] += 1
        values = (outcome.row, outcome.name, outcome.patient_id, outcome.birth_date, outcome.status, outcome.file)
        row = [*map(cell, values), cell(outcome.pages), cell(outcome.error), cell(" | ".join(outcome.warnings))]
        self._write([*row, cell(outcome.document)] if self._documents else row)

    def _write(self, row: list[str] | tuple[str, ...]) -> None:
        try:
            self._writer.writerow(row)
            self._file.flush()
        except OSError as exc:
            raise HandoutError(Problem(str(self._path), f"can't write the manifest: {exc.strerror}")) from None

    def close(self) -> None:
        try:
            self._file.close()
        except OSError:
            pass  # the problem was reported when the row could not be written


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
