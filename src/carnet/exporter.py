"""Writing a group's contacts as CSV, page by page, with every field.

The columns are :class:`carnet.Contact`'s attributes (``id``, ``phone`` in
E.164, ``firstname`` ... ``group_id``); ``carnet import`` reads them back, as
``phone`` and ``short_url`` are among its header names and the others are
ignored.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import datetime
from typing import IO

from carnet.client.base import next_page
from carnet.client.models import CONTACT_ATTRIBUTES, Contact
from carnet.client.sync import Client

# (contacts written, contacts in the group) after each page.
ExportProgress = Callable[[int, int], None]


def contact_cells(contact: Contact) -> list[str]:
    """One CSV row: text as stored, timestamps ISO 8601, ``stop_sms`` true/false."""
    cells = []
    for name in CONTACT_ATTRIBUTES:
        value = getattr(contact, name)
        if isinstance(value, bool):
            cells.append("true" if value else "false")
        elif isinstance(value, datetime):
            cells.append(value.isoformat())
        else:
            cells.append("" if value is None else str(value))
    return cells


def export_group(
    client: Client, group_id: str, out: IO[str], on_progress: ExportProgress | None = None
) -> int:
    """Write the header and every contact of the group to ``out``; answer how many."""
    writer = csv.writer(out)
    writer.writerow(CONTACT_ATTRIBUTES)
    number: int | None = 1
    seen = 0
    while number is not None:
        page = client.list_contacts(group_id, number)
        writer.writerows(contact_cells(c) for c in page.contacts)
        seen += len(page.contacts)
        if on_progress is not None:
            on_progress(seen, max(page.total, seen))
        number = next_page(page, seen)
    return seen
