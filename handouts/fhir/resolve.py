"""Finding resources by their references, and checking each against FHIR R4B before it is read.

A Bundle is indexed by fullUrl and by `Type/id`; a Bulk Data folder (bulk.py) by `Type/id`. Each resource
is checked with the fhir.resources R4B model the first time it is used: a wrong shape is a problem at
its FHIR path, and the resource is then not read further.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from functools import cache
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from handouts.fhir.trace import Trace, origin

Resource = dict[str, Any]

MODELS = {
    "Patient": "patient",
    "CarePlan": "careplan",
    "ServiceRequest": "servicerequest",
    "DeviceRequest": "devicerequest",
    "PractitionerRole": "practitionerrole",
    "Practitioner": "practitioner",
    "Organization": "organization",
    "RelatedPerson": "relatedperson",
}
"""The resource types the mapping reads, and their fhir.resources R4B modules."""


class Source(Protocol):
    def resolve(self, reference: str) -> Resource | None: ...

    def plans_of(self, patient: Resource) -> list[Resource]: ...

    def patients(self) -> Iterator[Resource]: ...


@cache
def _model(kind: str) -> type[BaseModel]:
    module = importlib.import_module(f"fhir.resources.R4B.{MODELS[kind]}")
    model: type[BaseModel] = getattr(module, kind)
    return model


SHARED = ("Practitioner", "PractitionerRole", "Organization")
"""Resources many patients' plans point at (the clinic, its therapists): checked once per process."""
_shared_errors: dict[str, list[tuple[str, str]]] = {}


def checked(trace: Trace, resource: Resource) -> bool:
    """True when the resource is valid FHIR R4B; each problem otherwise at its FHIR path."""
    kind = resource.get("resourceType")
    if kind not in MODELS:
        trace.wrong(origin(resource), f"a {kind} can't be part of a plan here ({', '.join(MODELS)})")
        return False
    key = f"{origin(resource)} {json.dumps(resource, sort_keys=True)}" if kind in SHARED else ""
    errors = _shared_errors.get(key) if key else None
    if errors is None:
        errors = _errors(str(kind), resource)
        if key and len(_shared_errors) < 10_000:
            _shared_errors[key] = errors
    for path, message in errors:
        trace.wrong(origin(resource, path), message)
    return not errors


def _errors(kind: str, resource: Resource) -> list[tuple[str, str]]:
    try:
        _model(kind).model_validate(resource)
    except ValidationError as exc:
        return [
            (
                "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"]),
                f"not valid FHIR R4: {err['msg']}",
            )
            for err in exc.errors()
        ]
    return []


def follow(
    trace: Trace, resource: Resource, path: str, reference: Any, resolve: Any, kinds: tuple[str, ...]
) -> Resource | None:
    """The resource a Reference points at, checked; a problem at `path` when it is missing or of the wrong type."""
    ref = reference.get("reference") if isinstance(reference, dict) else None
    if not ref:
        trace.wrong(origin(resource, path), "is empty; a plan's references point at resources")
        return None
    found = resolve(ref)
    if found is None:
        trace.wrong(origin(resource, path), f"{ref} is not there: no resource with that reference")
        return None
    if found.get("resourceType") not in kinds:
        trace.wrong(
            origin(resource, path),
            f"{ref} is a {found.get('resourceType')}; it must be a {' or a '.join(kinds)}",
        )
        return None
    return found if checked(trace, found) else None


def reference_key(ref: str) -> str:
    """`https://ehr.example/fhir/Patient/7/_history/2` and `Patient/7` are both Patient/7."""
    parts = ref.split("/_history/")[0].rstrip("/").split("/")
    return "/".join(parts[-2:]) if len(parts) >= 2 else ref


def subject_key(resource: Resource, field: str = "subject") -> str:
    ref = (resource.get(field) or {}).get("reference") or ""
    return ref if ref.startswith("urn:") else reference_key(ref)


class BundleSource:
    """All of a Bundle's resources, by fullUrl and by Type/id."""

    def __init__(self, entries: list[dict[str, Any]]) -> None:
        self.by_key: dict[str, Resource] = {}
        self.urls: dict[int, str] = {}
        self.plans: dict[str, list[Resource]] = {}
        self.order: list[Resource] = []
        for entry in entries:
            resource = entry.get("resource")
            if not isinstance(resource, dict):
                continue
            if entry.get("fullUrl"):
                self.by_key[str(entry["fullUrl"])] = resource
                self.urls[id(resource)] = str(entry["fullUrl"])
            if resource.get("id"):
                self.by_key[f"{resource.get('resourceType')}/{resource['id']}"] = resource
            if resource.get("resourceType") == "Patient":
                self.order.append(resource)
        for resource in self.by_key.values():
            if resource.get("resourceType") == "CarePlan":
                found = self.resolve((resource.get("subject") or {}).get("reference") or "")
                if found is not None:
                    self.plans.setdefault(str(id(found)), [])
                    if resource not in self.plans[str(id(found))]:
                        self.plans[str(id(found))].append(resource)

    def resolve(self, reference: str) -> Resource | None:
        return self.by_key.get(reference) or self.by_key.get(reference_key(reference))

    def plans_of(self, patient: Resource) -> list[Resource]:
        return self.plans.get(str(id(patient)), [])

    def patients(self) -> Iterator[Resource]:
        return iter(self.order)

    def reference_of(self, patient: Resource) -> str:
        return f"Patient/{patient['id']}" if patient.get("id") else self.urls.get(id(patient), "Patient/?")
