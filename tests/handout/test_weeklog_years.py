"""A "My week" page whose week runs into the next year names both years (issue 21, item 12): read back
from the PDF the real command prints, in English and Spanish."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from pdfcheck import page_texts

PATIENT = """\
name: Ann Bo
patient_id: "7"
date: 2026-12-28
language: {language}
exercises: [stretching]
"""


HEADINGS = {
    "en": ("December 28, 2026 to January 3, 2027", "Dec 28, 2026 to Jan 3, 2027"),
    "es": ("28 de diciembre de 2026–3 de enero de 2027", "28 dic 2026–3 ene 2027"),
}
"""The heading in full, or with short month names where the full one is too long for its line."""


@pytest.mark.parametrize("language", sorted(HEADINGS))
def test_a_week_into_the_next_year_names_both_years(tmp_path: Path, language: str) -> None:
    patient = tmp_path / "ann.yaml"
    patient.write_text(PATIENT.format(language=language), encoding="utf-8")
    out = tmp_path / "ann.pdf"
    done = subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), "handout", str(patient), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    last = " ".join(page_texts(out.read_bytes())[-1].split())
    assert any(heading in last for heading in HEADINGS[language]), last[:300]
