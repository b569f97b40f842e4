"""Font registration with reportlab, once per process, for the layout's fonts and the fallback alike."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FontPair:
    """A registered regular and bold face, and the characters both of them can draw."""

    regular: str
    bold: str
    covered: frozenset[int]


_registered: dict[tuple[Path, Path], FontPair] = {}


def register(files: tuple[Path, Path]) -> FontPair:
    """Register a regular and a bold font file with reportlab, once per process, as one family."""
    if files not in _registered:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        names = []
        for path in files:
            name = "HO-" + path.stem
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, str(path)))
            names.append(name)
        # <b> inside a paragraph must find the real bold face, never a synthesized or missing one.
        pdfmetrics.registerFontFamily(names[0], normal=names[0], bold=names[1], italic=names[0], boldItalic=names[1])
        faces = [pdfmetrics.getFont(name).face.charToGlyph for name in names]
        _registered[files] = FontPair(names[0], names[1], frozenset(faces[0]) & frozenset(faces[1]))
    return _registered[files]
