"""A CSV cell's option with no name before its '=' is said in plain words (issue 21, item 12), through
the real batch command."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

ROSTER = """\
name,patient_id,date,stronger_side,exercises
Ann Able,A1,2026-11-23,left,shoulder_raise(=passive)
"""


def test_an_option_without_a_name_is_said_plainly(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), "batch", str(roster), "-o", str(tmp_path / "out"), "-q"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    said = (
        "item 1 'shoulder_raise(=passive)': '=passive' has no option name before the '='; "
        "write name=value, like mode=passive"
    )
    assert said in done.stderr
    assert "needs a value" not in done.stderr
    rows = list(csv.DictReader((tmp_path / "out" / "manifest.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert said in rows[0]["error"]
