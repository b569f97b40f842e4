"""A drawing as a flowable, painted straight onto the page as PDF path operators.

reportlab's own renderer would also set a default Helvetica font on the page, a font the handout never
shows and does not embed; painting the few shape kinds the pictures use avoids it.
"""

from __future__ import annotations

from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Path, Polygon, PolyLine, Rect, String
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Table, TableStyle


class Figure(Flowable):
    """A drawing; rendering tags it as a Figure whose alternate text says what it shows for this patient."""

    def __init__(self, drawing: Drawing, alt: str) -> None:
        super().__init__()
        self.drawing = drawing
        self.alt = alt
        self.width, self.height = drawing.width, drawing.height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        # The marked-content sequence around it (/Figure with its MCID and /Alt) is tagging's.
        self.canv.saveState()
        for shape in self.drawing.contents:
            _paint(shape, self.canv)
        self.canv.restoreState()


def _paint(shape: Any, canv: Canvas) -> None:
    """Paint one shape as PDF path operators.

    reportlab's own renderer would also set a default Helvetica font on the page, a font the
    handout never shows and does not embed; painting the few shape kinds used here avoids it.
    """
    if isinstance(shape, String):
        canv.setFont(shape.fontName, shape.fontSize)
        canv.setFillColor(shape.fillColor)
        draw = canv.drawRightString if shape.textAnchor == "end" else canv.drawString
        draw(shape.x, shape.y, shape.text)
        return
    dash, fill = _pen(shape, canv)
    if isinstance(shape, Circle):
        canv.circle(shape.cx, shape.cy, shape.r, stroke=1, fill=fill)
    elif isinstance(shape, Rect):
        canv.roundRect(shape.x, shape.y, shape.width, shape.height, shape.rx, stroke=1, fill=fill)
    elif isinstance(shape, PolyLine | Polygon):
        pts = shape.points
        path = canv.beginPath()
        path.moveTo(pts[0], pts[1])
        for i in range(2, len(pts), 2):
            path.lineTo(pts[i], pts[i + 1])
        if isinstance(shape, Polygon):
            path.close()
        canv.drawPath(path, stroke=1, fill=fill)
        if dash:
            canv.setDash()
    elif isinstance(shape, Path):
        pts = shape.points
        path = canv.beginPath()
        path.moveTo(pts[0], pts[1])
        path.curveTo(*pts[2:8])
        canv.drawPath(path, stroke=1, fill=0)
    else:  # pragma: no cover - a new shape kind needs painting here first
        raise TypeError(f"no painter for {type(shape).__name__}")


def _pen(shape: Any, canv: Canvas) -> tuple[Any, int]:
    """Set the shape's stroke, and fill colour if it has one; return its dash and whether to fill."""
    canv.setStrokeColor(shape.strokeColor)
    canv.setLineWidth(shape.strokeWidth)
    canv.setLineCap(shape.strokeLineCap)
    canv.setLineJoin(shape.strokeLineJoin)
    dash = getattr(shape, "strokeDashArray", None)
    if dash:
        canv.setDash(dash)
    fill = int(getattr(shape, "fillColor", None) is not None)
    if fill:
        canv.setFillColor(shape.fillColor)
    return dash, fill


def unpadded_table(
    rows: list[list[Any]], widths: list[float], body: ParagraphStyle, valign: str = "MIDDLE", bottom: float = 0.0
) -> Table:
    """A picture (a drawing, a photo, a code, a logo) with its words beside it or under it: cells without
    padding, so the picture's own margin and the column widths give the gaps, and the cells' font ours."""
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), valign),
                # Cells name a font even when they hold no text; name ours, never an unembedded Helvetica.
                ("FONT", (0, 0), (-1, -1), body.fontName, body.fontSize, body.leading),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), bottom),
            ]
        )
    )
    return table
