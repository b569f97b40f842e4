"""FHIR R4 out: a checked plan as a Bundle, a Bundle's patient as a patient file, a handout as a
DocumentReference. The writing half of the mapping in docs/fhir.md; read.py reads what this writes.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

import yaml

from handouts.fhir import codes
from handouts.inputs.content import Content
from handouts.inputs.patient import PATIENT_FIELDS
from handouts.inputs.plan import Plan
from handouts.inputs.selections import Selection
from handouts.output import slug

Resource = dict[str, Any]


def _full_url(kind: str, rid: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{codes.BASE}/{kind}/{rid}')}"


def _ours(code: str, display: str | None = None) -> dict[str, Any]:
    coding = {"system": codes.SYSTEM, "code": code}
    return {"coding": [coding | ({"display": display} if display else {})]}


def patient_key(plan: Plan) -> str:
    """A FHIR id for the patient, from the identifier or the name: [A-Za-z0-9-.]{1,64}."""
    return (slug(plan.patient.patient_id or plan.patient.name) or "patient")[:40]


class _Bundle:
    def __init__(self, key: str) -> None:
        self.key = key
        self.entries: list[dict[str, Any]] = []

    def add(self, kind: str, name: str, body: Resource) -> dict[str, str]:
        rid = f"{self.key}-{name}"
        self.entries.append({"fullUrl": _full_url(kind, rid), "resource": {"resourceType": kind, "id": rid, **body}})
        return {"reference": _full_url(kind, rid)}


def plan_bundle(plan: Plan, content: Content, key: str | None = None) -> dict[str, Any]:
    """The plan as a collection Bundle: Patient, CarePlan, its ServiceRequests and DeviceRequests, who wrote it."""
    bundle = _Bundle(key or patient_key(plan))
    subject = bundle.add("Patient", "patient", _patient(plan))
    author = _author(bundle, plan)
    helper = None
    if any(sel.options.get("mode") == "passive" for sel in plan.exercises):
        helper = bundle.add("RelatedPerson", "helper", {"patient": subject, "active": True})
    order = {"status": "active", "intent": "order", "subject": subject} | ({"requester": author} if author else {})
    activities = []
    for i, sel in enumerate(plan.exercises, start=1):
        body = _exercise(sel, content, subject, helper)
        activities.append({"reference": bundle.add("ServiceRequest", f"exercise-{i}", order | body)})
    for i, sel in enumerate(plan.devices, start=1):
        activities.append({"reference": bundle.add("DeviceRequest", f"device-{i}", order | _device(sel, plan))})
    care: Resource = {"status": "active", "intent": "plan", "subject": subject}
    care |= _plan_extensions(plan)
    if plan.patient.date:
        care["created"] = plan.patient.date.isoformat()
    if author:
        care["author"] = author
    if plan.patient.notes:
        care["note"] = [{"text": plan.patient.notes}]
    care["activity"] = activities
    bundle.add("CarePlan", "plan", care)
    return {"resourceType": "Bundle", "type": "collection", "entry": bundle.entries}


def _patient(plan: Plan) -> Resource:
    p = plan.patient
    body: Resource = {"name": [{"text": p.name}]}
    if p.patient_id:
        mr = {"coding": [{"system": codes.V2_0203, "code": "MR"}]}
        body["identifier"] = [{"type": mr, "value": p.patient_id}]
    if p.birth_date:
        body["birthDate"] = p.birth_date.isoformat()
    if p.language:
        body["communication"] = [
            {"language": {"coding": [{"system": codes.BCP47, "code": p.language}]}, "preferred": True}
        ]
    return body


def _author(bundle: _Bundle, plan: Plan) -> dict[str, str] | None:
    p = plan.patient
    if not (p.therapist or p.clinic or p.phone):
        return None
    role: Resource = {"active": True}
    if p.therapist:
        role["practitioner"] = bundle.add("Practitioner", "therapist", {"name": [{"text": p.therapist}]})
    if p.clinic:
        role["organization"] = bundle.add("Organization", "clinic", {"name": p.clinic})
    if p.phone:
        role["telecom"] = [{"system": "phone", "value": p.phone}]
    return bundle.add("PractitionerRole", "author", role)


def _plan_extensions(plan: Plan) -> Resource:
    p = plan.patient
    found: list[Resource] = []
    if p.layout:
        found.append({"url": codes.EXT_LAYOUT, "valueString": p.layout})
    if p.log_weeks != 1:
        found.append({"url": codes.EXT_LOG_WEEKS, "valueUnsignedInt": p.log_weeks})
    if not p.background:
        found.append({"url": codes.EXT_BACKGROUND, "valueBoolean": False})
    if p.stronger_side:
        found.append({"url": codes.EXT_STRONGER_SIDE, "valueCode": p.stronger_side})
    return {"extension": found} if found else {}


def _exercise(sel: Selection, content: Content, subject: dict[str, str], helper: dict[str, str] | None) -> Resource:
    section = content.section(sel.id)
    category = {
        "coding": [{"system": codes.SNOMED, "code": codes.PHYSICAL_THERAPY[0], "display": codes.PHYSICAL_THERAPY[1]}]
    }
    body: Resource = {"category": [category], "code": _ours(sel.id, section.title)}
    mode = sel.options.get("mode")
    body["performer"] = [helper if mode == "passive" and helper else subject]
    if mode == "assisted":
        body["orderDetail"] = [_ours("assisted", codes.MODE_TEXT["assisted"])]
    dose = sel.dose
    if dose is None:
        return body
    repeat = _repeat(dose.times_per_day, dose.days_per_week, dose.minutes)
    if repeat:
        body["occurrenceTiming"] = {"repeat": repeat}
    if dose.repetitions:
        body["quantityQuantity"] = {
            "value": dose.repetitions,
            "unit": "repetitions",
            "system": codes.UCUM,
            "code": codes.REPETITIONS_UNIT,
        }
    if dose.hold_seconds:
        hold = {"value": dose.hold_seconds, "unit": "s", "system": codes.UCUM, "code": "s"}
        body["extension"] = [{"url": codes.EXT_HOLD, "valueQuantity": hold}]
    if dose.note:
        body["patientInstruction"] = dose.note
    return body


def _repeat(times: int | None, days: int | None, minutes: int | None) -> Resource:
    repeat: Resource = {}
    if times:
        repeat |= {"frequency": times, "period": 1, "periodUnit": "d"}
        if days:
            repeat["extension"] = [{"url": codes.EXT_DAYS_PER_WEEK, "valueUnsignedInt": days}]
    elif days:
        repeat |= {"frequency": days, "period": 1, "periodUnit": "wk"}
    if minutes:
        repeat |= {"duration": minutes, "durationUnit": "min"}
    return repeat


def _device(sel: Selection, plan: Plan) -> Resource:
    code = _ours(sel.id)
    if sel.id in codes.DEVICE_SNOMED:
        snomed, display, _ = codes.DEVICE_SNOMED[sel.id]
        code["coding"].append({"system": codes.SNOMED, "code": snomed, "display": display})
    body: Resource = {"codeCodeableConcept": code}
    parameters = []
    for name, value in sel.options.items():
        if value in ("true", "false"):
            parameters.append({"code": _ours(name), "valueBoolean": value == "true"})
        else:
            parameters.append({"code": _ours(name), "valueCodeableConcept": _ours(value)})
    if sel.id in ("cane", "quad_cane") and plan.patient.stronger_side:
        parameters.append({"code": _ours("hand"), "valueCodeableConcept": _ours(plan.patient.stronger_side)})
    if parameters:
        body["parameter"] = parameters
    if sel.dose is not None and sel.dose.note:
        body["note"] = [{"text": sel.dose.note}]
    return body


def to_json(resource: Resource) -> bytes:
    return (json.dumps(resource, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def patient_yaml(data: dict[str, Any]) -> str:
    """A patient file from the plain dict a Bundle's patient gives: the fields in the usual order."""
    ordered = {key: data[key] for key in PATIENT_FIELDS if key in data and data[key] not in (None, [])}
    header = "# A patient file written from a FHIR Bundle (python generate.py fhir).\n"
    return header + yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=100)


