"""Reading a flat XML answer (an error envelope) as the JSON document it mirrors."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import httpx


def xml_envelope(response: httpx.Response) -> dict[str, str]:
    """The children of ``<response>`` as tag -> text; fails unless well-formed XML."""
    assert response.headers["content-type"].startswith("application/xml"), response.text
    root = ET.fromstring(response.content)
    assert root.tag == "response"
    return {child.tag: child.text or "" for child in root}


def as_xml_text(document: dict[str, Any]) -> dict[str, str]:
    """A flat JSON document as its XML rendering reads: booleans as true/false."""
    return {
        key: ("true" if value else "false") if isinstance(value, bool) else str(value)
        for key, value in document.items()
    }
