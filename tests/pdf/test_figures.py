"""Move pictures read back from real PDFs: drawn from data, and personal to the patient's stronger side."""

from __future__ import annotations

import pytest
from pdfcheck import reader
from pdfshapes import Figure, shapes

from handouts.build import Printed, print_record
from handouts.handout.personalize import Picture
from handouts.inputs.content import cached_content
from handouts.inputs.yamlsource import parse_yaml
from handouts.pdf.pictures import W

PLAN = """
name: Test Person
patient_id: T-1
date: 2026-11-23
stronger_side: {side}
exercises:
  - shoulder_raise: {{mode: assisted}}
  - shoulder_out
  - knee_bend: {{mode: passive}}
  - neck_turn
"""


@pytest.fixture(scope="module")
def drawn() -> dict[str, dict[str, Figure]]:
    """Each side's figures by the id of their move."""
    out = {}
    for side in ("left", "right"):
        printed: Printed = print_record(parse_yaml(PLAN.format(side=side), "t.yaml"), cached_content(), None)
        by_caption = {b.picture.alt: b.id for b in printed.handout.blocks if b.picture}
        pdf = reader(printed.pdf)
        out[side] = {by_caption[f.alt]: f for page in pdf.pages for f in shapes(page, pdf).figures}
    return out


def _rounded(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    return sorted({(round(x, 1), round(y, 1)) for x, y in points})


def _mirrored(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    return sorted({(round(W - x, 1), round(y, 1)) for x, y in points})


def test_the_moving_limb_and_hands_follow_the_stronger_side(drawn) -> None:
    """Assisted, stronger left: the right (weaker) arm moves, and the left hand helps; the mirror image for right."""
    left, right = drawn["left"]["shoulder_raise"], drawn["right"]["shoulder_raise"]
    assert _rounded(left.points) != _rounded(right.points)
    assert _mirrored(left.points) == _rounded(right.points)


@pytest.mark.parametrize("move", ["shoulder_out", "knee_bend"])
def test_a_move_done_on_both_sides_names_no_side(drawn, move: str) -> None:
    """Done on each side in turn (on your own, or by a helper), a move's picture is the same whatever the
    stronger side, with no side label and no side in its words for a screen reader (issue 22)."""
    left, right = drawn["left"][move], drawn["right"][move]
    assert _rounded(left.points) == _rounded(right.points)
    assert "left" not in left.alt.lower() and "right" not in right.alt.lower()


def test_lying_moves_show_a_bed_and_seated_moves_a_chair() -> None:
    for move in cached_content().moves():
        for mode in move.modes or ["active"]:
            figure = move.figure_for({"mode": mode})
            assert figure is not None, move.id
            props = figure.all_props()
            if figure.position == "lying":
                assert {"bed", "mat"} & set(props), move.id
            if figure.position == "sitting":
                assert {"chair", "cycle"} & set(props), move.id


def test_every_move_is_drawn_in_bold_lines_black_and_grey_with_its_limb_named(drawn) -> None:
    """Bold black lines for the end pose, grey for the start, white only as the edge of what lies in front
    (tests/pdf/test_figures_teach.py reads every figure of the library for each of these)."""
    for move, fig in drawn["left"].items():
        assert fig.path_ops > 10 and fig.images == 0, move
        assert fig.stroke_colors <= {(0.0, 0.0, 0.0), (1.0, 1.0, 1.0), (0.627451, 0.627451, 0.627451)}
        widths = sorted(fig.line_widths)
        assert widths[-1] >= 7, move
        xs, ys = [x for x, _ in fig.points], [y for _, y in fig.points]
        assert max(max(xs) - min(xs), max(ys) - min(ys)) >= 2.2 * 72, f"{move} is too small"
    assert drawn["left"]["shoulder_raise"].text_ops >= 1  # "Right arm": the weaker arm, in words


def test_every_move_in_the_library_draws_in_every_mode() -> None:
    """A figure that validates always draws: every move, every mode, both sides."""
    from handouts.pdf.pictures import drawing_for

    for move in cached_content().moves():
        for mode in move.modes or ["active"]:
            for side in ("left", "right"):
                figure = move.figure_for({"mode": mode})
                drawing = drawing_for(Picture(move.id, "x", side=side, figure=figure, mode=mode), "Helvetica")
                assert len(drawing.contents) > 5, (move.id, mode)
