"""The handout's text: its fonts, its paragraph styles, and the escaping every piece of text goes
through. `markup` escapes text, so a patient called "<b>Ann & Bo</b>" is printed as typed, never as
markup, and sends any letter the layout's fonts lack to a fallback font. Fonts are registered once per
process.
"""

from __future__ import annotations

import unicodedata
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from handouts.errors import HandoutError, Problem
from handouts.handout.personalize import Handout
from handouts.inputs.layout import Layout
from handouts.inputs.styles import MIN_TEXT_PT
from handouts.pdf import glyphs
from handouts.pdf.flow import Para
from handouts.pdf.fonts import register


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    covered: frozenset[int]
    fallback: glyphs.Fallback
    """Draws what the layout's fonts lack (Greek, Cyrillic, Vietnamese, all of Latin)."""


def fonts_for(layout: Layout) -> Fonts:
    """A layout's fonts, registered once per process (reportlab keeps them for every later document)."""
    pair = register(layout.font_files())
    return Fonts(pair.regular, pair.bold, pair.covered, glyphs.fallback_fonts())


def check_glyphs(handout: Handout, fonts: Fonts) -> None:
    """Refuse text no shipped font can draw: an empty box or a dropped letter in a name is a wrong handout."""
    problems = []
    covered = fonts.covered | fonts.fallback.covered
    for item in handout.patient_texts:
        missing = glyphs.missing(item.text, covered)
        if missing:
            shown = ", ".join(as_typed(item.text, ch) for ch in missing[:5])
            problems.append(
                Problem(
                    handout.file,
                    f"no font the handout ships can print {shown}; write it with other letters "
                    "(covered: Latin with every accent, Vietnamese, Greek, Cyrillic)",
                    item.line,
                    item.field,
                )
            )
    if problems:
        raise HandoutError(problems)


def as_typed(text: str, ch: str) -> str:
    """A letter no font has, named with the marks typed after it, taken apart: u + U+0324 + U+0301
    composes (NFC) into U+1E73 + U+0301, a letter the user never typed; it is said as the three."""
    at = text.find(ch)
    end = at + 1
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    parts = unicodedata.normalize("NFD", text[at:end])
    if len(parts) == 1:
        return f"'{ch}' (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')})"
    named = " + ".join(
        c if not unicodedata.combining(c) else f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}" for c in parts
    )
    return f"'{text[at:end]}' ({named})"


printing: ContextVar[Fonts] = ContextVar("printing")
"""The fonts of the handout being rendered, so every piece of text can fall back for missing letters."""


def markup(text: str, bold: bool = False) -> str:
    fonts = printing.get(None)
    if fonts is None:
        return escape(text)
    return glyphs.markup(text, fonts.covered, fonts.fallback, bold)


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    header: ParagraphStyle
    footer: ParagraphStyle
    step: ParagraphStyle
    reference: ParagraphStyle
    """The content's record (sources, version): the body at the standard's 18 pt minimum, never larger."""


def styles_for(layout: Layout, fonts: Fonts) -> Styles:
    text = colors.HexColor(layout.colors.text)
    head = colors.HexColor(layout.colors.heading)

    def style(name: str, spec: Any, font: str, color: Any, **kw: Any) -> ParagraphStyle:
        args: dict[str, Any] = dict(
            fontName=font,
            fontSize=spec.size,
            leading=spec.leading,
            spaceBefore=spec.space_before,
            spaceAfter=spec.space_after,
            textColor=color,
            alignment=TA_LEFT,
            allowWidows=0,
            allowOrphans=0,
            splitLongWords=1,
        )
        return ParagraphStyle(name, **(args | kw))

    return Styles(
        body=style("body", layout.body, fonts.regular, text),
        heading=style("heading", layout.heading, fonts.bold, head, keepWithNext=1),
        subheading=style("subheading", layout.subheading, fonts.bold, head, keepWithNext=1),
        header=style("header", layout.header, fonts.bold, text),
        footer=style("footer", layout.footer, fonts.regular, text),
        step=style("step", layout.body, fonts.regular, text, spaceAfter=layout.body.space_after / 2),
        reference=style("reference", layout.body, fonts.regular, text, **_at_most(layout.body, MIN_TEXT_PT)),
    )


def _at_most(spec: Any, size: float) -> dict[str, float]:
    """A body spec's size and leading brought down to `size`, its line spacing kept."""
    if spec.size <= size:
        return {}
    return {"fontSize": size, "leading": spec.leading * size / spec.size}


class Heading(Para):
    """A heading that also becomes an entry in the PDF's outline."""

    def __init__(self, text: str, style: ParagraphStyle, key: str, level: int) -> None:
        super().__init__(markup(text, bold=True), style)
        self.outline = (text, key, level)
