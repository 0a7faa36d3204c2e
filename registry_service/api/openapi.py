"""`/api/v1/openapi.json`, generated from the declared routes and their pydantic models."""

from __future__ import annotations

import re

from aiohttp import web

from registry_service import __version__
from registry_service.api.routing import API_PREFIX
from registry_service.api.state import ROUTE_SPECS

_ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}


def openapi_document(app: web.Application) -> dict:
    paths: dict[str, dict] = {}
    schemas: dict[str, dict] = {"Error": _ERROR_SCHEMA}
    for spec in app[ROUTE_SPECS]:
        operation: dict = {
            "summary": spec.summary,
            "operationId": spec.handler.__name__,
            "tags": list(spec.tags),
            "responses": {
                str(code): {"description": text}
                for code, text in (spec.responses or {200: "ok"}).items()
            }
            or {"200": {"description": "ok"}},
        }
        operation["responses"].setdefault(
            "default",
            {
                "description": "error",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            },
        )
        if spec.auth in ("extension", "full", "admin"):
            operation["security"] = [{"bearer": []}]
            operation["x-scope"] = spec.auth
        params = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in re.findall(r"{(\w+)}", spec.path)
        ]
        if spec.query is not None:
            schema = spec.query.model_json_schema()
            required = set(schema.get("required", []))
            params += [
                {"name": name, "in": "query", "required": name in required, "schema": prop}
                for name, prop in schema.get("properties", {}).items()
            ]
        if params:
            operation["parameters"] = params
        if spec.body is not None:
            schema = spec.body.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(schema.pop("$defs", {}))
            schemas[spec.body.__name__] = schema
            operation["requestBody"] = {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"#/components/schemas/{spec.body.__name__}"}
                    }
                },
            }
        paths.setdefault(API_PREFIX + spec.path, {})[spec.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "Omniflattr registry API", "version": __version__},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
