"""content.yaml: complete, in plain words, and refused with its line when broken."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import textstat
from conftest import ROOT, SOURCE

from handouts.errors import HandoutError
from handouts.inputs.content import REQUIRED_SECTIONS, load_content


def _reading_text() -> str:
    content = load_content()
    slots = {"stronger_hand": "left hand", "stronger_side": "left", "weaker_side": "right"}
    slots |= {"side_leg": "left leg", "side": "left"}
    parts = []
    for section in content.sections:
        for text in section.all_text():
            text = text.format_map(slots)
            parts.append(text if text.rstrip()[-1:] in ".?!:" else text + ".")
    return " ".join(parts)


def test_every_promised_section_is_there_with_its_kind() -> None:
    content = load_content()
    assert {s.id: s.kind for s in content.sections if s.id in REQUIRED_SECTIONS} == REQUIRED_SECTIONS


def test_content_reads_at_grade_six_or_lower() -> None:
    grade = textstat.flesch_kincaid_grade(_reading_text())
    assert grade <= 6.0, f"Flesch-Kincaid grade {grade}"


@pytest.mark.skipif(not SOURCE.exists(), reason="the shared source guidance is not beside this checkout")
def test_no_run_of_seven_words_is_copied_from_the_source() -> None:
    def words(text: str) -> list[str]:
        return re.findall(r"[a-z']+", text.lower())

    src = words(SOURCE.read_text(encoding="utf-8"))
    mine = words((ROOT / "content.yaml").read_text(encoding="utf-8"))
    seen = {tuple(src[i : i + 7]) for i in range(len(src) - 6)}
    copied = {" ".join(mine[i : i + 7]) for i in range(len(mine) - 6) if tuple(mine[i : i + 7]) in seen}
    assert not copied


def test_closing_names_the_source() -> None:
    """The handout's last lines name the guidance it is built from, by publisher, title and year."""
    from handouts.handout.personalize import personalize
    from handouts.inputs.plan import load_plan

    content = load_content()
    plan = load_plan(ROOT / "benchmarks" / "plans" / "one-exercise.yaml", content)
    closing = next(b for b in personalize(plan, content).blocks if b.id == "closing")
    assert any("Cleveland Clinic, Physical Therapy and ALS, 2017" in t for t in closing.lead)


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = (ROOT / "content.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "content.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_missing_section_is_refused(tmp_path: Path) -> None:
    path = _broken(tmp_path, "  - id: wheelchair", "  - id: wheel_chair")
    with pytest.raises(HandoutError) as err:
        load_content(path)
    assert "the section 'wheelchair' (device) is missing" in str(err.value)


def test_unknown_slot_is_refused_with_its_line(tmp_path: Path) -> None:
    path = _broken(tmp_path, "Hold the cane in your {stronger_hand}.", "Hold the cane in your {best_hand}.")
    with pytest.raises(HandoutError) as err:
        load_content(path)
    message = str(err.value)
    assert "{best_hand} can't be filled" in message
    # the step's own line
    assert f"content.yaml:{_line_of(path, '{best_hand}')}: sections[6] (cane).steps[0]:" in message


def test_unknown_key_is_refused_with_its_line(tmp_path: Path) -> None:
    path = _broken(tmp_path, "    title: Stretching\n", "    title: Stretching\n    colour: red\n")
    with pytest.raises(HandoutError) as err:
        load_content(path)
    assert f":{_line_of(path, 'colour: red')}: sections[3].colour: 'colour' is not a known field" in str(err.value)


def test_exercise_without_how_often_is_refused(tmp_path: Path) -> None:
    text = (ROOT / "content.yaml").read_text(encoding="utf-8")
    path = tmp_path / "content.yaml"
    path.write_text(text.replace("    how_often: Every day.\n", "", 1), encoding="utf-8")
    with pytest.raises(HandoutError, match="an exercise needs how_often"):
        load_content(path)


def test_a_misspelled_slot_gets_the_nearest_one(tmp_path: Path) -> None:
    path = _broken(tmp_path, "{side_leg}", "{side_legg}")
    with pytest.raises(HandoutError, match=r"the slot \{side_legg\} can't be filled .*did you mean \{side_leg\}\?"):
        load_content(path)


def test_a_bad_id_says_what_an_id_looks_like(tmp_path: Path) -> None:
    path = _broken(tmp_path, "  - id: walker", "  - id: Walker")
    with pytest.raises(HandoutError, match="'Walker' must be lower-case letters, digits and _"):
        load_content(path)


def test_every_picture_has_a_caption_in_the_content(tmp_path: Path) -> None:
    """Captions are the clinic's words: a pictured section without one is refused with its line."""
    content = load_content()
    assert content.section("cane").caption == "Cane in your {stronger_hand}"
    assert "Cane in your {stronger_hand}" in content.section("cane").all_text()
    path = _broken(tmp_path, "    caption: Stretch slowly and gently\n", "")
    with pytest.raises(HandoutError) as err:
        load_content(path)
    assert (
        f"content.yaml:{_line_of(path, '- id: stretching')}: sections[3] (stretching).caption: needs a caption"
        in str(err.value)
    )


def test_a_caption_slot_is_checked_like_other_text(tmp_path: Path) -> None:
    path = _broken(tmp_path, "caption: Brace on your {side_leg}", "caption: Brace on your {best_leg}")
    with pytest.raises(HandoutError, match=r"the slot \{best_leg\} can't be filled"):
        load_content(path)


def test_a_caption_edited_in_the_content_is_printed(tmp_path: Path) -> None:
    from pdfcheck import all_text

    from handouts.build import print_record
    from handouts.inputs.yamlsource import parse_yaml

    path = _broken(tmp_path, "caption: A brace on each leg", "caption: Braces on both of your legs")
    path = Path(str(path))
    text = "name: A\npatient_id: '1'\ndate: 2026-11-25\ndevices:\n  - ankle_foot_brace: {side: both}\n"
    printed = print_record(parse_yaml(text, "t.yaml"), load_content(path), None)
    (picture,) = [b.picture for b in printed.handout.blocks if b.picture]
    assert picture.caption == "Braces on both of your legs" and picture.side == "both"
    assert "Braces on both of your legs" in all_text(printed.pdf)
