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
from handouts.handout.words import words
from handouts.inputs.layout import Layout
from handouts.inputs.styles import MIN_TEXT_PT
from handouts.pdf import glyphs
from handouts.pdf.branding import letterhead
from handouts.pdf.flow import CopiedFrame, Para, RuledLines, Section
from handouts.pdf.fonts import register
from handouts.pdf.log import log_pages
from handouts.pdf.pictures import LABEL_PT, Figure, W, drawing_for, picture_flowable
from handouts.pdf.tagging import TaggedCanvas, artifact, artifact_page, start_tagging, tagged, tagged_list

rl_config.useA85 = 0  # plain binary streams: smaller and faster, and every PDF reader takes them
INCH = 72.0
HEAD_STEPS = 2
"""A section's heading, picture and at least this many of its first steps stay on one page."""
BESIDE_TEXT = 3.5 * INCH
"""The narrowest text beside a picture; a picture that would leave less goes above its section instead."""


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


class _Heading(Para):
    """A heading that also becomes an entry in the PDF's outline."""

    def __init__(self, text: str, style: ParagraphStyle, key: str, level: int) -> None:
        super().__init__(_markup(text, bold=True), style)
        self.outline = (text, key, level)


class _HandoutCanvas(TaggedCanvas):
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
    continued_words = "{title} (continued)"
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
                title = self.continued_words.format(title=self._section)
                flowables.insert(0, artifact(Para(_markup(title), self.continued_style)))
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
    content = getattr(flowable, "_content", None)  # KeepTogether, ours or platypus's keep-with-next
    return _starts_section(content[0]) if content else False


class _Footer:
    """ "Page N of M" and, when the handout has a phone, "Questions? Call ..." at the right of the same
    line, or on a line of its own above it when both don't fit: at the footer's size, on every page.
    A handout printed from unreviewed content says so above them, in bold ("Traducción pendiente de
    revisión clínica"), so no page of it can be handed out without the warning."""

    def __init__(self, handout: Handout, layout: Layout, fonts: Fonts, st: Styles, width: float) -> None:
        self.fonts, self.size, self.width = fonts, layout.footer.size, width
        self.leading = layout.footer.leading
        self.color = colors.HexColor(layout.colors.text)
        self.phone: Paragraph | None = None
        self.phone_w = 0.0
        self.beside = True
        self.words = words(handout.language.split("-")[0])
        if handout.phone:
            self.phone = Paragraph(f"{_markup(self.words('call'))} {_markup(handout.phone)}", st.footer)
            self.phone.wrap(width, 10 * self.leading)
            self.phone_w = max(self.phone.getActualLineWidths0())
            label_w = pdfmetrics.stringWidth(self.words("page_of", n=99) + "99", fonts.regular, self.size)
            self.beside = label_w + 2 * self.size + self.phone_w <= width
        self.height = self.leading if self.beside else self.leading + self.phone.height  # type: ignore[union-attr]
        self.draft: Paragraph | None = None
        if handout.draft:
            self.draft = Paragraph(f"<b>{_markup(handout.draft)}</b>", st.footer)
            self.lines_h = self.height
            self.height += self.draft.wrap(width, 10 * self.leading)[1]

    def draw(self, canv: Canvas, page: int, left: float, bottom: float) -> None:
        baseline = bottom + (self.leading - self.size) / 2 + self.size * 0.25
        label_text = self.words("page_of", n=page)
        canv.setFont(self.fonts.regular, self.size)
        canv.setFillColor(self.color)
        canv.drawString(left, baseline, label_text)
        canv.saveState()
        canv.translate(left + pdfmetrics.stringWidth(label_text, self.fonts.regular, self.size), baseline)
        canv.doForm("pageCount")
        canv.restoreState()
        if self.phone is not None:
            # A paragraph's first baseline sits one font size below its top.
            if self.beside:
                self.phone.drawOn(canv, left + self.width - self.phone_w, baseline + self.size - self.phone.height)
            else:
                self.phone.drawOn(canv, left, bottom + self.leading)
        if self.draft is not None:
            self.draft.drawOn(canv, left, bottom + self.lines_h)


