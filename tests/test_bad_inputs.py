"""Every kind of mistake a patient file can hold gets a clear answer from the real command line.

The corpus in tests/bad_inputs/ has one small file per mistake; expected.yaml says what the error must
name. Each runs through `handout` exactly as a user would: exit code 2, `FILE:LINE: FIELD: message`,
no PDF written, no traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from handouts.cli import main
from handouts.inputs import textfile

CORPUS = Path(__file__).parent / "bad_inputs"
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))


def run_handout(patient: Path, out: Path) -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(main, ["handout", str(patient), "-o", str(out)])
    return result.exit_code, result.output, result.exception


def assert_refused(code: int, output: str, exc: BaseException | None, out: Path) -> None:
    assert code == 2, output
    assert isinstance(exc, SystemExit), repr(exc)
    assert "Traceback" not in output
    assert not out.exists()
    assert list(out.parent.iterdir()) == [], "nothing, not even a temporary file, is left behind"


def test_every_corpus_file_has_an_expectation() -> None:
    files = {p.name for p in CORPUS.glob("*.yaml")} - {"expected.yaml"}
    assert files == set(EXPECTED)
    assert len(files) >= 40


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input_is_refused_clearly(name: str, tmp_path: Path) -> None:
    want = EXPECTED[name]
    patient = CORPUS / name
    out = tmp_path / "out" / "handout.pdf"
    out.parent.mkdir()
    code, output, exc = run_handout(patient, out)
    assert_refused(code, output, exc, out)
    where = str(patient) if want["line"] is None else f"{patient}:{want['line']}"
    prefix = f"{where}: {want['field']}: " if want["field"] else f"{where}: "
    lines = [ln for ln in output.splitlines() if ln.startswith(prefix)]
    assert lines, f"no line starts with {prefix!r}:\n{output}"
    assert any(want["message"] in ln[len(prefix) :] for ln in lines), output


def test_missing_file(tmp_path: Path) -> None:
    out = tmp_path / "out" / "h.pdf"
    out.parent.mkdir()
    code, output, exc = run_handout(tmp_path / "nobody.yaml", out)
    assert_refused(code, output, exc, out)
    assert f"{tmp_path / 'nobody.yaml'}: no such patient file" in output


def test_folder_instead_of_file(tmp_path: Path) -> None:
    out = tmp_path / "out" / "h.pdf"
    out.parent.mkdir()
    code, output, exc = run_handout(tmp_path, out)
    assert_refused(code, output, exc, out)
    assert "is a folder; give the patient file itself" in output


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("name: Ann Bo\npatient_id: '7'\nnotes: " + "x" * textfile.MAX_FILE_BYTES + "\n")
    out = tmp_path / "out" / "h.pdf"
    out.parent.mkdir()
    code, output, exc = run_handout(big, out)
    assert_refused(code, output, exc, out)
    assert f"a patient file may be at most {textfile.MAX_FILE_BYTES:,} bytes" in output


def test_output_folder_that_does_not_exist(tmp_path: Path) -> None:
    good = Path(__file__).parent.parent / "examples" / "maria-lopez.yaml"
    out = tmp_path / "missing" / "h.pdf"
    code, output, exc = run_handout(good, out)
    assert code == 2 and isinstance(exc, SystemExit)
    assert "does not exist; create it first" in output
    assert not out.parent.exists()


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_is_refused_at_once_not_read_forever(tmp_path: Path) -> None:
    # Before: the size check trusted stat (0 bytes for a device), and /dev/zero filled gigabytes of memory.
    out = tmp_path / "out" / "h.pdf"
    out.parent.mkdir()
    code, output, exc = run_handout(Path("/dev/zero"), out)
    assert_refused(code, output, exc, out)
    assert "/dev/zero: is not a file (a device, pipe or socket); give the patient file itself" in output
    good = Path(__file__).parent.parent / "examples" / "maria-lopez.yaml"
    result = CliRunner().invoke(main, ["handout", str(good), "--content", "/dev/zero", "-o", str(out)])
    assert result.exit_code == 2 and "/dev/zero: is not a file" in result.output
    assert not out.exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_with_no_writer_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "patient.yaml"
    os.mkfifo(fifo)
    out = tmp_path / "out" / "h.pdf"
    out.parent.mkdir()
    code, output, exc = run_handout(fifo, out)  # before: blocked forever opening the pipe
    assert_refused(code, output, exc, out)
    assert f"{fifo}: is not a file (a device, pipe or socket)" in output


def test_output_over_the_patient_file_is_refused(tmp_path: Path) -> None:
    patient = tmp_path / "ann.yaml"
    text = (Path(__file__).parent.parent / "examples" / "maria-lopez.yaml").read_text(encoding="utf-8")
    patient.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["handout", str(patient), "-o", str(patient)])
    assert result.exit_code == 2, result.output
    assert f"{patient}: is the patient file itself; give another name for the PDF" in result.output
    assert patient.read_text(encoding="utf-8") == text  # before: overwritten with the PDF
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ann.yaml"]


def test_a_120_letter_name_and_id_without_spaces_wrap_in_extra_large(tmp_path: Path) -> None:
    # Both are valid (at most 120 characters); before, extra-large crashed with a reportlab LayoutError.
    from pdfcheck import page_texts

    patient = tmp_path / "long.yaml"
    patient.write_text(
        f"name: {'W' * 120}\npatient_id: {'M' * 120}\ndate: 2026-11-23\nstronger_side: left\n"
        "exercises: [stretching, aerobic, range_of_motion]\ndevices: [cane, walker, wheelchair]\n",
        encoding="utf-8",
    )
    out = tmp_path / "h.pdf"
    result = CliRunner().invoke(main, ["handout", str(patient), "--layout", "extra-large", "-o", str(out)])
    assert result.exit_code == 0, result.output
    pages = page_texts(out.read_bytes())
    for page in pages:
        assert "".join(page.split()).startswith("W" * 120 + "ID:" + "M" * 120)
