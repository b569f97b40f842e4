"""The Spanish guidance beside content.yaml (handouts/inputs/translation.py), checked with `check`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from handouts.cli import main
from handouts.errors import HandoutError
from handouts.inputs.content import cached_content, load_content
from handouts.inputs.translation import load_translation, translated

ROOT = Path(__file__).resolve().parent.parent.parent


def _copy(tmp_path: Path) -> tuple[Path, Path]:
    content, spanish = tmp_path / "content.yaml", tmp_path / "content.es.yaml"
    shutil.copy(ROOT / "content.yaml", content)
    shutil.copy(ROOT / "content.es.yaml", spanish)
    return content, spanish


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def _check(content: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--content", str(content)])
    return result.exit_code, result.output


def test_shipped_spanish_has_every_section_and_is_a_draft() -> None:
    english = cached_content(None)
    spanish = translated(english, "es")
    assert [s.id for s in spanish.sections] == [s.id for s in english.sections]
    assert spanish.language == "es" and spanish.draft and not english.draft
    assert spanish.section("cane").title == "Usar un bastón"


def test_figures_are_shared_not_copied() -> None:
    """A Spanish move draws the English file's figure: the very same object, found by the section id."""
    english = cached_content(None)
    spanish = translated(english, "es")
    moves = [s for s in english.sections if s.figure is not None]
    assert moves
    for move in moves:
        assert spanish.section(move.id).figure is move.figure
        for option, by_value in move.variants.items():
            for value, variant in by_value.items():
                assert spanish.section(move.id).variants[option][value].figure is variant.figure


def test_loaded_once_per_language() -> None:
    english = cached_content(None)
    assert translated(english, "es") is translated(english, "es")
    assert translated(english, "en") is english


def test_shipped_check_passes_and_warns_of_the_draft() -> None:
    code, output = _check(ROOT / "content.yaml")
    assert code == 0, output
    assert "content.es.yaml): every section, variant and slot, sound" in output
    assert "warning: content.es.yaml is a draft" in output


def test_a_section_missing_from_the_spanish_is_an_error_with_its_line(tmp_path: Path) -> None:
    content, spanish = _copy(tmp_path)
    text = spanish.read_text(encoding="utf-8")
    start = text.index("  - id: stretching\n")
    end = text.index("  - id: range_of_motion\n")
    spanish.write_text(text[:start] + text[end:], encoding="utf-8")
    code, output = _check(content)
    assert code == 2
    line = _line_of(content, "- id: stretching")
    assert re.search(rf"{re.escape(str(content))}:{line}: sections\[\d+\] \(stretching\): .*content.es.yaml", output)


def test_a_section_only_in_spanish_is_an_error_with_its_line(tmp_path: Path) -> None:
    content, spanish = _copy(tmp_path)
    spanish.write_text(
        spanish.read_text(encoding="utf-8") + "\n  - id: yoga\n    title: Yoga\n    text: [Respire.]\n",
        encoding="utf-8",
    )
    code, output = _check(content)
    assert code == 2
    assert f"{spanish}:{_line_of(spanish, '- id: yoga')}: " in output and "has no section 'yoga'" in output


def test_a_missing_variant_slot_or_caption_is_reported(tmp_path: Path) -> None:
    content, spanish = _copy(tmp_path)
    text = spanish.read_text(encoding="utf-8")
    start, end = text.index("  - id: cane\n"), text.index("  - id: quad_cane\n")
    text = text[:start] + text[start:end].replace("{stronger_hand}", "la mano fuerte") + text[end:]
    text = text.replace("    caption: Su andadera\n", "", 1)
    both = "      side:\n        both:\n"
    text = text.replace(both, "      side:\n        left:\n", 1)
    spanish.write_text(text, encoding="utf-8")
    with pytest.raises(HandoutError) as caught:
        load_translation(content, "es")
    said = "\n".join(str(p) for p in caught.value.problems)
    assert "(walker): caption:" in said
    assert "side: both is in" in said and "side: left is not an option value" in said
    cane = next(p for p in caught.value.problems if p.field == f"sections[{_index(content, 'cane')}] (cane)")
    assert cane.line == _line_of(spanish, "- id: cane")
    assert "the slot {stronger_hand} of" in cane.message


def test_a_slot_the_english_lacks_is_reported(tmp_path: Path) -> None:
    content, spanish = _copy(tmp_path)
    text = spanish.read_text(encoding="utf-8")
    spanish.write_text(text.replace("    title: Silla de ruedas\n", "    title: Silla de ruedas {side_leg}\n"), "utf-8")
    with pytest.raises(HandoutError) as caught:
        load_translation(content, "es")
    assert any("the slot {side_leg} is not in" in p.message for p in caught.value.problems)


def test_reviewed_names_its_reviewer_and_date(tmp_path: Path) -> None:
    content, spanish = _copy(tmp_path)
    text = spanish.read_text(encoding="utf-8").replace("\nstatus: draft", "\nstatus: reviewed", 1)
    spanish.write_text(text, encoding="utf-8")
    code, output = _check(content)
    assert code == 2 and "reviewer: and reviewed:" in output
    text = text.replace(
        "\nstatus: reviewed", "\nstatus: reviewed\nreviewer: Rosa Díaz, PT, DPT\nreviewed: 2026-11-30", 1
    )
    spanish.write_text(text, encoding="utf-8")
    assert not load_translation(content, "es").draft
    code, output = _check(content)
    assert code == 0 and "draft" not in output


def test_no_spanish_beside_a_clinic_content_is_said(tmp_path: Path) -> None:
    content = tmp_path / "content.yaml"
    shutil.copy(ROOT / "content.yaml", content)
    with pytest.raises(HandoutError) as caught:
        load_translation(content, "es")
    assert "no Spanish (Español) content beside" in str(caught.value)
    code, output = _check(content)
    assert code == 0 and "warning: no Spanish (Español) content" in output


def _index(content: Path, section_id: str) -> int:
    return [s.id for s in load_content(content).sections].index(section_id)
