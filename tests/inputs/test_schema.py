"""`handouts schema`: the JSON Schema an editor uses, checked against the real example files.

Files are read as an editor's YAML extension reads them (YAML 1.2: `2026-11-23` is text, `yes` is text,
`true` is a boolean), then validated with the `jsonschema` package. Every example and shipped layout
must pass (no red underline on a file `handouts` prints), and typical slips must be caught.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from conftest import PATIENT_EXAMPLES, ROOT

from handouts.cli import main
from handouts.home import SHIPPED_CONTENT

BAD_INPUTS = ROOT / "tests" / "bad_inputs"
BAD_LAYOUTS = ROOT / "tests" / "bad_layouts"


class EditorLoader(yaml.SafeLoader):
    """YAML 1.2's core schema, as the VS Code YAML extension reads a file: no dates, booleans only true/false."""


EditorLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
EditorLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def read(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=EditorLoader)  # noqa: S506 - a SafeLoader


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    out = tmp_path_factory.mktemp("schema")
    result = CliRunner().invoke(main, ["schema", "-o", str(out / "made")])
    assert result.exit_code == 0, result.output
    assert result.output.split() == [
        str(out / "made" / "patient.schema.json"),
        str(out / "made" / "layout.schema.json"),
    ]
    found = {name: json.loads((out / "made" / f"{name}.schema.json").read_text()) for name in ("patient", "layout")}
    for schema in found.values():
        jsonschema.Draft202012Validator.check_schema(schema)
    return found


def problems(schema: dict[str, Any], data: Any) -> list[str]:
    return [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]


@pytest.mark.parametrize("path", PATIENT_EXAMPLES, ids=[p.stem for p in PATIENT_EXAMPLES])
def test_every_example_patient_file_validates(schemas: dict[str, dict[str, Any]], path: Path) -> None:
    assert problems(schemas["patient"], read(path)) == []


def test_every_record_of_the_example_roster_validates(schemas: dict[str, dict[str, Any]]) -> None:
    roster = read(ROOT / "examples" / "roster.yaml")
    for record in roster["patients"]:
        assert problems(schemas["patient"], {**roster.get("defaults", {}), **record}) == [], record


@pytest.mark.parametrize("path", sorted((ROOT / "layouts").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_layout_validates(schemas: dict[str, dict[str, Any]], path: Path) -> None:
    assert problems(schemas["layout"], read(path)) == []


@pytest.mark.parametrize(
    "name", ["unknown-key", "unknown-exercise", "unknown-device", "unknown-option", "bad-side", "dose-not-number"]
)
def test_the_schema_underlines_a_patient_file_slip(schemas: dict[str, dict[str, Any]], name: str) -> None:
    assert problems(schemas["patient"], read(BAD_INPUTS / f"{name}.yaml"))


@pytest.mark.parametrize("name", ["unknown-key", "unknown-nested-key", "unknown-paper", "clinic-unknown-key"])
def test_the_schema_underlines_a_layout_slip(schemas: dict[str, dict[str, Any]], name: str) -> None:
    assert problems(schemas["layout"], read(BAD_LAYOUTS / f"{name}.yaml"))


def test_the_patient_schema_offers_the_contents_own_sections(tmp_path: Path) -> None:
    content = tmp_path / "content.yaml"
    extra = "\n  - id: shower_chair\n    kind: device\n    title: Shower chair\n    text: [Sit down to wash.]\n"
    content.write_text(SHIPPED_CONTENT.read_text(encoding="utf-8") + extra, encoding="utf-8")
    result = CliRunner().invoke(main, ["schema", "-o", str(tmp_path), "--content", str(content)])
    assert result.exit_code == 0, result.output
    schema = json.loads((tmp_path / "patient.schema.json").read_text())
    assert problems(schema, {"name": "Ann Lee", "patient_id": 7, "devices": ["shower_chair"]}) == []
    assert "shower_chair" in schema["properties"]["devices"]["items"]["anyOf"][0]["enum"]


def test_a_device_takes_the_therapists_note_but_no_dose(schemas: dict[str, dict[str, Any]]) -> None:
    """As the handout does (issue 13): a note prints in its device's section; a dose is an exercise's."""
    noted = {
        "name": "Ann Lee",
        "patient_id": 7,
        "stronger_side": "left",
        "devices": [{"quad_cane": {"note": "Indoors"}}],
    }
    assert problems(schemas["patient"], noted) == []
    dosed = {
        "name": "Ann Lee",
        "patient_id": 7,
        "stronger_side": "left",
        "devices": [{"quad_cane": {"repetitions": 3}}],
    }
    assert problems(schemas["patient"], dosed) != []
