"""A move's picture as data: a stick figure with joint angles per pose, and the props around it.

A clinician adds a move by writing its figure in content.yaml, not Python, so everything the drawing
relies on is checked here with the file, line and field: a joint the model does not have gets the
nearest name, and an angle a body can't reach says the range that joint has (docs/figures.md).

Angles are in degrees, as a therapist measures them, from the position's rest pose (0 = arm down at
the side, leg straight, foot at a right angle to the shin, head upright). The moving side takes the
pose; the other side keeps the rest pose. handouts/pdf/figures.py draws it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

JOINTS: dict[str, tuple[float, float, str]] = {
    "trunk": (-40, 90, "0 is upright, 90 is bent forward flat"),
    "neck": (-60, 70, "0 is the head upright, 70 is chin on chest, -60 is looking up"),
    "shoulder": (-60, 180, "0 is the arm down at the side, 90 straight out, 180 straight up"),
    "elbow": (0, 150, "0 is the arm straight, 150 fully bent"),
    "wrist": (-80, 80, "0 is the hand in line with the forearm"),
    "fingers": (0, 100, "0 is the hand open, 100 a closed fist"),
    "hip": (-30, 130, "0 is the leg in line with the body, 90 is the thigh level when seated"),
    "knee": (0, 150, "0 is the leg straight, 150 fully bent"),
    "ankle": (-50, 30, "0 is the foot at a right angle to the shin, 20 is toes pulled up"),
}
"""Each joint's range: (least, most, what the numbers mean), from the usual adult ranges of motion."""


def _in_range(joint: str) -> Callable[[float | None], float | None]:
    least, most, meaning = JOINTS[joint]

    def check(value: float | None) -> float | None:
        if value is not None and not least <= value <= most:
            raise ValueError(
                f"{value:g} degrees is more than a {joint} can move; use {least:g} to {most:g} ({meaning})"
            )
        return value

    return check


Trunk = Annotated[float | None, AfterValidator(_in_range("trunk"))]
Neck = Annotated[float | None, AfterValidator(_in_range("neck"))]
Shoulder = Annotated[float | None, AfterValidator(_in_range("shoulder"))]
Elbow = Annotated[float | None, AfterValidator(_in_range("elbow"))]
Wrist = Annotated[float | None, AfterValidator(_in_range("wrist"))]
Fingers = Annotated[float | None, AfterValidator(_in_range("fingers"))]
Hip = Annotated[float | None, AfterValidator(_in_range("hip"))]
Knee = Annotated[float | None, AfterValidator(_in_range("knee"))]
Ankle = Annotated[float | None, AfterValidator(_in_range("ankle"))]
JointName = Literal["trunk", "neck", "shoulder", "elbow", "wrist", "fingers", "hip", "knee", "ankle"]


class Pose(BaseModel):
    """Joint angles of one pose; a joint left out keeps the position's rest angle."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    trunk: Trunk = None
    neck: Neck = None
    shoulder: Shoulder = None
    elbow: Elbow = None
    wrist: Wrist = None
    fingers: Fingers = None
    hip: Hip = None
    knee: Knee = None
    ankle: Ankle = None
    both: bool = False
    """Both sides take this pose (both arms overhead in a stretch), not the moving side alone."""
    other: Pose | None = None
    """Angles for the other side where it is not at rest (the back leg in a step)."""

    def angles(self) -> dict[str, float]:
        return {j: v for j in JOINTS if (v := getattr(self, j)) is not None}


Prop = Literal["chair", "bed", "mat", "wall", "strap", "cycle", "arm_cycle", "water"]
Arrow = Literal["auto", "turn", "none"]


class Figure(BaseModel):
    """A stick figure in one position, seen from the side, behind, in front or above, in one or two poses.

    Two poses: the start is drawn in a light grey, the end in black, with an arrow along the path of
    the moving part, as exercise pictures are drawn. One pose: `arrow: turn` draws a turning arrow
    around the moving joint (turn the head, turn the palm).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    position: Literal["standing", "sitting", "lying"]
    view: Literal["side", "back", "front", "above"] = "side"
    """side: the figure faces the page's edge, the moving limb nearest you; back: seen from behind,
    so the patient's left is on the left of the page, as the standing pictures are; front: facing
    you; above: a lying figure seen from the ceiling (a leg moved out to the side)."""
    poses: list[Pose] = Field(min_length=1, max_length=2)
    props: list[Prop] = []
    """chair for sitting and bed for lying are added when not given; mat replaces the bed."""
    arrow: Arrow = "auto"
    arrow_at: JointName | None = None
    """The joint a turning arrow goes around, or with two poses the joint whose moving part the arrow
    follows (the hip when walking, not the swinging arm); default the first joint that moves."""
    limb: Literal["arm", "leg", "head", "trunk", "none"] = "arm"
    """What the move moves: the words "Left arm" / "Right leg" label it, and helpers' hands hold it."""

    @field_validator("view")
    @classmethod
    def _view_fits_position(cls, view: str, info: ValidationInfo) -> str:
        lying = info.data.get("position") == "lying"
        if (view == "above" and not lying) or (view in ("back", "front") and lying):
            raise ValueError(
                f"a {'lying' if lying else 'seated or standing'} figure is not seen from the {view}; use "
                + ("side or above (above: from the ceiling)" if lying else "side, back or front")
            )
        return view

    @model_validator(mode="after")
    def _consistent(self) -> Figure:
        if self.arrow == "turn" and len(self.poses) != 1:
            raise ValueError("a turning arrow goes with one pose; give one pose, or arrow: auto with two")
        if self.arrow == "auto" and len(self.poses) == 2 and self.poses[0] == self.poses[1]:
            raise ValueError("the two poses are the same; change an angle so the picture shows the move")
        if self.position == "sitting" and "bed" in self.props:
            raise ValueError("a seated figure sits on a chair; use position: lying with a bed")
        if self.arrow_at and len(self.poses) == 2 and self.arrow_at not in self.moving_joints():
            moving = ", ".join(self.moving_joints())
            raise ValueError(f"arrow_at: the {self.arrow_at} does not move between the poses; use one of: {moving}")
        return self

    def moving_joints(self) -> list[str]:
        """Joints whose angle changes between the poses, from the body outwards."""
        if len(self.poses) == 1:
            return [self.arrow_at] if self.arrow_at else list(self.poses[0].angles())[:1]
        first, last = self.poses[0].angles(), self.poses[1].angles()
        return [j for j in JOINTS if first.get(j) != last.get(j)]

    def arrow_joint(self) -> str | None:
        """The joint whose moving part the arrow follows."""
        moving = self.moving_joints()
        if self.arrow_at and self.arrow_at in moving:
            return self.arrow_at
        return moving[0] if moving else None

    def all_props(self) -> list[str]:
        props: list[str] = list(self.props)
        if self.position == "sitting" and not {"chair", "cycle"} & set(props):
            props.append("chair")
        if self.position == "lying" and "mat" not in props and "bed" not in props:
            props.append("bed")
        return props
