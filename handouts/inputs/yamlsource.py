"""Read YAML the way people type it, keeping where every value came from.

PyYAML's own loaders turn `004211` into 4211, `no` into False and silently keep the last of two
duplicate keys. A patient identifier must never change, so we compose the node tree ourselves and
keep every scalar as the text that was written; pydantic then parses the few fields that are really
numbers, booleans or dates. Every key and list item remembers its line, so an error can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from handouts.errors import HandoutError, Problem

MAX_FILE_BYTES = 2_000_000
"""Patient files are a few hundred bytes and content.yaml a few kilobytes; anything this big is a mistake."""

MAX_NODES = 200_000
"""Caps alias expansion, so a 'billion laughs' document is refused in milliseconds."""

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}

Path_ = tuple[str | int, ...]


@dataclass
class Located:
    """Plain data (dicts, lists, str, None) plus the line of each key and list item."""

    data: Any
    file: str
    lines: dict[Path_, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    """Problems found while reading (a duplicate key, a tag), kept when the caller validates the data
    next, so that one run reports them together with every other problem in the file."""

    def line_of(self, loc: Path_) -> int | None:
        """The line of the deepest known part of `loc`; errors inside a value point at its key."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return None

    def child(self, key: str | int) -> Located:
        """The part under `key`, with its lines, for validating one record of a roster on its own."""
        lines = {p[1:]: n for p, n in self.lines.items() if p[:1] == (key,)}
        return Located(self.data[key], self.file, lines)


def read_text(path: Path, what: str) -> str:
    """Read a UTF-8 text file or raise a user error that says what is wrong with it."""
    shown = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise HandoutError(Problem(shown, f"no such {what} file")) from None
    except OSError as exc:
        raise HandoutError(Problem(shown, f"can't read the {what} file: {exc.strerror}")) from None
    if path.is_dir():
        raise HandoutError(Problem(shown, f"is a folder; give the {what} file itself"))
    if size > MAX_FILE_BYTES:
        raise HandoutError(Problem(shown, f"is {size:,} bytes; a {what} file may be at most {MAX_FILE_BYTES:,} bytes"))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise HandoutError(Problem(shown, f"can't read the {what} file: {exc.strerror}")) from None
    return decode(raw, shown)


def decode(raw: bytes, shown: str) -> str:
    """UTF-8, with or without the byte-order mark some editors write; anything else names its line."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise HandoutError(
            Problem(shown, "is not UTF-8 text; save it as UTF-8 (most editors offer this)", line)
        ) from None


def load_yaml(path: Path, what: str, keep_going: bool = False) -> Located:
    """Load one YAML file safely, with lines; every problem is a HandoutError naming the file.

    With `keep_going`, problems in well-formed YAML (a duplicate key keeps its first value) are left in
    `Located.problems` for `validation.validate` to report with the rest.
    """
    return parse_yaml(read_text(path, what), str(path), keep_going)


def parse_yaml(text: str, shown: str, keep_going: bool = False) -> Located:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.reader.ReaderError as exc:
        # A raw control character: PyYAML reports a character offset, people need a line.
        line: int | None = text[: exc.position].count("\n") + 1
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        raise HandoutError(
            Problem(
                shown,
                f"contains the invisible character U+{ord(char[:1] or '?'):04X}, which can't be printed; remove it",
                line,
            )
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line + 1 != line:
            reason += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
        hint = next((h for clue, h in _HINTS if clue in reason), "")
        if hint and "quoted scalar" in reason and exc.context_mark and exc.context_mark.line + 1 != line:
            hint += f" (it starts on line {exc.context_mark.line + 1})"  # where the quote was opened
        raise HandoutError(Problem(shown, f"not valid YAML: {hint or reason}", line)) from None
    except yaml.YAMLError as exc:
        raise HandoutError(Problem(shown, f"not valid YAML: {exc}")) from None
    except RecursionError:
        raise HandoutError(Problem(shown, _TOO_DEEP)) from None
    located = Located(None, shown)
    if root is None:
        return located
    builder = _Builder(shown, located.lines)
    located.data = builder.build(root, ())
    if builder.problems and not keep_going:
        raise HandoutError(builder.problems)
    located.problems = builder.problems
    return located


_HINTS = (
    ("'\\t'", "a tab is used to indent this line; indent with spaces only"),
    (
        "mapping values are not allowed",
        "a ':' that doesn't fit here; check that this line is indented like "
        "the lines around it, and put a value that contains ': ' in quotes",
    ),
    (
        "expected <block end>",
        "this line is indented differently from the lines above it; items of one "
        "list, or keys of one set, start at the same column",
    ),
    (
        "could not find expected ':'",
        "a line that is not 'key: value'; check for a missing ':' or a line that belongs to the line above",
    ),
    ("while scanning a quoted scalar", "a quote is opened and never closed"),
)
"""PyYAML's words for the mistakes people make, said in terms of what to change."""

