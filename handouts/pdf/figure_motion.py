"""How a move's picture shows the movement, in the convention of exercise pictures.

The start of the moving part is drawn in a light grey under the end pose in black; an arrow follows
the path of the moving hand, foot or head, routed round the body, the chair and the bed (tried at a
few distances from the joint, keeping the longest stretch clear of everything drawn); the hands that
help are drawn where the steps put them: a helper as a person (head, trunk, arms, legs) whose two
hands hold the limb, or the stronger arm reaching over to hold the weaker wrist.
"""

from __future__ import annotations

import math

from handouts.inputs.figure import Figure
from handouts.pdf.figures import (
    CHAIN,
    CRANK,
    END,
    FOREARM,
    HEAD_R,
    NECK,
    SHIN,
    SHOULDER_W,
    THIGH,
    TRUNK,
    UPPER_ARM,
    Body,
    Point,
    Shape,
    along,
    build,
    dir_,
    far_limbs,
    ground,
    person,
    props,
)

CLEAR = {"thin": 4.5, "tip": 4.5}
"""How far, in body units, an arrow keeps from a line drawn: the line's half width, the arrow's head,
and a gap between them; thin lines (props) need less than the body's (BOLD_CLEAR)."""
BOLD_CLEAR = 7.0
Obstacle = tuple[Point, Point, float]
"""A segment (a circle: both ends at its centre) and how far from it the arrow keeps."""
HAND_R = 4.5
HOLDS: dict[str, tuple[tuple[str, str, float], tuple[str, str, float]]] = {
    "shoulder": (("shoulder", "elbow", 0.8), ("wrist", "palm", 0.0)),  # above the elbow, at the wrist
    "elbow": (("shoulder", "elbow", 0.75), ("wrist", "palm", 0.0)),
    "wrist": (("elbow", "wrist", 0.75), ("palm", "hand", 0.3)),  # above the wrist, the hand
    "fingers": (("elbow", "wrist", 0.85), ("palm", "hand", 0.6)),
    "hip": (("hip", "knee", 0.9), ("ankle", "toe", 0.0)),  # under the knee, under the heel
    "knee": (("hip", "knee", 0.85), ("ankle", "toe", 0.0)),
    "ankle": (("knee", "ankle", 0.8), ("ankle", "toe", 0.6)),  # above the ankle, the sole of the foot
}
"""Where a helper's two hands hold the limb for each joint that moves, as the passive steps say."""


def shapes_for(figure: Figure, mode: str = "active") -> list[Shape]:
    """Everything the figure shows, in body units and painting order; fitted by figures.fit()."""
    end = build(figure, figure.poses[-1])
    start = build(figure, figure.poses[0])
    shapes: list[Shape] = []
    lowest = min(y for b in (start, end) for y in (pt[1] for pt in b.points.values()))
    floor = -40.0 if figure.position == "lying" else lowest - 3
    if "cycle" in figure.props:  # the pedal ring reaches below the feet
        floor = min(floor, CRANK[1] - 16)
    two = len(figure.poses) == 2 and figure.arrow != "none"
    props(shapes, figure, end, floor, start)  # behind the person: the start pose in grey must show over a chair
    far_limbs(shapes, end)
    if two:
        ghost(shapes, figure, start)
    person(shapes, end, figure)
    if figure.arrow == "turn":
        turn(shapes, end, figure)
    if mode == "assisted":
        assist(shapes, end)
    joint = moving_limb_joint(figure)
    if mode == "passive" and joint:
        helper(shapes, end, joint, floor, figure.view == "above")
    ground(shapes, figure, floor)
    if two:
        arrow(shapes, figure, start, end)
    mark = anchor(figure, end)
    if mark:
        shapes.append(Shape("anchor", [mark]))
    return shapes


def moving_limb_joint(figure: Figure) -> str | None:
    moving = [j for j in figure.moving_joints() if j in CHAIN]
    return moving[0] if moving else None


