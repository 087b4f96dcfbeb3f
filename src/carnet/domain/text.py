"""What text a database can hold and a field may carry: shared by every rule on text."""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 control characters but the white space of text (tab and line ends: a note
# may hold several lines, and an export gives them back): PostgreSQL cannot
# store NUL, and none of the others belongs in a name or a note.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def is_unicode_text(text: str) -> bool:
    """False for text holding a lone surrogate (a JSON "\\ud800"), which no database stores."""
    return text.isascii() or _SURROGATE.search(text) is None


def has_control_characters(text: str) -> bool:
    """Whether ``text`` holds a C0 control character other than tab, LF or CR (NUL among them)."""
    return _CONTROL.search(text) is not None
