"""A second font for the letters the layout's font lacks, so every patient's name prints as written.

Atkinson Hyperlegible covers Western European Latin only. Names come in every script, so any run of
patient text the layout's font can't draw is set in a fallback family that covers full Latin
(Vietnamese included), Greek and Cyrillic, at the same size, embedded like the main font. Fira Sans is
used because it ships as static Regular and Bold files: reportlab can't pick an instance out of a
variable font such as Noto Sans, so a bold header line would come out regular. A character that no
shipped font has is refused (see render.check_glyphs), never drawn as an empty box.
"""

from __future__ import annotations

import sys
import unicodedata
from functools import lru_cache
from itertools import groupby
from xml.sax.saxutils import escape

from handouts.inputs.assets import family_files
from handouts.pdf.fonts import FontPair, register

FALLBACK_FAMILY = "Fira Sans"


Fallback = FontPair
"""The registered fallback faces and the characters both of them can draw."""


def fallback_fonts() -> Fallback:
    """The fallback family, registered once per process."""
    return register(family_files(FALLBACK_FAMILY))


def markup(text: str, main: frozenset[int], fallback: Fallback, bold: bool = False) -> str:
    """Escaped paragraph markup for `text`, with each run the main font lacks set in the fallback.

    Spaces and combining marks stay with the run they are in, so a mark is drawn by the same font as
    its letter and a line still breaks at spaces.
    """
    if _drawable(main).issuperset(text):  # most text: every letter in the main font, one run
        return escape(text)
    font = fallback.bold if bold else fallback.regular
    state = {"main": True}

    def in_main(ch: str) -> bool:
        if ch.isspace() or (unicodedata.combining(ch) and not state["main"]):
            return state["main"]
        state["main"] = ord(ch) in main
        return state["main"]

    out = []
    for use_main, run in groupby(text, key=in_main):
        chunk = escape("".join(run))
        out.append(chunk if use_main else f'<font name="{font}">{chunk}</font>')
    return "".join(out)


_SPACES = frozenset(ch for ch in map(chr, range(sys.maxunicode + 1)) if ch.isspace())


@lru_cache(maxsize=8)
def _drawable(main: frozenset[int]) -> frozenset[str]:
    """The characters a text may hold and still be one run in the main font: its own, and spaces. A
    text of only these is checked at C speed, not letter by letter (the check ran for every letter)."""
    return frozenset(map(chr, main)) | _SPACES


def missing(text: str, covered: frozenset[int]) -> list[str]:
    """The distinct characters of `text` that no shipped font can draw, in order of code point."""
    return sorted({ch for ch in text if ord(ch) not in covered and not ch.isspace()})
