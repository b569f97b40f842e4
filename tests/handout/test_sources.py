"""The sources said twice (issue 24): in short on the page, in full in `list --sources` and in the PDF's
metadata, read back from the real PDF and the real command."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from pdfcheck import reading_text
from pypdf import PdfReader

from handouts.build import print_file
from handouts.handout.sources import short_citations, used_by
from handouts.handout.words import words
from handouts.inputs.content import Source, load_content

MARIA = ROOT / "examples" / "maria-lopez.yaml"


def test_short_form_names_organisation_title_and_year_once_per_publication() -> None:
    cited = short_citations(
        [
            Source(publisher="Muscular Dystrophy Association", title="Everyday Life with ALS, chapter 8", year=2007),
            Source(publisher="Cleveland Clinic", title="Physical Therapy and ALS", year=2017),
            Source(publisher="Muscular Dystrophy Association", title="Everyday Life with ALS, chapter 9", year=2010),
            Source(publisher="Verywell Health", title="Can You Exercise With ALS?"),
        ],
        words("en"),
    )
    assert cited == [
        "Muscular Dystrophy Association, Everyday Life with ALS, 2007 and 2010",
        "Cleveland Clinic, Physical Therapy and ALS, 2017",
        "Verywell Health, Can You Exercise With ALS?",
    ]
    assert short_citations([Source(publisher="A", title="B, c", year=2001)] * 2, words("es")) == ["A, B, 2001"]


def test_the_page_prints_the_sources_in_one_short_paragraph_and_the_metadata_in_full() -> None:
    printed = print_file(MARIA)
    text = " ".join(reading_text(printed.pdf).split())
    content = load_content()
    # One paragraph on the page: each publication once, without its chapter, with its years.
    assert (
        "Sources: Cleveland Clinic, Physical Therapy and ALS, 2017; Muscular Dystrophy Association, "
        "Everyday Life with ALS, 2007 and 2010;" in text
    )
    assert "chapter 8, Exercise" not in text and "Ankle-Foot Orthosis, patient information" not in text
    # In full in the XMP metadata, with the sections that use each: every source the page names.
    xmp = PdfReader(io.BytesIO(printed.pdf)).xmp_metadata
    assert xmp is not None and xmp.dc_source
    full = xmp.dc_source.splitlines()
    ids = {b.id for b in printed.handout.blocks}
    for _, source, titles in used_by(content, ids):
        line = next(f for f in full if f.startswith(f"{source.publisher}. {source.title}"))
        assert all(title in line for title in titles), line
        if source.year:
            assert f" {source.year}. Used in: " in line
    chapter = "Muscular Dystrophy Association. Everyday Life with ALS, chapter 8, Exercise. 2007."
    assert any(line.startswith(chapter) for line in full)


def test_list_sources_prints_every_source_in_full_with_the_sections_that_use_it(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), "list", "--sources"], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    content = load_content()
    used = {key for key, _, _ in used_by(content, cautions=True)}
    for key, source in content.sources.items():
        if key in used:
            assert f"  {key}: {source.publisher}. {source.title.rstrip('?')}" in out, key
        else:  # named only in a move's own words (ACSM's hold times): said so, not left out
            assert key in next(line for line in out.splitlines() if line.startswith("  used by no section:"))
    lines = out.splitlines()
    at = lines.index("  nhs_afo: North Bristol NHS Trust. Ankle-Foot Orthosis, patient information. 2023.")
    assert lines[at + 1 : at + 3] == ["      used in: Ankle and foot brace", "      used in: Call your care team"]
    # A caution's source is listed with the move whose caution cites it.
    assert "      used in: Shoulder: raise your arm in front (a caution)" in out
    assert "Sources of the library's moves" in out and "exercises" not in out.split("\n")[0]
