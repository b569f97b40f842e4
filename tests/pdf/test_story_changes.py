"""What changed, read back from the printed PDF: the marks before each line of "Your plan at a glance"
(words at body size, tagged text), what stopped, and each section's sentences, in both languages; the
PDF stays tagged (PDF/UA checker, structure) and sound (qpdf). On the real command line: another
patient's previous handout, or a newer one, is refused and nothing is written."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from changes_pair import NEW_PLAN, OLD, SAID
from conftest import ROOT
from pdfcheck import first_page_text, page_runs, reading_text
from test_tagging import Read, _decode, _tree

from handouts.build import print_file
from handouts.handout.words import words
from handouts.inputs.content import cached_content
from handouts.inputs.translation import translated

CMD = [sys.executable, str(ROOT / "generate.py"), "handout"]


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("changes")
    (folder / "old.yaml").write_text(OLD, encoding="utf-8")
    (folder / "new.yaml").write_text(NEW_PLAN, encoding="utf-8")
    (folder / "old.pdf").write_bytes(print_file(folder / "old.yaml").pdf)
    return folder


@pytest.mark.parametrize("language", ["en", "es"])
def test_marks_and_sentences_read_back_from_the_pdf(pair: Path, language: str) -> None:
    printed = print_file(pair / "new.yaml", language=language, previous=pair / "old.pdf")
    w, content = words(language), translated(cached_content(), language)
    page1 = first_page_text(printed.pdf)
    new, changed = w("mark_new"), w("mark_changed")
    for item, mark in [("ankle_pump", changed), ("shoulder_raise", new), ("walker", new), ("neck_brace", new)]:
        assert f"{mark} – {content.section(item).title}:" in page1, item
    stopped = ", ".join(content.section(i).title for i in ("walking", "quad_cane"))
    assert f"{w('no_longer')}: {stopped}" in page1
    assert w("marked_since", date=w.date(__import__("datetime").date(2026, 11, 23))) in page1
    text = reading_text(printed.pdf)
    for sentences in SAID[language].values():
        assert f"{w('what_changed')}: {' '.join(sentences)}" in text
    assert (w("language_now") in text) == (language == "es")
    # The mark is a word at the body's size, in bold: never a colour alone.
    body = printed.layout.body.size
    marks = [r for r in page_runs(printed.pdf)[0] if r.text.strip() in (f"{new} –", f"{changed} –")]
    assert marks and all(abs(r.size - body) < 0.01 for r in marks)


def test_the_marked_handout_stays_tagged_and_sound(pair: Path, tmp_path: Path) -> None:
    from pdfua import validate

    printed = print_file(pair / "new.yaml", previous=pair / "old.pdf")
    path = tmp_path / "new.pdf"
    path.write_bytes(printed.pdf)
    read = _decode(Read(printed, path, pikepdf.open(path)))
    assert not read.unmarked and not read.problems
    doc = _tree(read)
    glance = next(e for e in doc.kids if e.role == "L" and "Changed –" in e.text(read))
    items = [li.text(read) for li in glance.kids]
    assert items[0].startswith("Changed – Ankle: point your foot up and down:")
    assert items[3].startswith("New – Shoulder: raise your arm in front:")
    assert [f.rule_id for f in validate(str(path)).findings] == []
    if shutil.which("qpdf"):
        done = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout


def test_the_command_line_refuses_another_patients_or_a_newer_previous_handout(pair: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(OLD.replace('"004211"', '"004299"'), encoding="utf-8")
    (tmp_path / "other.pdf").write_bytes(print_file(other).pdf)
    out = tmp_path / "never.pdf"
    done = subprocess.run(
        [*CMD, str(pair / "new.yaml"), "--previous", str(tmp_path / "other.pdf"), "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and not out.exists()
    assert done.stderr.strip() == (
        f"{tmp_path / 'other.pdf'}: previous: is not this patient's previous handout: the patient_id differs "
        "(it has 004299; this one has 004211); give this patient's own"
    )
    (tmp_path / "new.pdf").write_bytes(print_file(pair / "new.yaml").pdf)
    done = subprocess.run(
        [*CMD, str(pair / "old.yaml"), "--previous", str(tmp_path / "new.pdf"), "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and not out.exists()
    assert "is dated 2027-02-10, after this handout (2026-11-23)" in done.stderr


def test_the_command_line_prints_what_changed(pair: Path, tmp_path: Path) -> None:
    out = tmp_path / "new.pdf"
    done = subprocess.run(
        [*CMD, str(pair / "new.yaml"), "--previous", str(pair / "old.pdf"), "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "Changed – Ankle" in first_page_text(out.read_bytes())
