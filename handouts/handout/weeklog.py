"""What the "My week" log pages hold, as plain data: a column of days and a row of things to tick.

The log follows the therapist's doses: an exercise done 2 times a day gets 2 boxes each day, and one
done 3 days a week says "3 days a week: pick your days" and keeps a box every day, so the patient
chooses the days. Each column ends with the count to reach that week. Nothing here knows about
reportlab; handouts/pdf/log.py draws it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from handouts.handout.doses import how_often
from handouts.handout.words import Words, words
from handouts.inputs.content import Content, Section
from handouts.inputs.patient import Dose
from handouts.inputs.plan import Plan


@dataclass(frozen=True)
class LogTask:
    """One chosen exercise: its short title, its dose in words, how many boxes each day, and the goal."""

    id: str
    title: str
    dose: str
    per_day: int
    goal: str = ""
    """The count to reach this week, in words: "3 days a week: pick your days", "14 ticks"."""


@dataclass(frozen=True)
class LogDay:
    name: str
    date: str
    """The short date ("Nov 23"), so a pinned-up page says which day each row is."""


@dataclass(frozen=True)
class LogWeek:
    number: int
    days: tuple[LogDay, ...]
    span: str
    """The week's dates in words ("November 23 to 29, 2026")."""
    span_short: str
    """The same with short month names ("Nov 23 to 29, 2026"), for a heading too long for its line."""


@dataclass(frozen=True)
class DailyLog:
    tasks: tuple[LogTask, ...]
    weeks: tuple[LogWeek, ...]
    language: str = "en"


def dose_words(section: Section, dose: Dose | None, w: Words | None = None, minutes: bool = True) -> str:
    """The dose short enough for the head of a log column, from the therapist or else the content."""
    dose = dose or Dose()
    w = w or words()
    parts = how_often(dose, w)
    if not parts:
        # The content's own wording, first sentence only: "Every day." or "A short, easy session."
        parts.append(str(section.how_often).split(". ")[0].rstrip("."))
    if dose.minutes and minutes:
        parts.append(w.count("minutes", dose.minutes))
    said = ", ".join(parts)
    return said[0].upper() + said[1:]


def goal_words(dose: Dose | None, w: Words | None = None) -> str:
    """The week's count to reach: days to pick when fewer than 7, else the ticks of 7 days."""
    w = w or words()
    dose = dose or Dose()
    per_day = dose.times_per_day or 1
    if dose.days_per_week and dose.days_per_week < 7:
        return w("pick_days", days=w.count("days_a_week", dose.days_per_week))
    return w.count("ticks", per_day * 7)


def _head_words(section: Section, dose: Dose | None, w: Words) -> str:
    """How often and how long, short enough for a column head of at most 3 lines: days to pick
    ("3 days a week: pick your days") go in the goal at the foot of the column instead."""
    dose = dose or Dose()
    if dose.days_per_week and dose.days_per_week < 7:
        parts = how_often(dose.model_copy(update={"days_per_week": None}), w)
        parts += [w.count("minutes", dose.minutes)] if dose.minutes else []
        said = ", ".join(parts)
        return said[:1].upper() + said[1:]
    return dose_words(section, dose, w)


def _span(first: dt.date, last: dt.date, w: Words, short: str = "") -> str:
    """ "November 23 to 29, 2026", "23–29 de noviembre de 2026": CLDR month names; with short="_short",
    their abbreviations ("Nov 23 to 29, 2026"). A week into the next year names both years
    ("December 28, 2026 to January 3, 2027"): with one year only, the first day reads as in 2027."""
    same = (first.year, first.month) == (last.year, last.month)
    kind = "span_start_same_month" if same else "span_start" if first.year == last.year else "span_start_other_year"
    start = w.date(first, kind + short)
    end = w.date(last, ("span_end_same_month" if same else "span_end") + short)
    return w("span", start=start, end=end)


def daily_log(plan: Plan, content: Content, start: dt.date) -> DailyLog | None:
    """The log the patient file asks for; None when it asks for no weeks or chose no exercises.

    start is the handout's own date (the patient file's, else the day it is printed), so page 1 and
    the log never disagree about when the plan begins.
    """
    if not plan.patient.log_weeks or not plan.exercises:
        return None
    w = words(content.language)
    tasks = tuple(
        LogTask(
            sel.id,
            content.section(sel.id).short_title or content.section(sel.id).title,
            _head_words(content.section(sel.id), sel.dose, w),
            (sel.dose.times_per_day if sel.dose else None) or 1,
            goal_words(sel.dose, w),
        )
        for sel in plan.exercises
    )
    weeks = []
    for number in range(1, plan.patient.log_weeks + 1):
        dates = [start + dt.timedelta(days=7 * (number - 1) + i) for i in range(7)]
        days = tuple(LogDay(w.weekday(d), w.date(d, "date_short")) for d in dates)
        span, short = _span(dates[0], dates[-1], w), _span(dates[0], dates[-1], w, "_short")
        weeks.append(LogWeek(number, days, span, short))
    return DailyLog(tasks, tuple(weeks), content.language)
