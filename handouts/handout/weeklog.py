"""What the "My week" log pages hold, as plain data: a column of days and a row of things to tick.

The log follows the therapist's doses: an exercise done 2 times a day gets 2 boxes each day, and one
done 3 days a week says so. Nothing here knows about reportlab; handouts/log.py draws it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from handouts.handout.doses import how_often
from handouts.handout.words import Words, words
from handouts.inputs.content import Content, Section
from handouts.inputs.patient import Dose, Plan


@dataclass(frozen=True)
class LogTask:
    """One chosen exercise: its title, its dose in words, and how many boxes each day."""

    id: str
    title: str
    dose: str
    per_day: int


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


@dataclass(frozen=True)
class DailyLog:
    tasks: tuple[LogTask, ...]
    weeks: tuple[LogWeek, ...]
    language: str = "en"


def dose_words(section: Section, dose: Dose | None, w: Words | None = None) -> str:
    """The dose short enough for the head of a log column, from the therapist or else the content."""
    w = w or words("en")
    dose = dose or Dose()
    parts = how_often(dose, w)
    if not parts:
        # The content's own wording, first sentence only: "Every day." or "As often as your therapist says."
        parts.append(str(section.how_often).split(". ")[0].rstrip("."))
    if dose.minutes:
        parts.append(w.count("minutes", dose.minutes))
    said = ", ".join(parts)
    return said[0].upper() + said[1:]


def _span(first: dt.date, last: dt.date, w: Words) -> str:
    """ "November 23 to 29, 2026", "Del 23 al 29 de noviembre de 2026": CLDR month names."""
    same = (first.year, first.month) == (last.year, last.month)
    start = w.date(first, "span_start_same_month" if same else "span_start")
    end = w.date(last, "span_end_same_month" if same else "span_end")
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
            content.section(sel.id).title,
            dose_words(content.section(sel.id), sel.dose, w),
            (sel.dose.times_per_day if sel.dose else None) or 1,
        )
        for sel in plan.exercises
    )
    weeks = []
    for number in range(1, plan.patient.log_weeks + 1):
        dates = [start + dt.timedelta(days=7 * (number - 1) + i) for i in range(7)]
        days = tuple(LogDay(w.weekday(d), w.date(d, "date_short")) for d in dates)
        weeks.append(LogWeek(number, days, _span(dates[0], dates[-1], w)))
    return DailyLog(tasks, tuple(weeks), content.language)
