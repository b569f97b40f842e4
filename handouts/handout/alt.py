"""What each picture shows, in words a screen reader says in its place (the PDF's /Alt text).

The caption beside a picture says what to do ("Cane in your left hand"); the alternate text says
what the drawing shows for this patient, sides included, so a reader who can't see it misses
nothing. A picture this module doesn't know (a section a clinic added) is described by its caption,
with its side added when the caption doesn't say it. The words are the handout's language's, from
words.yaml.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from handouts.handout.words import Words, words

if TYPE_CHECKING:
    from handouts.handout.model import Picture


def _side(w: Words, p: Picture) -> str:
    return w.side(p.side if p.side in ("left", "right") else "right")


def _walker(w: Words, p: Picture) -> str:
    parts = [w(key) for key, on in (("alt_wheels", p.wheels), ("alt_platforms", p.platform)) if on]
    return w("alt_walker") + (w("alt_walker_has", parts=w("and").join(parts)) if parts else "")


def _brace(w: Words, p: Picture) -> str:
    where = w("alt_on_both_legs") if p.side in (None, "both") else w("alt_on_leg", side=_side(w, p))
    return w("alt_brace", where=where)


_SAY: dict[str, Callable[[Words, Picture], str]] = {
    "cane": lambda w, p: w("alt_cane", side=_side(w, p)),
    "quad_cane": lambda w, p: w("alt_quad_cane", side=_side(w, p)),
    "walker": _walker,
    "ankle_foot_brace": _brace,
    "wheelchair": lambda w, p: w("alt_wheelchair"),
    "neck_brace": lambda w, p: w("alt_neck_brace"),
    "aerobic": lambda w, p: w("alt_aerobic"),
    "stretching": lambda w, p: w("alt_stretching"),
    "range_of_motion": lambda w, p: w("alt_range_helper" if p.helper else "alt_range"),
}


def alt_text(picture: Picture) -> str:
    """One sentence, ending with a full stop, never empty."""
    w = words(picture.language)
    say = _SAY.get(picture.kind)
    text = (say(w, picture) if say else picture.caption).rstrip(".")
    side = picture.side
    said = set(text.lower().replace(",", " ").split())
    if side == "both" and w("both_word") not in said:
        text += w("alt_on_both_sides")
    elif side in ("left", "right") and not {w.side(side).lower(), w.side(side, True).lower()} & said:
        text += w("alt_on_side", side=w.side(side), side_m=w.side(side, True))
    return text + "."
