"""The discharge form as data: what it offers, and how its fields become a patient record and back.

Nothing about exercises, devices or options is written here: the form is built from content.yaml and
the layouts, so a clinic that adds an option to the content gets it in the form too. The record the
form produces is exactly what a patient file holds (strings only, as the YAML loader gives them), so
the web app validates and prints through the same `check_plan` and `print_plan` as the command line.
Flask is not imported here; this module is plain functions that tests can call directly.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from handouts.errors import HandoutError, Problem
from handouts.inputs.content import Content, Section
from handouts.inputs.layout import PAPERS, Layout
from handouts.inputs.patient import DOSE_FIELDS, Dose, PatientFile, check_plan, option_text, section_id
from handouts.inputs.yamlsource import Located
from handouts.web.dates import date_format, read_date, show_date

FORM_FILE = "the form"
"""What `Problem.file` says for a record typed into the form; it has no lines."""

TOP_LABELS = {
    "name": "Patient's full name",
    "patient_id": "Patient ID",
    "birth_date": "Date of birth",
    "date": "Date of the handout",
    "therapist": "Therapist",
    "clinic": "Clinic",
    "phone": "Phone number for questions",
    "stronger_side": "Stronger side",
    "notes": "Notes for the patient",
    "layout": "Layout",
    "log_weeks": "Weeks of the tick-box log",
    "language": "The handout will be in",
}
"""Words on the page for the patient file's own fields (the field names are the patient file's)."""

BACKGROUND = "background"
"""The patient file's switch for the background sections; the form offers it once the model has it."""
if BACKGROUND in PatientFile.model_fields:
    TOP_LABELS[BACKGROUND] = "Leave out the background sections"

DATES = ("birth_date", "date")
"""Fields typed as dates: plain text in the clinic's own format (see web/dates.py)."""

LISTS = {"exercises": "exercise", "devices": "device"}
"""Patient-file list -> the name of the form's checkboxes for it."""

LIST_LABELS = {"exercises": "Exercises", "devices": "Equipment"}
"""The form's heading for each list, to say where a problem with a list entry is."""

PAPER_NAMES = {"letter": "US Letter", "a4": "A4"}
assert set(PAPER_NAMES) == set(PAPERS), "a paper has no name on the form"

FORM_LABELS = {"paper": "Paper", "patient_file": "Patient file"}
"""Form fields that are not in a patient file: the paper (a printing choice) and the file to load."""

ORDER = "order"
"""Hidden field: the ids of a loaded file's exercises and devices in the file's order, which the
handout keeps; items ticked afterwards go after them, in the content's order."""

DOSE_LABELS = {
    "minutes": "Minutes",
    "times_per_day": "Times a day",
    "days_per_week": "Days a week",
    "repetitions": "Repetitions",
    "hold_seconds": "Hold (sec)",
    "note": "Note on this exercise",
}

OPTION_LABELS = {"platform": "Platform attachments"}
"""An option's name on the form where the patient file's word is not the trade's."""

CATEGORY_LABELS = {
    "range_of_motion": "Range of motion (ROM)",
    "stretching": "Stretching",
    "aerobic": "Aerobic",
}
"""Headings for the exercise library's categories (moves with `category:`), in this order."""

assert set(TOP_LABELS) | set(LISTS) == set(PatientFile.model_fields), "a patient field has no form field"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class OptionField:
    key: str
    label: str
    help: str
    choices: tuple[Choice, ...]
    default: str | None


@dataclass(frozen=True)
class DoseField:
    key: str
    label: str
    hint: str
    numeric: bool


@dataclass(frozen=True)
class Item:
    """One exercise or device the therapist can tick, with what can be set for it."""

    id: str
    kind: str
    title: str
    """The patient's words, printed on the handout."""
    label: str
    """The clinician's words (content's `label:`, else the title), shown first on the form."""
    options: tuple[OptionField, ...]
    doses: tuple[DoseField, ...]
    side_message: str | None
    """The server's own message when this is ticked without a stronger side; the page's script shows it."""
    category: str | None = None
    joint: str | None = None
    """A library move's category and joint (content `category:`, `joint:`): the form groups by them."""


@dataclass(frozen=True)
class LayoutChoice:
    name: str
    label: str


