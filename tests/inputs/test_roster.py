"""Rosters as clinics write them: YAML lists, YAML with defaults, CSV from Excel in its several forms."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import ROOT

from handouts.errors import HandoutError
from handouts.inputs.roster import open_roster
from handouts.inputs.rostercsv import parse_items

EXAMPLES = ROOT / "examples"
FIXTURES = ROOT / "tests" / "fixtures" / "rosters"


def records(path: Path) -> list[tuple[int, dict]]:
    return [(r.row, r.located.data) for r in open_roster(path)]


def refused(path: Path) -> str:
    with pytest.raises(HandoutError) as caught:
        list(open_roster(path))
    return str(str(caught.value))


def test_yaml_defaults_fill_only_what_a_record_leaves_out() -> None:
    got = records(EXAMPLES / "roster.yaml")
    assert len(got) == 5
    by_name = {data["name"]: data for _, data in got}
    assert by_name["Maria Lopez"]["therapist"] == "Alex Kim, PT"  # from defaults
    assert by_name["Ana Souza"]["therapist"] == "Dana Weiss, PT"  # her own wins
    assert all(data["date"] == "2026-11-23" for _, data in got)
    assert by_name["Maria Lopez"]["patient_id"] == "004211"  # literal text, never a number


def test_yaml_records_keep_their_position_and_line() -> None:
    roster = open_roster(FIXTURES / "mixed.yaml")
    assert roster.count == 5
    got = [(r.row, r.line, r.label) for r in roster]
    assert got[:2] == [(1, 8, "record 1"), (2, 13, "record 2")]
    bad = list(roster)[1]
    # A value from the defaults points at the defaults' own line.
    assert bad.located.line_of(("clinic",)) == 3
    assert bad.located.line_of(("exercises", 0, "aerobic", "minutes")) == 16


def test_a_plain_yaml_list_is_a_roster(tmp_path: Path) -> None:
    path = tmp_path / "r.yml"
    path.write_text("- name: A B\n  patient_id: '1'\n- name: C D\n  birth_date: 1950-01-02\n")
    assert records(path) == [
        (1, {"name": "A B", "patient_id": "1"}),
        (2, {"name": "C D", "birth_date": "1950-01-02"}),
    ]


def test_csv_reads_like_the_yaml_it_stands_for() -> None:
    rows = records(EXAMPLES / "roster.csv")
    assert [row for row, _ in rows] == [2, 3, 4, 5, 6]  # spreadsheet rows: the header is row 1
    maria = rows[0][1]
    assert maria["patient_id"] == "004211"
    assert maria["exercises"] == [
        "stretching",
        {"range_of_motion": {"mode": "passive", "times_per_day": "2"}},
        {"aerobic": {"minutes": "15", "days_per_week": "3", "note": "Walk at an easy pace"}},
    ]
    assert maria["devices"] == ["quad_cane", {"ankle_foot_brace": {"side": "right"}}, {"walker": {"wheels": "true"}}]
    ana = rows[2][1]
    assert ana["exercises"] == [
        {"aerobic": {"minutes": "10", "times_per_day": "2", "note": "Use the stationary bike, seat low"}}
    ]
    assert ana["notes"] == "Sit down to rest whenever you need to.\nBring this handout to your next visit."
    assert "birth_date" not in ana  # an empty cell is a field left out


def _excel_variants(tmp_path: Path) -> dict[str, Path]:
    """The example roster saved the ways Excel saves it."""
    rows = list(csv.reader(io.StringIO((EXAMPLES / "roster.csv").read_text(encoding="utf-8"), newline="")))
    out = {}
    for label, delimiter, bom, trailing in [
        ("bom-crlf", ",", True, False),
        ("semicolon", ";", True, True),
        ("semicolon-no-bom", ";", False, True),
        ("comma-trailing-row", ",", True, True),
    ]:
        buf = io.StringIO(newline="")
        writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
        writer.writerows(rows)
        if trailing:
            writer.writerow([""] * len(rows[0]))  # Excel's trailing empty row: ",,,,"
        path = tmp_path / f"{label}.csv"
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode("utf-8"))
        out[label] = path
    return out


def test_excel_exports_read_the_same_as_the_plain_csv(tmp_path: Path) -> None:
    plain = records(EXAMPLES / "roster.csv")
    variants = _excel_variants(tmp_path)
    assert (variants["bom-crlf"].read_bytes()[:3], b"\r\n" in variants["bom-crlf"].read_bytes()) == (
        b"\xef\xbb\xbf",
        True,
    )
    assert b";" in variants["semicolon"].read_bytes().splitlines()[0]
    for label, path in variants.items():
        assert records(path) == plain, label


def test_empty_rows_are_skipped_but_rows_keep_their_spreadsheet_numbers(tmp_path: Path) -> None:
    path = tmp_path / "gaps.csv"
    path.write_text("name,patient_id\nA B,1\n,\n\nC D,2\n", encoding="utf-8")
    assert [row for row, _ in records(path)] == [2, 5]


def test_latin1_csv_is_refused_with_the_line_and_how_to_fix_it() -> None:
    message = refused(FIXTURES / "latin1.csv")
    assert "latin1.csv: row 2:" in message
    assert "not UTF-8" in message and "Latin-1" in message and "CSV UTF-8" in message


def test_utf16_and_binary_files_are_refused(tmp_path: Path) -> None:
    utf16 = tmp_path / "u.csv"
    utf16.write_bytes("name\nA\n".encode("utf-16"))
    assert "UTF-16" in refused(utf16)
    nul = tmp_path / "n.csv"
    nul.write_bytes(b"name\nA\0B\n")
    assert "n.csv: row 2: contains a NUL byte" in refused(nul)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("nmae,patient_id\nA,1\n", "column 1 'nmae' is not a patient field; did you mean 'name'?"),
        ("patient_id\n1\n", "with a 'name' column"),
        ("name,Name\nA,B\n", "column 'name' appears twice"),
        ("", "has no patients"),
        ("name,patient_id\n", "has no patients"),
    ],
)
def test_csv_header_problems_refuse_the_roster(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "r.csv"
    path.write_text(text, encoding="utf-8")
    assert expected in refused(path)


def test_spreadsheet_headers_are_forgiving_about_case_and_spaces(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Name,Patient ID,Stronger-Side\nA B,7,Left\n", encoding="utf-8")
    assert records(path) == [(2, {"name": "A B", "patient_id": "7", "stronger_side": "Left"})]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("name: A\n", "this is one patient file, not a roster; use `python generate.py handout"),
        ("plain text\n", "a roster is a list of patients"),
        ("defaults: {clinic: X}\npatiens: []\n", "did you mean 'patients'?"),
        ("patients:\n  - name: A\ndefaults: {clinic: X}\n", "put 'defaults:' above 'patients:'"),
        ("defaults:\n  name: Everyone\npatients:\n  - patient_id: '1'\n", "'name' can't be a default"),
        ("defaults:\n  date: tomorrow\npatients:\n  - name: A\n", "r.yaml:2: defaults.date: 'tomorrow' is not a date"),
        ("defaults:\n  layout: huge\npatients:\n  - name: A\n", "r.yaml:2: defaults.layout: there is no layout 'huge'"),
        ("patients: {name: A}\n", "patients: must be a list of patients"),
        ("- name: A\n---\n- name: B\n", "more than one YAML document"),
        ("patients: []\n", "has no patients"),
        ("- name: A\n  notes: " + "[" * 100 + "]" * 100 + "\n", "r.yaml:2: nests lists"),
    ],
)
def test_yaml_roster_problems_refuse_the_roster(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    assert expected in refused(path)


def test_a_broken_yaml_roster_is_refused_before_any_record_is_read() -> None:
    with pytest.raises(HandoutError) as caught:
        open_roster(FIXTURES / "broken.yaml")  # the scan alone finds it: nothing printed yet
    assert "broken.yaml:5: not valid YAML" in str(caught.value)


def test_yaml_record_level_problems_stay_with_their_record(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("- name: A\n  name: B\n- name: C\n  patient_id: '2'\n", encoding="utf-8")
    first, second = open_roster(path)
    assert "'name' is given twice" in first.explain(first.problems[0])
    assert second.problems == [] and second.located.data["name"] == "C"


def test_other_extensions_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"PK")
    assert "a .csv file" in refused(path)


@pytest.mark.parametrize(
    "cell, items",
    [
        ("cane", ["cane"]),
        ("cane; ; walker(wheels=true);", ["cane", {"walker": {"wheels": "true"}}]),
        ("stretching()", ["stretching"]),
        (
            'aerobic(minutes = 15 , note="Slowly, (really) ""slowly""")',
            [{"aerobic": {"minutes": "15", "note": 'Slowly, (really) "slowly"'}}],
        ),
    ],
)
def test_cells_read_as_yaml_items(cell: str, items: list) -> None:
    assert parse_items(cell) == (items, [])


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("aerobic(minutes=15", "no ')' closes the options"),
        ("aerobic(minutes)", "'minutes' needs a value"),
        ("aerobic(minutes=1, minutes=2)", "'minutes' is given twice"),
        ("walker(wheels=true) cane", "separate items with ';'"),
        ("wheels=true", "options go in parentheses"),
        ('aerobic(note="open)', "no closing"),
    ],
)
def test_bad_cells_say_which_item_and_what_is_right(cell: str, expected: str) -> None:
    items, problems = parse_items(cell)
    assert len(problems) == 1 and expected in problems[0] and "item 1" in problems[0]


