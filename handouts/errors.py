"""The one place user errors live.

A user error is something the person running the tool can fix: a typo in a patient file, a missing
file, a layout that breaks the large-print rules. Each problem names the file, the line and the field,
and says what would be right, so a therapist at the discharge desk can fix it without help. All the
problems in a file are reported together. Bugs are not caught here: they keep their traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


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


class HandoutError(Exception):
    """Raised for anything a user did wrong, with every problem found; the command line prints one line
    per problem on stderr and exits with code 2, the web form shows each by its field."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        problems = [problems] if isinstance(problems, Problem) else list(problems)
        # In the order of the file, as a reader fixes them; problems of the whole file (no line) first.
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0))
        super().__init__("\n".join(str(p) for p in self.problems))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
