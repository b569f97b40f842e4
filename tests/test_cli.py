"""The command line as a therapist uses it: one command, a PDF, or a clear error and nothing written."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import PATIENT_EXAMPLES, ROOT
from pdfcheck import all_text

from handouts.cli import main

GOOD = """\
name: Maria Lopez
patient_id: "004211"
date: 2026-11-23
stronger_side: left
exercises:
  - stretching
devices:
  - cane
"""


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


def test_handout_writes_the_default_name_in_the_current_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("handout", str(ROOT / "examples" / "maria-lopez.yaml"))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2026-11-23_lopez-maria_004211.pdf"
    pdf = (tmp_path / "2026-11-23_lopez-maria_004211.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and "Maria Lopez" in all_text(pdf)


def test_generate_py_is_the_same_command(tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    done = subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), "handout", str(PATIENT_EXAMPLES[0]), "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out) and out.read_bytes().startswith(b"%PDF")


def test_help_and_version() -> None:
    for command in ([], ["handout"], ["list"], ["check"]):
        result = run(*command, "--help")
        assert result.exit_code == 0 and "Example:" in result.output
    assert "0.1.0" in run("--version").output


def test_list_shows_every_choice_and_its_options() -> None:
    result = run("list")
    assert result.exit_code == 0
    for word in (
        "aerobic",
        "stretching",
        "range_of_motion",
        "cane",
        "quad_cane",
        "walker",
        "ankle_foot_brace",
        "neck_brace",
        "wheelchair",
        "mode: active | passive",
        "side: left | right | both",
        "wheels: true | false",
        "strengthening",
        "large-print",
    ):
        assert word in result.output


def test_check_passes_on_the_shipped_content_and_layouts() -> None:
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "content: 13 sections, sound" in result.output


def test_check_fails_on_broken_content(tmp_path: Path) -> None:
    broken = tmp_path / "content.yaml"
    broken.write_text((ROOT / "content.yaml").read_text().replace("kind: avoid", "kind: exercise"))
    result = run("check", "--content", str(broken))
    assert result.exit_code == 2
    line = broken.read_text().splitlines().index("  - id: strengthening") + 1
    assert f"content.yaml:{line}: sections[5]: an exercise needs how_often" in result.output
    assert "Traceback" not in result.output


BAD = {
    "unknown device": (
        GOOD.replace("  - cane", "  - kane"),
        8,
        "devices[0]",
        "'kane' is not a device; did you mean 'cane'?",
    ),
    "strengthening": (
        GOOD.replace("  - stretching", "  - strengthening"),
        6,
        "exercises[0]",
        "strengthening is not recommended for people with ALS",
    ),
    "cane without stronger side": (
        GOOD.replace("stronger_side: left\n", ""),
        7,
        "stronger_side",
        "say which side is stronger",
    ),
    "missing name": (GOOD.replace("name: Maria Lopez\n", ""), None, "name", "is required"),
    "no second identifier": (
        GOOD.replace('patient_id: "004211"\n', ""),
        None,
        "patient_id",
        "a second identifier is required",
    ),
    "bad side": (
        GOOD.replace("stronger_side: left", "stronger_side: middle"),
        4,
        "stronger_side",
        "'middle' is not allowed; use 'left' or 'right'",
    ),
    "bad date": (GOOD.replace("date: 2026-11-23", "date: 23/11/2026"), 3, "date", "is not a date"),
    "bad option": (
        GOOD.replace("  - stretching", "  - stretching: {minutes: lots}"),
        6,
        "exercises[0].stretching.minutes",
        "'lots' is not a whole number",
    ),
    "unknown key": (GOOD + "favourite_color: blue\n", 9, "favourite_color", "is not a known field"),
    "duplicate key": (GOOD + "name: Other Person\n", 9, "name", "'name' is given twice (first on line 1)"),
    "yaml syntax": (GOOD + "notes: [unclosed\n", 10, None, "not valid YAML"),
    "unknown layout": (GOOD + "layout: huge\n", 9, "layout", "there is no layout 'huge'"),
    "brace without side": (
        GOOD.replace("  - cane", "  - ankle_foot_brace"),
        8,
        "devices[0].ankle_foot_brace",
        "ankle_foot_brace needs 'side'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_refused_with_file_line_field_and_nothing_written(case: str, tmp_path: Path) -> None:
    text, line, field, message = BAD[case]
    patient = tmp_path / "patient.yaml"
    patient.write_text(text, encoding="utf-8")
    out = tmp_path / "out.pdf"
    result = run("handout", str(patient), "-o", str(out))
    assert result.exit_code == 2, result.output
    where = f"{patient}:{line}: " if line else f"{patient}: "
    expected = where + (f"{field}: " if field else "")
    assert expected in result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == [patient]


def test_every_problem_in_a_file_is_reported_at_once(tmp_path: Path) -> None:
    patient = tmp_path / "patient.yaml"
    patient.write_text(GOOD.replace("  - cane", "  - kane").replace("date: 2026-11-23", "date: soon"))
    result = run("handout", str(patient), "-o", str(tmp_path / "o.pdf"))
    assert result.exit_code == 2
    assert "did you mean 'cane'" in result.output and "'soon' is not a date" in result.output


def test_missing_patient_file(tmp_path: Path) -> None:
    result = run("handout", str(tmp_path / "nobody.yaml"), "-o", str(tmp_path / "o.pdf"))
    assert result.exit_code == 2
    assert "nobody.yaml: no such patient file" in result.output


def test_unknown_layout_option_lists_the_layouts(tmp_path: Path) -> None:
    result = run("handout", str(PATIENT_EXAMPLES[0]), "--layout", "huge", "-o", str(tmp_path / "o.pdf"))
    assert result.exit_code == 2 and "large-print" in result.output


def test_unwritable_output_is_a_clear_error(tmp_path: Path) -> None:
    result = run("handout", str(PATIENT_EXAMPLES[0]), "-o", str(tmp_path / "no" / "such" / "x.pdf"))
    assert result.exit_code == 2
    assert "does not exist" in result.output and "Traceback" not in result.output


def test_patient_text_is_printed_literally(tmp_path: Path) -> None:
    patient = tmp_path / "p.yaml"
    patient.write_text(
        textwrap.dedent(
            """\
            name: "Zoë <b>O'Brien</b> & Sons"
            patient_id: 0x1F
            date: 2026-11-23
            clinic: 'A &amp; B <font size=2>tiny</font>'
            notes: "Use \\"both\\" hands & rest. <br/> ]]> \\\\ done"
            """
        ),
        encoding="utf-8",
    )
    out = tmp_path / "o.pdf"
    result = run("handout", str(patient), "-o", str(out))
    assert result.exit_code == 0, result.output
    text = all_text(out.read_bytes())
    assert "Zoë <b>O'Brien</b> & Sons" in text
    assert "ID: 0x1F" in text
    assert "A &amp; B <font size=2>tiny</font>" in text
    assert 'Use "both" hands & rest. <br/> ]]> \\ done' in text


def test_default_name_uses_the_birth_date_when_there_is_no_id(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("handout", str(ROOT / "examples" / "james-okafor.yaml"))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2026-11-23_okafor-james_born-1958-09-14.pdf"
    assert "Born: September 14, 1958" in all_text((tmp_path / result.output.strip()).read_bytes())
    assert [p.name for p in tmp_path.iterdir()] == [result.output.strip()]  # no temporary file left behind


def test_missing_stronger_side_is_reported_beside_other_problems(tmp_path: Path) -> None:
    patient = tmp_path / "patient.yaml"
    patient.write_text(GOOD.replace("name: Maria Lopez\n", "").replace("stronger_side: left\n", ""))
    result = run("handout", str(patient), "-o", str(tmp_path / "o.pdf"))
    assert result.exit_code == 2
    assert "name: is required" in result.output and "say which side is stronger" in result.output


def _small_disk() -> None:
    """In the child: any file over 10 kB fails to write (EFBIG), as on a full disk."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (10_000, 10_000))


def test_a_full_disk_is_a_clear_error_and_leaves_no_partial_file(tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    done = subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), "handout", str(PATIENT_EXAMPLES[0]), "-o", str(out)],
        capture_output=True,
        text=True,
        preexec_fn=_small_disk,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == f"{out}: can't write the PDF: File too large"
    assert list(tmp_path.iterdir()) == []
