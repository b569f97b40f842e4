"""FHIR Bundles in: every good patient prints the same PDF as the same plan from its patient file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from conftest import PATIENT_EXAMPLES, ROOT
from fhirdata import bundle_from_yaml, many, resource, same_plan, write

from handouts.build import load_checked, print_file
from handouts.errors import HandoutError
from handouts.fhir.read import read_plan
from handouts.inputs.content import cached_content
from handouts.inputs.dosefields import takes

TODAY = dt.date(2026, 11, 23)
DOSES = {"repetitions": 8, "hold_seconds": 20, "minutes": 12, "times_per_day": 2, "days_per_week": 4}


@pytest.mark.parametrize("example", PATIENT_EXAMPLES, ids=[p.stem for p in PATIENT_EXAMPLES])
def test_every_example_prints_the_same_pdf_from_a_bundle(example: Path, tmp_path: Path) -> None:
    bundle = write(bundle_from_yaml(example), tmp_path / "plan.json")
    from_yaml = print_file(example, today=TODAY)
    from_fhir = print_file(bundle, today=TODAY)
    assert from_fhir.pdf == from_yaml.pdf


def library_plans() -> list[dict[str, object]]:
    """Plans that between them choose every move in each of its modes with every dose field it takes,
    every device with each value of each option, in English and in Spanish."""
    content = cached_content(None)
    plans = []
    for k in range(3):
        exercises: list[object] = []
        for section in content.moves():
            options: dict[str, object] = {f: DOSES[f] for f in takes(section, content) if f in DOSES}
            options["note"] = f"Note {k} for {section.id}"
            if section.modes:
                options["mode"] = section.modes[k % len(section.modes)]
            exercises.append({section.id: options})
        devices: list[object] = [
            "cane" if k % 2 == 0 else "quad_cane",
            {"walker": {"wheels": k % 2 == 0, "platform": k % 2 == 1, "note": "Outside"}},
            {"ankle_foot_brace": {"side": ["left", "right", "both"][k]}},
            "neck_brace",
            "wheelchair",
        ]
        plans.append(
            {
                "name": ["Rosa Díaz", "Tom Ward", "Eva Núñez"][k],
                "patient_id": f"MRN-{k}",
                "birth_date": "1960-01-0" + str(k + 1),
                "date": "2026-11-23",
                "therapist": "Alex Kim, PT",
                "clinic": "Riverside Rehabilitation",
                "phone": "555-0100",
                "stronger_side": ["left", "right", "left"][k],
                "language": ["en", "es", "es"][k],
                "log_weeks": k,
                "background": k != 1,
                "notes": "Rest when you need to.\nCall us with questions.",
                "exercises": exercises,
                "devices": devices,
            }
        )
    # The kinds too, with and without a mode.
    plans.append(
        {
            "name": "Kim Ode",
            "birth_date": "1970-05-05",
            "exercises": [
                {"range_of_motion": {"mode": "passive", "repetitions": 5}},
                {"stretching": {"hold_seconds": 30, "days_per_week": 7}},
                {"aerobic": {"minutes": 20, "times_per_day": 1, "days_per_week": 3}},
            ],
        }
    )
    return plans


@pytest.fixture(scope="module")
def library_files(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("library")
    files = []
    for i, plan in enumerate(library_plans()):
        patient = folder / f"plan-{i}.yaml"
        patient.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
        files.append((patient, write(bundle_from_yaml(patient), folder / f"plan-{i}.json")))
    return files


def test_every_move_mode_device_and_option_reads_back_as_the_same_plan(library_files: list[tuple[Path, Path]]) -> None:
    content = cached_content(None)
    seen_modes, seen_options = set(), set()
    for patient, bundle in library_files:
        from_yaml = load_checked(patient, content)
        from_fhir = read_plan(bundle, content, None, ROOT / "layouts")
        assert same_plan(from_yaml, from_fhir)
        seen_modes |= {(s.id, s.options.get("mode")) for s in from_fhir.exercises}
        seen_options |= {(s.id, k, v) for s in from_fhir.devices for k, v in s.options.items()}
    every_mode = {(s.id, m) for s in content.moves() for m in s.modes or [None]}
    assert every_mode <= seen_modes
    every_option = {(s.id, k, v) for s in content.of_kind("device") for k, o in s.options.items() for v in o.choices}
    assert every_option <= seen_options
    assert {p.patient.language for p in [load_checked(b[0], content) for b in library_files]} >= {"en", "es"}


@pytest.mark.parametrize("index", [0, 1])
def test_a_long_plan_in_each_language_prints_the_same_pdf(library_files: list[tuple[Path, Path]], index: int) -> None:
    patient, bundle = library_files[index]
    assert print_file(bundle, today=TODAY).pdf == print_file(patient, today=TODAY).pdf


def test_a_bundle_of_two_patients_is_for_batch(tmp_path: Path) -> None:
    two = many([bundle_from_yaml(PATIENT_EXAMPLES[0]), bundle_from_yaml(PATIENT_EXAMPLES[1])])
    with pytest.raises(HandoutError, match="holds 2 patients.*batch"):
        print_file(write(two, tmp_path / "two.json"))


@pytest.mark.parametrize("kind", ["transaction", "searchset"])
def test_transaction_and_searchset_bundles_are_read(kind: str, tmp_path: Path) -> None:
    example = ROOT / "examples" / "maria-lopez.yaml"
    bundle = bundle_from_yaml(example)
    bundle["type"] = kind
    for entry in bundle["entry"]:
        if kind == "transaction":
            entry["request"] = {"method": "POST", "url": entry["resource"]["resourceType"]}
        else:
            entry["search"] = {"mode": "match" if entry["resource"]["resourceType"] == "Patient" else "include"}
    path = write(many([bundle], kind), tmp_path / "plan.json")
    assert print_file(path, today=TODAY).pdf == print_file(example, today=TODAY).pdf


def test_references_as_type_and_id_are_followed(tmp_path: Path) -> None:
    """An EHR's export writes `ServiceRequest/abc`, not the fullUrl: both point at the same resource."""
    bundle = bundle_from_yaml(ROOT / "examples" / "lee-chen-moves.yaml")
    text = write(bundle, tmp_path / "a.json").read_text(encoding="utf-8")
    for entry in bundle["entry"]:
        ref = f"{entry['resource']['resourceType']}/{entry['resource']['id']}"
        text = text.replace(f'"reference": "{entry["fullUrl"]}"', f'"reference": "{ref}"')
    assert "urn:uuid" in text and '"reference": "urn:uuid' not in text
    (tmp_path / "b.json").write_text(text, encoding="utf-8")
    assert print_file(tmp_path / "b.json", today=TODAY).pdf == print_file(tmp_path / "a.json", today=TODAY).pdf


def test_a_plan_without_the_extensions_reads_times_and_days_from_the_timing(tmp_path: Path) -> None:
    """dayOfWeek counts the days; frequency per week is days a week."""
    bundle = bundle_from_yaml(ROOT / "examples" / "lee-chen-moves.yaml")
    marching = resource(bundle, "ServiceRequest", 5)
    weekdays = ["mon", "tue", "wed", "thu", "fri"]
    marching["occurrenceTiming"]["repeat"] = {"dayOfWeek": weekdays, "duration": 5, "durationUnit": "min"}
    plan = read_plan(write(bundle, tmp_path / "p.json"), cached_content(None), None, ROOT / "layouts")
    dose = plan.exercises[5].dose
    assert dose is not None and (dose.days_per_week, dose.minutes) == (5, 5)


def test_a_patient_file_written_in_json_still_prints_as_one(tmp_path: Path) -> None:
    """YAML reads JSON: a .json patient file (no resourceType) printed before FHIR came, and still does."""
    import json

    example = ROOT / "examples" / "maria-lopez.yaml"
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    path = tmp_path / "maria.json"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    assert print_file(path, today=TODAY).pdf == print_file(example, today=TODAY).pdf
