"""The OpenAPI document, built from the table of routes, and the docs page that shows it.

Each endpoint of :data:`carnet.http.routes.ENDPOINTS` becomes one operation per
method: its parameters, its request body (not for GET), its success answer and
its error answers, each in JSON and in XML (``_format=xml``). The schemas are
those of :mod:`carnet.http.openapi_models`, rendered by pydantic.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from carnet.http.openapi_models import ErrorBody, Health
from carnet.http.routes import ENDPOINTS, Endpoint

_REF = "#/components/schemas/{model}"

_ERRORS = {
    400: "Missing or invalid input (codes 1, 2, 3, 9, 16, 17, 18, 50, 90)",
    401: "Missing or incorrect API key (code 10)",
    404: "Unknown id or path (code 404)",
    405: "Method not allowed (code 405)",
    409: "On the stop list (14) or already in the group (15)",
    413: "Request body too large (code 413)",
    429: "Too many requests (code 429); see Retry-After",
    503: "The database does not answer (code 500)",
}
_FORMAT = {
    "name": "_format",
    "in": "query",
    "required": False,
    "description": "`xml` for an XML answer (root `<response>`); JSON otherwise",
    "schema": {"type": "string", "enum": ["json", "xml"]},
}
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before the next request",
        "schema": {"type": "string", "pattern": "^[0-9]+$"},
    }
}
_SECURITY_SCHEMES = {
    "apiKeyParameter": {"type": "apiKey", "in": "query", "name": "apiKey"},
    "apiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
    "bearer": {"type": "http", "scheme": "bearer"},
}
_XML = {"schema": {"type": "string"}}


def _ref(model: type[BaseModel]) -> dict[str, Any]:
    return {"$ref": _REF.format(model=model.__name__)}


def _answer(description: str, *models: type[BaseModel]) -> dict[str, Any]:
    schema = _ref(models[0]) if len(models) == 1 else {"anyOf": [_ref(m) for m in models]}
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}, "application/xml": _XML},
    }


def _responses(
    answers: tuple[type[BaseModel], ...], errors: tuple[int, ...], media: str | None = None
) -> dict[str, Any]:
    if media is not None:
        success = {"description": "Success", "content": {media: {"schema": {"type": "string"}}}}
    else:
        success = _answer("Success", *answers)
    responses = {"200": success}
    for status in errors:
        responses[str(status)] = _answer(_ERRORS[status], ErrorBody)
        if status == 429:
            responses["429"]["headers"] = _RETRY_AFTER
    return responses


def _operation(entry: Endpoint, method: str) -> dict[str, Any]:
    key = ("apiKey",) if entry.authenticated else ()
    parameters = [
        {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
        for name in (*key, *entry.query)
    ]
    parameters += [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in _path_parameters(entry.path)
    ]
    operation: dict[str, Any] = {
        "tags": [entry.tag],
        "summary": entry.summary,
        "operationId": f"{entry.handler.__name__}_{method.lower()}",
        "parameters": [*parameters, _FORMAT],
        "responses": _responses(entry.answers, entry.errors, entry.answer_media),
        "security": [{name: []} for name in _SECURITY_SCHEMES] if entry.authenticated else [],
    }
    if entry.body is not None and method != "GET":
        body = {"schema": _ref(entry.body)}
        operation["requestBody"] = {
            "required": False,
            "content": dict.fromkeys(entry.body_media, body),
        }
    return operation


def _path_parameters(path: str) -> list[str]:
    return re.findall(r"{([A-Za-z_]+)}", path)


_HEALTH = {
    "get": {
        "tags": ["service"],
        "summary": "200 when the database answers",
        "operationId": "healthz_get",
        "parameters": [_FORMAT],
        "responses": _responses((Health,), (400, 413, 503)),
    }
}


def _schemas() -> dict[str, Any]:
    """Every model the operations name, under its own name."""
    used: list[tuple[type[BaseModel], JsonSchemaMode]] = [
        (ErrorBody, "serialization"),
        (Health, "serialization"),
    ]
    for entry in ENDPOINTS:
        used += [(model, "serialization") for model in entry.answers]
        if entry.body is not None:
            used.append((entry.body, "validation"))
    _, schema = models_json_schema(list(dict.fromkeys(used)), ref_template=_REF)
    definitions: dict[str, Any] = schema.get("$defs", {})
    return definitions


def openapi_document(title: str, version: str, description: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document of carnet's API."""
    paths: dict[str, Any] = {}
    for entry in ENDPOINTS:
        item = paths.setdefault(entry.path, {})
        for method in entry.methods:
            item[method.lower()] = _operation(entry, method)
    paths["/healthz"] = _HEALTH
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version, "description": description},
        "paths": paths,
        "components": {"schemas": _schemas(), "securitySchemes": _SECURITY_SCHEMES},
    }


DOCS_PAGE = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>carnet API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<link rel="icon" href="/docs/assets/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>
SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true});
</script>
</body>
</html>
"""
