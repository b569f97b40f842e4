"""A patient's name or identifier can never steer where a handout is written, or make two patients
share a file: whatever is typed, the file name is plain ASCII, valid on Windows, macOS and Linux."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handouts.handout.personalize import Handout
from handouts.output import handout_filename

SAFE = re.compile(r"^\d{4}-\d\d-\d\d_[a-z0-9]+(-[a-z0-9]+)*_[a-z0-9]+(-[a-z0-9]+)*\.pdf$")
WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}


def handout(name: str, ident: str, label: str = "ID") -> Handout:
    born = dt.date.fromisoformat(ident) if label == "Born" else None
    return Handout(
        title="t",
        name=name,
        identifier=(label, ident),
        patient_id=ident if label == "ID" else None,
        birth_date=born,
        date=dt.date(2026, 11, 23),
        intro=(),
        blocks=(),
        author="a",
        subject="s",
        language="en-US",
        creator="c",
        file="f.yaml",
        patient_texts=(),
    )


def assert_safe(filename: str) -> None:
    assert SAFE.match(filename), filename
    assert len(filename) <= 120
    assert filename.split(".")[0].lower() not in WINDOWS_RESERVED


@pytest.mark.parametrize(
    ("name", "ident"),
    [
        ("../../etc/passwd", "../../x"),
        ("/etc/passwd", "/abs/olute"),
        ("C:\\Windows\\system32", "..\\..\\boot.ini"),
        ("Ann\x00Bo", "12\x0034"),
        ("CON", "NUL"),
        ("COM1", "LPT9"),
        ("aux.txt", "prn"),
        ("..", "."),
        ("   ", "-"),
        ('<>:"|?*', '<>:"|?*'),
    ],
)
def test_hostile_names_make_safe_file_names(name: str, ident: str) -> None:
    assert_safe(handout_filename(handout(name, ident)))


def test_names_in_every_covered_script_stay_readable() -> None:
    assert handout_filename(handout("Maria Lopez", "004211")) == "2026-11-23_lopez-maria_004211.pdf"
    assert handout_filename(handout("Łukasz Żółć", "7")) == "2026-11-23_zolc-lukasz_7.pdf"
    assert handout_filename(handout("Nguyễn Thị Ánh", "7")) == "2026-11-23_anh-nguyen-thi_7.pdf"
    assert handout_filename(handout("Ольга Смирнова", "7")) == "2026-11-23_smirnova-olga_7.pdf"
    assert handout_filename(handout("Νίκος Παππάς", "7")) == "2026-11-23_pappas-nikos_7.pdf"
    assert handout_filename(handout("Ann Bo", "1961-04-02", "Born")) == "2026-11-23_bo-ann_born-1961-04-02.pdf"


def test_identifiers_in_other_scripts_get_different_files() -> None:
    # Before: every Greek or Cyrillic identifier became ..._id.pdf, so one patient's handout silently
    # replaced another's.
    names = {handout_filename(handout("Ann Bo", i)) for i in ("AB7", "ΑΒ7", "ΓΔ7", "Жанна", "Зоя", "AB 7")}
    assert len(names) == 6
    assert len({n.lower() for n in names}) == 6, "names that differ only in case collide on Windows and macOS"


def test_capital_letters_in_an_identifier_need_no_tag() -> None:
    # Record numbers are written in capitals: that spelling stays readable, with no tag.
    assert handout_filename(handout("Ana Souza", "MRN-77310")).endswith("_souza-ana_mrn-77310.pdf")
    assert handout_filename(handout("Ann Bo", "004211")).endswith("_bo-ann_004211.pdf")


def test_identifiers_that_differ_only_in_case_get_different_files_on_any_file_system() -> None:
    # Before: MRN-7A and mrn-7a both became ..._mrn-7a.pdf, and `handout` replaced one with the other.
    names = [handout_filename(handout("Ann Bo", i)) for i in ("MRN-7A", "mrn-7a", "Mrn-7A", "ab7", "AB7")]
    assert len({n.casefold() for n in names}) == 5
    assert names[0] == "2026-11-23_bo-ann_mrn-7a.pdf"
    assert re.fullmatch(r"2026-11-23_bo-ann_mrn-7a-[0-9a-f]{6}\.pdf", names[1])


@settings(max_examples=300, deadline=None)
@given(name=st.text(max_size=150), ident=st.text(max_size=150))
def test_any_text_makes_a_safe_file_name(name: str, ident: str) -> None:
    assert_safe(handout_filename(handout(name, ident)))


@settings(max_examples=300, deadline=None)
@given(a=st.text(min_size=1, max_size=60), b=st.text(min_size=1, max_size=60))
def test_two_different_identifiers_never_share_a_file(a: str, b: str) -> None:
    if a != b:
        first, second = handout_filename(handout("Ann Bo", a)), handout_filename(handout("Ann Bo", b))
        assert first.casefold() != second.casefold()


def test_greek_ou_is_spelled_ou() -> None:
    assert handout_filename(handout("Γιώργος Παπαδόπουλος", "5")).endswith("_papadopoulos-giorgos_5.pdf")
