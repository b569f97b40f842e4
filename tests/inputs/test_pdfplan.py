"""A handout's PDF given where a patient file goes: read when it is one of ours and unchanged, refused
with the file named when it is another program's, cut short, damaged, or its plan was edited."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from conftest import PATIENT_EXAMPLES, ROOT
from reportlab.pdfgen.canvas import Canvas

from handouts.build import print_file
from handouts.errors import HandoutError
from handouts.inputs.pdfplan import read_plan_pdf

MARIA = ROOT / "examples" / "maria-lopez.yaml"


@pytest.fixture(scope="module")
def handout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdfplan") / "maria.pdf"
    path.write_bytes(print_file(MARIA).pdf)
    return path


def refusal(path: Path) -> str:
    with pytest.raises(HandoutError) as caught:
        print_file(path)
    assert all(p.file == str(path) for p in caught.value.problems), str(caught.value)
    return str(caught.value)


def edited(source: Path, target: Path, old: bytes, new: bytes) -> Path:
    """What a careless edit with a PDF tool does: the embedded file replaced, the rest saved as is."""
    with pikepdf.open(source) as pdf:
        stream = pdf.Root.AF[0].EF.F
        data = stream.read_bytes()
        assert old in data
        stream.write(data.replace(old, new))
        pdf.save(target)
    return target


def test_the_plan_reads_back_as_the_patient_file(handout: Path) -> None:
    located = read_plan_pdf(handout)
    assert located.data["name"] == "Maria Lopez" and located.data["patient_id"] == "004211"
    assert located.file == f"{handout} (its patient file)"
    assert located.line_of(("exercises", 0)) is not None  # errors in it point at its lines


def test_an_edited_dose_is_refused(handout: Path, tmp_path: Path) -> None:
    path = edited(handout, tmp_path / "edited.pdf", b"times_per_day: 2", b"times_per_day: 3")
    said = refusal(path)
    assert "its patient file was changed after the handout was printed" in said


def test_an_edit_that_also_fixes_the_checksum_is_refused(handout: Path, tmp_path: Path) -> None:
    """pikepdf's attachment API rewrites /Params (size, checksum): the /ID still tells."""
    with pikepdf.open(handout) as pdf:
        spec = pdf.Root.AF[0]
        data = spec.EF.F.read_bytes().replace(b"minutes: 15", b"minutes: 50")
        name = str(spec.UF)
        pdf.attachments[name] = pikepdf.AttachedFileSpec(pdf, data, filename=name, mime_type="application/yaml")
        pdf.Root.AF = pikepdf.Array([pdf.Root.Names.EmbeddedFiles.Names[1]])
        pdf.Root.AF[0].AFRelationship = pikepdf.Name.Source
        pdf.save(tmp_path / "rewritten.pdf")
    assert "was changed after the handout was printed" in refusal(tmp_path / "rewritten.pdf")


def test_a_pdf_from_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    canvas = Canvas(str(path))
    canvas.drawString(72, 720, "Dear Maria")
    canvas.save()
    assert "holds no patient file: it was not printed by this program" in refusal(path)


def test_a_handout_whose_plan_was_removed_is_refused(handout: Path, tmp_path: Path) -> None:
    with pikepdf.open(handout) as pdf:
        del pdf.Root.AF
        pdf.save(tmp_path / "stripped.pdf")
    assert "holds no patient file" in refusal(tmp_path / "stripped.pdf")


@pytest.mark.parametrize("keep", [0.3, 0.7, 0.999])
def test_a_truncated_handout_is_refused(handout: Path, tmp_path: Path, keep: float) -> None:
    raw = handout.read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(raw[: int(len(raw) * keep)])
    assert "is cut short (truncated" in refusal(path)


def test_damaged_or_not_a_pdf_is_refused(handout: Path, tmp_path: Path) -> None:
    path = tmp_path / "notes.pdf"
    path.write_bytes(b"name: Maria\n")
    assert "is not a PDF" in refusal(path)
    raw = bytearray(handout.read_bytes())
    with pikepdf.open(handout) as pdf:
        stream = pdf.Root.AF[0].EF.F
        packed = stream.read_raw_bytes()
    at = bytes(raw).index(packed)
    raw[at + 10 : at + 20] = b"\0" * 10  # the compressed plan damaged on disk
    path = tmp_path / "damaged.pdf"
    path.write_bytes(bytes(raw))
    said = refusal(path)
    assert "can't be read as a PDF" in said or "was changed after" in said


def test_the_command_line_reprints_a_handout_and_refuses_an_edited_one(handout: Path, tmp_path: Path) -> None:
    out = tmp_path / "again.pdf"
    cmd = [sys.executable, str(ROOT / "generate.py"), "handout"]
    done = subprocess.run([*cmd, str(handout), "-o", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == handout.read_bytes()
    bad = edited(handout, tmp_path / "bad.pdf", b"times_per_day: 2", b"times_per_day: 1")
    done = subprocess.run([*cmd, str(bad), "-o", str(tmp_path / "never.pdf")], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.startswith(f"{bad}: its patient file was changed") and "Traceback" not in done.stderr
    assert not (tmp_path / "never.pdf").exists()


def test_a_problem_in_the_embedded_plan_names_the_pdf_and_its_line(handout: Path, tmp_path: Path) -> None:
    """The plan's own problems (here a move the clinic's content no longer has) point into it."""
    content = tmp_path / "content.yaml"
    text = (ROOT / "content.yaml").read_text(encoding="utf-8")
    assert "id: ankle_pump" in text
    content.write_text(text.replace("id: ankle_pump", "id: ankle_pumps"), encoding="utf-8")
    from handouts.home import Home

    with pytest.raises(HandoutError) as caught:
        print_file(handout, home=Home(content=content))
    assert any(p.file == f"{handout} (its patient file)" and p.line for p in caught.value.problems)


def test_every_example_reads_back_to_its_own_plan(tmp_path: Path) -> None:
    from handouts.build import load_checked
    from handouts.inputs.content import cached_content

    content = cached_content()
    for example in PATIENT_EXAMPLES:
        path = tmp_path / f"{example.stem}.pdf"
        path.write_bytes(print_file(example).pdf)
        again, first = load_checked(path, content), load_checked(example, content)
        assert [(s.id, s.options, s.dose) for s in again.exercises] == [
            (s.id, s.options, s.dose) for s in first.exercises
        ]
        assert [(s.id, s.options, s.dose) for s in again.devices] == [(s.id, s.options, s.dose) for s in first.devices]
        assert again.patient.name == first.patient.name


def test_bytes_of_a_pdf_read_in_memory(handout: Path) -> None:
    from handouts.inputs.pdfplan import read_plan_bytes

    assert read_plan_bytes(handout.read_bytes(), "x.pdf").startswith(b"# The patient file")
    assert io.BytesIO  # the form reads uploads in memory, through read_plan_bytes
