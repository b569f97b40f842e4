"""Make docs/contact-sheet.png: page 1 of every layout, on both papers, side by side.

Run from the repository root: PYTHONPATH=. python tools/contact_sheet.py
It prints maria-lopez with every layout in layouts/, plus a clinic's own layout (extending large-print
with a name, address, phone and a made-up logo) to show the letterhead. Needs pdftoppm (poppler-utils).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from handouts.build import print_plan
from handouts.inputs.content import cached_content
from handouts.inputs.layout import LAYOUTS_DIR, PAPERS, layout_names, load_layout
from handouts.inputs.plan import load_plan

ROOT = Path(__file__).resolve().parent.parent
PATIENT = ROOT / "examples" / "maria-lopez.yaml"
OUT = ROOT / "docs" / "contact-sheet.png"
DPI = 40
CLINIC = """\
extends: large-print
description: Riverside Rehabilitation's own large print, with its logo
clinic:
  name: Riverside Rehabilitation
  address: 12 Mill Road, Springfield
  phone: 555-0100
  logo: riverside-logo.png
"""


def _logo(path: Path) -> None:
    im = Image.new("RGB", (480, 240), "white")
    draw = ImageDraw.Draw(im)
    draw.ellipse((10, 10, 230, 230), fill=(0, 70, 140))
    draw.polygon([(250, 230), (360, 20), (470, 230)], fill=(0, 110, 60))
    im.save(path)


def main() -> None:
    if not shutil.which("pdftoppm"):
        sys.exit("pdftoppm is not installed (apt-get install poppler-utils)")
    content = cached_content(None)
    plan = load_plan(PATIENT, content)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for path in LAYOUTS_DIR.glob("*.yaml"):
            shutil.copy(path, folder)
        (folder / "riverside.yaml").write_text(CLINIC, encoding="utf-8")
        _logo(folder / "riverside-logo.png")
        tiles = []
        for name in [*layout_names(), "riverside"]:
            for paper in PAPERS:
                pdf = print_plan(plan, content, load_layout(name, folder, paper)).pdf
                (folder / "h.pdf").write_bytes(pdf)
                subprocess.run(
                    ["pdftoppm", "-png", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile", "h.pdf", "page"],
                    cwd=folder,
                    check=True,
                )
                tiles.append((f"{name}, {paper}", Image.open(folder / "page.png").convert("RGB")))
        _sheet(tiles)


def _sheet(tiles: list[tuple[str, Image.Image]]) -> None:
    import fontpkg

    font = ImageFont.truetype(str(fontpkg.path("Atkinson Hyperlegible", weight=700)), 16)
    pad, label_h = 12, 26
    w = max(im.width for _, im in tiles)
    h = max(im.height for _, im in tiles)
    cols = 2 * 3 if len(tiles) <= 6 else 4
    rows = -(-len(tiles) // cols)
    sheet = Image.new("RGB", (cols * (w + pad) + pad, rows * (h + label_h + pad) + pad), (235, 235, 235))
    draw = ImageDraw.Draw(sheet)
    for i, (label, im) in enumerate(tiles):
        x = pad + (i % cols) * (w + pad)
        y = pad + (i // cols) * (h + label_h + pad)
        draw.text((x, y), label, fill="black", font=font)
        sheet.paste(im, (x, y + label_h))
        draw.rectangle((x - 1, y + label_h - 1, x + im.width, y + label_h + im.height), outline=(120, 120, 120))
    OUT.parent.mkdir(exist_ok=True)
    sheet.save(OUT, optimize=True)
    print(f"{OUT.relative_to(ROOT)}: {len(tiles)} pages, {sheet.width}x{sheet.height}, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
