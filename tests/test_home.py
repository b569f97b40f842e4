"""A clinic's own content and layouts, named by HANDOUTS_HOME, --content or --layouts, in every command.

Each test builds a clinic folder as a clinic would (its content.yaml with a section of its own, a
letterhead layout that extends a shipped one, a large-print of its own that replaces the shipped one)
and runs the real command line over it, reading the PDFs back.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from pdfcheck import all_text, page_runs, smallest_size

from handouts.cli import main
from handouts.home import SHIPPED_CONTENT, SHIPPED_LAYOUTS, resolve

MARIA = ROOT / "examples" / "maria-lopez.yaml"

SHOWER_CHAIR = """
  - id: shower_chair
    kind: device
    title: Shower chair
    text:
      - Sit down to wash, so you do not get tired or fall.
    steps:
      - Set the chair in the tub before you turn on the water.
"""

RIVERSIDE = """\
extends: large-print
description: Riverside Rehabilitation letterhead
clinic:
  name: Riverside Rehabilitation
  address: 12 Mill Road, Springfield
"""

OWN_LARGE_PRINT = """\
extends: large-print
description: Our large print, 20 pt text
body: {size: 20}
header: {size: 20}
footer: {size: 20}
"""


@pytest.fixture
def clinic(tmp_path: Path) -> Path:
    """A clinic folder: content.yaml with a shower chair, layouts/riverside.yaml and layouts/large-print.yaml."""
    home = tmp_path / "clinic"
    (home / "layouts").mkdir(parents=True)
    (home / "content.yaml").write_text(SHIPPED_CONTENT.read_text(encoding="utf-8") + SHOWER_CHAIR, encoding="utf-8")
    (home / "layouts" / "riverside.yaml").write_text(RIVERSIDE, encoding="utf-8")
    (home / "layouts" / "large-print.yaml").write_text(OWN_LARGE_PRINT, encoding="utf-8")
    return home


def run(*args: str, home: Path | str | None = None):  # type: ignore[no-untyped-def]
    env = {"HANDOUTS_HOME": str(home) if home is not None else ""}
    return CliRunner().invoke(main, list(args), env=env)


def test_list_shows_the_clinics_files_and_its_own_section_and_layouts(clinic: Path) -> None:
    result = run("list", home=clinic)
    assert result.exit_code == 0, result.output
    assert f"Content: {clinic / 'content.yaml'} (HANDOUTS_HOME)" in result.output
    assert f"Layouts: {clinic / 'layouts'} (HANDOUTS_HOME), then the shipped {SHIPPED_LAYOUTS}" in result.output
    assert "shower_chair" in result.output and "riverside" in result.output and "extra-large" in result.output
    assert str(clinic / "layouts" / "large-print.yaml") in result.output  # the clinic's replaces the shipped one
    assert str(SHIPPED_LAYOUTS / "extra-large.yaml") in result.output


def test_check_checks_the_clinics_files(clinic: Path) -> None:
    result = run("check", home=clinic)
    assert result.exit_code == 0, result.output
    said = f"layout riverside: sound on letter and a4, test handouts printed ({clinic / 'layouts' / 'riverside.yaml'})"
    assert said in result.output
    (clinic / "layouts" / "riverside.yaml").write_text(RIVERSIDE + "body: {size: 12}\n", encoding="utf-8")
    broken = run("check", home=clinic)
    assert broken.exit_code == 2
    assert "riverside.yaml:6: body.size: 12 pt is under 18 pt" in broken.stderr


def test_handout_prints_with_the_clinics_layouts_and_content(clinic: Path, tmp_path: Path) -> None:
    patient = tmp_path / "p.yaml"
    patient.write_text(MARIA.read_text(encoding="utf-8").replace("  - walker:", "  - shower_chair\n  - walker:"))
    out = tmp_path / "riverside.pdf"
    result = run("handout", str(patient), "--layout", "riverside", "-o", str(out), home=clinic)
    assert result.exit_code == 0, result.output
    text = all_text(out.read_bytes())
    assert "Riverside Rehabilitation" in text and "12 Mill Road" in text and "Shower chair" in text
    # With no --layout, the clinic's own large-print (20 pt) replaces the shipped one (18 pt).
    own = tmp_path / "own.pdf"
    assert run("handout", str(patient), "-o", str(own), home=clinic).exit_code == 0
    body = [r.size for page in page_runs(own.read_bytes()) for r in page if "make the most of what" in r.text]
    assert body and all(size == pytest.approx(20) for size in body)
    assert smallest_size(own.read_bytes()) == pytest.approx(18)  # the content's record, at the standard's minimum


def test_options_win_over_handouts_home(clinic: Path, tmp_path: Path) -> None:
    other = tmp_path / "other-layouts"
    other.mkdir()
    (other / "big.yaml").write_text("extends: extra-large\ndescription: Ours\n", encoding="utf-8")
    home = resolve(None, other, {"HANDOUTS_HOME": str(clinic)})
    assert home.content == clinic / "content.yaml" and home.content_from == "HANDOUTS_HOME"
    assert home.layouts == other and home.layouts_from == "--layouts"
    home = resolve(SHIPPED_CONTENT, None, {"HANDOUTS_HOME": str(clinic)})
    assert home.content == SHIPPED_CONTENT and home.layouts == clinic / "layouts"
    assert resolve(None, None, {}).content == SHIPPED_CONTENT  # no home, no options: the shipped files
    result = run("list", "--layouts", str(other), home=clinic)
    assert "big " in result.output and "riverside" not in result.output


def test_a_home_with_only_layouts_keeps_the_shipped_content(clinic: Path) -> None:
    (clinic / "content.yaml").unlink()
    home = resolve(None, None, {"HANDOUTS_HOME": str(clinic)})
    assert home.content == SHIPPED_CONTENT and home.content_from == "shipped"
    assert home.layouts == clinic / "layouts"


@pytest.mark.parametrize("command", ["list", "check", "handout", "batch", "serve", "schema"])
def test_a_home_that_is_not_there_is_an_error_in_every_command(command: str, tmp_path: Path) -> None:
    args = {"handout": [str(MARIA)], "batch": [str(ROOT / "examples" / "roster.csv"), "-o", str(tmp_path)]}
    missing = tmp_path / "no-such-clinic"
    result = run(command, *args.get(command, []), home=missing)
    assert result.exit_code == 2, result.output
    assert result.stderr == f"{missing}: does not exist; HANDOUTS_HOME must name a folder holding " + (
        "content.yaml and/or a layouts/ folder\n"
    )
    assert not list(tmp_path.glob("*.pdf"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--layouts", "{tmp}/nowhere"], "{tmp}/nowhere: no such layouts folder (given as --layouts)"),
        (["--layouts", "{tmp}/empty"], "{tmp}/empty: holds no layouts (NAME.yaml files) (given as --layouts)"),
        (["--content", "{tmp}/nowhere.yaml"], "{tmp}/nowhere.yaml: no such content file (given as --content)"),
        (["--content", "{tmp}/empty"], "{tmp}/empty: is a folder; give the content file itself (given as --content)"),
    ],
)
def test_a_named_folder_or_file_that_is_not_there_is_an_error(args: list[str], message: str, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run("list", *(a.format(tmp=tmp_path) for a in args))
    assert result.exit_code == 2
    assert result.stderr == message.format(tmp=tmp_path) + "\n"


def test_a_home_holding_neither_file_is_an_error(tmp_path: Path) -> None:
    result = run("list", home=tmp_path)
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path}: HANDOUTS_HOME names this folder, but it holds neither " + (
        "content.yaml nor a layouts/ folder\n"
    )


def test_batch_prints_with_the_clinics_layout_in_worker_processes(clinic: Path, tmp_path: Path) -> None:
    roster = tmp_path / "roster.yaml"
    roster.write_text(
        textwrap.dedent(
            """\
            defaults: {layout: riverside, date: 2026-11-23}
            patients:
              - {name: Ann Lee, patient_id: "1", exercises: [stretching], devices: [shower_chair]}
              - {name: Bo Chen, patient_id: "2", exercises: [aerobic]}
            """
        ),
        encoding="utf-8",
    )
    result = run("batch", str(roster), "-o", str(tmp_path / "out"), "--jobs", "2", "--quiet", home=clinic)
    assert result.exit_code == 0, result.output
    pdfs = sorted((tmp_path / "out").glob("*.pdf"))
    assert len(pdfs) == 2
    assert all("Riverside Rehabilitation" in all_text(p.read_bytes()) for p in pdfs)
    assert "Shower chair" in all_text((tmp_path / "out" / "2026-11-23_lee-ann_1.pdf").read_bytes())


def test_the_form_offers_the_clinics_layouts_and_sections(clinic: Path) -> None:
    from handouts.web.app import create_app

    page = create_app(home=resolve(environ={"HANDOUTS_HOME": str(clinic)})).test_client().get("/").get_data(True)
    assert "riverside" in page and "Shower chair" in page
