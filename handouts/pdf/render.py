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
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    ActionFlowable,
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from handouts.errors import HandoutError, Problem
from handouts.handout.personalize import Block, Handout
from handouts.inputs.layout import Layout
from handouts.pdf import glyphs
from handouts.pdf.branding import letterhead
from handouts.pdf.fonts import register
from handouts.pdf.log import log_pages
from handouts.pdf.pictures import picture_flowable

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
    """Adds the outline, and "(continued)" titles: a page that goes on with a section starts with that
    section's title, so a reader who turns the page (or a page that gets separated) knows what it is for."""

    continued_style: ParagraphStyle | None = None
    _section: str | None = None
    _fresh_page = False

    def handle_pageBegin(self) -> None:
        super().handle_pageBegin()
        self._fresh_page = True

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        first = flowables[0] if flowables else None
        if self._fresh_page and first is not None and not isinstance(first, ActionFlowable):
            self._fresh_page = False
            if self._section and self.continued_style and not _starts_section(first):
                flowables.insert(0, Paragraph(_markup(f"{self._section} (continued)"), self.continued_style))
        super().handle_flowable(flowables)

    def afterFlowable(self, flowable: Flowable) -> None:
        outline = getattr(flowable, "outline", None)
        if outline:
            text, key, level = outline
            self._section = text
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=level, closed=False)


def _starts_section(flowable: Flowable) -> bool:
    if getattr(flowable, "outline", None):  # every heading is in the outline, the log's included
        return True
    content: Any = getattr(flowable, "_content", None)  # KeepTogether, ours or platypus's keep-with-next
    return bool(content) and _starts_section(content[0])


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
    # The identifier never breaks inside itself: when the header must wrap, it wraps before it.
    second = "&nbsp;".join(_markup(word, True) for word in f"{label}: {ident}".split(" "))
    header = Paragraph(f"{_markup(handout.name, True)}&nbsp;&nbsp;&nbsp; {second}", st.header)
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
        canv.pages = doc.page

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
    doc.continued_style = ParagraphStyle("continued", parent=st.subheading, keepWithNext=0, spaceBefore=0)
    story = _story(handout, layout, st, width, frame_top - frame_bottom, line_color)

    def canvasmaker(*args: Any, **kw: Any) -> Canvas:
        return _HandoutCanvas(*args, handout=handout, fonts=fonts, footer_size=layout.footer.size, **kw)

    doc.build(story, canvasmaker=canvasmaker)
    return out.getvalue()


def _story(
    handout: Handout, layout: Layout, st: Styles, width: float, height: float, line_color: Any
) -> list[Flowable]:
    story: list[Flowable] = letterhead(handout, layout, st.body, width, _markup)
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
    story.append(KeepTogether([intro]))  # a box is never cut by a page break
    # A heading with nothing under it ("Your exercises") travels with the section that follows it.
    waiting: list[Flowable] = []
    for block in handout.blocks:
        flow = _block(block, st, width if layout.pictures else 0)
        if len(flow) == 1:
            waiting += flow
            continue
        if layout.section_per_page:
            story.append(PageBreak())  # page 1 holds who the plan is for; each section then has its own
        flow = waiting + flow
        waiting = []
        # A subsection that fits on a page starts on a fresh page rather than breaking in the middle;
        # a longer one, or a whole section, breaks between paragraphs, never after its heading.
        story += [_Section(flow)] if block.level == 2 else _whole(flow)
    story += waiting
    if handout.log is not None:
        story += log_pages(handout.log, st.heading, st.body, width, height, line_color)
    return story


def _block(block: Block, st: Styles, picture_width: float = 0) -> list[Flowable]:
    """picture_width is the text width when the layout prints pictures, 0 when it doesn't."""
    style = st.heading if block.level == 1 else st.subheading
    out: list[Flowable] = [_Heading(block.title, style, block.id, block.level - 1)]
    if block.picture is not None and picture_width:
        out.append(picture_flowable(block.picture, st.body, st.heading.fontName, picture_width))
    text = [Paragraph(_markup(p), st.body) for p in block.paragraphs]
    facts = [Paragraph(f"<b>{_markup(k)}:</b> {_markup(v)}", st.body) for k, v in block.facts]
    if block.steps:
        # The dose and the words just before the steps ("The steps below are for your helper") go with
        # the steps onto the next page rather than being left at the foot of this one.
        for lead in text[-1:] + facts:
            lead.lead_in = True
    out += text + facts
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
        steps.keep_whole = len(block.steps) <= SHORT_LIST
        out.append(steps)
    return out


def _whole(flows: list[Flowable]) -> list[Flowable]:
    """A short list of steps is kept on one page with the words that lead into it; longer ones may
    break between steps."""
    out: list[Flowable] = []
    leads: list[Flowable] = []
    for f in flows:
        if getattr(f, "lead_in", False):
            leads.append(f)
        elif getattr(f, "keep_whole", False):
            out.append(KeepTogether([*leads, f]))
            leads = []
        else:
            out += [*leads, f]
            leads = []
    return out + leads


class _Section(KeepTogether):
    """Keeps a subsection on one page when it fits.

    KeepTogether can't be nested (an inner one reports an endless height, which sends every section to
    a fresh page), so a short list inside is only kept whole once the section itself has to break.
    """

    def split(self, aW: float, aH: float) -> list[Flowable]:
        return _whole(super().split(aW, aH))
