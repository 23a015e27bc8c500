"""The service catalogue: the packaged starting list, replaced by the backend's when synced.

The backend's copy arrives as the ``catalogue`` reference document (``kiosk.sync.reference``
stores its body). It wins only if it parses completely; otherwise the kiosk keeps serving the
packaged catalogue and logs why, so a bad push never leaves a citizen with no services.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from importlib import resources
from typing import Any

from kiosk.catalogue.model import (
    Bilingual,
    Catalogue,
    CatalogueFormatError,
    DocumentDef,
    FieldDef,
    Option,
    Service,
    Step,
    parse_catalogue,
)
from kiosk.store import Store

__all__ = ["Bilingual", "Catalogue", "CatalogueFormatError", "DocumentDef", "FieldDef", "Option",
           "Service", "Step", "load_catalogue", "packaged_catalogue", "parse_catalogue",
           "packaged_document"]

log = logging.getLogger(__name__)


def packaged_document() -> dict[str, Any]:
    """The catalogue JSON shipped with the kiosk (also what the reference backend serves)."""
    text = resources.files(__package__).joinpath("catalogue.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@lru_cache(maxsize=1)
def packaged_catalogue() -> Catalogue:
    return parse_catalogue(packaged_document(), source="packaged")


#: Parsed synced catalogues by (database, applied_at, etag): screens ask for the catalogue on
#: every property read, so the 35 KB body is fetched and parsed only when a new one was applied.
_SYNCED: dict[tuple[str, str, str | None], Catalogue] = {}


def load_catalogue(store: Store | None = None) -> Catalogue:
    """The synced catalogue when there is a usable one, else the packaged one."""
    if store is None:
        return packaged_catalogue()
    row = store.conn.execute(
        "SELECT applied_at, etag FROM reference_docs WHERE name = 'catalogue'").fetchone()
    if row is None:
        return packaged_catalogue()
    key = (str(store.path), str(row[0]), row[1])
    cached = _SYNCED.get(key)
    if cached is not None:
        return cached
    body = store.conn.execute(
        "SELECT body FROM reference_docs WHERE name = 'catalogue'").fetchone()
    try:
        catalogue = parse_catalogue(json.loads(str(body[0])), source="synced")
    except (CatalogueFormatError, ValueError) as exc:
        log.warning("synced catalogue unusable, keeping the packaged one: %s", exc)
        catalogue = packaged_catalogue()
    if len(_SYNCED) >= 8:
        _SYNCED.clear()
    _SYNCED[key] = catalogue
    return catalogue
