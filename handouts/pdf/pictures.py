"""The project's own pictograms, drawn as vector paths with reportlab graphics.

One style for all: thick black strokes with round ends and joins on white, filled heads, no shades,
so a drawing prints the same on any printer and in grayscale. Standing figures are seen from behind,
so the patient's left hand is on the left of the page, as in a mirror-free view over their shoulder.
Drawings that depend on a side are drawn once for the right and mirrored point by point for the
left (no transform matrix), so the PDF's own coordinates show the mirror.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Path, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from handouts.handout.personalize import Picture
from handouts.handout.words import words
from handouts.inputs.figure import Figure as FigureModel
from handouts.pdf.figure_pen import WALKING, paint
from handouts.pdf.flow import Para
from handouts.pdf.painting import Figure, unpadded_table
from handouts.pdf.tagging import tagged

W, H = 200.0, 165.0
"""Drawing size in points at 18 pt body text: 2.78 by 2.29 inches, so a move's figure is at least 2.2 in
on its longer side (issue 24). Drawn in these units and scaled with the layout's body size (see Pen)."""
PICTOGRAM = (180.0, 130.0)
"""The size of the device and category pictograms at 18 pt, in points: they keep the size they had
before the move figures grew, and sit at the left of the W wide column pictures take."""
LINE = 7.0
LABEL_PT = 18.0
"""A label's size in drawing units: the body size once scaled, so no word in a picture is smaller."""
THIN = 4.5
INK = colors.black
PAPER = colors.white
ROUND = 1

Point = tuple[float, float]


class Pen:
    """Shapes in the house style, mirrored left to right when asked, scaled by `scale`.

    Everything is drawn in `units` (W by H for a move's figure, PICTOGRAM for the others) and multiplied
    by the scale point by point (no transform matrix), lines and labels included, so a label that fits
    at 18 pt still fits at any body size.
    """

    def __init__(
        self, mirror: bool = False, font: str | None = None, scale: float = 1.0, units: tuple[float, float] = (W, H)
    ) -> None:
        self.mirror = mirror
        self.font = font
        self.w, self.h = units
        self.s = scale
        self.drawing = Drawing(self.w * scale, self.h * scale)

    def label(self, x: float, y: float, text: str) -> None:
        """A word beside the part that matters, starting at x (ending at x when mirrored).

        A word too long for the room right of x (Spanish "Izquierda") goes to the top corner instead,
        above the figure's shoulder, so it is never cut off at the drawing's edge.
        """
        if self.font:
            anchor = "end" if self.mirror else "start"
            size = LABEL_PT * self.s
            room = self.w - 2 - stringWidth(text, self.font, LABEL_PT)
            if x > room:
                x, y = room, max(y, self.h - LABEL_PT - 2)
            self.drawing.add(
                String(
                    self._x(x), y * self.s, text, fontName=self.font, fontSize=size, fillColor=INK, textAnchor=anchor
                )
            )

    def _x(self, x: float) -> float:
        return (self.w - x if self.mirror else x) * self.s

    def _pt(self, p: Point) -> list[float]:
        return [self._x(p[0]), p[1] * self.s]

    def _style(self, width: float) -> dict[str, object]:
        return dict(strokeColor=INK, strokeWidth=width * self.s, strokeLineCap=ROUND, strokeLineJoin=ROUND)

    def line(self, *points: Point, width: float = LINE, color: Any = INK, dash: float = 0) -> None:
        flat = [v for p in points for v in self._pt(p)]
        style = self._style(width) | {"strokeColor": color}
        if dash:
            style["strokeDashArray"] = [dash * self.s, dash * self.s]
        self.drawing.add(PolyLine(flat, fillColor=None, **style))

    def curve(self, start: Point, c1: Point, c2: Point, end: Point, width: float = LINE) -> None:
        path = Path(fillColor=None, **self._style(width))
        path.moveTo(*self._pt(start))
        path.curveTo(*self._pt(c1), *self._pt(c2), *self._pt(end))
        self.drawing.add(path)

    def circle(
        self, center: Point, r: float, filled: bool = False, width: float = LINE, fill: Any = INK, stroke: Any = INK
    ) -> None:
        style = self._style(width) | {"strokeColor": stroke}
        self.drawing.add(Circle(*self._pt(center), r * self.s, fillColor=fill if filled else PAPER, **style))

    def box(self, x: float, y: float, w: float, h: float, radius: float = 0.0) -> None:
        left = self._x(x + w) if self.mirror else x * self.s
        s = self.s
        self.drawing.add(
            Rect(left, y * s, w * s, h * s, rx=radius * s, ry=radius * s, fillColor=PAPER, **self._style(LINE))
        )

    def head(self, center: Point, r: float = 11.0, color: Any = INK) -> None:
        self.circle(center, r, filled=True, width=2, fill=color, stroke=color)

    def arc_arrow(self, center: Point, r: float, start: float, end: float, both: bool = False) -> None:
        """A curved arrow from angle start to end (degrees), with a solid head at end (or both ends)."""
        steps = 12
        angles = [math.radians(start + (end - start) * i / steps) for i in range(steps + 1)]
        pts = [(center[0] + r * math.cos(a), center[1] + r * math.sin(a)) for a in angles]
        self.line(*pts[2 if both else 0 : -2], width=THIN)
        self.arrow_head(pts[-3], pts[-1])
        if both:
            self.arrow_head(pts[2], pts[0])

    def arrow(self, start: Point, end: Point) -> None:
        self.line(start, end, width=THIN)
        self.arrow_head(start, end, inset=True)

    def arrow_head(self, back: Point, tip: Point, size: float = 12.0, inset: bool = False) -> None:
        dx, dy = tip[0] - back[0], tip[1] - back[1]
        n = math.hypot(dx, dy) or 1.0
        ux, uy = dx / n, dy / n
        if inset:
            tip = (tip[0] + ux * size * 0.3, tip[1] + uy * size * 0.3)
        base = (tip[0] - ux * size, tip[1] - uy * size)
        corners = [tip, (base[0] - uy * size * 0.6, base[1] + ux * size * 0.6)]
        corners.append((base[0] + uy * size * 0.6, base[1] - ux * size * 0.6))
        flat = [v for p in corners for v in self._pt(p)]
        self.drawing.add(Polygon(flat, fillColor=INK, **self._style(2)))

    def ground(self, x0: float = 12, x1: float = PICTOGRAM[0] - 12, y: float = 6) -> None:
        self.line((x0, y), (x1, y), width=THIN)


