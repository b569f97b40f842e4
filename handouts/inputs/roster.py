"""Read a clinic's roster, YAML or CSV, as a stream of patient records that remember where they came from.

The roster is read once, whole, into memory (at most MAX_ROSTER_BYTES), before anything is written:
a file changed, truncated or overwritten while the batch runs can't change what it prints, and a roster
that can't be read at all (not UTF-8, not YAML, no header, a row that doesn't match the header) is
refused before any handout is printed. Records are then parsed one at a time from that text, so memory
for the parsed records stays flat. Each record keeps its CSV row or YAML position and line, so a bad
one can be pointed at while the others print.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from handouts.errors import HandoutError, Problem
from handouts.inputs.rostercsv import csv_records, csv_row_at, scan_csv
from handouts.inputs.textfile import decode, read_bytes
from handouts.inputs.yamlsource import (
    MAX_DEPTH,
    TOO_DEEP,
    Loader,
    Located,
    located_node,
    yaml_errors,
)

DEFAULTABLE = ("clinic", "therapist", "phone", "date", "layout", "language")
"""What a YAML roster's `defaults:` may fill in; everything else belongs to one patient only."""

MAX_ROSTER_BYTES = 50_000_000
"""About 200,000 patients: a roster is read whole into memory, so it has a bound."""


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
        where = problem.file if line is None else f"{problem.file}:{line}"  # a PDF that can't be read
        return f"{where}: record {self.row}: {what}{problem.message}"

    def text(self, key: str) -> str:
        """A field as written, for the manifest, even when the record is invalid."""
        value = self.located.data.get(key) if isinstance(self.located.data, dict) else None
        return value if isinstance(value, str) else ""


@dataclass
class Roster:
    path: Path
    count: int
    csv: bool
    text: str
    """The whole roster, read once: every record comes from this, never from the file again."""
    delimiter: str = ","
    layouts: Path | None = None
    """The clinic's layouts folder, for a layout named in the defaults; none: the shipped layouts."""
    pdfs: tuple[Path, ...] = ()
    """A folder of handouts given as the roster: each PDF's own patient file is a record."""

    def __iter__(self) -> Iterator[Record]:
        if self.pdfs:
            return _pdf_records(self.pdfs)
        if not self.csv:
            return _yaml_records(self)
        return (
            Record(located, row, line, csv=True, problems=problems)
            for row, line, located, problems in csv_records(self.text, str(self.path), self.delimiter)
        )


def open_roster(path: Path, layouts: Path | None = None) -> Roster:
    """Read the roster whole, check that it can be read at all and count its records; raise a
    HandoutError if not."""
    shown = str(path)
    suffix = path.suffix.lower()
    if path.is_dir() and not any(path.glob("*.ndjson")):  # a folder of handouts printed here
        return _pdf_folder(path)
    if path.is_dir() or suffix == ".json":  # FHIR R4: a Bundle, or a Bulk Data folder (docs/fhir.md)
        from handouts.fhir.read import open_fhir

        return open_fhir(path)  # type: ignore[return-value]  # the same records, said at FHIR paths
    if suffix not in (".csv", ".yaml", ".yml"):
        raise HandoutError(
            Problem(
                shown,
                "a roster is a .csv file (from a spreadsheet), a .yaml file, or FHIR (a .json Bundle or a "
                "Bulk Data folder); rename it to match",
            )
        )
    csv = suffix == ".csv"
    # A CSV problem is said as a spreadsheet row, as every other CSV error is (a cell may span lines).
    text = decode(read_bytes(path, "roster", MAX_ROSTER_BYTES), shown, csv_row_at if csv else None)
    if csv:
        delimiter, count = scan_csv(text, shown)
        roster = Roster(path, count, csv=True, text=text, delimiter=delimiter)
    else:
        roster = Roster(path, _scan_yaml(text, shown), csv=False, text=text)
    if roster.count == 0:
        raise HandoutError(Problem(shown, "has no patients in it"))
    roster.layouts = layouts
    return roster


def _pdf_folder(path: Path) -> Roster:
    """A folder of handouts to print again (or with what changed): its PDFs in name order."""
    pdfs = tuple(sorted(p for p in path.iterdir() if p.suffix.lower() == ".pdf" and not p.name.startswith(".")))
    if not pdfs:
        raise HandoutError(
            Problem(
                str(path),
                "is a folder with no handouts (.pdf) in it, nor FHIR Bulk Data (.ndjson); "
                "a roster is a .csv or .yaml file, a FHIR Bundle (.json), or such a folder",
            )
        )
    return Roster(path, len(pdfs), csv=False, text="", pdfs=pdfs)


def _pdf_records(pdfs: tuple[Path, ...]) -> Iterator[Record]:
    """Each handout's embedded patient file, read when its turn comes; one that can't be read fails alone."""
    from handouts.inputs.pdfplan import read_plan_pdf

    for row, pdf in enumerate(pdfs, 1):
        try:
            located, problems = read_plan_pdf(pdf), []
        except HandoutError as exc:
            located, problems = Located(None, str(pdf)), exc.problems  # nothing to check: run.py says only why
        yield Record(located, row, None, csv=False, problems=problems)


