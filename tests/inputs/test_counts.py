"""Counts are digits only, on every front end (issue 21, item 2): `1.000` (a thousand, as Spanish
writes it), `1_2`, `1_0` and `2.0` are refused with the field and what was typed, never read as 1, 12,
10 or 2. Patient files are covered by tests/bad_inputs/, the form by tests/web/test_form_counts.py;
here the CSV and YAML rosters through the real batch command."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

ROSTER_CSV = """\
name,patient_id,date,log_weeks,exercises
Ann Able,A1,2026-11-23,2,aerobic(minutes=10)
Bo Bell,B2,2026-11-23,,aerobic(minutes=1_0)
Cy Cole,C3,2026-11-23,,stretching(repetitions=1.000)
Di Dunn,D4,2026-11-23,1_2,stretching
Ed Eng,E5,2026-11-23,,aerobic(Times per day=2.0)
"""

ROSTER_YAML = """\
patients:
  - {name: Ann Able, patient_id: A1, date: 2026-11-23, exercises: [{aerobic: {minutes: 10}}]}
  - {name: Bo Bell, patient_id: B2, date: 2026-11-23, exercises: [{aerobic: {minutes: 1_0}}]}
  - {name: Di Dunn, patient_id: D4, date: 2026-11-23, log_weeks: 1_2}
"""


def _batch(roster: Path, outdir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), "batch", str(roster), "-o", str(outdir), "-j", "1", "-q"],
        capture_output=True,
        text=True,
        timeout=300,
    )


def _rows(outdir: Path) -> list[dict[str, str]]:
    return list(csv.DictReader((outdir / "manifest.csv").read_text(encoding="utf-8-sig").splitlines()))


WHOLE = "is not a whole number: write a count in digits only, like 12"


def test_csv_roster_counts_are_digits_only(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER_CSV, encoding="utf-8")
    done = _batch(roster, tmp_path / "out")
    assert done.returncode == 1, done.stderr
    rows = _rows(tmp_path / "out")
    assert [r["status"] for r in rows] == ["written", "failed", "failed", "failed", "failed"]
    assert f"row 3: exercises[0].aerobic.minutes: '1_0' {WHOLE}" in rows[1]["error"]
    assert f"row 4: exercises[0].stretching.repetitions: '1.000' {WHOLE}" in rows[2]["error"]
    assert f"row 5: log_weeks: '1_2' {WHOLE}" in rows[3]["error"]
    assert f"row 6: exercises[0].aerobic.Times per day: '2.0' {WHOLE}" in rows[4]["error"]
    assert [p.name for p in (tmp_path / "out").glob("*.pdf")] == [rows[0]["file"]]


def test_yaml_roster_reads_1_2_as_written_not_as_twelve(tmp_path: Path) -> None:
    """PyYAML's own loader reads `1_2` as the number 12; the roster keeps the text as typed."""
    roster = tmp_path / "roster.yaml"
    roster.write_text(ROSTER_YAML, encoding="utf-8")
    done = _batch(roster, tmp_path / "out")
    assert done.returncode == 1, done.stderr
    rows = _rows(tmp_path / "out")
    assert [r["status"] for r in rows] == ["written", "failed", "failed"]
    assert f"record 2: exercises[0].aerobic.minutes: '1_0' {WHOLE}" in rows[1]["error"]
    assert f"record 3: log_weeks: '1_2' {WHOLE}" in rows[2]["error"]
