"""Read a clinic's roster, YAML or CSV, as a stream of patient records that remember where they came from.

Rosters come from spreadsheets and hospital systems and can hold thousands of patients, so they are
read one record at a time and memory stays flat. The whole file is first scanned once, cheaply, so a
roster that can't be read at all (not UTF-8, not YAML, no header) is refused before any handout is
printed. Each record keeps its CSV row or YAML position and line, so a bad one can be pointed at while
the others print.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from handouts.errors import HandoutError, Problem
from handouts.inputs.rostercsv import csv_records, csv_row_at, scan_csv
from handouts.inputs.yamlsource import MAX_DEPTH, Located, located_node

DEFAULTABLE = ("clinic", "therapist", "phone", "date", "layout")
"""What a YAML roster's `defaults:` may fill in; everything else belongs to one patient only."""

_CHUNK = 1 << 20


@dataclass
class Record:
    """One patient record of a roster, with what is needed to point at it."""

    located: Located
    row: int
    """CSV: the spreadsheet row (the header is row 1). YAML: the position in the list, from 1."""
    line: int | None
    csv: bool
    problems: list[Problem] = field(default_factory=list)
    """Problems found while reading the record itself (a CSV cell that can't be parsed, a YAML tag)."""

    @property
    def label(self) -> str:
        return f"row {self.row}" if self.csv else f"record {self.row}"

    def explain(self, problem: Problem) -> str:
        """`roster.csv: row 5: field: message` or `roster.yaml:14: record 3: field: message`."""
        what = f"{problem.field}: " if problem.field else ""
        if problem.file != self.located.file:  # not about the roster itself, e.g. a PDF that can't be written
            return f"{self.located.file}: {self.label}: {problem}"
        if self.csv:
            return f"{problem.file}: row {self.row}: {what}{problem.message}"
        line = problem.line if problem.line is not None else self.line
        return f"{problem.file}:{line}: record {self.row}: {what}{problem.message}"

    def text(self, key: str) -> str:
        """A field as written, for the manifest, even when the record is invalid."""
        value = self.located.data.get(key) if isinstance(self.located.data, dict) else None
        return value if isinstance(value, str) else ""


@dataclass
class Roster:
    path: Path
    count: int
    csv: bool
    delimiter: str = ","
    layouts: Path | None = None
    """The clinic's layouts folder, for a layout named in the defaults; none: the shipped layouts."""

    def __iter__(self) -> Iterator[Record]:
        if not self.csv:
            return _yaml_records(self)
        return (
            Record(located, row, line, csv=True, problems=problems)
            for row, line, located, problems in csv_records(self.path, self.delimiter)
        )


def open_roster(path: Path, layouts: Path | None = None) -> Roster:
    """Check that the roster can be read at all and count its records; raise a HandoutError if not."""
    shown = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".yaml", ".yml"):
        raise HandoutError(
            Problem(shown, "a roster is a .csv file (from a spreadsheet) or a .yaml file; rename it to match")
        )
    _check_text(path, csv=suffix == ".csv")
    if suffix == ".csv":
        delimiter, count = scan_csv(path)
        roster = Roster(path, count, csv=True, delimiter=delimiter)
    else:
        roster = Roster(path, _scan_yaml(path), csv=False)
    if roster.count == 0:
        raise HandoutError(Problem(shown, "has no patients in it"))
    roster.layouts = layouts
    return roster


