"""The Python client of carnet's API: ``Client`` and ``AsyncClient``, typed results.

This package needs httpx and nothing of the server (no FastAPI, SQLAlchemy or
phonenumbers), so ``from carnet import Client`` is cheap to import anywhere.
"""

from __future__ import annotations

from carnet.client.asynchronous import AsyncClient
from carnet.client.finding import Lookup, NumberFormats, NumberMatches
from carnet.client.hooks import Delivery, Reply, Webhook
from carnet.client.imports import ImportJob
from carnet.client.models import (
    BatchReport,
    Contact,
    ContactChanges,
    ContactFields,
    ContactPage,
    Group,
    RowResult,
    StopEntry,
)
from carnet.client.retry import Retry
from carnet.client.sync import Client

__all__ = [
    "AsyncClient",
    "BatchReport",
    "Client",
    "Contact",
    "ContactChanges",
    "ContactFields",
    "ContactPage",
    "Delivery",
    "Group",
    "ImportJob",
    "Lookup",
    "NumberFormats",
    "NumberMatches",
    "Reply",
    "Retry",
    "RowResult",
    "StopEntry",
    "Webhook",
]
