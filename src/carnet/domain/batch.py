"""Adding many contacts at once, and the report that answers it (SPEC §4).

Every row is judged by the same rules as a single add; the rows that pass are
stored in one transaction; every row lands in exactly one bucket of the report.

Two options of carnet's own (:class:`BatchOptions`) change what happens to the
rows, never how they are judged: a *dry run* judges every row exactly as a
real batch would (the stop list, the group as it is, repeats within the batch)
and stores nothing; *keeping invalid optional fields* stores a row whose
number is valid but whose optional field breaks its rule (codes 3, 18, 16, 17)
without that field, as a success carrying a warning per field left out.
The report's shapes (:class:`RowOutcome`, :class:`BatchOutcome`) live in
:mod:`carnet.domain.batch_outcome`. A single batch, the command line's import
and the server's import jobs all come through :func:`add_batch` or
:func:`place_rows`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence, Set

from carnet.contract import BATCH_MAX, FIELDS_BY_ATTRIBUTE
from carnet.contract import FIELDS_BY_WIRE as _BY_WIRE
from carnet.domain import audit
from carnet.domain.batch_outcome import (
    DUPLICATE,
    EMPTY,
    FIELD_BUCKETS,
    IN_GROUP,
    STOP_SMS,
    UPDATED,
    WOULD_BE_ADDED,
    WOULD_BE_UPDATED,
    BatchOptions,
    BatchOutcome,
    FieldWarning,
    RowOutcome,
    refuse,
)
from carnet.domain.changes import contacts_changed
from carnet.domain.contact_rules import check_contact
from carnet.domain.groups import find_group, get_group
from carnet.domain.ids import new_public_ids, now_iso
from carnet.domain.phones import normalise_phone
from carnet.domain.records import (
    CONTACT_COLUMNS,
    Account,
    ContactInput,
    GroupRecord,
    ValidContact,
)
from carnet.errors import BatchTooLarge, InvalidFields, MissingContactInfo
from carnet.storage import GroupGone, PhoneTaken, Queries, Store

_PHONE = FIELDS_BY_ATTRIBUTE["phone"].wire


def _raw_phone(row: ContactInput) -> str:
    value = row.phone
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _without(row: ContactInput, problem: InvalidFields) -> tuple[ValidContact, list[FieldWarning]]:
    """The row stored without the optional fields ``problem`` names, and a warning for each."""
    left_out = {_BY_WIRE[wire].attribute: None for wire in problem.errors}
    contact = check_contact(dataclasses.replace(row, **left_out))
    warnings = [
        FieldWarning(wire, f"{reason}; the contact was stored without it")
        for wire, reason in problem.errors.items()
    ]
    return contact, warnings


def judge_row(row: ContactInput | None, *, keep_invalid_optional: bool = False) -> RowOutcome:
    """Apply the contact rules to one row; no storage involved.

    ``None`` is a row that holds no contact at all (on the wire, one that is
    not an object): it lands in ``empty``. With ``keep_invalid_optional``, a
    row whose number is valid passes without the optional fields at fault.
    """
    if row is None:
        return RowOutcome("", EMPTY[1], "Contact info is required", bucket=EMPTY[0])
    try:
        contact = check_contact(row)
    except MissingContactInfo as exc:
        return RowOutcome(_raw_phone(row), exc.code, exc.message, bucket=EMPTY[0])
    except InvalidFields as exc:
        problems = tuple(FieldWarning(wire, reason) for wire, reason in exc.errors.items())
        if _PHONE in exc.codes:
            bucket = FIELD_BUCKETS[exc.code]
            return RowOutcome(
                _raw_phone(row), exc.code, exc.message, bucket=bucket, field_errors=problems
            )
        if keep_invalid_optional:
            kept, warnings = _without(row, exc)
            return RowOutcome(kept.phone, contact=kept, warnings=tuple(warnings))
        # The number itself passed: report it in E.164 like a stored row's.
        phone = normalise_phone(_raw_phone(row))
        bucket = FIELD_BUCKETS[exc.code]
        return RowOutcome(phone, exc.code, exc.message, bucket=bucket, field_errors=problems)
    return RowOutcome(contact.phone, contact=contact)


def judge_rows(rows: Sequence[ContactInput | None], options: BatchOptions) -> list[RowOutcome]:
    """Every row judged by the contact rules alone (no storage), in order."""
    keep = options.keep_invalid_optional
    return [judge_row(row, keep_invalid_optional=keep) for row in rows]


def add_batch(
    store: Store,
    account: Account,
    group_id: str,
    rows: Sequence[ContactInput | None],
    options: BatchOptions = BatchOptions(),
) -> BatchOutcome:
    """Judge every row, store the valid ones in one transaction, report on all.

    The group's 404 answers first, then the batch's size (code 50 past
    ``BATCH_MAX`` rows, code 2 for none). A dry run reads in one snapshot and
    writes nothing.
    """
    if not 0 < len(rows) <= BATCH_MAX:
        get_group(store, account, group_id)
        if rows:
            raise BatchTooLarge(f"A batch holds at most {BATCH_MAX} contacts, got {len(rows)}")
        raise MissingContactInfo("contactsList is empty")

    results = judge_rows(rows, options)
    try:
        # Unlocked, the checks hold unless a writer stores one of the numbers (or deletes the
        # group) before the insert locks the group: then nothing is stored, and all again.
        group = _store_batch(store, account, group_id, results, options, options.upsert)
    except (PhoneTaken, GroupGone):
        results = judge_rows(rows, options)
        group = _store_batch(store, account, group_id, results, options, True)
    return BatchOutcome(group, results, options)


def _store_batch(
    store: Store,
    account: Account,
    group_id: str,
    rows: list[RowOutcome],
    options: BatchOptions,
    lock: bool,
) -> GroupRecord:
    with store.read() if options.dry_run else store.write() as q:
        group = find_group(q, account, group_id, lock=lock and not options.dry_run)
        stored = place_rows(q, account, group, rows, options)
        if stored and not options.dry_run:
            audit.record(
                q,
                account,
                "contacts.added",
                [group.public_id],
                rows=len(rows),
                imported=len(stored),
                refused=len(rows) - len(stored),
            )
    return group


def place_rows(
    q: Queries,
    account: Account,
    group: GroupRecord,
    results: list[RowOutcome],
    options: BatchOptions,
    stored_before: Set[str] = frozenset(),
    *,
    actor: str = "api",
) -> list[RowOutcome]:
    """Sort judged rows into the stop list, the group and repeats; store the rest.

    Runs in the caller's transaction, so that an import job commits its rows
    with its own progress. Unless the group is locked already, storing the rows
    locks it; should a number have been stored into it meanwhile, the insert
    raises :class:`PhoneTaken` and nothing of the transaction holds. ``stored_before``
    holds numbers a dry run counts as in the group already (stored by an earlier
    batch of the same import, had it not been a dry run). Returns the rows stored
    (or that would be). The rows stored are one ``contact.added`` change, the rows
    an upsert updated one ``contact.updated`` change, by ``actor``.
    """
    candidates = [r.phone_number for r in results if r.success]
    stopped, present = q.stopped_and_in_group(account.id, group.id, candidates)
    accepted: dict[str, RowOutcome] = {}
    updates: dict[str, RowOutcome] = {}
    for result in results:
        if not result.success:
            continue
        phone = result.phone_number
        if phone in stopped:
            refuse(result, STOP_SMS)
        elif phone in accepted or phone in updates:
            refuse(result, DUPLICATE)
        elif phone in present or phone in stored_before:
            if options.upsert:
                updates[phone] = result
            else:
                refuse(result, IN_GROUP)
        else:
            accepted[phone] = result
    _update_rows(q, group, updates, options)
    if options.dry_run:
        for result in accepted.values():
            result.message = WOULD_BE_ADDED
        return list(accepted.values())
    for result, public_id in zip(accepted.values(), new_public_ids(len(accepted)), strict=True):
        result.contact_id = public_id
    q.insert_contacts(
        account.id,
        group,
        [(r.contact_id, r.contact) for r in accepted.values() if r.contact is not None],
        now_iso(),
    )
    added = [r.contact_id for r in accepted.values()]
    contacts_changed(q, account.id, "contact.added", group.public_id, added, actor)
    updated = [r.contact_id for r in updates.values() if r.contact_id]
    contacts_changed(q, account.id, "contact.updated", group.public_id, updated, actor)
    return list(accepted.values())


def _update_rows(
    q: Queries, group: GroupRecord, updates: dict[str, RowOutcome], options: BatchOptions
) -> None:
    """Update the group's contacts with these rows' non-empty fields (upsert)."""
    if not updates:
        return
    ids = q.contact_ids_of_phones(group.id, updates)
    for phone, result in updates.items():
        result.updated = True
        result.message = WOULD_BE_UPDATED if options.dry_run else UPDATED
        found = ids.get(phone)
        if found is None:  # in the group only as stored by an earlier batch of a dry run
            continue
        result.contact_id = found[1]
        if result.contact is not None and not options.dry_run:
            values = {
                name: value
                for name, value in zip(CONTACT_COLUMNS, _fields(result.contact), strict=True)
                if value != "" and name != "phone"
            }
            if values:
                q.update_contact(found[0], values)


def _fields(contact: ValidContact) -> tuple[str, ...]:
    return dataclasses.astuple(contact)


# What this module answers with, for those that import it from here.
__all__ = [
    "BatchOptions",
    "BatchOutcome",
    "FieldWarning",
    "RowOutcome",
    "add_batch",
    "judge_row",
    "judge_rows",
    "place_rows",
]
