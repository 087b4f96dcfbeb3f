"""Reading answers whose wire details tests should not spell out one by one."""

from __future__ import annotations

import re
from typing import Any

_ELEMENT = re.compile(r"^children\[(?P<field>[^\]]+)\]\.data$")


def error_fields(body: dict[str, Any]) -> list[str]:
    """The wire names of the fields an error answer names, in the answer's order.

    Reads both the upstream list of ``{elementId, message}`` and an object of
    field -> reason, so tests that only care which fields were at fault say so.
    """
    errors = body.get("errors") or []
    if isinstance(errors, dict):
        return list(errors)
    fields = []
    for item in errors:
        element = str(item.get("elementId", ""))
        match = _ELEMENT.match(element)
        fields.append(match.group("field") if match else element)
    return fields


def total(body: dict[str, Any]) -> int:
    """The ``total`` of a list answer as a number, whether sent as digits or an int."""
    return int(body["total"])
