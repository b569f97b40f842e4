"""Paint a move's fitted stick figure with the house pen of handouts/pdf/pictures.py.

Kept apart from the geometry (handouts/pdf/figures.py) and from the drawings of the devices
(pictures.py): this is where the figure meets the page's style, its line widths and its words.
"""

from __future__ import annotations

from typing import Any, Protocol

from reportlab.pdfbase.pdfmetrics import stringWidth

from handouts.inputs.figure import Figure, Pose
from handouts.pdf import figures

Point = tuple[float, float]

WALKING = Figure(
    position="standing",
    limb="none",
    arrow="none",
    poses=[Pose(shoulder=-20, hip=25, knee=5, other=Pose(shoulder=20, hip=-15, knee=15, ankle=-10))],
)
"""An easy, upright walk for the aerobic section's picture: no speed lines, which read as hurrying."""


class Pen(Protocol):
    font: str | None

    def head(self, center: Point, r: float = ...) -> None: ...
    def circle(self, center: Point, r: float, filled: bool = ..., width: float = ...) -> None: ...
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
    """Draw the figure in a box of `size`, with lines `widths` (bold, thin) and words of `words` points.

    The limb's name goes in the top corner as two short lines ("Right" over "arm"), and the figure
    beside or below it, whichever is larger; the corner is as wide as the widest of the words
    whichever the side, so a left and a right picture are mirror images.
    """
    w, h = size
    bold, thin = widths
    label = figures.limb_label(figure, side, language) if pen.font and side else None
    shapes = figures.shapes_for(figure, mode)
    fitted = figures.fit(shapes, (6.0, 6.0, w - 6, h - 6))
    if label and pen.font:
        # As wide as the widest line of either side's label, so left and right pictures mirror each other.
        both = [figures.limb_label(figure, s, language) or "" for s in ("left", "right")]
        corner = max(stringWidth(t, pen.font, words) for lab in both for t in lab.split("\n")) + 8
        choices = [(6.0, 6.0, w - 6, h - 48), (6.0 + corner, 6.0, w - 6, h - 6)]
        fitted = max((figures.fit(shapes, box) for box in choices), key=figures.extent)
    for shape in fitted:
        pts = shape.points
        if shape.kind == "head":
            pen.head(pts[0], shape.size)
        elif shape.kind in ("circle", "ring"):
            pen.circle(pts[0], shape.size, filled=shape.kind == "circle", width=thin)
        elif shape.kind == "tip":
            pen.arrow_head(pts[0], pts[1])
        else:
            pen.line(*pts, width=bold if shape.kind == "line" else thin, dash=9 if shape.kind == "dash" else 0)
    if label:
        first, second = label.split("\n", 1)
        pen.label(6, h - 20, first + " ")  # the space keeps "Left arm" two words when read aloud
        pen.label(6, h - 40, second)
