"""Make README's page images from the example handout: docs/example-pages.png (page 1, the page that
starts "Call your care team", and the "My week" page, side by side) and docs/log-page.png.

Run from the repository root: PYTHONPATH=. python tools/example_pages.py
Needs pdftoppm (poppler-utils).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

from handouts.build import print_file

ROOT = Path(__file__).resolve().parent.parent
PATIENT = ROOT / "examples" / "maria-lopez.yaml"
DPI = 50
GAP = 16


def _page_of(pdf: Path, phrase: str) -> int:
    """The first page (1-based) whose text holds the phrase, read back with pdftotext."""
    pages = int(next(ln.split()[-1] for ln in _run("pdfinfo", str(pdf)).splitlines() if ln.startswith("Pages:")))
    for number in range(1, pages + 1):
        if phrase in _run("pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"):
            return number
    raise SystemExit(f"no page holds {phrase!r}")


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _png(pdf: Path, number: int, out: Path, dpi: int) -> Image.Image:
    stem = out / f"page-{number}"
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(number), "-l", str(number), "-singlefile", str(pdf), str(stem)],
        check=True,
    )
    return Image.open(f"{stem}.png").convert("RGB")


def main() -> None:
    if not shutil.which("pdftoppm"):
        sys.exit("pdftoppm is not installed (apt-get install poppler-utils)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pdf = folder / "maria.pdf"
        pdf.write_bytes(print_file(PATIENT).pdf)
        numbers = [1, _page_of(pdf, "Call your care team\n"), _page_of(pdf, "My week")]
        tiles = [_png(pdf, n, folder, DPI) for n in numbers]
        w, h = tiles[0].size
        sheet = Image.new("RGB", (len(tiles) * w + (len(tiles) - 1) * GAP, h), (200, 200, 200))
        for i, tile in enumerate(tiles):
            sheet.paste(tile, (i * (w + GAP), 0))
        sheet.save(ROOT / "docs" / "example-pages.png", optimize=True)
        _png(pdf, numbers[-1], folder, 60).save(ROOT / "docs" / "log-page.png", optimize=True)
        print(f"pages {numbers} of {PATIENT.name}")


if __name__ == "__main__":
    main()
