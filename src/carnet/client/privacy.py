"""A person's data and the audit trail as the client answers them (carnet's own)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Erasure:
    """What ``erase_person`` removed, by kind, and whether the number stays on the stop list."""

    phone: str
    erased: dict[str, int] = field(default_factory=dict)
    kept_on_stop_list: bool = False

    @classmethod
    def from_wire(cls, body: Mapping[str, Any]) -> Erasure:
        return cls(
            phone=str(body.get("phoneNumber") or ""),
            erased={str(k): int(v) for k, v in (body.get("erased") or {}).items()},
            kept_on_stop_list=bool(body.get("keptOnStopList")),
        )


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One change: when, who (a key's prefix, a person's email), what, ids and counts."""

    id: int
    at: datetime
    who: str
    action: str
    ids: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_wire(cls, body: Mapping[str, Any]) -> AuditEntry:
        return cls(
            id=int(body.get("id") or 0),
            at=datetime.fromisoformat(str(body["at"])),
            who=str(body.get("who") or ""),
            action=str(body.get("action") or ""),
            ids=tuple(str(i) for i in body.get("ids") or ()),
            counts={str(k): int(v) for k, v in (body.get("counts") or {}).items()},
        )


@dataclass(frozen=True, slots=True)
class AuditPage:
    """One page of ``audit/list``, newest first; ``total`` counts every matching entry."""

    number: int
    total: int
    entries: list[AuditEntry]

    @classmethod
    def from_wire(cls, body: Mapping[str, Any]) -> AuditPage:
        return cls(
            number=int(body.get("currentPage") or 1),
            total=int(body.get("total") or 0),
            entries=[AuditEntry.from_wire(e) for e in body.get("entries") or []],
        )
