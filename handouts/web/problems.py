"""A problem with a patient record, shown where the therapist looks: beside its field on the form, in
the form's own words (its labels, the clinic's date format), the rest in the summary with where to look.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from handouts.errors import HandoutError, Problem
from handouts.web.dates import date_format
from handouts.web.spec import FORM_FILE, FORM_LABELS, LIST_LABELS, TOP_LABELS, DoseField, FormSpec, OptionField

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
