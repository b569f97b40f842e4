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
from handouts.home import Home
from handouts.inputs.content import Content, cached_content
from handouts.inputs.layout import DEFAULT_LAYOUT, LAYOUTS_DIR, Layout, cached_layout, layout_problems
from handouts.inputs.plan import Plan, check_plan
from handouts.inputs.translation import translated
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
    if override:  # --layout of handout and batch
        unknown = layout_problems(override, "--layout", None, None, folder)
    else:
        unknown = layout_problems(plan.patient.layout, plan.file, plan.lines.get("layout"), "layout", folder)
    if unknown:
        raise HandoutError(unknown)
    return cached_layout(override or plan.patient.layout or DEFAULT_LAYOUT, folder, paper)


def load_checked(patient: Path, content: Content, layout_name: str | None = None, folder: Path = LAYOUTS_DIR) -> Plan:
    """Read and check a patient file (or the one inside a handout's PDF), reporting an unknown layout
    together with every other problem."""
    from handouts.inputs.pdfplan import is_pdf, read_plan_pdf

    located = read_plan_pdf(patient) if is_pdf(patient) else load_yaml(patient, "patient", keep_going=True)
    if _looks_like_roster(located.data):
        raise _a_roster(patient)
    return _checked_plan(located, content, layout_name, folder)


def _checked_plan(located: Located, content: Content, layout_name: str | None, folder: Path) -> Plan:
    try:
        return check_plan(located, content)
    except HandoutError as exc:
        data = located.data if isinstance(located.data, dict) else {}
        line = located.line_of(("layout",))
        extra = [] if layout_name else layout_problems(data.get("layout"), located.file, line, "layout", folder)
        raise HandoutError([*exc.problems, *extra]) from None


def language_of(plan: Plan, override: str | None = None) -> str:
    """--language (or a batch's) wins over the patient file's `language:`, which wins over English."""
    return override or plan.patient.language or "en"


def in_language(plan: Plan, content: Content, override: str | None = None) -> Content:
    """The plan is checked against the English content; its handout is worded in the plan's language."""
    return translated(content, language_of(plan, override))


def without_background(plan: Plan) -> Plan:
    """The plan with `background: false`, as `--no-background` asks for every record."""
    return replace(plan, patient=plan.patient.model_copy(update={"background": False}))


def print_plan(
    plan: Plan,
    content: Content,
    layout: Layout,
    today: dt.date | None = None,
    language: str | None = None,
    previous: Previous | None = None,
) -> Printed:
    from handouts.pdf.render import render  # reportlab loads only when something is printed

    handout = carrying(personalize(plan, in_language(plan, content, language), today), plan, content, layout, language)
    handout = with_changes(handout, plan, content, language, previous)
    return Printed(handout, render(handout, layout), layout)


@dataclass(frozen=True)
class Previous:
    """The patient's previous handout, read back: its plan, and its file for an error to name."""

    plan: Plan
    file: str


def load_previous(path: Path, content: Content, folder: Path = LAYOUTS_DIR) -> Previous:
    """The previous handout's plan (`--previous`, a roster's `previous` column), checked like any patient file."""
    return Previous(load_checked(path, content, None, folder), str(path))


def with_changes(
    handout: Handout, plan: Plan, content: Content, language: str | None, previous: Previous | None
) -> Handout:
    """The handout marked with what changed since the previous one (handouts/handout/changes.py); a
    previous handout of another patient, or dated after this one, is refused."""
    if previous is None:
        return handout
    from handouts.handout.changes import compare, marked, same_patient_problems

    problems = same_patient_problems(previous.plan, plan, handout.date, previous.file)
    if problems:
        raise HandoutError(problems)
    languages = (previous.plan.patient.language or "en", language_of(plan, language))
    since = previous.plan.patient.date or handout.date
    changes = compare(previous.plan, plan, in_language(plan, content, language), since, languages)
    return marked(handout, changes)


def carrying(handout: Handout, plan: Plan, content: Content, layout: Layout, language: str | None) -> Handout:
    """The handout with the patient file it prints (handouts/handout/planfile.py), to embed in its PDF."""
    from handouts.handout.planfile import plan_yaml

    source = plan_yaml(plan, content, handout.date, language_of(plan, language), layout.name)
    return replace(handout, plan_file=source)


def print_file(
    patient: Path,
    layout_name: str | None = None,
    home: Home | None = None,
    today: dt.date | None = None,
    paper: str | None = None,
    background: bool = True,
    language: str | None = None,
    previous: Path | None = None,
) -> Printed:
    """`home` is the clinic's content and layouts (`home.resolve`); none: the shipped ones. `previous`:
    the patient's previous handout (PDF), to say what changed since."""
    home = home or Home()
    content = cached_content(home.content)
    if patient.suffix.lower() == ".csv":
        raise _a_roster(patient)
    from handouts.fhir.read import is_fhir, read_plan

    if is_fhir(patient):  # a FHIR Bundle of one patient (docs/fhir.md)
        plan = read_plan(patient, content, layout_name, home.layouts)
    else:
        plan = load_checked(patient, content, layout_name, home.layouts)
    plan = plan if background else without_background(plan)
    before = load_previous(previous, content, home.layouts) if previous else None
    layout = choose_layout(plan, layout_name, home.layouts, paper)
    return print_plan(plan, content, layout, today, language, before)


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


def check_record(
    located: Located,
    content: Content,
    layout_name: str | None = None,
    paper: str | None = None,
    layouts: Path = LAYOUTS_DIR,
) -> tuple[Plan, Layout]:
    """A parsed patient record (a form's, an upload's) checked with its layout: every problem at once."""
    plan = _checked_plan(located, content, layout_name, layouts)
    return plan, choose_layout(plan, layout_name, layouts, paper)


def prepare_record(
    located: Located,
    content: Content,
    layout_name: str | None = None,
    today: dt.date | None = None,
    paper: str | None = None,
    layouts: Path = LAYOUTS_DIR,
    background: bool = True,
    language: str | None = None,
    previous: Previous | None = None,
) -> tuple[Handout, Layout]:
    """Everything but the drawing: the batch names each file from the handout before it is rendered.

    background=False (`--no-background`) leaves out the general sections whatever the record says."""
    plan, layout = check_record(located, content, layout_name, paper, layouts)
    plan = plan if background else without_background(plan)
    handout = personalize(plan, in_language(plan, content, language), today)
    handout = carrying(handout, plan, content, layout, language)
    return with_changes(handout, plan, content, language, previous), layout


def print_record(
    located: Located,
    content: Content,
    layout_name: str | None = None,
    today: dt.date | None = None,
    paper: str | None = None,
    layouts: Path = LAYOUTS_DIR,
    language: str | None = None,
    previous: Previous | None = None,
) -> Printed:
    from handouts.pdf.render import render

    handout, layout = prepare_record(
        located, content, layout_name, today, paper, layouts, language=language, previous=previous
    )
    return Printed(handout, render(handout, layout), layout)
