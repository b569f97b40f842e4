"""The FHIR commands through the real command line: handout, batch and fhir, in a process of their own."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import json
import subprocess
import sys
from pathlib import Path

from conftest import PATIENT_EXAMPLES, ROOT
from fhirdata import bulk_folder, bundle_from_yaml, many

from handouts.build import print_file


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(ROOT / "generate.py"), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=cwd)


def _hash_and_size(document: Path, pdf: Path) -> None:
    doc = json.loads(document.read_text(encoding="utf-8"))
    attachment = doc["content"][0]["attachment"]
    data = pdf.read_bytes()
    assert attachment["size"] == len(data) and attachment["url"] == pdf.name
    assert attachment["hash"] == base64.b64encode(hashlib.sha1(data).digest()).decode("ascii")
    assert doc["resourceType"] == "DocumentReference" and doc["status"] == "current"


def test_handout_prints_the_example_bundle_and_writes_its_document_reference(tmp_path: Path) -> None:
    result = run(
        "handout",
        ROOT / "examples" / "maria-lopez.fhir.json",
        "-o",
        tmp_path / "maria.pdf",
        "--fhir-out",
        tmp_path / "fhir",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [str(tmp_path / "maria.pdf"), str(tmp_path / "fhir" / "maria.json")]
    _hash_and_size(tmp_path / "fhir" / "maria.json", tmp_path / "maria.pdf")
    subject = json.loads((tmp_path / "fhir" / "maria.json").read_text(encoding="utf-8"))["subject"]
    assert subject == {"reference": "Patient/004211-patient", "display": "Maria Lopez"}


def test_a_patient_file_written_in_json_gets_its_document_reference_by_identifier(tmp_path: Path) -> None:
    """A .json patient file is no Bundle: its DocumentReference names the patient by the MR identifier."""
    patient = tmp_path / "maria.json"
    patient.write_text(
        json.dumps({"name": "Maria Lopez", "patient_id": "004211", "date": "2026-11-23", "exercises": ["walking"]}),
        encoding="utf-8",
    )
    result = run("handout", patient, "-o", tmp_path / "maria.pdf", "--fhir-out", tmp_path / "fhir")
    assert result.returncode == 0, result.stderr
    _hash_and_size(tmp_path / "fhir" / "maria.json", tmp_path / "maria.pdf")
    subject = json.loads((tmp_path / "fhir" / "maria.json").read_text(encoding="utf-8"))["subject"]
    assert subject["identifier"]["value"] == "004211" and "reference" not in subject


def test_handout_says_a_bad_bundle_at_its_path_and_writes_nothing(tmp_path: Path) -> None:
    bundle = json.loads((ROOT / "examples" / "maria-lopez.fhir.json").read_text(encoding="utf-8"))
    for entry in bundle["entry"]:
        if entry["resource"]["resourceType"] == "ServiceRequest":
            entry["resource"]["occurrenceTiming"] = {"repeat": {"frequency": 2, "period": 1, "periodUnit": "mo"}}
            break
    (tmp_path / "bad.json").write_text(json.dumps(bundle), encoding="utf-8")
    result = run("handout", tmp_path / "bad.json", "-o", tmp_path / "x.pdf")
    assert result.returncode == 2
    assert '.occurrenceTiming.repeat.periodUnit: "mo" is not a period a home plan uses' in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "x.pdf").exists()


def test_batch_prints_a_bulk_data_folder_with_document_references(tmp_path: Path) -> None:
    export = bulk_folder(many([bundle_from_yaml(p) for p in PATIENT_EXAMPLES]), tmp_path / "export")
    result = run("batch", export, "-o", tmp_path / "out", "-j", "2", "--fhir-out", tmp_path / "fhir")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader((tmp_path / "out" / "manifest.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [r["status"] for r in rows] == ["written"] * len(PATIENT_EXAMPLES)
    today = dt.date.today()
    for row, example in zip(rows, PATIENT_EXAMPLES, strict=True):
        pdf = tmp_path / "out" / row["file"]
        assert pdf.read_bytes() == print_file(example, today=today).pdf  # the same handout as from its YAML
        _hash_and_size(tmp_path / "fhir" / row["fhir_document"], pdf)


def test_fhir_converts_a_patient_file_to_a_bundle_and_back(tmp_path: Path) -> None:
    example = ROOT / "examples" / "lee-chen-moves.yaml"
    assert run("fhir", example, "-o", tmp_path / "lee.json").returncode == 0
    back = run("fhir", tmp_path / "lee.json")
    assert back.returncode == 0, back.stderr
    (tmp_path / "lee.yaml").write_text(back.stdout, encoding="utf-8")
    day = dt.date(2026, 11, 23)
    assert print_file(tmp_path / "lee.yaml", today=day).pdf == print_file(example, today=day).pdf
    refused = run("fhir", ROOT / "tests" / "fixtures" / "no-such.yaml")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
