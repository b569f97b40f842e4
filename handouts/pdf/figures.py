"""Draw a move's stick figure (handouts/inputs/figure.py) in the house style of handouts/pdf/pictures.py.

The body is built from joint angles in its own units, the props are placed from the body (a chair
under the hips, a bed under a lying body, a wall at the hands), and the whole is fitted into the
picture. Two poses: the moving part's start is dashed and thin, its end solid, with a curved arrow
from one to the other. Made personal: the moving limb is drawn on the right and the drawing mirrored
point by point for the left; a self-assisted move adds the stronger arm holding the weaker wrist; a
passive move adds a helper's open hands above and below the moving joint.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from handouts.handout.words import words
from handouts.inputs.figure import JOINTS, Figure, Pose

Point = tuple[float, float]

# Segment lengths in the body's own units (a standing adult is about 160 tall).
TRUNK, NECK, HEAD_R = 44.0, 7.0, 9.0
UPPER_ARM, FOREARM, HAND = 26.0, 23.0, 11.0
THIGH, SHIN, FOOT = 33.0, 31.0, 11.0
SHOULDER_W, HIP_W = 13.0, 7.0

REST: dict[str, dict[str, float]] = {
    "standing": {"shoulder": 0, "elbow": 8, "hip": 0, "knee": 0, "ankle": 0},
    "sitting": {"shoulder": 0, "elbow": 25, "hip": 90, "knee": 90, "ankle": 0},
    "lying": {"shoulder": 0, "elbow": 0, "hip": 0, "knee": 0, "ankle": 0},
}
TRUNK_DIR = {"standing": 90.0, "sitting": 90.0, "lying": 180.0}


def _dir(deg: float, length: float, start: Point) -> Point:
    a = math.radians(deg)
    return (start[0] + length * math.cos(a), start[1] + length * math.sin(a))


@dataclass
class Body:
    """Joint points of one pose: near (moving, the right) and far (other, the left) sides."""

    points: dict[str, Point] = field(default_factory=dict)
    trunk_dir: float = 90.0


def build(figure: Figure, pose: Pose) -> Body:
    rest = dict(REST[figure.position])
    if figure.view == "back":
        rest["shoulder"] = 12  # seen from behind, arms a little out from the body
    near = rest | pose.angles()
    far = rest | (pose.angles() if pose.both else {}) | (pose.other.angles() if pose.other else {})
    back = figure.view == "back"
    t_dir = TRUNK_DIR[figure.position] - near.get("trunk", 0.0)
    body = Body(trunk_dir=t_dir)
    p = body.points
    p["hip"] = (0.0, 0.0)
    p["neck"] = _dir(t_dir, TRUNK, p["hip"])
    p["head"] = _dir(t_dir - near.get("neck", 0.0), NECK + HEAD_R, p["neck"])
    right = t_dir - 90  # the patient's right, seen from behind
    down = t_dir + 180
    # The legs hang from the hips as the position has them; a trunk that leans does not move them.
    leg_right, leg_down = TRUNK_DIR[figure.position] - 90, TRUNK_DIR[figure.position] + 180
    for side, angles, sign in (("n", near, 1), ("f", far, -1 if back else 1)):
        offset = (1 if side == "n" else -1) if back else 0
        shoulder = _dir(right, SHOULDER_W * offset, _dir(down, 4, p["neck"]))
        hip = _dir(leg_right, HIP_W * offset, p["hip"])
        upper = down + sign * angles["shoulder"]
        fore = upper + sign * angles["elbow"]
        p[f"{side}_shoulder"] = shoulder
        p[f"{side}_elbow"] = _dir(upper, UPPER_ARM, shoulder)
        p[f"{side}_wrist"] = _dir(fore, FOREARM, p[f"{side}_elbow"])
        palm = fore + sign * angles.get("wrist", 0.0)
        p[f"{side}_palm"] = _dir(palm, HAND * 0.5, p[f"{side}_wrist"])
        p[f"{side}_hand"] = _dir(palm + sign * angles.get("fingers", 0.0) * 1.4, HAND * 0.6, p[f"{side}_palm"])
        seated_back = back and figure.position == "sitting"
        if seated_back:  # seen from behind, a seated thigh points at you: drawn short, straight down
            hip = _dir(leg_down, 2, hip)
        thigh = leg_down + sign * (angles["hip"] if not seated_back else angles["hip"] - 90)
        shin = thigh - sign * angles["knee"]
        p[f"{side}_hip"] = hip
        p[f"{side}_knee"] = _dir(thigh, THIGH if not seated_back else 6, hip)
        if seated_back:
            shin = thigh
        p[f"{side}_ankle"] = _dir(shin, SHIN, p[f"{side}_knee"])
        foot = shin + 90 + angles["ankle"] if not back else shin + sign * 90
        p[f"{side}_toe"] = _dir(foot, FOOT if not back else FOOT * 0.6, p[f"{side}_ankle"])
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

    kind: str  # line | dash | thin | circle | ring | head | tip
    points: list[Point]
    size: float = 0.0


def _limb(shapes: list[Shape], body: Body, side: str, names: tuple[str, ...], kind: str = "line") -> None:
    shapes.append(Shape(kind, [body.points[f"{side}_{n}"] for n in names]))


def _person(shapes: list[Shape], body: Body, figure: Figure) -> None:
    p = body.points
    for side in ("f", "n"):  # the far side first, so the near limbs are drawn over it
        _limb(shapes, body, side, ARM)
        _limb(shapes, body, side, LEG)
    shapes.append(Shape("line", [p["hip"], p["neck"]]))
    if figure.view == "back":
        shapes.append(Shape("line", [p["f_shoulder"], p["n_shoulder"]]))
        shapes.append(Shape("line", [p["f_hip"], p["n_hip"]]))
    shapes.append(Shape("line", [p["neck"], p["head"]]))
    shapes.append(Shape("head", [p["head"]], HEAD_R))
    if figure.view == "side":  # a nose, so the way the person faces is plain
        face = body.trunk_dir - 90 - (figure.poses[-1].neck or 0)
        shapes.append(Shape("thin", [_dir(face, HEAD_R * 0.6, p["head"]), _dir(face, HEAD_R + 4, p["head"])]))


def _moving(figure: Figure) -> str | None:
    moving = [j for j in figure.moving_joints() if j in CHAIN]
    return moving[0] if moving else None


def _motion(shapes: list[Shape], figure: Figure, start: Body, end: Body) -> None:
    """The start of the moving part dashed, and a curved arrow from its start to its end."""
    joint = next((j for j in figure.moving_joints()), None)
    if joint is None:
        return
    if joint in CHAIN:
        _limb(shapes, start, "n", CHAIN[joint], "dash")
        center = start.points[f"n_{CHAIN[joint][0]}"]
        a, b = start.points[f"n_{END[joint]}"], end.points[f"n_{END[joint]}"]
    else:  # the head or trunk: the arrow swings around the neck or the hips
        center = start.points["neck" if joint == "neck" else "hip"]
        a, b = start.points["head"], end.points["head"]
        shapes.append(Shape("dash", [center, a]))

    reach = max(math.dist(center, a), math.dist(center, b))
    r = reach * 0.8 if reach > 45 else reach + 7  # inside a long arm's sweep, outside a short one
    if joint not in CHAIN:
        r = reach + HEAD_R + 12 if joint == "neck" else reach * 0.75  # clear of the head; inside the lean
    a0 = math.degrees(math.atan2(a[1] - center[1], a[0] - center[0]))
    a1 = math.degrees(math.atan2(b[1] - center[1], b[0] - center[0]))
    sweep = (a1 - a0 + 180) % 360 - 180
    # Leave room at each end so the arrow does not sit on the limb it points at.
    if joint not in CHAIN:  # a short swing of the head or trunk: a longer arrow, past both ends
        a0, sweep = a0 - math.copysign(15, sweep), sweep + math.copysign(30, sweep)
    trim = min(10.0, abs(sweep) * 0.12)
    a0, a1 = a0 + math.copysign(trim, sweep), a0 + sweep - math.copysign(trim * 0.6, sweep)
    arc = [_dir(a0 + (a1 - a0) * i / 14, r, center) for i in range(15)]
    shapes.append(Shape("thin", arc[:-1]))
    shapes.append(Shape("tip", [arc[-3], arc[-1]]))


def _turn(shapes: list[Shape], body: Body, figure: Figure) -> None:
    """A turning arrow around the joint that turns: an open loop with a head at each end."""
    joint = figure.arrow_at or (figure.moving_joints() or ["neck"])[0]
    if joint in ("neck", "trunk"):
        c, axis = body.points["head" if joint == "neck" else "neck"], body.trunk_dir
        c = _dir(axis, HEAD_R + 8 if joint == "neck" else -14, c)
    else:
        names = CHAIN[joint]
        a, b = body.points[f"n_{names[0]}"], body.points[f"n_{names[1]}"]
        c = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        axis = math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))
    rx, ry = 17.0, 6.0
    loop = []
    for i in range(19):
        t = math.radians(200 + 220 * i / 18)
        x, y = rx * math.cos(t), ry * math.sin(t)
        # the loop lies across the segment's axis
        u = math.radians(axis + 90)
        loop.append((c[0] + x * math.cos(u) - y * math.sin(u), c[1] + x * math.sin(u) + y * math.cos(u)))
    shapes.append(Shape("thin", loop[1:-1]))
    shapes.append(Shape("tip", [loop[-3], loop[-1]]))
    shapes.append(Shape("tip", [loop[2], loop[0]]))


def _along(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def _helper(shapes: list[Shape], body: Body, joint: str) -> None:
    """A helper's two open hands, one above and one below the moving joint, each with its forearm."""
    p = body.points
    names = CHAIN[joint]
    if joint in ("shoulder", "hip"):  # hold the limb itself: near the elbow or knee, and at the wrist or ankle
        holds = [(p[f"n_{names[0]}"], p[f"n_{names[1]}"], 0.85), (p[f"n_{names[1]}"], p[f"n_{names[2]}"], 0.85)]
    else:
        parent = {"elbow": "shoulder", "wrist": "elbow", "fingers": "wrist", "knee": "hip", "ankle": "knee"}[joint]
        holds = [(p[f"n_{parent}"], p[f"n_{names[0]}"], 0.72), (p[f"n_{names[0]}"], p[f"n_{names[1]}"], 0.6)]
    center = _along(p["hip"], p["neck"], 0.5)
    for a, b, t in holds:
        at = _along(a, b, t)
        axis = math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))
        # the helper reaches in from the side away from the body
        away = axis + 90
        test = _dir(away, 10, at)
        if math.dist(test, center) < math.dist(at, center):
            away += 180
        shapes.append(Shape("thin", [_dir(away, 8, at), _dir(away, 30, at)]))
        shapes.append(Shape("ring", [_dir(away, 3, at)], 6.5))


