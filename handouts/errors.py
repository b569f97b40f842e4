"""The one place user errors live.

A user error is something the person running the tool can fix: a typo in a patient file, a missing
file, a layout that breaks the large-print rules. Each problem names the file, the line and the field,
and says what would be right, so a therapist at the discharge desk can fix it without help. All the
problems in a file are reported together. Bugs are not caught here: they keep their traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, located as precisely as we can."""

    file: str
    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f"{self.field}: " if self.field else ""
        return f"{where}: {what}{self.message}"


class HandoutError(click.ClickException):
    """Raised for anything a user did wrong; click prints it on stderr and exits with code 2."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem) -> None:
        problems = [problems] if isinstance(problems, Problem) else list(problems)
        # In the order of the file, as a reader fixes them; problems of the whole file (no line) first.
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0))
        super().__init__("\n".join(str(p) for p in self.problems))

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        # One line per problem, with no "Error:" prefix, so the lines read as file:line: field: message.
        click.echo(self.format_message(), err=True, file=file)


def display_path(path: Path | str) -> str:
    """Paths in messages are shown as the user typed them, not resolved."""
    return str(path)
