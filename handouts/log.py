"""The "My week" pages: a tick-box grid the patient pins up and fills in, one page per week.

Days run down the page and exercises across it. Seven days of two 0.4 in boxes do not fit across
6.5 in of text beside a column of exercise names, while seven rows of boxes fit down a letter page
with room to spare. Each exercise's column head gives its dose in words ("2 times a day",
"3 days a week"), and each day's cell has one box per time a day. Text is the layout's body size,
so the large-print rules hold here as on every other page.
"""

from __future__ import annotations

import math
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, PageBreak, Paragraph, Table, TableStyle

from handouts.weeklog import DailyLog, LogTask, LogWeek

BOX = 0.45 * 72
"""Tick box side in points: 0.45 in, so the box inside its 2 pt line is still over the 0.4 in asked for."""
BOX_LINE = 2.0
GAP = 0.15 * 72
PAD = 6.0


class TickBoxes(Flowable):
    """Empty square boxes in rows, as many to a row as the cell's width allows."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count
        self.per_row = count

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.per_row = max(1, min(self.count, int((available_width + GAP) // (BOX + GAP))))
        rows = math.ceil(self.count / self.per_row)
        self.width = self.per_row * BOX + (self.per_row - 1) * GAP
        self.height = rows * BOX + (rows - 1) * GAP
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setLineWidth(BOX_LINE)
        for i in range(self.count):
            row, col = divmod(i, self.per_row)
            x = col * (BOX + GAP)
            y = self.height - BOX - row * (BOX + GAP)
            self.canv.rect(x, y, BOX, BOX, stroke=1, fill=0)


def _widest_word(texts: list[str], font: str, size: float) -> float:
    return max(stringWidth(word, font, size) for text in texts for word in text.split())


def _groups(tasks: tuple[LogTask, ...], per_grid: int) -> list[tuple[LogTask, ...]]:
    return [tasks[i : i + per_grid] for i in range(0, len(tasks), per_grid)]


def _grid(
    week: LogWeek,
    tasks: tuple[LogTask, ...],
    body: ParagraphStyle,
    bold: str,
    width: float,
    day_w: float,
    line_color: Any,
) -> Table:
    col_w = (width - day_w) / len(tasks)
    head = [Paragraph("<b>Day</b>", body)]
    head += [Paragraph(f"<b>{escape(t.title)}</b><br/>{escape(t.dose)}", body) for t in tasks]
    rows: list[list[Any]] = [head]
    for day in week.days:
        label = f"<b>{day.name}</b>" + (f"&nbsp;{escape(day.date)}" if day.date else "")
        rows.append([Paragraph(label, body), *[TickBoxes(t.per_day) for t in tasks]])
    table = Table(rows, colWidths=[day_w] + [col_w] * len(tasks), repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 1.5, line_color),
                # Cells name a font even when they hold no text; name ours, never reportlab's Helvetica.
                ("FONT", (0, 0), (-1, -1), body.fontName, body.fontSize, body.leading),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("VALIGN", (0, 0), (-1, 0), "TOP"),
                ("ALIGN", (1, 1), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
                ("TOPPADDING", (0, 0), (-1, -1), PAD),
                ("BOTTOMPADDING", (0, 0), (-1, -1), PAD + 2),
            ]
        )
    )
    return table


def log_pages(
    log: DailyLog, heading: ParagraphStyle, body: ParagraphStyle, width: float, line_color: Any
) -> list[Flowable]:
    """One page per week, each starting on a fresh page, at the end of the handout.

    With very large type, a week's grid may need a second page: exercises that don't fit across go
    on a page of their own, and a grid too tall for a page goes on with its column heads repeated.
    """
    bold = heading.fontName
    cell = ParagraphStyle("log-cell", parent=body, spaceBefore=0, spaceAfter=0)
    labels = [f"{d.name} {d.date or ''}".strip() for w in log.weeks for d in w.days]
    day_w = max(stringWidth(label, bold, body.fontSize) for label in labels) * 1.05 + 2 * PAD
    words = [t.title for t in log.tasks] + [t.dose for t in log.tasks]
    min_col = max(BOX + 2 * PAD, _widest_word(words, bold, body.fontSize) * 1.08 + 2 * PAD)
    per_grid = max(1, int((width - day_w) // min_col))
    out: list[Flowable] = []
    for week in log.weeks:
        title = "My week" if len(log.weeks) == 1 else f"My week {week.number}"
        head = Paragraph(escape(title), heading)
        head.outline = (title, f"log-week-{week.number}", 0)  # type: ignore[attr-defined]
        out += [PageBreak(), head]
        if week.span:
            out.append(Paragraph(f"<b>{escape(week.span)}</b>", body))
        out.append(Paragraph("Tick a box each time you do an exercise.", body))
        for number, group in enumerate(_groups(log.tasks, per_grid)):
            if number:
                # More exercises than fit across: the rest on a page of their own, never mid-page.
                more = Paragraph(escape(f"{title}, more exercises"), heading)
                # A heading of its own (in the outline), so the page isn't also titled "(continued)".
                more.outline = (f"{title}, more exercises", f"log-week-{week.number}-{number}", 0)  # type: ignore[attr-defined]
                out += [PageBreak(), more]
            out.append(_grid(week, group, cell, bold, width, day_w, line_color))
    return out
