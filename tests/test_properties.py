"""Property tests: whatever text or choices a patient file holds, the tool prints it exactly or refuses it
clearly. Never another exception, never a PDF whose name differs from the one typed.

Each example goes through the real pipeline (YAML text -> checks -> personalize -> reportlab PDF) and the
PDF is read back with pypdf (page 1 only where only page 1 is checked). Example counts are set so the
file costs about 9 s of CPU (`pytest -n 0 tests/test_properties.py`): 80 + 50 + 80 + 300 + 200 + 12 = 722 examples,
and the clinic content and layout properties (issue 21) about 6 s more: 8 + 3 examples.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from pdfcheck import first_page_text, page_texts

from handouts.build import print_record
from handouts.errors import HandoutError
from handouts.inputs.content import cached_content
from handouts.inputs.patient import DOSE_FIELDS
from handouts.inputs.yamlsource import parse_yaml

CONTENT = cached_content()


def examples(n: int) -> settings:
    return settings(
        max_examples=n, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
    )


TRICKY = [
    "<b>",
    "</b>",
    "<font size=2>",
    "<font name='Courier'>",
    "&amp;",
    "&nbsp;",
    "&#0;",
    "]]>",
    "<![CDATA[",
    '"',
    "'",
    "\\",
    "\\n",
    "%s",
    "{name}",
    "\t",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\u2028",
    "שלום",
    "مرحبا",
    "e\u0301",
    "n\u0303",
    "a\u0308\u0301",
    "😀",
    "👩‍⚕️",
    "Ωμέγα",
    "Жанна",
    "Nguyễn",
    "Łódź",
    "   ",
    "",
    "\n",
    "-",
    ": ",
    "#",
    "004211",
    "null",
    "~",
]

fragment = st.one_of(st.sampled_from(TRICKY), st.text(max_size=12))
free_text = st.lists(fragment, max_size=8).map("".join)
name_text = st.one_of(
    free_text, st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=130), st.sampled_from(TRICKY)
)
notes_text = st.one_of(free_text, st.sampled_from(["word " * 1000, "x" * 5000, "y" * 5001, "ab\n" * 1700]))


def dump(doc: dict) -> str:
    """Write the record as a therapist's YAML file would be: every string quoted as YAML needs."""
    return yaml.safe_dump(doc, allow_unicode=True, width=10**6, sort_keys=False)


def expected_name(name: str) -> str:
    return "".join(unicodedata.normalize("NFC", name).split())


def print_or_refuse(doc: dict) -> tuple[bytes | None, HandoutError | None]:
    try:
        located = parse_yaml(dump(doc), "p.yaml")
        printed = print_record(located, CONTENT, today=dt.date(2026, 11, 23))
    except HandoutError as exc:
        assert exc.problems, "a refusal always says what is wrong"
        for problem in exc.problems:
            assert problem.file == "p.yaml" and problem.message.strip()
        return None, exc
    return printed.pdf, None


def body_text(page: str, header: str, phone: str | None = None) -> str:
    """A page's text without whitespace, its header line and its footer ("Page N of M", and
    "Questions? Call" with the phone when there is one), so a value that runs over several pages reads
    back as one piece."""
    text = "".join(page.split())
    assert text.startswith(header), (text[:200], header)
    rest = re.sub(r"Page\d+of\d+", "", text[len(header) :], count=1)
    if phone is not None:
        footer = "Questions?Call" + expected_name(phone)
        assert footer in rest, (rest[:200], footer)
        rest = rest.replace(footer, "", 1)
    # A page that goes on with a section opens with its title and "(continued)": not part of the value.
    return re.sub(r"^(?:[A-Za-z ]{1,40})\(continued\)", "", rest, count=1)


def assert_name_read_back(pdf: bytes, name: str) -> None:
    first = "".join(first_page_text(pdf).split())
    assert first.startswith(expected_name(name)), (first[:200], name)


@examples(80)
@given(
    name=name_text,
    patient_id=st.one_of(st.none(), free_text),
    therapist=st.one_of(st.none(), free_text),
    clinic=st.one_of(st.none(), free_text),
    phone=st.one_of(st.none(), free_text),
    notes=st.one_of(st.none(), notes_text),
    note=st.one_of(st.none(), free_text),
)
def test_any_free_text_prints_exactly_or_is_refused(
    name: str,
    patient_id: str | None,
    therapist: str | None,
    clinic: str | None,
    phone: str | None,
    notes: str | None,
    note: str | None,
) -> None:
    doc = record(name, patient_id, therapist, clinic, phone, notes, note)
    pdf, _ = print_or_refuse(doc)
    event("printed" if pdf is not None else "refused")
    if pdf is not None:
        assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
        assert_name_read_back(pdf, name)


