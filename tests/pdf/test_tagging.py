"""Every handout is a tagged PDF aimed at PDF/UA-1, proved on the real PDFs read back.

Each example is printed in every layout (the shipped ones and a clinic's own with a letterhead and a
logo) on both papers, once per module. The structure tree is read back with pikepdf; the text of each
piece of marked content is decoded from the page's content stream through the fonts' ToUnicode maps,
and checked against poppler's own reading (`pdfinfo -struct-text`, `pdftotext`), so the proof does
not rest on one decoder. The open checker pdfua must report nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pytest
from conftest import PATIENT_EXAMPLES, shared_params

from handouts.build import Printed, print_file
from handouts.handout.personalize import Handout
from handouts.inputs.layout import LAYOUTS_DIR, PAPERS, layout_names

BRANDED = "riverside"
HUGE = "huge"
"""36 pt text: a week's grid no longer fits a page and goes on with its column heads repeated."""
LAYOUTS = [*layout_names(), BRANDED]
COMBOS = [(lay, paper, ex.stem) for lay in LAYOUTS for paper in PAPERS for ex in PATIENT_EXAMPLES]
IDS = [f"{lay}-{paper}-{ex}" for lay, paper, ex in COMBOS]
CASES = shared_params("tagging", COMBOS, IDS)
TEXT_OPS = {"Tj", "TJ", "'", '"'}
BREAKS = {"T*", "Td", "TD", "Tm", "BT", "ET", "'", '"'}
PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "BI"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped layouts and a clinic's own, with its name, address, phone and logo."""
    from PIL import Image

    out = tmp_path_factory.mktemp("layouts")
    for path in LAYOUTS_DIR.glob("*.yaml"):
        shutil.copy(path, out)
    Image.new("RGB", (300, 100), (0, 60, 120)).save(out / "logo.png")
    (out / f"{BRANDED}.yaml").write_text(
        "extends: large-print\ndescription: A clinic's own\nclinic:\n  name: Riverside Rehabilitation\n"
        "  address: 12 Mill Road, Springfield\n  phone: 555-0199\n  logo: logo.png\n",
        encoding="utf-8",
    )
    (out / f"{HUGE}.yaml").write_text(
        "extends: extra-large\ndescription: 36 pt\nbody: {size: 36, line_spacing: 1.4, space_after: 8}\n"
        "heading: {size: 42, line_spacing: 1.3, space_before: 20, space_after: 8}\n"
        "subheading: {size: 40, line_spacing: 1.3, space_before: 16, space_after: 6}\n"
        "header: {size: 36}\nfooter: {size: 36}\n",
        encoding="utf-8",
    )
    return out


@dataclass
class Read:
    """One printed handout, read back."""

    printed: Printed
    path: Path
    pdf: pikepdf.Pdf
    mcid_text: dict[tuple[int, int], str] = field(default_factory=dict)
    """(page index, MCID) -> the text drawn in that marked content."""
    artifact_text: list[str] = field(default_factory=list)
    unmarked: list[tuple[int, str]] = field(default_factory=list)
    """(page number, text) of text drawn outside any marked content: must stay empty."""
    problems: list[str] = field(default_factory=list)
    """Paint outside marked content, artifacts and tagged content nested in each other, unmappable codes."""
    page_mcids: list[list[int]] = field(default_factory=list)


_cache: dict[tuple[str, str, str], Read] = {}