@dataclass(frozen=True)
class FormSpec:
    exercises: tuple[Item, ...]
    devices: tuple[Item, ...]
    avoid: tuple[str, ...]
    layouts: tuple[LayoutChoice, ...]
    keys: frozenset[str] = field(default_factory=frozenset)
    """Every form field that can carry an error message."""

    def items(self) -> tuple[Item, ...]:
        return self.exercises + self.devices

    def exercise_groups(self) -> list[tuple[str, list[tuple[str, list[Item]]]]]:
        """Exercises by category, then joint: the plain exercises first (heading ""), then each library
        category with its moves grouped by joint, so a long library stays a short list of groups."""
        plain = [i for i in self.exercises if not i.category]
        groups: list[tuple[str, list[tuple[str, list[Item]]]]] = [("", [("", plain)])] if plain else []
        others = {i.category for i in self.exercises if i.category} - set(CATEGORY_LABELS)
        categories = list(CATEGORY_LABELS) + sorted(others)
        for category in categories:
            moves = [i for i in self.exercises if i.category == category]
            if not moves:
                continue
            joints = list(dict.fromkeys(i.joint or "" for i in moves))
            by_joint = [(_humane(j) if j else "Other", [i for i in moves if (i.joint or "") == j]) for j in joints]
            groups.append((CATEGORY_LABELS.get(category, _humane(category)), by_joint))
        return groups