def _check_text(path: Path, csv: bool = False) -> None:
    """UTF-8 text, with or without a byte-order mark; say plainly what else it is, and where."""
    shown = str(path)
    if path.is_dir():
        raise HandoutError(Problem(shown, "is a folder; give the roster file itself"))
    decoder = codecs.getincrementaldecoder("utf-8")()
    done = 0  # bytes before this chunk

    def at(offset: int, message: str) -> HandoutError:
        if csv:  # a spreadsheet row, as every other CSV error names it (a cell may span lines)
            return HandoutError(Problem(shown, f"row {csv_row_at(path, offset)}: {message}"))
        with path.open("rb") as f:
            return HandoutError(Problem(shown, message, f.read(offset).count(b"\n") + 1))

    try:
        with path.open("rb") as f:
            first = True
            while chunk := f.read(_CHUNK):
                if first and chunk[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
                    raise HandoutError(Problem(shown, "is UTF-16 text; save it as UTF-8 (in Excel: 'CSV UTF-8')"))
                first = False
                if b"\0" in chunk:
                    raise at(done + chunk.index(b"\0"), "contains a NUL byte; it is not a text file")
                held = decoder.getstate()[0]  # the start of a character split across two chunks
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    data = held + chunk
                    raise at(done - len(held) + exc.start, _not_utf8(data[exc.start : exc.start + 4])) from None
                done += len(chunk)
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                raise at(done - len(decoder.getstate()[0]), _not_utf8(b"")) from None
    except FileNotFoundError:
        raise HandoutError(Problem(shown, "no such roster file")) from None
    except OSError as exc:
        raise HandoutError(Problem(shown, f"can't read the roster: {exc.strerror}")) from None


def _not_utf8(sample: bytes) -> str:
    hint = ""
    if sample and sample[0] >= 0x80:
        letter = sample[:1].decode("cp1252", "replace")
        hint = (
            f" (it looks like Latin-1 or Windows-1252: '{letter}' is byte 0x{sample[0]:02X} there); "
            "in Excel use Save As > 'CSV UTF-8 (Comma delimited)'"
        )
    return "is not UTF-8 text" + (hint or "; save it as UTF-8")


# --- YAML --------------------------------------------------------------------------------------

_TOO_DEEP = f"nests lists or 'key: value' sets more than {MAX_DEPTH} levels deep; check the brackets"
_ROSTER_SHAPE = "a roster is a list of patients, or 'defaults:' followed by 'patients:' (a list)"


def _scan_yaml(path: Path) -> int:
    """Check the roster's outline and count its patients, with libyaml's event stream (fast, no tree)."""
    shown = str(path)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    depth = 0
    top = None
    count = 0
    key: str | None = None
    expecting_key = True
    seen: dict[str, int] = {}
    try:
        with path.open(encoding="utf-8-sig") as f:
            for event in yaml.parse(f, Loader=loader):
                if isinstance(event, yaml.DocumentStartEvent) and top is not None:
                    raise HandoutError(
                        Problem(shown, "holds more than one YAML document ('---'); keep one", _line(event))
                    )
                if isinstance(event, yaml.CollectionEndEvent):
                    depth -= 1
                    continue
                if not isinstance(event, yaml.NodeEvent):
                    continue
                if depth == 0:
                    top = "list" if isinstance(event, yaml.SequenceStartEvent) else "map"
                    if not isinstance(event, yaml.CollectionStartEvent):
                        raise HandoutError(Problem(shown, _ROSTER_SHAPE, _line(event)))
                elif depth == 1 and top == "list":
                    count += 1
                elif depth == 1 and expecting_key:
                    key = event.value if isinstance(event, yaml.ScalarEvent) else None
                    _check_top_key(key, seen, shown, _line(event))
                    seen[str(key)] = _line(event)
                    expecting_key = False
                elif depth == 1:
                    wanted = yaml.SequenceStartEvent if key == "patients" else yaml.MappingStartEvent
                    if not isinstance(event, wanted):
                        what = "a list of patients" if key == "patients" else "a set of 'key: value' lines"
                        raise HandoutError(Problem(shown, f"must be {what}", _line(event), key))
                    expecting_key = True
                elif depth == 2 and key == "patients":
                    count += 1
                if isinstance(event, yaml.CollectionStartEvent):
                    depth += 1
                    if depth > MAX_DEPTH + 2:
                        raise HandoutError(Problem(shown, _TOO_DEEP, _line(event)))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or exc.context or "invalid YAML"
        raise HandoutError(Problem(shown, f"not valid YAML: {reason}", mark.line + 1 if mark else None)) from None
    except yaml.YAMLError as exc:
        raise HandoutError(Problem(shown, f"not valid YAML: {exc}")) from None
    if top == "map" and "patients" not in seen:
        raise HandoutError(Problem(shown, _ROSTER_SHAPE + "; 'patients:' is missing"))
    return count


def _line(event: yaml.Event) -> int:
    assert event.start_mark is not None  # PyYAML marks every event
    return event.start_mark.line + 1


def _check_top_key(key: str | None, seen: dict[str, int], shown: str, line: int) -> None:
    from handouts.inputs.validation import suggest

    if not seen and key in _patient_fields():
        raise HandoutError(
            Problem(shown, f"this is one patient file, not a roster; use `python generate.py handout {shown}`", line)
        )
    if key not in ("defaults", "patients"):
        hint = suggest(str(key), ["defaults", "patients"]) if key else ""
        raise HandoutError(Problem(shown, f"'{key}' is not part of a roster{hint}; {_ROSTER_SHAPE}", line))
    if key in seen:
        raise HandoutError(Problem(shown, f"'{key}' is given twice (first on line {seen[key]})", line))
    if key == "defaults" and "patients" in seen:
        raise HandoutError(Problem(shown, "put 'defaults:' above 'patients:'", line))


def _patient_fields() -> list[str]:
    from handouts.inputs.patient import PATIENT_FIELDS

    return list(PATIENT_FIELDS)


def _yaml_records(roster: Roster) -> Iterator[Record]:
    shown = str(roster.path)
    with roster.path.open(encoding="utf-8-sig") as f:
        loader = yaml.SafeLoader(f)
        try:
            yield from _yaml_stream(loader, shown, roster.layouts)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            reason = exc.problem or exc.context or "invalid YAML"
            line = mark.line + 1 if mark else None
            raise HandoutError(Problem(shown, f"not valid YAML: {reason}", line)) from None
        finally:
            loader.dispose()


def _yaml_stream(loader: yaml.SafeLoader, shown: str, layouts: Path | None = None) -> Iterator[Record]:
    loader.get_event()  # stream start
    loader.get_event()  # document start
    if loader.check_event(yaml.SequenceStartEvent):
        loader.get_event()
        yield from _yaml_items(loader, shown, None)
        return
    loader.get_event()  # mapping start: the outline was checked by _scan_yaml
    defaults: Located | None = None
    while not loader.check_event(yaml.MappingEndEvent):
        key = _node(loader).value
        if key == "defaults":
            defaults = check_defaults(located_node(_node(loader), shown), layouts)
        else:
            loader.get_event()  # the patients list starts
            yield from _yaml_items(loader, shown, defaults)


def _node(loader: yaml.SafeLoader) -> yaml.Node:
    """The next whole node of the stream (PyYAML's stubs ask for an index it does not use here)."""
    node = loader.compose_node(None, None)  # type: ignore[arg-type]
    assert node is not None
    return node


def _yaml_items(loader: yaml.SafeLoader, shown: str, defaults: Located | None) -> Iterator[Record]:
    index = 0
    while not loader.check_event(yaml.SequenceEndEvent):
        index += 1
        node = _node(loader)
        line = node.start_mark.line + 1
        try:
            located = located_node(node, shown)
            problems = []
        except HandoutError as exc:
            located, problems = Located({}, shown, {(): line}), exc.problems
        if defaults is not None and isinstance(located.data, dict):
            for key, value in defaults.data.items():
                if located.data.get(key) is None:
                    located.data[key] = value
                    located.lines[(key,)] = defaults.lines[(key,)]
        yield Record(located, index, line, csv=False, problems=problems)
    loader.get_event()


def check_defaults(defaults: Located, layouts: Path | None = None) -> Located:
    """Refuse defaults that would print a wrong handout for everyone, before any is printed."""
    from handouts.inputs.patient import PatientFile
    from handouts.inputs.validation import validate

    shown = defaults.file
    if defaults.data is None:
        return Located({}, shown, {})
    if not isinstance(defaults.data, dict):
        raise HandoutError(Problem(shown, "must be a set of 'key: value' lines", defaults.line_of(()), "defaults"))
    problems = [
        Problem(
            shown,
            f"'{key}' can't be a default, only {', '.join(DEFAULTABLE)}; give it in each patient's record",
            defaults.line_of((key,)),
            f"defaults.{key}",
        )
        for key in defaults.data
        if key not in DEFAULTABLE
    ]
    if problems:
        raise HandoutError(problems)
    from handouts.inputs.layout import LAYOUTS_DIR, layout_problems

    line = defaults.line_of(("layout",))
    unknown = layout_problems(defaults.data.get("layout"), shown, line, "defaults.layout", layouts or LAYOUTS_DIR)
    if unknown:
        raise HandoutError(unknown)
    probe = Located({"name": "x", "patient_id": "x", **defaults.data}, shown, defaults.lines)
    try:
        validate(PatientFile, probe, "defaults")
    except HandoutError as exc:
        raise HandoutError(
            [Problem(p.file, p.message, p.line, f"defaults.{p.field}" if p.field else "defaults") for p in exc.problems]
        ) from None
    return defaults
