"""The "My week" log, read back from real PDFs: rows, boxes per day, weeks, dates and box size."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from pdfcheck import PAGE_RE, page_texts, reader, runs
from pdfshapes import Rectangle, shapes

from handouts.build import Printed, print_record
from handouts.errors import HandoutError
from handouts.handout.weeklog import daily_log
from handouts.inputs.content import cached_content
from handouts.inputs.plan import check_plan
from handouts.inputs.yamlsource import parse_yaml

INCH = 72.0
PLAN = """
name: Test Person
patient_id: T-1
{date}
exercises:
{exercises}
{extra}
"""


def _yaml(exercises: str, date: str = "date: 2026-11-25", extra: str = "") -> str:
    return PLAN.format(date=date, exercises=exercises, extra=extra)


def _print(text: str) -> Printed:
    return print_record(parse_yaml(text, "test.yaml"), cached_content(), None)


def _log_pages(printed: Printed) -> list[int]:
    return [i for i, t in enumerate(page_texts(printed.pdf)) if "My week" in t]


def _boxes(printed: Printed, number: int) -> list[Rectangle]:
    pdf = reader(printed.pdf)
    return [r for r in shapes(pdf.pages[number], pdf).rectangles if r.stroked and abs(r.w - r.h) < 0.01]


def _rows(boxes: list[Rectangle]) -> list[list[Rectangle]]:
    """Boxes grouped into day rows (top to bottom), each row left to right."""
    by_y: dict[float, list[Rectangle]] = {}
    for box in boxes:
        by_y.setdefault(round(box.y), []).append(box)
    return [sorted(row, key=lambda b: b.x) for _, row in sorted(by_y.items(), reverse=True)]


@pytest.fixture(scope="module")
def maria(printed) -> Printed:
    return printed["maria-lopez"]


def test_one_week_by_default_on_the_last_page(maria: Printed) -> None:
    texts = page_texts(maria.pdf)
    assert _log_pages(maria) == [len(texts) - 1]
    last = texts[-1]
    assert "My week" in last and "November 23 to 29, 2026" in last
    for head in ("Foot up and down 2 times a day", "Walking 15 minutes", "3 days a week: pick your days"):
        assert head in last
    days = ["Mon Nov 23", "Tue Nov 24", "Wed Nov 25", "Thu Nov 26", "Fri Nov 27", "Sat Nov 28", "Sun Nov 29"]
    positions = [last.index(day) for day in days]
    assert positions == sorted(positions)


def test_boxes_follow_the_doses(maria: Printed) -> None:
    """Ankle pumps 2 times a day, walking once: 3 boxes a day, 7 days."""
    rows = _rows(_boxes(maria, _log_pages(maria)[0]))
    assert len(rows) == 7
    assert all(len(row) == 3 for row in rows)
    columns = Counter(round(b.x) for row in rows for b in row)
    assert len(columns) == 3 and set(columns.values()) == {7}


def test_boxes_are_at_least_0_4_in_inside_their_lines(maria: Printed) -> None:
    boxes = _boxes(maria, _log_pages(maria)[0])
    assert boxes
    for box in boxes:
        assert box.w - box.line_width >= 0.4 * INCH and box.h - box.line_width >= 0.4 * INCH


def test_grid_fits_the_text_width_on_letter(maria: Printed) -> None:
    layout = maria.layout
    left = layout.margins.left * INCH
    width = min(layout.page_size[0] - left - layout.margins.right * INCH, layout.max_line_inches * INCH)
    pdf = reader(maria.pdf)
    page = shapes(pdf.pages[_log_pages(maria)[0]], pdf)
    low, high = page.extent
    assert left - 1 <= low and high <= left + width + 1
    assert all(left <= b.x and b.x + b.w <= left + width for b in page.rectangles)


def test_log_pages_keep_the_large_print_rules(maria: Printed) -> None:
    pdf = reader(maria.pdf)
    texts = page_texts(maria.pdf)
    for number in _log_pages(maria):
        assert min(r.size for r in runs(pdf.pages[number])) >= 18
        assert "Maria Lopez" in texts[number] and "ID: 004211" in texts[number]
        match = PAGE_RE.search(texts[number])
        assert match and (int(match[1]), int(match[2])) == (number + 1, len(texts))


def test_weeks_start_at_the_handout_date_one_page_each() -> None:
    printed = _print(_yaml("  - stretching: {times_per_day: 3}", extra="log_weeks: 3"))
    pages = _log_pages(printed)
    texts = page_texts(printed.pdf)
    assert len(pages) == 3 and pages[-1] == len(texts) - 1
    assert pages == list(range(pages[0], pages[0] + 3))
    starts = ["Wed Nov 25", "Wed Dec 2", "Wed Dec 9"]
    for week, (number, first) in enumerate(zip(pages, starts, strict=True), 1):
        assert f"My week {week}" in texts[number] and first in texts[number]
        rows = _rows(_boxes(printed, number))
        assert len(rows) == 7 and all(len(row) == 3 for row in rows)
    # Two months' names would wrap the title: they are shortened, so it keeps to one line.
    assert "My week 1: Nov 25 to Dec 1, 2026" in texts[pages[0]]
    assert "Tue Dec 1" in texts[pages[0]]


def test_days_a_week_is_said_in_the_row() -> None:
    printed = _print(_yaml("  - aerobic: {days_per_week: 3, minutes: 20}"))
    text = page_texts(printed.pdf)[_log_pages(printed)[0]]
    assert "20 minutes" in text and "3 days a week: pick your days" in text
    assert all(len(row) == 1 for row in _rows(_boxes(printed, _log_pages(printed)[0])))


def test_without_a_date_the_log_is_dated_like_page_one() -> None:
    """No `date:` in the file: page 1 says the day it was printed, and the log starts on that day too."""
    printed = _print(_yaml("  - stretching", date="birth_date: 1950-01-01"))
    texts = page_texts(printed.pdf)
    printed_on = dt.datetime.strptime(re.search(r"Date: (\w+ \d+, \d{4})", texts[0])[1], "%B %d, %Y").date()
    assert printed.handout.date == printed_on
    log = texts[_log_pages(printed)[0]]
    days = [printed_on + dt.timedelta(days=i) for i in range(7)]
    labels = [f"{d:%a} {d:%b} {d.day}" for d in days]
    positions = [log.index(label) for label in labels]
    assert positions == sorted(positions)
    assert f"{days[0]:%B} {days[0].day} to " in log and f"{days[-1].day}, {days[-1].year}" in log
    assert len(_rows(_boxes(printed, _log_pages(printed)[0]))) == 7


def test_without_a_date_the_log_starts_on_the_day_given() -> None:
    from handouts.handout.personalize import personalize
    from handouts.pdf.render import render

    content = cached_content()
    plan = check_plan(parse_yaml(_yaml("  - stretching", date="birth_date: 1950-01-01"), "t.yaml"), content)
    handout = personalize(plan, content, today=dt.date(2027, 2, 26))
    assert handout.log is not None
    assert [(d.name, d.date) for d in handout.log.weeks[0].days][:4] == [
        ("Fri", "Feb 26"),
        ("Sat", "Feb 27"),
        ("Sun", "Feb 28"),
        ("Mon", "Mar 1"),
    ]
    from handouts.inputs.layout import load_layout

    texts = page_texts(render(handout, load_layout("large-print")))
    assert "Date: February 26, 2027" in texts[0]
    assert "February 26 to March 4, 2027" in texts[-1] and "Fri Feb 26" in texts[-1]


def test_log_weeks_zero_prints_no_log() -> None:
    with_log = _print(_yaml("  - stretching"))
    without = _print(_yaml("  - stretching", extra="log_weeks: 0"))
    assert _log_pages(without) == []
    assert len(page_texts(without.pdf)) == len(page_texts(with_log.pdf)) - 1


def test_no_exercises_no_log() -> None:
    text = "name: A\npatient_id: '1'\ndate: 2026-11-25\nstronger_side: left\ndevices: [cane]\n"
    assert _log_pages(_print(text)) == []


@pytest.mark.parametrize("value", ["13", "-1", "two"])
def test_a_wrong_log_weeks_is_refused_with_its_line(value: str) -> None:
    text = _yaml("  - stretching", extra=f"log_weeks: {value}")
    with pytest.raises(HandoutError) as caught:
        check_plan(parse_yaml(text, "test.yaml"), cached_content())
    (problem,) = caught.value.problems
    assert problem.field == "log_weeks"
    assert problem.line == text.splitlines().index(f"log_weeks: {value}") + 1


def test_daily_log_as_plain_data() -> None:
    text = _yaml("  - aerobic: {times_per_day: 2, days_per_week: 5}\n  - range_of_motion\n", extra="log_weeks: 2")
    content = cached_content()
    log = daily_log(check_plan(parse_yaml(text, "t.yaml"), content), content, dt.date(2026, 11, 25))
    assert log is not None
    assert [(t.dose, t.per_day) for t in log.tasks] == [("2 times a day", 2), ("Every day", 1)]
    assert [t.goal for t in log.tasks] == ["5 days a week: pick your days", "7 check marks"]
    assert len(log.weeks) == 2
    assert log.weeks[1].days[0].date == f"{dt.date(2026, 12, 2):%b} 2"


def test_the_web_form_asks_for_log_weeks_and_prints_them() -> None:
    from handouts.web.app import create_app

    client = create_app().test_client()
    page = client.get("/").get_data(as_text=True)
    assert 'name="log_weeks"' in page
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]  # the form's own token
    form = {"name": "Web Person", "patient_id": "W-1", "date": "2026-11-25", "exercise": ["stretching"]}
    form["csrf_token"] = token
    response = client.post("/handout", data={**form, "log_weeks": "2"})
    assert response.status_code == 200 and response.data[:4] == b"%PDF"
    texts = [" ".join((p.extract_text() or "").split()) for p in reader(response.data).pages]
    assert [t for t in texts if "My week" in t][0].count("My week 1") == 1
    assert sum("My week" in t for t in texts) == 2
    refused = client.post("/handout", data={**form, "log_weeks": "20"})
    assert refused.data[:4] != b"%PDF" and "at most 12" in refused.get_data(as_text=True)


def test_a_log_page_for_more_exercises_is_not_also_titled_continued() -> None:
    """Lee Chen's six exercises don't fit across one extra-large page: the rest go on a page of their own,
    with its own title."""
    from conftest import ROOT
    from pdfcheck import page_texts

    from handouts.build import print_file

    texts = page_texts(print_file(ROOT / "examples" / "lee-chen-moves.yaml", "extra-large").pdf)
    more = [t for t in texts if "My week, more exercises" in t]
    assert more and not any("My week (continued)" in t for t in texts)


EXTREME = """
name: Test Person
patient_id: T-1
date: 2026-11-25
log_weeks: {weeks}
exercises:
  - aerobic: {{times_per_day: {0}}}
  - stretching: {{times_per_day: {1}}}
  - range_of_motion: {{mode: passive, times_per_day: {2}}}
