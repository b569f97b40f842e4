"""The story of a handout: the flowables of its sections in reading order, each tagged for the
structure tree. What stays together on a page is decided here (a section's heading, its picture and
its first steps); where pages break is the document's job (render.py).
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph,
    Table,
    TableStyle,
)

from handouts.handout.personalize import Block, Handout
from handouts.inputs.layout import Layout
from handouts.pdf.branding import letterhead
from handouts.pdf.clinic_image import clinic_figure
from handouts.pdf.flow import NumberedLines, Para, RuledLines, Section
from handouts.pdf.log import log_pages
from handouts.pdf.painting import Figure, unpadded_table
from handouts.pdf.pictures import LABEL_PT, H, W, drawing_for, picture_flowable
from handouts.pdf.qr import with_video
from handouts.pdf.tagging import tagged, tagged_list
from handouts.pdf.text import Heading, Styles, markup

INCH = 72.0
HEAD_STEPS = 2
"""A section's heading, picture and at least this many of its first steps stay on one page, the picture
beside its text (what goes beside it is what fits its height: _beside_count)."""
HEAD_STEPS_ABOVE = 1
"""The steps kept with a picture set above its text (extra-large): heading, picture, dose and the first
step alone, so a page that can't hold the rest of the section still takes its start, not left half blank."""
BESIDE_TEXT = 3.0 * INCH
"""The narrowest text beside a picture; a picture that would leave less goes above its section instead."""


def story(handout: Handout, layout: Layout, st: Styles, width: float, height: float, line_color: Any) -> list[Flowable]:
    story: list[Flowable] = letterhead(handout, layout, st.body, width, markup)
    story += _intro_box(handout, layout, st, width, line_color, height)
    # A heading with nothing under it ("Your exercises"), or a category's few words before its moves,
    # travels with the head of the section that follows it: alone, it would be left at the foot of a
    # page the next picture does not fit on, or on a page of its own.
    waiting: list[Flowable] = []
    for block in handout.blocks:
        head, rest = _block(block, st, width if layout.pictures else 0, line_color, height)
        rest = with_video(rest, block.video, st.body, st.heading.fontName, width)  # the clinic's video: a QR code
        if not rest and (len(head) == 1 or block.introduces):
            waiting += head
            continue
        if layout.section_per_page and block.id != "plan":
            story.append(PageBreak())  # a layout may ask for each section on a page of its own
        story.append(Section(waiting + head, rest, height))
        waiting = []
    story += waiting
    sections = [f for f in story if isinstance(f, Section)]
    for before, after in zip(sections, sections[1:], strict=False):
        before.next = after  # where a section breaks depends on the head of the next (flow.Section)
    notes = story[-1]._content[-1] if isinstance(story[-1], Section) else None
    if handout.log is None:
        if isinstance(notes, RuledLines):
            notes.fill_before(0)  # the last thing printed: never a page of its own for lines a page could hold
        return story
    phone = markup(handout.phone) if handout.phone else None
    log = log_pages(handout.log, st.heading, st.body, width, height, line_color, phone)
    if isinstance(notes, RuledLines) and isinstance(log[0], CondPageBreak):
        notes.fill_before(log[0].height)  # the notes take the room the log leaves
    return story + log


def _intro_box(
    handout: Handout, layout: Layout, st: Styles, width: float, line_color: Any, height: float
) -> list[Flowable]:
    """Who the plan is for, boxed at the top of page 1; a box is never cut by a page break, unless it is
    taller than a page, when it breaks between its lines. A line of it taller than the page leaves for
    text (a 120-letter name in very large type, under a long header and footer) can't be drawn in a box
    row, which never splits: the lines then print unboxed, each free to go on to the next page."""
    pad = layout.body.size * 0.6
    lines = _intro_lines(handout, st, width - 2 * pad)
    rows = [[Para(line, st.body)] for line in lines]
    if max(row[0].wrap(width - 2 * pad, height)[1] for row in rows) + 2 * pad > height:
        return [tagged(Para(line, st.body), "P") for line in lines]
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
    return [KeepTogether([intro])]