MAX_DEPTH = 20
"""Patient files nest three levels deep; deeper nesting is a mistake, and very deep nesting an attack."""

_TOO_DEEP = f"nests lists or 'key: value' sets more than {MAX_DEPTH} levels deep; check the brackets"


def located_node(node: yaml.Node, shown: str) -> Located:
    """One already composed node (a record of a roster read as a stream) as located data.

    Lines stay those of the whole file, so a record's errors point at the roster's own lines.
    """
    located = Located(None, shown, {(): node.start_mark.line + 1})
    builder = _Builder(shown, located.lines)
    located.data = builder.build(node, ())
    if builder.problems:
        raise HandoutError(builder.problems)
    return located


class _Builder:
    def __init__(self, shown: str, lines: dict[Path_, int]) -> None:
        self.shown = shown
        self.lines = lines
        self.nodes = 0
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise HandoutError(
                Problem(
                    self.shown,
                    f"expands to more than {MAX_NODES:,} values (anchors and aliases repeated); "
                    "write the values out instead",
                    node.start_mark.line + 1,
                )
            )
        line = node.start_mark.line + 1
        if len(path) > MAX_DEPTH:
            raise HandoutError(Problem(self.shown, _TOO_DEEP, line, _dotted(path[:1])))
        if node.tag not in _ALLOWED_TAGS and not (node.tag == "!" or node.tag.startswith(_CORE + "merge")):
            self.problems.append(
                Problem(
                    self.shown,
                    f"the tag '{_short_tag(node.tag)}' is not allowed; remove it",
                    line,
                    _dotted(path),
                )
            )
            return None
        if isinstance(node, yaml.ScalarNode):
            # An empty plain value means "nothing here"; everything else stays the literal text.
            if node.value == "" and node.style is None:
                return None
            return node.value
        if isinstance(node, yaml.SequenceNode):
            items = []
            for i, item in enumerate(node.value):
                self.lines[(*path, i)] = item.start_mark.line + 1
                items.append(self.build(item, (*path, i)))
            return items
        assert isinstance(node, yaml.MappingNode)
        result: dict[str, Any] = {}
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == _CORE + "merge":
                merged = self.build(value_node, path)
                for extra in merged if isinstance(merged, list) else [merged]:
                    if isinstance(extra, dict):
                        for k, v in extra.items():
                            result.setdefault(k, v)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem(self.shown, "a key must be a plain word", key_line, _dotted(path)))
                continue
            key = key_node.value
            if key in seen:
                self.problems.append(
                    Problem(
                        self.shown,
                        f"'{key}' is given twice (first on line {seen[key]}); keep one",
                        key_line,
                        _dotted((*path, key)),
                    )
                )
                continue
            seen[key] = key_line
            self.lines[(*path, key)] = key_line
            result[key] = self.build(value_node, (*path, key))
        return result


def _short_tag(tag: str) -> str:
    """`!!python/object`, the way it was typed, rather than YAML's long form."""
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


def _dotted(path: Path_) -> str | None:
    """`exercises[1].aerobic.minutes`: the way a user would point at a value."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or None


dotted = _dotted
