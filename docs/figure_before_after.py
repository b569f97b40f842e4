"""Draw one move's picture as a handout prints it, for docs/figure-before-after.png (issue 24).

The picture is Lee Chen's shoulder raise (examples/lee-chen-moves.yaml: stronger side right, so the
left arm moves, the right hand helping), at its printed size in large print. Draw it with an older
checkout and with this one, then join the two:

    git worktree add /tmp/old-figures <older commit>
    (cd /tmp/old-figures && PYTHONPATH=. python $OLDPWD/docs/figure_before_after.py draw /tmp/before.pdf)
    PYTHONPATH=. python docs/figure_before_after.py draw /tmp/after.pdf
    PYTHONPATH=. python docs/figure_before_after.py join /tmp/before.pdf /tmp/after.pdf
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "figure-before-after.png"
DPI = 100


def draw(out: str) -> None:
    """The picture alone on a page of its own size, drawn by whichever checkout is on the path."""
    from reportlab.pdfgen.canvas import Canvas

    from handouts.handout.personalize import Picture
    from handouts.inputs.content import load_content
    from handouts.inputs.layout import load_layout
    from handouts.pdf.painting import Figure
    from handouts.pdf.pictures import drawing_for
    from handouts.pdf.text import fonts_for

    move = load_content().section("shoulder_raise")
    figure = move.figure_for({"mode": "assisted"})
    picture = Picture(move.id, "Your right hand lifts your left arm", side="left", figure=figure, mode="assisted")
    drawing = drawing_for(picture, fonts_for(load_layout("large-print")).bold)
    canvas = Canvas(out, pagesize=(drawing.width, drawing.height), invariant=1)
    Figure(drawing, picture.caption).drawOn(canvas, 0, 0)
    canvas.save()


def join(before: str, after: str) -> None:
    """The two side by side at the same scale, each in a thin frame the size of its picture box."""
    import fontpkg
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(fontpkg.path("Atkinson Hyperlegible", weight=700)), 22)
    images = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, pdf in (("before", before), ("after", after)):
            subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-singlefile", pdf, f"{tmp}/{name}"], check=True)
            images.append(Image.open(f"{tmp}/{name}.png").convert("RGB"))
    pad, top = 24, 44
    width = sum(im.width for im in images) + pad * 3
    height = max(im.height for im in images) + top + pad
    sheet = Image.new("RGB", (width, height), "white")
    pen = ImageDraw.Draw(sheet)
    x = pad
    for title, im in zip(("Before", "After (issue 24)"), images, strict=True):
        y = top + (height - top - pad - im.height)  # both standing on one line, as they would print
        size = f"{im.width / DPI:.1f} x {im.height / DPI:.1f} in"
        pen.text((x, 10), f"{title}: {size}", fill="black", font=font)
        sheet.paste(im, (x, y))
        pen.rectangle((x - 1, y - 1, x + im.width, y + im.height), outline=(150, 150, 150))
        x += im.width + pad
    sheet.save(OUT, optimize=True)
    print(f"{OUT.name}: {sheet.width}x{sheet.height}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["draw"]:
        draw(sys.argv[2])
    elif sys.argv[1:2] == ["join"]:
        join(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