def record(name: str, patient_id, therapist, clinic, phone, notes, note) -> dict:  # type: ignore[no-untyped-def]
    doc: dict = {"name": name, "birth_date": "1950-01-02"}
    for key, value in (("patient_id", patient_id), ("therapist", therapist), ("clinic", clinic), ("phone", phone)):
        if value is not None:
            doc[key] = value
    if notes is not None:
        doc["notes"] = notes
    if note is not None:
        doc["exercises"] = [{"aerobic": {"note": note}}]
    return doc


def _printable() -> list[str]:
    """Every character the shipped fonts draw, less the invisible ones a patient file may not hold."""
    from handouts.inputs.layout import cached_layout
    from handouts.pdf.text import fonts_for

    fonts = fonts_for(cached_layout("large-print"))
    covered = fonts.covered | fonts.fallback.covered
    return [chr(c) for c in sorted(covered) if unicodedata.category(chr(c))[0] not in "CZ"]


PRINTABLE = _printable()


def _stays_printable(text: str) -> bool:
    """A letter plus a combining mark can compose (NFC) into a letter no font has, e.g. u + U+0324 is
    U+1E73: that is refused with a clear error, tested elsewhere, so it is not 'printable' text."""
    return all(ch in PRINTABLE_SET or ch.isspace() for ch in unicodedata.normalize("NFC", text))


PRINTABLE_SET = set(PRINTABLE)
MARKUP_LIKE = ["<b>", "</b>", "<font size=2>", "&amp;", "&nbsp;", "]]>", '"', "'", "\\", "<br/>", "%s", "{x}"]
printable_fragment = st.one_of(
    st.text(st.sampled_from(PRINTABLE), min_size=1, max_size=10),
    st.sampled_from(MARKUP_LIKE + ["Ωμέγα", "Жанна", "Nguyễn", "e\u0301", "a\u0308\u0301", "Łódź"]),
)
printable_line = (
    st.lists(st.one_of(printable_fragment, st.just(" ")), min_size=1, max_size=8)
    .map("".join)
    .filter(lambda t: t.strip() and len(t) <= 120 and _stays_printable(t))
)
printable_notes = (
    st.lists(st.one_of(printable_line, st.just("\n")), min_size=1, max_size=6)
    .map("".join)
    .filter(lambda t: t.strip() and _stays_printable(t))
)
LONGEST_NOTES = {"one-paragraph": "word " * 999, "one-unbroken-word": "x" * 5000, "1666-lines": "ab\n" * 1666}
"""Notes at the 5,000-character limit in the shapes that stress page breaks (the last is ~100 pages).
Each is printed once below, not drawn again and again among the random examples, where they cost
most of the suite's time and added nothing: the fields beside them do not change how they break."""


@examples(50)  # each reads every page back (~0.1 s): 50 cover every fragment kind many times over
@given(
    name=printable_line,
    patient_id=printable_line,
    therapist=st.one_of(st.none(), printable_line),
    clinic=st.one_of(st.none(), printable_line),
    phone=st.one_of(st.none(), printable_line),
    notes=st.one_of(st.none(), printable_notes),
    note=st.one_of(st.none(), printable_line),
)
def test_printable_text_in_every_field_always_prints_exactly(
    name: str,
    patient_id: str,
    therapist: str | None,
    clinic: str | None,
    phone: str | None,
    notes: str | None,
    note: str | None,
) -> None:
    """Text in the covered scripts, markup-like or not, must print, and read back exactly."""
    _prints_exactly(name, patient_id, therapist, clinic, phone, notes, note)


@pytest.mark.parametrize("notes", LONGEST_NOTES.values(), ids=list(LONGEST_NOTES))
def test_the_longest_notes_print_exactly(notes: str) -> None:
    _prints_exactly("Łódź Nguyễn <b>", "0042", "Ωμέγα", None, "555-0100", notes, "&amp;")


def _prints_exactly(name: str, patient_id: str, *others: str | None) -> None:
    pdf, refused = print_or_refuse(record(name, patient_id, *others))
    assert refused is None, str(refused) if refused else ""
    assert pdf is not None
    pages = page_texts(pdf)
    assert "".join(pages[0].split()).startswith(expected_name(name)), (pages[0][:200], name)
    header = expected_name(name) + "ID:" + expected_name(patient_id)
    everything = "".join(body_text(page, header, others[2]) for page in pages)
    for value in (patient_id, *others):
        if value is not None:
            assert expected_name(value) in everything, value


