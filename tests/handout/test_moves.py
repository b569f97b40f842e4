"""The exercise library on real handouts: chosen moves carry their own steps, dose and hands; nothing else.

A plan with moves in each of the three ways (on your own, with the stronger hand helping, by a helper)
is printed through the real pipeline and read back from the PDF.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT
from pdfcheck import all_text

from handouts.build import Printed, print_record
from handouts.inputs.content import cached_content
from handouts.inputs.rostercsv import parse_items
from handouts.inputs.yamlsource import parse_yaml

PLAN = """
name: Test Person
patient_id: T-1
date: 2026-11-23
stronger_side: {side}
exercises:
  - shoulder_raise: {{mode: assisted, repetitions: 8}}
  - knee_bend: {{mode: passive}}
  - ankle_pump
  - calf_stretch: {{hold_seconds: 45}}
  - walking: {{minutes: 20, days_per_week: 5}}
"""
CHOSEN = ("shoulder_raise", "knee_bend", "ankle_pump", "calf_stretch", "walking")


def _print(text: str) -> Printed:
    return print_record(parse_yaml(text, "test.yaml"), cached_content(), None)


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def plans() -> dict[str, tuple[Printed, str]]:
    out = {}
    for side in ("left", "right"):
        printed = _print(PLAN.format(side=side))
        out[side] = (printed, _flat(all_text(printed.pdf)))
    return out


@pytest.mark.parametrize("side", ["left", "right"])
def test_each_chosen_move_prints_its_own_steps_and_dose(plans, side: str) -> None:
    printed, text = plans[side]
    weak = "right" if side == "left" else "left"
    slots = {"stronger_hand": f"{side} hand", "weaker_side": weak, "stronger_side": side}
    content = cached_content()
    modes = {"shoulder_raise": "assisted", "knee_bend": "passive"}
    for move_id in CHOSEN:
        move = content.section(move_id)
        variant = move.variants.get("mode", {}).get(modes.get(move_id, "active"))
        steps = variant.steps if variant and variant.steps else move.steps
        assert steps, move_id
        for step in steps:
            assert _flat(step.format_map(slots)) in text, f"{move_id}: step missing: {step}"
        assert _flat(str(move.reason)) in text
    # The therapist's dose where given; the move's usual dose where not; never the category's vague words.
    weak = "right" if side == "left" else "left"
    assert f"How many: 8 times with your {weak} arm." in text  # shoulder_raise, assisted, as prescribed
    assert "How many: 10 times with each foot." in text  # ankle_pump: its usual 10, on each side
    assert "How many: 10 times with each leg." in text  # knee_bend, passive: the helper does both
    assert "Hold: 45 seconds each time." in text  # calf_stretch, as prescribed
    assert "How often: 5 days a week." in text and "How long: 20 minutes each time." in text  # walking


@pytest.mark.parametrize("side", ["left", "right"])
def test_assisted_and_passive_wording_names_the_right_hands_and_the_helper(plans, side: str) -> None:
    printed, text = plans[side]
    weak = "right" if side == "left" else "left"
    assert f"Hold your {weak} wrist with your {side} hand." in text
    assert f"How many: 8 times with your {weak} arm." in text  # the arm the stronger hand helps
    assert f"Let your {side} hand do the work." in text
    block = next(b for b in printed.handout.blocks if b.id == "knee_bend")
    assert block.lead[-1] == "These steps are for your helper."  # the words that lead into the steps
    helper = " ".join(block.steps)
    # Support above and below the joint; stop at resistance or pain; watch the face, since they may not say.
    assert "Hold their leg under the knee with one hand and their heel with the other." in helper
    assert "Stop if it resists, or if their face shows pain." in helper
    assert "They may not be able to say so." in helper
    picture = {b.id: b.picture for b in printed.handout.blocks if b.picture}
    assert picture["shoulder_raise"].caption == f"Your {side} hand lifts your {weak} arm"
    assert picture["shoulder_raise"].side == weak and picture["shoulder_raise"].mode == "assisted"
    assert picture["knee_bend"].mode == "passive" and picture["knee_bend"].figure.position == "lying"


def test_unchosen_moves_are_absent_and_each_category_introduces_its_moves_once(plans) -> None:
    printed, text = plans["left"]
    content = cached_content()
    for move in content.moves():
        if move.id not in CHOSEN:
            assert _flat(move.title) not in text, move.id
            assert _flat(str(move.reason)) not in text, move.id
    ids = [b.id for b in printed.handout.blocks]
    # The category's general words come once, just before its first move, without its vague steps.
    assert ids.count("range_of_motion") == 1 and ids.index("range_of_motion") == ids.index("shoulder_raise") - 1
    assert ids.count("stretching") == 1 and ids.index("stretching") == ids.index("calf_stretch") - 1
    assert ids.count("aerobic") == 1 and ids.index("aerobic") == ids.index("walking") - 1
    assert "Ask your therapist to show you each move." not in text
    assert text.count(content.section("range_of_motion").text[0]) == 1


def test_no_chosen_exercise_only_says_to_ask_the_therapist(plans) -> None:
    printed, _ = plans["right"]
    content = cached_content()
    for block in printed.handout.blocks:
        if block.id in CHOSEN:
            doing = [s for s in block.steps if not re.search(r"\btherapist\b", s)]
            assert len(doing) >= 3, f"{block.id}: {block.steps}"
    assert all(move.steps for move in content.moves())


def test_the_source_line_names_where_the_moves_come_from(plans) -> None:
    _, text = plans["left"]
    assert "The moves come from: Muscular Dystrophy Association, Everyday Life with ALS" in text
    assert "Everyday Life with ALS, chapter 9" in text and "American College of Sports Medicine" in text
    assert "The ALS Association" in text


def test_a_category_alone_prints_as_before() -> None:
    printed = _print("name: A\npatient_id: '1'\ndate: 2026-11-25\nexercises:\n  - range_of_motion\n")
    ids = [b.id for b in printed.handout.blocks]
    assert "range_of_motion" in ids and not any(
        cached_content().section(i).is_move for i in ids if i in cached_content().by_id
    )
    block = next(b for b in printed.handout.blocks if b.id == "range_of_motion")
    assert block.steps == tuple(cached_content().section("range_of_motion").steps)
    assert "The moves come from" not in all_text(printed.pdf)


def test_a_roster_cell_selects_moves_like_categories() -> None:
    items, problems = parse_items("shoulder_raise(mode=passive, repetitions=10); calf_stretch(hold_seconds=30)")
    assert not problems
    record = {"name": "A", "patient_id": "1", "date": "2026-11-25", "exercises": items}
    import yaml

    printed = _print(yaml.safe_dump(record))
    text = _flat(all_text(printed.pdf))
    assert "Lift the arm slowly up in front, to shoulder height." in text  # shoulder_raise, passive, to the helper
    assert "Hold: 30 seconds each time." in text and "How many: 10 times with each arm." in text


def test_the_six_move_example_uses_all_three_modes() -> None:
    text = (ROOT / "examples" / "lee-chen-moves.yaml").read_text(encoding="utf-8")
    assert {"mode: assisted", "mode: passive"} <= {m.group(0) for m in re.finditer(r"mode: \w+", text)}
    from handouts.build import print_file

    printed = print_file(Path(ROOT / "examples" / "lee-chen-moves.yaml"))
    moves = [b.id for b in printed.handout.blocks if b.id in cached_content().by_id and b.picture and b.picture.figure]
    assert len(moves) == 6
