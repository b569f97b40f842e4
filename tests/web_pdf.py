"""Read back a PDF the web app returned: its text and the smallest type on any page (for the web tests)."""

from __future__ import annotations

import io

from pypdf import PdfReader


def pages_text(pdf: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def smallest_size(pdf: bytes) -> float:
    """The smallest text size drawn anywhere, as printed (font size times the text and page matrices)."""
    sizes: list[float] = []

    def visit(text, cm, tm, font_dict, font_size):  # type: ignore[no-untyped-def]
        if text.strip():
            a, b = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3]
            c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
            sizes.append(font_size * max((a * a + b * b) ** 0.5, (c * c + d * d) ** 0.5))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return min(sizes)


def check_handout(pdf: bytes, name: str, identifier: str, titles: list[str]) -> None:
    """What the command line's tests ask of every handout: who it is for on every page, the chosen
    sections, and nothing under 18 pt."""
    assert pdf.startswith(b"%PDF-")
    texts = pages_text(pdf)
    for number, text in enumerate(texts, 1):
        assert name in text, f"page {number} lacks the name"
        assert identifier in text, f"page {number} lacks the identifier"
        assert f"Page {number} of {len(texts)}" in text
    whole = " ".join(texts)
    for title in titles:
        assert title in whole, title
    assert smallest_size(pdf) >= 18.0
