"""Read YAML the way people type it, keeping where every value came from.

PyYAML's own loaders turn `004211` into 4211, `no` into False and silently keep the last of two
duplicate keys. A patient identifier must never change, so we compose the node tree ourselves and
keep every scalar as the text that was written; pydantic then parses the few fields that are really
numbers, booleans or dates. Every key and list item remembers its line, so an error can point at it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from handouts.errors import HandoutError, Problem
from handouts.inputs.textfile import read_text

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


def load_yaml(path: Path, what: str, keep_going: bool = False) -> Located:
    """Load one YAML file safely, with lines; every problem is a HandoutError naming the file.

    With `keep_going`, problems in well-formed YAML (a duplicate key keeps its first value) are left in
    `Located.problems` for `validation.validate` to report with the rest.
    """
    return parse_yaml(read_text(path, what), str(path), keep_going)


class Loader(yaml.SafeLoader):
    """PyYAML's safe composer, counting what aliases repeat across the whole file.

    A 'billion laughs' document is small text whose aliases expand to a huge tree. Each alias adds the
    size of the part it repeats; past MAX_NODES in one file (however many records a roster splits it
    into), the file is refused before anything is expanded.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.repeated = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            node = self.anchors.get(event.anchor)
            if node is not None:
                self.repeated += _size(node)
                if self.repeated > MAX_NODES:
                    raise _TooMany(event.start_mark.line + 1)
        return super().compose_node(parent, index)


class _TooMany(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _size(node: yaml.Node) -> int:
    """Values in `node`, counted once per node (an alias inside counts what it repeats)."""
    known = getattr(node, "_handouts_size", None)
    if known is not None:
        return int(known)
    node._handouts_size = 1  # type: ignore[attr-defined]  # a node that contains itself
    total = 1
    if isinstance(node, yaml.SequenceNode):
        total += sum(_size(item) for item in node.value)
    elif isinstance(node, yaml.MappingNode):
        total += sum(_size(k) + _size(v) for k, v in node.value)
    node._handouts_size = total  # type: ignore[attr-defined]
    return total


def too_many(shown: str, line: int | None) -> HandoutError:
    return HandoutError(
        Problem(
            shown,
            f"expands to more than {MAX_NODES:,} values (anchors and aliases repeated); write the values out instead",
            line,
        )
    )


def parse_yaml(text: str, shown: str, keep_going: bool = False) -> Located:
    with yaml_errors(shown, text):
        loader = Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    located = Located(None, shown)
    if root is None:
        return located
    builder = _Builder(shown, located.lines)
    located.data = builder.build(root, ())
    if builder.problems and not keep_going:
        raise HandoutError(builder.problems)
    located.problems = builder.problems
    return located


@contextmanager
def yaml_errors(shown: str, text: str = "") -> Iterator[None]:
    """PyYAML's errors, said in plain words with the line: one table for every YAML file the tool reads
    (patient files, rosters, layouts, content)."""
    try:
        yield
    except yaml.reader.ReaderError as exc:
        # A raw control character: PyYAML reports a character offset, people need a line.
        line = text[: exc.position].count("\n") + 1 if text else None
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        raise HandoutError(
            Problem(
                shown,
                f"contains the invisible character U+{ord(char[:1] or '?'):04X}, which can't be printed; remove it",
                line,
            )
        ) from None
    except yaml.MarkedYAMLError as exc:
        raise HandoutError(Problem(shown, f"not valid YAML: {_plain(exc)}", _line_of(exc))) from None
    except yaml.YAMLError as exc:
        raise HandoutError(Problem(shown, f"not valid YAML: {exc}")) from None
    except _TooMany as exc:
        raise too_many(shown, exc.line) from None
    except RecursionError:
        raise HandoutError(Problem(shown, TOO_DEEP)) from None


def _line_of(exc: yaml.MarkedYAMLError) -> int | None:
    mark = exc.problem_mark or exc.context_mark
    return mark.line + 1 if mark else None


def _plain(exc: yaml.MarkedYAMLError) -> str:
    mark = exc.problem_mark or exc.context_mark
    reason = exc.problem or exc.context or "invalid YAML"
    opened = exc.context_mark.line + 1 if exc.context_mark else None
    if exc.context and opened and mark and opened != mark.line + 1:
        reason += f" ({exc.context} that starts on line {opened})"
    hint = next((h for clue, h in _HINTS if clue in reason), "")
    if hint and "quoted scalar" in reason and opened and mark and opened != mark.line + 1:
        hint += f" (it starts on line {opened})"  # where the quote was opened
    return hint or reason


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

TOO_DEEP = f"nests lists or 'key: value' sets more than {MAX_DEPTH} levels deep; check the brackets"


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
        self.problems: list[Problem] = []
        self.active: set[int] = set()
        """The nodes being built, outermost first: an alias to one of them is a value that contains itself."""

    def build(self, node: yaml.Node, path: Path_) -> Any:
        line = node.start_mark.line + 1
        if len(path) > MAX_DEPTH:
            raise HandoutError(Problem(self.shown, TOO_DEEP, line, _dotted(path[:1])))
        if id(node) in self.active:  # `&a [*a]`: endless, and with many aliases an exponential bomb
            raise HandoutError(Problem(self.shown, TOO_DEEP))
        self.active.add(id(node))
        try:
            return self._build(node, path, line)
        finally:
            self.active.discard(id(node))

    def _build(self, node: yaml.Node, path: Path_, line: int) -> Any:
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
            return self._sequence(node, path)
        assert isinstance(node, yaml.MappingNode)
        return self._mapping(node, path)

    def _sequence(self, node: yaml.SequenceNode, path: Path_) -> list[Any]:
        items = []
        for i, item in enumerate(node.value):
            self.lines[(*path, i)] = item.start_mark.line + 1
            items.append(self.build(item, (*path, i)))
        return items

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == _CORE + "merge":
                _merge(result, self.build(value_node, path))
                continue
            key = self._key(key_node, key_line, path, seen)
            if key is None:
                continue
            seen[key] = key_line
            self.lines[(*path, key)] = key_line
            result[key] = self.build(value_node, (*path, key))
        return result

    def _key(self, key_node: yaml.Node, key_line: int, path: Path_, seen: dict[str, int]) -> str | None:
        """The key as written; None, with the problem noted, for a key that is not a word or is repeated."""
        if not isinstance(key_node, yaml.ScalarNode):
            self.problems.append(Problem(self.shown, "a key must be a plain word", key_line, _dotted(path)))
            return None
        key = str(key_node.value)
        if key in seen:
            self.problems.append(
                Problem(
                    self.shown,
                    f"'{key}' is given twice (first on line {seen[key]}); keep one",
                    key_line,
                    _dotted((*path, key)),
                )
            )
            return None
        return key


def _merge(result: dict[str, Any], merged: Any) -> None:
    """`<<: *defaults`: the merged mappings' keys, where the mapping has not set them itself."""
    for extra in merged if isinstance(merged, list) else [merged]:
        if isinstance(extra, dict):
            for k, v in extra.items():
                result.setdefault(k, v)


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
