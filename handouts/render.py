"""Print a personalized handout with a layout, using reportlab's platypus.

All text goes through `_markup`, which escapes it: a patient called "<b>Ann & Bo</b>" is printed as
typed, never as markup. Fonts are registered once per process. "Page N of M" is done in one pass:
each page draws "Page N of " and a shared form object that is filled in with M when the document
closes, so the story is laid out once. The PDF is deterministic: reportlab's invariant mode, and the
creation date is the handout's own date.
"""

from __future__ import annotations

import io
import unicodedata
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from handouts import glyphs
from handouts.errors import HandoutError, Problem
from handouts.layout import Layout
from handouts.personalize import Block, Handout

rl_config.useA85 = 0  # plain binary streams: smaller and faster, and every PDF reader takes them
INCH = 72.0
SHORT_LIST = 8
"""Lists of steps up to this long are kept on one page; longer ones may break between steps."""


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    covered: frozenset[int]
    fallback: glyphs.Fallback
    """Draws what the layout's fonts lack (Greek, Cyrillic, Vietnamese, all of Latin)."""


_fonts: dict[tuple[Path, Path], Fonts] = {}


def fonts_for(layout: Layout) -> Fonts:
    """Register a layout's fonts once per process; reportlab keeps them for every later document."""
    files = layout.font_files()
    if files not in _fonts:
        names = []
        for path in files:
            name = "HO-" + path.stem
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, str(path)))
            names.append(name)
        # <b> inside a paragraph must find the real bold face, never a synthesized or missing one.
        registerFontFamily(names[0], normal=names[0], bold=names[1], italic=names[0], boldItalic=names[1])
        regular = pdfmetrics.getFont(names[0])
        bold = pdfmetrics.getFont(names[1])
        covered = frozenset(regular.face.charToGlyph) & frozenset(bold.face.charToGlyph)
        _fonts[files] = Fonts(names[0], names[1], covered, glyphs.fallback_fonts())
    return _fonts[files]


def check_glyphs(handout: Handout, fonts: Fonts) -> None:
    """Refuse text no shipped font can draw: an empty box or a dropped letter in a name is a wrong handout."""
    problems = []
    covered = fonts.covered | fonts.fallback.covered
    for item in handout.patient_texts:
        missing = glyphs.missing(item.text, covered)
        if missing:
            shown = ", ".join(f"'{ch}' (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')})" for ch in missing[:5])
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


_printing: ContextVar[Fonts] = ContextVar("_printing")
"""The fonts of the handout being rendered, so every piece of text can fall back for missing letters."""


def _markup(text: str, bold: bool = False) -> str:
    fonts = _printing.get(None)
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
    )


class _Heading(Paragraph):
    """A heading that also becomes an entry in the PDF's outline."""

    def __init__(self, text: str, style: ParagraphStyle, key: str, level: int) -> None:
        super().__init__(_markup(text, bold=True), style)
        self.outline = (text, key, level)


class _HandoutCanvas(Canvas):
    """Fills in the total page count, once, when the document closes."""

    def __init__(self, *args: Any, handout: Handout, fonts: Fonts, footer_size: float, **kw: Any) -> None:
        super().__init__(*args, **kw)
        stamp = handout.date.strftime("D:%Y%m%d000000+00'00'")
        self.setDateFormatter(lambda *_: stamp)
        self._ho_fonts = fonts
        self._ho_footer = footer_size
        self.pages = 0

    def save(self) -> None:
        self.beginForm("pageCount", 0, 0, 10 * self._ho_footer, 2 * self._ho_footer)
        self.setFont(self._ho_fonts.regular, self._ho_footer)
        self.drawString(0, 0, str(self.pages))
        self.endForm()
        super().save()


class _Doc(BaseDocTemplate):
    def afterFlowable(self, flowable: Flowable) -> None:
        outline = getattr(flowable, "outline", None)
        if outline:
            text, key, level = outline
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=level, closed=False)


