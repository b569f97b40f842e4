"""YAML's traps never change what the therapist typed: `004211`, `no`, `~` and the like print as written.

PyYAML's own loaders would turn these into 4211, False or None; a patient identifier that changes is a
wrong handout. Each value goes in every free-text field, through the real command line, and must be
read back from the PDF exactly as typed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from pdfcheck import all_text, page_texts

from handouts.cli import main
from handouts.inputs.content import cached_content
from handouts.inputs.plan import load_plan

TRAPS = [
    "004211",
    "1e5",
    "0x1F",
    "0o17",
    "1_000",
    ".inf",
    "-.NaN",
    "+12",
    "12:30:00",
    "no",
    "yes",
    "off",
    "on",
    "null",
    "Null",
    "~",
    "true",
    "False",
    "2026-11-23",
    "2001-12-14t21:59:43.10-05:00",
]


@pytest.mark.parametrize("value", TRAPS)
def test_trap_values_print_as_typed_in_every_text_field(value: str, tmp_path: Path) -> None:
    patient = tmp_path / "p.yaml"
    patient.write_text(
        f"name: Ann {value}\npatient_id: {value}\ntherapist: {value}\nclinic: {value}\nphone: {value}\n"
        f"notes: {value}\nexercises:\n  - aerobic: {{note: {value}}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "h.pdf"
    result = CliRunner().invoke(main, ["handout", str(patient), "-o", str(out)])
    assert result.exit_code == 0, result.output
    pdf = out.read_bytes()
    assert page_texts(pdf)[0].startswith(f"Ann {value} ID: {value}")
    text = all_text(pdf)
    for label in ("Patient ID", "Your therapist", "Clinic", "Questions? Call", "Your therapist says"):
        assert f"{label}: {value}" in text
    assert f"Notes from your therapist {value}" in text


@pytest.mark.parametrize("value", ["004211", "no", "~", "null", "1e5"])
def test_quoted_and_unquoted_values_are_the_same(value: str, tmp_path: Path) -> None:
    plain, quoted = tmp_path / "plain.yaml", tmp_path / "quoted.yaml"
    plain.write_text(f"name: Ann Bo\npatient_id: {value}\n", encoding="utf-8")
    quoted.write_text(f"name: Ann Bo\npatient_id: '{value}'\n", encoding="utf-8")
    content = cached_content()
    assert load_plan(plain, content).patient.patient_id == load_plan(quoted, content).patient.patient_id == value


def test_an_empty_value_is_missing_not_the_text_none(tmp_path: Path) -> None:
    patient = tmp_path / "p.yaml"
    patient.write_text("name: Ann Bo\npatient_id:\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["handout", str(patient), "-o", str(tmp_path / "h.pdf")])
    assert result.exit_code == 2
    assert "a second identifier is required" in result.output


SLIPS = {
    "a tab": ("name: Ann Bo\npatient_id: '7'\nexercises:\n\t- stretching\n", 4),
    "a bad indent": ("name: Ann Bo\npatient_id: '7'\nexercises:\n  - stretching\n - aerobic\n", 5),
    "an open quote": ("name: Ann Bo\npatient_id: '7\nnotes: x\n", 4),
    "a missing colon": ("name: Ann Bo\npatient_id: '7'\nnotes\nclinic: X\n", 4),
}


@pytest.mark.parametrize("slip", sorted(SLIPS))
def test_the_same_slip_gets_the_same_words_in_a_roster_and_a_patient_file(slip: str, tmp_path: Path) -> None:
    # Before: a roster printed PyYAML's own words ("found a tab character that violates indentation").
    from handouts.errors import HandoutError
    from handouts.inputs.roster import open_roster

    text, line = SLIPS[slip]
    patient, roster = tmp_path / "p.yaml", tmp_path / "r.yaml"
    patient.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    roster.write_text("patients:\n" + "".join(f"    {ln}\n" if i else f"  - {ln}\n" for i, ln in enumerate(lines)))
    said = CliRunner().invoke(main, ["handout", str(patient), "-o", str(tmp_path / "h.pdf")]).output
    assert said.startswith(f"{patient}:{line}: not valid YAML: "), said
    with pytest.raises(HandoutError) as caught:
        open_roster(roster)
    in_roster = str(caught.value)
    assert in_roster.startswith(f"{roster}:{line + 1}: not valid YAML: "), in_roster
    message = said.split("not valid YAML: ", 1)[1].split(" (it starts on line")[0].strip()
    assert message in in_roster
    assert "found" not in in_roster and "scanning" not in in_roster
