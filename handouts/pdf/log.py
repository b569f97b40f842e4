"""The "My week" pages: a tick-box grid the patient pins up and fills in, one page per week.

Days run down the page and exercises across it. Seven days of two 0.4 in boxes do not fit across
6.5 in of text beside a column of exercise names, while seven rows of boxes fit down a letter page
with room to spare. Each exercise's column head gives its short name and how often ("2 times a
day", "3 days a week"), and each day's cell has one box per time a day, on one line: up to 4, or as
many as fit across the cell. A larger dose ("10 times a day") gets a write-in box followed by "times"
instead, so a week always fits on one page of large print. The last row gives each column's count
to reach ("3 days a week: pick your days"), and the last column is a line a day for "How did it go?".
Every log page repeats the instructions and the clinic's phone above its grid. Text is the layout's
body size, so the large-print rules hold here as on every other page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table, TableStyle

from handouts.handout.weeklog import DailyLog, LogTask, LogWeek
from handouts.handout.words import Words, words
from handouts.pdf.flow import Para
from handouts.pdf.tagging import tagged

BOX = 0.45 * 72
"""Tick box side in points: 0.45 in, so the box inside its 2 pt line is still over the 0.4 in asked for."""
BOX_LINE = 2.0
GAP = 6.0
"""Space between boxes: enough to tell them apart, small enough for 3 boxes across a column of 3."""
PAD = 4.0
TIGHT_PAD = 1.5
"""The space above and below a cell's contents when the week would not fit on its page with PAD."""
MAX_BOXES = 4
"""The most tick boxes a day's cell draws. More are hard to count at a glance, and a day's boxes must
fit on one line of the cell so that seven days fit on one page; a larger dose gets a write-in box."""
WRITE_IN = 0.8 * 72
"""Width of the write-in box, room for a number written by hand."""
WRITE_IN_WORD = "times"
"""The word after the write-in box in English; each language's is words.yaml's write_in_word."""
HOW_DID_IT_GO = "How did it go?"
"""The head of the last column in English; each language's is words.yaml's how_did_it_go."""
NOTE_SHARE = 0.16
"""The share of the line the "How did it go?" column takes: room for a few handwritten words."""


class TickBoxes(Flowable):
    """Empty square boxes side by side, one per time a day."""

    def __init__(self, count: int, w: Words | None = None) -> None:
        super().__init__()
        self.count = count
        self.alt = (w or words()).count("boxes", count)  # said by a screen reader
        self.width = count * BOX + (count - 1) * GAP
        self.height = BOX

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setLineWidth(BOX_LINE)
        for i in range(self.count):
            self.canv.rect(i * (BOX + GAP), 0, BOX, BOX, stroke=1, fill=0)


class WriteIn(Flowable):
    """A box to write a number in, followed by "times": for a dose of more boxes than a cell can hold.

    The word goes below the box when the cell is too narrow for both on one line.
    """

    def __init__(self, font: str, size: float, w: Words | None = None) -> None:
        super().__init__()
        w = w or words()
        self.font, self.size = font, size
        self.word = w("write_in_word")
        self.word_w = stringWidth(self.word, font, size)
        self.beside = True
        self.alt = w("write_in_alt", times=self.word)  # said by a screen reader

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.beside = WRITE_IN + GAP + self.word_w <= available_width
        if self.beside:
            self.width, self.height = WRITE_IN + GAP + self.word_w, BOX
        else:
            self.width, self.height = max(WRITE_IN, self.word_w), BOX + self.size * 1.3
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setLineWidth(BOX_LINE)
        top = self.height - BOX
        self.canv.rect(0, top, WRITE_IN, BOX, stroke=1, fill=0)
        self.canv.setFont(self.font, self.size)
        if self.beside:
            self.canv.drawString(WRITE_IN + GAP, top + (BOX - self.size * 0.7) / 2, self.word)
        else:
            self.canv.drawString(0, 0.25 * self.size, self.word)


class Blank(Flowable):
    """An empty cell, as an object of its own so its table cell is tagged (empty strings are all one
    object to the cell tags); alt says what it is for: "a line to write how it went"."""

    def __init__(self, alt: str | None = None) -> None:
        super().__init__()
        self.alt = alt
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