def _assist(shapes: list[Shape], body: Body) -> None:
    """The stronger arm reaching over to hold the weaker wrist, with its hand drawn solid on it."""
    p = body.points
    shoulder, wrist = p["f_shoulder"], p["n_wrist"]
    d = min(math.dist(shoulder, wrist), UPPER_ARM + FOREARM - 1)
    base = math.atan2(wrist[1] - shoulder[1], wrist[0] - shoulder[0])
    cos_a = (UPPER_ARM**2 + d**2 - FOREARM**2) / (2 * UPPER_ARM * d)
    elbow = _dir(math.degrees(base - math.acos(max(-1.0, min(1.0, cos_a)))), UPPER_ARM, shoulder)
    shapes.append(Shape("line", [shoulder, elbow, wrist]))
    shapes.append(Shape("circle", [wrist], 6.0))


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


def _arm_cycle(p: dict[str, Point], floor: float) -> list[Shape]:
    crank = p["n_wrist"]
    stand = (crank[0] + 12, crank[1] - 2)
    return [Shape("ring", [crank], 8.0), Shape("line", [crank, stand, (stand[0], floor)])]


def _water(p: dict[str, Point]) -> list[Shape]:
    y = p["hip"][1] + TRUNK * 0.55
    xs = [x for x, _ in p.values()]
    count = int((max(xs) - min(xs) + 40) / 5) + 1
    return [Shape("thin", [(min(xs) - 20 + i * 5, y + (2.5 if i % 2 else -2.5)) for i in range(count)])]


