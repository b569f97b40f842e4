"""The pipeline in one place: patient file to PDF bytes.

The command line, the batch runner and the web form all call these, so there is one code path and
one set of rules. Content and layouts are cached per process.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from handouts.errors import HandoutError, Problem
from handouts.handout.personalize import Handout, personalize
from handouts.inputs.content import Content, cached_content
from handouts.inputs.layout import DEFAULT_LAYOUT, LAYOUTS_DIR, Layout, cached_layout, layout_names
from handouts.inputs.patient import Plan, check_plan
from handouts.inputs.validation import suggest
from handouts.inputs.yamlsource import Located, load_yaml


@dataclass(frozen=True)
class Printed:
    handout: Handout
    pdf: bytes
    layout: Layout


def choose_layout(plan: Plan, override: str | None, folder: Path = LAYOUTS_DIR, paper: str | None = None) -> Layout:
    """The command line's --layout wins over the patient file's, which wins over the default.

    `paper` ("letter" or "a4", from --paper) overrides the layout's own paper; None keeps it.
    """
    if not override:
        unknown = _unknown_layout(plan.patient.layout, plan.file, plan.lines.get("layout"), folder)
        if unknown:
            raise HandoutError(unknown)
    return cached_layout(override or plan.patient.layout or DEFAULT_LAYOUT, folder, paper)


def _unknown_layout(name: object, file: str, line: int | None, folder: Path = LAYOUTS_DIR) -> list[Problem]:
    if not isinstance(name, str) or not name.strip() or name in layout_names(folder):
        return []
    names = layout_names(folder)
    message = f"there is no layout '{name}'{suggest(name, names)} (layouts: {', '.join(names)})"
    return [Problem(file, message, line, "layout")]


def load_checked(patient: Path, content: Content, layout_name: str | None = None) -> Plan:
    """Read and check a patient file, reporting an unknown layout together with every other problem."""
    located = load_yaml(patient, "patient", keep_going=True)
    if _looks_like_roster(located.data):
        raise _a_roster(patient)
    try:
        return check_plan(located, content)
    except HandoutError as exc:
        data = located.data if isinstance(located.data, dict) else {}
        extra = [] if layout_name else _unknown_layout(data.get("layout"), located.file, located.line_of(("layout",)))
        raise HandoutError([*exc.problems, *extra]) from None


def without_background(plan: Plan) -> Plan:
    """The plan with `background: false`, as `--no-background` asks for every record."""
    return replace(plan, patient=plan.patient.model_copy(update={"background": False}))


def print_plan(plan: Plan, content: Content, layout: Layout, today: dt.date | None = None) -> Printed:
    from handouts.pdf.render import render  # reportlab loads only when something is printed

    handout = personalize(plan, content, today)
    return Printed(handout, render(handout, layout), layout)


def print_file(
    patient: Path,
    layout_name: str | None = None,
    content_path: Path | None = None,
    today: dt.date | None = None,
    paper: str | None = None,
    background: bool = True,
) -> Printed:
    content = cached_content(content_path)
    if patient.suffix.lower() == ".csv":
        raise _a_roster(patient)
    plan = load_checked(patient, content, layout_name)
    plan = plan if background else without_background(plan)
    return print_plan(plan, content, choose_layout(plan, layout_name, paper=paper), today)


def _looks_like_roster(data: object) -> bool:
    """`patients:`/`defaults:` at the top, or a list holding a patient record (a name and more).

    A list of one-line entries (`- name: A` then `- patient_id: 7`) is a patient file written with
    stray dashes, and keeps its own message."""
    if isinstance(data, dict):
        return bool({"patients", "defaults"} & data.keys())
    return isinstance(data, list) and any(isinstance(d, dict) and "name" in d and len(d) > 1 for d in data)


def _a_roster(path: Path) -> HandoutError:
    """A roster given to the one-patient command: say which command it is for, not what field is wrong."""
    return HandoutError(
        Problem(
            str(path),
            "this looks like a roster (many patients), not one patient file; "
            f"print it with `python generate.py batch {path} -o FOLDER`",
        )
    )


def prepare_record(
    located: Located,
    content: Content,
    layout_name: str | None = None,
    today: dt.date | None = None,
    paper: str | None = None,
    background: bool = True,
) -> tuple[Handout, Layout]:
    """Everything but the drawing: the batch names each file from the handout before it is rendered.

    background=False (`--no-background`) leaves out the general sections whatever the record says."""
    plan = check_plan(located, content)
    plan = plan if background else without_background(plan)
    return personalize(plan, content, today), choose_layout(plan, layout_name, paper=paper)


def print_record(
    located: Located,
    content: Content,
    layout_name: str | None = None,
    today: dt.date | None = None,
    paper: str | None = None,
) -> Printed:
    from handouts.pdf.render import render

    handout, layout = prepare_record(located, content, layout_name, today, paper)
    return Printed(handout, render(handout, layout), layout)
