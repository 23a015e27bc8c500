"""Request validation driven by ``backend_client/openapi.yaml`` itself.

The reference backend checks every request body against the contract's own schemas instead of
hand-written checks, so the document and the server cannot drift apart: if the YAML allows it,
the server accepts it, and vice versa. Only the JSON Schema subset the contract uses is
implemented (type, enum, required, properties, additionalProperties, pattern, lengths, bounds,
items, oneOf, $ref) — a small, auditable piece rather than another dependency.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from backend_client import OPENAPI_PATH

SPEC_PATH = OPENAPI_PATH

_TYPES: dict[str, Any] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


@lru_cache(maxsize=1)
def load_spec(path: Path = SPEC_PATH) -> dict[str, Any]:
    with path.open(encoding="utf-8") as f:
        spec: dict[str, Any] = yaml.safe_load(f)
    return spec


@lru_cache(maxsize=256)
def _pattern(p: str) -> re.Pattern[str]:
    return re.compile(p)


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def errors(value: Any, schema: dict[str, Any], spec: dict[str, Any] | None = None,
           where: str = "body") -> list[str]:
    """Every way ``value`` breaks ``schema`` (empty list = valid)."""
    spec = spec or load_spec()
    schema = _resolve(schema, spec)
    out: list[str] = []
    if "oneOf" in schema:
        matches = sum(1 for s in schema["oneOf"] if not errors(value, s, spec, where))
        if matches != 1:
            out.append(f"{where}: matches {matches} of the allowed shapes, expected exactly 1")
        return out
    typ = schema.get("type")
    if typ is not None:
        types = typ if isinstance(typ, list) else [typ]
        if not any(_TYPES[t](value) for t in types):
            return [f"{where}: expected {'/'.join(types)}"]
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{where}: must be one of {schema['enum']}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            out.append(f"{where}: too short")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            out.append(f"{where}: too long")
        if "pattern" in schema and not _pattern(schema["pattern"]).search(value):
            out.append(f"{where}: does not match {schema['pattern']}")
    if _TYPES["number"](value):
        if "minimum" in schema and value < schema["minimum"]:
            out.append(f"{where}: below {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            out.append(f"{where}: above {schema['maximum']}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            out.append(f"{where}: needs at least {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            out.append(f"{where}: at most {schema['maxItems']} items")
        if "items" in schema:
            for i, item in enumerate(value):
                out += errors(item, schema["items"], spec, f"{where}[{i}]")
    if isinstance(value, dict):
        props: dict[str, Any] = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                out.append(f"{where}.{name}: required")
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            if name in props:
                out += errors(item, props[name], spec, f"{where}.{name}")
            elif extra is False:
                out.append(f"{where}.{name}: not allowed")
            elif isinstance(extra, dict):
                out += errors(item, extra, spec, f"{where}.{name}")
    return out


def schema(name: str) -> dict[str, Any]:
    """``#/components/schemas/<name>`` as a ``$ref`` node."""
    return {"$ref": f"#/components/schemas/{name}"}