@pytest.fixture(scope="module")
def read(folder: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("tagged")
    examples = {p.stem: p for p in PATIENT_EXAMPLES}

    def get(layout: str, paper: str, example: str) -> Read:
        key = (layout, paper, example)
        if key not in _cache:
            from handouts.build import choose_layout, load_checked, print_plan
            from handouts.inputs.content import cached_content

            content = cached_content()
            plan = load_checked(examples[example], content, layout)
            lay = choose_layout(plan, layout, folder=folder, paper=paper)
            printed = print_plan(plan, content, lay)
            path = out / f"{layout}-{paper}-{example}.pdf"
            path.write_bytes(printed.pdf)
            _cache[key] = _decode(Read(printed, path, pikepdf.open(path)))
        return _cache[key]

    return get


def _unicode_map(font: pikepdf.Object) -> dict[int, str]:
    cmap = font.get("/ToUnicode")
    assert cmap is not None, f"font {font.get('/BaseFont')} has no ToUnicode map"
    text = cmap.read_bytes().decode("latin-1")
    return {int(a, 16): chr(int(b, 16)) for a, b in re.findall(r"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]{4})>", text)}


def _decode(read: Read) -> Read:
    """The text of every marked-content sequence, every artifact, and anything unmarked, page by page."""
    for index, page in enumerate(read.pdf.pages):
        fonts = {str(k): v for k, v in page.Resources.get("/Font", {}).items()}
        font: dict[int, str] = {}
        stack: list[tuple[bool, int | None]] = []  # (inside an artifact, MCID) per open sequence
        mcids: list[int] = []
        for operands, op in pikepdf.parse_content_stream(page):
            name = str(op)
            if name in ("BDC", "BMC"):
                if str(operands[0]) == "/Artifact" and stack and not stack[-1][0] and stack[-1][1] is not None:
                    read.problems.append(f"page {index + 1}: an artifact inside tagged content")
                artifact = str(operands[0]) == "/Artifact" or any(a for a, _ in stack)
                props = operands[1] if name == "BDC" else None
                mcid = int(props["/MCID"]) if isinstance(props, pikepdf.Dictionary) and "/MCID" in props else None
                if mcid is not None:
                    if artifact:
                        read.problems.append(f"page {index + 1}: MCID {mcid} inside an artifact")
                    mcids.append(mcid)
                    read.mcid_text[(index, mcid)] = ""
                stack.append((artifact, mcid if mcid is not None else (stack[-1][1] if stack else None)))
            elif name == "EMC":
                stack.pop()
            elif name in PAINT and not stack:
                read.problems.append(f"page {index + 1}: {name} paints outside marked content")
            elif name == "Tf":
                font = _unicode_map(fonts[str(operands[0])])
            elif name in BREAKS or name in TEXT_OPS:
                text = " " if name in BREAKS else ""
                if name in TEXT_OPS:
                    strings = operands[0] if name == "TJ" else [operands[-1]]
                    codes = [b for s in strings if isinstance(s, pikepdf.String) for b in bytes(s)]
                    if any(b not in font or font[b] == "\0" for b in codes):
                        read.problems.append(f"page {index + 1}: a character code with no Unicode value")
                    text += "".join(font.get(b, "\ufffd") for b in codes)
                if not stack:
                    if text.strip():
                        read.unmarked.append((index + 1, text))
                elif stack[-1][0]:
                    read.artifact_text.append(text)
                elif stack[-1][1] is not None:
                    read.mcid_text[(index, stack[-1][1])] += text
        read.page_mcids.append(mcids)
    return read


def _words(text: str) -> list[str]:
    return text.split()


# --- the structure tree, read back --------------------------------------------------------------


@dataclass
class Elem:
    role: str
    obj: pikepdf.Dictionary
    kids: list[Elem]
    marks: list[tuple[int, int]]

    def text(self, read: Read) -> str:
        own = "".join(read.mcid_text.get(m, "") for m in self.marks)
        return " ".join((own + " " + " ".join(k.text(read) for k in self.kids)).split())

    def walk(self):  # type: ignore[no-untyped-def]
        yield self
        for kid in self.kids:
            yield from kid.walk()


def _tree(read: Read) -> Elem:
    pages = {p.objgen: i for i, p in enumerate(read.pdf.pages)}
    root = read.pdf.Root.StructTreeRoot

    def build(obj: pikepdf.Dictionary) -> Elem:
        page = pages[obj.Pg.objgen] if "/Pg" in obj else None
        kids = obj.get("/K")
        items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        elem = Elem(str(obj.S)[1:], obj, [], [])
        for item in items:
            if isinstance(item, int):
                assert page is not None, f"{elem.role}: an MCID with no page"
                elem.marks.append((page, int(item)))
            elif isinstance(item, pikepdf.Dictionary) and item.get("/Type") == "/MCR":
                elem.marks.append((pages[item.Pg.objgen], int(item.MCID)))
            elif isinstance(item, pikepdf.Dictionary):
                assert item.P.objgen == obj.objgen, f"{item.S} under {elem.role} names another parent"
                elem.kids.append(build(item))
        return elem

    kid = root.K
    return build(kid if isinstance(kid, pikepdf.Dictionary) else kid[0])


def _expected(handout: Handout, pictures: bool) -> list[tuple[str, str]]:
    """The reading order of the handout's sections as (role, text), from the handout's own data."""
    out: list[tuple[str, str]] = []
    for b in handout.blocks:
        out.append((f"H{b.level}", b.title))
        if b.picture is not None and pictures:
            out += [("Figure", b.picture.alt), ("P", b.picture.caption)]
        facts = [f"{k}: {v}" for k, v in b.facts]
        # Page 1's plan at a glance is a list of its lines; other facts (a dose, a note) are paragraphs.
        out += [("L", " ".join(facts))] if b.id == "plan" else [("P", f) for f in facts]
        out += [("P", p) for p in b.lead]
        if b.steps:
            labels = ["\u2022" if b.bullets else f"{i}." for i in range(1, len(b.steps) + 1)]
            out.append(("L", " ".join(f"{label} {s}" for label, s in zip(labels, b.steps, strict=True))))
        out += [("P", f"{label}:") for label, _ in b.numbered]  # the moves shown: numbered lines, artifacts
        out += [("P", f"{k}: {v}") for k, v in b.after_steps]  # a move's cautions, right after its steps
        # Why it helps comes after the steps, in one paragraph.
        out += [("P", " ".join(b.paragraphs))] if b.steps and b.paragraphs else [("P", p) for p in b.paragraphs]
        out += [("P", f"{label}:") for label, _ in b.writein]  # the ruled lines are artifacts
    return [(role, " ".join(text.split())) for role, text in out]


def _shown(e: Elem, read: Read) -> tuple[str, str]:
    return (e.role, str(e.obj.Alt) if e.role == "Figure" else e.text(read))


@pytest.mark.parametrize(("layout", "paper", "example"), CASES)
def test_structure_tree_is_in_reading_order_with_the_expected_roles(read, layout: str, paper: str, example: str):
    r = read(layout, paper, example)
    handout = r.printed.handout
    doc = _tree(r)
    assert doc.role == "Document"
    top = [_shown(e, r) for e in doc.kids]
    intro = [i for i, e in enumerate(doc.kids) if e.role == "L"][0]
    letterhead, rest = top[:intro], top[intro + 1 :]
    clinic = {t.field: t.text for t in handout.patient_texts}.get("clinic")
    if layout == BRANDED and clinic in (None, "Riverside Rehabilitation"):  # another clinic: no letterhead
        assert [role for role, _ in letterhead] == ["P", "P", "P", "Figure"]
        assert letterhead[0][1] == "Riverside Rehabilitation" and "logo" in letterhead[3][1].lower()
    else:
        assert letterhead == []
    # The identification box is a list, one item per line, in the order printed.
    box = doc.kids[intro]
    # Short facts go two to a line (after who the plan is for): an item is a line, with one or two facts.
    facts = [" ".join(f"{k}: {v}".split()) for k, v in handout.intro]
    assert all(li.role == "LI" for li in box.kids)
    assert len(facts) / 2 < len(box.kids) <= len(facts)
    assert box.kids[0].text(r) == facts[0]
    assert " ".join(li.text(r) for li in box.kids) == " ".join(facts)
    log_start = next((i for i, (role, text) in enumerate(rest) if role == "H1" and text.startswith("My week")), None)
    sections = rest if log_start is None else rest[:log_start]
    assert sections == _expected(handout, r.printed.layout.pictures)
    if handout.log is not None:
        assert log_start is not None
        roles = [role for role, _ in rest[log_start:]]
        # The heading carries the week's dates; the instructions (and the phone) are a paragraph above
        # the grid on every log page.
        assert roles[:3] == ["H1", "P", "Table"], roles
        week = handout.log.weeks[0]  # its months shortened where the long ones would wrap the title
        assert rest[log_start][1].endswith((week.span, week.span_short)), rest[log_start]
        instructions = [text for role, text in rest[log_start:] if role == "P"]
        assert all(text.startswith("Check a box") for text in instructions), instructions
        if handout.phone:
            phone = " ".join(handout.phone.split())
            assert all(text.endswith(f"Questions? Call {phone}") for text in instructions), instructions
        assert set(roles) <= {"H1", "P", "Table"}


@pytest.mark.parametrize(("layout", "paper", "example"), CASES)
def test_steps_are_lists_of_label_and_body(read, layout: str, paper: str, example: str):
    doc = _tree(read(layout, paper, example))
    lists = [e for e in doc.kids if e.role == "L" and e.obj.get("/A") is not None]
    assert lists
    for lst in lists:
        # Steps are numbered; the warning signs, not done in order, are bulleted.
        numbering = lst.obj.A.ListNumbering
        assert numbering in ("/Decimal", "/Disc")
        for number, li in enumerate(lst.kids, 1):
            assert [k.role for k in li.kids] == ["Lbl", "LBody"]
            label = "\u2022" if numbering == "/Disc" else f"{number}."
            assert li.kids[0].text(read(layout, paper, example)) == label


@pytest.mark.parametrize(("layout", "paper", "example"), CASES)
def test_structure_text_is_the_page_text_without_artifacts_once(read, layout: str, paper: str, example: str):
    """Every MCID on every page is in the tree once, and the tree's words are poppler's page words
    minus the running header, footer and "(continued)" titles: nothing left out, nothing twice."""
    r = read(layout, paper, example)
    doc = _tree(r)
    referenced = [m for e in doc.walk() for m in e.marks]
    drawn = [(i, m) for i, mcids in enumerate(r.page_mcids) for m in mcids]
    assert Counter(referenced) == Counter(drawn) and len(set(drawn)) == len(drawn), "MCIDs in tree and pages differ"
    assert not r.unmarked, f"text outside marked content: {r.unmarked[:5]}"
    tree_words = Counter(_words(doc.text(r)))
    page_words = Counter(_words(subprocess.run(["pdftotext", str(r.path), "-"], capture_output=True, text=True).stdout))
    artifact_words = Counter(_words(" ".join(r.artifact_text)))
    pages = len(r.pdf.pages)
    artifact_words.update(str(pages).split() * pages)  # M of "Page N of M", drawn by a form on every page
    assert tree_words == page_words - artifact_words and page_words - tree_words == artifact_words
    # poppler reads the same words in structure order as our decoder does.
    poppler = subprocess.run(["pdfinfo", "-struct-text", str(r.path)], capture_output=True, text=True).stdout
    quoted = " ".join(re.findall(r'^\s*"(.*)"$', poppler, re.M))
    assert _words(quoted) == _words(doc.text(r))
    # The running header names the patient on every page, as an artifact: a screen reader says it once.
    surname = r.printed.handout.name.split()[-1]
    assert Counter(_words(" ".join(r.artifact_text)))[surname] >= pages


STANDARD = set(
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 H4 H5 H6 L LI Lbl "
    "LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby Warichu Figure "
    "Formula Form".split()
)


@pytest.mark.parametrize(("layout", "paper", "example"), CASES)
def test_all_content_is_marked_and_nothing_nests_wrongly(read, layout: str, paper: str, example: str):
    """No text, path, image or form is drawn outside marked content; no artifact inside tagged content
    or the reverse; every character code has a Unicode value; the page-count form holds no tags."""
    r = read(layout, paper, example)
    assert not r.unmarked, f"text outside marked content: {r.unmarked[:5]}"
    assert not r.problems, r.problems[:5]
    for page in r.pdf.pages:
        for form in page.Resources.get("/XObject", {}).values():
            if form.get("/Subtype") == "/Form":
                ops = {str(op) for _, op in pikepdf.parse_content_stream(form)}
                assert not ops & {"BDC", "BMC"}, "a form drawn on every page must not carry tags"


@pytest.mark.parametrize(("layout", "paper", "example"), CASES)
def test_roles_are_standard_and_headings_nest(read, layout: str, paper: str, example: str):
    r = read(layout, paper, example)
    root = r.pdf.Root
    assert "/RoleMap" not in root.StructTreeRoot and "/Suspects" not in root.MarkInfo
    elems = list(_tree(r).walk())
    assert {e.role for e in elems} <= STANDARD
    levels = [int(e.role[1]) for e in elems if re.fullmatch(r"H\d", e.role)]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert all(e.text(r) for e in elems if e.role.startswith("H")), "an empty heading"
    for e in elems:  # where each kind of element may stand
        kids = {k.role for k in e.kids}
        if e.role == "L":
            assert kids == {"LI"}
        if e.role == "LI":
            assert kids <= {"Lbl", "LBody"} and "LBody" in kids
        if e.role == "Table":
            assert kids == {"TR"} and len({len(row.kids) for row in e.kids}) == 1, "rows of unequal length"
        if e.role == "TR":
            assert kids <= {"TH", "TD"}


@pytest.mark.parametrize(("layout", "paper", "example"), CASES)
def test_every_mcid_is_in_the_parent_tree(read, layout: str, paper: str, example: str):
    r = read(layout, paper, example)
    root = r.pdf.Root.StructTreeRoot
    nums = list(root.ParentTree.Nums)
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    assert int(root.ParentTreeNextKey) == len(r.pdf.pages)
    for index, page in enumerate(r.pdf.pages):
        assert page.obj.Tabs == "/S"
        owners = parents[int(page.obj.StructParents)]
        assert len(owners) == len(r.page_mcids[index]) and sorted(r.page_mcids[index]) == list(range(len(owners)))
        for mcid in r.page_mcids[index]:
            elem = owners[mcid]
            kids = elem.K if isinstance(elem.K, pikepdf.Array) else [elem.K]
            here = elem.Pg.objgen == page.objgen
            assert any(
                (isinstance(k, int) and here and int(k) == mcid)
                or (isinstance(k, pikepdf.Dictionary) and k.get("/MCID") == mcid and k.Pg.objgen == page.objgen)
                for k in kids
            ), f"page {index + 1} MCID {mcid}: its ParentTree element does not own it"


@pytest.mark.parametrize(("layout", "paper", "example"), CASES)
def test_every_figure_says_what_it_shows_for_this_patient(read, layout: str, paper: str, example: str):
    r = read(layout, paper, example)
    figures = [e for e in _tree(r).walk() if e.role == "Figure"]
    pictures = [b.picture for b in r.printed.handout.blocks if b.picture is not None]
    alts = [str(f.obj.Alt) for f in figures if "logo" not in str(f.obj.Alt).lower()]
    assert all(str(f.obj.Alt).strip() for f in figures)
    assert all(f.marks for f in figures)
    if not r.printed.layout.pictures:
        assert alts == []
        return
    assert alts == [p.alt for p in pictures]
    for picture in pictures:
        if picture.side:
            side = "both legs" if picture.side == "both" else f"{picture.side} "
            assert side in picture.alt, picture


@pytest.mark.parametrize(("layout", "paper", "example"), CASES)
def test_my_week_is_a_table_with_header_cells(read, layout: str, paper: str, example: str):
    r = read(layout, paper, example)
    log = r.printed.handout.log
    tables = [e for e in _tree(r).walk() if e.role == "Table"]
    if log is None:
        assert tables == []
        return
    boxes = 0
    columns = 0
    for table in tables:
        rows = table.kids
        assert all(row.role == "TR" for row in rows)
        heads = [row for row in rows if all(c.role == "TH" for c in row.kids)]
        assert heads == rows[:1], "one header row, first"
        assert [c.obj.A.Scope for c in rows[0].kids] == ["/Column"] * len(rows[0].kids)
        assert rows[0].kids[0].text(r) == "Day"
        # A "How did it go?" column at the right, where it fits: a line a day to write in.
        notes = rows[0].kids[-1].text(r) == "How did it go?"
        tasks = len(rows[0].kids) - 1 - notes
        # The goal row (each column's count to reach) follows the days, where the page has room for it.
        goal = rows[-1].kids[0].text(r) == "Goal"
        assert len(rows) == 1 + 7 + goal, "a row per day, and the goal"
        for day, row in zip(log.weeks[0].days, rows[1:8], strict=True):
            assert row.kids[0].role == "TH" and row.kids[0].obj.A.Scope == "/Row"
            assert row.kids[0].text(r) == f"{day.name} {day.date}"
            assert [c.role for c in row.kids[1:]] == ["TD"] * (len(row.kids) - 1)
            assert all(c.marks for c in row.kids[1:]), "every box is marked as its cell's content"
            for cell in row.kids[1 : 1 + tasks]:  # said in place of the drawing: "2 boxes to check"
                said = str(cell.obj.Alt)
                assert re.fullmatch(r"1 box to check|[2-4] boxes to check|a box to write how many times", said)
            if notes:
                assert str(row.kids[-1].obj.Alt) == "a line to write how it went"
            assert len(row.kids) == 1 + tasks + notes
            boxes += tasks
        if goal:
            row = rows[-1]
            assert row.kids[0].role == "TH" and row.kids[0].obj.A.Scope == "/Row"
            assert [c.role for c in row.kids[1:]] == ["TD"] * (len(row.kids) - 1)
            titles = [c.text(r) for c in rows[0].kids[1 : 1 + tasks]]
            goals = {f"{t.title} {t.dose}": t.goal for t in log.tasks}
            assert [c.text(r) for c in row.kids[1 : 1 + tasks]] == [" ".join(goals[t].split()) for t in titles]
        columns += tasks
    assert boxes == 7 * len(log.tasks) * len(log.weeks) and columns == len(log.tasks) * len(log.weeks)


@pytest.mark.parametrize(("layout", "paper", "example"), CASES)
def test_catalog_says_tagged_language_title_and_pdfua(read, layout: str, paper: str, example: str):
    r = read(layout, paper, example)
    info = subprocess.run(["pdfinfo", str(r.path)], capture_output=True, text=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    root = r.pdf.Root
    assert root.MarkInfo.Marked is True
    assert str(root.Lang) == r.printed.handout.language
    assert root.ViewerPreferences.DisplayDocTitle is True
    with r.pdf.open_metadata() as meta:
        assert meta["dc:title"] == r.printed.handout.title
        assert meta["pdfuaid:part"] == "1"


@pytest.mark.parametrize(("layout", "paper", "example"), CASES)
def test_pdfua_checker_reports_nothing(read, layout: str, paper: str, example: str):
    from pdfua import validate

    report = validate(str(read(layout, paper, example).path))
    assert [f"{f.rule_id}: {f.message}" for f in report.findings] == []
    assert all(o.skipped_reason is None for o in report.outcomes)


def test_same_handout_same_bytes_with_tagging():
    path = PATIENT_EXAMPLES[0]
    day = dt.date(2026, 11, 23)
    assert print_file(path, today=day).pdf == print_file(path, today=day).pdf


def test_a_grid_split_over_pages_reads_its_heads_once(read):
    """With 36 pt text a week's grid goes on over a page with its heads repeated: the repeats are
    pagination artifacts, so the tree still has one header row and seven days per table, and every
    other check holds."""
    r = read(HUGE, "a4", "maria-lopez")
    assert sum(t.split().count("Day") for t in r.artifact_text) >= 2, "the grid no longer splits; use larger text"
    for check in (
        test_structure_tree_is_in_reading_order_with_the_expected_roles,
        test_structure_text_is_the_page_text_without_artifacts_once,
        test_all_content_is_marked_and_nothing_nests_wrongly,
        test_every_mcid_is_in_the_parent_tree,
        test_my_week_is_a_table_with_header_cells,
        test_pdfua_checker_reports_nothing,
    ):
        check(read, HUGE, "a4", "maria-lopez")


EVERYTHING = """
name: "<b>Ζωή & Bo (Ана)</b>"
patient_id: T-1
date: 2026-11-23
stronger_side: {side}
exercises:
  - aerobic: {{minutes: 10}}
  - stretching
  - range_of_motion: {{mode: {mode}}}
devices:
  - cane
  - quad_cane
  - walker: {{wheels: true, platform: true}}
  - ankle_foot_brace: {{side: {side}}}
  - neck_brace
  - wheelchair
"""


@pytest.mark.parametrize("side", ["left", "right"])
def test_every_picture_and_an_awkward_name_are_tagged(tmp_path: Path, side: str):
    """Every exercise and device, a name with markup characters, Greek and Cyrillic: each picture's
    alternate text names the side it is drawn for, the metadata title is the name as typed, every
    character has a Unicode value, and pdfua finds nothing."""
    from handouts.build import print_record
    from handouts.inputs.content import cached_content
    from handouts.inputs.yamlsource import parse_yaml

    mode = "passive" if side == "left" else "active"
    printed = print_record(parse_yaml(EVERYTHING.format(side=side, mode=mode), "test.yaml"), cached_content(), None)
    path = tmp_path / "everything.pdf"
    path.write_bytes(printed.pdf)
    r = _decode(Read(printed, path, pikepdf.open(path)))
    assert not r.unmarked and not r.problems
    alts = [str(e.obj.Alt) for e in _tree(r).walk() if e.role == "Figure"]
    assert len(alts) == 9
    assert sum(f"in the {side} hand" in alt for alt in alts) == 2  # the cane and the four-foot cane
    assert sum(f"on the {side} leg" in alt for alt in alts) == 1
    assert any(("helper" in alt) == (mode == "passive") and "arm" in alt for alt in alts)
    assert any("wheels" in alt and "platforms" in alt for alt in alts)
    with r.pdf.open_metadata() as meta:
        assert meta["dc:title"] == "Physical therapy plan for <b>Ζωή & Bo (Ана)</b>"
    from pdfua import validate

    assert validate(str(path)).findings == ()


def test_text_nobody_tagged_is_still_read_in_its_place(tmp_path: Path):
    """A flowable added without `tagged()` (a new kind of content) still reaches a screen reader: its
    text becomes a P after the element drawn before it, never unmarked and never lost."""
    from types import SimpleNamespace

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from handouts.inputs.layout import cached_layout
    from handouts.pdf.tagging import TaggedCanvas, start_tagging, tagged
    from handouts.pdf.text import fonts_for

    style = ParagraphStyle("t", fontName=fonts_for(cached_layout("large-print")).regular, fontSize=18, leading=24)
    about = SimpleNamespace(
        title="T", author="A", subject="S", language="en-US", date=dt.date(2026, 11, 23), references=()
    )
    start_tagging(about)  # type: ignore[arg-type]
    story = [tagged(Paragraph("First", style), "H1"), Paragraph("Nobody tagged me", style)]
    story += [tagged(Paragraph("Last", style), "P")]
    path = tmp_path / "untagged.pdf"
    doc = SimpleDocTemplate(str(path), invariant=1, lang="en-US", initialFontName=style.fontName)
    doc.build(story, canvasmaker=TaggedCanvas)
    pdf = pikepdf.open(path)
    r = _decode(Read(None, path, pdf))  # type: ignore[arg-type]
    assert not r.unmarked and not r.problems
    assert [(e.role, e.text(r)) for e in _tree(r).kids] == [("H1", "First"), ("P", "Nobody tagged me"), ("P", "Last")]


def test_a_picture_of_a_new_kind_is_described_by_its_caption_with_its_side():
    """A section a clinic adds with a picture is described by its caption, and a personalized one
    always names its side, even when its caption doesn't."""
    from handouts.handout.personalize import Picture

    assert Picture("shoulder_lift", "Lift your arm", side="left").alt == "Lift your arm, on the left side."
    assert Picture("shoulder_lift", "Lift your right arm.", side="right").alt == "Lift your right arm."
    assert Picture("shoulder_lift", "Lift both arms").alt == "Lift both arms."
