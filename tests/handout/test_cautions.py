"""Every move safe for a body that ALS has weakened (issue 22), read back from printed handouts.

Plans with every move of the library, in each of its ways (on your own, with the stronger hand helping,
by a helper), are printed in English and in Spanish through the real pipeline; each move's own words
are read from the PDF between its title and the next heading, and must carry the cautions that belong
to it: the shoulder's, the neck's, lying down's, the helper's back; a standing move in a plan with a
walking aid prints its safe version; a count done on each side says so.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from pdfcheck import all_text, reading_text

from handouts.build import Printed, print_record
from handouts.inputs.content import Section, cached_content
from handouts.inputs.yamlsource import parse_yaml

CAUTIONS = {
    # what: (English, Spanish), a phrase of the caution as printed
    "shoulder": ("Never pull on a weak arm", "Nunca jale un brazo débil"),
    "shoulder_height": ("shoulder height", "altura del hombro"),
    "neck": ("Do this only if you can hold your head up", "Hágalo solo si puede sostener la cabeza"),
    "lying": ("Raise the head of the bed", "Suba la cabecera de la cama"),
    "helper_back": ("Helper: raise the bed, keep the limb close to you", "Ayudante: suba la cama"),
}
LYING = re.compile(r"\b(lie|lying|on their back|on your back)\b", re.IGNORECASE)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _print(plan: str, language: str = "en") -> Printed:
    return print_record(parse_yaml(plan + f"language: {language}\n", "test.yaml"), cached_content(), None)


def _plan(moves: list[str], mode: str | None, devices: str = "") -> str:
    chosen = "".join(f"  - {m}: {{mode: {mode}}}\n" if mode else f"  - {m}\n" for m in moves)
    return f"name: Test Person\npatient_id: T-1\ndate: 2026-11-23\nstronger_side: right\nexercises:\n{chosen}{devices}"


def _in_mode(mode: str) -> list[Section]:
    moves = cached_content().moves()
    return [m for m in moves if (mode in m.modes) or (mode == "active" and not m.modes)]


def _own_words(printed: Printed, language: str) -> dict[str, str]:
    """Each move's words as printed, from its title to the next heading, by the move's id."""
    text = _flat(reading_text(printed.pdf))
    starts, at = [], 0
    for block in printed.handout.blocks:  # in the order printed: page 1's plan names them first
        at = text.index(_flat(block.title), at + 1 if starts else 0)
        starts.append(at)
    ends = [*starts[1:], len(text)]
    return {b.id: text[a:z] for b, a, z in zip(printed.handout.blocks, starts, ends, strict=True)}


@pytest.fixture(scope="module")
def printed() -> dict[tuple[str, str], tuple[Printed, dict[str, str]]]:
    """Every move in each of its ways, in both languages: (mode, language) -> (handout, words by move)."""
    out = {}
    for mode in ("active", "assisted", "passive"):
        moves = [m.id for m in _in_mode(mode)]
        for language in ("en", "es"):
            done = _print(_plan(moves, None if mode == "active" else mode), language)
            out[(mode, language)] = (done, _own_words(done, language))
    return out


def _steps_of(move: Section, mode: str) -> str:
    variant = move.variants.get("mode", {}).get(mode)
    return " ".join(variant.steps if variant and variant.steps else move.steps)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("mode", ["active", "assisted", "passive"])
def test_each_caution_prints_on_the_moves_it_belongs_to(printed, mode: str, language: str) -> None:
    _, words = printed[(mode, language)]
    say = 0 if language == "en" else 1
    english = cached_content()
    for move in _in_mode(mode):
        own = words[move.id]
        wanted = []
        if move.joint == "shoulder":
            wanted.append("shoulder")
        if move.id in ("shoulder_raise", "shoulder_out"):
            wanted.append("shoulder_height")
        if move.joint == "neck":
            wanted.append("neck")
        if LYING.search(_steps_of(english.section(move.id), mode)):
            wanted.append("lying")
        if mode == "passive":
            wanted.append("helper_back")
        for what in wanted:
            assert CAUTIONS[what][say] in own, f"{move.id} ({mode}, {language}): no {what} caution in: {own}"
        if what_not := [w for w in ("neck", "helper_back") if w not in wanted]:
            for what in what_not:  # a caution prints only where it belongs
                assert CAUTIONS[what][say] not in own, f"{move.id} ({mode}, {language}) has the {what} caution"


@pytest.mark.parametrize("language", ["en", "es"])
def test_shoulder_moves_never_go_over_the_head_in_words_or_pictures(printed, language: str) -> None:
    for mode in ("active", "assisted", "passive"):
        _, words = printed[(mode, language)]
        for move_id in ("shoulder_raise", "shoulder_out"):
            if move_id not in words:
                continue
            own = words[move_id].lower()
            assert "over their head" not in own and "over your head" not in own
            assert "por encima de la cabeza" not in own
    content = cached_content()
    for move_id in ("shoulder_raise", "shoulder_out"):
        move = content.section(move_id)
        for mode in move.modes:
            figure = move.figure_for({"mode": mode})
            assert figure is not None
            highest = max(p.shoulder or 0 for p in figure.poses)
            assert highest <= 90, f"{move_id} ({mode}) shows the arm at {highest} degrees"


def test_the_neck_nod_steps_agree_with_its_caution() -> None:
    steps = " ".join(cached_content().section("neck_nod").steps)
    assert "high back" in steps and "Slowly tip your chin" in steps


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("aid", ["quad_cane", "walker", "wheelchair", "cane"])
def test_a_standing_move_in_a_plan_with_a_walking_aid_prints_its_safe_version(aid: str, language: str) -> None:
    devices = f"devices:\n  - {aid}\n"
    moves = ["calf_stretch", "walking", "stationary_cycling"]
    aided = _own_words(_print(_plan(moves, None, devices), language), language)
    alone = _own_words(_print(_plan(moves, None), language), language)
    seated, standing = {
        "en": ("Sit on a bed with one leg out straight.", "Stand and face a wall"),
        "es": ("Siéntese en una cama con una pierna estirada.", "Párese frente a una pared"),
    }[language]
    assert seated in aided["calf_stretch"] and standing not in aided["calf_stretch"]
    assert standing in alone["calf_stretch"] and seated not in alone["calf_stretch"]
    beside = {"en": "only with someone beside you", "es": "solo con alguien a su lado"}[language]
    for move_id in ("walking", "stationary_cycling"):
        assert beside in aided[move_id], move_id
        assert beside not in alone[move_id], move_id


def test_a_helper_version_is_the_same_with_a_walking_aid() -> None:
    """A helper's calf stretch is done lying down already: the walking aid does not change it."""
    words = _own_words(_print(_plan(["calf_stretch"], "passive", "devices:\n  - walker\n")), "en")
    assert "Have the person lie on their back." in words["calf_stretch"]
    assert "Sit on a bed" not in words["calf_stretch"]


