"""No blank instruction (issue 22): a kind of exercise chosen without any of its moves prints numbered
lines under "The moves you were shown", to fill in by hand, and every front end warns that the handout
names no moves. Read back from the printed PDFs, through the real command line, batch and form."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from pdfcheck import page_texts
from pdfshapes import _lines
from pypdf import PdfReader

from handouts.cli import main

KINDS = """\
name: Rosa Diaz
patient_id: "7"
date: 2026-11-23
stronger_side: left
exercises:
  - stretching
  - range_of_motion: {mode: passive}
  - shoulder_raise
"""
WARNING = (
    "p.yaml:6: exercises[0]: stretching names no moves: the handout prints 4 numbered lines under "
    "'The moves you were shown' to write them in by hand. To name them, choose moves from the exercise "
    "library instead (python generate.py list), such as calf_stretch or hamstring_stretch"
)


def _handout(tmp_path: Path, text: str, *args: str) -> tuple[subprocess.CompletedProcess[str], bytes]:
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), "handout", "p.yaml", "-o", "p.pdf", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    return done, (tmp_path / "p.pdf").read_bytes()


def _flat(pdf: bytes) -> str:
    return " ".join(" ".join(page_texts(pdf)).split())


@pytest.mark.parametrize("layout", ["large-print", "extra-large"])
def test_a_kind_without_moves_prints_numbered_lines_and_the_command_line_warns(tmp_path: Path, layout: str) -> None:
    done, pdf = _handout(tmp_path, KINDS, "--layout", layout)
    text = _flat(pdf)
    # Stretching names no stretch: its lines follow its steps. Range of motion names shoulder_raise: none.
    marks = ("Stop if a stretch hurts.", "The moves you were shown:", "Stretching may")
    steps, lines, why = (text.index(mark) for mark in marks)
    assert steps < lines < why and "The moves you were shown: 1. 2. 3. 4." in text
    assert text.count("The moves you were shown") == 1
    assert done.stderr.splitlines() == [f"warning: {WARNING}"]


def test_the_lines_are_ruled_a_line_and_a_half_apart_full_width(tmp_path: Path) -> None:
    _, pdf = _handout(tmp_path, KINDS)
    reader = PdfReader(io.BytesIO(pdf))
    page = next(p for p in reader.pages if "The moves you were shown" in p.extract_text())
    ys = sorted({round(y, 1) for y, x0, x1 in _lines(page, reader)[0] if x1 - x0 > 300}, reverse=True)
    gaps = [round(a - b, 1) for a, b in zip(ys, ys[1:], strict=False)]
    # Four lines, each a line and a half of 18 pt type (or more) below the one before: room for handwriting.
    runs = [gaps[i : i + 3] for i in range(len(gaps) - 2)]
    assert any(len(set(run)) == 1 and run[0] >= 1.5 * 18 for run in runs), gaps


def test_spanish_says_the_moves_you_were_shown(tmp_path: Path) -> None:
    _, pdf = _handout(tmp_path, KINDS, "--language", "es")
    assert "Los movimientos que le enseñaron: 1. 2. 3. 4." in _flat(pdf)


def test_a_plan_of_library_moves_prints_no_lines_and_no_warning(tmp_path: Path) -> None:
    done, pdf = _handout(tmp_path, KINDS.replace("  - stretching\n", "  - stretching\n  - calf_stretch\n"))
    assert "The moves you were shown" not in _flat(pdf)
    assert done.stderr == ""


def test_readme_example_names_its_moves(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), "handout", str(ROOT / "examples" / "maria-lopez.yaml")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    text = _flat((tmp_path / done.stdout.strip()).read_bytes())
    assert "Ankle: point your foot up and down" in text and "Walking" in text
    assert "The moves you were shown" not in text


def test_batch_warns_on_stderr_and_in_the_manifest(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "name,patient_id,date,exercises\nAnn Lee,1,2026-11-23,calf_stretch\nBo Kim,2,2026-11-23,stretching\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["batch", str(roster), "-o", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    said = f"{roster}: row 3: exercises[0]: stretching names no moves"
    assert [line for line in result.stderr.splitlines()] == [f"warning: {said}" + WARNING.split("names no moves")[1]]
    rows = list(csv.DictReader((tmp_path / "out" / "manifest.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [(r["status"], r["warning"].split(":")[-1] != "") for r in rows] == [("written", False), ("written", True)]
    assert rows[1]["warning"].startswith(said)
    quiet = CliRunner().invoke(main, ["batch", str(roster), "-o", str(tmp_path / "q"), "--quiet"])
    assert quiet.exit_code == 0 and quiet.stderr == ""  # --quiet: nothing but errors; the manifest keeps it
