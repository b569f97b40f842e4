"""Draw every move of the exercise library, in each of its modes, for docs/figures-gallery.png.

Each picture is drawn the way a handout draws it (for a patient whose stronger side is the left, so
the weaker right limb moves), with the move's id and mode under it.

Run from the repository root:
    PYTHONPATH=. python docs/figures_gallery.py /tmp/moves.pdf
    pdftoppm -png -r 60 -singlefile /tmp/moves.pdf docs/figures-gallery
"""

from __future__ import annotations

import sys

from reportlab.pdfgen.canvas import Canvas

from handouts.handout.personalize import Picture
from handouts.inputs.content import load_content
from handouts.inputs.layout import load_layout
from handouts.pdf.painting import Figure
from handouts.pdf.pictures import H, W, drawing_for
from handouts.pdf.text import fonts_for


def pictures() -> list[tuple[str, Picture]]:
    out = []
    for move in load_content().moves():
        for mode in move.modes or ["active"]:
            figure = move.figure_for({"mode": mode})
            name = move.id if not move.modes else f"{move.id}, {mode}"
            out.append((name, Picture(move.id, name, side="right", figure=figure, mode=mode)))
    return out


def main(out: str) -> None:
    fonts = fonts_for(load_layout("large-print"))
    drawn = pictures()
    cols, cell_w, cell_h = 5, W + 16, H + 30
    rows = -(-len(drawn) // cols)
    canvas = Canvas(out, pagesize=(cols * cell_w + 16, rows * cell_h + 10), invariant=1)
    for i, (name, picture) in enumerate(drawn):
        x = 10 + (i % cols) * cell_w
        y = rows * cell_h - (i // cols + 1) * cell_h + 10
        Figure(drawing_for(picture, fonts.bold), picture.caption).drawOn(canvas, x, y + 22)
        canvas.setLineWidth(0.5)
        canvas.rect(x, y + 22, W, H)  # the picture's own box, for this sheet only
        canvas.setFont(fonts.regular, 13)  # a label for this sheet only, not handout text
        canvas.drawString(x, y + 6, name)
    canvas.save()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "moves.pdf")
