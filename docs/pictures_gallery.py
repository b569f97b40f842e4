"""Draw every pictogram on one sheet, the way the handout draws them, for docs/pictures-all.png.

Run from the repository root:
    PYTHONPATH=. python docs/pictures_gallery.py /tmp/gallery.pdf
    pdftoppm -png -r 60 -singlefile /tmp/gallery.pdf docs/pictures-all
"""

from __future__ import annotations

import sys

from reportlab.pdfgen.canvas import Canvas

from handouts.handout.personalize import Picture
from handouts.inputs.layout import load_layout
from handouts.pdf.painting import Figure
from handouts.pdf.pictures import H, W, drawing_for
from handouts.pdf.text import fonts_for

PICTURES = [
    Picture("aerobic", "Aerobic"),
    Picture("stretching", "Stretching"),
    Picture("range_of_motion", "Range of motion, active"),
    Picture("range_of_motion", "Range of motion, passive", helper=True),
    Picture("cane", "Cane, left hand", side="left"),
    Picture("cane", "Cane, right hand", side="right"),
    Picture("quad_cane", "Four-foot cane, left", side="left"),
    Picture("ankle_foot_brace", "Brace, right leg", side="right"),
    Picture("ankle_foot_brace", "Braces, both legs", side="both"),
    Picture("walker", "Walker"),
    Picture("walker", "Walker, wheels", wheels=True),
    Picture("walker", "Walker, wheels + platforms", wheels=True, platform=True),
    Picture("neck_brace", "Neck brace"),
    Picture("wheelchair", "Wheelchair"),
]


def main(out: str) -> None:
    fonts = fonts_for(load_layout("large-print"))
    cols, cell_w, cell_h = 4, W + 20, H + 40
    rows = -(-len(PICTURES) // cols)
    canvas = Canvas(out, pagesize=(cols * cell_w + 20, rows * cell_h + 10), invariant=1)
    for i, picture in enumerate(PICTURES):
        x = 10 + (i % cols) * cell_w
        y = rows * cell_h - (i // cols + 1) * cell_h + 10
        Figure(drawing_for(picture, fonts.bold), picture.caption).drawOn(canvas, x, y + 24)
        canvas.setFont(fonts.regular, 14)  # a label for this sheet only, not handout text
        canvas.drawString(x, y + 4, picture.caption)
    canvas.save()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "gallery.pdf")