IDS = [s.id for s in CONTENT.sections] + ["kane", "walkng", "Range-Of-Motion", "STRETCHING", ""]
OPTION_NAMES = sorted({o for s in CONTENT.sections for o in s.options} | set(DOSE_FIELDS) | {"mood", "wheel"})
OPTION_VALUES = st.one_of(
    st.sampled_from(["true", "false", "yes", "no", "left", "right", "both", "active", "passive", "maybe"]),
    st.integers(-5, 2000).map(str),
    st.sampled_from(["1.5", "1e3", "0x10", "", "~", "fifteen"]),
    free_text,
)
selection = st.one_of(
    st.sampled_from(IDS),
    st.dictionaries(
        st.sampled_from(IDS),
        st.one_of(st.none(), st.dictionaries(st.sampled_from(OPTION_NAMES), OPTION_VALUES, max_size=4)),
        min_size=1,
        max_size=2,
    ),
    st.lists(st.sampled_from(IDS), max_size=2),
)


valid_exercise = st.one_of(
    st.just("stretching"),
    st.builds(lambda m, n: {"aerobic": {"minutes": m, "days_per_week": n}}, st.integers(1, 60), st.integers(1, 7)),
    st.builds(lambda m: {"range_of_motion": {"mode": m}}, st.sampled_from(["active", "passive", "Passive"])),
)
valid_device = st.one_of(
    st.sampled_from(["cane", "quad_cane", "neck_brace", "wheelchair"]),
    st.builds(lambda w: {"walker": {"wheels": w}}, st.sampled_from(["true", "false", "yes", "no"])),
    st.builds(lambda side: {"ankle_foot_brace": {"side": side}}, st.sampled_from(["left", "right", "both"])),
)


@examples(80)
@given(
    exercises=st.one_of(
        st.none(), st.lists(valid_exercise, max_size=3), st.lists(selection, max_size=5), st.sampled_from(IDS)
    ),
    devices=st.one_of(st.none(), st.lists(valid_device, max_size=4), st.lists(selection, max_size=5)),
    side=st.one_of(st.sampled_from(["left", "right"]), st.sampled_from(["Left", " RIGHT ", "both", "", "no"])),
    date=st.one_of(st.none(), st.dates().map(str), st.sampled_from(["2026-02-30", "23/11/2026", "today", ""])),
    layout=st.one_of(st.none(), st.sampled_from(["large-print", "large_print", "huge", ""])),
)
def test_any_selection_and_options_print_or_are_refused(
    exercises: object, devices: object, side: str | None, date: str | None, layout: str | None
) -> None:
    doc: dict = {"name": "Ann Bo", "patient_id": "004211"}
    for key, value in (
        ("exercises", exercises),
        ("devices", devices),
        ("stronger_side", side),
        ("date", date),
        ("layout", layout),
    ):
        if value is not None:
            doc[key] = value
    pdf, _ = print_or_refuse(doc)
    event("printed" if pdf is not None else "refused")
    if pdf is not None:
        assert_name_read_back(pdf, "Ann Bo")
        assert "ID: 004211" in first_page_text(pdf)


@examples(300)
@given(text=st.text(max_size=300))
def test_any_file_text_is_checked_or_refused_without_a_crash(text: str) -> None:
    """Arbitrary characters as a whole patient file: only the checks run (no PDF), so many examples are cheap."""
    from handouts.inputs.plan import check_plan

    try:
        check_plan(parse_yaml(text, "p.yaml"), CONTENT)
    except HandoutError as exc:
        assert all(p.file == "p.yaml" and p.message for p in exc.problems)


yaml_line = st.tuples(
    st.sampled_from(["name", "patient_id", "birth_date", "date", "notes", "exercises", "devices", "x", "- ", "  "]),
    st.sampled_from([": ", ":", " ", ": &a ", ": *a ", ": !!str ", ": !!python/object ", ": [", ": {", ": |\n  "]),
    fragment,
).map("".join)


@examples(200)
@given(lines=st.lists(yaml_line, max_size=8))
def test_yaml_shaped_junk_is_checked_or_refused_without_a_crash(lines: list[str]) -> None:
    from handouts.inputs.plan import check_plan

    try:
        check_plan(parse_yaml("\n".join(lines), "p.yaml"), CONTENT)
    except HandoutError as exc:
        assert all(p.file == "p.yaml" and p.message for p in exc.problems)


