"""Every text of the dashboard has its French translation in the Babel catalog."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

WEB = Path(__file__).parent.parent / "src" / "carnet" / "web"
_CALL = re.compile(r"""_\(\s*(["'])((?:(?!\1).)*)\1""")
_LABELS = re.compile(r"(?:_LABELS|BUCKET_LABELS) = \{(.*?)\}", re.S)


def _message_ids() -> set[str]:
    found: set[str] = set()
    for path in WEB.rglob("*"):
        if path.suffix in (".html", ".py"):
            text = path.read_text()
            found.update(m.group(2) for m in _CALL.finditer(text))
            for block in _LABELS.findall(text):
                found.update(re.findall(r':\s*"([^"]+)"', block))
    return found


def test_every_message_has_a_french_translation() -> None:
    with (WEB / "locale" / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po)
    translated = {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}
    ids = _message_ids()
    assert len(ids) > 100
    assert sorted(ids - set(translated)) == []
    for message_id, text in translated.items():
        # Placeholders survive translation.
        assert sorted(re.findall(r"%\(\w+\)s", message_id)) == sorted(
            re.findall(r"%\(\w+\)s", str(text))
        ), message_id