def _standing(pen: Pen, cx: float, right_hand: Point | None = None, left_hand: Point | None = None) -> None:
    """A person seen from behind, feet on the ground; hands hang down unless placed."""
    pen.head((cx, 113))
    pen.line((cx, 100), (cx, 60))
    pen.line((cx - 16, 90), (cx, 94), (cx + 16, 90), width=LINE)
    pen.line((cx - 16, 90), left_hand or (cx - 22, 56))
    pen.line((cx + 16, 90), right_hand or (cx + 22, 56))
    pen.line((cx - 11, 10), (cx - 8, 60), (cx + 8, 60), (cx + 11, 10))


def _cane(pen: Pen, quad: bool, side: str, language: str = "en") -> None:
    _standing(pen, 80, right_hand=(112, 64))
    pen.label(118, 90, words(language)(f"side_label_{side}"))
    tip = 22 if quad else 8
    pen.line((115, tip), (112, 70))
    pen.curve((112, 70), (111, 84), (97, 84), (98, 70))
    if quad:
        # A small stand, not a rake: a flat top on two splayed legs, each on a solid rubber foot.
        pen.line((100, 10), (106, tip), (124, tip), (130, 10))
        pen.circle((100, 10), 4.5, filled=True, width=2)
        pen.circle((130, 10), 4.5, filled=True, width=2)
    pen.ground()


def _brace(pen: Pen, side: str, language: str = "en") -> None:
    both = side == "both"
    _standing(pen, 90)
    if not both:
        pen.label(118, 20, words(language)(f"side_label_{side}"))
    for sign in (1, -1) if both else (1,):
        x = 90 + sign * 10.4
        pen.line((x, 16), (x - sign * 0.8, 44), width=15)
        for y in (22, 36):
            pen.line((x - 7, y), (x + 7, y), width=2.5, color=PAPER)
        # The brace runs down into a shoe, seen from behind: a rounded heel with its sole on the ground.
        pen.box(x - 9, 5, 18, 13, radius=3)
    pen.ground(y=4)


