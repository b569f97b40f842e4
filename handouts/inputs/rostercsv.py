"""A spreadsheet roster (CSV, as Excel and hospital systems export it) read into what YAML records say.

One row per patient, columns named as the patient fields. Excel writes a byte-order mark, CRLF line
ends, `;` between fields in many countries and empty rows at the end: all are read the same as a plain
file. The exercises and devices cells read
`range_of_motion(mode=passive, times_per_day=2); aerobic(minutes=15); walker(wheels=true)`:
items separated by `;`, each with options in parentheses. A value holding a comma or a parenthesis is
put in double quotes: `aerobic(note="Slowly, with a friend")`. Anything else is refused with the item
and what would be right, since a half-read cell would print a handout that differs from the plan.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

from handouts.errors import HandoutError, Problem
from handouts.inputs.yamlsource import Located

LIST_COLUMNS = ("exercises", "devices")

EXAMPLE = "aerobic(minutes=15, times_per_day=2); walker(wheels=true)"


def _columns() -> list[str]:
    from handouts.inputs.patient import PATIENT_FIELDS  # pydantic loads only when a roster is read

    return [*PATIENT_FIELDS, "previous"]  # previous: the patient's previous handout (handouts/batch/previous.py)


COMMON_HEADERS = {
    "full_name": "name",
    "dob": "birth_date",
    "date_of_birth": "birth_date",
    "birthdate": "birth_date",
    "mrn": "patient_id",
    "id": "patient_id",
    "medical_record_number": "patient_id",
}
"""Headers hospital systems often export, and the field each most likely means: only ever suggested."""
_NAME_PARTS = ("first_name", "last_name", "given_name", "family_name", "surname", "middle_name")


def _normal(header: str) -> str:
    return "_".join(header.strip().lower().replace("-", " ").split())


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def csv_row_at(raw: bytes, offset: int) -> int:
    """The spreadsheet row holding byte `offset` of the file, counted as the rows of a roster are.

    Only used on the way to an error message about a file that is not clean text, so the bytes before
    the offset are decoded with undecodable ones replaced.
    """
    text = raw[:offset].decode("utf-8-sig", "replace")
    reader = csv.reader(io.StringIO(text + "X", newline=""), delimiter=_delimiter(text.split("\n", 1)[0]))
    rows = 0
    try:
        for _ in reader:
            rows += 1
    except csv.Error:
        rows += 1
    return rows


def scan_csv(text: str, shown: str) -> tuple[str, int]:
    """The field separator, from the header line, and the number of patient rows; refuse a bad header,
    a quote left open and a row whose cells don't match the header's columns."""
    delimiter = _delimiter(text.split("\n", 1)[0])
    known = _columns()
    count = 0
    for row_no, _line, cells in _rows(text, shown, delimiter):
        if row_no == 1:
            _check_header(cells, known, shown)
        elif any(c.strip() for c in cells):
            count += 1
    return delimiter, count


def _check_header(cells: list[str], known: list[str], shown: str) -> None:
    names = [_normal(c) for c in cells]
    problems = []
    for i, name in enumerate(names):
        if not name:
            continue
        if name not in known:
            problems.append(
                Problem(
                    shown,
                    f"row 1: column {i + 1} '{cells[i].strip()}' is not a patient field{_hint(name, known)} "
                    f"(columns: {', '.join(known)})",
                )
            )
        elif name in names[:i]:
            problems.append(Problem(shown, f"row 1: column '{name}' appears twice; keep one"))
    if "name" not in names:
        problems.append(Problem(shown, "row 1: the first row must name the columns, with a 'name' column"))
    if problems:
        raise HandoutError(problems)


def _hint(header: str, known: list[str]) -> str:
    """What an unknown header most likely means: a common export header, a field after 'patient ', or
    the nearest spelling. The column is never renamed: a wrong guess would print a wrong handout."""
    from handouts.inputs.validation import suggest

    if header in _NAME_PARTS:
        return "; put the whole name, as it should be printed, in one 'name' column"
    bare = header.removeprefix("patient_")
    guess = COMMON_HEADERS.get(header) or COMMON_HEADERS.get(bare) or (bare if bare in known else None)
    return f"; did you mean '{guess}'?" if guess else suggest(header, known)


def _rows(text: str, shown: str, delimiter: str) -> Iterator[tuple[int, int, list[str]]]:
    """(spreadsheet row, first line, cells) for every row, the header included.

    A row with more or fewer cells than the header, or a quote that is never closed, is refused for the
    whole roster: either means the rows are not what the spreadsheet showed (a quote left open in a
    notes cell would read every later patient into that cell), so no record can be trusted.
    """
    _refuse_bare_quotes(text, shown, delimiter)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line, row, columns = 1, 0, 0
    try:
        for cells in reader:
            row += 1
            columns = columns or len(cells)
            if cells and len(cells) != columns and any(c.strip() for c in cells):
                raise HandoutError(Problem(shown, _miscount(row, line, reader.line_num, len(cells), columns)))
            yield row, line, cells
            line = reader.line_num + 1
    except csv.Error as exc:
        if "end of data" in str(exc):
            message = (
                f'row {row + 1}: a quote (") opened in this row (line {line}) is never closed, so every line '
                'after it would be read into one cell; close it, or write a quote inside a cell as two ("")'
            )
        else:
            message = (
                f"row {row + 1}: can't be read as CSV ({exc}); a cell that holds a quote (\") is put in "
                'quotes, with the quote doubled ("")'
            )
        raise HandoutError(Problem(shown, message)) from None


def _refuse_bare_quotes(text: str, shown: str, delimiter: str) -> None:
    """Refuse a quote (") inside a cell that does not start with one. A spreadsheet saving CSV puts any
    cell holding a quote in quotes, so a bare one means the file was written some other way, and its
    quotes can't be trusted to mark where a cell ends: one in a name can pair with one rows later and
    read the rows between into a notes cell, another patient's name with them."""
    cell = re.compile(rf'"(?:[^"]|"")*"|[^"{re.escape(delimiter)}\r\n]*')
    pos, end = 0, len(text)
    while pos < end:
        start, pos = pos, cell.match(text, pos).end()  # type: ignore[union-attr]  # it matches the empty string
        if pos == start and text.startswith('"', pos):
            return  # a quote opened and never closed: the reader names the row where it opened
        if pos < end and text[pos] == '"':
            line = text.count("\n", 0, pos) + 1  # lines, not rows: a quoted cell may hold line breaks
            raise HandoutError(
                Problem(
                    shown,
                    "a quote (\") inside a cell that does not start with one, so the quotes can't show where "
                    "cells end; save the file as CSV from the spreadsheet, or put the cell in quotes and "
                    'write its quote as two ("")',
                    line,
                )
            )
        pos += 1  # past the separator or line break


def _miscount(row: int, first: int, last: int, cells: int, columns: int) -> str:
    where = f"lines {first} to {last}" if last > first else f"line {first}"
    why = (
        '; a quote (") opened in it and closed rows later may have joined several rows into one cell'
        if last > first
        else "; check for a missing or extra separator, or a cell with a separator that is not in quotes"
    )
    return f"row {row} ({where}) has {cells} cells but the first row names {columns} columns{why}"


def csv_records(text: str, shown: str, delimiter: str) -> Iterator[tuple[int, int, Located, list[Problem]]]:
    """(spreadsheet row, line, record, problems reading it) for each patient row."""
    header: list[str] = []
    for row, line, cells in _rows(text, shown, delimiter):
        if row == 1:
            header = [_normal(c) for c in cells]
            continue
        if not any(c.strip() for c in cells):
            continue  # Excel's trailing empty rows, or a separator line: not a patient
        yield _csv_record(header, cells, shown, row, line)


def _csv_record(
    header: list[str], cells: list[str], shown: str, row: int, line: int
) -> tuple[int, int, Located, list[Problem]]:
    data: dict[str, Any] = {}
    lines: dict[tuple[str | int, ...], int] = {(): line}
    problems: list[Problem] = []
    for i, cell in enumerate(cells):
        value = cell.strip()
        if not value:
            continue
        name = header[i] if i < len(header) else ""
        if not name:
            problems.append(Problem(shown, f"column {i + 1} has a value but no name in the first row", line))
            continue
        lines[(name,)] = line
        if name in LIST_COLUMNS:
            items, messages = parse_items(value)
            data[name] = items
            for k in range(len(items)):
                lines[(name, k)] = line
            problems += [Problem(shown, m, line, name) for m in messages]
        else:
            data[name] = value
    return row, line, Located(data, shown, lines), problems


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
    i = _spaces(text, 0)
    while True:
        if i < len(text) and text[i] == ")":  # `stretching()`, or a trailing comma: `aerobic(minutes=15,)`
            return options, text[i + 1 :]
        key, i = _option_key(text, i)
        value, i = _option_value(text, _spaces(text, i))
        if key.lower() in map(str.lower, options):  # option names, like item names, ignore capitals
            raise _CellError(f"'{key}' is given twice")
        options[key] = value
        i = _spaces(text, i)
        if i >= len(text):
            raise _CellError("no ')' closes the options")
        if text[i] == ")":
            return options, text[i + 1 :]
        if text[i] != ",":
            raise _CellError(f"expected ',' or ')' after {key}={value}")
        i = _spaces(text, i + 1)


def _spaces(text: str, i: int) -> int:
    """The index of the first character at or after i that is not a space."""
    while i < len(text) and text[i] == " ":
        i += 1
    return i


def _option_key(text: str, i: int) -> tuple[str, int]:
    """An option's name and the index just after its '='."""
    start = i
    while i < len(text) and text[i] not in "=,)":
        i += 1
    key = text[start:i].strip()
    if i >= len(text):
        raise _CellError("no ')' closes the options")
    if text[i] == "=" and not key:
        value = re.split(r"[,)]", text[i + 1 :], maxsplit=1)[0].strip()
        like = f"minutes={value}" if value.isdigit() else f"mode={value or 'passive'}"
        raise _CellError(f"'={value}' has no option name before the '='; write name=value, like {like}")
    if text[i] != "=" or not key:
        raise _CellError(f"'{key or text[i]}' needs a value, as in {key or 'minutes'}=15")
    return key, i + 1


def _option_value(text: str, i: int) -> tuple[str, int]:
    """An option's value, in double quotes or up to the next ',' or ')', and the index after it."""
    if i < len(text) and text[i] == '"':
        return _quoted(text, i + 1)
    start = i
    while i < len(text) and text[i] not in ",)":
        i += 1
    return text[start:i].strip(), i


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
