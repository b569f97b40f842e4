"""The codes a FHIR plan is written in: the project's own CodeSystem, and SNOMED CT where a code exists.

The project's CodeSystem names every kind of exercise, every move of the library, the modes, the devices
and the few parameters a device takes. Its concepts are made from the content (`codesystem`), and a copy
ships in the package (codesystem.json) for a clinic to load into its terminology server; a test keeps the
copy equal to what the shipped content makes.

A SNOMED CT code is written beside ours only where one was confirmed in published material (each entry
says where); none is ever guessed. A code missing here is simply left out: our own code says it all.
"""

from __future__ import annotations

import json
import sys
from importlib.resources import files
from typing import Any

from handouts.inputs.content import MODES, Content

BASE = "https://handouts.example.org/fhir"
"""The project's namespace for its canonical URLs (docs/fhir.md). A placeholder domain, reserved for
examples: the canonical URL names the code system, it need not resolve."""
SYSTEM = f"{BASE}/CodeSystem/handouts"
"""Our CodeSystem: kinds, moves, modes, devices, device parameters, sides."""
CODESYSTEM_VERSION = "1.0.0"

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
"""HL7 v2 table 0203, identifier types: MR is the medical record number."""
BCP47 = "urn:ietf:bcp:47"
UCUM = "http://unitsofmeasure.org"

EXT_LAYOUT = f"{BASE}/StructureDefinition/layout"
EXT_LOG_WEEKS = f"{BASE}/StructureDefinition/log-weeks"
EXT_BACKGROUND = f"{BASE}/StructureDefinition/background"
EXT_STRONGER_SIDE = f"{BASE}/StructureDefinition/stronger-side"
EXT_DAYS_PER_WEEK = f"{BASE}/StructureDefinition/days-per-week"
EXT_HOLD = f"{BASE}/StructureDefinition/hold"
"""Our extensions: what the plan says that FHIR R4 has no element for (docs/fhir.md)."""

REPETITIONS_UNIT = "{repetitions}"
"""UCUM's way of writing a count with a name (an annotation in braces is the unit 1)."""

# SNOMED CT (device, physical object) codes, each with where it was confirmed.
DEVICE_SNOMED: dict[str, tuple[str, str, str]] = {
    "cane": ("87405001", "Cane", "issue 26; HL7 C-CDA example 'Medical Equipment' (playingDevice code)"),
    "walker": (
        "266731002",
        "Walking frame",
        "issue 26; frailty device code lists in public clinical code (58938008, 266731002, 87405001)",
    ),
    "wheelchair": (
        "58938008",
        "Wheelchair",
        "HL7 C-CDA medical equipment examples; a national ValueSet including http://snomed.info/sct#58938008",
    ),
}
"""quad_cane, ankle_foot_brace and neck_brace: no SNOMED CT code confirmed; ours only."""

PHYSICAL_THERAPY = ("91251008", "Physical therapy procedure")
"""ServiceRequest.category of every exercise: SNOMED CT 91251008, as in HL7's Physical Activity IG
(its US Core ServiceRequest category value set)."""

DOCUMENT_TYPE = ("69730-0", "Instructions")
"""DocumentReference.type of a handout: LOINC 69730-0 "Instructions", a document type used for patient
instructions (e.g. the Danish eHealth Infrastructure IG's document reference types)."""

DEVICE_PARAMETERS = {
    "wheels": "Wheels added to the walker (true or false)",
    "platform": "Platforms added to the walker (true or false)",
    "side": "The leg that needs the brace: left, right or both",
    "hand": "The hand the cane is held in: the stronger side, left or right",
}
SIDES = {"left": "Left", "right": "Right", "both": "Both"}
MODE_TEXT = {
    "active": "Active: on your own",
    "assisted": "Assisted: the stronger hand helps",
    "passive": "Passive: a helper does it",
}


def snomed_to_device() -> dict[str, str]:
    return {code: device for device, (code, _, _) in DEVICE_SNOMED.items()}


def codesystem(content: Content) -> dict[str, Any]:
    """Our CodeSystem as a FHIR R4 resource, its concepts made from the content."""
    concepts: list[dict[str, Any]] = []
    for kind in ("exercise", "device"):
        for section in content.of_kind(kind):
            if not section.is_move:
                concepts.append(_concept(section.id, section.title, kind))
    for section in content.moves():
        concepts.append(_concept(section.id, section.title, f"move ({section.category})"))
    concepts += [_concept(mode, MODE_TEXT[mode], "mode") for mode in MODES]
    concepts += [_concept(name, text, "device parameter") for name, text in DEVICE_PARAMETERS.items()]
    concepts += [_concept(side, text, "side") for side, text in SIDES.items()]
    return {
        "resourceType": "CodeSystem",
        "id": "handouts",
        "url": SYSTEM,
        "version": CODESYSTEM_VERSION,
        "name": "HandoutsPhysicalTherapy",
        "title": "ALS home physical-therapy handouts: exercises, moves, modes and devices",
        "status": "active",
        "experimental": False,
        "caseSensitive": True,
        "content": "complete",
        "description": "The kinds of exercise, the moves of the exercise library, the modes a move is done in, "
        "the devices and their parameters that a handouts plan is written in.",
        "count": len(concepts),
        "concept": concepts,
    }


def _concept(code: str, display: str, what: str) -> dict[str, Any]:
    return {"code": code, "display": display, "definition": f"{display} ({what})"}


def shipped_codesystem() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((files("handouts.fhir") / "codesystem.json").read_text(encoding="utf-8"))
    return data


if __name__ == "__main__":  # pragma: no cover - writes the shipped copy: python -m handouts.fhir.codes
    from handouts.inputs.content import load_content

    sys.stdout.write(json.dumps(codesystem(load_content()), indent=2, ensure_ascii=False) + "\n")
