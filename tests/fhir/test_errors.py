"""What a FHIR plan gets wrong is said at the resource, its id and the FHIR path; in a batch the others print."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import ROOT
from fhirdata import Resource, bulk_folder, bundle_from_yaml, changed, many, resource, write

from handouts.build import print_file
from handouts.cli import main
from handouts.errors import HandoutError

LEE = ROOT / "examples" / "lee-chen-moves.yaml"
MARIA = ROOT / "examples" / "maria-lopez.yaml"


def _drop(bundle: Resource, kind: str, index: int = 0) -> None:
    gone = resource(bundle, kind, index)
    bundle["entry"] = [e for e in bundle["entry"] if e["resource"] is not gone]


def missing_reference(bundle: Resource) -> None:
    _drop(bundle, "ServiceRequest", 2)


def cycle(bundle: Resource) -> None:
    """The role has no phone; the clinic's phone is looked for up its partOf chain, which goes round."""
    resource(bundle, "PractitionerRole").pop("telecom")
    clinic = resource(bundle, "Organization")
    parent = {"resourceType": "Organization", "id": clinic["id"] + "-parent", "name": "Health system"}
    parent["partOf"] = {"reference": f"Organization/{clinic['id']}"}
    clinic["partOf"] = {"reference": f"Organization/{parent['id']}"}
    bundle["entry"].append({"fullUrl": f"urn:uuid:{'0' * 8}-0000-4000-8000-{'0' * 12}", "resource": parent})


def unknown_code(bundle: Resource) -> None:
    coding = {"system": "http://clinic.example/codes", "code": "ROM-7"}
    resource(bundle, "ServiceRequest", 1)["code"] = {"coding": [coding]}


def second_plan(bundle: Resource) -> None:
    plan = dict(resource(bundle, "CarePlan"), id="second-plan")
    bundle["entry"].append({"fullUrl": "urn:uuid:00000000-0000-4000-8000-000000000002", "resource": plan})


def no_plan(bundle: Resource) -> None:
    _drop(bundle, "CarePlan")


def bad_period(bundle: Resource) -> None:
    resource(bundle, "ServiceRequest", 2)["occurrenceTiming"]["repeat"]["periodUnit"] = "mo"


def too_often(bundle: Resource) -> None:
    resource(bundle, "ServiceRequest", 2)["occurrenceTiming"]["repeat"]["frequency"] = 24


