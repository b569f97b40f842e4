"""FHIR R4 in: a Bundle with one patient for `handout`, a Bundle of many or a Bulk Data folder for `batch`.

Each Patient and the resources its plan references become the plain dict a patient file gives (trace.py),
which then goes through the same checks and prints the same handout. What the FHIR side gets wrong (a
missing reference, an unknown code, a second active CarePlan, a Patient with no plan) is a problem naming
the resource, its id and the FHIR path, said together with whatever the plan's checks find.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handouts.errors import HandoutError, Problem
from handouts.fhir.mapping import patient_fields, plan_fields
from handouts.fhir.requests import HasMode, device, exercise
from handouts.fhir.resolve import BundleSource, Source, checked, follow, subject_key
from handouts.fhir.trace import Trace, origin
from handouts.inputs.content import Content
from handouts.inputs.plan import Plan
from handouts.inputs.roster import Record
from handouts.inputs.textfile import read_bytes

MAX_BUNDLE_BYTES = 200_000_000
"""A Bundle is read whole; a bigger export comes as a Bulk Data folder, read a line at a time."""
BUNDLE_TYPES = ("collection", "transaction", "searchset")
Resource = dict[str, Any]


def has_mode_of(content: Content) -> HasMode:
    with_modes = {s.id for s in content.sections if "mode" in s.options}
    return with_modes.__contains__


def assemble(source: Source, patient: Resource, file: str, has_mode: HasMode) -> Trace:
    """One Patient and its plan, as a patient file's dict with origins; FHIR-side problems in trace.problems."""
    trace = Trace(file)
    reference = getattr(source, "reference_of", lambda p: f"Patient/{p.get('id')}")(patient)
    trace.subject = reference
    if not checked(trace, patient):
        return trace
    patient_fields(trace, patient)
    plans = [p for p in source.plans_of(patient) if p.get("status") == "active" and p.get("intent") == "plan"]
    if not plans:
        trace.wrong(
            origin(patient),
            "has no plan: no CarePlan with status active and intent plan names this Patient as its subject",
        )
        return trace
    if len(plans) > 1:
        trace.wrong(
            origin(plans[1]),
            f"is a second active CarePlan of {origin(patient)} (the first is {origin(plans[0])}); "
            "mark the one that is over as completed or revoked",
        )
        return trace
    if checked(trace, plans[0]):
        plan_fields(trace, plans[0], source.resolve)
        _activities(trace, source, plans[0], patient, has_mode)
    return trace


def _activities(trace: Trace, source: Source, plan: Resource, patient: Resource, has_mode: HasMode) -> None:
    exercises: list[Any] = []
    devices: list[Any] = []
    hands: list[tuple[str, str]] = []

    def kind_of(ref: str) -> str:
        found = source.resolve(ref)
        return str(found.get("resourceType")) if found else (ref.split("/")[-2] if ref.count("/") else "")

    for i, activity in enumerate(plan.get("activity", [])):
        path = f".activity[{i}]"
        if "detail" in activity:
            trace.wrong(origin(plan, f"{path}.detail"), "write the activity as a ServiceRequest or DeviceRequest")
            continue
        request = follow(trace, plan, f"{path}.reference", activity.get("reference"), source.resolve, _REQUESTS)
        if request is None or not _for_patient(trace, request, source, patient):
            continue
        if request["resourceType"] == "ServiceRequest":
            item = exercise(trace, request, len(exercises), has_mode, kind_of)
            exercises += [item] if item is not None else []
            continue
        item, hand = device(trace, request, len(devices))
        devices += [item] if item is not None else []
        if hand:
            hands.append((hand, origin(request, ".parameter")))
    trace.put("exercises", exercises, origin(plan, ".activity"))
    trace.put("devices", devices, origin(plan, ".activity"))
    _stronger_side(trace, hands)


_REQUESTS = ("ServiceRequest", "DeviceRequest")


def _for_patient(trace: Trace, request: Resource, source: Source, patient: Resource) -> bool:
    """An active order of this patient: never another patient's exercise on this one's handout."""
    if request.get("status") != "active":
        trace.wrong(
            origin(request, ".status"),
            f'is "{request.get("status")}": a handout prints active orders only; '
            "mark it active, or take it out of the CarePlan's activities",
        )
        return False
    subject = source.resolve((request.get("subject") or {}).get("reference") or "")
    if subject is not patient and subject_key(request) != f"Patient/{patient.get('id')}":
        trace.wrong(origin(request, ".subject"), f"is {subject_key(request) or 'empty'}, not {origin(patient)}")
        return False
    return True