def _props(shapes: list[Shape], figure: Figure, body: Body, floor: float) -> None:
    p = body.points
    props = figure.all_props()
    for prop in props:
        if prop == "chair":
            shapes += _chair(p, floor, figure.view == "back")
        elif prop in ("bed", "mat"):
            shapes += _bed(p, floor, legs=prop == "bed", from_above=figure.view == "back")
        elif prop == "wall":
            x = max(x for x, _ in p.values()) + 4
            shapes.append(Shape("line", [(x, floor), (x, p["head"][1] + 20)]))
        elif prop == "strap":
            shapes.append(Shape("thin", [p["n_hand"], _along(p["n_ankle"], p["n_toe"], 0.6)]))
        elif prop == "cycle":
            shapes += _cycle(p, floor)
        elif prop == "arm_cycle":
            shapes += _arm_cycle(p, floor)
        elif prop == "water":
            shapes += _water(p)
    if figure.position != "lying" or ("bed" in props and figure.view == "side"):
        xs = [pt[0] for s in shapes for pt in s.points]
        shapes.append(Shape("thin", [(min(xs) - 4, floor), (max(xs) + 4, floor)]))


def shapes_for(figure: Figure, mode: str = "active") -> list[Shape]:
    """Everything the figure shows, in body units; fitted and drawn by draw()."""
    end = build(figure, figure.poses[-1])
    start = build(figure, figure.poses[0])
    shapes: list[Shape] = []
    lowest = min(y for b in (start, end) for y in (pt[1] for pt in b.points.values()))
    floor = lowest - 3
    if figure.position == "lying":
        floor = -40.0
    if "cycle" in figure.props:  # the pedal ring reaches below the feet
        floor = min(floor, CRANK[1] - 16)
    if len(figure.poses) == 2 and figure.arrow != "none":
        _motion(shapes, figure, start, end)
    _person(shapes, end, figure)
    if figure.arrow == "turn":
        _turn(shapes, end, figure)
    joint = _moving(figure)
    if mode == "passive" and joint:
        _helper(shapes, end, joint)
    if mode == "assisted":
        _assist(shapes, end)
    _props(shapes, figure, end, floor)
    return shapes


