"""Every layout, on both papers, with every example: the handout rules hold on the printed PDF itself.

The layouts are found from the files, so a layout a clinic adds to layouts/ is covered here without
touching this file. Two branded layouts (a clinic name, address, phone and logo, one extending each
shipped layout) are made in a temporary folder, so the letterhead and logo are held to the same rules.
Text positions come from poppler's pdftotext (word boxes) and sizes from pypdf (text matrix times CTM).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
from conftest import PATIENT_EXAMPLES, ROOT, shared_params
from pdfcheck import PAGE_RE, Run, page_runs, page_texts, reader

from handouts.build import Printed, print_file, print_plan
from handouts.errors import HandoutError
from handouts.inputs.content import cached_content
from handouts.inputs.layout import LAYOUTS_DIR, MAX_LINE_IN, PAPER_SIZES_PT, PAPERS, Layout, layout_names, load_layout
from handouts.inputs.plan import load_plan

BRANDED = {
    "riverside": ("large-print", "logo.png"),
    "lakeside": ("extra-large", "logo.jpg"),
}
SHIPPED = layout_names()
ALL_LAYOUTS = [*SHIPPED, *BRANDED]
EXAMPLES = {p.stem: p for p in PATIENT_EXAMPLES}
COMBOS = [(lay, paper, ex) for lay in ALL_LAYOUTS for paper in PAPERS for ex in EXAMPLES]
IDS = [f"{lay}-{paper}-{ex}" for lay, paper, ex in COMBOS]
CASES = shared_params("layouts", COMBOS, IDS)
_EXAMPLE_NAMES = list(EXAMPLES)
RESAMPLED = [
    case
    for case, (lay, paper, ex) in zip(CASES, COMBOS, strict=True)
    if _EXAMPLE_NAMES.index(ex) == (2 * ALL_LAYOUTS.index(lay) + PAPERS.index(paper)) % len(_EXAMPLE_NAMES)
]
"""Every layout on both papers, each with another example, so each example is printed twice over:
printing again is the whole cost of the same-bytes check, and any run of the renderer shows a
non-deterministic byte (a date, an id, a set's order)."""
BAD = ROOT / "tests" / "bad_layouts"
TOLERANCE = 0.5  # points: rounding in the PDF's numbers
INCH = 72.0


@pytest.fixture(scope="session")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped layouts, plus two clinics' own layouts with their logos, as a clinic would add them."""
    from PIL import Image, ImageDraw

    out = tmp_path_factory.mktemp("layouts")
    for path in LAYOUTS_DIR.glob("*.yaml"):
        shutil.copy(path, out)
    wide = Image.new("RGB", (600, 200), "white")
    ImageDraw.Draw(wide).rectangle((10, 10, 590, 190), fill=(0, 60, 120))
    wide.save(out / "logo.png")
    tall = Image.new("RGB", (150, 300), "white")
    ImageDraw.Draw(tall).ellipse((5, 5, 145, 295), fill=(0, 90, 40))
    tall.save(out / "logo.jpg", quality=90)
    for name, (parent, logo) in BRANDED.items():
        (out / f"{name}.yaml").write_text(
            f"extends: {parent}\n"
            f"description: {name.title()} Clinic's own {parent}\n"
            "clinic:\n"
            "  name: Riverside Rehabilitation\n"
            "  address: 12 Mill Road, Springfield\n"
            "  phone: 555-0199\n"
            f"  logo: {logo}\n",
            encoding="utf-8",
        )
    return out


@pytest.fixture(scope="session")
def printer(folder: Path):  # type: ignore[no-untyped-def]
    """Print one layout x paper x example once per session; shipped layouts go through print_file."""

    @cache
    def printed(layout: str, paper: str, example: str) -> Printed:
        return _print(folder, layout, paper, EXAMPLES[example])

    return printed


def _print(folder: Path, layout: str, paper: str, patient: Path) -> Printed:
    if layout in SHIPPED:
        return print_file(patient, layout, paper=paper)
    content = cached_content(None)
    return print_plan(load_plan(patient, content), content, load_layout(layout, folder, paper))


def _layout(folder: Path, name: str, paper: str) -> Layout:
    return load_layout(name, folder if name in BRANDED else LAYOUTS_DIR, paper)


def _body_runs(page: list[Run]) -> list[Run]:
    """Text between the header and the footer."""
    return [r for r in page if not PAGE_RE.search(r.text) and not r.text.strip().isdigit()]


@pytest.mark.parametrize(("layout", "paper", "example"), CASES)
def test_page_size_and_no_text_under_18_pt(printer, folder, layout: str, paper: str, example: str) -> None:
    pdf = printer(layout, paper, example).pdf
    w, h = PAPER_SIZES_PT[paper]
    pages = page_runs(pdf)
    for number, (page, found) in enumerate(zip(reader(pdf).pages, pages, strict=True), 1):
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx((w, h), abs=0.01), number
        sizes = [r.size for r in found]
        assert sizes and min(sizes) >= 18.0 - 1e-6, f"page {number}: {min(sizes)} pt"
    lay = _layout(folder, layout, paper)
    seen = {round(r.size, 1) for page in pages for r in page}
    assert {lay.body.size, lay.heading.size, lay.subheading.size} <= seen


@pytest.mark.parametrize(("layout", "paper", "example"), CASES)
def test_every_page_carries_name_identifier_and_page_n_of_m(printer, layout: str, paper: str, example: str) -> None:
    printed = printer(layout, paper, example)
    label, ident = printed.handout.identifier
    texts = page_texts(printed.pdf)
    for number, text in enumerate(texts, 1):
        assert printed.handout.name in text and f"{label}: {ident}" in text, f"page {number}: {text[:120]}"
        match = PAGE_RE.search(text)
        assert match and (int(match[1]), int(match[2])) == (number, len(texts)), f"page {number}"


@pytest.mark.parametrize(("layout", "paper", "example"), CASES)
def test_no_heading_ends_a_page_and_no_lone_line(printer, folder, layout: str, paper: str, example: str) -> None:
    lay = _layout(folder, layout, paper)
    smallest_heading = min(lay.heading.size, lay.subheading.size)
    pages = page_runs(printer(layout, paper, example).pdf)
    for number, page in enumerate(pages, 1):
        body = _body_runs(page)
        lowest = min(body, key=lambda r: r.y)
        if number < len(pages):
            assert lowest.size < smallest_heading - 0.1, f"page {number} ends with the heading {lowest.text!r}"
        header_y = max(r.y for r in body)
        lines = {round(r.y) for r in body if r.y < header_y - 1}
        assert len(lines) >= 3, f"page {number} holds only {len(lines)} line(s) of text"


def _word_boxes(pdf: bytes, tmp_path: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words as (left, top, right, bottom, word), in points from the top-left corner."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed; .ci/run installs it")
    path = tmp_path / "h.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for chunk in html.split("<page ")[1:]:
        words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', chunk)
        pages.append([(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in words])
    return pages


@pytest.mark.parametrize(("layout", "paper", "example"), CASES)
def test_text_stays_inside_the_margins_and_lines_are_short(
    printer, folder, tmp_path: Path, layout: str, paper: str, example: str
) -> None:
    lay = _layout(folder, layout, paper)
    w, h = PAPER_SIZES_PT[paper]
    m = lay.margins
    left, right, top, bottom = m.left * INCH, w - m.right * INCH, m.top * INCH, h - m.bottom * INCH
    for number, words in enumerate(_word_boxes(printer(layout, paper, example).pdf, tmp_path), 1):
        assert words, f"page {number} has no words"
        for x0, y0, x1, y1, word in words:
            where = f"page {number}: {word!r} at ({x0:.1f}, {y0:.1f})-({x1:.1f}, {y1:.1f})"
            assert x0 >= left - TOLERANCE and x1 <= right + TOLERANCE, where
            assert y0 >= top - TOLERANCE and y1 <= bottom + TOLERANCE, where
            assert x1 - left <= MAX_LINE_IN * INCH + TOLERANCE, f"line longer than {MAX_LINE_IN} in: {where}"


@pytest.mark.parametrize(("layout", "paper", "example"), RESAMPLED)
def test_same_input_same_bytes(printer, folder, layout: str, paper: str, example: str) -> None:
    assert _print(folder, layout, paper, EXAMPLES[example]).pdf == printer(layout, paper, example).pdf


def _image_boxes(page) -> list[tuple[float, float, float, float]]:  # type: ignore[no-untyped-def]
    """Where each image is drawn: the unit square through the CTM at its Do operator."""
    boxes = []

    def visit(op, args, cm, tm):  # type: ignore[no-untyped-def]
        if op == b"Do":
            a, b, c, d, e, f = cm
            xs, ys = (e, e + a, e + c, e + a + c), (f, f + b, f + d, f + b + d)
            boxes.append((min(xs), min(ys), max(xs), max(ys)))

    page.extract_text(visitor_operand_before=visit)
    return boxes


@pytest.mark.parametrize("layout", list(BRANDED))
@pytest.mark.parametrize("paper", PAPERS)
def test_logo_sits_inside_the_margins_on_page_one_only(printer, folder, layout: str, paper: str) -> None:
    lay = _layout(folder, layout, paper)
    w, h = PAPER_SIZES_PT[paper]
    pages = reader(printer(layout, paper, "maria-lopez").pdf).pages
    logos = [b for b in _image_boxes(pages[0]) if b[2] - b[0] > 20]  # the page-count form is not an image
    assert len(logos) == 1, logos
    x0, y0, x1, y1 = logos[0]
    assert x0 >= lay.margins.left * INCH - TOLERANCE and x1 <= w - lay.margins.right * INCH + TOLERANCE
    assert y1 <= h - lay.margins.top * INCH + TOLERANCE and y0 >= lay.margins.bottom * INCH - TOLERANCE
    assert y1 - y0 <= lay.clinic.logo_height * INCH + TOLERANCE
    assert all(not [b for b in _image_boxes(p) if b[2] - b[0] > 20] for p in pages[1:])


def test_the_letterhead_is_the_layouts_clinic_as_a_whole(printer, folder, tmp_path: Path) -> None:
    # Maria's file names the layout's clinic: its letterhead, with the layout's phone, and her own phone in the footer.
    first = page_texts(printer("riverside", "letter", "maria-lopez").pdf)[0]
    assert "Riverside Rehabilitation 12 Mill Road, Springfield Phone: 555-0199" in first
    assert "Questions? Call 555-0100" in first  # in the footer
    # No clinic in the file: the layout's letterhead.
    plain = tmp_path / "no-clinic.yaml"
    plain.write_text('name: Sam Doe\npatient_id: "1"\ndate: 2026-11-23\nexercises: [stretching]\n', encoding="utf-8")
    first = page_texts(_print(folder, "riverside", "letter", plain).pdf)[0]
    assert "Riverside Rehabilitation 12 Mill Road, Springfield Phone: 555-0199" in first


def test_another_clinic_in_the_patient_file_drops_the_letterhead(printer) -> None:
    """James's file names Lakeside ALS Clinic: Riverside's logo and address must not head his handout."""
    pdf = printer("riverside", "letter", "james-okafor").pdf
    first = page_texts(pdf)[0]
    assert "12 Mill Road" not in first and "555-0199" not in first
    assert "Clinic: Lakeside ALS Clinic" in first and "Questions? Call 555-0142" in first
    assert not [b for b in _image_boxes(reader(pdf).pages[0]) if b[2] - b[0] > 20]


def test_a_layout_may_start_each_section_on_a_new_page(folder: Path) -> None:
    """Extra-large flows like large print (issue 13: half the paper); a clinic's layout may still ask
    for `section_per_page: true`."""
    (folder / "one-per-page.yaml").write_text("extends: extra-large\nsection_per_page: true\n", encoding="utf-8")
    content = cached_content()
    plan = load_plan(EXAMPLES["maria-lopez"], content)
    texts = page_texts(print_plan(plan, content, load_layout("one-per-page", folder, "letter")).pdf)
    titles = ("Your exercises", "Moving your joints", "Your equipment", "What to avoid", "A note about this handout")
    for title in titles:
        # The first page that names it after page 1 (whose plan at a glance names them all).
        page = next(i for i, t in enumerate(texts) if title in t and i > 0)
        # The page's own header and footer come first, then the section's title: nothing above it.
        footer = rf"Maria Lopez ID: 004211 Page {page + 1} of \d+ Questions\? Call 555-0100 "
        assert re.match(footer + re.escape(title), texts[page]), (title, texts[page][:120])


def test_paper_overrides_the_layout_and_defaults_to_its_own() -> None:
    patient = EXAMPLES["maria-lopez"]
    assert float(reader(print_file(patient).pdf).pages[0].mediabox.height) == pytest.approx(792)
    assert float(reader(print_file(patient, paper="a4").pdf).pages[0].mediabox.height) == pytest.approx(
        841.89, abs=0.01
    )
    assert print_file(patient).layout.name == "large-print"


# --- the bad-layout corpus: one file per kind of mistake, each refused with its message and line ---

BAD_FILES = sorted(BAD.glob("*.yaml"))


def _expected(path: Path) -> tuple[str, str, int | None, str | None]:
    """From the file's comments: the message fragment, the file it is reported in, the line, the field."""
    text = path.read_text(encoding="utf-8")
    fragment = re.search(r"^# expect: (.+)$", text, re.M)
    assert fragment, f"{path.name} needs a '# expect: message' line"
    in_file = re.search(r"^# expect-file: (.+)$", text, re.M)
    field = re.search(r"^# expect-field: (.+)$", text, re.M)
    target = BAD / in_file[1] if in_file else path
    marked = [n for n, line in enumerate(target.read_text(encoding="utf-8").splitlines(), 1) if "# <- here" in line]
    return fragment[1], target.name, (marked[0] if marked else None), field[1] if field else None


@pytest.mark.parametrize("path", BAD_FILES, ids=[p.stem for p in BAD_FILES])
def test_bad_layout_is_refused_with_its_message_and_line(path: Path, tmp_path: Path) -> None:
    for shipped in LAYOUTS_DIR.glob("*.yaml"):
        shutil.copy(shipped, tmp_path)
    for item in BAD.iterdir():
        shutil.copy(item, tmp_path)
    fragment, in_file, line, field = _expected(path)
    with pytest.raises(HandoutError) as caught:
        load_layout(path.stem, tmp_path)
    problems = caught.value.problems
    assert any(fragment in p.message for p in problems), [str(p) for p in problems]
    problem = next(p for p in problems if fragment in p.message)
    assert Path(problem.file).name == in_file, str(problem)
    assert problem.line == line, str(problem)
    if field:
        assert problem.field == field, str(problem)


def test_the_corpus_covers_every_rule_of_the_standard() -> None:
    messages = " ".join(_expected(p)[0] for p in BAD_FILES)
    for rule in (
        "under 18 pt",
        "under the 22 pt",
        "under 1.3",
        "0.75 in margin",
        "contrast",
        "does not exist",
        "is not installed",
        "not a known field",
    ):
        assert rule in messages, rule


def test_a_layout_that_is_too_wide_only_on_a4_is_refused_for_a4(tmp_path: Path) -> None:
    # 8.5 in - 2 x 2.45 in = 3.6 in on letter; 8.27 in - 4.9 in = 3.37 in on A4.
    (tmp_path / "wide.yaml").write_text(
        "description: wide margins\nmargins: {left: 2.45, right: 2.45}\nbody: {size: 18}\n"
        "heading: {size: 22}\nsubheading: {size: 20}\nheader: {size: 18}\nfooter: {size: 18}\n",
        encoding="utf-8",
    )
    assert load_layout("wide", tmp_path).paper == "letter"
    with pytest.raises(HandoutError) as caught:
        load_layout("wide", tmp_path, "a4")
    (problem,) = caught.value.problems
    assert "on a4 paper" in problem.message and problem.line == 2 and problem.field == "margins"


def test_every_shipped_layout_is_sound_and_large_print_is_the_default() -> None:
    assert {"large-print", "extra-large"} <= set(SHIPPED)
    extra = load_layout("extra-large")
    assert (extra.body.size, extra.heading.size, extra.section_per_page) == (24, 30, False)
    assert extra.extends == "large-print"
    assert print_file(EXAMPLES["maria-lopez"], today=dt.date(2026, 11, 23)).layout.name == "large-print"


def test_a_section_that_runs_onto_a_new_page_is_titled_continued(printer) -> None:
    texts = page_texts(printer("extra-large", "letter", "maria-lopez").pdf)
    (page,) = [i for i, t in enumerate(texts) if "Ankle: point your foot up and down (continued)" in t]
    # The heading keeps its picture, its dose and at least its first step; the steps go on after them (issue
    # 24: in extra-large the head may break after its first step).
    assert "1. Have the person lie" in texts[page - 1] and re.search(r"\(continued\) [2-9]\. ", texts[page])
    for paper in ("letter", "a4"):
        texts = page_texts(printer("large-print", paper, "maria-lopez").pdf)
        for i, text in enumerate(texts):
            for title in re.findall(r"([A-Z][a-z ]+) \(continued\)", text):
                assert title.strip() in texts[i - 1], (paper, i, title)


# --- the command line: list, check, --layout and --paper ---


def _cli(*args: str):  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from handouts.cli import main

    return CliRunner().invoke(main, list(args))


def test_list_shows_every_layout_with_its_description() -> None:
    result = _cli("list")
    assert result.exit_code == 0, result.output
    for name in SHIPPED:
        line = next(x for x in result.output.splitlines() if x.strip().startswith(name))
        assert load_layout(name).description in line
    assert "large-print" in result.output and "(default)" in result.output and "--paper letter|a4" in result.output


def test_check_validates_every_layout_on_both_papers() -> None:
    result = _cli("check")
    assert result.exit_code == 0, result.output
    for name in SHIPPED:
        assert f"layout {name}: sound on letter and a4" in result.output


@pytest.mark.parametrize("paper", PAPERS)
def test_handout_command_takes_any_layout_and_paper(tmp_path: Path, paper: str) -> None:
    for name in SHIPPED:
        out = tmp_path / f"{name}-{paper}.pdf"
        result = _cli("handout", str(EXAMPLES["maria-lopez"]), "--layout", name, "--paper", paper, "-o", str(out))
        assert result.exit_code == 0, result.output
        box = reader(out.read_bytes()).pages[0].mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(PAPER_SIZES_PT[paper], abs=0.01)


def test_an_unknown_paper_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    out = tmp_path / "o.pdf"
    result = _cli("handout", str(EXAMPLES["maria-lopez"]), "--paper", "legal", "-o", str(out))
    assert result.exit_code == 2 and "'legal' is not one of 'letter', 'a4'" in result.output
    assert not out.exists()


def test_every_problem_in_a_layout_is_reported_at_once(tmp_path: Path) -> None:
    shutil.copy(LAYOUTS_DIR / "large-print.yaml", tmp_path)
    (tmp_path / "clinic.yaml").write_text(
        "extends: large-print\ndescription: three mistakes\n"
        'body: {size: 16}\nclinic: {logo: gone.png}\ncolors: {heading: "#0066CC"}\n',
        encoding="utf-8",
    )
    with pytest.raises(HandoutError) as caught:
        load_layout("clinic", tmp_path)
    found = {(p.line, p.field) for p in caught.value.problems}
    assert found == {(3, "body.size"), (4, "clinic.logo"), (5, "colors.heading")}, str(caught.value)