BAD: dict[str, tuple[Callable[[Resource], None], str]] = {
    "missing reference": (missing_reference, r"CarePlan/\S+ \.activity\[2\]\.reference: urn:uuid:\S+ is not there"),
    "cycle": (cycle, r"Organization/\S+ \.partOf: the references go round in a circle: Organization/"),
    "unknown code": (unknown_code, r"ServiceRequest/\S+-exercise-2 \.code\.coding: unknown code \(http://clinic"),
    "second CarePlan": (second_plan, r"CarePlan/second-plan: is a second active CarePlan of Patient/"),
    "no plan": (no_plan, r"Patient/\S+: has no plan"),
    "periodUnit": (
        bad_period,
        r'ServiceRequest/\S+-exercise-3 \.occurrenceTiming\.repeat\.periodUnit: "mo" is not a period a home plan uses',
    ),
    "dose out of range": (too_often, r"ServiceRequest/\S+-exercise-3 \.occurrenceTiming\.repeat\.frequency \(.*10"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_each_bad_plan_is_said_at_its_resource_and_path(case: str, tmp_path: Path) -> None:
    change, said = BAD[case]
    path = write(changed(bundle_from_yaml(LEE), change), tmp_path / "plan.json")
    with pytest.raises(HandoutError) as caught:
        print_file(path)
    assert caught.match(said), str(caught.value)
    assert not list(tmp_path.glob("*.pdf"))


def test_an_unknown_code_of_ours_gets_the_nearest_move(tmp_path: Path) -> None:
    def typo(bundle: Resource) -> None:
        resource(bundle, "ServiceRequest", 3)["code"]["coding"][0]["code"] = "ankle_pumps"

    path = write(changed(bundle_from_yaml(LEE), typo), tmp_path / "plan.json")
    with pytest.raises(HandoutError, match=r"ServiceRequest/\S+-exercise-4 \.code \(exercises\[3\]\): .*ankle_pump"):
        print_file(path)


def test_another_patients_order_is_refused(tmp_path: Path) -> None:
    lee, maria = bundle_from_yaml(LEE), bundle_from_yaml(MARIA)

    def mixed(bundle: Resource) -> None:
        resource(bundle, "ServiceRequest", 0)["subject"] = {"reference": "Patient/004211-patient"}
        bundle["entry"].append(next(e for e in maria["entry"] if e["resource"]["resourceType"] == "Patient"))

    path = write(changed(lee, mixed), tmp_path / "plan.json")
    result = CliRunner().invoke(main, ["batch", str(path), "-o", str(tmp_path / "out")])
    assert "exercise-1 .subject: is Patient/004211-patient, not Patient/005318-patient" in result.stderr


def _bad_and_good() -> tuple[Resource, list[str]]:
    """One good patient, then each bad case as a patient of its own, then another good one."""
    bundles, names = [bundle_from_yaml(MARIA, "good-1")], ["good-1"]
    for i, (change, _) in enumerate(BAD.values()):
        bundles.append(changed(bundle_from_yaml(LEE, f"bad-{i}"), change))
        names.append(f"bad-{i}")
    bundles.append(bundle_from_yaml(ROOT / "examples" / "ana-souza.yaml", "good-2"))
    return many(bundles), names + ["good-2"]


@pytest.mark.parametrize("form", ["bundle", "bulk"])
def test_in_a_batch_the_good_patients_print_and_each_bad_one_is_said(form: str, tmp_path: Path) -> None:
    bundle, _ = _bad_and_good()
    source = write(bundle, tmp_path / "all.json") if form == "bundle" else bulk_folder(bundle, tmp_path / "export")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(source), "-o", str(out), "-j", "1"])
    assert result.exit_code == 1, result.output
    rows = list(csv.DictReader((out / "manifest.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [r["status"] for r in rows] == ["written"] + ["failed"] * len(BAD) + ["written"]
    for row, (case, (_, said)) in zip(rows[1:-1], BAD.items(), strict=True):
        assert _search(said, row["error"]), (case, row["error"])
    assert sorted(p.name for p in out.glob("*.pdf")) == [rows[0]["file"], rows[-1]["file"]]


def _search(pattern: str, text: str) -> Any:
    import re

    return re.search(pattern, text)


def test_a_resource_that_is_not_valid_fhir_is_said_at_its_path(tmp_path: Path) -> None:
    bundle = bundle_from_yaml(LEE)
    resource(bundle, "ServiceRequest", 0)["quantityQuantity"]["value"] = "ten"  # the library would refuse it
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    with pytest.raises(
        HandoutError, match=r"ServiceRequest/\S+-exercise-1 \.quantityQuantity\.value: not valid FHIR R4"
    ):
        print_file(path)


@pytest.mark.parametrize(
    ("what", "said"),
    [
        ({"resourceType": "Bundle", "type": "document", "entry": []}, '"document" is not read here'),
        ({"resourceType": "Patient", "id": "p"}, "a FHIR plan is a Bundle"),
    ],
)
def test_a_json_file_that_is_no_bundle_we_read_is_refused(what: Resource, said: str, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(what), encoding="utf-8")
    with pytest.raises(HandoutError, match=said):
        print_file(path)


def test_a_bulk_folder_without_patients_is_refused(tmp_path: Path) -> None:
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "CarePlan.ndjson").write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", str(tmp_path / "export"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "needs Patient.ndjson" in result.stderr
