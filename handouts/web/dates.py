"""Dates as a clinician types them: 11/23/2026 (or 23/11/2026 in a day-first clinic) and 2026-11-23.

The form's date fields are plain text with the format written beside them, because a browser's date
input sends nothing at all for a date that does not exist (02/31/2027), and the handout would then be
dated today without a word. Here an impossible date is an error on its field, in the clinic's own
format and in ours (YYYY-MM-DD), and a real one becomes YYYY-MM-DD, as a patient file holds it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

ORDERS = {"month-first": ("MM/DD/YYYY", "11/23/2026"), "day-first": ("DD/MM/YYYY", "23/11/2026")}

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SLASHED = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})")


def date_format(order: str) -> str:
    """What the form says beside a date field, e.g. 'MM/DD/YYYY or YYYY-MM-DD'."""
    return f"{ORDERS[order][0]} or YYYY-MM-DD"


def _why(year: int, month: int, day: int) -> str:
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    days = calendar.monthrange(year, month)[1]
    return f"{calendar.month_name[month]} {year} has {days} days"


def read_date(text: str, order: str) -> str:
    """The date as YYYY-MM-DD; ValueError with the clinician's words if it is not a real date."""
    value = text.strip()
    shown, example = ORDERS[order]
    iso, slashed = _ISO.fullmatch(value), _SLASHED.fullmatch(value)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    elif slashed:
        first, second, year_text = slashed.groups()
        if len(year_text) != 4:
            raise ValueError(f"'{value}' needs the year in four digits: type it as {shown}, for example {example}")
        month, day = (int(first), int(second)) if order == "month-first" else (int(second), int(first))
        year = int(year_text)
    else:
        raise ValueError(f"'{value}' is not a date; type it as {shown} (for example {example}) or YYYY-MM-DD")
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise ValueError(
            f"'{value}' is not a real date ({shown}): {_why(year, month, day)}; check the day and the month"
        ) from None


def show_date(iso: str, order: str) -> str:
    """A YYYY-MM-DD date in the clinic's own format, for the form to show; anything else as it is."""
    match = _ISO.fullmatch(iso.strip())
    if not match:
        return iso
    year, month, day = match.groups()
    first, second = (month, day) if order == "month-first" else (day, month)
    return f"{first.zfill(2)}/{second.zfill(2)}/{year}"
