"""Font registration with reportlab, once per process, for the layout's fonts and the fallback alike."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFStreamFilterZCompress
from reportlab.pdfbase.ttfonts import TTFont


@dataclass(frozen=True)
class FontPair:
    """A registered regular and bold face, and the characters both of them can draw."""

    regular: str
    bold: str
    covered: frozenset[int]


_registered: dict[tuple[Path, Path], FontPair] = {}


class _Codes:
    """One document's codes for one font's first subset, as a translation table: the letters already
    given a code in that subset, and their codes."""

    def __init__(self) -> None:
        self.letters: set[str] = set()
        self.table: dict[int, int] = {}

    def learn(self, text: str, assignments: dict[int, int]) -> None:
        for ch in set(text):
            code = assignments.get(32 if ch == "\xa0" else ord(ch))  # reportlab draws a no-break space as a space
            if code is not None and code < 256:
                self.letters.add(ch)
                self.table[ord(ch)] = code


class SubsetFont(TTFont):
    """reportlab's TrueType font, encoding text the same way at C speed when it can.

    reportlab gives each letter a code in a per-document subset of the font the first time the document
    uses it, then encodes every piece of text letter by letter in Python (a tenth of a handout's time).
    Here a text whose letters all have their code already in the first subset (nearly all text after
    the first page) is encoded with one `str.translate`; any other goes through reportlab, which gives
    the new letters their codes. The bytes are the same either way.
    """

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self._ho_doc: Any = None
        self._ho_codes = _Codes()
        made: dict[tuple[int, ...], bytes] = {}
        self._ho_made = made
        make = self.face.makeSubset

        def make_subset(subset: list[int]) -> bytes:
            """The embedded font file of a subset: the same for every handout using the same letters."""
            key = tuple(subset)
            data = made.get(key)
            if data is None:
                if len(made) >= KEPT:
                    made.clear()
                data = made[key] = make(subset)
            return data

        self.face.makeSubset = make_subset

    def splitString(self, text: Any, doc: Any, encoding: str = "utf-8") -> list[tuple[int, bytes]]:  # noqa: N802
        if self._ho_doc is None or self._ho_doc() is not doc:
            self._ho_doc, self._ho_codes = weakref.ref(doc), _Codes()
        codes = self._ho_codes
        if isinstance(text, str) and codes.letters.issuperset(text):
            return [(0, text.translate(codes.table).encode("latin-1"))] if text else []
        parts: list[tuple[int, bytes]] = super().splitString(text, doc, encoding)
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        codes.learn(text, self.state[doc].assignments)
        return parts

    def addObjects(self, doc: Any) -> None:  # noqa: N802
        """reportlab's font objects, their streams compressed once per process (see _KeptFlate)."""
        super().addObjects(doc)
        face = (self.face.name + self.face.subfontNameX).decode("latin-1")
        mine = (f"fontFile:{self.face.filename}(", "toUnicodeCMap:")
        for name, obj in doc.idToObject.items():
            if name.startswith(mine) and name.partition("+")[2].rstrip(")") == face:
                obj.filters = [_KEPT_FLATE]


KEPT = 64
"""Font subsets (and their compressed streams) kept per process. Text in ASCII has the same codes in
every document (reportlab's asciiReadable), so a batch of handouts uses only a few subsets: 8
different ones in 200 synthetic handouts of the two faces."""


class _KeptFlate(PDFStreamFilterZCompress):
    """reportlab's Flate filter, keeping what it compressed: a font subset and its ToUnicode map are
    the same bytes for most handouts, and compressing them took about 1 ms each handout."""

    def __init__(self) -> None:
        self.kept: dict[bytes | str, bytes] = {}

    def encode(self, text: bytes | str) -> bytes:
        done = self.kept.get(text)
        if done is None:
            if len(self.kept) >= 2 * KEPT:
                self.kept.clear()
            done = self.kept[text] = super().encode(text)
        return done


_KEPT_FLATE = _KeptFlate()


def register(files: tuple[Path, Path]) -> FontPair:
    """Register a regular and a bold font file with reportlab, once per process, as one family."""
    if files not in _registered:
        from reportlab.pdfbase import pdfmetrics

        names = []
        for path in files:
            name = "HO-" + path.stem
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(SubsetFont(name, str(path)))
            names.append(name)
        # <b> inside a paragraph must find the real bold face, never a synthesized or missing one.
        pdfmetrics.registerFontFamily(names[0], normal=names[0], bold=names[1], italic=names[0], boldItalic=names[1])
        faces = [pdfmetrics.getFont(name).face.charToGlyph for name in names]
        _registered[files] = FontPair(names[0], names[1], frozenset(faces[0]) & frozenset(faces[1]))
    return _registered[files]
