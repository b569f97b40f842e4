"""One patient's plan, as the therapist wrote it, checked against the clinic's content.

The patient file is typed at a discharge desk. Everything that could print a wrong handout is refused
here with its line: an unknown exercise (with the nearest match), strengthening (never prescribed),
a cane without a stronger side, a dose that is not a number, a brace without a side.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, ValidationError, field_validator

from handouts.errors import HandoutError, Problem
from handouts.inputs.content import Content, Section
from handouts.inputs.validation import Loc, Strict, collect, problems_from, suggest
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


Short = Annotated[str, Field(max_length=120), AfterValidator(_clean_text), AfterValidator(_one_line)]
Notes = Annotated[str, Field(max_length=MAX_NOTES), AfterValidator(_clean_text)]
Side = Annotated[Literal["left", "right"], BeforeValidator(_lower)]


def _written_date(value: Any) -> Any:
    """Only a date written as YYYY-MM-DD is a date. pydantic alone would read `0` or `1763856000` as
    seconds since 1970 and print that day as the patient's birth date."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    text = value.strip() if isinstance(value, str) else None
    if text is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        shown = repr(value) if isinstance(value, str) else str(value)
        shown = shown if len(shown) <= 60 else shown[:57] + "...'"
        raise ValueError(f"{shown} is not a date; write it as YYYY-MM-DD, for example 2026-11-23")
    if text.startswith("0000"):
        raise ValueError(f"'{text}' is not a real date: there is no year 0; check the year")
    return text


WrittenDate = Annotated[dt.date, BeforeValidator(_written_date)]

_LANGUAGE_NAMES = {"english": "en", "spanish": "es", "español": "es", "espanol": "es"}


def _language(value: object) -> object:
    """en or es; a spreadsheet's "Spanish" or "ES" is read as es."""
    if isinstance(value, str):
        said = value.strip().lower()
        return _LANGUAGE_NAMES.get(said, said if said in ("en", "es") else value)
    return value


Language = Annotated[Literal["en", "es"], BeforeValidator(_language)]


class PatientFile(Strict):
    """The fields of a patient file; selections are checked against the content afterwards."""

    name: Short
    patient_id: Short | None = None
    birth_date: WrittenDate | None = None
    date: WrittenDate | None = None
    therapist: Short | None = None
    clinic: Short | None = None
    phone: Short | None = None
    stronger_side: Side | None = None
    exercises: list[Any] = []
    devices: list[Any] = []
    notes: Notes | None = None
    layout: Short | None = None
    language: Language | None = None
    """The handout's language: en (English, the default) or es (Spanish); --language wins over it."""
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


class Dose(Strict):
    """How much of an exercise, as the therapist prescribed it. Nothing here is ever invented.

    The limits are plausibility checks, several times what the guidance asks for (docs/web.md, "Dose
    limits"): a value beyond them is a typo (24 times a day, 600 minutes), refused with the range allowed
    on every front end (form, command line, batch), since they all check through this model."""

    minutes: int | None = Field(None, ge=1, le=60)
    times_per_day: int | None = Field(None, ge=1, le=10)
    days_per_week: int | None = Field(None, ge=1, le=7)
    repetitions: int | None = Field(None, ge=1, le=100)
    hold_seconds: int | None = Field(None, ge=1, le=120)
    note: Short | None = None


DOSE_FIELDS = tuple(Dose.model_fields)
PATIENT_FIELDS = tuple(PatientFile.model_fields)
"""The keys of a patient file, in the model's order: a roster's columns and a form's fields are these."""
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
    patient = collect(PatientFile, located, "patient file", problems)
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
        for sel in exercises:
            if content.section(sel.id).needs_side(sel.options):
                problems.append(
                    Problem(
                        located.file,
                        f"{sel.id} is chosen with mode: {sel.options.get('mode')}, so say which side is stronger: "
                        "stronger_side: left or right (the stronger hand helps the weaker arm)",
                        sel.line,
                        "stronger_side",
                    )
                )
                break
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
    out: list[Selection] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        here = located.line_of((key, i))
        where = f"{key}[{i}]"
        parts = _item_parts(item, kind)
        if isinstance(parts, str):
            problems.append(Problem(located.file, parts, here, where))
            continue
        written, raw = parts
        item_id = section_id(written)
        section = content.by_id.get(item_id)
        wrong = _wrong_item(section, written, kind, content)
        if section is None or wrong:
            problems.append(Problem(located.file, wrong, here, where))
            continue
        if item_id in seen:
            problems.append(Problem(located.file, f"{item_id} is listed twice; keep one", here, where))
            continue
        seen.add(item_id)
        sel = _options(section, raw, kind, located, (key, i, item_id), problems)
        if sel is not None:
            out.append(Selection(item_id, sel[0], sel[1], here))
    return out


def _item_parts(item: Any, kind: str) -> tuple[str, dict[str, Any]] | str:
    """An item's name as written and its options, or what is wrong with its shape."""
    if isinstance(item, str):
        return " ".join(item.split()), {}
    if isinstance(item, dict) and len(item) == 1:
        item_id, raw = next(iter(item.items()))
        if not isinstance(raw or {}, dict):
            return f"options of {item_id} must be 'key: value' pairs"
        return " ".join(str(item_id).split()), raw or {}
    return f"each {kind} is a name, or a name with options like 'aerobic: {{minutes: 15}}'"


