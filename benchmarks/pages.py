"""Pages per handout, and how full each page is, for the example plans on every layout and paper.

    PYTHONPATH=. python benchmarks/pages.py            # the table for README
    PYTHONPATH=. python benchmarks/pages.py --pages    # and the fill of every page
    PYTHONPATH=. python benchmarks/pages.py --sections # what each section takes, in page bodies

The plans: benchmarks/plans/ (one exercise; a typical 2 exercises + 2 devices; everything chosen) and
the patient examples in examples/. Each is printed through the real pipeline (build.print_plan) and
read back from the PDF: the page count, and each page's fill, the lowest word or drawing between the
running header's rule and the footer's rule as a share of the space between them (tests/pdfshapes.py).
A page under half full, other than the last, is counted as "short".

--sections prints, in page bodies (the frame between the running header and footer), the height of
each section of the one-exercise plan in large-print letter, and the height of the head of every
pictured section (heading, picture, dose and first steps: two in large print, one in extra-large;
never broken) in three long plans, in both layouts: the figures behind README's "the targets are not met".
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from reportlab.platypus import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pdfcheck import reader  # noqa: E402
from pdfshapes import page_fill  # noqa: E402

import handouts.pdf.flow as flow  # noqa: E402
from handouts.build import print_plan  # noqa: E402
from handouts.inputs.content import cached_content  # noqa: E402
from handouts.inputs.layout import cached_layout  # noqa: E402
from handouts.inputs.plan import load_plan  # noqa: E402

PLANS = {
    "one exercise": ROOT / "benchmarks" / "plans" / "one-exercise.yaml",
    "typical (2 + 2)": ROOT / "benchmarks" / "plans" / "typical.yaml",
    "maria-lopez": ROOT / "examples" / "maria-lopez.yaml",
    "james-okafor": ROOT / "examples" / "james-okafor.yaml",
    "ana-souza": ROOT / "examples" / "ana-souza.yaml",
    "everything": ROOT / "benchmarks" / "plans" / "everything.yaml",
}
HEAD_PLANS = [PLANS["everything"], PLANS["maria-lopez"], ROOT / "examples" / "lee-chen-moves.yaml"]
LAYOUTS = [("large-print", "letter"), ("large-print", "a4"), ("extra-large", "letter"), ("extra-large", "a4")]


def measure(plan_path: Path, layout: str, paper: str) -> list[float]:
    """The fill of each page of one handout."""
    content = cached_content(None)
    pdf = print_plan(load_plan(plan_path, content), content, cached_layout(layout, paper=paper)).pdf
    doc = reader(pdf)
    return [page_fill(page, doc).share for page in doc.pages]


def sections(plan_path: Path, layout: str) -> list[tuple[str, float, float, bool]]:
    """Each section of one handout as (title, head, whole, pictured), heights in page bodies: taken as
    the document lays the section out, by wrapping its flowables as Section does."""
    seen: dict[int, tuple[str, float, float, bool]] = {}
    split = flow.Section.split

    def measuring(self: flow.Section, width: float, height: float) -> list[Any]:
        titles = [f.outline[0] for f in self.head if getattr(f, "outline", None)]
        if id(self) not in seen and titles:
            head, _ = self._heights(width, self.canv)
            whole = sum(
                f.wrapOn(self.canv, width, 0x7FFFFFFF)[1] + f.getSpaceAfter() + (f.getSpaceBefore() if i else 0)
                for i, f in enumerate(self._content)
            )
            pictured = any(isinstance(f, Table) for f in self.head)
            seen[id(self)] = (titles[-1], head / self.frame_height, whole / self.frame_height, pictured)
        return split(self, width, height)

    flow.Section.split = measuring  # type: ignore[method-assign]
    try:
        content = cached_content(None)
        print_plan(load_plan(plan_path, content), content, cached_layout(layout, paper="letter"))
    finally:
        flow.Section.split = split  # type: ignore[method-assign]
    return list(seen.values())


def print_sections() -> None:
    print("One exercise, large-print letter: each section's height in page bodies")
    for title, _, whole, _ in sections(PLANS["one exercise"], "large-print"):
        print(f"  {whole:5.2f}  {title}")
    for layout in ("large-print", "extra-large"):
        heads = [head for plan in HEAD_PLANS for _, head, _, pictured in sections(plan, layout) if pictured]
        heads.sort()
        over = sum(1 for h in heads if h > 0.5)
        print(
            f"{layout}: {len(heads)} pictured heads (everything, maria-lopez, lee-chen-moves); "
            f"median {heads[len(heads) // 2]:.0%} of a page body, largest {heads[-1]:.0%}, {over} over half"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", action="store_true", help="also print the fill of every page")
    parser.add_argument("--sections", action="store_true", help="print what each section takes, and stop")
    args = parser.parse_args()
    if args.sections:
        print_sections()
        return
    fills = {(plan, lay, paper): measure(path, lay, paper) for plan, path in PLANS.items() for lay, paper in LAYOUTS}
    print("| plan | " + " | ".join(f"{lay} {paper}" for lay, paper in LAYOUTS) + " |")
    print("|---|" + "---|" * len(LAYOUTS))
    for plan in PLANS:
        print(f"| {plan} | " + " | ".join(str(len(fills[plan, lay, paper])) for lay, paper in LAYOUTS) + " |")
    every = [f for pages in fills.values() for f in pages]
    short = sum(1 for pages in fills.values() for f in pages[:-1] if f < 0.5)
    inner = [f for pages in fills.values() for f in pages[:-1]]
    print(
        f"\n{len(fills)} PDFs, {len(every)} pages; {short} pages (not the last of their PDF) under half full; "
        f"lowest fill of such a page {min(inner):.0%}, median {sorted(inner)[len(inner) // 2]:.0%}"
    )
    if args.pages:
        for (plan, lay, paper), pages in fills.items():
            print(f"{plan:16} {lay:12} {paper:6} " + " ".join(f"{f:.0%}" for f in pages))


if __name__ == "__main__":
    main()
