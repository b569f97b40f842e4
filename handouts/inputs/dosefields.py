"""Which dose fields an exercise takes, so every dose printed fits its move (issue 22).

A stretch is held and repeated, a joint move is repeated, an activity lasts minutes: "Hold: 30 seconds"
under walking, or "How long: 5 minutes" under a neck nod, is a typo that would print as an instruction.
content.yaml declares `dose_fields` on each kind of exercise (aerobic, stretching, range_of_motion);
a library move takes its kind's fields unless it declares its own. An exercise with no declaration,
and none on its kind (a clinic's own section), takes every field, as before.

`check` refuses a declared name that is not a dose field and a move's usual dose in a field it does
not take; a patient record (file, roster row or form) that gives a move a field it does not take is
refused with the fields it does take.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from handouts.errors import Problem
from handouts.inputs.patient import DOSE_FIELDS, section_id
from handouts.inputs.validation import suggest
from handouts.inputs.yamlsource import Located, dotted

if TYPE_CHECKING:
    from handouts.inputs.content import Content, Section


def takes(section: Section, content: Content) -> tuple[str, ...]:
    """The dose fields `section` takes, in the order content.yaml declares them (the form shows them in it)."""
    declared = section.dose_fields
    if declared is None and section.category is not None:
        kind = content.by_id.get(section.category)
        declared = kind.dose_fields if kind is not None else None
    if declared is None:
        return DOSE_FIELDS
    return tuple(dict.fromkeys(name for name in declared if name in DOSE_FIELDS))


def dose_field_problems(content: Content, located: Located) -> list[Problem]:
    """content.yaml's declarations: real field names, on exercises only, and a usual dose that fits."""
    problems: list[Problem] = []
    for i, section in enumerate(content.sections):
        where = f"sections[{i}] ({section.id}).dose_fields"
        if section.dose_fields is not None and section.kind != "exercise":
            line = located.line_of(("sections", i, "dose_fields"))
            message = f"only an exercise takes a dose; remove dose_fields from this {section.kind}"
            problems.append(Problem(located.file, message, line, where))
            continue
        for j, name in enumerate(section.dose_fields or []):
            if name not in DOSE_FIELDS:
                line = located.line_of(("sections", i, "dose_fields", j))
                hint = suggest(name, DOSE_FIELDS)
                message = f"'{name}' is not a dose field{hint} (dose fields: {', '.join(DOSE_FIELDS)})"
                problems.append(Problem(located.file, message, line, where))
        if section.dose is not None and section.kind == "exercise":
            problems += _usual_dose_problems(section, content, located, i)
    return problems


def _usual_dose_problems(section: Section, content: Content, located: Located, i: int) -> list[Problem]:
    """A move's usual dose prints when the therapist gives none: it must be in fields the move takes."""
    assert section.dose is not None
    fields = takes(section, content)
    out = []
    for name in section.dose.model_dump(exclude_none=True):
        if name not in fields:
            message = (
                f"the usual dose gives {name}, which {section.id} does not take "
                f"(it takes {', '.join(fields)}); add it to dose_fields or take it out of dose"
            )
            line = located.line_of(("sections", i, "dose", name))
            out.append(Problem(located.file, message, line, f"sections[{i}] ({section.id}).dose.{name}"))
    return out


def wrong_dose_fields(
    section: Section,
    raw: dict[str, Any],
    kind: str,
    content: Content,
    located: Located,
    loc: tuple[str | int, ...],
) -> list[Problem]:
    """Each dose field of a chosen exercise that it does not take, with the fields it does take."""
    if kind != "exercise":
        return []
    fields = takes(section, content)
    problems = []
    for written in raw:
        name = section_id(written)
        if name in DOSE_FIELDS and name not in fields:
            message = f"{section.id} does not take {name}; it takes {', '.join(fields)}"
            problems.append(Problem(located.file, message, located.line_of((*loc, written)), dotted((*loc, written))))
    return problems