def _wrong_item(section: Section | None, written: str, kind: str, content: Content) -> str:
    """Why this item can't be chosen under `kind`, or "" when it can."""
    item_id = section_id(written)
    if section is not None and section.kind == "avoid":
        return (
            f"{item_id} is not recommended for people with ALS: lifting weights does not build up "
            "muscles weakened by ALS and can weaken them more. The handout always explains this "
            "under 'What to avoid'; remove it from the plan"
        )
    if section is not None and section.kind == kind:
        return ""
    if section is not None and section.kind == _OTHER.get(kind):
        return f"'{item_id}' is a {section.kind}; list it under {section.kind}s"
    if section is not None:
        return f"'{item_id}' can't be chosen; it is always part of the handout"
    mine = [s.id for s in content.of_kind(kind)]  # type: ignore[arg-type]
    message = f"'{written}' is not {'an' if kind == 'exercise' else 'a'} {kind}" + (
        suggest(item_id, mine) or f"; choose from: {', '.join(mine)}"
    )
    if " - " in written:
        message += " (two items run together: start each on its own line with '- ', lined up)"
    return message


TRUE_WORDS = ("true", "yes", "on", "1", "y")
FALSE_WORDS = ("false", "no", "off", "0", "n")
"""How a true/false option may be written, in any case."""


def section_id(value: Any) -> str:
    """An item or option name as a therapist may type it: 'Range-of-motion' is range_of_motion,
    'Times per day' is times_per_day."""
    return " ".join(str(value).split()).lower().replace("-", "_").replace(" ", "_")


def option_text(value: Any, choices: list[str] | tuple[str, ...]) -> str:
    """An option's value as the plan reads it: trimmed, lower case, and for a true/false option
    yes/no, on/off, 1/0, y/n read as true/false. The form shows a loaded file's choice through this."""
    text = str(value).strip().lower() if value is not None else ""
    if set(choices) == {"true", "false"}:
        text = "true" if text in TRUE_WORDS else "false" if text in FALSE_WORDS else text
    return text


def _options(
    section: Section,
    raw: dict[str, Any],
    kind: str,
    located: Located,
    loc: tuple[str | int, ...],
    problems: list[Problem],
) -> tuple[dict[str, str], Dose | None] | None:
    before = len(problems)
    dose_fields = DOSE_FIELDS if kind == "exercise" else DEVICE_FIELDS
    dose_raw: dict[str, Any] = {}
    chosen: dict[str, str] = {}
    given: dict[str, str] = {}  # option name -> as written, to point at it
    for written, value in raw.items():
        here, where = located.line_of((*loc, written)), dotted((*loc, written))
        name = section_id(written)
        if name in given:
            problems.append(Problem(located.file, f"'{written}' is given twice (as '{given[name]}')", here, where))
            continue
        given[name] = str(written)
        if name in dose_fields:
            dose_raw[name] = value
            continue
        text, wrong = _option_value(section, name, written, value, dose_fields)
        if wrong:
            problems.append(Problem(located.file, wrong, here, where))
        else:
            chosen[name] = text
    for name, option in section.options.items():
        if name in chosen or name in given:
            continue
        if option.default is None:
            needs = f"{section.id} needs '{name}': {' or '.join(option.choices)} ({option.help})"
            problems.append(Problem(located.file, needs, located.line_of(loc), dotted(loc)))
        else:
            chosen[name] = option.default
    dose = _dose(dose_raw, given, located, loc, problems) if kind == "exercise" or dose_raw else None
    return None if len(problems) > before else (chosen, dose)


def _option_value(
    section: Section, name: str, written: str, value: Any, dose_fields: tuple[str, ...]
) -> tuple[str, str]:
    """(the option's value, "") or ("", what is wrong with it)."""
    option = section.options.get(name)
    move = name == "mode" and section.is_move
    if option is None and move:
        return "", (
            f"{section.id} is done on your own only; it has no mode (remove 'mode', "
            "or choose a move that a helper can do)"
        )
    if option is None:
        allowed = [*section.options, *dose_fields]
        listing = ", ".join(allowed) if allowed else "none"
        return "", f"'{written}' is not an option of {section.id}{suggest(name, allowed)} (options: {listing})"
    text = option_text(value, option.choices)
    if text in option.choices:
        return text, ""
    if move and text in ("active", "assisted", "passive"):
        return "", f"{section.id} can't be done {text}; its modes are {' or '.join(option.choices)}"
    if move:
        choices = " or ".join(option.choices)
        return "", f"{value!r} is not a mode of {section.id}{suggest(text, option.choices)} (modes: {choices})"
    return "", f"{value!r} is not allowed; use {' or '.join(option.choices)}"


def _dose(
    dose_raw: dict[str, Any], given: dict[str, str], located: Located, loc: Loc, problems: list[Problem]
) -> Dose | None:
    try:
        return Dose.model_validate(dose_raw)
    except ValidationError as exc:
        # Pointed at the option as it was written ('Times per day'), inside the item.
        def place(at: Loc) -> tuple[str, int | None, Loc]:
            full = (*loc, *(given.get(str(part), part) for part in at))
            return located.file, located.line_of(full), full

        problems += problems_from(exc, Dose, place)
        return None
