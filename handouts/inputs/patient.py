"""One patient's plan, as the therapist wrote it, checked against the clinic's content.

The patient file is typed at a discharge desk. Everything that could print a wrong handout is refused
here with its line: an unknown exercise (with the nearest match), strengthening (never prescribed),
a cane without a stronger side, a dose that is not a number, a brace without a side.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from handouts.errors import HandoutError, Problem
from handouts.inputs.content import Content
from handouts.inputs.validation import explain, suggest, validate
from handouts.inputs.yamlsource import Located, dotted, load_yaml

MAX_NOTES = 5000
MAX_LOG_WEEKS = 12


def _clean_text(value: str) -> str:
    """Refuse characters that print as nothing; keep line breaks, which become new paragraphs.

    Text is put in NFC form, so an accent typed as a separate combining mark prints as one letter
    (the fonts have the composed letters, and the PDF's text then matches what was typed).
    """
    value = unicodedata.normalize("NFC", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    for ch in value:
        if ch != "\n" and unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn"}:
            raise ValueError(
                f"contains the invisible character U+{ord(ch):04X} "
                f"({unicodedata.name(ch, 'a control character')}); remove it (it can't be printed)"
            )
    # Tabs and the many Unicode spaces print as an ordinary space.
    value = "".join(" " if ch.isspace() and ch != "\n" else ch for ch in value)
    value = value.strip()
    if not value:
        raise ValueError("must not be empty; leave the field out instead")
    return value


def _one_line(value: str) -> str:
    if "\n" in value:
        raise ValueError("must fit on one line")
    return " ".join(value.split())


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


Text = Annotated[str, AfterValidator(_clean_text), AfterValidator(_one_line)]
Name = Annotated[str, Field(max_length=120), AfterValidator(_clean_text), AfterValidator(_one_line)]
Short = Annotated[str, Field(max_length=120), AfterValidator(_clean_text), AfterValidator(_one_line)]
Notes = Annotated[str, Field(max_length=MAX_NOTES), AfterValidator(_clean_text)]
Side = Annotated[Literal["left", "right"], BeforeValidator(_lower)]


class PatientFile(BaseModel):
    """The fields of a patient file; selections are checked against the content afterwards."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Name
    patient_id: Short | None = None
    birth_date: dt.date | None = None
    date: dt.date | None = None
    therapist: Short | None = None
    clinic: Short | None = None
    phone: Short | None = None
    stronger_side: Side | None = None
    exercises: list[Any] = []
    devices: list[Any] = []
    notes: Notes | None = None
    layout: Short | None = None
    log_weeks: int = Field(1, ge=0, le=MAX_LOG_WEEKS)
    """How many "My week" log pages to print at the end; 0 for none."""
    background: bool = True
    """False leaves out the general sections (for a patient who has had them before); "What to avoid"
    and "Call your care team" always print. `--no-background` sets it false for every record."""

    @field_validator("date")
    @classmethod
    def _plausible_date(cls, value: dt.date | None) -> dt.date | None:
        # A discharge date decades away is a typo in the year, not a plan.
        if value is not None and not 2000 <= value.year <= dt.date.today().year + 1:
            raise ValueError(f"{value} is not a plausible date for this handout; check the year")
        return value

    @field_validator("birth_date")
    @classmethod
    def _plausible_birth(cls, value: dt.date | None) -> dt.date | None:
        if value is not None and value.year < 1900:
            raise ValueError(f"{value} is before 1900; check the year")
        return value


class Dose(BaseModel):
    """How much of an exercise, as the therapist prescribed it. Nothing here is ever invented."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    minutes: int | None = Field(None, ge=1, le=600)
    times_per_day: int | None = Field(None, ge=1, le=24)
    days_per_week: int | None = Field(None, ge=1, le=7)
    repetitions: int | None = Field(None, ge=1, le=1000)
    hold_seconds: int | None = Field(None, ge=1, le=600)
    note: Short | None = None


DOSE_FIELDS = tuple(Dose.model_fields)
DEVICE_FIELDS = ("note",)
"""A device takes no dose, only the therapist's note, printed with that device ("use it indoors")."""


@dataclass(frozen=True)
class Selection:
    """One chosen exercise or device with its options resolved (defaults filled in)."""

    id: str
    options: dict[str, str]
    dose: Dose | None = None
    line: int | None = None


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
    try:
        patient = validate(PatientFile, located, "patient file")
    except HandoutError as exc:
        problems += exc.problems
        patient = None
    data = located.data if isinstance(located.data, dict) else {}

    def line(*loc: str | int) -> int | None:
        return located.line_of(loc)

    # Checked from what was written even when other fields failed, so one pass reports every problem.
    def given(key: str) -> Any:
        if patient is not None:
            return getattr(patient, key)
        value = data.get(key)
        return value.strip() if isinstance(value, str) and value.strip() else None

    if not given("patient_id") and not given("birth_date"):
        problems.append(
            Problem(
                located.file,
                "a second identifier is required: give patient_id or birth_date (YYYY-MM-DD)",
                line(),
                "patient_id",
            )
        )
    born, when = _as_date(given("birth_date")), _as_date(given("date")) or dt.date.today()
    if born and born > when:
        problems.append(
            Problem(located.file, f"is after the handout's date ({when})", line("birth_date"), "birth_date")
        )

    exercises = _selections("exercises", "exercise", data.get("exercises"), located, content, problems)
    devices = _selections("devices", "device", data.get("devices"), located, content, problems)
    if not given("stronger_side"):
        for sel in devices:
            if content.section(sel.id).needs_stronger_side:
                problems.append(
                    Problem(
                        located.file,
                        f"{sel.id} is chosen, so say which side is stronger: stronger_side: left or right "
                        "(the cane is held in the hand of the stronger side)",
                        sel.line,
                        "stronger_side",
                    )
                )
                break
    if problems:
        raise HandoutError(problems)
    assert patient is not None
    lines = {k[0]: v for k, v in located.lines.items() if len(k) == 1 and isinstance(k[0], str)}
    return Plan(patient, tuple(exercises), tuple(devices), located.file, lines)


_OTHER = {"exercise": "device", "device": "exercise"}


def _selections(
    key: str,
    kind: str,
    items: Any,
    located: Located,
    content: Content,
    problems: list[Problem],
) -> list[Selection]:
    if not isinstance(items, list):
        return []  # shape errors were reported by the model
    known = {s.id: s for s in content.sections}
    mine = [s.id for s in content.of_kind(kind)]  # type: ignore[arg-type]
    out: list[Selection] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        here = located.line_of((key, i))
        where = f"{key}[{i}]"
        if isinstance(item, str):
            item_id, raw = item, {}
        elif isinstance(item, dict) and len(item) == 1:
            item_id, raw = next(iter(item.items()))
            raw = raw or {}
            if not isinstance(raw, dict):
                problems.append(Problem(located.file, f"options of {item_id} must be 'key: value' pairs", here, where))
                continue
        else:
            problems.append(
                Problem(
                    located.file,
                    f"each {kind} is a name, or a name with options like 'aerobic: {{minutes: 15}}'",
                    here,
                    where,
                )
            )
            continue
        written = " ".join(str(item_id).split())
        item_id = section_id(written)
        section = known.get(item_id)
        if section is not None and section.kind == "avoid":
            problems.append(
                Problem(
                    located.file,
                    f"{item_id} is not recommended for people with ALS: lifting weights does not build up "
                    "muscles weakened by ALS and can weaken them more. The handout always explains this "
                    "under 'What to avoid'; remove it from the plan",
                    here,
                    where,
                )
            )
            continue
        if section is None or section.kind != kind:
            if section is not None and section.kind == _OTHER.get(kind):
                message = f"'{item_id}' is a {section.kind}; list it under {section.kind}s"
            elif section is not None:
                message = f"'{item_id}' can't be chosen; it is always part of the handout"
            else:
                message = f"'{written}' is not {'an' if kind == 'exercise' else 'a'} {kind}" + (
                    suggest(item_id, mine) or f"; choose from: {', '.join(mine)}"
                )
                if " - " in written:
                    message += " (two items run together: start each on its own line with '- ', lined up)"
            problems.append(Problem(located.file, message, here, where))
            continue
        if item_id in seen:
            problems.append(Problem(located.file, f"{item_id} is listed twice; keep one", here, where))
            continue
        seen.add(item_id)
        sel = _options(section, raw, kind, located, (key, i, item_id), problems)
        if sel is not None:
            out.append(Selection(item_id, sel[0], sel[1], here))
    return out


_TRUE = {"true", "yes", "on", "1", "y"}
_FALSE = {"false", "no", "off", "0", "n"}


def section_id(value: Any) -> str:
    """An item or option name as a therapist may type it: 'Range-of-motion' is range_of_motion,
    'Times per day' is times_per_day."""
    return " ".join(str(value).split()).lower().replace("-", "_").replace(" ", "_")


def option_text(value: Any, choices: list[str] | tuple[str, ...]) -> str:
    """An option's value as the plan reads it: trimmed, lower case, and for a true/false option
    yes/no, on/off, 1/0, y/n read as true/false. The form shows a loaded file's choice through this."""
    text = str(value).strip().lower() if value is not None else ""
    if set(choices) == {"true", "false"}:
        text = "true" if text in _TRUE else "false" if text in _FALSE else text
    return text


def _options(
    section: Any,
    raw: dict[str, Any],
    kind: str,
    located: Located,
    loc: tuple[str | int, ...],
    problems: list[Problem],
) -> tuple[dict[str, str], Dose | None] | None:
    before = len(problems)
    dose_fields = DOSE_FIELDS if kind == "exercise" else DEVICE_FIELDS
    allowed = [*section.options, *dose_fields]
    dose_raw: dict[str, Any] = {}
    chosen: dict[str, str] = {}
    given: dict[str, str] = {}  # option name -> as written, to point at it
    for written, value in raw.items():
        here = located.line_of((*loc, written))
        where = dotted((*loc, written))
        name = section_id(written)
        if name in given:
            problems.append(Problem(located.file, f"'{written}' is given twice (as '{given[name]}')", here, where))
            continue
        given[name] = str(written)
        if name in dose_fields:
            dose_raw[name] = value
            continue
        option = section.options.get(name)
        if option is None:
            listing = ", ".join(allowed) if allowed else "none"
            problems.append(
                Problem(
                    located.file,
                    f"'{written}' is not an option of {section.id}{suggest(name, allowed)} (options: {listing})",
                    here,
                    where,
                )
            )
            continue
        text = option_text(value, option.choices)
        if text not in option.choices:
            problems.append(
                Problem(
                    located.file,
                    f"{value!r} is not allowed; use {' or '.join(option.choices)}",
                    here,
                    where,
                )
            )
            continue
        chosen[name] = text
    for name, option in section.options.items():
        if name not in chosen and name not in given:
            if option.default is None:
                problems.append(
                    Problem(
                        located.file,
                        f"{section.id} needs '{name}': {' or '.join(option.choices)} ({option.help})",
                        located.line_of(loc),
                        dotted(loc),
                    )
                )
            else:
                chosen[name] = option.default
    dose = None
    if kind == "exercise" or dose_raw:
        try:
            dose = Dose.model_validate(dose_raw)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                full = (*loc, *(given.get(str(part), part) for part in err["loc"]))
                problems.append(Problem(located.file, explain(err, Dose), located.line_of(full), dotted(full)))
    return None if len(problems) > before else (chosen, dose)
