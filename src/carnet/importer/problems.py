"""Why a file cannot be imported as it is: each message says what to do instead."""

from __future__ import annotations


class SourceError(ValueError):
    """The file cannot be imported as it is; ``str()`` says what to do, on one line."""


class HeaderError(SourceError):
    """The header names no phone column, or ``--map`` names what is not there."""


class UnreadableFile(SourceError):
    """Not a spreadsheet carnet reads (a legacy .xls, another zip, a broken workbook)."""
