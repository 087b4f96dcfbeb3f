"""What a write may meet that the domain answers: another writer got there first."""

from __future__ import annotations


class PhoneTaken(Exception):
    """A number being stored is already in the group: another writer got there first."""


class GroupGone(Exception):
    """The group was deleted by another writer before the rows could be stored."""
