"""The clinic's letterhead at the top of page 1: its logo, name, address and phone.

The clinic and phone in a patient file win over the layout's, since a layout may be shared by several
sites of one clinic. The letterhead uses the body text size and never less; the logo is scaled to fit
inside the margins and to at most a third of the line, so the text beside it keeps room for large print.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from handouts.errors import HandoutError, Problem
from handouts.handout.words import words
from handouts.inputs.assets import image_size
from handouts.pdf.flow import Para

if TYPE_CHECKING:  # reportlab and the layout model load only when something is printed
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Flowable

    from handouts.handout.personalize import Handout
    from handouts.inputs.layout import Layout

MAX_LOGO_SHARE = 1 / 3
"""The logo takes at most this share of the line; the clinic's name and address get the rest."""


def letterhead(
    handout: Handout, layout: Layout, body: ParagraphStyle, width: float, markup: Callable[..., str] = escape
) -> list[Flowable]:
    """Flowables for the letterhead: the layout's clinic as a whole (name, address, phone, logo).

    None when the layout has no clinic, or when the patient file names another clinic: one clinic's
    logo and address above another clinic's name would send the patient to the wrong place. The
    patient's own clinic and phone are always in the box at the top of page 1.

    `markup` is the renderer's, so a clinic or phone typed in the patient file gets the fallback font
    for letters the main font lacks, exactly like the rest of the patient's text."""
    from reportlab.platypus import Image, Spacer

    from handouts.pdf.painting import unpadded_table
    from handouts.pdf.tagging import tagged

    clinic = layout.clinic
    if not (clinic.name or clinic.address or clinic.phone or clinic.logo):
        return []
    given = {t.field: t.text for t in handout.patient_texts}.get("clinic")
    if given and clinic.name and _same(given) != _same(clinic.name):
        return []
    name, phone = clinic.name or given, clinic.phone
    say = words(handout.language.split("-")[0])
    lines = [f"<b>{markup(name, True)}</b>" if name else None, markup(clinic.address) if clinic.address else None]
    lines.append(say("phone", phone=markup(phone)) if phone else None)
    # What the layout itself says is the layout's to fix; the patient's own text was checked with the file.
    _check_letters(layout, [clinic.name, clinic.address, clinic.phone], body.fontName)
    text = [tagged(Para(line, body.clone("letterhead", spaceAfter=0)), "P") for line in lines if line]
    gap = body.fontSize
    if not clinic.logo:
        return [*text, Spacer(1, gap)]
    assert layout.logo_path is not None
    px_w, px_h = image_size(layout.logo_path)
    h = clinic.logo_height * 72
    w = h * px_w / px_h
    if w > width * MAX_LOGO_SHARE:
        w, h = width * MAX_LOGO_SHARE, width * MAX_LOGO_SHARE * px_h / px_w
    logo = Image(str(layout.logo_path), width=w, height=h)
    logo = tagged(logo, "Figure", alt=say("logo_of", name=name) if name else say("logo"))
    cells = [[logo, text]] if text else [[logo, ""]]
    table = unpadded_table(cells, [w + gap, width - w - gap], body, "TOP")
    return [table, Spacer(1, gap)]


def _same(name: str) -> str:
    return " ".join(name.casefold().split())


def _check_letters(layout: Layout, texts: list[str | None], font_name: str) -> None:
    """A clinic name the font can't draw is the layout's mistake; say so rather than print empty boxes."""
    from reportlab.pdfbase import pdfmetrics

    covered = pdfmetrics.getFont(font_name).face.charToGlyph
    for text in texts:
        missing = sorted({ch for ch in text or "" if ord(ch) not in covered and not ch.isspace()})
        if missing:
            raise HandoutError(
                Problem(
                    str(layout.folder / f"{layout.name}.yaml"),
                    f"the handout font has no letter for {', '.join(repr(c) for c in missing[:5])} "
                    f"in {text!r}; write it with other letters",
                    None,
                    "clinic",
                )
            )
