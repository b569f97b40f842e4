"""Turn pydantic's errors into problems a clinician can act on: file, line, field, what is allowed.

Shared by the content, layout and patient loaders so every input speaks with one voice.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from handouts.errors import HandoutError, Problem
from handouts.inputs.yamlsource import Located, dotted

M = TypeVar("M", bound=BaseModel)


def suggest(word: str, choices: Iterable[str]) -> str:
    """ "; did you mean 'cane'?" for a near miss, or nothing."""
    close = difflib.get_close_matches(str(word).lower(), list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def validate(model: type[M], located: Located, what: str) -> M:
    """Validate `located.data` as `model`, or raise every problem at once with its line."""
    if not isinstance(located.data, dict):
        raise HandoutError(Problem(located.file, f"a {what} must be a set of 'key: value' lines", located.line_of(())))
    try:
        valid = model.model_validate(located.data)
    except ValidationError as exc:
        raise HandoutError([*located.problems, *problems_from(exc, located, model)]) from None
    if located.problems:
        raise HandoutError(located.problems)
    return valid


def problems_from(exc: ValidationError, located: Located, model: type[BaseModel]) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        problems.append(Problem(located.file, explain(err, model), located.line_of(loc), dotted(loc) or None))
    return problems


def explain(err: Any, model: type[BaseModel]) -> str:
    """Plain words for the errors people make; pydantic's own text for the rest."""
    kind, value = err["type"], err.get("input")
    ctx = err.get("ctx") or {}
    shown = _shown(value)
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        key = str(err["loc"][-1])
        allowed = _allowed_keys(model, err["loc"])
        hint = suggest(key, allowed) if allowed else ""
        listing = f" (allowed: {', '.join(allowed)})" if allowed and not hint else ""
        return f"'{key}' is not a known field{hint}{listing}"
    if kind in {"date_from_datetime_parsing", "date_parsing", "date_type", "date_from_datetime_inexact"}:
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            return f"{shown} is not a real date: {_calendar(value.strip())}"
        return f"{shown} is not a date; write it as YYYY-MM-DD, for example 2026-11-23"
    if kind == "literal_error":
        return f"{shown} is not allowed; use {ctx.get('expected', 'one of the listed values')}"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return f"{shown} is not a whole number"
    if kind in {"float_parsing", "float_type"}:
        return f"{shown} is not a number"
    if kind in {"greater_than", "greater_than_equal"}:
        return f"{shown} is too small; use {ctx.get('gt', ctx.get('ge'))} or more" + (
            "" if "ge" in ctx else " (strictly more)"
        )
    if kind in {"less_than", "less_than_equal"}:
        return f"{shown} is too large; use at most {ctx.get('le', ctx.get('lt'))}"
    if kind in {"bool_parsing", "bool_type"}:
        return f"{shown} is not yes or no; write true or false"
    if kind == "string_type":
        return f"must be text, not {_kind_of(value)}"
    if kind in {"list_type"}:
        return f"must be a list (lines starting with '- '), not {_kind_of(value)}"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return f"must be a set of 'key: value' lines, not {_kind_of(value)}"
    if kind == "string_pattern_mismatch":
        return f"{shown} must be lower-case letters, digits and _, starting with a letter, like quad_cane"
    if kind == "string_too_long":
        return f"is too long; at most {ctx.get('max_length')} characters"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
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