def ghost(shapes: list[Shape], figure: Figure, start: Body) -> None:
    """The start pose of each part that moves, in grey: the limb from its first moving joint out, or the
    head (and trunk) that bends."""
    p = start.points
    sides = ("n", "f") if figure.poses[-1].both else ("n",)
    limbs: set[str] = set()
    for joint in figure.moving_joints():
        if joint in CHAIN:
            names = CHAIN[joint]
            if names[-1] in limbs:
                continue
            limbs.add(names[-1])
            shapes += [Shape("ghost", [p[f"{side}_{n}"] for n in names]) for side in sides]
        elif "head" not in limbs:
            limbs.add("head")
            shapes.append(
                Shape("ghost", [p["hip"], p["neck"], p["head"]] if joint == "trunk" else [p["neck"], p["head"]])
            )
            shapes.append(Shape("ghost_head", [p["head"]], HEAD_R))


def distance(pt: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    n = dx * dx + dy * dy
    t = 0.0 if n == 0 else max(0.0, min(1.0, ((pt[0] - a[0]) * dx + (pt[1] - a[1]) * dy) / n))
    return math.dist(pt, (a[0] + t * dx, a[1] + t * dy))


def _obstacles(shapes: list[Shape]) -> list[Obstacle]:
    """Every drawn segment, and every circle as a point, each with how far from it the arrow keeps."""
    out: list[Obstacle] = []
    for s in shapes:
        keep = CLEAR.get(s.kind, BOLD_CLEAR)
        if s.size:
            out.append((s.points[0], s.points[0], s.size + keep))
        elif s.kind != "anchor":
            out += [(a, b, keep) for a, b in zip(s.points, s.points[1:], strict=False)]
    return out


def _clear_run(center: Point, r: float, lo: float, hi: float, obstacles: list[Obstacle]) -> tuple[float, float] | None:
    """The longest stretch of the arc from angle lo to hi (degrees) that keeps CLEAR of every obstacle."""
    steps = max(8, int(abs(hi - lo) / 2))
    # Only what comes within reach of the circle of radius r can stand in its way.
    near = [
        (a, b, keep)
        for a, b, keep in obstacles
        if distance(center, a, b) - keep < r < max(math.dist(center, a), math.dist(center, b)) + keep
    ]
    best: tuple[float, float] | None = None
    run_start: float | None = None
    for i in range(steps + 1):
        t = lo + (hi - lo) * i / steps
        pt = dir_(t, r, center)
        clear = all(distance(pt, a, b) >= keep for a, b, keep in near)
        if clear and run_start is None:
            run_start = t
        if run_start is not None and (not clear or i == steps):
            stop = t if clear else lo + (hi - lo) * (i - 1) / steps
            if best is None or abs(stop - run_start) > abs(best[1] - best[0]):
                best = (run_start, stop)
            run_start = None
    return best


def _covered(run: tuple[float, float], a0: float, a1: float) -> float:
    """How much of the path from angle a0 to a1 the arrow's stretch runs beside, from 0 to 1."""
    lo, hi = sorted((a0, a1))
    r0, r1 = sorted(run)
    return max(0.0, min(hi, r1) - max(lo, r0)) / max(hi - lo, 1.0)


def _path(joint: str, start: Body, end: Body) -> tuple[Point, Point, Point]:
    """The centre the moving part swings around, and where its end starts and stops."""
    if joint in CHAIN:
        center = start.points[f"n_{CHAIN[joint][0]}"]
        return center, start.points[f"n_{END[joint]}"], end.points[f"n_{END[joint]}"]
    return start.points["neck" if joint == "neck" else "hip"], start.points["head"], end.points["head"]


def arrow(shapes: list[Shape], figure: Figure, start: Body, end: Body) -> None:
    """An arc with a solid head from where the moving part starts to where it stops, outside the figure."""
    joint = figure.arrow_joint()
    if joint is None:
        return
    center, a, b = _path(joint, start, end)
    reach = max(math.dist(center, a), math.dist(center, b))
    a0 = math.degrees(math.atan2(a[1] - center[1], a[0] - center[0]))
    a1 = math.degrees(math.atan2(b[1] - center[1], b[0] - center[0]))
    sweep = (a1 - a0 + 180) % 360 - 180
    pad = max(0.0, (60 - abs(sweep)) / 2)  # a short swing gets an arrow longer than its path, past both ends
    lo, hi = a0 - math.copysign(pad, sweep), a0 + sweep + math.copysign(pad, sweep)
    outside = [reach + d for d in (6, 10, 15, 21, 28, 36)]
    if joint not in CHAIN:
        outside = [reach + HEAD_R + d for d in (4, 8, 13, 19)]
    inside = [reach - d for d in (8, 13, 19)] if reach > 34 else []
    obstacles = _obstacles(shapes)
    # The nearest radius whose clear stretch covers most of the path; failing that, the best covered.
    choices: list[tuple[float, float, tuple[float, float]]] = []
    for r in sorted(outside + inside, key=lambda r: abs(r - reach)):
        run = _clear_run(center, r, lo, hi, obstacles)
        if run is not None:
            choices.append((_covered(run, a0, a0 + sweep), r, run))
            if choices[-1][0] >= 0.6:
                break
    if choices:
        _, r, run = max(choices, key=lambda c: (c[0] >= 0.6, round(c[0], 2), -abs(c[1] - reach)))
    else:  # nowhere clear: the plain arc, as near as it can be
        r, run = reach + 10, (lo, hi)
    arc = [dir_(run[0] + (run[1] - run[0]) * i / 16, r, center) for i in range(17)]
    shapes.append(Shape("thin", arc[:-1]))
    shapes.append(Shape("tip", [arc[-3], arc[-1]]))


def turn(shapes: list[Shape], body: Body, figure: Figure) -> None:
    """A turning arrow around the joint that turns: an open loop with a head at each end."""
    joint = figure.arrow_at or (figure.moving_joints() or ["neck"])[0]
    if joint in ("neck", "trunk"):
        c, axis = body.points["head" if joint == "neck" else "neck"], body.trunk_dir
        c = dir_(axis, HEAD_R + 8 if joint == "neck" else -14, c)
    else:
        names = CHAIN[joint]
        a, b = body.points[f"n_{names[0]}"], body.points[f"n_{names[1]}"]
        c = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        axis = math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))
    rx, ry = 17.0, 6.0
    u = math.radians(axis + 90)  # the loop lies across the segment's axis
    loop = []
    for i in range(19):
        t = math.radians(200 + 220 * i / 18)
        x, y = rx * math.cos(t), ry * math.sin(t)
        loop.append((c[0] + x * math.cos(u) - y * math.sin(u), c[1] + x * math.sin(u) + y * math.cos(u)))
    shapes.append(Shape("thin", loop[1:-1]))
    shapes.append(Shape("tip", [loop[-3], loop[-1]]))
    shapes.append(Shape("tip", [loop[2], loop[0]]))


