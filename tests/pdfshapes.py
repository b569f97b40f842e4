"""Read the vector drawing on a PDF page back: marked figures with their path points, and rectangles.

Walks the page's content stream with pypdf, keeping the current transformation matrix through
q/Q/cm, so every point is known in page coordinates and, inside a figure, in the figure's own
coordinates (relative to where the figure was placed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pdfcheck import mult as _mult
from pypdf.generic import ContentStream

IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
PATH_OPS = {b"m", b"l", b"c", b"v", b"y", b"re", b"h"}
PAINT_OPS = {b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"n"}
TEXT_OPS = {b"Tj", b"TJ", b"'", b'"'}


def _apply(m: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _inverse(m: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = m
    det = a * d - b * c
    ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
    return (ia, ib, ic, id_, -(e * ia + f * ic), -(e * ib + f * id_))


@dataclass
class Figure:
    alt: str
    points: list[tuple[float, float]] = field(default_factory=list)
    """Path points in the figure's own coordinates."""
    page_points: list[tuple[float, float]] = field(default_factory=list)
    line_widths: list[float] = field(default_factory=list)
    strokes: list[tuple[float, list[tuple[float, float]]]] = field(default_factory=list)
    """Each painted path: its line width and its points in the figure's own coordinates."""
    stroke_colors: set[tuple[float, ...]] = field(default_factory=set)
    fill_colors: set[tuple[float, ...]] = field(default_factory=set)
    path_ops: int = 0
    text_ops: int = 0
    images: int = 0


@dataclass(frozen=True)
class Rectangle:
    x: float
    y: float
    w: float
    h: float
    line_width: float
    stroked: bool


@dataclass
class PageShapes:
    figures: list[Figure]
    rectangles: list[Rectangle]
    """Rectangles drawn outside figures with the re operator, in page coordinates."""
    extent: tuple[float, float] = (float("inf"), float("-inf"))
    """Smallest and largest x of every path point outside figures."""


def shapes(page, reader) -> PageShapes:  # type: ignore[no-untyped-def]
    ops = ContentStream(page.get_contents(), reader).operations
    ctm = IDENTITY
    stack: list[tuple[tuple[float, ...], float]] = []
    width = 1.0
    figures: list[Figure] = []
    current: Figure | None = None
    base_inverse = IDENTITY
    origin_pending = False
    depth = 0
    pending: list[tuple[float, float, float, float]] = []
    rects: list[Rectangle] = []
    xs: list[float] = []
    path: list[tuple[float, float]] = []

    def point(x: float, y: float) -> None:
        px, py = _apply(ctm, x, y)
        if current is not None:
            current.page_points.append((px, py))
            current.points.append(_apply(base_inverse, px, py))
            path.append(current.points[-1])
        else:
            xs.append(px)

    for operands, op in ops:
        values = [float(v) for v in operands if isinstance(v, int | float)]
        if op == b"q":
            stack.append((ctm, width))
        elif op == b"Q":
            ctm, width = stack.pop()
        elif op == b"cm":
            ctm = _mult(tuple(values), ctm)
            if origin_pending:
                # A flowable moves to its place on the page just inside its marked content: the figure's
                # own points are measured from there, wherever a table cell puts it.
                base_inverse = _inverse(ctm)
                origin_pending = False
        elif op == b"w":
            width = values[0]
        elif op == b"BDC" and str(operands[0]) == "/Figure":
            current = Figure(str(operands[1].get("/Alt", "")))
            base_inverse = _inverse(ctm)
            origin_pending = True
            depth = 1
        elif op in (b"BDC", b"BMC") and current is not None:
            depth += 1
        elif op == b"EMC" and current is not None:
            depth -= 1
            if depth == 0:
                figures.append(current)
                current = None
        elif op in PATH_OPS:
            if current is not None:
                current.path_ops += 1
            if op == b"re":
                x, y, w, h = values
                for px, py in ((x, y), (x + w, y + h)):
                    point(px, py)
                if current is None:
                    pending.append((x, y, w, h))
            else:
                for i in range(0, len(values) - 1, 2):
                    point(values[i], values[i + 1])
        elif op in PAINT_OPS:
            if current is not None:
                current.line_widths.append(width)
                current.strokes.append((width, path))
            path = []
            for x, y, w, h in pending:
                (x0, y0), (x1, y1) = _apply(ctm, x, y), _apply(ctm, x + w, y + h)
                stroked = op in {b"S", b"s", b"B", b"B*", b"b", b"b*"}
                rects.append(Rectangle(min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0), width, stroked))
            pending = []
        elif op in (b"RG", b"G", b"K") and current is not None:
            current.stroke_colors.add(tuple(values))
        elif op in (b"rg", b"g", b"k") and current is not None:
            current.fill_colors.add(tuple(values))
        elif op in TEXT_OPS and current is not None:
            current.text_ops += 1
        elif op in (b"Do", b"BI") and current is not None:
            current.images += 1
    extent = (min(xs), max(xs)) if xs else (float("inf"), float("-inf"))
    return PageShapes(figures, rects, extent)


