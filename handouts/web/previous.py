"""The form's "Previous handout": the patient's last handout (PDF), read in memory, compared with the
plan in the form through the same handouts/handout/changes.py the command line prints with.

The differences are listed in the page before anything is printed, in the staff's words (English,
whatever language the handout prints in), so the therapist can go through them with the patient.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import request

from handouts.build import Previous
from handouts.errors import HandoutError, Problem
from handouts.handout.changes import CHANGED, NEW, compare, same_patient_problems
from handouts.handout.words import LANGUAGE_NAMES, words
from handouts.inputs.content import Content
from handouts.inputs.plan import Plan, check_plan
from handouts.inputs.textfile import MAX_FILE_BYTES

FIELD = "previous"


def _refused(problems: list[Problem]) -> HandoutError:
    """Said by the form's field, each with the file (and line) it is about."""
    said = [(p, f"{p.file}{f':{p.line}' if p.line else ''}: {p.message}") for p in problems]
    return HandoutError([Problem(p.file, message, None, FIELD) for p, message in said])


def uploaded(content: Content) -> Previous | None:
    """The previous handout sent with the form, checked; None when none was chosen."""
    from handouts.inputs.pdfplan import plan_from_bytes, read_plan_bytes

    upload = request.files.get(FIELD)
    if upload is None or not upload.filename:
        return None
    shown = upload.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    raw = upload.read(MAX_FILE_BYTES + 1)
    try:
        if len(raw) > MAX_FILE_BYTES:
            raise HandoutError(Problem(shown, f"is over {MAX_FILE_BYTES:,} bytes; a handout is far smaller"))
        located = plan_from_bytes(read_plan_bytes(raw, shown), f"{shown} (its patient file)")
        return Previous(check_plan(located, content), shown)
    except HandoutError as exc:
        raise _refused(exc.problems) from None


def refusals(previous: Previous, plan: Plan) -> list[Problem]:
    """Another patient's handout, or one dated after the new one: said by the field, with the reason."""
    day = plan.patient.date or dt.date.today()
    return _refused(same_patient_problems(previous.plan, plan, day, previous.file)).problems


def change_lines(previous: Previous, plan: Plan, content: Content) -> dict[str, Any]:
    """What the page lists: since when, and one line per change ("Changed: Walking: Now ... Before: ...")."""
    was, now = previous.plan.patient, plan.patient
    since = was.date or dt.date.today()
    changes = compare(previous.plan, plan, content, since, ("en", "en"))
    lines = []
    for item in changes.order:
        mark = changes.marks.get(item)
        if mark is None:
            continue
        title = content.section(item).title
        said = " ".join(changes.said.get(item, ()))
        lines.append(f"{'New' if mark == NEW else 'Changed' if mark == CHANGED else mark}: {title}. {said}")
    if changes.stopped:
        lines.append(f"No longer in the plan: {', '.join(changes.stopped)}.")
    before, after = was.language or "en", now.language or "en"
    if before != after:
        lines.append(f"Language: now {LANGUAGE_NAMES[after]}; the previous handout was in {LANGUAGE_NAMES[before]}.")
    return {"file": previous.file, "since": words("en").date(since), "lines": lines}
