"""Domain values in the wire's shapes and names (SPEC §3 and §4), from the contract's tables."""

from __future__ import annotations

from typing import Any

from carnet.contract import CONTACT_DETAIL_KEYS, CONTACT_FIELDS
from carnet.domain.batch import BatchOutcome
from carnet.domain.records import ContactRecord, GroupRecord, StopRecord

# A contact's fields: (wire name in requests, detail name, attribute).
_AS_SENT = tuple((f.wire, f.attribute) for f in CONTACT_FIELDS)
_DETAIL_ATTRIBUTES = {f.detail: f.attribute for f in CONTACT_FIELDS}


def group(g: GroupRecord) -> dict[str, Any]:
    """An item of ``group/list``."""
    return {
        "id": g.public_id,
        "name": g.name,
        "createdAt": g.created_at,
        "isSpecialFile": False,
        "isLocationFile": False,
        "contactCount": g.contact_count,
    }


def contact_as_sent(stored: ContactRecord) -> dict[str, Any]:
    """``contact/add`` and ``contact/update``: the request's names, plus contactId."""
    fields = stored.fields
    body = {wire: getattr(fields, attribute) for wire, attribute in _AS_SENT}
    body["contactId"] = stored.public_id
    return body


def contact_detail(stored: ContactRecord) -> dict[str, Any]:
    """``contact/detail`` and the items of ``contact/list``, in upstream's order of keys."""
    fields = stored.fields
    state = {
        "contactId": stored.public_id,
        "createdAt": stored.created_at,
        "stopSms": stored.stop_sms,
        "groupId": stored.group_public_id,
    }
    return {
        key: state[key] if key in state else getattr(fields, _DETAIL_ATTRIBUTES[key])
        for key in CONTACT_DETAIL_KEYS
    }


def batch_report(report: BatchOutcome) -> dict[str, Any]:
    """The batch report of SPEC §4, under upstream's names."""
    return {
        "groupe": {"name": report.group.name, "token": report.group.public_id},
        "results": [
            {
                "success": r.success,
                "code": r.code,
                "phoneNumber": r.phone_number,
                "message": r.message,
                "contactId": r.contact_id,
            }
            for r in report.results
        ],
        "rapport": {
            "nbline": len(report.results),
            "nbline_imported": report.imported,
            "nbline_updated": 0,
            "errors": report.counts(),
        },
    }


def stop_entry(entry: StopRecord) -> dict[str, Any]:
    """An item of ``stop-sms/list``."""
    return {"id": entry.public_id, "phoneNumber": entry.phone, "createdAt": entry.created_at}
