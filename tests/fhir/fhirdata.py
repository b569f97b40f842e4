"""FHIR test data made with the FHIR library: every resource goes through fhir.resources' R4B models, and
the Bundles and Bulk Data folders the tests read are what the library writes back out."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from handouts.build import load_checked
from handouts.fhir.write import plan_bundle
from handouts.inputs.content import cached_content
from handouts.inputs.plan import Plan

Resource = dict[str, Any]


def by_library(bundle: Resource) -> Resource:
    """The Bundle as fhir.resources reads and writes it: a Bundle the library can't make fails here."""
    return json.loads(Bundle.model_validate(bundle).model_dump_json(exclude_none=True))


def bundle_from_yaml(path: Path, key: str | None = None) -> Resource:
    plan = load_checked(path, cached_content(None))
    return by_library(plan_bundle(plan, cached_content(None), key))


def many(bundles: list[Resource], kind: str = "collection") -> Resource:
    entries = [entry for bundle in bundles for entry in bundle["entry"]]
    return by_library({"resourceType": "Bundle", "type": kind, "entry": entries})


def write(bundle: Resource, path: Path) -> Path:
    path.write_text(json.dumps(bundle, indent=1), encoding="utf-8")
    return path


def bulk_folder(bundle: Resource, folder: Path) -> Path:
    """A Bulk Data export: one NDJSON file per resource type, references as Type/id (as exports write them)."""
    folder.mkdir(parents=True, exist_ok=True)
    urls = {e["fullUrl"]: f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in bundle["entry"]}
    files: dict[str, list[str]] = {}
    for entry in bundle["entry"]:
        text = json.dumps(entry["resource"])
        for url, ref in urls.items():
            text = text.replace(json.dumps(url), json.dumps(ref))
        files.setdefault(entry["resource"]["resourceType"], []).append(text)
    for kind, lines in files.items():
        (folder / f"{kind}.ndjson").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def resource(bundle: Resource, kind: str, index: int = 0) -> Resource:
    """The index-th resource of a type in the Bundle, to change in place."""
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind][index]


def changed(bundle: Resource, change: Callable[[Resource], None]) -> Resource:
    """A copy of the Bundle, changed, and made again by the library."""
    copy = json.loads(json.dumps(bundle))
    change(copy)
    return by_library(copy)


def same_plan(a: Plan, b: Plan) -> bool:
    """Two checked plans that say the same thing (where each came from aside)."""

    def said(plan: Plan) -> tuple[Any, ...]:
        return (
            plan.patient.model_dump(exclude={"exercises", "devices"}),  # as written; the selections say them
            [(s.id, s.options, s.dose) for s in plan.exercises],
            [(s.id, s.options, s.dose) for s in plan.devices],
        )

    return said(a) == said(b)
