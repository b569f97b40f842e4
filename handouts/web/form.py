"""The discharge form's fields as a patient record, and back: what was typed becomes exactly what a
patient file holds (strings only, as the YAML loader gives them), so the web app validates and prints
through the same `build` as the command line; a loaded file fills the fields; a record saves as a file.
Flask is not imported here; this module is plain functions that tests can call directly.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

from handouts.errors import HandoutError, Problem
from handouts.inputs.content import Content
from handouts.inputs.patient import option_text, section_id
from handouts.inputs.plan import Plan, check_plan
from handouts.inputs.yamlsource import Located
from handouts.web.dates import read_date, show_date
from handouts.web.spec import (
    BACKGROUND,
    DATES,
    FORM_FILE,
    LISTS,
    ORDER,
    TOP_LABELS,
    DoseField,
    FormSpec,
    OptionField,
)

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


def values_from_plan(plan: Plan) -> dict[str, Any]:
    """Form values that show a checked plan: the file read by check_plan, exactly as the command line
    and the batch read it (option names in any spelling, `wheels: yes`, device notes), so the form
    shows what they would print. Only what the file sets; the rest shows the form's defaults."""
    patient = plan.patient
    values: dict[str, Any] = {"exercise": [], "device": []}
    for key in TOP_LABELS:
        value = getattr(patient, key, None) if key in patient.model_fields_set else None
        if key == BACKGROUND:
            value = "false" if value is False else None
        if value is not None:
            values[key] = value.isoformat() if isinstance(value, dt.date) else str(value)
    order: list[str] = []
    for chosen, box in ((plan.exercises, "exercise"), (plan.devices, "device")):
        for sel in chosen:
            values[box].append(sel.id)
            order.append(sel.id)
            values |= {f"{sel.id}.{name}": text for name, text in sel.options.items()}
            dose = sel.dose.model_dump(exclude_none=True) if sel.dose else {}
            values |= {f"{sel.id}.{name}": str(value) for name, value in dose.items()}
    values[ORDER] = " ".join(order)
    return values


class _Shown:
    """Form values as the browser would send them back (get and getlist, like Werkzeug's MultiDict)."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key, default)
        return default if isinstance(value, list) else value

    def getlist(self, key: str) -> list[Any]:
        value = self.values.get(key)
        return list(value) if isinstance(value, list) else []


def unshown(plan: Plan, values: dict[str, Any], spec: FormSpec, content: Content) -> list[str]:
    """What of a checked plan the form would lose: each value with no field on the form, and then,
    to be sure, every difference between the plan and the plan the form sends back as shown."""
    lost = [
        f"{key}: {values[key]}"
        for key in values
        if key not in spec.keys and key not in (*LISTS.values(), ORDER, BACKGROUND)
    ]
    offered = {item.id for item in spec.items()}
    lost += [f"{box}: {item_id}" for box in LISTS.values() for item_id in values[box] if item_id not in offered]
    if lost:
        return lost
    try:
        again = check_plan(Located(record_from_form(_Shown(values), spec), FORM_FILE, {}), content)
    except HandoutError as exc:
        return [str(p) for p in exc.problems]
    said, back = _said(plan), _said(again)
    return [f"{key}: {said.get(key)}" for key in sorted(said.keys() | back.keys()) if said.get(key) != back.get(key)]


def _said(plan: Plan) -> dict[str, Any]:
    """Everything a plan prints from, by the form's field names, to compare two plans."""
    said: dict[str, Any] = plan.patient.model_dump(exclude={"exercises", "devices"})
    said["language"] = said.get("language") or "en"  # the form leaves English, the default, out
    for kind, chosen in (("exercise", plan.exercises), ("device", plan.devices)):
        said[kind] = [sel.id for sel in chosen]
        for sel in chosen:
            said |= {f"{sel.id}.{name}": text for name, text in sel.options.items()}
            said |= {f"{sel.id}.{k}": v for k, v in (sel.dose.model_dump() if sel.dose else {}).items()}
    return said


def values_from_record(data: Any, spec: FormSpec) -> tuple[dict[str, Any], list[tuple[str | int, ...]]]:
    """Form values that show a loaded patient file check_plan refused, beside its problems, and the
    place of each value they could not show (to be refused unless a problem already names it).

    Names and choices are read as check_plan reads them (`Times per day` is times_per_day, `wheels:
    yes` is true, `stronger_side: Left` is left), so the form shows what the command line would print.
    """
    values: dict[str, Any] = {"exercise": [], "device": []}
    if not isinstance(data, dict):
        return values, []
    values |= _top_values(data)
    lost: list[tuple[str | int, ...]] = [
        (key,) for key in data if key not in values and key not in LISTS and key != BACKGROUND and data[key] is not None
    ]
    choices = {o.key: [c.value for c in o.choices] for item in spec.items() for o in item.options}
    order: list[str] = []
    for list_key, box in LISTS.items():
        items = data.get(list_key)
        for i, entry in enumerate(items if isinstance(items, list) else []):
            parts = _entry_parts(entry)
            if parts is None:
                lost.append((list_key, i))
                continue
            item_id, settings = parts
            values[box].append(item_id)
            order.append(item_id)
            shown = _setting_values(item_id, settings, choices, spec.keys)
            values |= shown
            lost += [(list_key, i, item_id, str(n)) for n in settings if f"{item_id}.{section_id(n)}" not in shown]
    values[ORDER] = " ".join(order)
    return values, lost


def _top_values(data: dict[str, Any]) -> dict[str, str]:
    """The patient file's own fields as the form shows them: dates as written, choices as read."""
    values: dict[str, str] = {}
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
    return values


def _entry_parts(entry: Any) -> tuple[str, dict[Any, Any]] | None:
    """An exercise or device entry's id and settings; None for a shape the form can't show."""
    if isinstance(entry, str):
        return section_id(entry), {}
    if isinstance(entry, dict) and len(entry) == 1:
        item_id, settings = next(iter(entry.items()))
        return section_id(item_id), settings if isinstance(settings, dict) else {}
    return None


def _setting_values(
    item_id: str, settings: dict[Any, Any], choices: dict[str, list[str]], keys: frozenset[str]
) -> dict[str, str]:
    """An item's options, dose and note as the form's fields (`aerobic.times_per_day`), names spelled
    any way check_plan reads them (`Times per day`); a choice read as check_plan reads it."""
    values: dict[str, str] = {}
    for name, value in settings.items():
        key = f"{item_id}.{section_id(name)}"
        if isinstance(value, str) and key in keys:
            values[key] = option_text(value, choices[key]) if key in choices else value
    return values


def values_from_form(form: Any) -> dict[str, Any]:
    """Everything typed, as it was typed, to show again beside the errors."""
    values: dict[str, Any] = {k: form.get(k) for k in form.keys()}
    for box in LISTS.values():
        values[box] = form.getlist(box)
    return values


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
