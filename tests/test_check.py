"""`check` is the printing's promise (issue 21): clinic content or layouts that would print wrongly or
stop the printing are refused by `check` with their file, line and field, and what `check` passes prints.

Every test runs the real command line (`python generate.py ...`) on a clinic's copy of the shipped files
with one thing changed, as the fault hunt did.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

GENERATE = ROOT / "generate.py"
SHOULDER = '    title: "Shoulder: raise your arm in front"'


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    environ = {k: v for k, v in os.environ.items() if k != "HANDOUTS_HOME"} | (env or {})
    return subprocess.run(
        [sys.executable, str(GENERATE), *args], capture_output=True, text=True, env=environ, timeout=300
    )


def clinic(tmp_path: Path, english: tuple[str, str] | None = None, spanish: tuple[str, str] | None = None) -> Path:
    """A clinic's copy of content.yaml and content.es.yaml with one text replaced; returns content.yaml."""
    for name, change in (("content.yaml", english), ("content.es.yaml", spanish)):
        text = (ROOT / name).read_text(encoding="utf-8")
        if change:
            assert change[0] in text, change[0]
            text = text.replace(change[0], change[1], 1)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path / "content.yaml"


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


CONTENT_FAULTS = {
    # name: (file changed, old, new, field and words the refusal must hold)
    "slot-in-title": (
        "content.yaml",
        SHOULDER,
        '    title: "Shoulder: raise your {weaker_side} arm"',
        ["(shoulder_raise).title:", "would print its braces as written"],
    ),
    "slot-in-caution": (
        "content.yaml",
        '{text: "Go only to shoulder height, unless your therapist',
        "{text: \"Go only to your {weaker_side} shoulder's height, unless your therapist",
        ["(shoulder_raise).cautions[0]:", "would print its braces as written"],
    ),
    "format-spec": (
        "content.yaml",
        "Hold your {weaker_side} wrist with your {stronger_hand}.",
        "Hold your {weaker_side} wrist with your {stronger_hand:d}.",
        ["(shoulder_raise).variants.mode.assisted.steps[1]:", "write the slot {stronger_hand:d} as {stronger_hand}"],
    ),
    "how-often-a-dot": (
        "content.yaml",
        "    how_often: Every day.\n    sides: arm\n    cautions:\n      - &shoulder_height",
        '    how_often: "."\n    sides: arm\n    cautions:\n      - &shoulder_height',
        ["(shoulder_raise).how_often:", "'.' has no words"],
    ),
    "chinese": (
        "content.yaml",
        "Physical therapy helps you make",
        "Physical therapy 中文 helps you make",
        ["(about).text[0]:", "U+4E2D", "empty box"],
    ),
    "zero-width-space": (
        "content.yaml",
        "Physical therapy helps you make",
        "Physical\u200btherapy helps you make",
        ["(about).text[0]:", "U+200B ZERO WIDTH SPACE"],
    ),
    "emoji-in-spanish": (
        "content.es.yaml",
        "La fisioterapia le ayuda",
        "La fisioterapia 😀 le ayuda",
        ["(about).text[0]:", "U+1F600", "empty box"],
    ),
    "zero-width-space-in-spanish": (
        "content.es.yaml",
        "      - Suba un brazo al frente, hasta la altura del hombro.",
        "      - Suba un\u200bbrazo al frente, hasta la altura del hombro.",
        ["(shoulder_raise).steps[2]:", "U+200B"],
    ),
    "spanish-slot-the-english-lacks-there": (
        "content.es.yaml",
        "      - Suba un brazo al frente, hasta la altura del hombro.",
        "      - Suba el brazo {weaker_side} al frente, hasta la altura del hombro.",
        ["(shoulder_raise).steps[2]:", "{weaker_side} is printed here", "stronger_side"],
    ),
    "spanish-how-often-a-dot": (
        "content.es.yaml",
        "    how_often: Todos los días.\n    cautions:",
        '    how_often: "."\n    cautions:',
        ["how_often:", "'.' has no words"],
    ),
    "lone-brace-in-spanish": (
        "content.es.yaml",
        "      - Suba un brazo al frente, hasta la altura del hombro.",
        "      - Suba un brazo { al frente, hasta la altura del hombro.",
        ["(shoulder_raise).steps[2]:", "'Suba un brazo { al frente, hasta la altura del hombro.' has a lone '{'"],
    ),
    "escaped-brace-in-general-text": (
        "content.yaml",
        "Physical therapy helps you make",
        "Physical therapy {{really}} helps you make",
        ["(about).text[0]:", "has '{{' or '}}'; braces are only for slots"],
    ),
    "review-in-2099": (
        "content.yaml",
        "reviewed: 2026-11-28",
        "reviewed: 2099-01-01",
        ["reviewed: 2099-01-01 is after"],
    ),
    "unknown-source": (
        "content.yaml",
        "    sources: [cleveland]\n",
        "    sources: [clevland]\n",
        ["(about).sources:", "'clevland' is not one of the content's sources; did you mean 'cleveland'?"],
    ),
}


@pytest.mark.parametrize("case", CONTENT_FAULTS.values(), ids=list(CONTENT_FAULTS))
def test_check_refuses_content_that_would_print_wrongly_at_its_line(tmp_path: Path, case: tuple) -> None:
    """Before, `check` passed each of these: a slot printed literally, a box for a letter, words run
    together, a 2099 review date, or a traceback when printing ({stronger_hand:d}, a Spanish slot)."""
    name, old, new, said = case
    content = clinic(tmp_path, *(((old, new), None) if name == "content.yaml" else (None, (old, new))))
    changed = tmp_path / name
    needle = new.splitlines()[0].strip() or new
    done = run("check", "--content", str(content))
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert f"{changed}:{line_of(changed, needle)}: " in done.stderr, done.stderr
    for words in said:
        assert words in done.stderr, done.stderr
    assert "the slot {{}" not in done.stderr  # a lone brace is quoted as written


