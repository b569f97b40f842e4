"""The clinic's guidance (content.yaml) as a validated model.

content.yaml is kept by a clinician, not a programmer, so loading it checks everything the code relies
on: the sections the product promises exist with the right kinds, options have sensible choices,
variants name real options and values, and every {slot} in the text is one the patient file can fill.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from handouts.errors import HandoutError, Problem
from handouts.home import SHIPPED_CONTENT
from handouts.inputs.dosefields import dose_field_problems
from handouts.inputs.figure import Figure
from handouts.inputs.media import Image, VideoAddress, check_images
from handouts.inputs.validation import Strict, validate
from handouts.inputs.wording import (
    caution_problems,
    record_problems,
    refuse_a_translation,
    slot_names,
    source_problems,
    wording_problems,
)
from handouts.inputs.yamlsource import load_yaml

Kind = Literal["general", "exercise", "device", "avoid"]

DEFAULT_CONTENT = SHIPPED_CONTENT

# What the product promises: these ids exist, with these kinds (issue 2).
REQUIRED_SECTIONS: dict[str, Kind] = {
    "about": "general",
    "safety": "general",
    "closing": "general",
    "warning_signs": "general",
    "after_a_fall": "general",
    "aerobic": "exercise",
    "stretching": "exercise",
    "range_of_motion": "exercise",
    "strengthening": "avoid",
    "cane": "device",
    "quad_cane": "device",
    "walker": "device",
    "ankle_foot_brace": "device",
    "neck_brace": "device",
    "wheelchair": "device",
}

PICTURED = frozenset(
    {"aerobic", "stretching", "range_of_motion", "cane", "quad_cane", "walker", "ankle_foot_brace"}
    | {"neck_brace", "wheelchair"}
)
"""Sections the project has a drawing for (handouts/pictures.py); each needs a caption. A section a
clinic adds gets no picture rather than a wrong one."""

SIDE_SLOTS = ("stronger_hand", "stronger_side", "weaker_side")
"""Slots filled from the patient's stronger side; a section using them requires `stronger_side`."""

OPTION_SLOTS = {"side": ("side", "side_leg")}
"""Slots filled from a section's own option of that name."""


Category = Literal["range_of_motion", "stretching", "aerobic"]
MODES = ("active", "assisted", "passive")
"""How a move is done: on your own; with your stronger hand helping; by a helper (written to them)."""

STRENGTHENING = re.compile(
    r"\b(weights|dumbbells?|barbells?|kettlebells?|(ankle|wrist|hand|cuff|light|heavy) weights?|"
    r"(lift|hold|add|use) (a |the )?weights?|bands?|tubing|theraband|thera-band|resistance bands?|push against)\b",
    re.IGNORECASE,
)
"""Words that make a move strengthening, which is never prescribed: weights and resistance bands."""


class Option(Strict):
    help: str = Field(min_length=1)
    choices: list[str] = Field(min_length=2)
    default: str | None = None

    @model_validator(mode="after")
    def _default_is_a_choice(self) -> Option:
        if self.default is not None and self.default not in self.choices:
            raise ValueError(f"default '{self.default}' is not one of the choices {self.choices}")
        return self


class Caution(Strict):
    """A warning printed with a move ("Take care: ..."), with the keys of the `sources` it comes from:
    a caution is a fact like any other, and `check` refuses one that names no source."""

    text: str = Field(min_length=1)
    sources: list[str] = []


def _cautions(value: object) -> object:
    """A caution may be written as plain words; check then asks for its source (caution_problems)."""
    if isinstance(value, list):
        return [{"text": item} if isinstance(item, str) else item for item in value]
    return value


class Variant(Strict):
    text: list[str] = []
    steps: list[str] = []
    caption: str | None = Field(None, min_length=1)
    """Replaces the section's caption when this variant is chosen (two chosen: both, one after the other)."""
    figure: Figure | None = None
    """Replaces a move's figure in this mode (a helper moves the arm with the person lying down)."""
    cautions: list[Caution] = []
    """Replace the section's cautions in this version (a helper's cautions are written to the helper)."""

    _plain_cautions = field_validator("cautions", mode="before")(_cautions)


class DefaultDose(Strict):
    """A move's usual dose, printed when the therapist gives none (their own numbers always win)."""

    times_per_day: int | None = Field(None, ge=1, le=10)
    days_per_week: int | None = Field(None, ge=1, le=7)
    repetitions: int | None = Field(None, ge=1, le=100)
    hold_seconds: int | None = Field(None, ge=1, le=120)
    minutes: int | None = Field(None, ge=1, le=60)


