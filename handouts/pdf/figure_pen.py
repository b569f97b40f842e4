"""Paint a move's fitted stick figure with the house pen of handouts/pdf/pictures.py.

Kept apart from the geometry (handouts/pdf/figures.py, figure_motion.py) and from the drawings of the
devices (pictures.py): this is where the figure meets the page's style, its tones, line widths and
words. The start pose is a mid grey that stays light on a grayscale print and the end pose black; the
limb's name sits in free space with a leader line to the limb it names.
"""

from __future__ import annotations

import math
from typing import Any, Protocol

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from handouts.inputs.figure import Figure, Pose
from handouts.pdf import figure_motion, figures
from handouts.pdf.figures import Shape

Point = tuple[float, float]
Box = tuple[float, float, float, float]

INK = colors.black
GREY = colors.HexColor("#A0A0A0")
"""The start pose: 63% grey, light beside the black end pose on any printer, still a line in grayscale."""
MARGIN = 3.0
HEAD = 12.0
"""An arrow head's length, in points at 18 pt: the pen's own."""
SMALLEST = 2.2 * 72
"""A move figure's longer side at 18 pt body, at least (issue 24: head, hands and feet read at arm's length)."""
LEADER = 3.0
"""The leader line's width: thinner than the props' lines, and no other line has it."""

WALKING = Figure(
    position="standing",
    limb="none",
    arrow="none",
    poses=[Pose(shoulder=-20, hip=25, knee=5, other=Pose(shoulder=20, hip=-15, knee=15, ankle=-10))],
)
"""An easy, upright walk for the aerobic section's picture: no speed lines, which read as hurrying."""


class Pen(Protocol):
    font: str | None

    def head(self, center: Point, r: float = ..., color: Any = ...) -> None: ...
    def circle(
        self, center: Point, r: float, filled: bool = ..., width: float = ..., fill: Any = ..., stroke: Any = ...
    ) -> None: ...
    def arrow_head(self, back: Point, tip: Point, size: float = ..., inset: bool = ...) -> None: ...
    def line(self, *points: Point, width: float = ..., color: Any = ..., dash: float = ...) -> None: ...
    def label(self, x: float, y: float, text: str) -> None: ...


def paint(
    pen: Pen,
    figure: Figure,
    mode: str,
    side: str | None,
    size: tuple[float, float],
    widths: tuple[float, float],
    words: float,
    language: str = "en",
) -> None:
    """Draw the figure as large as the box of `size` allows, lines `widths` (bold, thin), words of `words` pt.

    The limb's name ("Right" over "arm") goes in a corner the figure leaves free, or in a strip the
    figure is fitted beside when none is; the corner is as wide as the widest of the words whichever
    the side, so a left and a right picture are mirror images.
    """
    w, h = size
    label = figures.limb_label(figure, side, language) if pen.font and side else None
    shapes = figure_motion.shapes_for(figure, mode)
    fitted = figures.fit(shapes, (MARGIN, MARGIN, w - MARGIN, h - MARGIN), head=HEAD)
    place: Box | None = None
    if label and pen.font:
        both = [figures.limb_label(figure, s, language) or "" for s in ("left", "right")]
        lw = max(stringWidth(t + " ", pen.font, words) for lab in both for t in lab.split("\n")) + 2
        fitted, place = _with_label(shapes, (w, h), (lw, words * 2.2))
    _shapes(pen, fitted, widths)
    if label and place:
        _label(pen, label, place, fitted, words)


def _shapes(pen: Pen, fitted: list[Shape], widths: tuple[float, float]) -> None:
    bold, thin = widths
    lines = {"line": (bold, INK), "ghost": (bold, GREY), "helper": ((bold + thin) / 2, INK), "thin": (thin, INK)}
    for shape in fitted:
        pts = shape.points
        if shape.kind in lines:
            width, color = lines[shape.kind]
            pen.line(*pts, width=width, color=color)
        elif shape.kind in ("head", "ghost_head"):
            pen.head(pts[0], shape.size, color=GREY if shape.kind == "ghost_head" else INK)
        elif shape.kind == "hand":  # a hand on a limb: a solid dot with a white edge, so it reads on the line
            pen.circle(pts[0], shape.size, filled=True, width=2.5, stroke=colors.white)
        elif shape.kind == "ring":
            pen.circle(pts[0], shape.size, width=thin)
        elif shape.kind == "tip":
            pen.arrow_head(pts[0], pts[1])
        elif shape.kind == "over":  # in front of the body: a white edge first, then the line
            pen.line(*pts, width=bold + 5, color=colors.white)
            pen.line(*pts, width=bold)


CELL = 3.0
"""The side of a square of the grid that records where the drawing has ink, in points at 18 pt."""


