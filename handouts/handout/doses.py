"""A therapist's dose in words, the one way both the sections and the "My week" log say it."""

from __future__ import annotations

from handouts.inputs.patient import Dose


def count(n: int, one: str, many: str) -> str:
    return f"1 {one}" if n == 1 else f"{n} {many}"


def how_often(dose: Dose) -> list[str]:
    """["2 times a day", "3 days a week"], or [] when the therapist gave no frequency."""
    often = []
    if dose.times_per_day:
        often.append("once a day" if dose.times_per_day == 1 else f"{dose.times_per_day} times a day")
    if dose.days_per_week:
        often.append("every day" if dose.days_per_week == 7 else f"{count(dose.days_per_week, 'day', 'days')} a week")
    return often