def _walker(pen: Pen, wheels: bool, platform: bool) -> None:
    pen.head((56, 113))
    pen.line((57, 100), (54, 60))
    pen.line((44, 10), (48, 34), (54, 60), (64, 36), (72, 10))
    pen.line((72, 10), (82, 10))
    foot = 20 if wheels else 10
    top = 62 if platform else 78
    pen.line((96, 10), (98, top), (146, top), (150, foot))
    pen.line((97, 40), (148, 40))
    if wheels:
        pen.circle((151, 14), 8, width=THIN + 1)
    if platform:
        pen.box(88, top + 4, 42, 6, radius=2)
        pen.line((57, 94), (64, 82), (120, 82))
    else:
        pen.line((57, 94), (70, 82), (98, top))
    pen.ground()


def _wheelchair(pen: Pen) -> None:
    pen.circle((70, 38), 31, width=LINE)
    pen.circle((70, 38), 4, filled=True, width=2)
    pen.line((30, 112), (44, 112), (48, 68), (104, 68), (112, 26), (132, 26))
    pen.line((104, 68), (110, 20))
    pen.circle((114, 13), 7, width=THIN + 1)
    pen.head((68, 117))
    pen.line((64, 104), (58, 78), (100, 78), (114, 36), (130, 36))
    pen.line((62, 96), (68, 84), (94, 90))
    pen.ground(y=4)


def _neck_brace(pen: Pen) -> None:
    pen.circle((90, 96), 24, filled=True, width=2)
    pen.curve((24, 8), (26, 40), (40, 52), (66, 54))
    pen.curve((114, 54), (140, 52), (154, 40), (156, 8))
    pen.box(62, 50, 56, 24, radius=9)
    pen.line((76, 56), (76, 68), width=THIN)
    pen.line((104, 56), (104, 68), width=THIN)


def _aerobic(pen: Pen) -> None:
    paint(pen, WALKING, "active", "right", PICTOGRAM, (LINE, THIN), LABEL_PT)


def _stretching(pen: Pen) -> None:
    _standing(pen, 90, right_hand=(112, 124), left_hand=(68, 124))
    pen.arrow((128, 92), (128, 122))
    pen.arrow((52, 92), (52, 122))
    pen.ground()


def _range_active(pen: Pen) -> None:
    _standing(pen, 70, right_hand=(128, 92))
    pen.arc_arrow((86, 90), 54, -62, -12)
    pen.ground()


def _range_passive(pen: Pen) -> None:
    pen.box(8, 26, 104, 16, radius=3)
    pen.line((14, 26), (14, 8), width=THIN)
    pen.line((106, 26), (106, 8), width=THIN)
    pen.head((22, 54), r=10)
    pen.line((34, 50), (70, 50), (108, 50))
    pen.line((70, 50), (100, 94))
    pen.head((156, 113))
    pen.line((156, 100), (158, 60))
    pen.line((150, 8), (154, 60), (164, 60), (168, 8))
    pen.line((154, 92), (126, 104), (104, 96))
    pen.line((154, 92), (122, 74), (92, 78))
    pen.arc_arrow((70, 50), 42, 66, 122, both=True)


DRAW: dict[str, Callable[[Pen, Picture], None]] = {
    "cane": lambda pen, p: _cane(pen, False, p.side or "right", p.language),
    "quad_cane": lambda pen, p: _cane(pen, True, p.side or "right", p.language),
    "ankle_foot_brace": lambda pen, p: _brace(pen, p.side or "both", p.language),
    "walker": lambda pen, p: _walker(pen, p.wheels, p.platform),
    "wheelchair": lambda pen, p: _wheelchair(pen),
    "neck_brace": lambda pen, p: _neck_brace(pen),
    "aerobic": lambda pen, p: _aerobic(pen),
    "stretching": lambda pen, p: _stretching(pen),
    "range_of_motion": lambda pen, p: _range_passive(pen) if p.helper else _range_active(pen),
}


