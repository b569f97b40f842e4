"""FHIR R4 resources to the fields of a patient file: the reading half of the mapping in docs/fhir.md.

Each function reads one resource (already checked against the FHIR R4B model) and puts what it means into
the Trace, with its origin. Anything it can't place is a problem naming the resource and path, never
dropped: an unknown element of a timing, an unknown code, an order that is not active.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from handouts.fhir import codes
from handouts.fhir.trace import Trace, origin

Resource = dict[str, Any]
Resolve = Callable[[str], Resource | None]

PERIOD_UNITS = {"d": "times_per_day", "wk": "days_per_week"}
TIMING_KEYS = {"frequency", "period", "periodUnit", "duration", "durationUnit", "dayOfWeek", "extension", "id"}


def ours(concept: Any) -> str | None:
    """The code of our CodeSystem in a CodeableConcept, if any."""
    for coding in (concept or {}).get("coding", []):
        if coding.get("system") == codes.SYSTEM and coding.get("code"):
            return str(coding["code"])
    return None


def ext(resource: Resource, url: str) -> dict[str, Any] | None:
    return next((e for e in resource.get("extension", []) if e.get("url") == url), None)


def whole(value: Any) -> Any:
    """2.0 as 2; 2.5 stays as written so the plan's check says it is not a whole number."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.replace(".", "", 1).isdigit() and float(value).is_integer():
        return int(float(value))
    return value if isinstance(value, int) else str(value)


def patient_fields(trace: Trace, patient: Resource) -> None:
    name = _name(patient)
    if name is None:
        trace.wrong(origin(patient, ".name"), "has no name to print; give HumanName.text or given and family")
    else:
        trace.put("name", name[0], origin(patient, name[1]))
    for i, ident in enumerate(patient.get("identifier", [])):
        if any(
            c.get("system") == codes.V2_0203 and c.get("code") == "MR" for c in ident.get("type", {}).get("coding", [])
        ):
            trace.put("patient_id", ident.get("value"), origin(patient, f".identifier[{i}].value"))
            break
    if patient.get("birthDate"):
        trace.put("birth_date", patient["birthDate"], origin(patient, ".birthDate"))
    _language(trace, patient)
    trace.mark((), origin(patient))


def _name(patient: Resource) -> tuple[str, str] | None:
    names = patient.get("name", [])
    order = sorted(range(len(names)), key=lambda i: {"official": 0, "usual": 1}.get(names[i].get("use", ""), 2))
    for i in order:
        name = names[i]
        if name.get("text"):
            return str(name["text"]), f".name[{i}].text"
        parts = [*name.get("given", []), name.get("family") or ""]
        if any(parts):
            return " ".join(p for p in parts if p), f".name[{i}]"
    return None


def _language(trace: Trace, patient: Resource) -> None:
    said = patient.get("communication", [])
    chosen = [i for i, c in enumerate(said) if c.get("preferred")] or ([0] if len(said) == 1 else [])
    if not chosen:
        return
    i = chosen[0]
    coding = said[i].get("language", {}).get("coding", [])
    code = next((c.get("code") for c in coding if c.get("system") == codes.BCP47), None)
    where = origin(patient, f".communication[{i}].language")
    if not code:
        trace.wrong(where, f"has no {codes.BCP47} code; give the language as en or es")
        return
    trace.put("language", str(code).split("-")[0].lower(), where)


def plan_fields(trace: Trace, plan: Resource, resolve: Resolve) -> None:
    if plan.get("created"):
        trace.put("date", str(plan["created"])[:10], origin(plan, ".created"))
    notes = [n.get("text", "") for n in plan.get("note", []) if n.get("text")]
    if notes:
        trace.put("notes", "\n".join(notes), origin(plan, ".note"))
    for url, key in ((codes.EXT_LAYOUT, "layout"), (codes.EXT_LOG_WEEKS, "log_weeks")):
        found = ext(plan, url)
        if found is not None:
            value = found.get("valueString", found.get("valueUnsignedInt", found.get("valueCode")))
            trace.put(key, value, origin(plan, f'.extension("{url}")'))
    found = ext(plan, codes.EXT_BACKGROUND)
    if found is not None:
        trace.put("background", found.get("valueBoolean"), origin(plan, f'.extension("{codes.EXT_BACKGROUND}")'))
    found = ext(plan, codes.EXT_STRONGER_SIDE)
    if found is not None:
        side = found.get("valueCode") or ours(found.get("valueCodeableConcept"))
        trace.put("stronger_side", side, origin(plan, f'.extension("{codes.EXT_STRONGER_SIDE}")'))
    authors = plan.get("author")
    if authors:
        _author(trace, plan, authors, resolve)


def _author(trace: Trace, plan: Resource, author: dict[str, Any], resolve: Resolve) -> None:
    """Therapist, clinic and phone from the PractitionerRole (or Organization, or Practitioner) that wrote it."""
    from handouts.fhir.resolve import follow

    found = follow(trace, plan, ".author", author, resolve, ("PractitionerRole", "Organization", "Practitioner"))
    if found is None:
        return
    kind = found["resourceType"]
    if kind == "Practitioner":
        _therapist(trace, found)
        _phone(trace, found)
        return
    if kind == "PractitionerRole":
        if found.get("practitioner"):
            who = follow(trace, found, ".practitioner", found["practitioner"], resolve, ("Practitioner",))
            if who is not None:
                _therapist(trace, who)
        _phone(trace, found)
        if not found.get("organization"):
            return
        found = follow(trace, found, ".organization", found["organization"], resolve, ("Organization",))
        if found is None:
            return
    _organization(trace, found, resolve)


