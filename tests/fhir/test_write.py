"""FHIR out: the Bundle a patient file converts to, back again; the DocumentReference; our CodeSystem."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from conftest import PATIENT_EXAMPLES, ROOT
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.documentreference import DocumentReference
from fhirdata import same_plan

from handouts.build import load_checked, print_file
from handouts.fhir import codes
from handouts.fhir.convert import convert
from handouts.fhir.write import document_reference, subject_for
from handouts.home import Home
from handouts.inputs.content import cached_content
from handouts.inputs.yamlsource import load_yaml


@pytest.mark.parametrize("example", PATIENT_EXAMPLES, ids=[p.stem for p in PATIENT_EXAMPLES])
def test_patient_file_to_bundle_to_patient_file_is_the_same_plan(example: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "plan.json"
    bundle.write_text(convert(example, Home()), encoding="utf-8")
    again = tmp_path / "again.yaml"
    again.write_text(convert(bundle, Home()), encoding="utf-8")
    content = cached_content(None)
    assert same_plan(load_checked(example, content), load_checked(again, content))
    written = {k: v.strip() for k, v in load_yaml(example, "patient").data.items() if isinstance(v, str)}
    assert {k: load_yaml(again, "patient").data[k] for k in written} == written  # every field, as written
    # and a second trip changes nothing at all
    bundle.write_text(convert(again, Home()), encoding="utf-8")
    assert convert(bundle, Home()) == again.read_text(encoding="utf-8")


def test_the_example_bundle_is_what_maria_lopez_converts_to_and_prints_her_handout() -> None:
    example = ROOT / "examples" / "maria-lopez.fhir.json"
    assert example.read_text(encoding="utf-8") == convert(ROOT / "examples" / "maria-lopez.yaml", Home())
    today = dt.date(2026, 11, 23)
    assert print_file(example, today=today).pdf == print_file(ROOT / "examples" / "maria-lopez.yaml", today=today).pdf


def test_a_document_reference_carries_the_pdf_hash_and_size_as_fhir_r4_wants() -> None:
    pdf = b"%PDF-1.4 a handout"
    doc = document_reference(pdf, subject_for("Patient/p-1", "Maria Lopez", "004211"), "x.pdf", dt.date(2026, 11, 23))
    model = DocumentReference.model_validate(doc)
    attachment = model.content[0].attachment
    assert attachment.contentType == "application/pdf" and attachment.size == len(pdf)
    assert attachment.hash == hashlib.sha1(pdf).digest()  # the model decodes base64Binary
    assert doc["content"][0]["attachment"]["hash"] == base64.b64encode(hashlib.sha1(pdf).digest()).decode()
    assert model.status == "current" and model.subject.reference == "Patient/p-1"
    assert (model.type.coding[0].system, model.type.coding[0].code) == ("http://loinc.org", "69730-0")


def test_the_shipped_codesystem_is_what_the_content_makes_and_names_every_move() -> None:
    content = cached_content(None)
    shipped = codes.shipped_codesystem()
    assert shipped == codes.codesystem(content), "run: python -m handouts.fhir.codes > handouts/fhir/codesystem.json"
    CodeSystem.model_validate(shipped)
    named = {c["code"] for c in shipped["concept"]}
    moves = {s.id for s in content.moves()}
    assert len(moves) == 30 and moves <= named
    assert {s.id for s in content.of_kind("exercise")} | {s.id for s in content.of_kind("device")} <= named
    assert {"active", "assisted", "passive", "wheels", "platform", "side", "hand", "left", "right", "both"} <= named
    assert shipped["url"] == codes.SYSTEM and shipped["count"] == len(shipped["concept"])


def test_every_snomed_code_says_where_it_was_confirmed() -> None:
    assert {d: c for d, (c, _, _) in codes.DEVICE_SNOMED.items()} == {
        "cane": "87405001",
        "walker": "266731002",
        "wheelchair": "58938008",
    }
    assert all(source for _, _, source in codes.DEVICE_SNOMED.values())


def test_a_bundle_written_for_a_plan_is_valid_fhir(tmp_path: Path) -> None:
    from fhir.resources.R4B.bundle import Bundle

    bundle = json.loads(convert(ROOT / "examples" / "lee-chen-moves.yaml", Home()))
    Bundle.model_validate(bundle)
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("ServiceRequest") == 6 and kinds.count("DeviceRequest") == 1
    assert kinds.count("Patient") == kinds.count("CarePlan") == kinds.count("RelatedPerson") == 1