def limb_label(figure: Figure, side: str, language: str = "en") -> str | None:
    """The words that name the moving limb in the picture, as two lines: "Left" over "arm", "Brazo" over
    "izquierdo"; in the handout's language, agreeing with the limb (words.yaml)."""
    if figure.limb not in ("arm", "leg"):
        return None
    w = words(language)
    return w(f"limb_{figure.limb}", side=w(f"side_label_{side}"), side_m=w.side(side, True), side_f=w.side(side))


_CORNERS = ((-1, 0), (1, 0), (0, -1), (0, 1))


def fit(shapes: list[Shape], box: tuple[float, float, float, float], most: float = 1.5) -> list[Shape]:
    """Scale and move the shapes into box (x0, y0, x1, y1), keeping their shape."""
    # Circles reach their radius beyond their centre; lines end at their points.
    pts = [(x + dx * s.size, y + dy * s.size) for s in shapes for x, y in s.points for dx, dy in _CORNERS]
    lo_x, hi_x = min(x for x, _ in pts), max(x for x, _ in pts)
    lo_y, hi_y = min(y for _, y in pts), max(y for _, y in pts)
    x0, y0, x1, y1 = box
    f = min((x1 - x0) / max(hi_x - lo_x, 1), (y1 - y0) / max(hi_y - lo_y, 1), most)
    dx = x0 + ((x1 - x0) - (hi_x - lo_x) * f) / 2 - lo_x * f
    dy = y0 - lo_y * f
    return [Shape(s.kind, [(x * f + dx, y * f + dy) for x, y in s.points], s.size * f) for s in shapes]


def extent(shapes: list[Shape]) -> float:
    """How large the fitted figure came out: the area of its bounding box."""
    pts = [pt for s in shapes for pt in s.points]
    return (max(x for x, _ in pts) - min(x for x, _ in pts)) * (max(y for _, y in pts) - min(y for _, y in pts))


assert set(CHAIN) <= set(JOINTS)
