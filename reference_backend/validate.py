"""Request validation driven by ``backend_client/openapi.yaml`` itself, with ``jsonschema``.

The reference backend checks every request body and header against the contract's own
schemas instead of hand-written checks, so the document and the server cannot drift apart: if
the YAML allows it, the server accepts it, and vice versa. OpenAPI 3.1 schemas are JSON Schema
2020-12, so a well-kept validator of that dialect (``jsonschema``'s ``Draft202012Validator``)
does the checking: ``100.0`` is an integer, ``oneOf``/``$ref``/``pattern`` mean what the
specification says (a hand-written subset got the first one wrong).

Messages name the failing place and rule but never echo the value: a refused body may hold a
citizen's name or mobile number, and problem details end up in logs.
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from backend_client import OPENAPI_PATH

SPEC_PATH = OPENAPI_PATH
SPEC_URI = "urn:seva-kiosk:backend-openapi"
MAX_MESSAGES = 5


@lru_cache(maxsize=1)
def load_spec(path: Path = SPEC_PATH) -> dict[str, Any]:
    with path.open(encoding="utf-8") as f:
        spec: dict[str, Any] = yaml.safe_load(f)
    return spec


#: Validators per (document, schema): the centre service validates against its own document
#: with this module too. The document object is kept alive beside its validators.
_VALIDATORS: dict[tuple[int, str], tuple[dict[str, Any], Draft202012Validator]] = {}
_LOCK = threading.Lock()


def _validator(spec: dict[str, Any], key: str) -> Draft202012Validator:
    """A validator for ``#/components/schemas/<key>`` (or a literal schema, as JSON text)."""
    with _LOCK:
        found = _VALIDATORS.get((id(spec), key))
        if found is not None and found[0] is spec:
            return found[1]
        resource: Resource[Any] = DRAFT202012.create_resource(spec)
        registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
        schema: dict[str, Any] = (json.loads(key) if key.startswith("{")
                                  else {"$ref": f"{SPEC_URI}#/components/schemas/{key}"})
        validator = Draft202012Validator(schema, registry=registry,
                                         format_checker=Draft202012Validator.FORMAT_CHECKER)
        _VALIDATORS[(id(spec), key)] = (spec, validator)
        return validator


def _place(where: str, error: ValidationError) -> str:
    out = where
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _describe(error: ValidationError) -> str:
    """The rule broken, in words, without the offending value."""
    rule, value = error.validator, error.validator_value
    if rule == "type":
        kinds = value if isinstance(value, list) else [value]
        return "expected " + "/".join(str(k) for k in kinds)
    if rule in ("required", "additionalProperties", "unevaluatedProperties"):
        return error.message  # names properties, never values
    if rule == "pattern":
        return f"does not match {value}"
    if rule in ("minLength", "maxLength"):
        return f"{'too short' if rule == 'minLength' else 'too long'} (limit {value})"
    if rule in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return f"out of range ({rule} {value})"
    if rule in ("minItems", "maxItems"):
        return f"{'too few' if rule == 'minItems' else 'too many'} items (limit {value})"
    if rule == "enum":
        return f"must be one of {value}"
    if rule == "const":
        return f"must be {value!r}"
    if rule in ("oneOf", "anyOf"):
        return "matches none or several of the allowed shapes"
    return f"breaks the {rule!s} rule"


def errors(value: Any, schema: dict[str, Any] | str, spec: dict[str, Any] | None = None,
           where: str = "body") -> list[str]:
    """Every way ``value`` breaks ``schema`` (empty list = valid).

    ``schema`` is a component name (``"Application"``), a node from :func:`schema`, or a literal
    JSON Schema; ``$ref`` resolves in ``spec`` (default: the backend contract).
    """
    if isinstance(schema, dict):
        ref = schema.get("$ref", "")
        key = (ref.rsplit("/", 1)[-1] if len(schema) == 1 and
               ref.startswith("#/components/schemas/") else json.dumps(schema, sort_keys=True))
    else:
        key = schema
    validator = _validator(spec if spec is not None else load_spec(), key)
    found = sorted(validator.iter_errors(value), key=lambda e: list(map(str, e.path)))
    return [f"{_place(where, e)}: {_describe(e)}" for e in found[:MAX_MESSAGES]]


@lru_cache(maxsize=1)
def header_schemas() -> dict[str, dict[str, Any]]:
    """Every header parameter the contract declares (lower-case name -> its schema)."""
    spec = load_spec()
    out: dict[str, dict[str, Any]] = {}
    for item in spec.get("paths", {}).values():
        for op in item.values():
            for param in op.get("parameters", []) if isinstance(op, dict) else []:
                if "$ref" in param:
                    param = spec["components"]["parameters"][param["$ref"].rsplit("/", 1)[-1]]
                if param.get("in") == "header":
                    out[str(param["name"]).lower()] = dict(param.get("schema") or {})
    return out


def header_errors(headers: Any, names: tuple[str, ...]) -> list[str]:
    """The request's headers ``names`` (lower case) against the contract's schemas for them."""
    out: list[str] = []
    for name in names:
        value = headers.get(name)
        if value is not None:
            out += errors(value, header_schemas()[name], where=f"header {name}")
    return out


def schema(name: str) -> dict[str, Any]:
    """``#/components/schemas/<name>`` as a ``$ref`` node."""
    return {"$ref": f"#/components/schemas/{name}"}
