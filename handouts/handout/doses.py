"""A therapist's dose in words, the one way both the sections and the "My week" log say it."""

from __future__ import annotations

from handouts.handout.words import Words, words
from handouts.inputs.patient import Dose


def how_often(dose: Dose, w: Words | None = None) -> list[str]:
    """["2 times a day", "3 days a week"] ("2 veces al día"), or [] when the therapist gave no frequency."""
    w = w or words("en")
    often = []
    if dose.times_per_day:
        often.append(w.count("times_a_day", dose.times_per_day))
    if dose.days_per_week:
        often.append(w("every_day") if dose.days_per_week == 7 else w.count("days_a_week", dose.days_per_week))
    return often