def render(handout: Handout, layout: Layout) -> bytes:
    """The PDF for one handout, as bytes; writing it to disk is the caller's job."""
    fonts = fonts_for(layout)
    check_glyphs(handout, fonts)
    _printing.set(fonts)
    st = styles_for(layout, fonts)
    page_w, page_h = layout.page_size
    m = layout.margins
    left, right, top, bottom = m.left * INCH, m.right * INCH, m.top * INCH, m.bottom * INCH
    width = min(page_w - left - right, layout.max_line_inches * INCH)
    label, ident = handout.identifier
    header = Paragraph(
        f"{_markup(handout.name, True)}&nbsp;&nbsp;&nbsp; {_markup(label, True)}: {_markup(ident, True)}",
        st.header,
    )
    _, header_h = header.wrap(width, page_h)
    gap = layout.body.size * 0.6
    footer_h = layout.footer.leading
    frame_top = page_h - top - header_h - gap
    frame_bottom = bottom + footer_h + gap
    line_color = colors.HexColor(layout.colors.lines)

    def decorate(canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        header.drawOn(canv, left, page_h - top - header_h)
        canv.setStrokeColor(line_color)
        canv.setLineWidth(1.5)
        canv.line(left, frame_top + gap / 2, left + width, frame_top + gap / 2)
        canv.line(left, frame_bottom - gap / 2, left + width, frame_bottom - gap / 2)
        size = layout.footer.size
        baseline = bottom + (footer_h - size) / 2 + size * 0.25
        label_text = f"Page {doc.page} of "
        canv.setFont(fonts.regular, size)
        canv.setFillColor(colors.HexColor(layout.colors.text))
        canv.drawString(left, baseline, label_text)
        canv.translate(left + pdfmetrics.stringWidth(label_text, fonts.regular, size), baseline)
        canv.doForm("pageCount")
        canv.restoreState()
        canv.pages = doc.page  # type: ignore[attr-defined]

    frame = Frame(left, frame_bottom, width, frame_top - frame_bottom, 0, 0, 0, 0, id="body", showBoundary=0)
    out = io.BytesIO()
    doc = _Doc(
        out,
        pagesize=(page_w, page_h),
        pageTemplates=[PageTemplate("page", [frame], onPage=decorate)],
        title=handout.title,
        author=handout.author,
        subject=handout.subject,
        creator=handout.creator,
        lang=handout.language,
        invariant=1,
        displayDocTitle=1,
        initialFontName=fonts.regular,
        initialFontSize=layout.body.size,
        initialLeading=layout.body.leading,
    )
    story = _story(handout, layout, st, width, line_color)

    def canvasmaker(*args: Any, **kw: Any) -> Canvas:
        return _HandoutCanvas(*args, handout=handout, fonts=fonts, footer_size=layout.footer.size, **kw)

    doc.build(story, canvasmaker=canvasmaker)
    return out.getvalue()


def _story(handout: Handout, layout: Layout, st: Styles, width: float, line_color: Any) -> list[Flowable]:
    story: list[Flowable] = []
    rows = [[Paragraph(f"<b>{_markup(k)}:</b> {_markup(v)}", st.body)] for k, v in handout.intro]
    intro = Table(rows, colWidths=[width])
    pad = layout.body.size * 0.6
    intro.setStyle(
        TableStyle(
            [
                # The table's own font, though it draws no text, must not pull in an unembedded Helvetica.
                ("FONT", (0, 0), (-1, -1), st.body.fontName, st.body.fontSize, st.body.leading),
                ("BOX", (0, 0), (-1, -1), 2, line_color),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(layout.colors.box_fill)),
                ("LEFTPADDING", (0, 0), (-1, -1), pad),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, 0), pad),
                ("BOTTOMPADDING", (0, -1), (-1, -1), pad / 2),
            ]
        )
    )
    story.append(intro)
    for block in handout.blocks:
        story += _block(block, st)
    return story


def _block(block: Block, st: Styles) -> list[Flowable]:
    style = st.heading if block.level == 1 else st.subheading
    out: list[Flowable] = [_Heading(block.title, style, block.id, block.level - 1)]
    out += [Paragraph(_markup(p), st.body) for p in block.paragraphs]
    out += [Paragraph(f"<b>{_markup(k)}:</b> {_markup(v)}", st.body) for k, v in block.facts]
    if block.steps:
        steps = ListFlowable(
            [ListItem(Paragraph(_markup(s), st.step)) for s in block.steps],
            bulletType="1",
            bulletFormat="%s.",
            bulletFontName=st.heading.fontName,
            bulletFontSize=st.body.fontSize,
            leftIndent=st.body.fontSize * 1.6,
            bulletDedent="auto",
        )
        out.append(KeepTogether([steps]) if len(block.steps) <= SHORT_LIST else steps)
    return out