def drawing_for(picture: Picture, font: str | None = None, scale: float = 1.0) -> Drawing:
    """The drawing for one picture; drawn for the right side and mirrored for the left.

    With a font, a side that matters is also named in the drawing ("Left" by the cane), so the
    picture can't be read the wrong way round whichever way the reader takes the figure to face.
    The label is LABEL_PT * scale points: pass the body size over LABEL_PT.
    """
    if picture.figure is not None:
        # A move's figure is worked out from its angles once per process and reused: content loads once,
        # so the same figure object comes back for every patient who has that move.
        key = (id(picture.figure), picture.mode, picture.side, font, scale, picture.language)
        cached = _FIGURES.get(key)
        if cached is not None and cached[0] is picture.figure:
            return cached[1]
    else:  # a device's or a kind's pictogram: drawn once per process for each way it can look
        look = (picture.kind, picture.side, picture.wheels, picture.platform, picture.helper, picture.language)
        drawn = _KINDS.get((*look, font, scale))
        if drawn is not None:
            return drawn
    units = (W, H) if picture.figure is not None else PICTOGRAM
    pen = Pen(mirror=picture.side == "left", font=font, scale=scale, units=units)
    if picture.figure is not None:
        # No side, no label: a move done on both sides, or a plan that gives no side, names none.
        mode = picture.mode or "active"
        paint(pen, picture.figure, mode, picture.side, (W, H), (LINE, THIN), LABEL_PT, picture.language)
        if len(_FIGURES) < 2000:
            _FIGURES[key] = (picture.figure, pen.drawing)
    else:
        DRAW[picture.kind](pen, picture)
        if len(_KINDS) < 2000:
            _KINDS[(*look, font, scale)] = pen.drawing
    return pen.drawing


_FIGURES: dict[tuple[object, ...], tuple[FigureModel, Drawing]] = {}
"""Drawn move figures by (figure, mode, side, font, scale); the figure is kept so its id stays its own."""
_KINDS: dict[tuple[object, ...], Drawing] = {}
"""Drawn pictograms by what they depend on (kind, side, wheels, platform, helper, language, font, scale)."""


def picture_flowable(
    picture: Picture, body: ParagraphStyle, bold_font: str, width: float, height: float = 0x7FFFFFFF
) -> Flowable:
    """The drawing with its caption beside it, or below it when the line is too short for both.

    `height` is the page's room for text: the drawing takes at most half of it, so very large type
    (a clinic's 44 pt) never makes a picture taller than the page it must fit on."""
    from xml.sax.saxutils import escape

    style = ParagraphStyle("caption", parent=body, fontName=bold_font, spaceBefore=0, spaceAfter=0)
    caption = Para(escape(picture.caption), style)
    # The drawing grows with the body size, so its side label is never smaller than the text; on a
    # line too narrow for that, the drawing is as wide as the line and leaves the side to the caption.
    scale = max(1.0, body.fontSize / LABEL_PT)
    font: str | None = bold_font
    # A move's figure (or the clinic's picture in its place) takes the figure's box; a pictogram its own.
    w, h = (W, H) if picture.figure is not None or picture.image else PICTOGRAM
    if w * scale > width:
        scale, font = width / w, None
    if h * scale > height / 2:
        scale, font = height / 2 / h, None
    from handouts.pdf.clinic_image import clinic_figure  # the clinic's own picture, at the drawing's size

    shown = clinic_figure(picture, w * scale, h * scale) or Figure(drawing_for(picture, font, scale), picture.alt)
    figure = tagged(shown, "Figure", alt=picture.alt)
    caption = tagged(caption, "P")  # after the figure: the reading order is the drawing's
    drawn = w * scale
    gap = body.fontSize
    beside = width - drawn - gap >= 2.5 * 72
    rows = [[figure, caption]] if beside else [[figure], [caption]]
    widths = [drawn + gap, width - drawn - gap] if beside else [width]
    table = unpadded_table(rows, widths, body, "MIDDLE", body.spaceAfter)
    return table
