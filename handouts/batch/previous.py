"""Each record's previous handout, for a batch that says what changed: named in the roster's `previous`
column (a PDF, relative to the roster's folder), or found in `batch --previous DIR` by patient id and
birth date.

A folder's handouts are read once, when the first record asks; one that can't be read is passed over
(it may be another program's PDF). Of a patient's handouts there, the latest dated on or before the
new handout is taken; with none, the record prints without what changed and the batch says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handouts.build import Previous, load_previous
from handouts.errors import HandoutError, Problem
from handouts.inputs.roster import Record

COLUMN = "previous"


@dataclass(frozen=True)
class _Known:
    path: Path
    patient_id: str | None
    birth_date: str | None
    date: str


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return str(value).strip() if value not in (None, "") else None


class Finder:
    """Finds and reads each record's previous handout; the index of DIR is made once."""

    def __init__(self, roster: Path, folder: Path | None, content: Any, layouts: Path, today: dt.date) -> None:
        self.base = roster if roster.is_dir() else roster.parent
        self.folder, self.content, self.layouts, self.today = folder, content, layouts, today
        self._index: list[_Known] | None = None

    def previous(self, record: Record) -> tuple[Previous | None, Problem | None]:
        """The record's previous handout (the `previous` column taken out of the record), and a warning
        when --previous DIR holds none of this patient's."""
        data = record.located.data if isinstance(record.located.data, dict) else {}
        named = data.pop(COLUMN, None)
        if named is not None:
            if not isinstance(named, str) or not named.strip():
                raise HandoutError(Problem(record.located.file, "must name a handout (a .pdf file)", None, COLUMN))
            return load_previous(self.base / named.strip(), self.content, self.layouts), None
        if self.folder is None:
            return None, None
        found = self._match(data)
        if found is None:
            said = (
                "holds no earlier handout of this patient (by patient_id and birth_date): printed without what changed"
            )
            return None, Problem(str(self.folder), said)
        return load_previous(found, self.content, self.layouts), None

    def _match(self, data: dict[str, Any]) -> Path | None:
        pid, born = _text(data, "patient_id"), _text(data, "birth_date")
        day = _text(data, "date") or self.today.isoformat()
        mine = [k for k in self._known() if _same(k, pid, born)]
        earlier = [k for k in mine if k.date <= day]
        chosen = max(earlier or mine, key=lambda k: (k.date, str(k.path)), default=None)
        return chosen.path if chosen else None

    def _known(self) -> list[_Known]:
        if self._index is None:
            from handouts.inputs.pdfplan import read_plan_pdf

            assert self.folder is not None
            self._index = []
            for path in sorted(self.folder.glob("*.pdf")):
                try:
                    data = read_plan_pdf(path).data
                except HandoutError:
                    continue  # not one of ours, or damaged: not anyone's previous handout
                if isinstance(data, dict):
                    pid, born = _text(data, "patient_id"), _text(data, "birth_date")
                    self._index.append(_Known(path, pid, born, _text(data, "date") or ""))
        return self._index


def _same(known: _Known, pid: str | None, born: str | None) -> bool:
    """Every identifier both give is the same, and they share one at least."""
    pairs = [(known.patient_id, pid), (known.birth_date, born)]
    shared = [(a, b) for a, b in pairs if a is not None and b is not None]
    return bool(shared) and all(a == b for a, b in shared)
