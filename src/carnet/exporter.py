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
    client: Client,
    group_id: str,
    out: IO[str],
    on_progress: ExportProgress | None = None,
    *,
    delimiter: str = ",",
) -> int:
    """Write the header and every contact of the group to ``out``; answer how many.

    Nothing is written before the first page has come back: an unknown group
    raises :class:`~carnet.errors.NotFoundError` with ``out`` untouched.
    """
    writer = csv.writer(out, delimiter=delimiter)
    written = 0
    for index, page in enumerate(client.iter_pages(group_id)):
        if index == 0:
            writer.writerow(CONTACT_ATTRIBUTES)
        writer.writerows(contact_cells(c) for c in page.contacts)
        written += len(page.contacts)
        if on_progress is not None:
            on_progress(written, max(page.total, written))
    return written
