"""A batch never dies of one record: a record that hits a bug fails in the manifest, saying so and
naming no file, while every other record prints (issue 21, items 5 and 12)."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

ROSTER = """\
defaults: {clinic: Riverside Rehabilitation, date: 2026-11-23}
patients:
  - {name: Ann Able, patient_id: "A1", exercises: [stretching]}
  - name: Crash Bo
    patient_id: "B2"
    stronger_side: left
    exercises: [{shoulder_raise: {mode: assisted}}]
  - {name: Cy Cole, patient_id: "C3", devices: [walker]}
"""


def _batch(*args: str | Path, prelude: str = "") -> subprocess.CompletedProcess[str]:
    """The real command in a process of its own; `prelude` runs first in it (a planted bug)."""
    start = "from handouts.cli import main\nmain(['batch', *sys.argv[1:]], prog_name='generate.py')"
    code = f"import sys\n{prelude}\n{start}"
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def _manifest(outdir: Path) -> list[dict[str, str]]:
    return list(csv.DictReader((outdir / "manifest.csv").read_text(encoding="utf-8-sig").splitlines()))


BUG_IN_PERSONALIZING = """
import handouts.build as build
_real = build.personalize
def _personalized(plan, content, today):
    if plan.patient.name.startswith("Crash"):
        raise ValueError("Unknown format code 'd' (planted bug)")
    return _real(plan, content, today)
build.personalize = _personalized
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_record_that_crashes_personalizing_fails_alone(tmp_path: Path, jobs: str) -> None:
    """A bug while personalizing one record (clinic content with `{stronger_hand:d}` did this before
    `check` and loading refused it; here one planted in the real process): that record fails alone."""
    roster = tmp_path / "roster.yaml"
    roster.write_text(ROSTER, encoding="utf-8")
    outdir = tmp_path / "out"
    done = _batch(roster, "-o", outdir, "-j", jobs, prelude=BUG_IN_PERSONALIZING)
    assert done.returncode == 1, done.stderr
    rows = _manifest(outdir)
    assert [r["status"] for r in rows] == ["written", "failed", "written"]
    assert rows[1]["file"] == "" and rows[1]["name"] == "Crash Bo"
    assert "internal error while making this handout (ValueError: Unknown format code 'd'" in rows[1]["error"]
    assert "Traceback" in done.stderr and "record 2: internal error" in done.stderr
    assert sorted(p.name for p in outdir.glob("*.pdf")) == [rows[0]["file"], rows[2]["file"]]


BUG_IN_DRAWING = """
import handouts.pdf.render as render
_real = render.render_counted
def _drawn(handout, layout):
    if handout.name.startswith("Crash"):
        raise KeyError("planted bug")
    return _real(handout, layout)
render.render_counted = _drawn
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_record_that_crashes_drawing_names_no_older_pdf(tmp_path: Path, jobs: str) -> None:
    """A bug while drawing (reportlab's LayoutError, say; here one planted in the real process, since
    correct code has none to trigger): the row fails and does not name the older PDF already under its
    name, which is another, earlier handout."""
    roster = tmp_path / "roster.yaml"
    roster.write_text(ROSTER, encoding="utf-8")
    outdir = tmp_path / "out"
    first = _batch(roster, "-o", outdir, "-j", jobs)
    assert first.returncode == 0, first.stderr
    older = _manifest(outdir)[1]["file"]
    roster.write_text(ROSTER.replace("exercises: [{shoulder_raise: {mode: assisted}}]", "exercises: [stretching]"))
    done = _batch(roster, "-o", outdir, "-j", jobs, prelude=BUG_IN_DRAWING)
    assert done.returncode == 1, done.stderr
    rows = _manifest(outdir)
    assert [r["status"] for r in rows] == ["skipped", "failed", "skipped"]
    assert rows[1]["file"] == "" and older not in rows[1]["error"]
    assert "KeyError: 'planted bug'" in rows[1]["error"] and "Traceback" in done.stderr


BUG_IN_WRITING = """
import handouts.output as output
_real = output.write_atomic
def _written(path, data, *args, **kwargs):
    if "_bo-crash_" in path.name:
        raise ValueError("planted bug")
    return _real(path, data, *args, **kwargs)
output.write_atomic = _written
"""


def test_a_record_that_crashes_writing_fails_alone(tmp_path: Path) -> None:
    roster = tmp_path / "roster.yaml"
    roster.write_text(ROSTER.replace("exercises: [{shoulder_raise: {mode: assisted}}]", "exercises: [stretching]"))
    outdir = tmp_path / "out"
    done = _batch(roster, "-o", outdir, "-j", "2", prelude=BUG_IN_WRITING)
    assert done.returncode == 1, done.stderr
    rows = _manifest(outdir)
    assert [r["status"] for r in rows] == ["written", "failed", "written"]
    assert rows[1]["file"] == "" and "ValueError: planted bug" in rows[1]["error"]
    assert sorted(p.name for p in outdir.glob("*.pdf")) == sorted([rows[0]["file"], rows[2]["file"]])