def _therapist(trace: Trace, practitioner: Resource) -> None:
    name = _name(practitioner)
    if name is not None:
        trace.put("therapist", name[0], origin(practitioner, name[1]))


def _phone(trace: Trace, resource: Resource) -> None:
    if "phone" in trace.data:
        return
    for i, telecom in enumerate(resource.get("telecom", [])):
        if telecom.get("system") == "phone" and telecom.get("value"):
            trace.put("phone", telecom["value"], origin(resource, f".telecom[{i}].value"))
            return


def _organization(trace: Trace, organization: Resource, resolve: Resolve) -> None:
    """The clinic's name; its phone, else its parent organization's (partOf), which may go round in a circle."""
    from handouts.fhir.resolve import follow

    if organization.get("name"):
        trace.put("clinic", organization["name"], origin(organization, ".name"))
    seen = [origin(organization)]
    here: Resource | None = organization
    while here is not None and "phone" not in trace.data:
        _phone(trace, here)
        if "phone" in trace.data or not here.get("partOf"):
            return
        parent = follow(trace, here, ".partOf", here["partOf"], resolve, ("Organization",))
        if parent is not None and origin(parent) in seen:
            chain = " -> ".join([*seen, origin(parent)])
            trace.wrong(origin(here, ".partOf"), f"the references go round in a circle: {chain}")
            return
        here = parent
        seen.append(origin(parent or {}))


def timing(trace: Trace, request: Resource, at: tuple[str | int, ...], dose: dict[str, Any]) -> None:
    """Times a day, days a week and minutes from occurrenceTiming.repeat (docs/fhir.md)."""
    if "occurrenceTiming" not in request:
        for key in ("occurrenceDateTime", "occurrencePeriod"):
            if key in request:
                trace.wrong(
                    origin(request, f".{key}"),
                    "a home plan's timing is an occurrenceTiming (repeat.frequency, period, periodUnit)",
                )
        return
    repeat = request["occurrenceTiming"].get("repeat") or {}
    base = ".occurrenceTiming.repeat"
    for key in sorted(set(repeat) - TIMING_KEYS):
        trace.wrong(
            origin(request, f"{base}.{key}"),
            "can't be placed on a handout; say it with frequency, period, periodUnit, duration or dayOfWeek",
        )
    for key in sorted(set(request["occurrenceTiming"]) - {"repeat", "id", "extension"}):
        trace.wrong(origin(request, f".occurrenceTiming.{key}"), "can't be placed on a handout; use repeat")
    if "frequency" in repeat:
        _rate(trace, request, repeat, at, dose)
    _days(trace, request, repeat, at, dose)
    if "duration" in repeat:
        _duration(trace, request, repeat, at, dose)


def _days(
    trace: Trace, request: Resource, repeat: dict[str, Any], at: tuple[str | int, ...], dose: dict[str, Any]
) -> None:
    """Days a week from dayOfWeek (how many days it names), or from our extension beside times a day."""
    base = ".occurrenceTiming.repeat"
    if "dayOfWeek" in repeat:
        days = len(repeat["dayOfWeek"])
        if dose.get("days_per_week", days) != days:
            trace.wrong(
                origin(request, f"{base}.dayOfWeek"),
                f"names {days} days, but the frequency says {dose['days_per_week']} a week",
            )
        else:
            _dose(trace, request, at, dose, "days_per_week", days, f"{base}.dayOfWeek")
    found = ext(repeat, codes.EXT_DAYS_PER_WEEK)
    if found is not None:
        _dose(
            trace,
            request,
            at,
            dose,
            "days_per_week",
            found.get("valueUnsignedInt", found.get("valuePositiveInt")),
            f'{base}.extension("{codes.EXT_DAYS_PER_WEEK}")',
        )


def _dose(
    trace: Trace, request: Resource, at: tuple[str | int, ...], dose: dict[str, Any], key: str, value: Any, path: str
) -> None:
    dose[key] = whole(value)
    trace.mark((*at, key), origin(request, path))


def _rate(
    trace: Trace, request: Resource, repeat: dict[str, Any], at: tuple[str | int, ...], dose: dict[str, Any]
) -> None:
    base = ".occurrenceTiming.repeat"
    unit = repeat.get("periodUnit")
    if unit not in PERIOD_UNITS:
        trace.wrong(
            origin(request, f"{base}.periodUnit"),
            f"{unit!r} is not a period a home plan uses (d: times a day, wk: days a week)".replace("'", '"'),
        )
        return
    if whole(repeat.get("period", 1)) != 1:
        trace.wrong(
            origin(request, f"{base}.period"),
            f"{repeat.get('period')} is not 1: a plan says times a day or days a week",
        )
        return
    _dose(trace, request, at, dose, PERIOD_UNITS[unit], repeat["frequency"], f"{base}.frequency")


def _duration(
    trace: Trace, request: Resource, repeat: dict[str, Any], at: tuple[str | int, ...], dose: dict[str, Any]
) -> None:
    unit, value = repeat.get("durationUnit"), repeat["duration"]
    path = ".occurrenceTiming.repeat.duration"
    if unit == "h" and isinstance(value, int | float):
        value = value * 60
    elif unit != "min":
        trace.wrong(origin(request, f"{path}Unit"), f'"{unit}" is not a unit for minutes of exercise (min or h)')
        return
    _dose(trace, request, at, dose, "minutes", value, path)
