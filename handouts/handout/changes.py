"""What changed since the patient's previous handout, said in words on the new one.

A clinic changes the plan as ALS progresses: a move becomes passive, a walker replaces the quad cane, a
dose drops. Given the plan of the previous handout (read back from its PDF), the new handout marks each
line of "Your plan at a glance" New or Changed (a word, never a colour alone), lists what stopped, and
says in each changed section what changed ("Now a helper does it for you. Before: you did it on your
own."). Plain data only: `compare` finds the changes, `marked` puts them into the handout's blocks,
pdf/story.py prints the marks. A previous handout of another patient, or dated after this one, is
refused (`same_patient_problems`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from handouts.errors import Problem
from handouts.handout.model import Block, Handout
from handouts.handout.personalize import LADDER, plan_at_a_glance
from handouts.handout.words import Words, words
from handouts.inputs.content import Content, Section
from handouts.inputs.plan import Plan
from handouts.inputs.selections import Selection

NEW, CHANGED = "new", "changed"
WALKING_AIDS = (*LADDER, "wheelchair")
"""A device that replaces one of these (a walker for a quad cane) is said to be instead of it."""


@dataclass(frozen=True)
class Changes:
    since: dt.date
    """The previous handout's date."""
    order: tuple[str, ...]
    """The new plan's exercises, then devices: the lines of "Your plan at a glance"."""
    marks: dict[str, str] = field(default_factory=dict)
    """Item id -> NEW or CHANGED; an item left out is the same as before."""
    said: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Item id -> the sentences its section prints under "What changed"."""
    stopped: tuple[str, ...] = ()
    """The titles of what the previous plan had and this one has not."""
    general: tuple[str, ...] = ()
    """What changed for the whole handout: its language."""


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def same_patient_problems(old: Plan, new: Plan, day: dt.date, shown: str) -> list[Problem]:
    """A previous handout must be this patient's (same name, and every identifier both give the same,
    at least one in common) and must not be dated after this one."""
    was, now = old.patient, new.patient
    found = []
    if _key(was.name) != _key(now.name):
        found.append(f"the name differs (it is {was.name}'s handout; this one is for {now.name})")
    pairs = [("patient_id", was.patient_id, now.patient_id), ("birth_date", was.birth_date, now.birth_date)]
    common = [(what, a, b) for what, a, b in pairs if a is not None and b is not None]
    for what, a, b in common:
        if (str(a).strip() if what == "patient_id" else a) != (str(b).strip() if what == "patient_id" else b):
            found.append(f"the {what} differs (it has {a}; this one has {b})")
    if not common:
        found.append("it shares no identifier with this one (patient_id or birth_date)")
    problems = [
        Problem(shown, f"is not this patient's previous handout: {said}; give this patient's own", None, "previous")
        for said in found
    ]
    if not problems and was.date is not None and was.date > day:
        problems.append(
            Problem(
                shown,
                f"is dated {was.date}, after this handout ({day}): the previous handout must be older; "
                "check the date of the new plan, or give the handout before it",
                None,
                "previous",
            )
        )
    return problems


def _dose(section: Section, sel: Selection) -> dict[str, Any]:
    """The dose the handout says: the move's usual dose, where the therapist set none of a field."""
    usual = section.dose.model_dump(exclude_none=True) if section.dose is not None else {}
    given = sel.dose.model_dump(exclude_none=True) if sel.dose is not None else {}
    return {k: v for k, v in (usual | given).items() if k != "note"}


def _amount(name: str, n: int | None, w: Words) -> str:
    if n is None:
        return w("not_set")
    if name == "times_per_day":
        return w.count("times_a_day", n)
    if name == "days_per_week":
        return w("every_day") if n == 7 else w.count("days_a_week", n)
    if name == "minutes":
        return w("each_time_short", amount=w.count("minutes", n))
    return w.count("times" if name == "repetitions" else "seconds", n)


SENTENCE = {"repetitions": "now_do", "hold_seconds": "now_hold"}
FIELDS = ("times_per_day", "days_per_week", "minutes", "repetitions", "hold_seconds")


def _note(old: Selection, new: Selection) -> list[str]:
    was = old.dose.note if old.dose else None
    now = new.dose.note if new.dose else None
    if was == now:
        return []
    return ["note_new" if was is None else "note_gone" if now is None else "note_changed"]


