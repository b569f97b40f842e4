"""`python generate.py fhir`: a patient file to a Bundle, and a Bundle's patient back to a patient file."""

from __future__ import annotations

from pathlib import Path

from handouts.errors import HandoutError
from handouts.home import Home


def convert(source: Path, home: Home) -> str:
    """The other form of SOURCE: JSON for a patient file, YAML for a Bundle (.json). Checked both ways:
    a plan that would not print is refused, with every problem, before anything is written."""
    from handouts.build import load_checked
    from handouts.fhir.read import is_fhir
    from handouts.fhir.write import patient_yaml, plan_bundle, to_json
    from handouts.inputs.content import cached_content

    content = cached_content(home.content)
    if not is_fhir(source):
        plan = load_checked(source, content, None, home.layouts)
        return to_json(plan_bundle(plan, content)).decode("utf-8")
    from handouts.build import check_record
    from handouts.fhir.read import has_mode_of, load_bundle, one_patient

    trace = one_patient(source, load_bundle(source), has_mode_of(content))
    try:
        check_record(trace.located(), content, None, None, home.layouts)
    except HandoutError as exc:
        raise HandoutError([*trace.problems, *map(trace.said, exc.problems)]) from None
    if trace.problems:
        raise HandoutError(trace.problems)
    return patient_yaml(trace.data)