@pytest.mark.parametrize("language", ["en", "es"])
def test_printing_with_refused_content_is_the_same_clear_error_never_a_traceback(tmp_path: Path, language: str) -> None:
    """Loading the content to print checks it as `check` does: before, {stronger_hand:d} was a traceback
    in English, and the Spanish slot in the steps printed a handout with its side missing or crashed."""
    content = clinic(
        tmp_path,
        ("wrist with your {stronger_hand}.", "wrist with your {stronger_hand:d}."),
        ("      - Suba un brazo al frente, hasta", "      - Suba el brazo {weaker_side} al frente, hasta"),
    )
    patient = ROOT / "examples" / "lee-chen-moves.yaml"
    out = tmp_path / "x.pdf"
    done = run("handout", str(patient), "--content", str(content), "--language", language, "-o", str(out))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "write the slot {stronger_hand:d} as {stronger_hand}" in done.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_a_translation_given_as_the_content_is_one_clear_line() -> None:
    done = run("check", "--content", str(ROOT / "content.es.yaml"))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr  # before: 47 lines of missing fields
    assert "this is a translation (language: es), not the content" in lines[0]
    assert lines[0].startswith(f"{ROOT / 'content.es.yaml'}:{line_of(ROOT / 'content.es.yaml', 'language: es')}:")


def test_a_clinic_spanish_without_its_content_is_never_passed_over_for_the_shipped_draft(tmp_path: Path) -> None:
    """Before, a home with layouts/ and a reviewed content.es.yaml printed the shipped draft Spanish."""
    home = tmp_path / "clinic"
    (home / "layouts").mkdir(parents=True)
    (home / "layouts" / "ours.yaml").write_text("extends: large-print\ndescription: Ours\n", encoding="utf-8")
    reviewed = (ROOT / "content.es.yaml").read_text(encoding="utf-8")
    reviewed = reviewed.replace("status: draft", "status: reviewed\nreviewer: Rosa Díaz, PT\nreviewed: 2026-11-30")
    (home / "content.es.yaml").write_text(reviewed, encoding="utf-8")
    env = {"HANDOUTS_HOME": str(home)}
    patient = ROOT / "examples" / "maria-lopez.yaml"
    for args in (["handout", str(patient), "--language", "es", "-o", str(tmp_path / "x.pdf")], ["list"], ["check"]):
        done = run(*args, env=env)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert f"{home / 'content.es.yaml'}: a translation without its content.yaml" in done.stderr
    assert not (tmp_path / "x.pdf").exists()
    (home / "content.yaml").write_text((ROOT / "content.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    done = run("list", env=env)
    assert done.returncode == 0, done.stderr
    assert f"Content: {home / 'content.yaml'} (HANDOUTS_HOME)" in done.stdout
    assert f"Spanish (Español): {home / 'content.es.yaml'} (beside the content, HANDOUTS_HOME)" in done.stdout


BIG = """\
extends: large-print
description: Our very large print, 44 pt
body: {size: 44}
heading: {size: 48}
subheading: {size: 46}
header: {size: 44}
footer: {size: 44}
"""


def test_a_layout_too_large_to_print_is_refused_by_check_and_never_a_layout_error(tmp_path: Path) -> None:
    """Before, `check` called this 44 pt layout sound, and every handout crashed with reportlab's LayoutError."""
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "big.yaml").write_text(BIG, encoding="utf-8")
    done = run("check", "--layouts", str(tmp_path / "layouts"))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"{tmp_path / 'layouts' / 'big.yaml'}: a test handout in English" in done.stderr
    assert "does not fit the layout on letter paper" in done.stderr
    out = tmp_path / "x.pdf"
    patient = str(ROOT / "examples" / "lee-chen-moves.yaml")
    done = run("handout", patient, "--layouts", str(tmp_path / "layouts"), "--layout", "big", "-o", str(out))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "LayoutError" not in done.stderr
    assert "lee-chen-moves.yaml: layout big: this handout does not fit the layout on letter paper" in done.stderr
    assert not out.exists()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_longest_values_print_in_the_extra_large_layout_on_letter(tmp_path: Path, language: str) -> None:
    """A 120-letter name, ID and phone with no spaces: before, a LayoutError on the extra-large layout."""
    record = yaml.safe_load((ROOT / "examples" / "ana-souza.yaml").read_text(encoding="utf-8"))
    record |= {field: "W" * 120 for field in ("name", "patient_id", "phone", "therapist", "clinic")}
    record["language"] = language
    patient = tmp_path / "long.yaml"
    patient.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "long.pdf"
    done = run("handout", str(patient), "--layout", "extra-large", "--paper", "letter", "-o", str(out))
    assert done.returncode == 0, done.stderr
    from pdfcheck import all_text

    assert "W" * 120 in "".join(all_text(out.read_bytes()).split())


def test_check_says_it_printed_a_test_handout_in_every_layout() -> None:
    done = run("check")
    assert done.returncode == 0, done.stderr
    for name in ("large-print", "extra-large"):
        assert f"layout {name}: sound on letter and a4, test handouts printed" in done.stdout