class Section(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: Kind
    title: str = Field(min_length=1)
    label: str | None = Field(None, min_length=1, max_length=60)
    """The clinician's name for it on the discharge form (range of motion (ROM), AFO); the title is the patient's."""
    text: list[str] = []
    steps: list[str] = []
    how_often: str | None = None
    caption: str | None = Field(None, min_length=1)
    """The words beside the section's picture, so nothing is said by the picture alone."""
    options: dict[str, Option] = {}
    variants: dict[str, dict[str, Variant]] = {}
    # A move of the library (docs/figures.md): an exercise with a category, a joint and a figure.
    category: Category | None = None
    joint: str | None = Field(None, min_length=1)
    reason: str | None = Field(None, min_length=1)
    """Why the move helps, in one sentence."""
    dose: DefaultDose | None = None
    cautions: list[Caution] = []
    source: str | None = Field(None, min_length=1)
    """Where the move's facts come from; the handout's closing names it."""
    figure: Figure | None = None
    image: Image | None = None
    """The clinic's own picture (PNG or JPEG), printed instead of a figure (docs/content.md)."""
    video: VideoAddress | None = None
    """The https address of the clinic's video of it: the handout prints a QR code to it."""
    short_title: str | None = Field(None, min_length=1, max_length=16)
    """The name in a word or two: an exercise's "My week" column head, a device's line under "When to
    ask about new equipment" (the title when absent)."""
    ask_when: str | None = Field(None, min_length=1)
    """A device's sign that it may be time to ask about it, for a patient who does not use it yet."""
    sources: list[str] = []
    """Keys of the content's `sources` this section's facts come from."""
    dose_fields: list[str] | None = None
    """The dose fields an exercise takes (a stretch: hold_seconds, repetitions...): declared on a kind,
    which its moves inherit, or on a move that differs; checked by handouts/inputs/dosefields.py."""
    write_in_lines: int | None = Field(None, ge=1, le=8)
    """On a kind of exercise (stretching): chosen without any of its moves, the handout prints this many
    numbered lines under "The moves you were shown", for the therapist to write them in by hand."""
    sides: Literal["arm", "leg", "hand", "foot", "side"] | None = None
    """A move done on each side in turn, and what it is done with: its count is "with each leg"."""
    with_walking_aid: Variant | None = None
    """A move done standing or at the edge of a surface: what prints instead of its own version when
    the plan includes a cane, quad cane, walker or wheelchair (a seated or lying version, or its
    steps with a caution to do it only with someone beside them)."""

    _plain_cautions = field_validator("cautions", mode="before")(_cautions)

    @model_validator(mode="after")
    def _consistent(self) -> Section:
        if self.ask_when and self.kind != "device":
            raise ValueError("only a device has ask_when")
        if self.category is not None:
            self._check_move()
        elif not self.text:
            raise ValueError("text is required: at least one paragraph")
        if self.kind == "exercise" and not self.how_often:
            raise ValueError("an exercise needs how_often: the words shown when no dose is given")
        if self.kind != "exercise" and self.how_often:
            raise ValueError("only an exercise has how_often")
        for name, by_value in self.variants.items():
            if name not in self.options:
                raise ValueError(f"variant for '{name}', which is not one of this section's options")
            for value in by_value:
                if value not in self.options[name].choices:
                    raise ValueError(
                        f"variant for {name} = '{value}', which is not one of {self.options[name].choices}"
                    )
        return self

    def _check_move(self) -> None:
        missing = [f for f in ("joint", "reason", "source", "figure", "caption") if not getattr(self, f)]
        missing = [f for f in missing if not (f == "figure" and self.image)]  # the clinic's picture instead
        if self.kind != "exercise":
            raise ValueError("a move (a section with a category) must have kind: exercise")
        if missing or not self.steps:
            raise ValueError(f"a move needs {', '.join(missing + ([] if self.steps else ['steps']))}")
        if self.reason and len(re.findall(r"[.!?](\s|$)", self.reason)) != 1:
            raise ValueError("reason must be one sentence: why the move helps")
        mode = self.options.get("mode")
        if mode is not None:
            wrong = [c for c in mode.choices if c not in MODES]
            if wrong:
                raise ValueError(f"mode choices are {', '.join(MODES)}, not {', '.join(wrong)}")
            for choice in mode.choices:
                if choice != "active" and not self.variants.get("mode", {}).get(choice, Variant()).steps:
                    raise ValueError(f"mode {choice} needs its own steps under variants: mode: {choice}")
        for text in [*self.text, *self.steps] + [t for v in self.variants.get("mode", {}).values() for t in v.steps]:
            if STRENGTHENING.search(text):
                raise ValueError(
                    f"'{text}' adds weights or a resistance band: that is strengthening, which is "
                    "never prescribed for ALS; take it out"
                )

    @property
    def is_move(self) -> bool:
        return self.category is not None

    @property
    def modes(self) -> list[str]:
        return list(self.options["mode"].choices) if "mode" in self.options else []

    def figure_for(self, options: dict[str, str]) -> Figure | None:
        """The move's figure, or the one its chosen mode draws instead."""
        for name, by_value in self.variants.items():
            variant = by_value.get(options.get(name, ""))
            if variant is not None and variant.figure is not None:
                return variant.figure
        return self.figure

    def needs_side(self, options: dict[str, str]) -> bool:
        """Whether the chosen options print a side slot ({stronger_hand}), so stronger_side is required."""
        texts = [*self.text, *self.steps, self.reason or "", self.caption or ""]  # the words that fill slots
        for name, by_value in self.variants.items():
            variant = by_value.get(options.get(name, ""))
            if variant is not None:
                texts += [*variant.text, *variant.steps, variant.caption or ""]
        return any(slot in SIDE_SLOTS for text in texts for slot in _slot_names(text))

    def versions(self) -> list[Variant]:
        """Every variant of the section, the walking-aid version too."""
        found = [variant for by_value in self.variants.values() for variant in by_value.values()]
        return found + ([self.with_walking_aid] if self.with_walking_aid else [])

    def all_text(self) -> list[str]:
        """Every sentence a reader might see, for slot checks and the reading-level measure."""
        out = [self.title, *self.text, *self.steps, *([self.reason] if self.reason else [])]
        out += [c.text for c in self.cautions]
        out += [self.short_title] if self.short_title else []
        out += [self.how_often] if self.how_often else []
        out += [self.caption] if self.caption else []
        out += [self.ask_when] if self.ask_when else []
        out += [o.help for o in self.options.values()]
        for variant in self.versions():
            out += [*variant.text, *variant.steps, *(c.text for c in variant.cautions)]
            out += [variant.caption] if variant.caption else []
        return out

    def slots(self) -> set[str]:
        return {name for text in self.all_text() for name in _slot_names(text)}

    @property
    def needs_stronger_side(self) -> bool:
        return bool(self.slots() & set(SIDE_SLOTS))


class Source(Strict):
    """A publication the content's facts come from, named in full on every handout's last lines."""

    publisher: str = Field(min_length=1)
    title: str = Field(min_length=1)
    year: int | None = Field(None, ge=1900, le=2100)
    """The year of the version used; none for a web page that gives no date."""

    def cited(self) -> str:
        return f"{self.publisher}, {self.title}" + (f" ({self.year})" if self.year else "")


REVIEW_YEARS = 2
"""`check` warns when the content was last reviewed longer ago than this."""


class Content(Strict):
    source: str = Field(min_length=1)
    version: str | None = Field(None, min_length=1)
    reviewed: dt.date | None = None
    reviewer: str | None = Field(None, min_length=1)
    sources: dict[str, Source] = {}
    sections: list[Section]
    status: Literal["draft", "reviewed"] = "reviewed"
    """A clinician's review of these words: a handout printed from a draft says so on every page."""
    language: str = "en"
    """The language of the words; a translation (handouts/inputs/translation.py) sets its own."""
    _path: Path | None = PrivateAttr(None)
    """The file it was read from, so its translation is found beside it."""

    @property
    def draft(self) -> bool:
        return self.status == "draft"

    def review_warning(self, today: dt.date) -> str | None:
        """Why the content needs a clinician's review, or None: never reviewed, or more than 2 years ago."""
        if self.reviewed is None:
            return "content.yaml has no 'reviewed' date: have a clinician review it and record the date and reviewer"
        day = self.reviewed
        leap = (day.month, day.day) == (2, 29)  # 29 February has no anniversary in most years
        due = dt.date(day.year + REVIEW_YEARS, 3, 1) if leap else day.replace(year=day.year + REVIEW_YEARS)
        if today > due:
            return (
                f"content.yaml was last reviewed on {self.reviewed} by {self.reviewer or 'no one named'}, "
                f"more than {REVIEW_YEARS} years ago: have a clinician review it, then update 'reviewed' and 'reviewer'"
            )
        return None

    def section(self, section_id: str) -> Section:
        return self.by_id[section_id]

    @property
    def by_id(self) -> dict[str, Section]:
        return {s.id: s for s in self.sections}

    def of_kind(self, kind: Kind) -> list[Section]:
        return [s for s in self.sections if s.kind == kind]

    def moves(self) -> list[Section]:
        """The exercise library: moves by category, then joint, in the order of the file."""
        order = {c: i for i, c in enumerate(CATEGORY_IDS)}
        joints: dict[str, int] = {}
        for s in self.sections:
            if s.is_move:
                joints.setdefault(f"{s.category}/{s.joint}", len(joints))
        found = [s for s in self.sections if s.is_move]
        return sorted(found, key=lambda s: (order[str(s.category)], joints[f"{s.category}/{s.joint}"]))


CATEGORY_IDS = ("range_of_motion", "stretching", "aerobic")


def _slot_names(text: str) -> list[str]:
    # A lone brace is reported, at its line, by wording_problems.
    return slot_names(text) or []


def load_content(path: Path | None = None) -> Content:
    """Load and check content.yaml; every problem comes back at once, each with its line."""
    located = load_yaml(path or DEFAULT_CONTENT, "content")
    refuse_a_translation(located)
    content = validate(Content, located, "content file")
    problems: list[Problem] = record_problems(located, content) + source_problems(located, content)
    seen: dict[str, int] = {}
    for i, section in enumerate(content.sections):
        problems += wording_problems(located, i, section, allowed_slots(section))
        if section.id in seen:
            line = located.line_of(("sections", i, "id"))
            problems.append(Problem(located.file, f"the id '{section.id}' is used twice", line, "id"))
        seen[section.id] = i
        for message, part in _section_problems(section):
            field = f"sections[{i}] ({section.id}){part}"
            problems.append(Problem(located.file, message, located.line_of(("sections", i)), field))
        if section.category and section.category not in seen:
            problems.append(
                Problem(
                    located.file,
                    f"the category '{section.category}' must come before its moves; "
                    f"choose from: {', '.join(c for c in seen if c in CATEGORY_IDS) or 'none yet'}",
                    located.line_of(("sections", i, "category")),
                    f"sections[{i}].category",
                )
            )
    problems += caution_problems(located, content)
    for section_id, kind in REQUIRED_SECTIONS.items():
        if section_id not in seen:
            problems.append(Problem(located.file, f"the section '{section_id}' ({kind}) is missing", None, "sections"))
        elif content.sections[seen[section_id]].kind != kind:
            line = located.line_of(("sections", seen[section_id], "kind"))
            problems.append(Problem(located.file, f"'{section_id}' must have kind {kind}", line, "kind"))
    problems += dose_field_problems(content, located)
    problems += check_images(located, content, path or DEFAULT_CONTENT)
    if problems:
        raise HandoutError(problems)
    content._path = path
    return content


def allowed_slots(section: Section) -> set[str]:
    """The slots a section's words may hold: the sides for a move or device, and its own options'."""
    allowed = set(SIDE_SLOTS) if section.kind == "device" or section.is_move else set()
    for option in section.options:
        allowed |= set(OPTION_SLOTS.get(option, ()))
    return allowed


def _section_problems(section: Section) -> list[tuple[str, str]]:
    """What is wrong with one section's words, each with the part of the section to add to its field."""
    found = []
    if any(re.search(r"[<>&]", text) for text in section.all_text()):
        found.append(("contains <, > or &; write plain words (say 'and' for &)", ""))
    if section.id in PICTURED and section.kind in ("exercise", "device") and not section.caption:
        found.append(("needs a caption: the short words printed beside its picture", ".caption"))
    return found


def cached_content(path: Path | None = None) -> Content:
    """Content loads once per process, whatever number of handouts it prints."""
    return _cached_content(path or DEFAULT_CONTENT)


@cache
def _cached_content(path: Path) -> Content:
    # One entry for the shipped file however it is named (None or its path), so its translation's
    # sections share its figures.
    return load_content(path)
