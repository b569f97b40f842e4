"""A patient's plan as a plain dict, each value remembering the FHIR resource and path it came from.

The dict is what a patient file gives, so it goes through the same checks (inputs/plan.py) and prints the
same handout. Instead of a line number, each key's "line" is an index into `origins`: a problem the
checks find at a key is then said at its FHIR place (`ServiceRequest/sr-3 .occurrenceTiming.repeat...`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from handouts.errors import Problem
from handouts.inputs.yamlsource import Located, Path_


def origin(resource: dict[str, Any], path: str = "") -> str:
    """`ServiceRequest/sr-3 .code.coding[0]`: the resource as a reference, then the FHIR path in it."""
    name = f"{resource.get('resourceType', 'Resource')}/{resource.get('id', '?')}"
    return f"{name} {path}" if path else name


@dataclass
class Trace:
    file: str
    data: dict[str, Any] = field(default_factory=dict)
    origins: list[str] = field(default_factory=list)
    lines: dict[Path_, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    subject: str = ""
    """The Patient's reference, for the DocumentReference written back."""

    def mark(self, path: Path_, where: str) -> None:
        self.lines[path] = len(self.origins)
        self.origins.append(where)

    def put(self, key: str, value: Any, where: str) -> None:
        self.data[key] = value
        self.mark((key,), where)

    def wrong(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, message, None, where))

    def located(self) -> Located:
        return Located(self.data, self.file, dict(self.lines))

    def said(self, problem: Problem) -> Problem:
        """A problem the plan's checks found, placed at its FHIR origin; one of ours stays as it is."""
        if problem.file != self.file or problem.line is None or not 0 <= problem.line < len(self.origins):
            return problem
        where = self.origins[problem.line]
        return Problem(problem.file, problem.message, None, f"{where} ({problem.field})" if problem.field else where)
