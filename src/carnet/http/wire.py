"""The wire format: parameters in (JSON, form, query string), envelopes out (JSON, XML).

Parameters may come as a JSON object, as a form body with PHP-style nested
names (``contact[firstname]``, ``contactsList[0][phoneNumber]``) or in the
query string; where a name is in both, the body wins.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape

from starlette.requests import Request
from starlette.responses import Response

from carnet.errors import CarnetError, InvalidParameter, MalformedJson

Params = dict[str, Any]

# Deepest nesting a form name may have; deeper names are ignored.
_MAX_FORM_DEPTH = 8
# Most fields a form body may have: a full batch of 500 rows of 11 fields fits
# many times over; more is refused (code 3) before any is parsed.
MAX_FORM_FIELDS = 20_000
# Deepest nesting a JSON body may have (a batch row's field is at depth 3);
# deeper bodies are refused with code 90.
MAX_JSON_DEPTH = 16
_BRACKETS = re.compile(r"\[([^\[\]]*)\]")


def parse_nested(pairs: Iterable[tuple[str, str]]) -> Params:
    """Build nested parameters from ``a[b][c]=v`` pairs, PHP's way.

    Objects whose keys are all integers become lists, in key order; ``a[]``
    appends.
    """
    root: Params = {}
    for name, value in pairs:
        head, _, rest = name.partition("[")
        keys = [head]
        if rest:
            keys += _BRACKETS.findall("[" + rest)
        if not head or len(keys) > _MAX_FORM_DEPTH:
            continue
        node: Any = root
        for depth, key in enumerate(keys):
            last = depth == len(keys) - 1
            if key == "":
                key = str(len(node))
            if last:
                node[key] = value
                break
            child = node.get(key)
            if not isinstance(child, dict):
                child = {}
                node[key] = child
            node = child
    # The top level stays an object even when its names are numbers.
    return {name: _lists(value) for name, value in root.items()}


def is_ascii_number(text: str) -> bool:
    """Whether ``text`` is a whole number written in ASCII digits only.

    ``str.isdigit`` alone accepts any script's digits and signs such as "²",
    which ``int`` then refuses or reads in ways no client meant.
    """
    return text.isascii() and text.isdigit()


def _lists(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    converted = {key: _lists(value) for key, value in node.items()}
    if converted and all(is_ascii_number(key) and len(key) < 7 for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted


def _parse_json(body: bytes) -> Params:
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        raise MalformedJson("The JSON body is malformed") from None
    if not isinstance(value, dict):
        raise MalformedJson("The JSON body must be an object")
    if _too_deep(value, MAX_JSON_DEPTH):
        raise MalformedJson(f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep")
    params: Params = value
    return params


def _too_deep(value: Any, limit: int) -> bool:
    """Whether objects and lists nest more than ``limit`` levels (without recursion)."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        node, depth = pending.pop()
        if depth > limit:
            return True
        for child in node.values() if isinstance(node, dict) else node:
            if isinstance(child, dict | list):
                pending.append((child, depth + 1))
    return False


def parse_body(body: bytes, content_type: str) -> Params:
    """The body's parameters, by content type; an empty body has none."""
    media = content_type.split(";", 1)[0].strip().lower()
    if not body.strip():
        return {}
    if media == "application/json" or media.endswith("+json"):
        return _parse_json(body)
    if media == "application/x-www-form-urlencoded":
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = body.decode("latin-1")
        return _parse_form(text)
    # No or another content type: JSON if it looks like JSON, a form otherwise.
    if body.lstrip()[:1] in (b"{", b"["):
        return _parse_json(body)
    return _parse_form(body.decode("utf-8", "replace"))


def _parse_form(text: str) -> Params:
    try:
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
    except ValueError:
        raise InvalidParameter(f"The form body has more than {MAX_FORM_FIELDS} fields") from None
    return parse_nested(pairs)


async def read_params(request: Request) -> Params:
    """Query string and body parameters, merged (the body wins), whatever the method."""
    query = request.scope.get("query_string")
    params = parse_nested(request.query_params.multi_items()) if query else {}
    body = await request.body()
    if body:
        params.update(parse_body(body, request.headers.get("content-type", "")))
    return params


def api_key(params: Mapping[str, Any], request: Request) -> str | None:
    """``apiKey`` if present, else ``X-Api-Key``, else ``Authorization: Bearer``."""
    key = params.get("apiKey")
    if isinstance(key, str) and key:
        return key
    header = request.headers.get("x-api-key")
    if header:
        return header.strip()
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def wants_xml(params: Mapping[str, Any] | None, request: Request) -> bool:
    """Whether ``_format=xml`` was asked, in the parameters read or the query string."""
    fmt = (params or {}).get("_format")
    if not fmt and request.scope.get("query_string"):
        fmt = request.query_params.get("_format")
    return isinstance(fmt, str) and fmt.lower() == "xml"


# -- envelopes -------------------------------------------------------------


def success_body(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The success envelope around ``payload``."""
    return {"success": True, "code": 200, **payload}


def error_body(error: CarnetError) -> dict[str, Any]:
    """The error envelope of ``error``, with ``errors`` when it names fields.

    ``errors`` is upstream's list: one ``{elementId, message}`` per field at
    fault, in the order the error names them (the contract's order of fields).
    """
    body: dict[str, Any] = {"success": False, "code": error.code, "message": error.message}
    if error.errors:
        body["errors"] = field_errors(error.errors)
    return body


def field_errors(errors: Mapping[str, str]) -> list[dict[str, str]]:
    """Field -> reason in upstream's shape: ``[{"elementId": "children[<field>].data", ...}]``."""
    return [{"elementId": element_id(name), "message": reason} for name, reason in errors.items()]


def element_id(field: str) -> str:
    """How upstream names a field in its errors: ``children[<wire name>].data``."""
    return f"children[{field}].data"


_COMPACT_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def render(body: Mapping[str, Any], *, status: int = 200, xml: bool = False) -> Response:
    """``body`` as JSON, or as XML when asked."""
    if xml:
        return Response(to_xml(body), status_code=status, media_type="application/xml")
    text = _COMPACT_JSON.encode(body)
    try:
        content = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate somewhere: escape everything
        content = json.dumps(body, separators=(",", ":")).encode("ascii")
    return Response(content, status_code=status, media_type="application/json")


# -- XML -------------------------------------------------------------------

_XML_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
# Characters XML 1.0 cannot carry at all, lone surrogates among them (an echo of
# a JSON "\ud800"): dropped from text, so that the document stays well-formed.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "".join(_xml_element(str(k), v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return "".join(_xml_element("item", v) for v in value)
    return escape(_XML_FORBIDDEN.sub("", str(value)))


def _xml_element(name: str, value: Any) -> str:
    tag = name if _XML_NAME.fullmatch(name) and not name.lower().startswith("xml") else "item"
    inner = _xml_value(value)
    return f"<{tag}>{inner}</{tag}>" if inner else f"<{tag}/>"


def to_xml(body: Mapping[str, Any]) -> str:
    """The document as XML: root ``<response>``, list items as ``<item>``."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + _xml_element("response", body)
