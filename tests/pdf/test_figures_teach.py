"""Move figures that teach (issue 24), read back from real PDFs of every move in every mode.

Each figure's painted paths are read from the page's content stream with their colours, widths and
points in the figure's own coordinates: how large it is drawn, its two tones (the start in grey, the
end in black), its arrow head, the hands on the limb and the helper who holds it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pytest
from pdfcheck import mult, reader
from pdfshapes import IDENTITY, _apply, _inverse
from pypdf.generic import ContentStream

from handouts.build import print_record
from handouts.handout.personalize import Picture
from handouts.inputs.content import cached_content
from handouts.inputs.figure import Figure as FigureModel
from handouts.inputs.yamlsource import parse_yaml
from handouts.pdf import pictures
from handouts.pdf.figure_pen import GREY, LEADER
from handouts.pdf.pictures import LINE, THIN, drawing_for

SMALLEST = 2.2 * 72
"""A move figure's longer side at 18 pt body, in points: 2.2 in (issue 24)."""
BLACK, WHITE = (0.0, 0.0, 0.0), (1.0, 1.0, 1.0)
GREY_RGB = tuple(round(v, 3) for v in (GREY.red, GREY.green, GREY.blue))
PAINT = {b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}


@dataclass
class Path:
    """One painted path in a figure: its points, width, stroke and fill colours, closed or not."""

    points: list[tuple[float, float]]
    width: float
    stroke: tuple[float, ...]
    fill: tuple[float, ...] | None
    closed: bool

    @property
    def size(self) -> float:
        xs, ys = [x for x, _ in self.points], [y for _, y in self.points]
        return max(max(xs) - min(xs), max(ys) - min(ys))

    @property
    def center(self) -> tuple[float, float]:
        xs, ys = [x for x, _ in self.points], [y for _, y in self.points]
        return ((max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2)

    def is_circle(self) -> bool:
        return len(self.points) == 13  # a move to, then four curves


@dataclass
class Drawn:
    alt: str
    paths: list[Path] = field(default_factory=list)


class _Reader:
    """Walks one page's content stream, keeping the graphics state, and collects each figure's paths."""

    def __init__(self) -> None:
        self.ctm, self.width, self.stroke, self.fill = IDENTITY, 1.0, BLACK, BLACK
        self.stack: list[tuple] = []  # type: ignore[type-arg]
        self.current: Drawn | None = None
        self.base, self.pending_origin, self.depth = IDENTITY, False, 0
        self.points: list[tuple[float, float]] = []
        self.closed = False
        self.out: list[Drawn] = []

    def state(self, op: bytes, values: list[float]) -> None:
        if op == b"q":
            self.stack.append((self.ctm, self.width, self.stroke, self.fill))
        elif op == b"Q":
            self.ctm, self.width, self.stroke, self.fill = self.stack.pop()
        elif op == b"cm":
            self.ctm = mult(tuple(values), self.ctm)
            if self.pending_origin:  # the flowable moves to its place just inside its marked content
                self.base, self.pending_origin = _inverse(self.ctm), False
        elif op == b"w":
            self.width = values[0]
        elif op == b"RG":
            self.stroke = tuple(round(v, 3) for v in values)
        elif op == b"rg":
            self.fill = tuple(round(v, 3) for v in values)

    def mark(self, op: bytes, operands: list) -> None:  # type: ignore[type-arg]
        if op == b"BDC" and str(operands[0]) == "/Figure":
            self.current = Drawn(str(operands[1].get("/Alt", "")))
            self.base, self.pending_origin, self.depth = _inverse(self.ctm), True, 1
        elif self.current is not None:
            self.depth += 1 if op in (b"BDC", b"BMC") else -1
            if self.depth == 0:
                self.out.append(self.current)
                self.current = None

    def path(self, op: bytes, values: list[float]) -> None:
        if op == b"h":
            self.closed = True
        elif self.current is not None:
            for i in range(0, len(values) - 1, 2):
                self.points.append(_apply(self.base, *_apply(self.ctm, values[i], values[i + 1])))

    def paint(self, op: bytes) -> None:
        if self.current is not None and self.points and op != b"n":
            filled = op in {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}
            self.current.paths.append(
                Path(self.points, self.width, self.stroke, self.fill if filled else None, self.closed)
            )
        self.points, self.closed = [], False


def figures_on(pdf: bytes) -> list[Drawn]:
    """Every /Figure marked content's painted paths, in the figure's own coordinates."""
    out: list[Drawn] = []
    doc = reader(pdf)
    for page in doc.pages:
        walk = _Reader()
        for operands, op in ContentStream(page.get_contents(), doc).operations:
            values = [float(v) for v in operands if isinstance(v, int | float)]
            if op in (b"q", b"Q", b"cm", b"w", b"RG", b"rg"):
                walk.state(op, values)
            elif op in (b"BDC", b"BMC", b"EMC"):
                walk.mark(op, operands)
            elif op in (b"m", b"l", b"c", b"h"):
                walk.path(op, values)
            elif op in PAINT or op == b"n":
                walk.paint(op)
        out += walk.out
    return out


def _plan(mode: str, side: str = "left") -> str:
    moves = [m for m in cached_content().moves() if mode in (m.modes or ["active"])]
    lines = [f"  - {m.id}: {{mode: {mode}}}" if m.modes else f"  - {m.id}" for m in moves]
    return f"name: Test Person\npatient_id: T-1\ndate: 2026-11-23\nstronger_side: {side}\nexercises:\n" + "\n".join(
        lines
    )


def _library(layout: str | None) -> dict[tuple[str, str], tuple[Drawn, float]]:
    """Every move's figure in every mode, by (move, mode), with the layout's scale (body size / 18)."""
    found = {}
    for mode in ("active", "assisted", "passive"):
        printed = print_record(parse_yaml(_plan(mode), "t.yaml"), cached_content(), layout)
        scale = max(1.0, printed.layout.body.size / pictures.LABEL_PT)
        by_alt = {b.picture.alt: b.id for b in printed.handout.blocks if b.picture and b.picture.figure}
        for drawn in figures_on(printed.pdf):
            if drawn.alt in by_alt:
                found[(by_alt[drawn.alt], mode)] = (drawn, scale)
    return found


def _every_move_and_mode() -> set[tuple[str, str]]:
    return {(m.id, mode) for m in cached_content().moves() for mode in m.modes or ["active"]}


@pytest.fixture(scope="module")
def large() -> dict[tuple[str, str], tuple[Drawn, float]]:
    return _library(None)


@pytest.fixture(scope="module")
def extra_large() -> dict[tuple[str, str], tuple[Drawn, float]]:
    return _library("extra-large")


def extent(drawn: Drawn, scale: float) -> float:
    """The figure's drawn extent on its longer side: person and props, not the label or its leader."""
    pts = [p for path in drawn.paths if abs(path.width - LEADER * scale) > 0.01 for p in path.points]
    xs, ys = [x for x, _ in pts], [y for _, y in pts]
    return max(max(xs) - min(xs), max(ys) - min(ys))


def test_every_figure_of_the_library_prints_at_least_2_2_inches_and_larger_in_extra_large(large, extra_large) -> None:
    assert set(large) == _every_move_and_mode() == set(extra_large)  # all 52 figures of the 30 moves
    sizes = {key: extent(*large[key]) for key in large}
    small = {key: round(size) for key, size in sizes.items() if size < SMALLEST}
    assert not small, f"under {SMALLEST} pt: {small}"
    for key, (drawn, _) in large.items():  # and nothing, not an arrow's head, outside the picture's box
        pts = [p for path in drawn.paths for p in path.points]
        assert min(x for x, _ in pts) >= 0 and max(x for x, _ in pts) <= pictures.W, key
        assert min(y for _, y in pts) >= 0 and max(y for _, y in pts) <= pictures.H, key
    xl = {key: extent(*extra_large[key]) for key in extra_large}
    print(f"\nextent (pt): large print {min(sizes.values()):.1f} to {max(sizes.values()):.1f}, ", end="")
    print(f"extra-large {min(xl.values()):.1f} to {max(xl.values()):.1f}, over {len(sizes)} figures")
    for key, (drawn, scale) in extra_large.items():
        assert scale == pytest.approx(24 / 18)
        assert extent(drawn, scale) >= SMALLEST * scale - 0.5, key
        assert extent(drawn, scale) > sizes[key] * 1.3, key


def test_every_two_pose_figure_shows_the_start_in_grey_the_end_in_black_and_an_arrow(large) -> None:
    """The exercise pictures' convention: start light, end black, an arrow along the moving part's path.
    Turns (one pose about the limb's own axis) draw their turning arrow in black only."""
    content = cached_content()
    checked = 0
    two_poses = sum(
        len(fig.poses) == 2
        for m in content.moves()
        for mode in m.modes or ["active"]
        if (fig := m.figure_for({"mode": mode})) is not None
    )
    for (move, mode), (drawn, _) in large.items():
        figure = content.section(move).figure_for({"mode": mode})
        assert figure is not None
        strokes = {p.stroke for p in drawn.paths}
        heads = [p for p in drawn.paths if len(p.points) == 3 and p.closed and p.fill == BLACK]
        assert BLACK in strokes and heads, (move, mode)  # every figure has an arrow head
        if len(figure.poses) == 2:
            checked += 1
            grey = [p for p in drawn.paths if p.stroke == GREY_RGB]
            assert grey and max(p.width for p in grey) >= LINE, (move, mode)
    assert checked == two_poses >= 40


def test_no_figure_is_drawn_with_a_dash() -> None:
    """The start pose used to be dashed: now it is solid grey, and no figure sets a dash pattern."""
    printed = print_record(parse_yaml(_plan("assisted"), "t.yaml"), cached_content(), None)
    doc = reader(printed.pdf)
    for page in doc.pages:
        dashes = [ops for ops, op in ContentStream(page.get_contents(), doc).operations if op == b"d"]
        assert all(not ops[0] for ops in dashes)


def _arms(drawn: Drawn) -> list[Path]:
    return [p for p in drawn.paths if p.stroke == BLACK and len(p.points) == 5 and p.fill is None]


def test_assisted_moves_draw_the_stronger_hand_on_the_weaker_wrist(large) -> None:
    """Two hands on the weaker arm: its own, and the stronger hand (a solid dot edged in white, at the end
    of the stronger arm drawn in front of the body) on its wrist."""
    assisted = {key: value for key, value in large.items() if key[1] == "assisted"}
    assert len(assisted) == 5
    for key, (drawn, scale) in assisted.items():
        halo = [p for p in drawn.paths if p.stroke == WHITE and p.fill is None and len(p.points) == 3]
        assert len(halo) == 1, key  # the stronger arm's white edge, so it reads in front of the body
        stronger = next(p for p in drawn.paths if p.stroke == BLACK and p.points == halo[0].points)
        hand = stronger.points[-1]
        dots = [p for p in drawn.paths if p.is_circle() and p.fill == BLACK and p.stroke == WHITE]
        assert any(math.dist(d.center, hand) < 1 for d in dots), key
        wrists = [arm.points[2] for arm in _arms(drawn)]  # shoulder, elbow, wrist, palm, hand
        assert min(math.dist(w, hand) for w in wrists) < 3, key
        assert stronger.width >= LINE * scale


def test_passive_figures_draw_a_helper_with_a_head_a_trunk_and_two_hands_on_the_limb(large) -> None:
    passive = {key: value for key, value in large.items() if key[1] == "passive"}
    assert len(passive) == 17
    for key, (drawn, scale) in passive.items():
        heads = [p for p in drawn.paths if p.is_circle() and p.fill == BLACK and p.stroke == BLACK and p.size > 12]
        assert len(heads) == 2, key  # the person's and the helper's
        helper = [p for p in drawn.paths if abs(p.width - (LINE + THIN) / 2 * scale) < 0.01 and p.stroke == BLACK]
        assert len(helper) >= 4, key  # trunk, neck or shoulders, and an arm to each hand
        hands = [p for p in drawn.paths if p.is_circle() and p.fill == BLACK and p.stroke == WHITE]
        assert len(hands) == 2, key
        for hand in hands:  # each hand at the end of one of the helper's arms
            assert any(math.dist(line.points[-1], hand.center) < 1 for line in helper), key
        # and on the moving limb: within a line's width of the person's bold black lines
        bold = [p for p in drawn.paths if p.width == LINE * scale and p.stroke == BLACK and not p.closed]
        for hand in hands:
            assert min(_to_polyline(hand.center, p.points) for p in bold) < LINE * scale, key


def _to_polyline(pt: tuple[float, float], points: list[tuple[float, float]]) -> float:
    best = math.inf
    for a, b in zip(points, points[1:], strict=False):
        dx, dy = b[0] - a[0], b[1] - a[1]
        n = dx * dx + dy * dy or 1.0
        t = max(0.0, min(1.0, ((pt[0] - a[0]) * dx + (pt[1] - a[1]) * dy) / n))
        best = min(best, math.dist(pt, (a[0] + t * dx, a[1] + t * dy)))
    return best


def test_active_figures_have_no_helper_and_no_second_hand(large) -> None:
    for (move, mode), (drawn, _) in large.items():
        if mode == "active":
            hands = [p for p in drawn.paths if p.is_circle() and p.stroke == WHITE]
            assert not hands, move


def test_the_side_label_is_joined_to_its_limb_by_a_leader_line() -> None:
    """'Left arm' in an assisted picture: a leader line runs from beside the words to the arm it names,
    ending on one of its bold lines; no other line has the leader's width."""
    printed = print_record(parse_yaml(_plan("assisted"), "t.yaml"), cached_content(), None)
    by_alt = {b.picture.alt: b.id for b in printed.handout.blocks if b.picture and b.picture.figure}
    drawn = [d for d in figures_on(printed.pdf) if d.alt in by_alt]
    assert len(drawn) == 5
    for fig in drawn:
        leaders = [p for p in fig.paths if p.width == LEADER]
        assert len(leaders) == 1, fig.alt
        end = leaders[0].points[-1]
        assert min(_to_polyline(end, arm.points) for arm in _arms(fig)) < 1, fig.alt


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("body", [18.0, 24.0])
def test_side_labels_fit_their_picture_clear_of_the_figure_in_both_languages(language: str, body: float) -> None:
    """The two lines of the label at the body size, inside the drawing, and no line of the figure under them."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from handouts.inputs.layout import load_layout
    from handouts.pdf.text import fonts_for

    bold = fonts_for(load_layout("large-print")).bold
    for move in cached_content().moves():
        for mode in move.modes or ["active"]:
            figure = move.figure_for({"mode": mode})
            if figure is None or figure.limb not in ("arm", "leg"):
                continue
            picture = Picture(move.id, "x", side="left", figure=figure, mode=mode, language=language)
            drawing = drawing_for(picture, bold, body / pictures.LABEL_PT)
            labels = [s for s in drawing.contents if type(s).__name__ == "String"]
            assert len(labels) == 2, (move.id, mode)
            for label in labels:
                assert label.fontSize == body
                width = stringWidth(label.text, bold, body)
                left = label.x - width if label.textAnchor == "end" else label.x
                assert 0 <= left and left + width <= drawing.width + 0.01, (move.id, label.text)
                assert 0 <= label.y and label.y + body <= drawing.height + 0.01
                box = (left, label.y - 0.2 * body, left + width, label.y + 0.7 * body)
                assert not _lines_through(drawing, box, body / pictures.LABEL_PT), (move.id, mode, label.text)


def _lines_through(drawing, box: tuple[float, float, float, float], scale: float) -> bool:  # type: ignore[no-untyped-def]
    """Whether a line of the figure (not the label's own leader) passes through the box."""
    x0, y0, x1, y1 = box
    for shape in drawing.contents:
        if type(shape).__name__ != "PolyLine" or abs(shape.strokeWidth - LEADER * scale) < 0.01:
            continue
        pts = list(zip(shape.points[::2], shape.points[1::2], strict=True))
        for (ax, ay), (bx, by) in zip(pts, pts[1:], strict=False):
            for i in range(21):
                x, y = ax + (bx - ax) * i / 20, ay + (by - ay) * i / 20
                if x0 < x < x1 and y0 < y < y1:
                    return True
    return False


def test_a_picture_is_drawn_once_per_process_for_each_side_mode_scale_and_language() -> None:
    """The same picture asked for twice is the same drawing: content loads once, and every patient with
    that move, side, mode, layout and language shares it (batch speed)."""
    move = cached_content().section("shoulder_raise")
    figure = move.figure_for({"mode": "assisted"})
    ask = Picture(move.id, "x", side="left", figure=figure, mode="assisted")
    first = drawing_for(ask, "Helvetica", 1.0)
    assert drawing_for(ask, "Helvetica", 1.0) is first
    others = [
        drawing_for(Picture(move.id, "x", side="right", figure=figure, mode="assisted"), "Helvetica", 1.0),
        drawing_for(ask, "Helvetica", 24 / 18),
        drawing_for(Picture(move.id, "x", side="left", figure=figure, mode="assisted", language="es"), "Helvetica"),
    ]
    assert all(other is not first for other in others)


def test_a_lying_figure_is_seen_from_above_not_from_behind() -> None:
    """view: above is a lying figure's view from the ceiling; back or front is refused for it, naming the field."""
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as caught:
        FigureModel(position="lying", view="back", poses=[{"hip": 0}, {"hip": 30}])  # type: ignore[list-item]
    (error,) = caught.value.errors()
    assert error["loc"] == ("view",) and "use side or above" in error["msg"]
    with pytest.raises(ValidationError) as caught:
        FigureModel(position="sitting", view="above", poses=[{"hip": 0}])  # type: ignore[list-item]
    assert caught.value.errors()[0]["loc"] == ("view",)
    assert FigureModel(position="lying", view="above", poses=[{"hip": 0}, {"hip": 30}]).view == "above"


def test_a_figure_seen_from_the_front_is_the_mirror_of_one_seen_from_behind() -> None:
    """Facing you, the patient's right is on the page's left: the moving arm raised out to the side goes
    left in front view and right in back view, every joint mirrored about the spine."""
    from handouts.pdf.figures import build

    poses = [{"shoulder": 10}, {"shoulder": 90}]
    back = FigureModel(position="sitting", view="back", poses=poses)  # type: ignore[arg-type]
    front = FigureModel(position="sitting", view="front", poses=poses)  # type: ignore[arg-type]
    b, f = build(back, back.poses[-1]).points, build(front, front.poses[-1]).points
    assert b["n_hand"][0] > 40 and f["n_hand"][0] < -40
    for name, (x, y) in b.items():
        assert f[name] == pytest.approx((-x, y), abs=1e-9), name