def _humane(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _choice_label(value: str) -> str:
    return {"true": "Yes", "false": "No"}.get(value, value.capitalize())


def _dose_hint(name: str) -> tuple[str, bool]:
    info = Dose.model_fields[name]
    low = next((m.ge for m in info.metadata if getattr(m, "ge", None) is not None), None)
    high = next((m.le for m in info.metadata if getattr(m, "le", None) is not None), None)
    if low is not None and high is not None:
        return f"{low} to {high}", True
    return "One line, in plain words.", False


def _side_message(section: Section, content: Content) -> str | None:
    """Ask check_plan itself what it says about this device without a side, so the words can't drift."""
    if not section.needs_stronger_side:
        return None
    probe = {"name": "x", "patient_id": "x", "devices": [section.id]}
    try:
        check_plan(Located(probe, FORM_FILE, {}), content)
    except HandoutError as exc:
        return next((p.message for p in exc.problems if p.field == "stronger_side"), None)
    return None


def _item(section: Section, content: Content) -> Item:
    options = tuple(
        OptionField(
            key=f"{section.id}.{name}",
            label=OPTION_LABELS.get(name, _humane(name)),
            help=option.help,
            choices=tuple(Choice(c, _choice_label(c)) for c in option.choices),
            default=option.default,
        )
        for name, option in section.options.items()
    )
    doses: tuple[DoseField, ...] = ()
    if section.kind == "exercise":
        doses = tuple(
            DoseField(f"{section.id}.{name}", DOSE_LABELS.get(name, _humane(name)), *_dose_hint(name))
            for name in DOSE_FIELDS
        )
    return Item(
        section.id,
        section.kind,
        section.title,
        section.label or section.title,
        options,
        doses,
        _side_message(section, content),
        getattr(section, "category", None),
        getattr(section, "joint", None),
    )


def build_spec(content: Content, layouts: list[Layout]) -> FormSpec:
    exercises = tuple(_item(s, content) for s in content.of_kind("exercise"))
    devices = tuple(_item(s, content) for s in content.of_kind("device"))
    choices = tuple(
        LayoutChoice(lay.name, f"{lay.name} ({PAPER_NAMES.get(lay.paper, lay.paper)}): {lay.description}")
        for lay in layouts
    )
    keys = {*TOP_LABELS, *FORM_LABELS, "form", "doses"}
    for item in exercises + devices:
        keys |= {item.id, *(o.key for o in item.options), *(d.key for d in item.doses)}
    return FormSpec(exercises, devices, tuple(s.title for s in content.of_kind("avoid")), choices, frozenset(keys))


# --- form fields -> patient record ---------------------------------------------------------------


def _given(value: str | None) -> bool:
    return value is not None and value.strip() != ""


def record_from_form(form: Any, spec: FormSpec) -> dict[str, Any]:
    """The patient record the form describes: only what was filled in, every value the text typed.

    `form` is a Werkzeug MultiDict (or anything with get/getlist). Options of an item that is not
    ticked are ignored, as the page hides them.
    """
    record: dict[str, Any] = {}
    for key in TOP_LABELS:
        value = form.get(key)
        if _given(value) and not (key == "language" and value == "en"):  # English is the default: left out
            record[key] = value
    order = (form.get(ORDER) or "").split()
    rank = {item_id: i for i, item_id in enumerate(order)}
    for list_key, box in LISTS.items():
        ticked = set(form.getlist(box))
        chosen: list[Any] = []
        offered = spec.exercises if box == "exercise" else spec.devices
        # The loaded file's order first; sorted() is stable, so the rest keep the content's order.
        for item in sorted(offered, key=lambda i: rank.get(i.id, len(rank))):
            if item.id not in ticked:
                continue
            settings: dict[str, str] = {}
            fields: tuple[OptionField | DoseField, ...] = (*item.options, *item.doses)
            for f in fields:
                value = form.get(f.key)
                # An option left at its default is left out, as a hand-written patient file would.
                if _given(value) and not (isinstance(f, OptionField) and value == f.default):
                    settings[f.key.split(".", 1)[1]] = value
            chosen.append({item.id: settings} if settings else item.id)
        # An id the form does not offer (a crafted request) is passed on, so check_plan says what is wrong.
        known = {i.id for i in spec.items()}
        chosen += sorted(ticked - known)
        if chosen:
            record[list_key] = chosen
    return record


def read_form(form: Any, spec: FormSpec, order: str) -> tuple[dict[str, Any], list[Problem]]:
    """The record, with dates typed in the clinic's format turned into YYYY-MM-DD; a date that is not a
    real one is a problem on its field (and left out of the record, so it can't print as another)."""
    record = record_from_form(form, spec)
    problems = []
    for key in DATES:
        if key in record:
            try:
                record[key] = read_date(record[key], order)
            except ValueError as exc:
                problems.append(Problem(FORM_FILE, str(exc), None, key))
                del record[key]
    return record, problems


def show_values(values: dict[str, Any], order: str) -> dict[str, Any]:
    """Dates in the clinic's own format for the form to show; anything else as it is."""
    return {**values, **{k: show_date(values[k], order) for k in DATES if isinstance(values.get(k), str)}}


# --- patient record -> form fields (loading a patient file) -------------------------------------


def values_from_record(data: Any, spec: FormSpec) -> dict[str, Any]:
    """Form values that show a loaded patient file; what the form can't show is reported by check_plan.

    Choices are read as check_plan reads them (`wheels: yes` is true, `stronger_side: Left` is left),
    so the form shows what the command line would print.
    """
    values: dict[str, Any] = {"exercise": [], "device": []}
    if not isinstance(data, dict):
        return values
    for key in TOP_LABELS:
        value = data.get(key)
        if isinstance(value, dt.date):
            value = value.isoformat()
        if key == BACKGROUND and value is not None:
            value = "false" if option_text(value, ("true", "false")) == "false" else None
        if isinstance(value, str):
            values[key] = value
    if isinstance(data.get("stronger_side"), str):
        values["stronger_side"] = option_text(data["stronger_side"], ("left", "right"))
    choices = {o.key: [c.value for c in o.choices] for item in spec.items() for o in item.options}
    order: list[str] = []
    for list_key, box in LISTS.items():
        items = data.get(list_key)
        for entry in items if isinstance(items, list) else []:
            settings: dict[Any, Any]
            if isinstance(entry, str):
                item_id, settings = entry, {}
            elif isinstance(entry, dict) and len(entry) == 1:
                item_id, settings = next(iter(entry.items()))
                settings = settings if isinstance(settings, dict) else {}
            else:
                continue
            item_id = section_id(item_id)
            values[box].append(item_id)
            order.append(item_id)
            for name, value in settings.items():
                key = f"{item_id}.{name}"
                if isinstance(value, str):
                    values[key] = option_text(value, choices[key]) if key in choices else value
    values[ORDER] = " ".join(order)
    return values


def values_from_form(form: Any) -> dict[str, Any]:
    """Everything typed, as it was typed, to show again beside the errors."""
    values: dict[str, Any] = {k: form.get(k) for k in form.keys()}
    for box in LISTS.values():
        values[box] = form.getlist(box)
    return values


# --- problems -> form fields ---------------------------------------------------------------------

_LIST_RE = re.compile(r"^(exercises|devices)(?:\[(\d+)\])?(?:\.(\w+)(?:\.(\w+))?)?")


def field_for(problem: Problem, record: Mapping[str, Any], spec: FormSpec) -> str:
    """The form field a problem belongs next to; "form" for those that belong to the whole form."""
    name = problem.field or ""
    top = name.split(".")[0].split("[")[0]
    if top in {**TOP_LABELS, **FORM_LABELS} and top == name:
        return top
    match = _LIST_RE.match(name)
    if not match:
        return "form"
    list_key, index, item_id, option = match.groups()
    if item_id is None and index is not None:
        items = record.get(list_key)
        entry = items[int(index)] if isinstance(items, list) and int(index) < len(items) else None
        item_id = entry if isinstance(entry, str) else next(iter(entry)) if isinstance(entry, dict) else None
    for key in (f"{item_id}.{option}", item_id):
        if key in spec.keys:
            return key
    return "form"


def label_of(key: str, spec: FormSpec) -> str:
    if key in TOP_LABELS:
        return TOP_LABELS[key]
    if key in FORM_LABELS:
        return FORM_LABELS[key]
    if key == "doses":
        return "Doses"
    for item in spec.items():
        if key == item.id:
            return item.label
        fields: tuple[OptionField | DoseField, ...] = (*item.options, *item.doses)
        for f in fields:
            if f.key == key:
                return f"{item.label}: {f.label}"
    return "The form"


def in_form_words(message: str, spec: FormSpec, order: str = "month-first") -> str:
    """A patient file's field and item names (patient_id, quad_cane) as the form's labels, and
    YYYY-MM-DD as the clinic types dates: the therapist sees the words on the page."""
    names = {**TOP_LABELS, **{i.id: i.label for i in spec.items()}}
    message = message.replace("(YYYY-MM-DD)", f"({date_format(order)})")
    return re.sub(r"\b[a-z]+(?:_[a-z]+)+\b", lambda m: names.get(m.group(0), m.group(0)), message)


def errors_by_field(
    error: HandoutError, record: Mapping[str, Any], spec: FormSpec, order: str = "month-first"
) -> dict[str, list[str]]:
    """Each problem's message (the command line's words) under the form field it concerns.

    A problem no field shows ("form") is listed only in the summary, so it starts with where to look:
    the list in the form it is about, or, for a loaded file, the file's line and field.
    """
    out: dict[str, list[str]] = {}
    for problem in error.problems:
        message = in_form_words(problem.message, spec, order)
        key = field_for(problem, record, spec)
        # The page puts the field's label before each message: don't say it twice.
        message = message.removeprefix(f"{label_of(key, spec)} ") if key != "form" else message
        if key == "form":
            message = f"{_where(problem)}: {message}"
        out.setdefault(key, []).append(message)
    return out


def _where(problem: Problem) -> str:
    name = problem.field or ""
    if problem.file != FORM_FILE:
        line = f": line {problem.line}" if problem.line else ""
        return f"{FORM_LABELS['patient_file']}{line}{': ' + name if name else ''}"
    top = re.split(r"[.\[]", name, maxsplit=1)[0]
    if top in LIST_LABELS:
        return LIST_LABELS[top]
    return f"The form{': ' + name if name else ''}"


# --- patient record -> patient file text ---------------------------------------------------------


def _quoted(value: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar: "004211" stays text, "no" stays a word.
    return json.dumps(value, ensure_ascii=False)


def _key(value: str) -> str:
    return value if re.fullmatch(r"[a-z][a-z0-9_]*", value) else _quoted(value)


def patient_yaml(record: Mapping[str, Any], saved: dt.date) -> str:
    """The record as a patient file the command line reads as it is."""
    lines = [f"# Patient file saved from the handouts form on {saved.isoformat()}."]
    for key in TOP_LABELS:
        if key in record:
            lines.append(f"{key}: {_quoted(record[key])}")
    for list_key in LISTS:
        if not record.get(list_key):
            continue
        lines.append(f"{list_key}:")
        for entry in record[list_key]:
            if isinstance(entry, str):
                lines.append(f"  - {_key(entry)}")
            else:
                item_id, settings = next(iter(entry.items()))
                pairs = ", ".join(f"{_key(k)}: {_quoted(v)}" for k, v in settings.items())
                lines.append(f"  - {_key(item_id)}: {{{pairs}}}")
    return "\n".join(lines) + "\n"
