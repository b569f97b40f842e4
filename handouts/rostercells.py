"""The exercises and devices cells of a spreadsheet roster, read into what a YAML record would say.

A cell reads `range_of_motion(mode=passive, times_per_day=2); aerobic(minutes=15); walker(wheels=true)`:
items separated by `;`, each with options in parentheses. A value holding a comma or a parenthesis is
put in double quotes: `aerobic(note="Slowly, with a friend")`. Anything else is refused with the item
and what would be right, since a half-read cell would print a handout that differs from the plan.
"""

from __future__ import annotations

from typing import Any

EXAMPLE = "aerobic(minutes=15, times_per_day=2); walker(wheels=true)"


class _CellError(ValueError):
    pass


def parse_items(cell: str) -> tuple[list[Any], list[str]]:
    """Items as YAML would give them (`'cane'` or `{'aerobic': {'minutes': '15'}}`), and any problems."""
    items: list[Any] = []
    problems: list[str] = []
    for number, text in enumerate(_split_items(cell), start=1):
        try:
            items.append(_item(text))
        except _CellError as exc:
            problems.append(f"item {number} '{text}': {exc}; write items like {EXAMPLE}")
    return items, problems


def _split_items(cell: str) -> list[str]:
    """Split on `;` outside quotes and parentheses; empty items (a trailing `;`) are dropped."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    quoted = False
    for ch in cell:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth = max(0, depth - 1)
        elif ch == ";" and not quoted and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


def _item(text: str) -> Any:
    if "(" not in text:
        if ")" in text or "=" in text or '"' in text:
            raise _CellError("options go in parentheses after the name")
        return text
    name, rest = text.split("(", 1)
    name = name.strip()
    if not name:
        raise _CellError("the name comes before the parentheses")
    options, tail = _options(rest)
    if tail.strip():
        raise _CellError(f"'{tail.strip()}' after ')' is not understood; separate items with ';'")
    return {name: options} if options else name


def _options(text: str) -> tuple[dict[str, str], str]:
    """Read `key=value, ...)`; return the options and whatever follows the closing parenthesis."""
    options: dict[str, str] = {}
    i, n = 0, len(text)
    while True:
        while i < n and text[i] == " ":
            i += 1
        if i < n and text[i] == ")" and not options:
            return options, text[i + 1 :]
        start = i
        while i < n and text[i] not in "=,)":
            i += 1
        key = text[start:i].strip()
        if i >= n:
            raise _CellError("no ')' closes the options")
        if text[i] != "=" or not key:
            raise _CellError(f"'{key or text[i]}' needs a value, as in {key or 'minutes'}=15")
        i += 1
        while i < n and text[i] == " ":
            i += 1
        if i < n and text[i] == '"':
            value, i = _quoted(text, i + 1)
        else:
            start = i
            while i < n and text[i] not in ",)":
                i += 1
            value = text[start:i].strip()
        if key in options:
            raise _CellError(f"'{key}' is given twice")
        options[key] = value
        while i < n and text[i] == " ":
            i += 1
        if i >= n:
            raise _CellError("no ')' closes the options")
        if text[i] == ")":
            return options, text[i + 1 :]
        if text[i] != ",":
            raise _CellError(f"expected ',' or ')' after {key}={value}")
        i += 1


def _quoted(text: str, i: int) -> tuple[str, int]:
    """A value in double quotes; two double quotes inside stand for one."""
    out: list[str] = []
    n = len(text)
    while i < n:
        if text[i] == '"':
            if i + 1 < n and text[i + 1] == '"':
                out.append('"')
                i += 2
                continue
            return "".join(out), i + 1
        out.append(text[i])
        i += 1
    raise _CellError("a quoted value has no closing '\"'")
