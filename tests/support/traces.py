"""Reading every table of a database, as it is, to find what it holds about someone."""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData, select

from carnet.storage import Store


def _text(value: Any) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        raw = bytes(value)
        return raw.decode("utf-8", "replace") + raw.decode("cp1252", "replace")
    return "" if value is None else str(value)


def every_cell(store: Store) -> dict[str, list[str]]:
    """Table name -> the text of every cell of every row, for every table there is."""
    tables = MetaData()
    tables.reflect(store.engine)
    cells: dict[str, list[str]] = {}
    with store.engine.connect() as conn:
        for table in tables.sorted_tables:
            rows = conn.execute(select(table)).all()
            cells[table.name] = [_text(value) for row in rows for value in row]
    assert "contacts" in cells and "stop_entries" in cells  # the reflection saw the schema
    return cells


def _digits(text: str) -> str:
    return "".join(ch for ch in text if "0" <= ch <= "9")


def tables_with_number(store: Store, national: str) -> set[str]:
    """The tables a cell of which holds the number, in any spelling: its national
    significant digits (``612345678`` for +33 6 12 34 56 78) among the cell's digits."""
    return {
        name
        for name, cells in every_cell(store).items()
        if any(national in _digits(cell) for cell in cells)
    }


def tables_with_text(store: Store, *needles: str) -> set[str]:
    """The tables a cell of which holds any of ``needles`` (names, keys) as written."""
    return {
        name
        for name, cells in every_cell(store).items()
        if any(needle in cell for cell in cells for needle in needles)
    }
