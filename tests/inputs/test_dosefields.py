"""Doses that fit the move (issue 22): each exercise takes only the dose fields content.yaml declares
for it, refused with the fields it does take in every front end, and `check` refuses a declaration that
names no dose field."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from pdfcheck import all_text

from handouts.cli import main
from handouts.inputs.content import cached_content
from handouts.inputs.dosefields import takes

ROM = "repetitions, times_per_day, days_per_week, note"
AEROBIC = "minutes, times_per_day, days_per_week, note"
STRETCH = "hold_seconds, repetitions, times_per_day, days_per_week, note"

PATIENT = """\
name: Rosa Diaz
patient_id: "7"
date: 2026-11-23
exercises:
  - neck_nod: {minutes: 5}
  - walking: {minutes: 10, hold_seconds: 30}
  - calf_stretch: {hold_seconds: 20, repetitions: 2}
"""


def _generate(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), *map(str, args)], capture_output=True, text=True, cwd=cwd
    )


def test_every_move_takes_its_kinds_fields_unless_it_declares_its_own() -> None:
    content = cached_content()
    assert ", ".join(takes(content.section("neck_nod"), content)) == ROM
    assert ", ".join(takes(content.section("range_of_motion"), content)) == ROM
    assert ", ".join(takes(content.section("walking"), content)) == AEROBIC
    assert ", ".join(takes(content.section("calf_stretch"), content)) == STRETCH
    # A session at the pool is not done several times a day: the move declares its own.
    assert takes(content.section("water_exercise"), content) == ("minutes", "days_per_week", "note")
    for move in content.moves():
        assert move.dose is not None
        assert set(move.dose.model_dump(exclude_none=True)) <= set(takes(move, content)), move.id


def test_handout_refuses_a_field_the_move_does_not_take_naming_those_it_takes(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(PATIENT, encoding="utf-8")
    done = _generate("handout", "p.yaml", "-o", "p.pdf", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert f"p.yaml:5: exercises[0].neck_nod.minutes: neck_nod does not take minutes; it takes {ROM}" in lines
    walking = f"exercises[1].walking.hold_seconds: walking does not take hold_seconds; it takes {AEROBIC}"
    assert f"p.yaml:6: {walking}" in lines
    assert len(lines) == 2 and "Traceback" not in done.stderr  # calf_stretch's hold is its own
    assert not (tmp_path / "p.pdf").exists()


def test_the_same_dose_on_the_moves_that_take_it_prints(tmp_path: Path) -> None:
    text = PATIENT.replace("{minutes: 5}", "{repetitions: 4}").replace(", hold_seconds: 30", "")
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    done = _generate("handout", "p.yaml", "-o", "p.pdf", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    said = " ".join(all_text((tmp_path / "p.pdf").read_bytes()).split())
    assert "Do it 4 times" in said and "10 minutes each time" in said and "20 seconds each time" in said


@pytest.mark.parametrize("kind", ["yaml", "csv"])
def test_batch_refuses_the_record_naming_the_fields_it_takes(kind: str, tmp_path: Path) -> None:
    if kind == "yaml":
        roster = tmp_path / "roster.yaml"
        roster.write_text(
            "patients:\n"
            "  - {name: Ann Lee, patient_id: '1', date: 2026-11-23, exercises: [stretching]}\n"
            "  - name: Bo Kim\n"
            "    patient_id: '2'\n"
            "    date: 2026-11-23\n"
            "    exercises:\n"
            "      - neck_nod: {minutes: 5}\n",
            encoding="utf-8",
        )
        where = "roster.yaml:7: record 2: "
    else:
        roster = tmp_path / "roster.csv"
        roster.write_text(
            "name,patient_id,date,exercises\n"
            "Ann Lee,1,2026-11-23,stretching\n"
            "Bo Kim,2,2026-11-23,neck_nod(minutes=5)\n",
            encoding="utf-8",
        )
        where = "roster.csv: row 3: "
    result = CliRunner().invoke(main, ["batch", str(roster), "-o", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 1, result.output
    message = f"exercises[0].neck_nod.minutes: neck_nod does not take minutes; it takes {ROM}"
    assert where + message in result.stderr
    rows = list(csv.DictReader((tmp_path / "out" / "manifest.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [r["status"] for r in rows] == ["written", "failed"]
    assert message in rows[1]["error"]


def _content_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = (ROOT / "content.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "content.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    (tmp_path / "content.es.yaml").write_bytes((ROOT / "content.es.yaml").read_bytes())
    return path


def _line(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_check_refuses_a_declared_dose_field_that_does_not_exist(tmp_path: Path) -> None:
    declared = "    dose_fields: [repetitions, times_per_day, days_per_week, note]\n"
    path = _content_copy(tmp_path, declared, declared.replace("repetitions", "repetition"))
    done = _generate("check", "--content", path, cwd=tmp_path)
    assert done.returncode == 2, done.stdout
    line = _line(path, "dose_fields: [repetition,")
    assert (
        f"content.yaml:{line}: sections[4] (range_of_motion).dose_fields: 'repetition' is not a dose field; "
        "did you mean 'repetitions'?" in done.stderr
    )
    # Its moves' usual repetitions are then in a field they do not take: said too, at the dose's line.
    assert "(shoulder_raise).dose.repetitions: the usual dose gives repetitions, which shoulder_raise" in done.stderr


def test_check_refuses_a_usual_dose_the_move_does_not_take(tmp_path: Path) -> None:
    path = _content_copy(tmp_path, "    dose: {minutes: 10}\n", "    dose: {minutes: 10, hold_seconds: 30}\n")
    done = _generate("check", "--content", path, cwd=tmp_path)
    assert done.returncode == 2, done.stdout
    line = _line(path, "dose: {minutes: 10, hold_seconds: 30}")
    assert (
        f"content.yaml:{line}: sections[17] (walking).dose.hold_seconds: the usual dose gives hold_seconds, "
        f"which walking does not take (it takes {AEROBIC})" in done.stderr
    )


def test_check_refuses_dose_fields_on_a_device(tmp_path: Path) -> None:
    path = _content_copy(tmp_path, "    short_title: Cane\n", "    short_title: Cane\n    dose_fields: [minutes]\n")
    done = _generate("check", "--content", path, cwd=tmp_path)
    assert done.returncode == 2 and "only an exercise takes a dose" in done.stderr, done.stderr


def test_list_and_the_editor_schema_offer_only_the_fields_each_exercise_takes() -> None:
    from handouts.inputs.schema import patient_schema

    said = CliRunner().invoke(main, ["list"]).stdout
    assert "  range_of_motion    Moving your joints\n" in said and f"dose, all optional: {ROM}\n" in said
    assert "usual dose: minutes 15; dose: minutes, days_per_week, note" in said  # water exercise's own
    items = patient_schema(cached_content())["properties"]["exercises"]["items"]["anyOf"][1:]
    fields = {next(iter(i["properties"])): set(next(iter(i["properties"].values()))["properties"]) for i in items}
    assert fields["neck_nod"] == set(ROM.split(", "))  # done on your own only: no mode
    assert fields["walking"] == set(AEROBIC.split(", "))