@pytest.mark.parametrize(
    "header, expected",
    [
        ("Patient Name", "column 1 'Patient Name' is not a patient field; did you mean 'name'?"),
        ("Full Name", "did you mean 'name'?"),
        ("DOB", "column 1 'DOB' is not a patient field; did you mean 'birth_date'?"),
        ("Date of Birth", "did you mean 'birth_date'?"),
        ("MRN", "did you mean 'patient_id'?"),
        ("ID", "did you mean 'patient_id'?"),
        ("Patient Phone", "did you mean 'phone'?"),
        ("First Name", "put the whole name, as it should be printed, in one 'name' column"),
    ],
)
def test_common_spreadsheet_headers_get_the_right_suggestion(tmp_path: Path, header: str, expected: str) -> None:
    path = tmp_path / "r.csv"
    path.write_text(f"{header},stronger_side\nx,left\n", encoding="utf-8")
    message = refused(path)
    assert expected in message
    assert "did you mean 'patient_id'?" not in message or header in ("MRN", "ID")


def test_suggested_headers_are_never_renamed_silently(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Patient Name,MRN\nAnn Lee,7\n", encoding="utf-8")
    message = refused(path)
    assert "r.csv: row 1: column 1 'Patient Name'" in message and "column 2 'MRN'" in message


def test_a_non_utf8_csv_names_the_spreadsheet_row_not_the_file_line(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    # Row 2's notes cell spans two lines (Alt+Enter in Excel), so row 3 starts on file line 4.
    path.write_bytes(b'name,patient_id,notes\nA B,1,"line one\nline two"\nJos\xe9 Garc\xeda,2,\n')
    message = refused(path)
    assert "r.csv: row 3: is not UTF-8 text" in message and "Windows-1252" in message
    nul = tmp_path / "n.csv"
    nul.write_bytes(b'name,notes\nA,"one\ntwo"\nB,x\0y\n')
    assert "n.csv: row 3: contains a NUL byte" in refused(nul)


@pytest.mark.parametrize(
    "cell, items",
    [
        ("aerobic(minutes=15,)", [{"aerobic": {"minutes": "15"}}]),
        ("aerobic(minutes=15 , times_per_day=2 , )", [{"aerobic": {"minutes": "15", "times_per_day": "2"}}]),
    ],
)
def test_a_trailing_comma_in_the_options_is_accepted(cell: str, items: list) -> None:
    assert parse_items(cell) == (items, [])


def test_option_names_given_twice_in_different_capitals_are_refused() -> None:
    items, problems = parse_items("aerobic(minutes=1, Minutes=2)")
    assert len(problems) == 1 and "'Minutes' is given twice" in problems[0]


@pytest.mark.parametrize(
    "raw, expected",
    [
        # Before: "contains a NUL byte"; the file is UTF-16 saved without its byte-order mark.
        ("name,patient_id\nAnn Lee,1\n".encode("utf-16-le"), "r.csv: is UTF-16 text (with no byte-order mark)"),
        # Before: é in a Mac Roman file was shown as 'Ž', its Windows-1252 reading.
        (
            "name,patient_id\nJosé Ruiz,1\n".encode("mac_roman"),
            "r.csv: row 2: is not UTF-8 text (it looks like Mac Roman: 'é'",
        ),
        # Before: "column 1 'name' is not a patient field; did you mean 'name'?"
        (b"\xef\xbb\xbf\xef\xbb\xbfname,patient_id\nAnn Lee,1\n", "r.csv: row 1: starts with two byte-order marks"),
    ],
)
def test_encoding_mistakes_are_named_for_what_they_are(tmp_path: Path, raw: bytes, expected: str) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(raw)
    message = refused(path)
    assert expected in message, message
    assert "did you mean" not in message and "NUL" not in message


def test_a_roster_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    from handouts.inputs.roster import MAX_ROSTER_BYTES

    path = tmp_path / "r.csv"
    with path.open("wb") as f:
        f.write(b"name,patient_id\n")
        f.truncate(MAX_ROSTER_BYTES + 1)
    assert f"is over {MAX_ROSTER_BYTES:,} bytes; a roster file may be at most {MAX_ROSTER_BYTES:,} bytes" in refused(
        path
    )