def _exercise(old: Selection, new: Selection, section: Section, w: Words) -> list[str]:
    said = []
    was_mode, now_mode = old.options.get("mode"), new.options.get("mode")
    if was_mode != now_mode and was_mode and now_mode:
        said.append(w("now_before", new=w(f"mode_now_{now_mode}"), old=w(f"mode_was_{was_mode}")))
    was, now = _dose(section, old), _dose(section, new)
    for name in FIELDS:
        if was.get(name) != now.get(name):
            key = SENTENCE.get(name, "now_before")
            said.append(w(key, new=_amount(name, now.get(name), w), old=_amount(name, was.get(name), w)))
    return said + [w(key) for key in _note(old, new)]


def _glance(plan: Plan, content: Content) -> dict[str, str]:
    """Each item's words on the plan at a glance (a device's side or options: "on your right leg")."""
    ids = [sel.id for sel in (*plan.exercises, *plan.devices)]
    return dict(zip(ids, (said for _, said in plan_at_a_glance(plan, content).facts), strict=False))


def compare(old: Plan, new: Plan, content: Content, since: dt.date, languages: tuple[str, str]) -> Changes:
    """The changes from `old` to `new`; `content` is in the new handout's language, `languages` the
    (previous, new) handout languages."""
    w = words(content.language)
    before = {sel.id: sel for sel in (*old.exercises, *old.devices)}
    after = {sel.id: sel for sel in (*new.exercises, *new.devices)}
    was_said, now_said = _glance(old, content), _glance(new, content)
    device_ids = {sel.id for sel in new.devices}
    kept_aid = any(i in before for i in after if i in WALKING_AIDS)
    gone_aids = [] if kept_aid else [i for i in before if i not in after and i in WALKING_AIDS]
    marks: dict[str, str] = {}
    said: dict[str, tuple[str, ...]] = {}
    for item_id, sel in after.items():
        section = content.section(item_id)
        if item_id not in before:
            marks[item_id] = NEW
            instead = gone_aids[:1] if item_id in WALKING_AIDS else []
            gone = content.section(instead[0]) if instead else None
            title = (gone.short_title or gone.title).lower() if gone else ""
            said[item_id] = (w("instead_of", old=title) if instead else w("new_in_plan"),)
            continue
        old_sel = before[item_id]
        if item_id in device_ids:
            lines = (
                []
                if was_said[item_id] == now_said[item_id]
                else [w("now_before", new=now_said[item_id], old=was_said[item_id])]
            )
            lines += [w(key) for key in _note(old_sel, sel)]
        else:
            lines = _exercise(old_sel, sel, section, w)
        if lines:
            marks[item_id], said[item_id] = CHANGED, tuple(lines)
    stopped = tuple(content.section(i).title for i in before if i not in after)
    general = (w("language_now"),) if languages[0] != languages[1] else ()
    return Changes(since, tuple(after), marks, said, stopped, general)


def marked(handout: Handout, changes: Changes) -> Handout:
    """The handout with its changes in its blocks: the marks and what stopped on the plan at a glance,
    what changed in each changed section."""
    w = words(handout.language.split("-")[0])
    blocks = [_plan_block(b, changes, w) if b.id == "plan" else _section(b, changes, w) for b in handout.blocks]
    return replace(handout, blocks=tuple(blocks))


def _plan_block(block: Block, changes: Changes, w: Words) -> Block:
    labels = {NEW: w("mark_new"), CHANGED: w("mark_changed")}
    marks = [labels.get(changes.marks.get(i, ""), "") for i in changes.order]
    marks += [""] * (len(block.facts) - len(marks))  # "Ask your therapist which...", when nothing is chosen
    facts = list(block.facts)
    if changes.stopped:
        facts.append((w("no_longer"), ", ".join(changes.stopped)))
    facts += [(w("what_changed"), sentence) for sentence in changes.general]
    marks += [""] * (len(facts) - len(marks))
    lead = (w("marked_since", date=w.date(changes.since)),)
    return replace(block, facts=tuple(facts), marks=tuple(marks), lead=(*lead, *block.lead))


def _section(block: Block, changes: Changes, w: Words) -> Block:
    said = changes.said.get(block.id)
    if block.level != 2 or not said:
        return block
    return replace(block, facts=(*block.facts, (w("what_changed"), " ".join(said))))