def subject_for(reference: str | None, name: str, patient_id: str | None) -> dict[str, Any]:
    """The Patient a handout is about: its reference when it came from FHIR, else its MR identifier."""
    if reference:
        return {"reference": reference, "display": name}
    if patient_id:
        mr = {"coding": [{"system": codes.V2_0203, "code": "MR"}]}
        return {"identifier": {"type": mr, "value": patient_id}, "display": name}
    return {"display": name}


def write_document_reference(folder: Path, pdf: bytes, pdf_name: str, subject: dict[str, Any], when: dt.date) -> Path:
    """DIR/<handout>.json, written atomically beside nothing else; its attachment's url is the PDF's name."""
    from handouts.output import write_atomic

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (pdf_name.removesuffix(".pdf") + ".json")
    write_atomic(target, to_json(document_reference(pdf, subject, pdf_name, when)))
    return target


def document_reference(pdf: bytes, subject: dict[str, Any], file: str, when: dt.date) -> Resource:
    """The handout as a DocumentReference an EHR can take: the PDF's size and SHA-1 (base64, as FHIR R4 has it)."""
    title = f"Home exercise handout for {subject.get('display', '')}"
    digest = base64.b64encode(hashlib.sha1(pdf).digest()).decode("ascii")
    return {
        "resourceType": "DocumentReference",
        "id": slug(file.removesuffix(".pdf"))[:64] or "handout",
        "status": "current",
        "type": {
            "coding": [{"system": codes.LOINC, "code": codes.DOCUMENT_TYPE[0], "display": codes.DOCUMENT_TYPE[1]}]
        },
        "subject": subject,
        "date": dt.datetime.combine(when, dt.time(), dt.UTC).isoformat().replace("+00:00", "Z"),
        "description": title,
        "content": [
            {
                "attachment": {
                    "contentType": "application/pdf",
                    "url": file,
                    "size": len(pdf),
                    "hash": digest,
                    "title": title,
                }
            }
        ],
    }


def handout_document(folder: Path, source: Path, printed: Any, pdf_name: str) -> Path:
    """The `handout` command's DocumentReference: its subject the Bundle's Patient, or the file's MR."""
    from handouts.fhir.read import is_fhir, load_bundle

    reference = None
    if is_fhir(source):  # a Bundle's Patient; a patient file written in JSON has none
        from handouts.fhir.resolve import BundleSource

        bundle = BundleSource(load_bundle(source))
        reference = bundle.reference_of(bundle.order[0])
    handout = printed.handout
    subject = subject_for(reference, handout.name, handout.patient_id)
    return write_document_reference(folder, printed.pdf, pdf_name, subject, handout.date)


def batch_document(folder: Path, pdf_path: Path, when: dt.date, record: Any, outcome: Any) -> str:
    """A batch record's DocumentReference, from the handout on the disk; its file name for the manifest.

    Said in the manifest's error cell when it can't be written; the handout itself stands."""
    from handouts.errors import HandoutError

    trace = getattr(record, "trace", None)
    subject = subject_for(trace.subject if trace else None, outcome.name, outcome.patient_id or None)
    try:
        pdf = pdf_path.read_bytes()
        return write_document_reference(folder, pdf, pdf_path.name, subject, when).name
    except (OSError, HandoutError) as exc:
        outcome.error = f"the DocumentReference could not be written: {exc}"
        return ""
