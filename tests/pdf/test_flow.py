"""What a batch shares between handouts never changes a handout: a paragraph's parse and its lines
(shared by every paragraph of the same text and width), the codes of letters in the fonts, the font
subsets embedded and their compressed streams, and the running header and footer drawn once per
document. Proved on the bytes: every example, in every
layout and on both papers, drawn after many others is byte for byte the handout drawn with nothing
shared; and a paragraph of several fonts split over two pages leaves the lines of its text untouched
for the next patient.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from conftest import PATIENT_EXAMPLES
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

from handouts.build import print_file
from handouts.inputs.assets import family_files
from handouts.inputs.layout import PAPERS, layout_names
from handouts.pdf import flow, fonts
from handouts.pdf.fonts import SubsetFont, register

DAY = dt.date(2026, 11, 23)
COMBOS = [(ex, lay, paper) for ex in PATIENT_EXAMPLES for lay in layout_names() for paper in PAPERS]


def _digest(example, layout: str, paper: str) -> str:
    return hashlib.sha256(print_file(example, layout, today=DAY, paper=paper).pdf).hexdigest()


def test_a_handout_drawn_after_many_others_is_the_one_drawn_with_nothing_shared() -> None:
    alone = {}
    for combo in COMBOS:
        flow._parsed.clear()
        flow._broken.clear()
        fonts._KEPT_FLATE.kept.clear()
        for font in pdfmetrics._fonts.values():
            if isinstance(font, SubsetFont):
                font._ho_made.clear()
        alone[combo] = _digest(*combo)
    # Now with everything shared, in another order, each drawn after all the others: paragraphs of
    # several fonts that split over pages (the extra-large layout) come back for the next patient.
    for combo in [*reversed(COMBOS), *COMBOS]:
        assert _digest(*combo) == alone[combo], combo
    assert len(set(alone.values())) == len(COMBOS)


def _style() -> ParagraphStyle:
    fonts = register(family_files("Atkinson Hyperlegible"))
    return ParagraphStyle("t", fontName=fonts.regular, fontSize=24, leading=30)


def _plain(width: float) -> Paragraph:
    """The same paragraph as reportlab makes it, sharing nothing."""
    plain = Paragraph(TEXT, _style())
    plain.wrap(width, 10_000)
    return plain


def _words(lines: object) -> list[list[str]]:
    return [[w.text for w in line.words] for line in lines.lines]  # type: ignore[attr-defined]


TEXT = (
    "<b>How often:</b> Every day, twice, in the morning and in the evening, "
    "<b>slowly:</b> hold each stretch while you count to ten and breathe out, then rest as long as you need."
)


def test_a_paragraph_split_over_pages_leaves_its_shared_lines_as_they_were() -> None:
    style = _style()
    flow._broken.clear()
    first, second = flow.Para(TEXT, style), flow.Para(TEXT, style)
    first.wrap(300, 10_000)
    second.wrap(300, 10_000)  # the lines of the first, shared
    assert second.blPara is first.blPara and second.blPara.kind == 1
    before = _words(_plain(300).blPara)
    assert _words(second.blPara) == before

    parts = first.split(300, 3 * style.leading)  # three lines here, the rest on the next page
    plain_parts = _plain(300).split(300, 3 * style.leading)
    assert len(parts) == 2 == len(plain_parts)
    for ours, theirs in zip(parts, plain_parts, strict=True):
        ours.wrap(300, 10_000)
        theirs.wrap(300, 10_000)
        assert _words(ours.blPara) == _words(theirs.blPara)
    assert _words(second.blPara) == before  # the next patient's paragraph reads as it did
    third = flow.Para(TEXT, style)
    third.wrap(300, 10_000)
    assert _words(third.blPara) == before


@pytest.mark.parametrize("text", ["Hold the cane", "Hold\xa0the cane", "Łódź Ñandú straße", "", "ﬁve ﬂat 😀"])
def test_subset_font_encodes_text_as_reportlab_does(text: str) -> None:
    """SubsetFont encodes text already coded with one translation; the codes must be reportlab's."""
    path = str(family_files("Atkinson Hyperlegible")[0])
    ours, theirs = SubsetFont("HO-test-ours", path), TTFont("HO-test-theirs", path)

    class Doc:  # a document, as far as the font's per-document codes go
        pass

    doc_a, doc_b = Doc(), Doc()
    texts = ["Your exercises", text, "Your exercises and " + text, text, text[::-1], "Call 555-0100"]
    assert [ours.splitString(t, doc_a) for t in texts] == [theirs.splitString(t, doc_b) for t in texts]
    other_a, other_b = Doc(), Doc()  # a new document starts its codes again
    assert ours.splitString(text + "zq", other_a) == theirs.splitString(text + "zq", other_b)
