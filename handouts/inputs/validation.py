"""Turn pydantic's errors into problems a clinician can act on: file, line, field, what is allowed.

Shared by the content, layout, patient and settings loaders so every input speaks with one voice: the
strict base model, validation with lines, and the table of messages.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from handouts.errors import HandoutError, Problem
from handouts.inputs.yamlsource import Located, dotted

M = TypeVar("M", bound=BaseModel)


def suggest(word: str, choices: Iterable[str]) -> str:
    """ "; did you mean 'cane'?" for a near miss, or nothing."""
    close = difflib.get_close_matches(str(word).lower(), list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


class Strict(BaseModel):
    """Every input model: an unknown key is an error (a typo must not be silently ignored), values are
    frozen, and each field's docstring is its help in the JSON Schema an editor shows. nan and inf pass
    every `<` and `>` check, then break the drawing: only finite numbers."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, allow_inf_nan=False)


def validate(model: type[M], located: Located, what: str) -> M:
    """Validate `located.data` as `model`, or raise every problem at once with its line."""
    if not isinstance(located.data, dict):
        raise HandoutError(Problem(located.file, f"a {what} must be a set of 'key: value' lines", located.line_of(())))
    try:
        valid = model.model_validate(located.data)
    except ValidationError as exc:
        raise HandoutError([*located.problems, *problems_from(exc, model, in_file(located))]) from None
    if located.problems:
        raise HandoutError(located.problems)
    return valid


Loc = tuple[str | int, ...]
Place = Callable[[Loc], tuple[str, int | None, Loc]]
"""Where a problem at a model's `loc` is: its file, its line and the path shown as its field."""


def collect(model: type[M], located: Located, what: str, problems: list[Problem]) -> M | None:
    """`validate`, with the problems added to `problems` rather than raised, so a caller can go on
    checking what was written and report every problem in the file at once."""
    try:
        return validate(model, located, what)
    except HandoutError as exc:
        problems += exc.problems
        return None


def problems_from(exc: ValidationError, model: type[BaseModel], place: Place) -> list[Problem]:
    """Every error pydantic found, in plain words, placed by the caller (one file, or a layout's chain)."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        file, line, shown = place(loc)
        problems.append(Problem(file, explain(err, model), line, dotted(shown) or None))
    return problems


def in_file(located: Located) -> Place:
    """Problems placed in one YAML file, by its own lines."""
    return lambda loc: (located.file, located.line_of(loc), loc)


_NOT_A_DATE = "{shown} is not a date; write it as YYYY-MM-DD, for example 2026-11-23"
_WHOLE = "{shown} is not a whole number"
_NUMBER = "{shown} is not a number"
_YES_NO = "{shown} is not yes or no; write true or false"
_KEYS = "must be a set of 'key: value' lines, not {kind_of}"

MESSAGES: dict[str, str] = {
    "missing": "is required",
    "extra_forbidden": "'{key}' is not a known field{hint}{listing}",
    "date_parsing": _NOT_A_DATE,
    "date_type": _NOT_A_DATE,
    "date_from_datetime_parsing": _NOT_A_DATE,
    "date_from_datetime_inexact": _NOT_A_DATE,
    "date_not_real": "{shown} is not a real date: {calendar}",
    "literal_error": "{shown} is not allowed; use {expected}",
    "int_parsing": _WHOLE,
    "int_type": _WHOLE,
    "int_from_float": _WHOLE,
    "float_parsing": _NUMBER,
    "float_type": _NUMBER,
    "greater_than": "{shown} is too small; use {gt} or more (strictly more)",
    "greater_than_equal": "{shown} is too small; use {ge} or more",
    "less_than": "{shown} is too large; use at most {lt}",
    "less_than_equal": "{shown} is too large; use at most {le}",
    "bool_parsing": _YES_NO,
    "bool_type": _YES_NO,
    "string_type": "must be text, not {kind_of}",
    "list_type": "must be a list (lines starting with '- '), not {kind_of}",
    "dict_type": _KEYS,
    "model_type": _KEYS,
    "model_attributes_type": _KEYS,
    "string_pattern_mismatch": (
        "{shown} must be lower-case letters, digits and _, starting with a letter, like quad_cane"
    ),
    "string_too_long": "is too long; at most {max_length} characters",
    "string_too_short": "must not be empty",
    "value_error": "{error}",
}
"""Pydantic's error types, in the words a clinician acts on; any other type keeps pydantic's own text.
Placeholders: the value as typed ({shown}), what it is ({kind_of}), pydantic's context (ge, le,
expected, max_length, error...) and, for an unknown key, {key}, {hint} and {listing}."""


def explain(err: Any, model: type[BaseModel]) -> str:
    """Plain words for one pydantic error, looked up in MESSAGES."""
    kind, value = err["type"], err.get("input")
    words: dict[str, Any] = {**(err.get("ctx") or {}), "shown": _shown(value), "kind_of": _kind_of(value)}
    if kind.startswith("date") and isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        kind, words["calendar"] = "date_not_real", _calendar(value.strip())
    if kind == "extra_forbidden":
        key = words["key"] = str(err["loc"][-1])
        allowed = _allowed_keys(model, err["loc"])
        words["hint"] = suggest(key, allowed) if allowed else ""
        words["listing"] = f" (allowed: {', '.join(allowed)})" if allowed and not words["hint"] else ""
    template = MESSAGES.get(kind)
    try:
        return template.format_map(words) if template else str(err["msg"])
    except (KeyError, IndexError, ValueError):
        return str(err["msg"])


def _calendar(value: str) -> str:
    """Why a YYYY-MM-DD date does not exist, in words: "November has 30 days"."""
    import calendar

    year, month, day = (int(part) for part in value.split("-"))
    if not 1 <= month <= 12:
        return f"there is no month {month}; the month comes second, as in 2026-11-23"
    days = calendar.monthrange(year, month)[1]
    return f"{calendar.month_name[month]} {year} has {days} days"


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "...'"


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a set of 'key: value' lines"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value)


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names valid at `loc`, found by walking the model's annotations."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return []
        current = _model_in(fields[part].annotation)
        if current is None:
            return []
    fields = getattr(current, "model_fields", None)
    return sorted(fields) if fields else []


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None
