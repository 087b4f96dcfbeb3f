"""The OpenAPI description: request bodies and error answers for every route."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, TypeAdapter

from carnet.http.schemas import ErrorBody

_MARK = "x-carnet-body"
_bodies: dict[str, type[BaseModel]] = {}

_ERRORS = {
    "400": "Missing or invalid input (codes 1, 2, 3, 9, 16, 17, 18, 50, 90)",
    "401": "Missing or incorrect API key (code 10)",
    "404": "Unknown id or path (code 404)",
    "405": "Method not allowed (code 405)",
    "409": "On the stop list (14) or already in the group (15)",
    "413": "Request body too large (code 413)",
    "429": "Too many requests (code 429); see Retry-After",
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


def route_doc(
    answer: Any,
    *,
    body: type[BaseModel] | None = None,
    query: tuple[str, ...] = (),
    errors: tuple[int, ...] = (400, 401, 404, 405, 413, 429),
) -> dict[str, Any]:
    """Keyword arguments for a route decorator that document it."""
    responses: dict[int | str, dict[str, Any]] = {200: {"model": answer}}
    for status in errors:
        responses[status] = {"model": ErrorBody, "description": _ERRORS[str(status)]}
    if 429 in errors:
        responses[429]["headers"] = _RETRY_AFTER
    extra: dict[str, Any] = {}
    parameters: list[dict[str, Any]] = [
        {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
        for name in ("apiKey", *query)
    ]
    parameters.append(_FORMAT)
    extra["parameters"] = parameters
    if body is not None:
        _bodies[body.__name__] = body
        extra[_MARK] = body.__name__
    return {"responses": responses, "openapi_extra": extra, "response_model": None}


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        schema["components"]["securitySchemes"] = _SECURITY_SCHEMES
        for path, path_item in schema.get("paths", {}).items():
            for method, operation in path_item.items():
                name = operation.pop(_MARK, None)
                if not path.startswith("/v1/"):
                    continue
                _answers_in_xml_too(operation)
                operation["security"] = [{key: []} for key in _SECURITY_SCHEMES]
                # A GET's body is not read: its parameters are the query's.
                if name is None or method == "get":
                    continue
                model = _bodies[name]
                model_schema = TypeAdapter(model).json_schema(
                    ref_template="#/components/schemas/{model}"
                )
                components.update(model_schema.pop("$defs", {}))
                components[name] = model_schema
                ref = {"$ref": f"#/components/schemas/{name}"}
                operation["requestBody"] = {
                    "required": False,
                    "content": {
                        "application/json": {"schema": ref},
                        "application/x-www-form-urlencoded": {"schema": ref},
                    },
                }
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _answers_in_xml_too(operation: dict[str, Any]) -> None:
    """Every answer may come as XML (``_format=xml``): say so next to the JSON."""
    for response in operation.get("responses", {}).values():
        content = response.get("content", {})
        if "application/json" in content:
            content["application/xml"] = {"schema": {"type": "string"}}
