"""Print a personalized handout with a layout, using reportlab's platypus.

The page: running header and footer, the frame, the outline and "(continued)" titles; the story of
sections comes from story.py and the text styles from text.py. "Page N of M" is done in one pass:
each page draws "Page N of " and a shared form object that is filled in with M when the document
closes, so the story is laid out once. The PDF is deterministic: reportlab's invariant mode, and the
creation date is the handout's own date.
"""

from __future__ import annotations

import io
import re
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    ActionFlowable,
    BaseDocTemplate,
    Flowable,
    LayoutError,
    PageTemplate,
    Paragraph,
)

from handouts.errors import HandoutError, Problem
from handouts.handout.personalize import Handout
from handouts.handout.words import words
from handouts.inputs.layout import Layout
from handouts.inputs.styles import MIN_LINE_SPACING, MIN_TEXT_PT
from handouts.output import handout_filename
from handouts.pdf.attach import embed_plan
from handouts.pdf.flow import CopiedFrame, Para, RunningPara
from handouts.pdf.story import story as story_of
from handouts.pdf.tagging import TaggedCanvas, artifact, artifact_page, start_tagging
from handouts.pdf.text import Fonts, Styles, check_glyphs, fonts_for, markup, printing, styles_for

rl_config.useA85 = 0  # plain binary streams: smaller and faster, and every PDF reader takes them
INCH = 72.0


class _HandoutCanvas(TaggedCanvas):
    """Fills in the total page count, once, when the document closes."""

    def __init__(self, *args: Any, handout: Handout, fonts: Fonts, footer_size: float, **kw: Any) -> None:
        super().__init__(*args, **kw)
        stamp = handout.date.strftime("D:%Y%m%d000000+00'00'")
        self.setDateFormatter(lambda *_: stamp)
        self._ho_fonts = fonts
        self._ho_footer = footer_size
        self._ho_handout = handout
        self.pages = 0

    def save(self) -> None:
        self.beginForm("pageCount", 0, 0, 10 * self._ho_footer, 2 * self._ho_footer)
        self.setFont(self._ho_fonts.regular, self._ho_footer)
        self.drawString(0, 0, str(self.pages))
        self.endForm()
        if self._ho_handout.plan_file:
            name = handout_filename(self._ho_handout).removesuffix(".pdf") + ".yaml"
            embed_plan(self._doc, self._ho_handout.plan_file, name, self._ho_handout.date)
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
                flowables.insert(0, artifact(Para(markup(title), self.continued_style)))
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


def _at_minimum(style: ParagraphStyle, name: str) -> ParagraphStyle:
    """A footer line set at the standard's 18 pt and its least line spacing, whatever the layout's size."""
    return style.clone(name, fontSize=MIN_TEXT_PT, leading=MIN_TEXT_PT * MIN_LINE_SPACING)


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
            said = f"{markup(self.words('call'))} {markup(handout.phone)}"
            self.phone = RunningPara(said, st.footer)
            if self.phone.wrap(width, 10 * self.leading)[1] > 2 * self.leading and self.size > MIN_TEXT_PT:
                # A phone of 120 letters with no spaces, in very large type, would leave too little page
                # over the footer: set it at 18 pt, the large-print minimum, as the header does.
                small = _at_minimum(st.footer, "footer-long")
                self.phone = RunningPara(said, small)
                self.phone.wrap(width, 10 * self.leading)
            self.phone_w = max(self.phone.getActualLineWidths0())
            label_w = pdfmetrics.stringWidth(self.words("page_of", n=99) + "99", fonts.regular, self.size)
            self.beside = label_w + 2 * self.size + self.phone_w <= width
        self.height = self.leading if self.beside else self.leading + self.phone.height  # type: ignore[union-attr]
        self.draft: Paragraph | None = None
        if handout.draft:
            # At the standard's 18 pt whatever the layout's footer size: it must be on every page, and
            # a line of it in very large type would push a page's worth of words on in a long handout.
            notice = _at_minimum(st.footer, "draft")
            self.draft = RunningPara(f"<b>{markup(handout.draft)}</b>", notice)
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


def _header(handout: Handout, st: Styles, width: float, page_h: float) -> tuple[RunningPara, float]:
    """The running header, the patient's name and second identifier, and its height."""
    label, ident = handout.identifier
    # The identifier never breaks inside itself: when the header must wrap, it wraps before it.
    second = "&nbsp;".join(markup(word, True) for word in f"{label}: {ident}".split(" "))
    header = RunningPara(f"{markup(handout.name, True)}&nbsp;&nbsp;&nbsp; {second}", st.header)
    _, header_h = header.wrap(width, page_h)
    if header_h > page_h / 4 and st.header.fontSize > MIN_TEXT_PT:
        # A 120-letter name and identifier with no spaces would leave too little page under the header
        # at a size above the standard's: set that header at 18 pt, the large-print minimum.
        small = st.header.clone(
            "header-long", fontSize=MIN_TEXT_PT, leading=MIN_TEXT_PT * st.header.leading / st.header.fontSize
        )
        header = RunningPara(header.text, small)
        _, header_h = header.wrap(width, page_h)
    return header, header_h


def render_counted(handout: Handout, layout: Layout) -> tuple[bytes, int]:
    """The PDF and its number of pages, as the document knew it when it was built."""
    fonts = fonts_for(layout)
    check_glyphs(handout, fonts)
    printing.set(fonts)
    start_tagging(handout)  # every handout is a tagged PDF; no layout turns it off
    st = styles_for(layout, fonts)
    page_w, page_h = layout.page_size
    m = layout.margins
    left, right, top, bottom = m.left * INCH, m.right * INCH, m.top * INCH, m.bottom * INCH
    width = min(page_w - left - right, layout.max_line_inches * INCH)
    header, header_h = _header(handout, st, width, page_h)
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
    story = story_of(handout, layout, st, width, frame_top - frame_bottom, line_color)

    def canvasmaker(*args: Any, **kw: Any) -> Canvas:
        return _HandoutCanvas(*args, handout=handout, fonts=fonts, footer_size=layout.footer.size, **kw)

    try:
        doc.build(story, canvasmaker=canvasmaker)
    except LayoutError as exc:
        raise HandoutError(_does_not_fit(handout, layout, str(exc))) from None
    return out.getvalue(), doc.page


def _does_not_fit(handout: Handout, layout: Layout, said: str) -> Problem:
    """A part of the handout taller than the page leaves for text: the layout's sizes are too large for
    what this handout holds. `check` prints the longest handouts to find this before a patient's does."""
    found = re.search(r"too large on page (\d+) in frame '\w+'\(([\d.]+) x ([\d.]+)\)", said)
    where = f" on page {found[1]}, where the page leaves {float(found[3]):.0f} pt for text" if found else ""
    return Problem(
        handout.file,
        f"this handout does not fit the layout on {layout.paper} paper: a part that must stay on one page is "
        f"taller than the page{where}. Use a smaller body, heading, header or footer size, line spacing or "
        "margins in the layout (run `python generate.py check` to test it)",
        None,
        f"layout {layout.name}",
    )
