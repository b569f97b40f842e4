"""The patient file a handout carries inside its PDF: canonical YAML made from the checked plan.

It holds what the handout was printed from and nothing else: the patient's own fields as given, the
values the handout resolved (its date, language, layout, log weeks, background), each exercise's and
device's options (defaults filled in) and the therapist's dose as written (never the move's usual dose,
which the content supplies at print time, so the "My week" log prints the same boxes). A stronger side
that nothing in the plan uses (no cane, no assisted move, no side in any chosen section's words) is
left out. The same plan, date, language and layout always give the same bytes: reprinting it gives
the same PDF (tests/pdf/test_embedded_plan.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from handouts.inputs.content import Content
from handouts.inputs.plan import Plan
from handouts.inputs.selections import Selection

HEADER = "# The patient file this handout was printed from (python generate.py handout THIS.pdf reprints it).\n"


def uses_side(plan: Plan, content: Content) -> bool:
    """Whether anything chosen can print the stronger or weaker side (a cane's hand, an assisted move)."""
    chosen = (*plan.exercises, *plan.devices)
    assisted = any(sel.options.get("mode") == "assisted" for sel in plan.exercises)
    return assisted or any(content.section(sel.id).needs_stronger_side for sel in chosen)


def _item(sel: Selection) -> Any:
    """`walking: {minutes: 15}`, or the bare name when nothing is set."""
    given: dict[str, Any] = {k: {"true": True, "false": False}.get(v, v) for k, v in sel.options.items()}
    if sel.dose is not None:
        given |= sel.dose.model_dump(exclude_none=True)
    return {sel.id: given} if given else sel.id


def plan_data(plan: Plan, content: Content, day: dt.date, language: str, layout: str) -> dict[str, Any]:
    """The canonical record, in the patient file's own order of fields."""
    patient = plan.patient
    data: dict[str, Any] = {"name": patient.name}
    for key in ("patient_id", "birth_date"):
        if getattr(patient, key) is not None:
            data[key] = getattr(patient, key)
    data["date"] = day
    for key in ("therapist", "clinic", "phone"):
        if getattr(patient, key):
            data[key] = getattr(patient, key)
    if patient.stronger_side and uses_side(plan, content):
        data["stronger_side"] = patient.stronger_side
    if plan.exercises:
        data["exercises"] = [_item(sel) for sel in plan.exercises]
    if plan.devices:
        data["devices"] = [_item(sel) for sel in plan.devices]
    if patient.notes:
        data["notes"] = patient.notes
    data |= {"layout": layout, "language": language, "log_weeks": patient.log_weeks}
    data["background"] = patient.background
    return data


class _Dumper(yaml.SafeDumper):
    """Text that looks like a number or a date is quoted: our loader keeps it as typed either way,
    but another YAML reader then reads `004211` as the text it is."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def plan_yaml(plan: Plan, content: Content, day: dt.date, language: str, layout: str) -> bytes:
    """The patient file, as UTF-8 bytes: the same plan always gives the same bytes."""
    data = plan_data(plan, content, day, language, layout)
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100_000)
    return (HEADER + text).encode("utf-8")
