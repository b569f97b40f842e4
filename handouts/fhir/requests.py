"""A CarePlan's activities: each ServiceRequest an exercise, each DeviceRequest a device (docs/fhir.md).

The item is written as a patient file writes it (`{ankle_pump: {mode: passive, times_per_day: 2}}`), so
the plan's own checks judge it: an unknown move gets the nearest match, a dose out of range its range.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from handouts.fhir import codes
from handouts.fhir.mapping import ext, ours, timing, whole
from handouts.fhir.trace import Trace, origin

Resource = dict[str, Any]
HasMode = Callable[[str], bool]
"""Whether an exercise of the content has modes: a patient performer then means `mode: active`."""


def _code(trace: Trace, request: Resource, field: str, reverse: dict[str, str]) -> str | None:
    concept = request.get(field)
    code = ours(concept)
    if code is not None:
        return code
    for _i, coding in enumerate((concept or {}).get("coding", [])):
        if coding.get("system") == codes.SNOMED and coding.get("code") in reverse:
            return reverse[coding["code"]]
    said = ", ".join(f"{c.get('system')}|{c.get('code')}" for c in (concept or {}).get("coding", [])) or "no coding"
    trace.wrong(
        origin(request, f".{field}.coding"),
        f"unknown code ({said}): code it with {codes.SYSTEM} (python generate.py list shows the codes)",
    )
    return None


def exercise(trace: Trace, request: Resource, index: int, has_mode: HasMode, kind_of: Callable[[str], str]) -> Any:
    """An exercise item for exercises[index], or None when its code is unknown."""
    item_id = _code(trace, request, "code", {})
    if item_id is None:
        return None
    at: tuple[str | int, ...] = ("exercises", index, item_id)
    trace.mark(("exercises", index), origin(request, ".code"))
    trace.mark(at, origin(request))
    options: dict[str, Any] = {}
    mode = _mode(trace, request, item_id, has_mode, kind_of)
    if mode is not None:
        options["mode"] = mode[0]
        trace.mark((*at, "mode"), origin(request, mode[1]))
    timing(trace, request, at, options)
    _quantity(trace, request, at, options)
    if request.get("patientInstruction"):
        options["note"] = request["patientInstruction"]
        trace.mark((*at, "note"), origin(request, ".patientInstruction"))
    return {item_id: options} if options else item_id


def _mode(
    trace: Trace, request: Resource, item_id: str, has_mode: HasMode, kind_of: Callable[[str], str]
) -> tuple[str, str] | None:
    """assisted from orderDetail; else passive when a RelatedPerson performs it, active when the patient does."""
    for i, detail in enumerate(request.get("orderDetail", [])):
        code = ours(detail)
        if code in ("active", "assisted", "passive"):
            return code, f".orderDetail[{i}]"
        trace.wrong(
            origin(request, f".orderDetail[{i}]"), "can't be placed on a handout: only a mode (assisted) is read here"
        )
    for i, performer in enumerate(request.get("performer", [])):
        ref = str(performer.get("reference", ""))
        kind = performer.get("type") or kind_of(ref)
        if kind == "RelatedPerson":
            return "passive", f".performer[{i}]"
        if kind == "Patient":
            return ("active", f".performer[{i}]") if has_mode(item_id) else None
        trace.wrong(
            origin(request, f".performer[{i}]"),
            f"{ref or kind} can't do a home exercise: the patient or a RelatedPerson (a helper)",
        )
    return None


def _quantity(trace: Trace, request: Resource, at: tuple[str | int, ...], options: dict[str, Any]) -> None:
    """Repetitions from quantityQuantity ({repetitions}); a hold from our extension (a Quantity in s or min)."""
    quantity = request.get("quantityQuantity")
    if quantity is not None:
        unit = quantity.get("code") or quantity.get("unit")
        if unit not in (codes.REPETITIONS_UNIT, "1", "repetitions", None):
            trace.wrong(
                origin(request, ".quantityQuantity.code"),
                f'"{unit}" is not a count of repetitions ({codes.REPETITIONS_UNIT})',
            )
        else:
            options["repetitions"] = whole(quantity.get("value"))
            trace.mark((*at, "repetitions"), origin(request, ".quantityQuantity.value"))
    for key in ("quantityRatio", "quantityRange"):
        if key in request:
            trace.wrong(
                origin(request, f".{key}"), "can't be placed on a handout; give repetitions as quantityQuantity"
            )
    hold = ext(request, codes.EXT_HOLD)
    if hold is not None:
        value = (hold.get("valueQuantity") or {}).get("value")
        unit = (hold.get("valueQuantity") or {}).get("code")
        where = origin(request, f'.extension("{codes.EXT_HOLD}").valueQuantity')
        if unit == "min" and isinstance(value, int | float):
            value = value * 60
        elif unit != "s":
            trace.wrong(where, f'"{unit}" is not a unit for a hold (s or min)')
            return
        options["hold_seconds"] = whole(value)
        trace.mark((*at, "hold_seconds"), where)


def device(trace: Trace, request: Resource, index: int) -> tuple[Any, str | None]:
    """A device item for devices[index] (None when its code is unknown), and the hand a cane is held in."""
    item_id = _code(trace, request, "codeCodeableConcept", codes.snomed_to_device())
    if "codeReference" in request:
        trace.wrong(origin(request, ".codeReference"), "name the device by codeCodeableConcept")
    if item_id is None:
        return None, None
    at: tuple[str | int, ...] = ("devices", index, item_id)
    trace.mark(("devices", index), origin(request, ".codeCodeableConcept"))
    trace.mark(at, origin(request))
    options: dict[str, Any] = {}
    hand = None
    for i, parameter in enumerate(request.get("parameter", [])):
        name = ours(parameter.get("code"))
        where = origin(request, f".parameter[{i}]")
        if name in ("wheels", "platform") and "valueBoolean" in parameter:
            options[name] = bool(parameter["valueBoolean"])
        elif name in ("side", "hand") and ours(parameter.get("valueCodeableConcept")):
            value = ours(parameter.get("valueCodeableConcept"))
            if name == "hand":
                hand = value
                continue
            options[name] = value
        else:
            trace.wrong(
                where,
                f"can't be placed on a handout: a parameter is {', '.join(codes.DEVICE_PARAMETERS)} "
                f"of {codes.SYSTEM}, with a value",
            )
            continue
        trace.mark((*at, str(name)), where)
    notes = [n.get("text") for n in request.get("note", []) if n.get("text")]
    if notes:
        options["note"] = " ".join(notes)
        trace.mark((*at, "note"), origin(request, ".note"))
    return ({item_id: options} if options else item_id), hand