"""


@pytest.mark.parametrize("layout", ["large-print", "extra-large"])
@pytest.mark.parametrize(
    ("doses", "weeks"), [((10, 6, 8), 2), ((10, 10, 10), 12), ((1, 2, 3), 1), ((4, 4, 4), 1), ((5, 1, 10), 3)]
)
def test_a_week_fits_one_page_whatever_the_dose(layout: str, doses: tuple[int, ...], weeks: int) -> None:
    """Large print: one page a week; extra-large (two exercises across): at most two."""
    printed = print_record(parse_yaml(EXTREME.format(*doses, weeks=weeks), "t.yaml"), cached_content(), layout)
    texts = page_texts(printed.pdf)
    log = _log_pages(printed)
    assert log == list(range(len(texts) - len(log), len(texts)))
    assert len(log) <= weeks * (1 if layout == "large-print" else 2)
    assert not any(re.search(r"My week[^()]*\(continued\)", texts[n]) for n in log)  # a week is never split
    pdf = reader(printed.pdf)
    for n in log:
        assert min(r.size for r in runs(pdf.pages[n])) >= printed.layout.body.size
        # Every day of the week on the page, and every exercise's cell in each day's row.
        assert sum(day in texts[n] for day in ("Wed", "Thu", "Fri", "Sat", "Sun", "Mon", "Tue")) == 7


def test_a_large_dose_gets_a_write_in_box_not_a_page_of_boxes() -> None:
    """More than 4 boxes a day (or more than fit across the cell): one wide box to write the number in."""
    printed = _print(_yaml("  - stretching: {times_per_day: 10}\n  - range_of_motion: {times_per_day: 4}"))
    (number,) = _log_pages(printed)
    text = page_texts(printed.pdf)[number]
    assert "Stretch 10 times a day" in text and "In a long box, write how many times." in text
    assert text.count("times") >= 7 + 2
    pdf = reader(printed.pdf)
    stroked = [r for r in shapes(pdf.pages[number], pdf).rectangles if r.stroked]
    wide = [r for r in stroked if r.w > r.h + 1]
    assert len(wide) == 7 and all(r.h - r.line_width >= 0.4 * INCH for r in wide)
    rows = _rows(_boxes(printed, number))
    assert len(rows) == 7 and all(len(row) == 4 for row in rows)  # 4 times a day: 4 boxes
    for r in runs(pdf.pages[number]):
        assert r.size >= 18


def test_boxes_per_day_stop_at_four() -> None:
    printed = _print(_yaml("  - stretching: {times_per_day: 4}", extra="log_weeks: 1"))
    assert all(len(row) == 4 for row in _rows(_boxes(printed, _log_pages(printed)[0])))
    printed = _print(_yaml("  - stretching: {times_per_day: 5}", extra="log_weeks: 1"))
    assert _rows(_boxes(printed, _log_pages(printed)[0])) == []


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("plan", ["maria-lopez", "typical", "one-exercise"])
@pytest.mark.parametrize("layout", ["large-print", "extra-large"])
def test_every_days_boxes_stand_in_the_same_place(plan: str, layout: str, paper: str) -> None:
    """Each exercise's boxes sit in the middle of its column on every day, Sunday and the last exercise
    included when extra-large leaves out the goal row or the "How did it go?" column (they stood at the
    left there, out of line with the days above)."""
    from conftest import ROOT

    from handouts.build import print_file

    path = ROOT / ("examples" if plan == "maria-lopez" else "benchmarks/plans") / f"{plan}.yaml"
    printed = print_file(path, layout, paper=paper)
    for number in _log_pages(printed):
        rows = _rows(_boxes(printed, number))
        assert len(rows) == 7
        assert all([round(b.x, 1) for b in row] == [round(b.x, 1) for b in rows[0]] for row in rows), rows


@pytest.mark.parametrize(
    ("plan", "paper"),
    [
        ("typical", "letter"),
        ("typical", "a4"),
        ("one-exercise", "letter"),
        ("one-exercise", "a4"),
        ("maria-lopez", "a4"),
    ],
)
def test_extra_large_keeps_the_goal_row_where_the_page_allows(plan: str, paper: str) -> None:
    """In extra-large the "How did it go?" column goes first, and the goal row (which says "3 days a
    week: pick your days") only when the week would not fit its page even without that column; a title
    that would wrap has its months shortened, and a week on a page of its own is measured without the
    space above its title (dropped at the top of a page). Two exercises keep their goals on both papers,
    Maria's three on A4."""
    from conftest import ROOT

    from handouts.build import print_file

    folder = ROOT / ("examples" if plan == "maria-lopez" else "benchmarks/plans")
    printed = print_file(folder / f"{plan}.yaml", "extra-large", paper=paper)
    (number,) = _log_pages(printed)
    text = " ".join(page_texts(printed.pdf)[number].split())
    assert "My week: Nov 23 to 29, 2026" in text
    for task in printed.handout.log.tasks:  # type: ignore[union-attr]
        assert " ".join(task.goal.split()) in text
    if plan == "one-exercise":
        assert "How did it go?" in text and "Write how it went." in text
