"""A folder of handouts as a roster: each PDF's own patient file is a record; one that can't be read
fails alone, named, while the others print."""

from __future__ import annotations

from pathlib import Path

import pikepdf
from conftest import PATIENT_EXAMPLES
from test_batch import batch, manifest

from handouts.build import print_file


def test_a_folder_of_handouts_prints_again_to_the_same_bytes(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    firsts = {}
    for example in PATIENT_EXAMPLES:
        printed = print_file(example)
        (folder / f"{example.stem}.pdf").write_bytes(printed.pdf)
        firsts[printed.handout.name] = printed.pdf
    (folder / "notes.txt").write_text("not a handout", encoding="utf-8")
    code, _, err = batch(folder, "-o", tmp_path / "out", "-q", "-j", "1")
    assert code == 0, err
    rows = manifest(tmp_path / "out")
    assert len(rows) == len(PATIENT_EXAMPLES)
    for row in rows:
        assert (tmp_path / "out" / row["file"]).read_bytes() == firsts[row["name"]]


def test_a_bad_pdf_in_the_folder_fails_alone_and_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    good = print_file(PATIENT_EXAMPLES[0]).pdf
    (folder / "a-good.pdf").write_bytes(good)
    (folder / "b-cut.pdf").write_bytes(good[:5000])
    with pikepdf.open(folder / "a-good.pdf") as pdf:
        stream = pdf.Root.AF[0].EF.F
        stream.write(stream.read_bytes().replace(b"name: ", b"name: X"))
        pdf.save(folder / "c-edited.pdf")
    code, _, err = batch(folder, "-o", tmp_path / "out", "-q", "-j", "1")
    assert code == 1
    rows = manifest(tmp_path / "out")
    assert [r["status"] for r in rows] == ["written", "failed", "failed"]
    cut = f"{folder / 'b-cut.pdf'}: record 2: is cut short (truncated: its end is missing)"
    assert rows[1]["error"] == cut + "; copy the whole handout again"
    assert rows[2]["error"].startswith(f"{folder / 'c-edited.pdf'}: record 3: its patient file was changed")
    assert f"{folder / 'b-cut.pdf'}: record 2: is cut short" in err


def test_a_folder_with_no_handouts_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = batch(tmp_path / "empty", "-o", tmp_path / "out")
    assert code == 2
    assert "is a folder with no handouts (.pdf) in it" in err
