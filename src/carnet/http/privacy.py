"""A person's data and the audit trail on the wire (carnet's own): ``/v1/person/export``,
``/v1/person/erase`` and ``/v1/audit/list``."""

from __future__ import annotations

from typing import Any

from carnet.domain import audit, person
from carnet.domain.records import AuditEntry
from carnet.errors import InvalidParameter
from carnet.http.handlers import Call
from carnet.http.params import page_number
from carnet.http.wire import Params


def export_person(call: Call) -> dict[str, Any]:
    """``GET /v1/person/export``: everything the account holds about one number."""
    return {
        "person": person.export_person(call.store, call.account, call.params.get("phoneNumber"))
    }


def erase_person(call: Call) -> dict[str, Any]:
    """``POST /v1/person/erase``: what was erased, by kind; the stop-list entry stays."""
    erasure = person.erase_person(call.store, call.account, call.params.get("phoneNumber"))
    return {
        "phoneNumber": erasure.phone,
        "erased": erasure.erased,
        "keptOnStopList": erasure.kept_on_stop_list,
    }


def _optional_text(params: Params, name: str) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidParameter(f"{name} must be a string", errors={name: "must be a string"})
    return value.strip() or None


def _entry(e: AuditEntry) -> dict[str, Any]:
    return {
        "id": e.id,
        "at": e.at,
        "who": e.who,
        "action": e.action,
        "ids": list(e.ids),
        "counts": dict(e.counts),
    }


def list_audit(call: Call) -> dict[str, Any]:
    """``GET /v1/audit/list``: the account's audit trail, newest first, a page at a time."""
    page = page_number(call.params)
    wanted = audit.audit_filter(
        _optional_text(call.params, "action"),
        _optional_text(call.params, "from"),
        _optional_text(call.params, "to"),
    )
    found = audit.list_audit(call.store, call.account, page, wanted)
    return {
        "currentPage": found.number,
        "total": found.total,
        "entries": [_entry(e) for e in found.entries],
    }
