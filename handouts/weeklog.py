"""What the "My week" log pages hold, as plain data: a column of days and a row of things to tick.

The log follows the therapist's doses: an exercise done 2 times a day gets 2 boxes each day, and one
done 3 days a week says so. Nothing here knows about reportlab; handouts/log.py draws it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from handouts.content import Content, Section
from handouts.doses import count, how_often
from handouts.patient import Dose, Plan

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
    date: str | None = None
    """The short date ("Nov 23") when the handout's date is known; None prints the weekday alone."""


@dataclass(frozen=True)
class LogWeek:
    number: int
    days: tuple[LogDay, ...]
    span: str | None = None


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


def daily_log(plan: Plan, content: Content) -> DailyLog | None:
    """The log the patient file asks for; None when it asks for no weeks or chose no exercises."""
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
    start = plan.patient.date
    weeks = []
    for number in range(1, plan.patient.log_weeks + 1):
        if start is None:
            weeks.append(LogWeek(number, tuple(LogDay(name) for name in DAY_NAMES)))
            continue
        dates = [start + dt.timedelta(days=7 * (number - 1) + i) for i in range(7)]
        days = tuple(LogDay(DAY_NAMES[d.weekday()], f"{d:%b} {d.day}") for d in dates)
        weeks.append(LogWeek(number, days, _span(dates[0], dates[-1])))
    return DailyLog(tasks, tuple(weeks))