def test_a_leg_off_the_bed_needs_a_helper_to_lift_it_back() -> None:
    own = _own_words(_print(_plan(["hip_front_stretch", "trunk_side_bend"], None)), "en")
    assert "your helper lifts the leg back onto the bed" in own["hip_front_stretch"]
    assert "chair with arms" in own["trunk_side_bend"] and "Do not reach for the floor." in own["trunk_side_bend"]
    assert "as if to reach the floor" not in own["trunk_side_bend"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_move_done_on_each_side_says_whose_count_it_is(language: str) -> None:
    plan = _plan([], None).replace("exercises:\n", "exercises:\n") + (
        "  - knee_bend\n  - elbow_bend: {mode: assisted}\n  - hip_out: {mode: passive}\n"
        "  - neck_turn\n  - chest_stretch\n"
    )
    own = _own_words(_print(plan, language), language)
    said = {
        "en": {
            "knee_bend": "10 times with each leg.",
            "elbow_bend": "10 times with your left arm.",  # stronger right: the stronger hand helps the left
            "hip_out": "10 times with each leg.",  # a helper does both
            "neck_turn": "5 times to each side.",
            "chest_stretch": "Do it 3 times.",  # both arms at once: no side
        },
        "es": {
            "knee_bend": "10 veces con cada pierna.",
            "elbow_bend": "10 veces con el brazo izquierdo.",
            "hip_out": "10 veces con cada pierna.",
            "neck_turn": "5 veces hacia cada lado.",
            "chest_stretch": "Hágalo 3 veces.",
        },
    }[language]
    for move_id, words in said.items():
        assert words in own[move_id], f"{move_id}: {own[move_id]}"
    steps = " ".join(b.steps[-1] for b in _print(plan, language).handout.blocks if b.id == "hip_out")
    assert "other leg" not in steps  # said once, by the count, the same way in every helper's version


def test_a_picture_names_a_side_only_where_the_steps_work_on_one() -> None:
    """Assisted: the stronger hand moves the weaker arm, so its picture says "Left arm". Done on each side,
    or in a plan that gives no side, a picture names no side."""
    sided = _print(_plan(["elbow_bend"], "assisted"))
    assert "Left arm" in _flat(all_text(sided.pdf))
    both = _print(_plan(["knee_bend", "shoulder_out"], None))
    text = _flat(all_text(both.pdf))
    assert "Left leg" not in text and "Right leg" not in text and "Left arm" not in text and "Right arm" not in text
    no_side = _plan(["knee_bend"], None).replace("stronger_side: right\n", "")
    assert all(b.picture.side is None for b in _print(no_side).handout.blocks if b.picture and b.picture.figure)


def test_check_refuses_a_caution_without_a_source(tmp_path: Path) -> None:
    content, spanish = tmp_path / "content.yaml", tmp_path / "content.es.yaml"
    shutil.copy(ROOT / "content.es.yaml", spanish)
    text = (ROOT / "content.yaml").read_text(encoding="utf-8")
    sourced = '      - {text: "Move slowly. Do not snap the elbow straight.", sources: [mda_ch9]}\n'
    assert text.count(sourced) == 1
    content.write_text(
        text.replace(sourced, "      - Move slowly. Do not snap the elbow straight.\n"), encoding="utf-8"
    )
    line = (
        content.read_text(encoding="utf-8").splitlines().index("      - Move slowly. Do not snap the elbow straight.")
        + 1
    )
    run = subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), "check", "--content", str(content)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2, run.stdout + run.stderr
    index = next(i for i, s in enumerate(cached_content().sections) if s.id == "elbow_bend")
    assert f"content.yaml:{line}: sections[{index}] (elbow_bend).cautions[0]:" in run.stderr
    assert "'Move slowly. Do not snap the elbow straight.' names no source" in run.stderr
    # A key that is not one of sources: is refused the same way, naming it.
    content.write_text(text.replace("sources: [mda_ch9]}\n", "sources: [mda_ch10]}\n", 1), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), "check", "--content", str(content)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2 and "names unknown sources ['mda_ch10']" in run.stderr


def test_every_caution_of_the_shipped_content_names_its_sources() -> None:
    content = cached_content()
    for section in content.sections:
        for version in [section, *section.versions()]:
            for caution in version.cautions:
                assert caution.sources and all(k in content.sources for k in caution.sources), caution.text