def _stronger_side(trace: Trace, hands: list[tuple[str, str]]) -> None:
    for hand, where in hands:
        said = trace.data.get("stronger_side")
        if said is None:
            trace.put("stronger_side", hand, where)
        elif said != hand:
            trace.wrong(where, f'the cane is held in the {hand} hand, but the plan says the stronger side is "{said}"')


# --- one Bundle -----------------------------------------------------------------------------------


def is_fhir(path: Path) -> bool:
    """A .json file is FHIR unless it is a JSON object without a resourceType: a patient file written in
    JSON (which YAML reads too) is still printed as one."""
    if path.suffix.lower() != ".json":
        return False
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return True  # said by load_bundle, in FHIR's words
    return not (isinstance(data, dict) and "resourceType" not in data)


def load_bundle(path: Path) -> list[dict[str, Any]]:
    """A Bundle's entries; a problem naming the file when it is no Bundle of a type we read."""
    shown = str(path)
    data = read_bytes(path, "FHIR Bundle", MAX_BUNDLE_BYTES)
    try:
        bundle = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line = exc.lineno if isinstance(exc, json.JSONDecodeError) else None
        raise HandoutError(Problem(shown, f"not valid JSON: {exc}", line)) from None
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise HandoutError(Problem(shown, "a FHIR plan is a Bundle (resourceType: Bundle)", None, "resourceType"))
    if bundle.get("type") not in BUNDLE_TYPES:
        raise HandoutError(
            Problem(shown, f'"{bundle.get("type")}" is not read here: {", ".join(BUNDLE_TYPES)}', None, "Bundle.type")
        )
    entries = bundle.get("entry", [])
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


def one_patient(path: Path, entries: list[dict[str, Any]], has_mode: HasMode) -> Trace:
    """The Trace of a Bundle's only Patient; a problem when it holds none or many."""
    source = BundleSource(entries)
    patients = list(source.patients())
    if len(patients) != 1:
        said = "no Patient" if not patients else f"{len(patients)} patients"
        raise HandoutError(
            Problem(str(path), f"holds {said}; one patient at a time here (many: python generate.py batch)")
        )
    return assemble(source, patients[0], str(path), has_mode)


def read_plan(path: Path, content: Content, layout_name: str | None, folder: Path) -> Plan:
    """The one patient of a Bundle, checked as a patient file is: every problem at once."""
    from dataclasses import replace

    from handouts.build import check_record

    trace = one_patient(path, load_bundle(path), has_mode_of(content))
    try:
        plan, _ = check_record(trace.located(), content, layout_name, None, folder)
    except HandoutError as exc:
        raise HandoutError([*trace.problems, *map(trace.said, exc.problems)]) from None
    if trace.problems:
        raise HandoutError(trace.problems)
    # Lines of the dict are indexes of origins, not lines of the file: a later warning names the field only.
    exercises = tuple(replace(sel, line=None) for sel in plan.exercises)
    return replace(plan, lines={}, exercises=exercises, devices=tuple(replace(sel, line=None) for sel in plan.devices))


# --- many patients, for batch ---------------------------------------------------------------------


@dataclass
class FhirRecord(Record):
    """A patient of a Bundle or Bulk Data folder, said by its Patient reference, problems at FHIR paths."""

    trace: Trace | None = None

    @property
    def label(self) -> str:
        return f"record {self.row} ({self.trace.subject if self.trace else '?'})"

    def explain(self, problem: Problem) -> str:
        said = self.trace.said(problem) if self.trace else problem
        what = f"{said.field}: " if said.field else ""
        return f"{self.located.file}: {self.label}: {what}{said.message}"


@dataclass
class FhirRoster:
    """Patients of a Bundle (read whole) or of a Bulk Data folder (read a line at a time)."""

    path: Path
    source: Source
    count: int
    content: Content | None = None

    def __iter__(self) -> Iterator[Record]:
        from handouts.inputs.content import cached_content

        has_mode = has_mode_of(self.content or cached_content(None))
        for row, patient in enumerate(self.source.patients(), start=1):
            trace = assemble(self.source, patient, str(self.path), has_mode)
            yield FhirRecord(trace.located(), row, None, False, list(trace.problems), trace)


def open_fhir(path: Path, content: Content | None = None) -> FhirRoster:
    """A Bundle (.json) or a Bulk Data folder (Patient.ndjson and the rest)."""
    if path.is_dir():
        from handouts.fhir.bulk import BulkSource

        bulk = BulkSource(path)
        return FhirRoster(path, bulk, bulk.count, content)
    source = BundleSource(load_bundle(path))
    count = len(source.order)
    if count == 0:
        raise HandoutError(Problem(str(path), "has no patients in it (no Patient resource)"))
    return FhirRoster(path, source, count, content)