def boxes_in(width: float) -> int:
    """How many tick boxes a cell of this width draws at most: what fits on one line, up to MAX_BOXES."""
    return max(1, min(MAX_BOXES, int((width - 2 * PAD + GAP) // (BOX + GAP))))


def _widest_word(texts: list[str], font: str, size: float) -> float:
    return max(stringWidth(word, font, size) for text in texts for word in text.split())


def _grid(
    week: LogWeek,
    tasks: tuple[LogTask, ...],
    body: ParagraphStyle,
    bold: str,
    width: float,
    day_w: float,
    line_color: Any,
    note_w: float = 0.0,
    goal: bool = True,
    w: Words | None = None,
    pad: float = PAD,
) -> Table:
    """note_w is the width of the "How did it go?" column, 0 for none; goal adds the row of counts to
    reach, left out only where very large type leaves no room for it on the page; pad is the space
    inside each cell, less (TIGHT_PAD) where that keeps the week on one page."""
    w = w or words()
    col_w = (width - day_w - note_w) / len(tasks)
    fits = boxes_in(col_w)
    head = [Para(f"<b>{escape(w('day'))}</b>", body)]
    head += [Para(f"<b>{escape(t.title)}</b><br/>{escape(t.dose)}", body) for t in tasks]
    notes = [Para(f"<b>{escape(w('how_did_it_go'))}</b>", body)] if note_w else []
    head += notes
    rows: list[list[Any]] = [head]
    for day in week.days:
        label = f"<b>{day.name}</b>&nbsp;{escape(day.date)}"
        cells = [
            TickBoxes(t.per_day, w) if t.per_day <= fits else WriteIn(body.fontName, body.fontSize, w) for t in tasks
        ]
        rows.append([Para(label, body), *cells, *([Blank(w("write_how_alt"))] if note_w else [])])
    if goal:
        rows.append([Para(f"<b>{escape(w('goal'))}</b>", body), *[Para(escape(t.goal), body) for t in tasks]])
        rows[-1] += [Blank()] if note_w else []
    widths = [day_w] + [col_w] * len(tasks) + ([note_w] if note_w else [])
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 1.5, line_color),
                # Cells name a font even when they hold no text; name ours, never reportlab's Helvetica.
                ("FONT", (0, 0), (-1, -1), body.fontName, body.fontSize, body.leading),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("VALIGN", (0, 0), (-1, 0), "TOP"),
                ("VALIGN", (0, -1), (-1, -1), "TOP"),
                # The boxes in the middle of each exercise's cell, every day (the goal row's words flush left).
                ("ALIGN", (1, 1), (len(tasks), len(week.days)), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
                ("TOPPADDING", (0, 0), (-1, -1), pad),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 1),
            ]
        )
    )
    return tagged(table, "Table")  # TH for the day and exercise heads, TD for each day's boxes


@dataclass(frozen=True)
class _Columns:
    """How a week's grid shares the line: the day column, the "How did it go?" column (0 for none), and
    how many exercises fit across beside them."""

    day_w: float
    note_w: float
    per_grid: int
    across: float


def log_pages(
    log: DailyLog,
    heading: ParagraphStyle,
    body: ParagraphStyle,
    width: float,
    height: float,
    line_color: Any,
    phone: str | None = None,
) -> list[Flowable]:
    """One page per week, each starting on a fresh page unless all of it fits under the handout's last
    words, at the end of the handout.

    With very large type, a week's grid may need a second page: exercises that don't fit across (or
    down: height is the frame's) go on a page of their own, and a grid too tall for a page even with
    one exercise goes on with its column heads repeated.
    """
    bold = heading.fontName
    w = words(log.language)
    cell = ParagraphStyle("log-cell", parent=body, spaceBefore=0, spaceAfter=0)
    columns = _columns(log, body, bold, width, w)
    how = _instructions(log, columns, w, phone)
    out: list[Flowable] = []
    for week in log.weeks:
        remaining = log.tasks
        number = 0
        while remaining:
            top = [_week_heading(log, week, number, heading, width, w), tagged(Para(how, body), "P")]
            grid, n, used = _fitted_grid(week, remaining, top, columns, cell, bold, width, height, line_color, w)
            # Never more than a page: at the top of one the week fits (its title's space above dropped).
            out += [CondPageBreak(min(used + 1, height)), *top, grid]
            remaining = remaining[n:]
            number += 1
    return out


