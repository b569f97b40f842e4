"""A FHIR Bulk Data export folder: one NDJSON file per resource type, read without holding it all.

Patient.ndjson is read a line at a time, in order. The other files are scanned once for where each
resource starts (Type/id -> file offset) and which CarePlans name which Patient; a resource is then read
from its file when a patient's plan references it. Memory grows with the number of resources (an id and
an offset each), not with their size.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from handouts.errors import HandoutError, Problem
from handouts.fhir.resolve import MODELS, reference_key, subject_key

Resource = dict[str, Any]


class BulkSource:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.patient_file = folder / "Patient.ndjson"
        if not self.patient_file.is_file():
            raise HandoutError(Problem(str(folder), "a Bulk Data folder needs Patient.ndjson (one Patient a line)"))
        self.files: dict[str, IO[bytes]] = {}
        self.offsets: dict[str, tuple[str, int]] = {}
        self.plans: dict[str, list[tuple[str, int]]] = {}
        self.count = 0
        for kind in MODELS:
            path = folder / f"{kind}.ndjson"
            if kind != "Patient" and path.is_file():
                self._scan(kind, path)
        with self.patient_file.open("rb") as f:
            self.count = sum(1 for line in f if line.strip())
        if self.count == 0:
            raise HandoutError(Problem(str(self.patient_file), "has no patients in it"))

    def _scan(self, kind: str, path: Path) -> None:
        f = path.open("rb")
        self.files[kind] = f
        offset = 0
        for number, line in enumerate(f, start=1):
            if line.strip():
                resource = _parse(line, path, number)
                self.offsets[f"{kind}/{resource.get('id')}"] = (kind, offset)
                if kind == "CarePlan":
                    self.plans.setdefault(subject_key(resource), []).append((kind, offset))
            offset += len(line)

    def _read(self, kind: str, offset: int) -> Resource:
        f = self.files[kind]
        f.seek(offset)
        return _parse(f.readline(), self.folder / f"{kind}.ndjson", None)

    def resolve(self, reference: str) -> Resource | None:
        where = self.offsets.get(reference_key(reference))
        return self._read(*where) if where else None

    def plans_of(self, patient: Resource) -> list[Resource]:
        return [self._read(*where) for where in self.plans.get(f"Patient/{patient.get('id')}", [])]

    def patients(self) -> Iterator[Resource]:
        with self.patient_file.open("rb") as f:
            for number, line in enumerate(f, start=1):
                if line.strip():
                    yield _parse(line, self.patient_file, number)

    def reference_of(self, patient: Resource) -> str:
        return f"Patient/{patient.get('id')}"


def _parse(line: bytes, path: Path, number: int | None) -> Resource:
    try:
        resource = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise HandoutError(Problem(str(path), f"not valid JSON: {exc}", number)) from None
    if not isinstance(resource, dict):
        raise HandoutError(Problem(str(path), "each line is one FHIR resource (a JSON object)", number))
    return resource