def render(handout: Handout, layout: Layout) -> bytes:
    """The PDF for one handout, as bytes; writing it to disk is the caller's job."""
    return render_counted(handout, layout)[0]


def render_counted(handout: Handout, layout: Layout) -> tuple[bytes, int]:
    """The PDF and its number of pages, as the document knew it when it was built."""
    fonts = fonts_for(layout)
    check_glyphs(handout, fonts)
    _printing.set(fonts)
    start_tagging(handout)  # every handout is a tagged PDF; no layout turns it off
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
    if header_h > page_h / 4 and st.header.fontSize > MIN_TEXT_PT:
        # A 120-letter name and identifier with no spaces would leave too little page under the header
        # at a size above the standard's: set that header at 18 pt, the large-print minimum.
        small = st.header.clone(
            "header-long", fontSize=MIN_TEXT_PT, leading=MIN_TEXT_PT * st.header.leading / st.header.fontSize
        )
        header = Paragraph(header.text, small)
        _, header_h = header.wrap(width, page_h)
    gap = layout.body.size * 0.6
    footer = _Footer(handout, layout, fonts, st, width)
    frame_top = page_h - top - header_h - gap
    frame_bottom = bottom + footer.height + gap
    line_color = colors.HexColor(layout.colors.lines)

    def decorate(canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        header.drawOn(canv, left, page_h - top - header_h)
        canv.setStrokeColor(line_color)
        canv.setLineWidth(1.5)
        canv.line(left, frame_top + gap / 2, left + width, frame_top + gap / 2)
        canv.line(left, frame_bottom - gap / 2, left + width, frame_bottom - gap / 2)
        footer.draw(canv, doc.page, left, bottom)
        canv.restoreState()
        canv.pages = doc.page

    frame = CopiedFrame(left, frame_bottom, width, frame_top - frame_bottom, 0, 0, 0, 0, id="body", showBoundary=0)
    out = io.BytesIO()
    doc = _Doc(
        out,
        pagesize=(page_w, page_h),
        pageTemplates=[PageTemplate("page", [frame], onPage=artifact_page(decorate))],
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
    doc.continued_words = words(handout.language.split("-")[0])("continued", title="{title}")
    story = _story(handout, layout, st, width, frame_top - frame_bottom, line_color)

    def canvasmaker(*args: Any, **kw: Any) -> Canvas:
        return _HandoutCanvas(*args, handout=handout, fonts=fonts, footer_size=layout.footer.size, **kw)

    doc.build(story, canvasmaker=canvasmaker)
    return out.getvalue(), doc.page


def _story(
    handout: Handout, layout: Layout, st: Styles, width: float, height: float, line_color: Any
) -> list[Flowable]:
    story: list[Flowable] = letterhead(handout, layout, st.body, width, _markup)
    story.append(_intro_box(handout, layout, st, width, line_color))
    # A heading with nothing under it ("Your exercises") travels with the section that follows it.
    waiting: list[Flowable] = []
    for block in handout.blocks:
        head, rest = _block(block, st, width if layout.pictures else 0, line_color, height)
        if not rest and len(head) == 1:
            waiting += head
            continue
        if layout.section_per_page and block.id != "plan":
            story.append(PageBreak())  # a layout may ask for each section on a page of its own
        story.append(Section(waiting + head, rest, height))
        waiting = []
    story += waiting
    if handout.log is not None:
        phone = _markup(handout.phone) if handout.phone else None
        story += log_pages(handout.log, st.heading, st.body, width, height, line_color, phone)
    return story


def _intro_box(handout: Handout, layout: Layout, st: Styles, width: float, line_color: Any) -> Flowable:
    """Who the plan is for, boxed at the top of page 1; a box is never cut by a page break."""
    pad = layout.body.size * 0.6
    rows = [[Paragraph(line, st.body)] for line in _intro_lines(handout, st, width - 2 * pad)]
    intro = tagged(Table(rows, colWidths=[width]), "L")  # the identification box reads as a list
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
    return KeepTogether([intro])


def _intro_lines(handout: Handout, st: Styles, width: float) -> list[str]:
    """The identification box's facts, two to a line where both fit on it whole (after the first,
    who the plan is for, which has a line of its own): the box takes fewer lines of page 1."""
    facts = [f"<b>{_markup(k)}:</b> {_markup(v)}" for k, v in handout.intro]
    size = st.body.fontSize
    # Measured in the layout's fonts, with room to spare for any letter drawn in a fallback font.
    bold, regular = st.heading.fontName, st.body.fontName
    widths = [
        (pdfmetrics.stringWidth(f"{k}: ", bold, size) + pdfmetrics.stringWidth(v, regular, size)) * 1.1
        for k, v in handout.intro
    ]
    gap = "&nbsp;" * 4
    lines = facts[:1]
    i = 1
    while i < len(facts):
        if i + 1 < len(facts) and widths[i] + widths[i + 1] + 4 * size / 2 <= width:
            lines.append(facts[i] + gap + facts[i + 1])
            i += 2
        else:
            lines.append(facts[i])
            i += 1
    return lines


def _block(
    block: Block, st: Styles, picture_width: float, line_color: Any, page_height: float
) -> tuple[list[Flowable], list[Flowable]]:
    """A block's flowables in reading order, as (head, rest): the head (heading, picture, dose, the words
    leading in and the first steps) never breaks; the rest may go on to the next page.

    picture_width is the text width when the layout prints pictures, 0 when it doesn't. Flowables are
    made first and tagged after, in reading order (the order of the structure tree): heading, picture
    and caption, facts, lead, steps, why it helps, lines to write on."""
    style = st.heading if block.level == 1 else st.subheading
    heading = _Heading(block.title, style, block.id, block.level - 1)
    head: list[Flowable] = [heading]
    facts: list[Flowable] = [_fact(k, v, st) for k, v in block.facts]
    lead: list[Flowable] = [Para(_markup(p), st.body) for p in block.lead]
    steps = _steps(block, st)
    items = facts + lead
    # A pictured section's head runs to its second step, so the picture is never left without them;
    # any other heading keeps only its first paragraph or step with it (which breaks between lines).
    pictured = block.picture is not None and picture_width > 0
    keep = len(items) + min(HEAD_STEPS, len(steps)) if pictured else min(1, len(items) + len(steps))
    # After the steps, why it helps in one paragraph: short sentences read as one, and take less paper.
    after = [" ".join(block.paragraphs)] if block.steps and block.paragraphs else list(block.paragraphs)
    paragraphs: list[Flowable] = [Para(_markup(p), st.body) for p in after]
    ruled = [RuledLines(_markup(label), lines, st.body, line_color) for label, lines in block.writein]
    items += steps + paragraphs + ruled
    if block.introduces:
        # A category's few words before its moves: split, a line of them would sit alone on a page of
        # its own, the next move's picture and first steps not fitting under it.
        keep = len(items)
    tagged(heading, f"H{block.level}")
    beside: Flowable | None = None
    if pictured:
        assert block.picture is not None
        beside = _beside_picture(block, st, picture_width, items[:keep], page_height)
        if beside is None:
            head.append(picture_flowable(block.picture, st.body, st.heading.fontName, picture_width))
    _tag_parts(block, facts, lead, steps, paragraphs, ruled)
    if beside is not None:
        return [*head, beside], items[keep:]
    return head + items[:keep], items[keep:]


def _tag_parts(
    block: Block,
    facts: list[Flowable],
    lead: list[Flowable],
    steps: list[Flowable],
    paragraphs: list[Flowable],
    ruled: list[RuledLines],
) -> None:
    """The structure of a block's text, after its heading and picture: page 1's plan at a glance is a
    list of its lines, a list of steps is one list (numbered, or bulleted for warning signs), the label
    of lines to write on a paragraph (the lines themselves are drawn as artifacts)."""
    if block.id == "plan":
        tagged_list(facts, None)
    else:
        for fact in facts:
            tagged(fact, "P")
    for para in lead:
        tagged(para, "P")
    if steps:
        tagged_list(steps, "Disc" if block.bullets else "Decimal")
    for para in paragraphs:
        tagged(para, "P")
    for lines in ruled:
        tagged(lines.label, "P")


def _beside_picture(
    block: Block, st: Styles, width: float, first: list[Flowable], page_height: float
) -> Flowable | None:
    """The picture at the left, and at its right its caption, the dose and the first steps: what to do
    sits by the picture of it, and the section takes a picture's height less paper. None when the
    text beside it would be too narrow (very large type), where the picture goes above instead."""
    assert block.picture is not None
    # The side label in the drawing is never smaller than the text, so very large type draws it larger,
    # and the picture then goes above its section when that leaves too little room beside it.
    scale, font = max(1.0, st.body.fontSize / LABEL_PT), st.heading.fontName
    gap = st.body.fontSize
    drawn = W * scale
    if width - drawn - gap < BESIDE_TEXT:
        return None
    caption_style = ParagraphStyle("caption", parent=st.body, fontName=st.heading.fontName, spaceBefore=0)
    # A row can't break across pages: beside the picture goes only what surely fits well inside one.
    if _estimated_height(block, st, width - drawn - gap) > page_height * 0.7:
        return None
    alt = block.picture.alt
    figure = tagged(Figure(drawing_for(block.picture, font, scale), alt), "Figure", alt=alt)
    caption = tagged(Para(_markup(block.picture.caption), caption_style), "P")
    table = Table([[figure, [caption, *first]]], colWidths=[drawn + gap, width - drawn - gap], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                # Cells name a font even when they hold no text; name ours, never reportlab's Helvetica.
                ("FONT", (0, 0), (-1, -1), st.body.fontName, st.body.fontSize, st.body.leading),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _estimated_height(block: Block, st: Styles, width: float) -> float:
    """A generous estimate of the words beside a picture (caption, facts, lead, first steps), from the
    width of their letters: wrapping them for real here would double the time a handout takes."""
    assert block.picture is not None
    texts = [block.picture.caption, *(f"{k}: {v}" for k, v in block.facts), *block.lead, *block.steps[:HEAD_STEPS]]
    size, leading = st.body.fontSize, st.body.leading
    height = 0.0
    for text in texts:
        line = width - size * 1.6  # a step's number takes the first part of its line
        lines = int(pdfmetrics.stringWidth(text, st.heading.fontName, size) * 1.15 // line) + 1
        height += lines * leading + st.body.spaceAfter
    return height


def _fact(label: str, value: str, st: Styles) -> Paragraph:
    return Para(f"<b>{_markup(label)}:</b> {_markup(value)}", st.body)


def _steps(block: Block, st: Styles) -> list[Flowable]:
    """One list flowable per step, numbered on from the one before, so steps can go on to the next page
    one at a time; warning signs, which are not done in order, get a bullet instead of a number."""
    out: list[Flowable] = []
    for number, step in enumerate(block.steps, 1):
        bullet: dict[str, Any] = (
            {"bulletType": "bullet", "start": "\u2022"}
            if block.bullets
            else {"bulletType": "1", "start": number, "bulletFormat": "%s."}
        )
        out.append(
            ListFlowable(
                [ListItem(Para(_markup(step), st.step))],
                bulletFontName=st.heading.fontName,
                bulletFontSize=st.body.fontSize,
                leftIndent=st.body.fontSize * 1.6,
                bulletDedent="auto",
                **bullet,
            )
        )
    return out