def _columns(log: DailyLog, body: ParagraphStyle, bold: str, width: float, w: Words) -> _Columns:
    """The narrowest an exercise's column can be: its widest word, its boxes or its write-in box."""
    write_word = w("write_in_word")
    # The weekday and its date on one line keep a day's row one box high; the column is no wider
    # than they need, leaving the width to the boxes.
    day_w = max(
        stringWidth(f"{d.name} ", bold, body.fontSize) + stringWidth(d.date, body.fontName, body.fontSize)
        for week in log.weeks
        for d in week.days
    )
    day_w = day_w * 1.03 + 2 * PAD
    heads = [t.title for t in log.tasks] + [t.dose for t in log.tasks] + [t.goal for t in log.tasks]
    min_col = max(BOX + 2 * PAD, _widest_word(heads, bold, body.fontSize) * 1.08 + 2 * PAD)
    write_in = WRITE_IN + GAP + stringWidth(write_word, body.fontName, body.fontSize) + 2 * PAD
    most = min(MAX_BOXES, max(t.per_day for t in log.tasks))
    if most > 1:
        # Room for a day's boxes, or for the write-in box beside its word (so a large dose never makes
        # a cell taller), whichever is narrower: a cell too narrow for its boxes takes the write-in box.
        min_col = max(min_col, min(most * BOX + (most - 1) * GAP + 2 * PAD, write_in))
    if any(t.per_day > MAX_BOXES for t in log.tasks):
        min_col = max(min_col, write_in)
    # Every day's line for "How did it go?" takes a column when the exercises still fit across beside
    # it; a week of many exercises or large doses keeps its one page and goes without it.
    # Every task keeps all its boxes (a write-in box only above MAX_BOXES) beside that column.
    fitted = [t.per_day * BOX + (t.per_day - 1) * GAP + 2 * PAD for t in log.tasks if t.per_day <= MAX_BOXES]
    # As wide as its head's widest word ("¿Cómo"), so no word of it is split over two lines.
    note_w = max(width * NOTE_SHARE, _widest_word([w("how_did_it_go")], bold, body.fontSize) * 1.08 + 2 * PAD)
    if (width - day_w - note_w) / len(log.tasks) < max([min_col, *fitted]):
        note_w = 0.0
    across = width - day_w - note_w
    return _Columns(day_w, note_w, max(1, int(across // min_col)), across)


def _instructions(log: DailyLog, columns: _Columns, w: Words, phone: str | None) -> str:
    """What to do on the page, and the phone: on every log page, as each may be pinned up on its own.
    `phone` comes marked up by the renderer (escaped, with fallback fonts for rare letters)."""
    how = escape(w("tick_it"))
    if any(t.per_day > boxes_in(columns.across / min(columns.per_grid, len(log.tasks))) for t in log.tasks):
        how += escape(w("write_in", times=w("write_in_word")))
    if columns.note_w:
        how += escape(w("write_how"))
    if phone:
        how += f" <b>{escape(w('call'))}</b> {phone}"
    return how


def _week_heading(
    log: DailyLog, week: LogWeek, number: int, heading: ParagraphStyle, width: float, w: Words
) -> Flowable:
    """A week's title and dates on one heading line (saves a line), in the outline. More exercises than
    fit go on a page of their own, never mid-page, with a heading of its own, so the page isn't also
    titled "(continued)"."""
    title = w("my_week") if len(log.weeks) == 1 else w("my_week_n", n=week.number)
    key = f"log-week-{week.number}"
    if number:
        title, key = w("more_exercises", title=title), f"{key}-{number}"
    head = Paragraph(escape(f"{title}: {week.span}"), heading)
    if head.wrap(width, 0xFFFF)[1] > heading.leading * 1.5:
        # Months shortened ("Nov 23 to 29") when that keeps the title to one line: a line of the
        # page given back to the grid, in very large type the line its goal row needs.
        short = Paragraph(escape(f"{title}: {week.span_short}"), heading)
        if short.wrap(width, 0xFFFF)[1] <= heading.leading * 1.5:
            head = short
    head = tagged(head, "H1")
    head.outline = (title, key, 0)
    return head


def _fitted_grid(
    week: LogWeek,
    remaining: tuple[LogTask, ...],
    top: list[Flowable],
    columns: _Columns,
    cell: ParagraphStyle,
    bold: str,
    width: float,
    height: float,
    line_color: Any,
    w: Words,
) -> tuple[Table, int, float]:
    """The grid of as many exercises as fit across, and fewer when the page would be too short for them
    (the page also holds the instructions, and a narrower column wraps its head), with how many it has
    and the height it takes with the heading and instructions.
    Rows a little closer together come first, so a footer line more (a draft's notice) costs no page;
    very large type may then leave no room for the "How did it go?" column, and after it for the goal
    row: the grid goes without them, in that order, rather than spread a week over more pages."""
    n = min(columns.per_grid, len(remaining))
    tries = [
        (columns.note_w, True, PAD),
        (columns.note_w, True, TIGHT_PAD),
        (0.0, True, TIGHT_PAD),
        (0.0, False, TIGHT_PAD),
    ]
    while True:
        for note, goal, pad in tries:
            grid = _grid(week, remaining[:n], cell, bold, width, columns.day_w, line_color, note, goal, w, pad)
            used = _height([*top, grid], width, height)
            # On a page of its own the title's space above is dropped, as at the top of any page.
            if used - top[0].getSpaceBefore() <= height:
                return grid, n, used
        if n == 1:
            return grid, n, used
        n -= 1


def _height(flowables: list[Flowable], width: float, height: float) -> float:
    used = 0.0
    for flowable in flowables:
        used += flowable.wrap(width, height)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return used
