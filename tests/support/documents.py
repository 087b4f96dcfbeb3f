"""Comparing an answer asked as XML with the same answer as JSON (SPEC §1)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

# What XML 1.0 cannot carry, and the contract drops from text: control
# characters but tab and line ends, lone surrogates, U+FFFE and U+FFFF.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def parse_xml(response: Any) -> ET.Element:
    """The ``<response>`` root of an answer that must be well-formed XML."""
    assert response.headers["content-type"].startswith("application/xml"), response.text
    root = ET.fromstring(response.content)
    assert root.tag == "response"
    return root


def assert_same_document(element: ET.Element, value: Any, where: str = "response") -> None:
    """The XML element carries ``value`` (the JSON answer), less what XML cannot carry."""
    children = list(element)
    if isinstance(value, dict):
        assert [c.tag for c in children] == list(value), where
        for child, (key, item) in zip(children, value.items(), strict=True):
            assert_same_document(child, item, f"{where}/{key}")
    elif isinstance(value, list):
        assert [c.tag for c in children] == ["item"] * len(value), where
        for child, item in zip(children, value, strict=True):
            assert_same_document(child, item, f"{where}/item")
    elif isinstance(value, bool):
        assert element.text == ("true" if value else "false"), where
    else:
        text = "" if value is None else _NOT_IN_XML.sub("", str(value))
        assert (element.text or "") == text and not children, where