def _elbow(shoulder: Point, hand: Point, down: bool = True) -> Point:
    """Where the elbow goes for a hand to reach `hand` from `shoulder`: bent below the line between them
    (an arm's weight hangs), or above it."""
    d = min(math.dist(shoulder, hand), UPPER_ARM + FOREARM - 1)
    base = math.atan2(hand[1] - shoulder[1], hand[0] - shoulder[0])
    cos_a = (UPPER_ARM**2 + d**2 - FOREARM**2) / (2 * UPPER_ARM * max(d, 1.0))
    bend = math.acos(max(-1.0, min(1.0, cos_a)))
    options = [dir_(math.degrees(base + s * bend), UPPER_ARM, shoulder) for s in (-1, 1)]
    return min(options, key=lambda p: p[1]) if down else max(options, key=lambda p: p[1])


def assist(shapes: list[Shape], body: Body) -> None:
    """The stronger arm reaching over to the weaker wrist, drawn over the body with a white edge so it
    reads in front, and its hand on the wrist: two hands on the weaker arm."""
    p = body.points
    shoulder, wrist = p["f_shoulder"], p["n_wrist"]
    shapes.append(Shape("over", [shoulder, _elbow(shoulder, wrist), wrist]))
    shapes.append(Shape("hand", [wrist], HAND_R + 0.5))


def holds(body: Body, joint: str) -> list[Point]:
    """Where a helper's hands go on the moving limb (HOLDS)."""
    p = body.points
    return [along(p[f"n_{a}"], p[f"n_{b}"], t) for a, b, t in HOLDS[joint]]


