"""One patient's plan, as the therapist wrote it, checked against the clinic's content.

The patient file is typed at a discharge desk. Everything that could print a wrong handout is refused
here with its line: an unknown exercise (with the nearest match), strengthening (never prescribed),
a cane without a stronger side, a dose that is not a number, a brace without a side.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handouts.errors import HandoutError, Problem
from handouts.inputs.content import Content
from handouts.inputs.patient import PatientFile
from handouts.inputs.selections import Selection, selections
from handouts.inputs.validation import collect
from handouts.inputs.yamlsource import Located, load_yaml


@dataclass(frozen=True)
class Plan:
    """A patient file that passed every check: all the personalizer needs."""

    patient: PatientFile
    exercises: tuple[Selection, ...]
    devices: tuple[Selection, ...]
    file: str
    lines: dict[str, int] = field(default_factory=dict)
    """Line of each top-level field, so a later problem (say a character no font has) can point at it."""


def load_plan(path: Path, content: Content) -> Plan:
    return check_plan(load_yaml(path, "patient", keep_going=True), content)


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def check_plan(located: Located, content: Content) -> Plan:
    """Validate a located patient record; raise every problem in it at once."""
    problems: list[Problem] = []
    patient = collect(PatientFile, located, "patient file", problems)
    data = located.data if isinstance(located.data, dict) else {}
    problems += _identifier_problems(patient, data, located)
    exercises = selections("exercises", "exercise", data.get("exercises"), located, content, problems)
    devices = selections("devices", "device", data.get("devices"), located, content, problems)
    if not _written(patient, data, "stronger_side"):
        problems += _side_problems(exercises, devices, content, located.file)
    if problems:
        raise HandoutError(problems)
    assert patient is not None
    lines = {k[0]: v for k, v in located.lines.items() if len(k) == 1 and isinstance(k[0], str)}
    return Plan(patient, tuple(exercises), tuple(devices), located.file, lines)


def _written(patient: PatientFile | None, data: dict[str, Any], key: str) -> Any:
    """A field's value: the model's, or when the model refused the file, what was written, so one pass
    reports every problem, not only those of a file whose other fields were right."""
    if patient is not None:
        return getattr(patient, key)
    value = data.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _identifier_problems(patient: PatientFile | None, data: dict[str, Any], located: Located) -> list[Problem]:
    """A second identifier is required, and a birth date can't be after the handout's date."""
    problems = []
    if not _written(patient, data, "patient_id") and not _written(patient, data, "birth_date"):
        problems.append(
            Problem(
                located.file,
                "a second identifier is required: give patient_id or birth_date (YYYY-MM-DD)",
                located.line_of(()),
                "patient_id",
            )
        )
    born = _as_date(_written(patient, data, "birth_date"))
    when = _as_date(_written(patient, data, "date")) or dt.date.today()
    if born and born > when:
        problems.append(
            Problem(
                located.file, f"is after the handout's date ({when})", located.line_of(("birth_date",)), "birth_date"
            )
        )
    return problems


def _side_problems(exercises: list[Selection], devices: list[Selection], content: Content, file: str) -> list[Problem]:
    """Without a stronger side: the first exercise the stronger hand helps with, and the first device
    held in the stronger hand, each ask for it."""
    problems = []
    helped = next((sel for sel in exercises if content.section(sel.id).needs_side(sel.options)), None)
    if helped is not None:
        problems.append(
            Problem(
                file,
                f"{helped.id} is chosen with mode: {helped.options.get('mode')}, so say which side is stronger: "
                "stronger_side: left or right (the stronger hand helps the weaker arm)",
                helped.line,
                "stronger_side",
            )
        )
    held = next((sel for sel in devices if content.section(sel.id).needs_stronger_side), None)
    if held is not None:
        problems.append(
            Problem(
                file,
                f"{held.id} is chosen, so say which side is stronger: stronger_side: left or right "
                "(the cane is held in the hand of the stronger side)",
                held.line,
                "stronger_side",
            )
        )
    return problems
