"""Writing a group's contacts as CSV, as the server streams them, with every field.

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

# (contacts written, contacts in the group), every so many contacts and at the end.
ExportProgress = Callable[[int, int], None]
_PROGRESS_EVERY = 500


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

    The group comes in one streamed answer (``contact/export``), written as it
    arrives. Nothing is written before the server has answered: an unknown group
    raises :class:`~carnet.errors.NotFoundError` with ``out`` untouched.
    """
    writer = csv.writer(out, delimiter=delimiter)
    written = 0
    with client.export_contacts(group_id) as contacts:
        writer.writerow(CONTACT_ATTRIBUTES)
        for contact in contacts:
            writer.writerow(contact_cells(contact))
            written += 1
            if on_progress is not None and written % _PROGRESS_EVERY == 0:
                on_progress(written, max(contacts.total, written))
    if on_progress is not None:
        on_progress(written, max(contacts.total, written))
    return written
