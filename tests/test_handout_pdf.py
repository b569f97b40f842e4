"""The printed examples, read back from the real PDFs: the handout standard, page by page."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import PATIENT_EXAMPLES
from pdfcheck import PAGE_RE, all_text, embedded_fonts, page_runs, page_texts, reader

from handouts.build import print_file
from handouts.inputs.content import load_content

EXAMPLE_NAMES = [p.stem for p in PATIENT_EXAMPLES]


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_smallest_text_on_every_page_is_18_pt(printed, example: str) -> None:
    pdf = printed[example].pdf
    for number, page in enumerate(page_runs(pdf), 1):
        sizes = [r.size for r in page]
        assert sizes, f"page {number} has no text"
        assert min(sizes) >= 18.0 - 1e-6, f"page {number}: {min(sizes)} pt"


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_headings_are_22_pt(printed, example: str) -> None:
    pdf = printed[example].pdf
    sizes = {round(r.size, 1) for page in page_runs(pdf) for r in page}
    assert 22.0 in sizes and 20.0 in sizes and max(sizes) == 22.0


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_all_fonts_are_embedded_atkinson(printed, example: str) -> None:
    fonts = embedded_fonts(printed[example].pdf)
    assert fonts and all(fonts.values()), fonts
    assert all("AtkinsonHyperlegible" in name for name in fonts)


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_every_page_names_the_patient_and_counts_pages(printed, example: str) -> None:
    handout = printed[example].handout
    texts = page_texts(printed[example].pdf)
    label, ident = handout.identifier
    assert len(texts) >= 2
    for number, text in enumerate(texts, 1):
        assert handout.name in text, number
        assert f"{label}: {ident}" in text, number
        match = PAGE_RE.search(text)
        assert match and (int(match[1]), int(match[2])) == (number, len(texts)), text[:200]


def test_page_one_opens_with_who_it_is_for(printed) -> None:
    first = page_texts(printed["maria-lopez"].pdf)[0]
    for fact in (
        "This plan is for: Maria Lopez",
        "Patient ID: 004211",
        "Date: November 23, 2026",
        "Your therapist: Alex Kim, PT",
        "Clinic: Riverside Rehabilitation",
    ):
        assert fact in first
    # The phone is the footer's, on this page as on every other, not said twice on it.
    assert first.count("555-0100") == 1 and "Questions? Call 555-0100" in first


def test_chosen_sections_are_there_in_order_and_unchosen_are_not(printed) -> None:
    content = load_content()
    title = {s.id: s.title for s in content.sections}
    whole = all_text(printed["maria-lopez"].pdf)
    text = whole[whole.index("How physical therapy helps you") :]  # after the plan at a glance
    order = [
        "about",
        "safety",
        "range_of_motion",  # the moves' kinds introduce them: ankle_pump, then walking (issue 22)
        "ankle_pump",
        "aerobic",
        "walking",
        "quad_cane",
        "ankle_foot_brace",
        "walker",
        "strengthening",
        "closing",
    ]
    positions = [text.index(title[i]) for i in order]
    assert positions == sorted(positions)
    chosen = text[: text.index("What to avoid")]  # unused devices are named later, under when to ask
    for absent in ("cane", "neck_brace", "wheelchair"):
        assert title[absent] not in chosen
    assert "Notes from your therapist Use the quad cane indoors and the walker outside." in text


def test_personal_words(printed) -> None:
    maria = all_text(printed["maria-lopez"].pdf)
    james = all_text(printed["james-okafor"].pdf)
    ana = all_text(printed["ana-souza"].pdf)
    assert "Hold the cane in your left hand" in maria and "weight off your right leg" in maria
    assert "Hold the cane in your right hand" in james and "weight off your left leg" in james
    assert "These steps are for your helper." in maria and "a helper moves your joints" in maria
    assert "Helper:" not in james
    assert "Wear the brace on your right leg" in maria
    assert "Wear a brace on each leg" in ana and "Put each brace inside your shoe" in ana
    assert "your left leg and" not in ana and "A brace on each leg" in ana
    assert "Your walker has wheels" in maria and "platforms" not in maria
    assert "Your walker has wheels" in ana and "Your walker has platforms" in ana


def test_doses_show_in_words_with_the_content_fallback(printed) -> None:
    maria = all_text(printed["maria-lopez"].pdf)
    assert "How often: 2 times a day." in maria  # ankle pumps, as prescribed
    assert "How many: 10 times with each foot." in maria  # no repetitions given: the usual dose, per side
    assert "How often: 3 days a week." in maria and "How long: 15 minutes each time." in maria
    assert "Your therapist says: Walk at an easy pace" in maria
    james = all_text(printed["james-okafor"].pdf)
    assert "How many: Do each move 10 times." in james and "Hold: 30 seconds each time." in james
    assert "How often: Every day." in james
    ana = all_text(printed["ana-souza"].pdf)
    assert "How often: 2 times a day." in ana and "How long: 10 minutes each time." in ana


def test_strengthening_is_always_under_what_to_avoid(printed) -> None:
    for result in printed.values():
        text = all_text(result.pdf)
        assert "What to avoid Lifting weights" in text
        assert "They will not build up muscles that ALS has made weak" in text


def test_metadata_and_outline(printed) -> None:
    pdf = reader(printed["maria-lopez"].pdf)
    meta = pdf.metadata
    assert meta.title == "Physical therapy plan for Maria Lopez"
    assert meta.author == "Alex Kim, PT" and meta.subject
    assert meta["/CreationDate"].startswith("D:20261123")
    assert pdf.trailer["/Root"]["/Lang"] == "en-US"

    def titles(items) -> list[str]:  # type: ignore[no-untyped-def]
        out: list[str] = []
        for item in items:
            out += titles(item) if isinstance(item, list) else [item.title]
        return out

    outline = titles(pdf.outline)
    assert outline[:3] == ["Your plan at a glance", "How physical therapy helps you", "Your exercises"]
    assert "Using a four-foot cane" in outline and "What to avoid" in outline


@pytest.mark.parametrize("example", PATIENT_EXAMPLES, ids=EXAMPLE_NAMES)
def test_same_input_same_bytes(printed, example: Path) -> None:
    assert print_file(example).pdf == printed[example.stem].pdf


def test_qpdf_finds_no_damage(printed, tmp_path: Path) -> None:
    if not shutil.which("qpdf"):
        pytest.skip("qpdf is not installed (.ci/run installs it)")
    for name, result in printed.items():
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(result.pdf)
        done = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_no_page_ends_with_a_heading(printed, example: str) -> None:
    pages = page_runs(printed[example].pdf)
    for number, page in enumerate(pages[:-1], 1):
        body = [r for r in page if not PAGE_RE.search(r.text) and r.y > 0 and not r.text.strip().isdigit()]
        lowest = min(body, key=lambda r: r.y)
        assert lowest.size < 20, f"page {number} ends with the heading {lowest.text!r}"


def test_a_prescribed_frequency_is_never_contradicted_by_the_content(tmp_path: Path) -> None:
    patient = tmp_path / "p.yaml"
    patient.write_text(
        'name: Ann Bo\npatient_id: "1"\ndate: 2026-11-23\nlog_weeks: 0\nexercises:\n'
        "  - stretching: {days_per_week: 3}\n  - range_of_motion: {days_per_week: 2, mode: passive}\n",
        encoding="utf-8",
    )
    text = all_text(print_file(patient).pdf)
    assert "How often: 3 days a week." in text and "How often: 2 days a week." in text
    assert "every day" not in text.lower()


@pytest.mark.parametrize("layout", ["large-print", "extra-large"])
def test_the_words_that_lead_into_the_steps_stay_with_them(tmp_path: Path, layout: str) -> None:
    """A long therapist's note pushes passive range of motion over a page: "The steps below are for your
    helper" and the dose must go over with the steps, not stay behind at the foot of the page."""
    patient = tmp_path / "p.yaml"
    patient.write_text(
        'name: Ann Bo\npatient_id: "1"\ndate: 2026-11-23\nlog_weeks: 0\nexercises:\n'
        '  - range_of_motion: {mode: passive, times_per_day: 2, note: "Your husband Tom helps"}\n',
        encoding="utf-8",
    )
    texts = page_texts(print_file(patient, layout).pdf)
    (steps,) = [i for i, t in enumerate(texts) if "1. Helper:" in t]
    for lead in ("These steps are for your helper.", "How often: 2 times a day.", "Your husband Tom helps"):
        assert lead in texts[steps], (lead, texts[steps][:200])
