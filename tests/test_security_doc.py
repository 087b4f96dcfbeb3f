"""SECURITY.md's table of threats names tests that exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# `tests/file.py::test_name`, or `::test_name` for another test of the same file.
_REFERENCE = re.compile(r"`(tests/[\w/]+\.py)?(?:::(\w+))?`")


def test_every_test_the_threat_table_names_exists() -> None:
    text = (ROOT / "SECURITY.md").read_text()
    table = text[text.index("## What the tests hold") :]
    named = []
    for row in table.splitlines():
        if not row.startswith("| ") or row.startswith(("| threat", "|---")):
            continue
        cell = row.rstrip(" |").rsplit(" | ", 1)[1]
        path = None
        for match in _REFERENCE.finditer(cell):
            path = match[1] or path
            assert path is not None, row
            named.append((path, match[2]))
    assert len(named) > 20
    for path, name in named:
        source = (ROOT / path).read_text()
        if name is not None:
            assert re.search(rf"^def {name}\(", source, re.MULTILINE), f"{path}::{name}"
