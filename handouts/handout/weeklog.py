"""What the "My week" log pages hold, as plain data: a column of days and a row of things to tick.

The log follows the therapist's doses: an exercise done 2 times a day gets 2 boxes each day, and one
done 3 days a week says so. Nothing here knows about reportlab; handouts/log.py draws it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from handouts.handout.doses import count, how_often
from handouts.inputs.content import Content, Section
from handouts.inputs.patient import Dose, Plan

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


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


def dose_words(section: Section, dose: Dose | None) -> str:
    """The dose short enough for the head of a log column, from the therapist or else the content."""
    dose = dose or Dose()
    parts = how_often(dose)
    if not parts:
        # The content's own wording, first sentence only: "Every day." or "As often as your therapist says."
        parts.append(str(section.how_often).split(". ")[0].rstrip("."))
    if dose.minutes:
        parts.append(count(dose.minutes, "minute", "minutes"))
    words = ", ".join(parts)
    return words[0].upper() + words[1:]


def _span(first: dt.date, last: dt.date) -> str:
    start = f"{first:%B} {first.day}"
    end = f"{last.day}" if last.month == first.month else f"{last:%B} {last.day}"
    return f"{start} to {end}, {last.year}"


def daily_log(plan: Plan, content: Content, start: dt.date) -> DailyLog | None:
    """The log the patient file asks for; None when it asks for no weeks or chose no exercises.

    start is the handout's own date (the patient file's, else the day it is printed), so page 1 and
    the log never disagree about when the plan begins.
    """
    if not plan.patient.log_weeks or not plan.exercises:
        return None
    tasks = tuple(
        LogTask(
            sel.id,
            content.section(sel.id).title,
            dose_words(content.section(sel.id), sel.dose),
            (sel.dose.times_per_day if sel.dose else None) or 1,
        )
        for sel in plan.exercises
    )
    weeks = []
    for number in range(1, plan.patient.log_weeks + 1):
        dates = [start + dt.timedelta(days=7 * (number - 1) + i) for i in range(7)]
        days = tuple(LogDay(DAY_NAMES[d.weekday()], f"{d:%b} {d.day}") for d in dates)
        weeks.append(LogWeek(number, days, _span(dates[0], dates[-1])))
    return DailyLog(tasks, tuple(weeks))
