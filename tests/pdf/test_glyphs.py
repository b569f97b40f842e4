"""Names in every script the tool covers print with real letters, in an embedded font, at 18 pt or more;
a letter no shipped font has is refused with its name and field, never drawn as an empty box."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from pdfcheck import all_text, embedded_fonts, page_runs, page_texts

from handouts.cli import main
from handouts.pdf import glyphs

SCRIPTS = {
    "latin": "Łukasz Żółć-Ørsted Ağaoğlu Şahin Ærøe Dvořák Ľubomír Ŧ ǅ",
    "vietnamese": "Nguyễn Thị Ánh Tuyết Đặng Phượng",
    "greek": "Νικόλαος Παπαδόπουλος Ἀθηνᾶ",
    "cyrillic": "Жанна Смирнова-Її Ґалаґан",
}


def write_patient(folder: Path, name: str, **extra: str) -> Path:
    lines = [f'name: "{name}"', 'patient_id: "A-1"', "date: 2026-11-23", "stronger_side: left"]
    lines += [f'{k}: "{v}"' for k, v in extra.items()]
    lines += ["exercises:", "  - aerobic: {note: " + f'"{name}"' + "}", "devices:", "  - cane"]
    path = folder / "p.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def print_pdf(patient: Path, out: Path) -> bytes:
    result = CliRunner().invoke(main, ["handout", str(patient), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_every_covered_script_prints_with_real_letters(script: str, tmp_path: Path) -> None:
    name = SCRIPTS[script]
    pdf = print_pdf(
        write_patient(tmp_path, name, therapist=name, clinic=name, notes=f"{name} <b>&amp;</b>"), tmp_path / "h.pdf"
    )
    first = page_texts(pdf)[0]
    assert first.startswith(name), "the header line names the patient exactly"
    assert f"This plan is for: {name}" in first
    text = all_text(pdf)
    assert f"Your therapist says: {name}" in text
    assert f"{name} <b>&amp;</b>" in text, "patient text is never markup"
    fonts = embedded_fonts(pdf)
    assert all(fonts.values()), fonts
    assert any("FiraSans-Bold" in f for f in fonts), "the bold header uses the fallback's real bold"
    assert any("FiraSans-Regular" in f for f in fonts)
    sizes = [r.size for page in page_runs(pdf) for r in page]
    assert min(sizes) >= 18 - 0.01


def test_decomposed_accents_print_as_one_letter(tmp_path: Path) -> None:
    # Before: "Jose\u0301" printed the accent as a separate mark and the PDF's text kept it apart.
    pdf = print_pdf(write_patient(tmp_path, "Jose\u0301 Nun\u0303ez Nguye\u0302\u0303n"), tmp_path / "h.pdf")
    assert page_texts(pdf)[0].startswith("José Nuñez Nguyễn")


@pytest.mark.parametrize(
    ("text", "shown"),
    [("Ann 😀", "'😀' (U+1F600 GRINNING FACE)"), ("שרה", "(U+05E9 HEBREW LETTER SHIN)"), ("李", "U+674E")],
)
def test_a_letter_no_font_has_is_refused_with_its_name_and_field(text: str, shown: str, tmp_path: Path) -> None:
    out = tmp_path / "h.pdf"
    result = CliRunner().invoke(main, ["handout", str(write_patient(tmp_path, "Ann Bo", clinic=text)), "-o", str(out)])
    assert result.exit_code == 2
    assert "p.yaml:5: clinic: no font the handout ships can print '" in result.output
    assert shown in result.output
    assert not out.exists()


def test_markup_escapes_and_wraps_only_what_the_main_font_lacks() -> None:
    fallback = glyphs.Fallback("FB-R", "FB-B", frozenset(map(ord, "αβ")))
    main_font = frozenset(map(ord, "abc <>&"))
    assert glyphs.markup("a <b> & αβ c", main_font, fallback) == 'a &lt;b&gt; &amp; <font name="FB-R">αβ </font>c'
    assert glyphs.markup("αβ", main_font, fallback, bold=True) == '<font name="FB-B">αβ</font>'
