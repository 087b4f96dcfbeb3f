"""What the client answers for carnet's finding calls: a number's contacts, a lookup."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from carnet.client.models import Contact


def _text(value: object) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True, slots=True)
class NumberMatches:
    """``contact/search`` (carnet's own): a number's contacts in every group.

    ``stop_id`` is the number's stop-list entry, ``None`` when it is not stopped.
    """

    phone: str
    contacts: list[Contact]
    stop_sms: bool = False
    stop_id: str | None = None

    @classmethod
    def from_wire(cls, body: Mapping[str, Any]) -> NumberMatches:
        stop_id = body.get("stopId")
        return cls(
            phone=_text(body.get("phoneNumber")),
            contacts=[Contact.from_detail(c) for c in body.get("contacts") or []],
            stop_sms=bool(body.get("stopSms")),
            stop_id=None if stop_id in (None, "") else str(stop_id),
        )


@dataclass(frozen=True, slots=True)
class NumberFormats:
    """A valid number written four ways."""

    e164: str = ""
    international: str = ""
    national: str = ""
    rfc3966: str = ""


@dataclass(frozen=True, slots=True)
class Lookup:
    """One number of ``lookup``: ``success`` False when it is not a valid number."""

    request: str
    success: bool
    country: str = ""
    prefix_code: int = 0
    phone: str = ""
    type: str = ""
    network: str = ""
    formats: NumberFormats = NumberFormats()

    @classmethod
    def from_wire(cls, body: Mapping[str, Any]) -> Lookup:
        formats = body.get("format") or {}
        return cls(
            request=_text(body.get("request")),
            success=bool(body.get("success")),
            country=_text(body.get("countryCode")),
            prefix_code=int(body.get("prefixCode") or 0),
            phone=_text(body.get("phoneNumber")),
            type=_text(body.get("type")),
            network=_text(body.get("network")),
            formats=NumberFormats(
                **{name: _text(formats.get(name)) for name in NumberFormats.__slots__}
            ),
        )