# --- YAML --------------------------------------------------------------------------------------

_ROSTER_SHAPE = "a roster is a list of patients, or 'defaults:' followed by 'patients:' (a list)"


def _scan_yaml(text: str, shown: str) -> int:
    """Check the roster's outline and count its patients, with libyaml's event stream (fast, no tree).

    A YAML mistake is said in the same words as in a patient file: the pure-Python parser, which the
    plain-language table is written for, reads the text again to name it."""
    try:
        count = _outline(text, shown)
    except yaml.YAMLError as exc:
        with yaml_errors(shown, text):
            for _ in yaml.parse(text, Loader=yaml.SafeLoader):
                pass
            raise exc from None  # libyaml alone saw a problem: its own words, with the line
    if "*" in text:  # maybe aliases: what they repeat is counted over the whole file, before any output
        with yaml_errors(shown, text):
            loader = Loader(text)
            try:
                loader.get_single_node()
            finally:
                loader.dispose()
    return count


def _outline(text: str, shown: str) -> int:
    """The number of patients, from the roster's outline alone (PyYAML's events, no values built);
    raises at the first thing that makes it no roster: a second document, the wrong shape, a wrong or
    repeated top-level key, nesting deeper than any patient file."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    outline = _Outline(shown)
    for event in yaml.parse(text, Loader=loader):
        outline.read(event)
    if outline.top == "map" and "patients" not in outline.seen:
        raise HandoutError(Problem(shown, _ROSTER_SHAPE + "; 'patients:' is missing"))
    return outline.count


@dataclass
class _Outline:
    """Where the roster's outline is, event by event: a list of patients, or `defaults:` and `patients:`."""

    shown: str
    depth: int = 0
    top: str | None = None
    """Either "list" or "map", once the document has started."""
    count: int = 0
    key: str | None = None
    """The top-level key whose value is being read."""
    expecting_key: bool = True
    seen: dict[str, int] = field(default_factory=dict)
    """Top-level keys -> their line."""

    def read(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent) and self.top is not None:
            raise HandoutError(Problem(self.shown, "holds more than one YAML document ('---'); keep one", _line(event)))
        if isinstance(event, yaml.CollectionEndEvent):
            self.depth -= 1
            return
        if not isinstance(event, yaml.NodeEvent):
            return
        if self.depth == 0:
            self._document(event)
        elif self.depth == 1:
            self._top_level(event)
        elif self.depth == 2 and self.key == "patients":
            self.count += 1
        if isinstance(event, yaml.CollectionStartEvent):
            self.depth += 1
            if self.depth > MAX_DEPTH + 2:
                raise HandoutError(Problem(self.shown, TOO_DEEP, _line(event)))

    def _document(self, event: yaml.NodeEvent) -> None:
        self.top = "list" if isinstance(event, yaml.SequenceStartEvent) else "map"
        if not isinstance(event, yaml.CollectionStartEvent):
            raise HandoutError(Problem(self.shown, _ROSTER_SHAPE, _line(event)))

    def _top_level(self, event: yaml.NodeEvent) -> None:
        """A patient of a list roster; or a key of a mapping roster, then its value."""
        if self.top == "list":
            self.count += 1
        elif self.expecting_key:
            self.key = event.value if isinstance(event, yaml.ScalarEvent) else None
            _check_top_key(self.key, self.seen, self.shown, _line(event))
            self.seen[str(self.key)] = _line(event)
            self.expecting_key = False
        else:
            wanted = yaml.SequenceStartEvent if self.key == "patients" else yaml.MappingStartEvent
            if not isinstance(event, wanted):
                what = "a list of patients" if self.key == "patients" else "a set of 'key: value' lines"
                raise HandoutError(Problem(self.shown, f"must be {what}", _line(event), self.key))
            self.expecting_key = True


def _line(event: yaml.Event) -> int:
    mark = event.start_mark
    return mark.line + 1 if mark else 1


def _node(loader: Loader) -> yaml.Node:
    """The next node of a collection, which is always there (the collection has not ended)."""
    node = loader.compose_node(None, None)
    assert node is not None
    return node


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
        raise HandoutError(Problem(shown, f"'{key}' is given twice (first on line {seen[key]}); keep one", line))
    if key == "defaults" and "patients" in seen:
        raise HandoutError(Problem(shown, "put 'defaults:' above 'patients:'", line))


def _patient_fields() -> list[str]:
    from handouts.inputs.patient import PATIENT_FIELDS

    return list(PATIENT_FIELDS)


def _yaml_records(roster: Roster) -> Iterator[Record]:
    """Records composed one at a time from the text; aliases are counted across the whole file."""
    shown = str(roster.path)
    with yaml_errors(shown, roster.text):
        loader = Loader(roster.text)
        try:
            yield from _yaml_stream(loader, shown, roster.layouts)
        finally:
            loader.dispose()


def _yaml_stream(loader: Loader, shown: str, layouts: Path | None = None) -> Iterator[Record]:
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


def _yaml_items(loader: Loader, shown: str, defaults: Located | None) -> Iterator[Record]:
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