def _intro_lines(handout: Handout, st: Styles, width: float) -> list[str]:
    """The identification box's facts, two to a line where both fit on it whole (after the first,
    who the plan is for, which has a line of its own): the box takes fewer lines of page 1."""
    facts = [f"<b>{markup(k)}:</b> {markup(v)}" for k, v in handout.intro]
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
    heading = Heading(block.title, style, block.id, block.level - 1)
    head: list[Flowable] = [heading]
    marks = block.marks or ("",) * len(block.facts)
    facts: list[Flowable] = [_fact(k, v, st, m) for (k, v), m in zip(block.facts, marks, strict=True)]
    record = len(block.lead) - block.reference  # the content's record comes last, at 18 pt
    lead: list[Flowable] = [Para(markup(p), st.body if i < record else st.reference) for i, p in enumerate(block.lead)]
    steps = _steps(block, st)
    items = facts + lead
    # A pictured section's head runs to its second step, so the picture is never left without them;
    # any other heading keeps only its first paragraph or step with it (which breaks between lines).
    pictured = block.picture is not None and picture_width > 0
    beside = _beside_count(block, st, picture_width, page_height) if pictured else None
    head_steps = HEAD_STEPS if beside is not None else HEAD_STEPS_ABOVE
    keep = len(items) + min(head_steps, len(steps)) if pictured else min(1, len(items) + len(steps))
    keep = max(keep, beside or 0)
    # After the steps, why it helps in one paragraph: short sentences read as one, and take less paper.
    after = [" ".join(block.paragraphs)] if block.steps and block.paragraphs else list(block.paragraphs)
    paragraphs: list[Flowable] = [Para(markup(p), st.body) for p in after]
    ruled = [RuledLines(markup(label), lines, st.body, line_color) for label, lines in block.writein]
    bold = st.heading.fontName
    numbered = [NumberedLines(markup(label), n, st.body, bold, line_color) for label, n in block.numbered]
    cautions = [_fact(k, v, st) for k, v in block.after_steps]
    items += steps + numbered + cautions + paragraphs + ruled
    if block.introduces:
        # A category's few words before its moves: split, a line of them would sit alone on a page of
        # its own, the next move's picture and first steps not fitting under it.
        keep = len(items)
    tagged(heading, f"H{block.level}")
    table: Flowable | None = None
    if pictured:
        assert block.picture is not None
        if beside is not None:
            table = _beside_picture(block, st, picture_width, items[:beside])
        else:
            head.append(_picture_above(block, st, picture_width, page_height))
    _tag_parts(block, facts, lead, steps, cautions + paragraphs, ruled, numbered)
    if table is not None:
        return [*head, table, *items[beside:keep]], items[keep:]
    return head + items[:keep], items[keep:]


def _tag_parts(
    block: Block,
    facts: list[Flowable],
    lead: list[Flowable],
    steps: list[Flowable],
    paragraphs: list[Flowable],
    ruled: list[RuledLines],
    numbered: list[NumberedLines],
) -> None:
    """The structure of a block's text, after its heading and picture: page 1's plan at a glance is a
    list of its lines, a list of steps is one list (numbered, or bulleted for warning signs), the label
    of lines to write on a paragraph (the lines themselves are drawn as artifacts), the numbered lines
    for the moves shown read just after the steps, as they are printed."""
    if block.id == "plan":
        tagged_list(facts, None)
    else:
        for fact in facts:
            tagged(fact, "P")
    for para in lead:
        tagged(para, "P")
    if steps:
        tagged_list(steps, "Disc" if block.bullets else "Decimal")
    for lines in numbered:
        tagged(lines.label, "P")
    for para in paragraphs:
        tagged(para, "P")
    for lines in ruled:
        tagged(lines.label, "P")


def _picture_box(st: Styles) -> tuple[float, float, float]:
    """The drawing's width and height beside text at this body size, and the gap between them. The side
    label in the drawing is never smaller than the text, so very large type draws it larger."""
    scale = max(1.0, st.body.fontSize / LABEL_PT)
    return W * scale, H * scale, st.body.fontSize


