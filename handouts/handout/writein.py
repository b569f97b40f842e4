"""No blank instruction (issue 22): a kind of exercise chosen without any of its moves.

"Do the stretches your therapist showed you" says nothing about which ones. When a plan chooses
`stretching` (or any kind with `write_in_lines` in content.yaml) and none of the library's stretches,
the handout prints numbered lines under "The moves you were shown" for the therapist to write them
in by hand at the desk, and every front end warns, though nothing is wrong, that the handout names
no moves and how to name them.
"""

from __future__ import annotations

from handouts.errors import Problem
from handouts.handout.words import Words
from handouts.inputs.content import Content
from handouts.inputs.plan import Plan
from handouts.inputs.selections import Selection

EXAMPLES = 2
"""Moves of the kind the warning names as examples."""


def _unnamed(plan: Plan, content: Content) -> list[tuple[int, Selection, int]]:
    """(index, selection, lines) of each chosen kind with write-in lines and none of its moves chosen."""
    chosen = {content.section(sel.id).category for sel in plan.exercises}
    out = []
    for i, sel in enumerate(plan.exercises):
        lines = content.section(sel.id).write_in_lines
        if lines and sel.id not in chosen:
            out.append((i, sel, lines))
    return out


def moves_to_write(plan: Plan, sel: Selection, content: Content, w: Words) -> tuple[tuple[str, int], ...]:
    """The numbered lines a kind's section prints, or none when the plan names its moves."""
    return tuple((w("moves_shown"), lines) for _, unnamed, lines in _unnamed(plan, content) if unnamed is sel)


def warnings(plan: Plan, content: Content) -> tuple[Problem, ...]:
    """For the desk (in English, like every message to staff): which kinds name no moves, and how to."""
    out = []
    for i, sel, lines in _unnamed(plan, content):
        moves = [m.id for m in content.moves() if m.category == sel.id][:EXAMPLES]
        such = f", such as {' or '.join(moves)}" if moves else ""
        message = (
            f"{sel.id} names no moves: the handout prints {lines} numbered lines under "
            f"'The moves you were shown' to write them in by hand. To name them, choose moves from "
            f"the exercise library instead (python generate.py list){such}"
        )
        out.append(Problem(plan.file, message, sel.line, f"exercises[{i}]"))
    return tuple(out)
