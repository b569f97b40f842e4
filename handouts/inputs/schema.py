"""JSON Schema of the patient file and of a layout, made from the same models that check them.

An editor with a YAML extension reads these to offer completion, show each field's help and underline a
mistake as it is typed. The patient file's exercises, devices and their options come from the content
in use, so a clinic's own sections are offered too. The schema follows YAML as an editor reads it (1.2):
`patient_id: 004211` is a number there and text to `handouts`, so text fields take numbers as well, and
a layout that `extends` another may leave any field out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from handouts.inputs.content import Content, Kind, Section
from handouts.inputs.dosefields import takes
from handouts.inputs.layout import Layout
from handouts.inputs.patient import DEVICE_FIELDS, FALSE_WORDS, TRUE_WORDS, Dose, PatientFile

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
PATIENT_SCHEMA = "patient.schema.json"
LAYOUT_SCHEMA = "layout.schema.json"


def patient_schema(content: Content) -> dict[str, Any]:
    schema = _as_typed(PatientFile.model_json_schema())
    props = schema["properties"]
    kinds: tuple[tuple[str, Kind], ...] = (("exercises", "exercise"), ("devices", "device"))
    for key, kind in kinds:
        sections = content.of_kind(kind)
        props[key] = {
            "type": "array",
            "description": f"The {kind}s, in the order the handout shows them: a name, or a name with options.",
            "items": {"anyOf": [{"enum": [s.id for s in sections]}, *(_item(s, content) for s in sections)]},
        }
    return {"$schema": SCHEMA_DIALECT, **schema, "title": "handouts patient file"}


def _item(section: Section, content: Content) -> dict[str, Any]:
    options: dict[str, Any] = {
        name: {"description": option.help, "enum": _choices(option.choices)} for name, option in section.options.items()
    }
    dose = _as_typed(Dose.model_json_schema())["properties"]
    # An exercise takes a dose; a device only the therapist's note ("use it indoors").
    options |= {name: dose[name] for name in (takes(section, content) if section.kind == "exercise" else DEVICE_FIELDS)}
    required = [name for name, option in section.options.items() if option.default is None]
    body = {"type": ["object", "null"], "properties": options, "additionalProperties": False}
    return {
        "type": "object",
        "description": section.title,
        "properties": {section.id: {**body, **({"required": required} if required else {})}},
        "required": [section.id],
        "additionalProperties": False,
    }


def _choices(choices: list[str]) -> list[Any]:
    """A true/false option may be written `wheels: yes` as well; an editor reads `true` as a boolean."""
    if set(choices) == {"true", "false"}:
        return [*TRUE_WORDS, *FALSE_WORDS, True, False, 1, 0]
    return list(choices)


def layout_schema() -> dict[str, Any]:
    schema = _as_typed(Layout.model_json_schema())
    for key in ("name", "folder"):  # a layout's name is its file name; its folder is where the file is
        schema["properties"].pop(key, None)
    _drop_required(schema)
    return {"$schema": SCHEMA_DIALECT, **schema, "title": "handouts layout"}


def _drop_required(node: Any) -> None:
    """A layout that extends another gives only what it changes, at any depth."""
    if isinstance(node, dict):
        node.pop("required", None)
        for value in node.values():
            _drop_required(value)
    elif isinstance(node, list):
        for value in node:
            _drop_required(value)


def _as_typed(node: Any) -> Any:
    """Text fields also take what an editor reads as a number or yes/no; `handouts` keeps them as typed."""
    if isinstance(node, dict):
        out = {key: _as_typed(value) for key, value in node.items()}
        if out.get("type") == "string" and "format" not in out and "enum" not in out and "pattern" not in out:
            out["type"] = ["string", "number", "boolean"]
        return out
    if isinstance(node, list):
        return [_as_typed(value) for value in node]
    return node


def write_schemas(folder: Path, content: Content) -> list[Path]:
    """Write both schemas into `folder` (made if missing); return the files written."""
    from handouts.errors import HandoutError, Problem
    from handouts.output import write_atomic

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise HandoutError(Problem(str(folder), f"can't make this folder: {exc.strerror}")) from None
    written = []
    for name, schema in ((PATIENT_SCHEMA, patient_schema(content)), (LAYOUT_SCHEMA, layout_schema())):
        path = folder / name
        write_atomic(path, (json.dumps(schema, indent=2, ensure_ascii=False) + "\n").encode())
        written.append(path)
    return written