def _beside_count(block: Block, st: Styles, width: float, page_height: float) -> int | None:
    """How many of a section's dose lines, leading words and steps go beside its picture, in order;
    None when the picture goes above its text instead.

    Beside, when that leaves the text at least BESIDE_TEXT wide: under the caption, the dose, the words
    leading in and the steps, in order, while they fit the picture's height (at least the first of
    them), so the bigger the picture, the more of the section it carries; the rest runs under it at the
    page's full width rather than beside empty paper (a long dose, which fills the height alone, has
    its steps start under the picture: beside it they would only lengthen the column). Above (very
    large type), the head is heading, picture, dose and HEAD_STEPS_ABOVE step."""
    assert block.picture is not None
    drawn, tall, gap = _picture_box(st)
    text = width - drawn - gap
    if text < BESIDE_TEXT:
        return None
    bold, regular = st.heading.fontName, st.body.fontName
    used = _estimated_height(block.picture.caption, bold, st, text)
    texts = [*(f"{k}: {v}" for k, v in block.facts), *block.lead]
    sized = [_estimated_height(t, regular, st, text) for t in texts]
    sized += [_estimated_height(t, regular, st, text - st.body.fontSize * 1.6) for t in block.steps]
    count = 0
    for height in sized:
        if count and used + height > tall:
            break
        used, count = used + height, count + 1
    # A row can't break across pages: beside the picture goes only what surely fits well inside one.
    return None if used > page_height * 0.7 else count


CAPTION_BESIDE = 2.4 * INCH
"""The narrowest room for a caption at the right of a picture set above its text; less, and it goes under."""


def _picture_above(block: Block, st: Styles, width: float, page_height: float) -> Flowable:
    """A picture above its section's text, its caption at its right where the line leaves room for it
    (a few words in bold, the picture's label: a line or two under it otherwise, in the head of every
    pictured section of very large type)."""
    assert block.picture is not None
    drawn, tall, gap = _picture_box(st)
    if width - drawn - gap < CAPTION_BESIDE or tall > page_height / 2:
        return picture_flowable(block.picture, st.body, st.heading.fontName, width, page_height)
    return _beside_picture(block, st, width, [], valign="MIDDLE", bottom=st.body.spaceAfter)


def _beside_picture(
    block: Block, st: Styles, width: float, first: list[Flowable], valign: str = "TOP", bottom: float = 0
) -> Flowable:
    """The picture at the left, and at its right its caption, the dose and the first steps: what to do
    sits by the picture of it, and the section takes a picture's height less paper."""
    assert block.picture is not None
    drawn, _, gap = _picture_box(st)
    scale, font = drawn / W, st.heading.fontName
    caption_style = ParagraphStyle("caption", parent=st.body, fontName=st.heading.fontName, spaceBefore=0)
    alt = block.picture.alt
    shown = clinic_figure(block.picture, W * scale, H * scale) or Figure(drawing_for(block.picture, font, scale), alt)
    figure = tagged(shown, "Figure", alt=alt)
    caption = tagged(Para(markup(block.picture.caption), caption_style), "P")
    table = unpadded_table([[figure, [caption, *first]]], [drawn + gap, width - drawn - gap], st.body, valign, bottom)
    return table


def _estimated_height(text: str, font: str, st: Styles, width: float) -> float:
    """The height of a paragraph of words beside a picture, estimated from the width of its letters:
    wrapping them for real here would double the time a handout takes. A little generous (a line
    breaks between words, not at the edge), so what is counted as fitting beside the picture does."""
    size = st.body.fontSize
    lines = int(pdfmetrics.stringWidth(text, font, size) * 1.1 // width) + 1
    return lines * st.body.leading + st.body.spaceAfter


def _fact(label: str, value: str, st: Styles, mark: str = "") -> Paragraph:
    """ "Label: value", after its mark in words, underlined ("New –"), never a colour alone, when it has one."""
    said = f"<b><u>{markup(mark)}</u> –</b> " if mark else ""
    return Para(f"{said}<b>{markup(label)}:</b> {markup(value)}", st.body)


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
                [ListItem(Para(markup(step), st.step))],
                bulletFontName=st.heading.fontName,
                bulletFontSize=st.body.fontSize,
                leftIndent=st.body.fontSize * 1.6,
                bulletDedent="auto",
                **bullet,
            )
        )
    return out
