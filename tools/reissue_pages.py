"""Make README's picture of a reissued plan: docs/reissue-pages.png, page 1 (the plan at a glance marked
New and Changed, what stopped) and the first page saying what changed in a section, side by side.

The two plans are the test pair (tests/changes_pair.py): Maria Lopez in November, then in February.
Run from the repository root: PYTHONPATH=. python tools/reissue_pages.py (needs pdftoppm).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from changes_pair import NEW_PLAN, OLD  # noqa: E402

from tools.example_pages import _page_of, _png  # noqa: E402

DPI, GAP = 50, 16


def _handout(folder: Path, name: str, plan: str, *previous: str) -> Path:
    (folder / f"{name}.yaml").write_text(plan, encoding="utf-8")
    pdf = folder / f"{name}.pdf"
    command = [sys.executable, str(ROOT / "generate.py"), "handout", f"{name}.yaml", "-o", pdf.name, *previous]
    subprocess.run(command, cwd=folder, check=True, capture_output=True)
    return pdf


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _handout(folder, "november", OLD)
        new = _handout(folder, "february", NEW_PLAN, "--previous", "november.pdf")
        pages = [_png(new, number, folder, DPI) for number in (1, _page_of(new, "What changed:"))]
        width = sum(p.width for p in pages) + GAP * (len(pages) + 1)
        sheet = Image.new("RGB", (width, max(p.height for p in pages) + 2 * GAP), (200, 200, 200))
        x = GAP
        for page in pages:
            sheet.paste(page, (x, GAP))
            x += page.width + GAP
        sheet.save(ROOT / "docs" / "reissue-pages.png", optimize=True)


if __name__ == "__main__":
    main()