HOSTILE = [
    '"',
    "'",
    '""',
    ",",
    ";",
    "\t",
    "\n",
    "\r\n",
    "\ufeff",
    ": ",
    "#",
    "- ",
    "&a",
    "*a",
    "[",
    "{",
    "\\",
    "=",
    "|",
]
hostile_cell = st.sampled_from(['"', "", "", ""]).flatmap(  # often a cell that opens with a quote
    lambda lead: st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(alphabet="abc XY", max_size=4)), max_size=5).map(
        lambda parts: lead + "".join(parts)
    )
)


def _roster_text(records: list[dict[str, str]], form: str, bom: bool) -> bytes:
    import csv
    import io

    if form == "yaml":
        text = yaml.safe_dump(records, allow_unicode=True, sort_keys=False)
    elif form == "csv-raw":  # cells pasted in as typed, never quoted: an open quote, a stray separator
        text = "".join(",".join(row) + "\r\n" for row in [list(records[0]), *(r.values() for r in records)])
    else:
        buf = io.StringIO(newline="")
        writer = csv.DictWriter(buf, fieldnames=list(records[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(records)
        text = buf.getvalue()
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


@examples(12)
@given(
    cells=st.lists(st.tuples(hostile_cell, hostile_cell, hostile_cell), min_size=2, max_size=3),
    form=st.sampled_from(["csv", "yaml", "csv-raw"]),
    bom=st.booleans(),
)
@example(cells=[("a", "", '"Walk daily'), ("b", "", ""), ("c", "", "")], form="csv-raw", bom=True)  # the hunt's case
@example(cells=[("a", "", 'x,"y'), ("b", "", 'z"'), ("c", "", "")], form="csv-raw", bom=False)
def test_no_record_ever_prints_another_records_name_or_identifier(
    cells: list[tuple[str, str, str]], form: str, bom: bool
) -> None:
    """Random rosters with hostile cells (quotes, separators, newlines, BOMs), CSV and YAML, printed by the
    real batch command: each PDF holds its own record's name and identifier and no other record's.
    Unquoted ("csv-raw") rosters hold open quotes and stray separators: before, an open quote read the
    later rows into one patient's notes and printed their names on that patient's handout."""
    import csv
    import tempfile
    from pathlib import Path

    from click.testing import CliRunner
    from pdfcheck import all_text

    from handouts.cli import main

    tokens = [f"Zq{'bcdfgh'[i]}w" for i in range(len(cells))]  # in no hostile cell, so only a leak shows it
    records = [
        {"name": f"{tok} {name}", "patient_id": f"ID{tok}{ident}", "date": "2026-11-23", "notes": notes}
        for tok, (name, ident, notes) in zip(tokens, cells, strict=True)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        roster, outdir = Path(tmp) / f"r.{form.split('-')[0]}", Path(tmp) / "out"
        roster.write_bytes(_roster_text(records, form, bom))
        result = CliRunner().invoke(main, ["batch", str(roster), "-o", str(outdir), "-j", "1", "-q"])
        assert result.exit_code in (0, 1, 2), result.output
        assert "Traceback" not in result.output
        if result.exit_code == 2:  # the whole roster refused: nothing printed at all
            event(f"{form}: refused whole")
            assert not list(outdir.glob("*.pdf")) if outdir.exists() else True
            return
        rows = list(csv.DictReader((outdir / "manifest.csv").read_text(encoding="utf-8-sig").splitlines()))
        if form != "csv-raw":  # quoted as it should be: no row swallowed another, none split in two
            assert len(rows) == len(records)
        for row in rows:
            if row["status"] != "written":
                continue
            tok = next(t for t in tokens if row["name"].startswith(t))
            text = "".join(all_text((outdir / row["file"]).read_bytes()).split())
            assert tok in text and f"ID{tok}" in text
            for other in tokens:
                assert other == tok or other not in text, (other, row)
        event(f"{form}: {sum(r['status'] == 'written' for r in rows)} of {len(rows)} printed")


# Issue 21: whatever clinic content and layout `check` passes prints every example, or `check` refuses it.
CLINIC_FRAGMENTS = [
    "{weaker_side}",
    "{stronger_hand}",
    "{weaker_side_m}",
    "{side_leg}",
    "{stronger_hand:d}",
    "{stronger_hand!r}",
    "{",
    "}",
    "{{",
    "{}",
    ".",
    "😀",
    "中文",
    "\u200b",
    "\u00ad",
    "Ωμέγα",
    "Łódź",
    "W" * 60,
    "&",
    " and more words",
]


def _clinic_content(tmp: Path, language: str, section: int, piece: int, fragment: str) -> Path:
    """A copy of the shipped content and translation with one sentence of one section added to."""
    from handouts.inputs.wording import pieces

    name = "content.yaml" if language == "en" else "content.es.yaml"
    for each in ("content.yaml", "content.es.yaml"):
        (tmp / each).write_text((ROOT_DIR / each).read_text(encoding="utf-8"), encoding="utf-8")
    data = yaml.safe_load((ROOT_DIR / name).read_text(encoding="utf-8"))
    sections = data["sections"]
    target = sections[section % len(sections)]
    model = CONTENT.section(target["id"]) if language == "en" else None
    found = pieces(model) if model is not None else pieces(_translated_section(target))
    loc = found[piece % len(found)].loc
    holder: Any = target
    for part in loc[:-1]:
        holder = holder[part]
    holder[loc[-1]] = str(holder[loc[-1]]) + fragment
    (tmp / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return tmp / "content.yaml"


def _translated_section(raw: dict) -> Any:
    from handouts.inputs.translation import TranslatedSection

    return TranslatedSection.model_validate(raw)


ROOT_DIR = Path(__file__).resolve().parent.parent


@examples(8)  # each loads both content files afresh (about 0.4 s): the fragments are few, the places many
@given(
    language=st.sampled_from(["en", "es"]),
    section=st.integers(0, 60),
    piece=st.integers(0, 40),
    fragment=st.sampled_from(CLINIC_FRAGMENTS),
)
def test_clinic_content_that_loads_fills_every_move_in_every_mode(
    language: str, section: int, piece: int, fragment: str
) -> None:
    """One sentence of the content or its translation changed: either loading it (as `check` and
    printing do) refuses it with the file and line, or every move and device in every mode, in both
    languages, makes its handout's words (the words are what a slot or a letter can break)."""
    import tempfile

    from handouts.build import prepare_record
    from handouts.check import test_record
    from handouts.inputs.content import load_content
    from handouts.inputs.translation import load_translation
    from handouts.inputs.yamlsource import Located

    with tempfile.TemporaryDirectory() as folder:
        path = _clinic_content(Path(folder), language, section, piece, fragment)
        try:
            content = load_content(path)
            load_translation(path, "es")
        except HandoutError as exc:
            assert all(p.file.startswith(folder) and p.line for p in exc.problems), str(exc)
            event("refused")
            return
        event("loaded")
        for turn in range(3):
            for lang in ("en", "es"):
                record = test_record(content, turn, lang)
                prepare_record(Located(record, "t.yaml", {}), content, today=dt.date(2026, 11, 23))


@examples(3)  # each prints a long handout (about 1 s): a few layouts of every size in a few seconds
@given(
    body=st.integers(18, 40),
    heading_more=st.integers(0, 8),
    running=st.integers(18, 40),
    language=st.sampled_from(["en", "es"]),
)
def test_a_layout_that_loads_prints_or_is_refused_clearly(
    body: int, heading_more: int, running: int, language: str
) -> None:
    """A clinic layout within its limits: a handout prints, or is refused with a clear error naming the
    layout (what `check`'s test handouts refuse), never reportlab's LayoutError."""
    import tempfile

    from handouts.build import print_record
    from handouts.check import test_record
    from handouts.inputs.layout import load_layout
    from handouts.inputs.yamlsource import Located

    with tempfile.TemporaryDirectory() as folder:
        layouts = Path(folder)
        heading = max(22, body) + heading_more
        (layouts / "ours.yaml").write_text(
            f"extends: large-print\ndescription: ours\nbody: {{size: {body}}}\nheading: {{size: {heading}}}\n"
            f"subheading: {{size: {max(20, body)}}}\nheader: {{size: {running}}}\nfooter: {{size: {running}}}\n",
            encoding="utf-8",
        )
        load_layout("ours", layouts)
        record = test_record(CONTENT, body, language)
        try:
            print_record(Located(record, "t.yaml", {}), CONTENT, "ours", layouts=layouts)
            event("printed")
        except HandoutError as exc:
            assert "does not fit the layout" in str(exc), str(exc)
            event("refused: does not fit")
