"""Every handout carries its patient file: embedded, declared, small, and read back to the same PDF."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
import yaml
from conftest import PATIENT_EXAMPLES

from handouts.build import Printed, choose_layout, load_checked, print_file, print_plan
from handouts.inputs.content import cached_content
from handouts.inputs.patient import PATIENT_FIELDS
from handouts.pdf.render import render

CASES = [
    (p.stem, layout, lang) for p in PATIENT_EXAMPLES for layout, lang in (("large-print", "en"), ("extra-large", "es"))
]
_printed: dict[tuple[str, str, str], Printed] = {}


def printed(example: str, layout: str, language: str) -> Printed:
    key = (example, layout, language)
    if key not in _printed:
        path = next(p for p in PATIENT_EXAMPLES if p.stem == example)
        _printed[key] = print_file(path, layout, language=language)
    return _printed[key]


def embedded(pdf: bytes) -> tuple[pikepdf.Dictionary, bytes, bytes]:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        spec = doc.Root.AF[0]
        names = doc.Root.Names.EmbeddedFiles.Names
        assert str(names[0]) == str(spec.UF) and names[1].objgen == spec.objgen  # the name tree and /AF agree
        stream = spec.EF.F
        info = pikepdf.Dictionary(
            F=spec.F, UF=spec.UF, AFRelationship=spec.AFRelationship, Subtype=stream.Subtype, Params=stream.Params
        )
        return info, stream.read_bytes(), bytes(doc.trailer.ID[0])


@pytest.mark.parametrize(("example", "layout", "language"), CASES)
def test_printed_then_read_back_reprints_the_same_bytes(tmp_path: Path, example: str, layout: str, language: str):
    first = printed(example, layout, language)
    old = tmp_path / "old.pdf"
    old.write_bytes(first.pdf)
    again = print_file(old)  # no --layout, no --language: the PDF's own plan says them
    assert again.pdf == first.pdf


@pytest.mark.parametrize(("example", "layout", "language"), CASES)
def test_the_embedded_file_is_declared_as_the_source(example: str, layout: str, language: str):
    p = printed(example, layout, language)
    info, data, first_id = embedded(p.pdf)
    assert str(info.AFRelationship) == "/Source" and str(info.Subtype) == "/application/yaml"
    assert str(info.F) == str(info.UF) and str(info.UF).endswith(".yaml")
    assert int(info.Params.Size) == len(data)
    assert bytes(info.Params.CheckSum) == hashlib.md5(data).digest()
    assert str(info.Params.ModDate) == p.handout.date.strftime("D:%Y%m%d000000+00'00'")
    assert first_id == hashlib.sha256(data).digest()[:16]
    assert data == p.handout.plan_file


@pytest.mark.parametrize(("example", "layout", "language"), CASES)
def test_the_plan_holds_only_patient_file_fields_and_what_was_resolved(example: str, layout: str, language: str):
    p = printed(example, layout, language)
    plan = yaml.safe_load(p.handout.plan_file)
    assert set(plan) <= set(PATIENT_FIELDS)
    assert plan["date"] == p.handout.date and plan["layout"] == layout and plan["language"] == language
    source = yaml.safe_load(next(x for x in PATIENT_EXAMPLES if x.stem == example).read_text())
    for key in ("name", "therapist", "clinic", "phone", "notes"):  # as the patient file gave them, cleaned
        assert plan.get(key) == (source[key].strip() if key in source else None)
    assert plan.get("patient_id") == source.get("patient_id")
    assert plan.get("birth_date") == source.get("birth_date")


def test_a_stronger_side_nothing_uses_is_left_out(tmp_path: Path):
    """No cane, no assisted move, no side in any chosen section's words: the side is not part of what
    the handout prints, so its patient file leaves it out (and the reprint is still the same PDF)."""
    path = tmp_path / "p.yaml"
    path.write_text(
        "name: A B\npatient_id: '7'\ndate: 2026-11-23\nstronger_side: left\nexercises:\n  - walking\n", encoding="utf-8"
    )
    first = print_file(path)
    assert b"stronger_side" not in first.handout.plan_file
    (tmp_path / "a.pdf").write_bytes(first.pdf)
    assert print_file(tmp_path / "a.pdf").pdf == first.pdf
    path.write_text(path.read_text() + "devices:\n  - cane\n", encoding="utf-8")
    assert b"stronger_side: left" in print_file(path).handout.plan_file


@pytest.mark.parametrize(("example", "layout", "language"), CASES)
def test_the_plan_adds_under_3_kb(example: str, layout: str, language: str):
    p = printed(example, layout, language)
    bare = render(dataclasses.replace(p.handout, plan_file=b""), p.layout)
    added = len(p.pdf) - len(bare)
    print(f"{example} {layout} {language}: {added} bytes added, plan {len(p.handout.plan_file)} bytes")
    assert 0 < added < 3000


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="needs qpdf")
@pytest.mark.parametrize(("example", "layout", "language"), CASES[:2])
def test_qpdf_check_passes(tmp_path: Path, example: str, layout: str, language: str):
    path = tmp_path / "h.pdf"
    path.write_bytes(printed(example, layout, language).pdf)
    done = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_same_plan_same_bytes():
    path = PATIENT_EXAMPLES[0]
    content = cached_content()
    plan = load_checked(path, content)
    layout = choose_layout(plan, None)
    assert print_plan(plan, content, layout).pdf == print_plan(plan, content, layout).pdf
