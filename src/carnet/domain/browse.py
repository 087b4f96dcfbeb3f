"""What the dashboard reads of a group: a page of WEB_PAGE_SIZE contacts, and searches."""

from __future__ import annotations

from carnet.contract import WEB_PAGE_SIZE
from carnet.domain.contacts import MAX_PAGE, GroupPage
from carnet.domain.groups import find_group
from carnet.domain.phones import InvalidPhone, normalise_phone
from carnet.domain.records import Account, ContactRecord, StopRecord
from carnet.storage import Store

SEARCH_LIMIT = 100  # contacts a name search shows at most


def group_page(store: Store, account: Account, group_id: str, page: int) -> GroupPage:
    """Page ``page`` (from 1, clamped) of the group, WEB_PAGE_SIZE contacts, oldest first.

    Read by a range of positions, as the API's pages: as fast deep in the group
    as at its start.
    """
    page = min(max(page, 1), MAX_PAGE)
    with store.read() as q:
        group = find_group(q, account, group_id)
        found = q.contacts_page(group, (page - 1) * WEB_PAGE_SIZE, WEB_PAGE_SIZE)
    return GroupPage(page, group.contact_count, found)


def _as_number(query: str) -> str | None:
    if not any(c.isdigit() for c in query):
        return None
    try:
        return normalise_phone(query)
    except InvalidPhone:
        return None


def search_group(store: Store, account: Account, group_id: str, query: str) -> list[ContactRecord]:
    """Contacts matching ``query``: a number in any spelling the rules read
    (06 12…, +33 6…, 0033…), else the start of a first or last name."""
    text = query.strip()
    number = _as_number(text)
    with store.read() as q:
        group = find_group(q, account, group_id)
        if number is not None:
            return q.group_contacts_with_phone(group, number)
        return q.contacts_named(group, text, SEARCH_LIMIT)


def search_stops(stops: list[StopRecord], query: str) -> list[StopRecord]:
    """The entries matching ``query``: its number in any spelling, else the digits given."""
    text = query.strip()
    number = _as_number(text)
    if number is not None:
        return [s for s in stops if s.phone == number]
    digits = "".join(c for c in text if c.isdigit())
    return [s for s in stops if digits and digits in s.phone]