def helper(shapes: list[Shape], body: Body, joint: str, floor: float, above: bool) -> None:
    """A helper as a person beside the limb, leaning in, a hand at each hold."""
    hands = holds(body, joint)
    mx = sum(h[0] for h in hands) / 2
    sign = 1.0 if mx >= body.points["hip"][0] - TRUNK / 2 else -1.0
    if above:  # from the ceiling: head and shoulders beside the bed, the back bent over towards the limb
        neck = (mx, max(h[1] for h in hands) + 26)
        shoulders = [(neck[0] - SHOULDER_W, neck[1]), (neck[0] + SHOULDER_W, neck[1])]
        shapes.append(Shape("helper", [shoulders[0], shoulders[1]]))
        shapes.append(Shape("helper", [neck, (neck[0], neck[1] + 14)]))
        for shoulder, hand in zip(sorted(shoulders), sorted(hands), strict=True):
            shapes.append(Shape("helper", [shoulder, _elbow(shoulder, hand, down=False), hand]))
        shapes.append(Shape("head", [neck], HEAD_R))
    else:
        hip, neck = _stance(hands, mx, sign, floor, body)
        shoulder = dir_(math.degrees(math.atan2(hip[1] - neck[1], hip[0] - neck[0])), 4, neck)
        knee = (hip[0] - sign * (floor + THIGH + SHIN - hip[1]) * 0.6, (hip[1] + floor) / 2)  # bent towards the limb
        shapes.append(Shape("helper", [(hip[0] + sign * 4, floor), knee, hip, (hip[0] + sign * 10, floor)]))
        shapes.append(Shape("helper", [hip, neck]))
        for hand in hands:
            shapes.append(Shape("helper", [shoulder, _elbow(shoulder, hand), hand]))
        lean = math.degrees(math.atan2(neck[1] - hip[1], neck[0] - hip[0]))
        shapes.append(Shape("helper", [neck, dir_(lean, NECK, neck)]))
        shapes.append(Shape("head", [dir_(lean, NECK + HEAD_R, neck)], HEAD_R))
    shapes += [Shape("hand", [h], HAND_R) for h in hands]


def _stance(hands: list[Point], mx: float, sign: float, floor: float, body: Body) -> tuple[Point, Point]:
    """The helper's hips and neck: on the floor beyond the limb, upright as can be, knees bent a little
    where the hold is low, leaning in no more than needed for both hands to reach, clear of the head."""
    reach = UPPER_ARM + FOREARM - 2
    head = body.points["head"]
    best: tuple[float, Point, Point] | None = None
    for drop in (0, 8, 16, 24):
        for dx in range(14, 80, 4):
            hip = (mx + sign * dx, floor + THIGH + SHIN - drop)
            for lean in range(0, 65, 5):
                neck = dir_(90 + sign * lean, TRUNK, hip)
                shoulder = (neck[0], neck[1] - 4)
                if any(math.dist(shoulder, h) > reach for h in hands):
                    continue
                top = dir_(90 + sign * lean, TRUNK + NECK + HEAD_R, hip)
                crowd = min(distance(head, hip, top), distance(head, hip, (hip[0], floor)), 40)
                cost = lean + drop * 1.5 + dx * 0.4 + (40 - crowd) * 2 + (200 if crowd < 2 * HEAD_R + 4 else 0)
                if min(distance(h, hip, neck) for h in hands) < 6:
                    cost += 50
                if best is None or cost < best[0]:
                    best = (cost, hip, neck)
                break  # the least lean that reaches, for this place
    if best is None:
        hip = (mx + sign * 30, floor + THIGH + SHIN - 24)
        return hip, dir_(90 + sign * 50, TRUNK, hip)
    return best[1], best[2]


def anchor(figure: Figure, end: Body) -> Point | None:
    """Where the side label's leader line meets the limb it names: the middle of the forearm or shin."""
    p = end.points
    if figure.limb == "arm":
        return along(p["n_elbow"], p["n_wrist"], 0.5)
    if figure.limb == "leg":
        return along(p["n_knee"], p["n_ankle"], 0.5)
    return None
