"""The patient file's fields, as the therapist writes them: what each may hold, checked as it is read.

Text is cleaned (no invisible characters, NFC), dates are YYYY-MM-DD only, a dose is a plausible
number. The exercises and devices are checked against the content in `selections`, the whole
plan in `plan`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, field_validator

from handouts.inputs.validation import Strict

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


def _count(value: Any) -> Any:
    """A count is digits only. pydantic alone reads `1_2` as 12 and `"1.000"` (a thousand, as Spanish
    and German write it) as 1, and would print that dose without a word."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = value.strip() if isinstance(value, str) else None
    if text is not None and re.fullmatch(r"[0-9]+", text):
        return text  # pydantic reads it, and says a range error with the value as typed
    shown = repr(value) if isinstance(value, str) else str(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "...'"
    if text is not None and re.fullmatch(r"[0-9]+([.,_ '][0-9]+)+", text):
        raise ValueError(
            f"{shown} is not a whole number: write a count in digits only, like 12 "
            "(no decimal point, no thousands separator, no '_')"
        )
    raise ValueError(f"{shown} is not a whole number; write digits only, like 12")


Count = Annotated[int, BeforeValidator(_count)]
"""A number of times, minutes, days or weeks, written in digits only."""


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
    log_weeks: Count = Field(1, ge=0, le=MAX_LOG_WEEKS)
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

    minutes: Count | None = Field(None, ge=1, le=60)
    times_per_day: Count | None = Field(None, ge=1, le=10)
    days_per_week: Count | None = Field(None, ge=1, le=7)
    repetitions: Count | None = Field(None, ge=1, le=100)
    hold_seconds: Count | None = Field(None, ge=1, le=120)
    note: Short | None = None


DOSE_FIELDS = tuple(Dose.model_fields)
PATIENT_FIELDS = tuple(PatientFile.model_fields)
"""The keys of a patient file, in the model's order: a roster's columns and a form's fields are these."""
DEVICE_FIELDS = ("note",)
"""A device takes no dose, only the therapist's note, printed with that device ("use it indoors")."""


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