def image_xobjects(page) -> int:  # type: ignore[no-untyped-def]
    """How many raster images a page's resources hold."""
    xobjects = page.get("/Resources", {}).get("/XObject", {})
    return sum(1 for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image")


@dataclass(frozen=True)
class Fill:
    """How far down its body a page is used: the lowest word or drawing between the running header's
    rule and the footer's rule, as a share of the space between them (1.0: down to the footer)."""

    top: float
    bottom: float
    lowest: float

    @property
    def share(self) -> float:
        return (self.top - self.lowest) / (self.top - self.bottom)


def _lines(page, reader) -> tuple[list[tuple[float, float, float]], list[float]]:  # type: ignore[no-untyped-def]
    """Horizontal segments (y, x0, x1) and the y of every path point, in page coordinates."""
    ops = ContentStream(page.get_contents(), reader).operations
    ctm = IDENTITY
    stack: list[tuple[float, ...]] = []
    segments: list[tuple[float, float, float]] = []
    ys: list[float] = []
    last: tuple[float, float] | None = None
    for operands, op in ops:
        values = [float(v) for v in operands if isinstance(v, int | float)]
        if op == b"q":
            stack.append(ctm)
        elif op == b"Q":
            ctm = stack.pop()
        elif op == b"cm":
            ctm = _mult(tuple(values), ctm)
        elif op == b"re":
            x, y, w, h = values
            for px, py in ((x, y), (x + w, y + h)):
                ys.append(_apply(ctm, px, py)[1])
            last = None
        elif op in PATH_OPS and op != b"h":
            points = [_apply(ctm, values[i], values[i + 1]) for i in range(0, len(values) - 1, 2)]
            ys += [p[1] for p in points]
            if op == b"l" and last is not None and abs(points[-1][1] - last[1]) < 0.01:
                segments.append((last[1], min(last[0], points[-1][0]), max(last[0], points[-1][0])))
            last = points[-1] if points else None
    return segments, ys


def page_fill(page, reader) -> Fill:  # type: ignore[no-untyped-def]
    """The page's fill. The two rules are the topmost and bottommost of the longest horizontal lines
    (the header's and the footer's, drawn the full text width); everything strictly between counts."""
    from pdfcheck import runs

    segments, ys = _lines(page, reader)
    longest = max(x1 - x0 for _, x0, x1 in segments)
    rules = sorted(y for y, x0, x1 in segments if x1 - x0 > longest - 1)
    bottom, top = rules[0], rules[-1]
    marks = [r.y for r in runs(page)] + ys
    inside = [y for y in marks if bottom + 1 < y < top - 1]
    return Fill(top, bottom, min(inside) if inside else top)