class Ink:
    """Which squares of the picture the fitted drawing touches (its lines sampled, its circles whole),
    with sums over rows and columns, so whether a place is free is four look-ups, not a walk over every
    line: a label is tried at hundreds of places."""

    def __init__(self, fitted: list[Shape], size: tuple[float, float]) -> None:
        self.cols, self.rows = int(size[0] / CELL) + 2, int(size[1] / CELL) + 2
        cells: set[tuple[int, int]] = set()
        for s in fitted:
            if s.kind == "anchor":
                continue
            r = s.size
            for cx, cy in s.points if r else ():  # a head, a hand, an arrow's head: round about its points
                i0, i1, j0, j1 = self._col(cx - r), self._col(cx + r), self._row(cy - r), self._row(cy + r)
                cells.update((i, j) for j in range(j0, j1 + 1) for i in range(i0, i1 + 1))
            if r:
                continue
            for (ax, ay), (bx, by) in zip(s.points, s.points[1:] or s.points, strict=False):
                steps = int(math.hypot(bx - ax, by - ay) / CELL) + 1
                cells.update(
                    (int((ax + (bx - ax) * k / steps) / CELL), int((ay + (by - ay) * k / steps) / CELL))
                    for k in range(steps + 1)
                )
        self.cells = cells
        sums = [[0] * (self.cols + 1) for _ in range(self.rows + 1)]
        for j in range(self.rows):
            row, above, total = sums[j + 1], sums[j], 0
            for i in range(self.cols):
                total += (i, j) in cells
                row[i + 1] = above[i + 1] + total
        self.sums = sums

    def _col(self, x: float) -> int:
        return min(max(int(x / CELL), 0), self.cols - 1)

    def _row(self, y: float) -> int:
        return min(max(int(y / CELL), 0), self.rows - 1)

    def free(self, box: Box, room: float = 4.0) -> bool:
        """Whether no ink comes into the box, with `room` around it."""
        i0, i1 = self._col(box[0] - room), self._col(box[2] + room) + 1
        j0, j1 = self._row(box[1] - room), self._row(box[3] + room) + 1
        t = self.sums
        return t[j1][i1] - t[j0][i1] - t[j1][i0] + t[j0][i0] == 0

    def at(self, pt: Point) -> bool:
        return (int(pt[0] / CELL), int(pt[1] / CELL)) in self.cells


def _with_label(shapes: list[Shape], size: tuple[float, float], label: tuple[float, float]) -> tuple[list[Shape], Box]:
    """The figure fitted in the whole box, or beside or under a strip kept for the label, with the label
    where the drawing leaves room for it: of the ways that keep the figure at least SMALLEST across, the
    one whose leader line crosses least of the drawing on its way to the limb, then the largest."""
    w, h = size
    lw, lh = label
    m = MARGIN
    boxes = [
        (m, m, w - m, h - m),
        (m + lw + 6, m, w - m, h - m),
        (m, m, w - m - lw - 6, h - m),
        (m, m, w - m, h - m - lh - 4),
    ]
    ways: list[tuple[tuple[bool, float, float, float], list[Shape], Box]] = []
    for box in boxes:
        fitted = figures.fit(shapes, box, head=HEAD)
        size_ = round(figures.extent(fitted, HEAD), 1)
        ink = Ink(fitted, size)
        mark = next((s.points[0] for s in fitted if s.kind == "anchor"), None)
        costs: list[tuple[float, Box]] = []
        for step in (8.0, 3.0):  # a finer search only where the coarse one finds no room
            places = [(x, y, x + lw, y + lh) for x in _steps(m, w - m - lw, step) for y in _steps(m, h - m - lh, step)]
            costs = costs or [(_crossings(ink, place, mark), place) for place in places if ink.free(place)]
        if costs:
            cost, place = min(costs)
            ways.append(((size_ >= SMALLEST, -(cost // 100), size_, -cost), fitted, place))
            if cost < 100 and size_ >= SMALLEST:  # the whole box, a leader crossing nothing: none does better
                break
    if not ways:  # nothing free (a figure that fills every corner): the label above a smaller figure
        fitted = figures.fit(shapes, (m, m, w - m, h - m - lh - 4), head=HEAD)
        return fitted, (m, h - m - lh, m + lw, h - m)
    _, fitted, place = max(ways, key=lambda way: way[0])
    return fitted, place


def _steps(lo: float, hi: float, step: float) -> list[float]:
    """Places from lo to hi, both ends included."""
    count = max(1, int((hi - lo) // step))
    return [lo + (hi - lo) * i / count for i in range(count + 1)]


def _crossings(ink: Ink, place: Box, mark: Point | None) -> float:
    """How much of the drawing a leader line from this place would cross, and how long it would be."""
    if mark is None:
        return 0.0
    start = _leader_start(place, mark)
    # The last part ends on the limb, which it must touch.
    near = sum(ink.at(figures.along(start, mark, i / 20)) for i in range(17))
    return near * 100 + math.dist(start, mark)


def _leader_start(place: Box, mark: Point) -> Point:
    """The point of the label's side (or its bottom or top edge) nearest the limb."""
    x0, y0, x1, y1 = place
    if x0 < mark[0] < x1:
        return ((x0 + x1) / 2, y0 - 2 if mark[1] < y0 else y1 + 2)
    return (x1 + 2 if mark[0] > x1 else x0 - 2, min(max(mark[1], y0 + 6), y1 - 6))


def _label(pen: Pen, label: str, place: Box, fitted: list[Shape], words: float) -> None:
    """The two lines of the label in their corner, and a leader line from them to the limb."""
    x0, y0, x1, y1 = place
    first, second = label.split("\n", 1)
    pen.label(x0, y1 - words * 0.95, first + " ")  # the space keeps "Left arm" two words when read aloud
    pen.label(x0, y1 - words * 2.05, second)
    mark = next((s.points[0] for s in fitted if s.kind == "anchor"), None)
    if mark is None:
        return
    start = _leader_start(place, mark)
    pen.line(start, mark, width=LEADER)
