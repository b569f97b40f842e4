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
    assert "content: 15 sections, sound" in result.output


def test_check_fails_on_broken_content(tmp_path: Path) -> None:
    broken = tmp_path / "content.yaml"
    broken.write_text((ROOT / "content.yaml").read_text().replace("kind: avoid", "kind: exercise"))
    result = run("check", "--content", str(broken))
    assert result.exit_code == 2
    line = next(i for i, t in enumerate(broken.read_text().splitlines(), 1) if "id: strengthening" in t)
    assert f"content.yaml:{line}: sections[5]: an exercise needs how_often" in result.output
    assert "Traceback" not in result.output


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
    assert result.stdout.strip() == "2026-11-23_okafor-james_born-1958-09-14.pdf"
    assert "Born: September 14, 1958" in all_text((tmp_path / result.stdout.strip()).read_bytes())
    assert [p.name for p in tmp_path.iterdir()] == [result.stdout.strip()]  # no temporary file left behind


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


def test_a_duplicate_key_and_an_unknown_layout_are_reported_with_everything_else(tmp_path: Path) -> None:
    patient = tmp_path / "patient.yaml"
    patient.write_text(
        GOOD.replace("date: 2026-11-23", "date: 23/11/2026").replace("  - cane", "  - kane")
        + "name: Other Person\nlayout: extra_large\n"
    )
    result = run("handout", str(patient), "-o", str(tmp_path / "o.pdf"))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert [line.split(":")[1] for line in lines] == ["3", "8", "9", "10"]  # in the order of the file
    assert "'23/11/2026' is not a date" in lines[0] and "did you mean 'cane'" in lines[1]
    assert "'name' is given twice" in lines[2] and "did you mean 'extra-large'" in lines[3]


def test_a_missing_name_does_not_hide_the_identifier_or_a_birth_date_after_the_handout(tmp_path: Path) -> None:
    patient = tmp_path / "patient.yaml"
    patient.write_text("exercises: [stretching]\nbirth_date: 2030-01-01\ndate: 2026-11-23\n")
    result = run("handout", str(patient), "-o", str(tmp_path / "o.pdf"))
    assert "name: is required" in result.output
    assert "birth_date: is after the handout's date (2026-11-23)" in result.output
    patient.write_text("exercises: [stretching]\npatient_id: '  '\n")
    result = run("handout", str(patient), "-o", str(tmp_path / "o.pdf"))
    assert "patient_id: must not be empty" in result.output and "a second identifier is required" in result.output


def test_output_may_be_a_folder_and_paper_any_case(tmp_path: Path) -> None:
    result = run("handout", str(PATIENT_EXAMPLES[0]), "-o", str(tmp_path), "--paper", "A4")
    assert result.exit_code == 0, result.output
    written = Path(result.output.strip())
    assert written.parent == tmp_path and written.name.endswith(".pdf")
    from pdfcheck import reader

    assert float(reader(written.read_bytes()).pages[0].mediabox.height) == pytest.approx(841.89, abs=0.01)
