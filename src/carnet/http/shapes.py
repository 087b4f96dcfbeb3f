"""Domain values in the wire's shapes and names (SPEC §3 and §4), from the contract's tables."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from carnet.contract import CONTACT_DETAIL_KEYS, CONTACT_FIELDS
from carnet.domain.batch_outcome import BatchOutcome, FieldWarning, RowOutcome
from carnet.domain.lookup import NumberLookup
from carnet.domain.moves import TransferOutcome
from carnet.domain.records import ContactRecord, GroupRecord, StopRecord
from carnet.http.wire import field_errors

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


def field_warnings(warnings: tuple[FieldWarning, ...]) -> list[dict[str, str]]:
    """Warnings in the shape of upstream's field errors: ``children[<field>].data``."""
    return field_errors({w.field: w.message for w in warnings})


def _batch_row(r: RowOutcome) -> dict[str, Any]:
    row: dict[str, Any] = {
        "success": r.success,
        "code": r.code,
        "phoneNumber": r.phone_number,
        "message": r.message,
        "contactId": r.contact_id,
    }
    if r.field_errors:  # a row refused for its fields: each, as upstream lists field errors
        row["errors"] = field_warnings(r.field_errors)
    if r.warnings:  # carnet's own, with keepInvalidOptional only
        row["warnings"] = field_warnings(r.warnings)
    return row


def batch_report(report: BatchOutcome) -> dict[str, Any]:
    """The batch report of SPEC §4, under upstream's names.

    carnet's own additions appear only when asked for: ``dryRun`` with a dry run,
    ``rapport.nbline_warnings`` and the rows' ``warnings`` with keepInvalidOptional.
    """
    rapport: dict[str, Any] = {
        "nbline": len(report.results),
        "nbline_imported": report.imported,
        "nbline_updated": report.updated,
    }
    if report.options.keep_invalid_optional:
        rapport["nbline_warnings"] = report.warned
    rapport["errors"] = report.counts()
    body: dict[str, Any] = {}
    if report.options.dry_run:
        body["dryRun"] = True
    body["groupe"] = {"name": report.group.name, "token": report.group.public_id}
    body["results"] = [_batch_row(r) for r in report.results]
    body["rapport"] = rapport
    return body


def stop_entry(entry: StopRecord) -> dict[str, Any]:
    """An item of ``stop-sms/list``."""
    return {
        "id": entry.public_id,
        "phoneNumber": entry.phone,
        "createdAt": stop_list_time(entry.created_at),
    }


def stop_list_time(iso: str) -> str:
    """A time as upstream's stop list writes it, ``2015-07-20 10:19:45`` (UTC here)."""
    return datetime.fromisoformat(iso).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def number_lookup(found: NumberLookup) -> dict[str, Any]:
    """An item of ``lookup``, in upstream's names."""
    return {
        "request": found.request,
        "success": found.success,
        "countryCode": found.country,
        "prefixCode": found.prefix_code,
        "phoneNumber": found.e164,
        "type": found.type,
        "network": found.network,
        "format": {
            "e164": found.e164,
            "international": found.international,
            "national": found.national,
            "rfc3966": found.rfc3966,
        },
    }


def transfer_report(outcome: TransferOutcome) -> dict[str, Any]:
    """``contact/move`` and ``contact/copy``: the batch report's shape, with ``notFound``."""
    return {
        "groupe": {"name": outcome.group.name, "token": outcome.group.public_id},
        "results": [_batch_row(r) for r in outcome.results],
        "rapport": {
            "nbline": len(outcome.results),
            "nbline_imported": outcome.done,
            "nbline_updated": 0,
            "errors": outcome.counts(),
        },
    }
