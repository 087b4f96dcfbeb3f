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
    extra: dict[str, Any] = {}
    parameters = [
        {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
        for name in ("apiKey", *query, "_format")
    ]
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
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                name = operation.pop(_MARK, None)
                if name is None:
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
