"""What each picture shows, in words a screen reader says in its place (the PDF's /Alt text).

The caption beside a picture says what to do ("Cane in your left hand"); the alternate text says
what the drawing shows for this patient, sides included, so a reader who can't see it misses
nothing. A picture this module doesn't know (a section a clinic added) is described by its caption,
with its side added when the caption doesn't say it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from handouts.handout.personalize import Picture


def _cane(p: Picture, cane: str) -> str:
    return f"A person standing, seen from behind, holding {cane} in the {p.side or 'right'} hand"


def _walker(p: Picture) -> str:
    parts = [w for w, on in (("wheels on its front legs", p.wheels), ("platforms for the forearms", p.platform)) if on]
    return "A person walking with a walker" + (" that has " + " and ".join(parts) if parts else "")


def _brace(p: Picture) -> str:
    where = "on both legs" if p.side in (None, "both") else f"on the {p.side} leg"
    return f"A person standing, seen from behind, wearing an ankle-foot brace {where}"


def _range(p: Picture) -> str:
    if p.helper:
        return "A person lying down while a helper standing beside them moves their arm up and back"
    return "A person standing, raising one arm out to the side as far as it goes"


_SAY = {
    "cane": lambda p: f"A person standing, seen from behind, holding a cane in the {p.side or 'right'} hand",
    "quad_cane": lambda p: (
        f"A person standing, seen from behind, holding a four-foot cane in the {p.side or 'right'} hand"
    ),
    "walker": _walker,
    "ankle_foot_brace": _brace,
    "wheelchair": lambda p: "A person sitting in a wheelchair",
    "neck_brace": lambda p: "A person's head and shoulders, with a brace around the neck holding up the head",
    "aerobic": lambda p: "A person walking at an easy pace",
    "stretching": lambda p: "A person standing, stretching both arms up over the head",
    "range_of_motion": _range,
}


def alt_text(picture: Picture) -> str:
    """One sentence, ending with a full stop, never empty."""
    say = _SAY.get(picture.kind)
    text = (say(picture) if say else picture.caption).rstrip(".")
    side = picture.side
    if side and side not in text.lower().split():  # a personalized picture always names its side
        text += ", on both sides" if side == "both" else f", on the {side} side"
    return text + "."
