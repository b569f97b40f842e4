"""Draw a move's stick figure (handouts/inputs/figure.py) in the house style of handouts/pdf/pictures.py.

The body is built from joint angles in its own units, the props are placed from the body (a chair
under the hips, a bed under a lying body, a wall at the hands), and the whole is fitted into the
picture. How the movement is shown (the start in grey, the arrow, the hands that help) is
figure_motion's. Made personal: the moving limb is drawn on the right and the drawing mirrored point
by point for the left.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from handouts.handout.words import words
from handouts.inputs.figure import JOINTS, Figure, Pose

Point = tuple[float, float]

# Segment lengths in the body's own units (a standing adult is about 160 tall).
TRUNK, NECK, HEAD_R = 44.0, 7.0, 9.0
UPPER_ARM, FOREARM, HAND = 26.0, 23.0, 13.0
THIGH, SHIN, FOOT = 33.0, 31.0, 14.0
SHOULDER_W, HIP_W = 13.0, 7.0

REST: dict[str, dict[str, float]] = {
    "standing": {"shoulder": 0, "elbow": 8, "hip": 0, "knee": 0, "ankle": 0},
    "sitting": {"shoulder": 0, "elbow": 25, "hip": 90, "knee": 90, "ankle": 0},
    "lying": {"shoulder": 0, "elbow": 0, "hip": 0, "knee": 0, "ankle": 0},
}
TRUNK_DIR = {"standing": 90.0, "sitting": 90.0, "lying": 180.0}


def dir_(deg: float, length: float, start: Point) -> Point:
    a = math.radians(deg)
    return (start[0] + length * math.cos(a), start[1] + length * math.sin(a))


@dataclass
class Body:
    """Joint points of one pose: near (moving, the right) and far (other, the left) sides."""

    points: dict[str, Point] = field(default_factory=dict)
    trunk_dir: float = 90.0


def build(figure: Figure, pose: Pose) -> Body:
    rest = dict(REST[figure.position])
    back = figure.view != "side"  # behind, in front or above: both sides of the body are seen apart
    if back:
        rest["shoulder"] = 12  # arms a little out from the body
    near = rest | pose.angles()
    far = rest | (pose.angles() if pose.both else {}) | (pose.other.angles() if pose.other else {})
    flip = -1 if figure.view == "front" else 1  # facing you, the patient's right is on the page's left
    t_dir = TRUNK_DIR[figure.position] - near.get("trunk", 0.0)
    body = Body(trunk_dir=t_dir)
    p = body.points
    p["hip"] = (0.0, 0.0)
    p["neck"] = dir_(t_dir, TRUNK, p["hip"])
    p["head"] = dir_(t_dir - near.get("neck", 0.0), NECK + HEAD_R, p["neck"])
    right = t_dir - 90  # the patient's right, seen from behind
    down = t_dir + 180
    # The legs hang from the hips as the position has them; a trunk that leans does not move them.
    leg_right, leg_down = TRUNK_DIR[figure.position] - 90, TRUNK_DIR[figure.position] + 180
    for side, angles, sign in (("n", near, flip), ("f", far, -flip if back else 1)):
        offset = sign if back else 0
        shoulder = dir_(right, SHOULDER_W * offset, dir_(down, 4, p["neck"]))
        hip = dir_(leg_right, HIP_W * offset, p["hip"])
        upper = down + sign * angles["shoulder"]
        fore = upper + sign * angles["elbow"]
        p[f"{side}_shoulder"] = shoulder
        p[f"{side}_elbow"] = dir_(upper, UPPER_ARM, shoulder)
        p[f"{side}_wrist"] = dir_(fore, FOREARM, p[f"{side}_elbow"])
        palm = fore + sign * angles.get("wrist", 0.0)
        p[f"{side}_palm"] = dir_(palm, HAND * 0.5, p[f"{side}_wrist"])
        p[f"{side}_hand"] = dir_(palm + sign * angles.get("fingers", 0.0) * 1.4, HAND * 0.6, p[f"{side}_palm"])
        seated_back = back and figure.position == "sitting"
        if seated_back:  # seen from behind, a seated thigh points at you: drawn short, straight down
            hip = dir_(leg_down, 2, hip)
        thigh = leg_down + sign * (angles["hip"] if not seated_back else angles["hip"] - 90)
        shin = thigh - sign * angles["knee"]
        p[f"{side}_hip"] = hip
        p[f"{side}_knee"] = dir_(thigh, THIGH if not seated_back else 6, hip)
        if seated_back:
            shin = thigh
        p[f"{side}_ankle"] = dir_(shin, SHIN, p[f"{side}_knee"])
        foot = shin + 90 + angles["ankle"] if not back else shin + sign * 90
        p[f"{side}_toe"] = dir_(foot, FOOT if not back else FOOT * 0.6, p[f"{side}_ankle"])
    return body


ARM = ("shoulder", "elbow", "wrist", "palm", "hand")
LEG = ("hip", "knee", "ankle", "toe")
CHAIN = {"shoulder": ARM, "elbow": ARM[1:], "wrist": ARM[2:], "fingers": ARM[3:]}
CHAIN |= {"hip": LEG, "knee": LEG[1:], "ankle": LEG[2:]}
END = {"shoulder": "hand", "elbow": "hand", "wrist": "hand", "fingers": "hand", "hip": "toe", "knee": "toe"}
END |= {"ankle": "toe"}


@dataclass
class Shape:
    """One thing to draw, in body units until fitted: a line, a filled or open circle, an arrow head."""

    kind: str  # line | thin | ghost | ghost_head | helper | over | hand | ring | head | tip | anchor
    points: list[Point]
    size: float = 0.0


def _limb(shapes: list[Shape], body: Body, side: str, names: tuple[str, ...], kind: str = "line") -> None:
    shapes.append(Shape(kind, [body.points[f"{side}_{n}"] for n in names]))


def far_limbs(shapes: list[Shape], body: Body) -> None:
    """The far side's arm and leg, drawn first: the start pose in grey goes over them, the near side over both."""
    _limb(shapes, body, "f", ARM)
    _limb(shapes, body, "f", LEG)


