"""Domain values in the wire's shapes and names (SPEC §3 and §4)."""

from __future__ import annotations

from typing import Any

from carnet.domain.batch import BatchReport
from carnet.domain.records import Contact, Group, StopEntry, StoredContact

# The contract's names for a contact's fields, as requests send them.
REQUEST_NAMES = {
    "phone": "phoneNumber",
    "firstname": "firstname",
    "lastname": "lastname",
    "date": "date",
    "url": "url",
    "short_url": "shortUrlPartnr",
    "custom1": "custom1",
    "custom2": "custom2",
    "custom3": "custom3",
    "custom4": "custom4",
}


def group(g: Group) -> dict[str, Any]:
    return {
        "id": g.public_id,
        "name": g.name,
        "createdAt": g.created_at,
        "isSpecialFile": False,
        "isLocationFile": False,
        "contactCount": g.contact_count,
    }


def contact_as_sent(stored: StoredContact) -> dict[str, Any]:
    """``contact/add`` and ``contact/update``: the request's names, plus contactId."""
    fields: Contact = stored.fields
    body = {wire: getattr(fields, attr) for attr, wire in REQUEST_NAMES.items()}
    body["contactId"] = stored.public_id
    return body


def contact_detail(stored: StoredContact) -> dict[str, Any]:
    """``contact/detail`` and the items of ``contact/list``."""
    f = stored.fields
    return {
        "contactId": stored.public_id,
        "phone": f.phone,
        "firstname": f.firstname,
        "lastname": f.lastname,
        "url": f.url,
        "shortUrl": f.short_url,
        "date": f.date,
        "custom1": f.custom1,
        "custom2": f.custom2,
        "custom3": f.custom3,
        "custom4": f.custom4,
        "createdAt": stored.created_at,
        "stopSms": stored.stop_sms,
        "groupId": stored.group_public_id,
    }


def batch_report(report: BatchReport) -> dict[str, Any]:
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


def stop_entry(entry: StopEntry) -> dict[str, Any]:
    return {"id": entry.public_id, "phoneNumber": entry.phone, "createdAt": entry.created_at}
