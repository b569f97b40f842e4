"""What changed since the previous handout, as plain data (handouts/handout/changes.py): each kind of
change marked and said in both languages; another patient's handout, or a newer one, refused."""

from __future__ import annotations

import datetime as dt

import pytest
from changes_pair import NEW_PLAN, OLD, SAID

from handouts.handout.changes import CHANGED, NEW, compare, marked, same_patient_problems
from handouts.handout.personalize import personalize
from handouts.inputs.content import cached_content
from handouts.inputs.plan import Plan, check_plan
from handouts.inputs.translation import translated
from handouts.inputs.yamlsource import parse_yaml


def plan(text: str, name: str = "p.yaml") -> Plan:
    return check_plan(parse_yaml(text, name, keep_going=True), cached_content())


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_kind_of_change_is_marked_and_said(language: str) -> None:
    content = translated(cached_content(), language)
    changes = compare(plan(OLD), plan(NEW_PLAN), content, dt.date(2026, 11, 23), ("en", language))
    assert changes.marks == {
        "ankle_pump": CHANGED,
        "calf_stretch": CHANGED,
        "chair_marching": CHANGED,
        "shoulder_raise": NEW,
        "walker": NEW,
        "ankle_foot_brace": CHANGED,
        "neck_brace": NEW,
    }
    assert changes.said == SAID[language]
    assert changes.stopped == tuple(content.section(i).title for i in ("walking", "quad_cane"))
    assert bool(changes.general) == (language == "es")  # the language changed: said once, for the whole handout


def test_the_same_plan_marks_nothing() -> None:
    content = cached_content()
    changes = compare(plan(OLD), plan(OLD), content, dt.date(2026, 11, 23), ("en", "en"))
    assert changes.marks == {} and changes.said == {} and changes.stopped == () and changes.general == ()


def test_a_device_option_and_the_cane_hand_are_said_with_the_plan_at_a_glance_words() -> None:
    old = OLD.replace("  - ankle_foot_brace: {side: right}\n", "  - walker\n")
    new = old.replace("stronger_side: left", "stronger_side: right").replace(
        "  - walker\n", "  - walker: {platform: yes}\n"
    )
    changes = compare(plan(old), plan(new), cached_content(), dt.date(2026, 11, 23), ("en", "en"))
    assert changes.said["quad_cane"] == ("Now in your right hand. Before: in your left hand.",)
    assert changes.said["walker"] == ("Now with platforms. Before: as your therapist showed you.",)


def test_the_handout_carries_the_marks_and_sentences() -> None:
    content = cached_content()
    new = plan(NEW_PLAN)
    changes = compare(plan(OLD), new, content, dt.date(2026, 11, 23), ("en", "en"))
    handout = marked(personalize(new, content), changes)
    glance = next(b for b in handout.blocks if b.id == "plan")
    assert glance.marks == ("Changed", "Changed", "Changed", "New", "New", "Changed", "New", "")
    assert glance.facts[-1] == ("No longer in your plan", "Walking, Using a four-foot cane")
    assert glance.lead[0] == "New and Changed mark what is different from your handout of November 23, 2026."
    pump = next(b for b in handout.blocks if b.id == "ankle_pump")
    assert pump.facts[-1] == ("What changed", " ".join(SAID["en"]["ankle_pump"]))
    untouched = personalize(new, content)
    same = [b.id for b, u in zip(handout.blocks, untouched.blocks, strict=True) if b == u]
    assert "about" in same and "ankle_pump" not in same


def test_another_patients_handout_is_refused_naming_the_mismatch() -> None:
    day = dt.date(2027, 2, 10)
    other = plan(OLD.replace("Maria Lopez", "Mario Lopez"))
    said = [p.message for p in same_patient_problems(other, plan(NEW_PLAN), day, "old.pdf")]
    assert said == [
        "is not this patient's previous handout: the name differs (it is Mario Lopez's handout; this one is for "
        "Maria Lopez); give this patient's own"
    ]
    other = plan(OLD.replace('"004211"', '"004212"'))
    problems = same_patient_problems(other, plan(NEW_PLAN), day, "old.pdf")
    assert [(p.file, p.field) for p in problems] == [("old.pdf", "previous")]
    assert "the patient_id differs (it has 004212; this one has 004211)" in problems[0].message
    other = plan(OLD.replace("1961-04-02", "1961-04-03"))
    assert "the birth_date differs" in same_patient_problems(other, plan(NEW_PLAN), day, "old.pdf")[0].message
    no_common = plan(OLD.replace('patient_id: "004211"\n', ""))
    only_id = plan(NEW_PLAN.replace("birth_date: 1961-04-02\n", ""))
    assert "shares no identifier" in same_patient_problems(no_common, only_id, day, "old.pdf")[0].message
    assert same_patient_problems(plan(OLD.replace("Maria Lopez", "maria  lopez")), plan(NEW_PLAN), day, "x") == []


def test_a_previous_handout_dated_after_this_one_is_refused() -> None:
    problems = same_patient_problems(plan(NEW_PLAN), plan(OLD), dt.date(2026, 11, 23), "old.pdf")
    assert [p.message for p in problems] == [
        "is dated 2027-02-10, after this handout (2026-11-23): the previous handout must be older; check the "
        "date of the new plan, or give the handout before it"
    ]