def person(shapes: list[Shape], body: Body, figure: Figure) -> None:
    """The near arm and leg, the trunk and the head (far_limbs draws the rest)."""
    p = body.points
    _limb(shapes, body, "n", ARM)
    _limb(shapes, body, "n", LEG)
    shapes.append(Shape("line", [p["hip"], p["neck"]]))
    if figure.view != "side":
        shapes.append(Shape("line", [p["f_shoulder"], p["n_shoulder"]]))
        shapes.append(Shape("line", [p["f_hip"], p["n_hip"]]))
    shapes.append(Shape("line", [p["neck"], p["head"]]))
    shapes.append(Shape("head", [p["head"]], HEAD_R))
    if figure.view == "side":  # a nose, so the way the person faces is plain
        face = body.trunk_dir - 90 - (figure.poses[-1].neck or 0)
        shapes.append(Shape("thin", [dir_(face, HEAD_R * 0.6, p["head"]), dir_(face, HEAD_R + 4, p["head"])]))


def along(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def _chair(p: dict[str, Point], floor: float, back_view: bool) -> list[Shape]:
    hip = p["hip"]
    if back_view:  # seen from behind: the seat and its two back legs
        seat = hip[1] - 4
        return [Shape("thin", [(hip[0] - 16, floor), (hip[0] - 16, seat), (hip[0] + 16, seat), (hip[0] + 16, floor)])]
    seat_y, back_x = hip[1] - 8, hip[0] - 10
    front_x = back_x + 26
    back = [(back_x, hip[1] + 30), (back_x, floor)]
    return [Shape("thin", back), Shape("thin", [(back_x, seat_y), (front_x, seat_y), (front_x, floor)])]


def _bed(p: dict[str, Point], floor: float, legs: bool, from_above: bool = False) -> list[Shape]:
    xs = [x for x, _ in p.values()]
    if from_above:  # seen from above, the bed or mat is an outline around the body
        ys = [y for _, y in p.values()]
        lo_y, hi_y = min(ys) - HEAD_R - 4, max(ys) + HEAD_R + 4
        box = [(min(xs) - 16, lo_y), (max(xs) + 8, lo_y), (max(xs) + 8, hi_y), (min(xs) - 16, hi_y)]
        return [Shape("thin", [*box, box[0]])]
    top = min(p["hip"][1], p["neck"][1]) - 8
    lo, hi = min(xs) - 6, max(xs) + 6
    if any(y < top - 4 for _, y in p.values()):  # a leg hangs over the end of the bed
        hi = p["hip"][0] + 8
    out = [Shape("thin", [(lo, top), (hi, top)])]
    if legs:
        out += [Shape("thin", [(x, top), (x, floor)]) for x in (lo + 4, hi - 4)]
    return out


CRANK = (22.0, -40.0)
"""Where an exercise bike's pedals turn, from the hips: a pose puts the feet on the ring around it."""


def _cycle(p: dict[str, Point], floor: float) -> list[Shape]:
    hip = p["hip"]
    crank = (hip[0] + CRANK[0], hip[1] + CRANK[1])
    seat = (hip[0], hip[1] - 6)
    bar = (crank[0] + 14, hip[1] + 24)
    return [
        Shape("thin", [(seat[0] - 8, seat[1]), (seat[0] + 8, seat[1])]),
        Shape("thin", [seat, (seat[0] - 4, floor)]),
        Shape("thin", [(seat[0] - 2, seat[1] - 20), crank, bar, (bar[0] - 8, bar[1])]),
        Shape("thin", [(seat[0] - 14, floor), (crank[0] + 20, floor)]),
        Shape("ring", [crank], 9.0),
    ]


def _arm_cycle(p: dict[str, Point], floor: float, start: dict[str, Point]) -> list[Shape]:
    """Arm pedals on a stand: the hands go round the crank, between where they start and stop."""
    a, b = start["n_wrist"], p["n_wrist"]
    crank = along(a, b, 0.5)
    r = max(math.dist(a, b) / 2, 8.0)
    stand = (crank[0] + r + 4, crank[1] - 2)
    return [Shape("ring", [crank], r), Shape("line", [crank, stand, (stand[0], floor)])]


def _water(p: dict[str, Point]) -> list[Shape]:
    y = p["hip"][1] + TRUNK * 0.55
    xs = [x for x, _ in p.values()]
    count = int((max(xs) - min(xs) + 40) / 5) + 1
    return [Shape("thin", [(min(xs) - 20 + i * 5, y + (2.5 if i % 2 else -2.5)) for i in range(count)])]


def props(shapes: list[Shape], figure: Figure, body: Body, floor: float, start: Body | None = None) -> None:
    p = body.points
    for prop in figure.all_props():
        if prop == "chair":
            shapes += _chair(p, floor, figure.view == "back")
        elif prop in ("bed", "mat"):
            shapes += _bed(p, floor, legs=prop == "bed", from_above=figure.view == "above")
        elif prop == "wall":
            x = max(x for x, _ in p.values()) + 4
            shapes.append(Shape("line", [(x, floor), (x, p["head"][1] + 20)]))
        elif prop == "strap":
            shapes.append(Shape("thin", [p["n_hand"], along(p["n_ankle"], p["n_toe"], 0.6)]))
        elif prop == "cycle":
            shapes += _cycle(p, floor)
        elif prop == "arm_cycle":
            shapes += _arm_cycle(p, floor, (start or body).points)
        elif prop == "water":
            shapes += _water(p)


def ground(shapes: list[Shape], figure: Figure, floor: float) -> None:
    """The floor under everything standing on it (the person, the chair, the bed's legs, a helper)."""
    if figure.position != "lying" or ("bed" in figure.all_props() and figure.view == "side"):
        xs = [pt[0] for s in shapes for pt in s.points]
        shapes.append(Shape("thin", [(min(xs) - 4, floor), (max(xs) + 4, floor)]))


def limb_label(figure: Figure, side: str, language: str = "en") -> str | None:
    """The words that name the moving limb in the picture, as two lines: "Left" over "arm", "Brazo" over
    "izquierdo"; in the handout's language, agreeing with the limb (words.yaml)."""
    if figure.limb not in ("arm", "leg"):
        return None
    w = words(language)
    return w(f"limb_{figure.limb}", side=w(f"side_label_{side}"), side_m=w.side(side, True), side_f=w.side(side))


_CORNERS = ((-1, 0), (1, 0), (0, -1), (0, 1))
UNDRAWN = {"anchor"}
"""Shapes that mark a place (where the side label's leader line ends) and are not painted."""


def _head(back: Point, tip: Point, size: float) -> list[Point]:
    """An arrow head's corners, as the pen draws it: its point at `tip`, `size` long, 1.2 * size wide."""
    n = math.dist(back, tip) or 1.0
    ux, uy = (tip[0] - back[0]) / n, (tip[1] - back[1]) / n
    bx, by = tip[0] - ux * size, tip[1] - uy * size
    return [tip, (bx - uy * size * 0.6, by + ux * size * 0.6), (bx + uy * size * 0.6, by - ux * size * 0.6)]


def bounds(shapes: list[Shape], head: float = 0.0) -> tuple[float, float, float, float]:
    """The drawn shapes' box (x0, y0, x1, y1): circles reach their radius beyond their centre, arrow
    heads (`head` long, in the same units) their corners."""
    pts = [
        (x + dx * s.size, y + dy * s.size)
        for s in shapes
        if s.kind not in UNDRAWN
        for x, y in s.points
        for dx, dy in _CORNERS
    ]
    pts += [pt for s in shapes if s.kind == "tip" and head for pt in _head(s.points[0], s.points[1], head)]
    return min(x for x, _ in pts), min(y for _, y in pts), max(x for x, _ in pts), max(y for _, y in pts)


def fit(
    shapes: list[Shape], box: tuple[float, float, float, float], most: float = 4.0, head: float = 0.0
) -> list[Shape]:
    """Scale and move the shapes into box (x0, y0, x1, y1), keeping their shape: as large as the box
    allows, centred across and standing on its floor. Arrow heads are `head` long in the box's units
    whatever the scale, so the scale is found twice: the second time with the heads at its size."""
    x0, y0, x1, y1 = box
    f = most
    for _ in range(2 if head else 1):
        lo_x, lo_y, hi_x, hi_y = bounds(shapes, head / f)
        f = min((x1 - x0) / max(hi_x - lo_x, 1), (y1 - y0) / max(hi_y - lo_y, 1), most)
    lo_x, lo_y, hi_x, hi_y = bounds(shapes, head / f)
    dx = x0 + ((x1 - x0) - (hi_x - lo_x) * f) / 2 - lo_x * f
    dy = y0 - lo_y * f
    return [Shape(s.kind, [(x * f + dx, y * f + dy) for x, y in s.points], s.size * f) for s in shapes]


def extent(shapes: list[Shape], head: float = 0.0) -> float:
    """How large the fitted figure came out: the longer side of its drawn box."""
    lo_x, lo_y, hi_x, hi_y = bounds(shapes, head)
    return max(hi_x - lo_x, hi_y - lo_y)


assert set(CHAIN) <= set(JOINTS)
