"""Make docs/spanish-pages.png: every page of the example handout in Spanish, at 60 dpi, in a grid.

Run from the repository root: PYTHONPATH=. python tools/spanish_pages.py [PATIENT.yaml]
Needs pdftoppm (poppler-utils).

    PYTHONPATH=. python tools/spanish_pages.py --count

prints instead the pages of every example in English, in Spanish as if reviewed, and in the shipped
draft Spanish (whose footer has one more line), in each layout: README's table. A Spanish figure over
floor(English x 1.1), the most issue 16 allows, is marked with an asterisk.
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
DPI = 60
GAP = 12
ACROSS = 4


def count() -> None:
    import io

    from pypdf import PdfReader

    from handouts.home import Home

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copy(ROOT / "content.yaml", folder / "content.yaml")
        text = (ROOT / "content.es.yaml").read_text(encoding="utf-8")
        signed = text.replace("\nstatus: draft", "\nstatus: reviewed\nreviewer: measure\nreviewed: 2026-11-28", 1)
        (folder / "content.es.yaml").write_text(signed, encoding="utf-8")
        reviewed = Home(content=folder / "content.yaml")
        print("| example | large-print | extra-large |\n|---|---|---|")
        over = False
        for patient in sorted((ROOT / "examples").glob("*.yaml")):
            if patient.stem.startswith("roster"):
                continue
            cells = []
            for layout in ("large-print", "extra-large"):
                runs = ((None, "en"), (reviewed, "es"), (None, "es"))
                pdfs = [print_file(patient, layout, home, language=lang).pdf for home, lang in runs]
                english, *spanish = (len(PdfReader(io.BytesIO(pdf)).pages) for pdf in pdfs)
                most = english * 11 // 10
                over = over or max(spanish) > most
                cells.append(" / ".join([str(english), *(f"{n}{'*' if n > most else ''}" for n in spanish)]))
            print(f"| {patient.stem} | {cells[0]} | {cells[1]} |")
        if over:
            print("\n\\* more pages than floor(English x 1.1)")


def main() -> None:
    if sys.argv[1:] == ["--count"]:
        count()
        return
    if not shutil.which("pdftoppm"):
        sys.exit("pdftoppm is not installed (apt-get install poppler-utils)")
    patient = Path(sys.argv[1]) if len(sys.argv) > 1 else PATIENT
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "es.pdf"
        pdf.write_bytes(print_file(patient, language="es").pdf)
        subprocess.run(["pdftoppm", "-png", "-r", str(DPI), str(pdf), str(Path(tmp) / "page")], check=True)
        pages = sorted(Path(tmp).glob("page-*.png"))
        tiles = [Image.open(p).convert("RGB") for p in pages]
        w, h = tiles[0].size
        rows = (len(tiles) + ACROSS - 1) // ACROSS
        sheet = Image.new("RGB", (ACROSS * w + (ACROSS - 1) * GAP, rows * h + (rows - 1) * GAP), (200, 200, 200))
        for i, tile in enumerate(tiles):
            sheet.paste(tile, ((i % ACROSS) * (w + GAP), (i // ACROSS) * (h + GAP)))
        sheet.save(ROOT / "docs" / "spanish-pages.png", optimize=True)
        print(f"{len(tiles)} pages of {patient.name} in Spanish: docs/spanish-pages.png")


if __name__ == "__main__":
    main()
