"""Read a real PDF back the way a reviewer would: text per page, font sizes, fonts, outline."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache

from pypdf import PdfReader


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def mult(m, n):  # type: ignore[no-untyped-def]
    """The product of two PDF matrices (a b c d e f): first m, then n."""
    return type(m)(
        [
            m[0] * n[0] + m[1] * n[2],
            m[0] * n[1] + m[1] * n[3],
            m[2] * n[0] + m[3] * n[2],
            m[2] * n[1] + m[3] * n[3],
            m[4] * n[0] + m[5] * n[2] + n[4],
            m[4] * n[1] + m[5] * n[3] + n[5],
        ]
    )


@dataclass(frozen=True)
class Run:
    text: str
    size: float
    x: float
    y: float


def _text_and_runs(page) -> tuple[str, list[Run]]:  # type: ignore[no-untyped-def]
    """A page's text and every piece of text drawn on it, with its size as printed (text matrix times
    CTM): both from one pass of pypdf's text extraction, the costly part of reading a page back."""
    found: list[Run] = []

    def visit(text, cm, tm, font_dict, font_size):  # type: ignore[no-untyped-def]
        if not text.strip():
            return
        m = mult(tm, cm)
        scale = (m[2] ** 2 + m[3] ** 2) ** 0.5
        found.append(Run(text, font_size * scale, m[4], m[5]))

    text = page.extract_text(visitor_text=visit)
    return text or "", found


def runs(page) -> list[Run]:  # type: ignore[no-untyped-def]
    """Every piece of text drawn on a page, with its size as printed."""
    return _text_and_runs(page)[1]


@lru_cache(maxsize=64)
def _read_back(pdf: bytes) -> tuple[tuple[str, tuple[Run, ...]], ...]:
    """Each page's text and runs, read once per PDF: many tests read the same printout back."""
    return tuple((text, tuple(found)) for text, found in map(_text_and_runs, reader(pdf).pages))


def first_page_text(pdf: bytes) -> str:
    """Page 1's text alone: reading every page back costs more than printing them."""
    return " ".join((reader(pdf).pages[0].extract_text() or "").split())


def page_texts(pdf: bytes) -> list[str]:
    return [" ".join(text.split()) for text, _ in _read_back(pdf)]


def page_runs(pdf: bytes) -> list[list[Run]]:
    """Every page's runs (see `runs`)."""
    return [list(found) for _, found in _read_back(pdf)]


def reading_text(pdf: bytes) -> str:
    """The words a reader reads, every page's in order, without what is marked /Artifact (running
    header and footer, a draft's notice, "(continued)" titles): a sentence that runs over a page
    break reads whole."""
    parts: list[str] = []
    for page in reader(pdf).pages:
        artifact: list[bool] = []  # per open marked-content sequence: inside an artifact?

        def before(op, args, cm, tm, artifact=artifact):  # type: ignore[no-untyped-def]
            if op in (b"BDC", b"BMC"):
                artifact.append(str(args[0]) == "/Artifact" or any(artifact))
            elif op == b"EMC" and artifact:
                artifact.pop()

        def text(chunk, cm, tm, font_dict, font_size, artifact=artifact):  # type: ignore[no-untyped-def]
            if not any(artifact):
                parts.append(chunk)

        page.extract_text(visitor_operand_before=before, visitor_text=text)
        parts.append("\n")
    return " ".join("".join(parts).split())


def all_text(pdf: bytes) -> str:
    return " ".join(page_texts(pdf))


def embedded_fonts(pdf: bytes) -> dict[str, bool]:
    """Font name -> whether its program is embedded (FontFile, FontFile2 or FontFile3)."""
    fonts: dict[str, bool] = {}
    for page in reader(pdf).pages:
        resources = page.get("/Resources", {})
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font.get("/BaseFont"))] = embedded
    return fonts


def page_of(pdf: bytes, phrase: str) -> list[int]:
    return [i for i, t in enumerate(page_texts(pdf)) if phrase in t]


PAGE_RE = re.compile(r"Page (\d+) of\s*(\d+)")


def smallest_size(pdf: bytes) -> float:
    """The smallest text drawn anywhere in the PDF, as printed."""
    return min(r.size for page in page_runs(pdf) for r in page)


def check_handout(pdf: bytes, name: str, identifier: str, titles: list[str]) -> None:
    """What every handout must show, whichever front end made it: who it is for and "Page N of M" on
    every page, the chosen sections, and nothing under 18 pt."""
    assert pdf.startswith(b"%PDF-")
    texts = page_texts(pdf)
    for number, text in enumerate(texts, 1):
        assert name in text, f"page {number} lacks the name"
        assert identifier in text, f"page {number} lacks the identifier"
        assert f"Page {number} of {len(texts)}" in text
    whole = " ".join(texts)
    for title in titles:
        assert title in whole, title
    assert smallest_size(pdf) >= 18.0
