"""The catalogue is data: every service parses, searches work in both scripts, and a bad push
is refused whole (the packaged catalogue stays in force)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from backend_client import ReferenceDocument
from kiosk.catalogue import (
    CatalogueFormatError,
    load_catalogue,
    packaged_catalogue,
    packaged_document,
    parse_catalogue,
)
from kiosk.store import Store
from kiosk.sync.reference import apply_document


def test_the_twelve_services_of_the_starting_catalogue() -> None:
    cat = packaged_catalogue()
    assert [s.code for s in cat.services] == ["DOM", "INC", "EWS", "CST", "KHA", "NKS", "SMK",
                                              "BRT", "DTH", "MRG", "GUM", "CRC"]
    for s in cat.services:
        assert s.name.hi and s.name.en and s.officer.hi and s.officer.en and s.documents
        assert all(f.label.hi != f.label.en for f in cat.all_fields(s))
    assert cat.get("DOM").same_day and not cat.get("CST").same_day  # type: ignore[union-attr]
    assert cat.get("CST").days == 30  # type: ignore[union-attr]


@pytest.mark.parametrize(("query", "expected"), [
    ("आय", "INC"), ("income", "INC"), ("INCOME", "INC"), ("caste", "CST"), ("जाति", "CST"),
    ("domicile", "DOM"), ("निवास", "DOM"), ("khasra", "KHA"), ("नक्शा", "NKS"),
    ("नकशा", "NKS"),  # typed without the nukta
])
def test_search_by_hindi_or_english_name_or_keyword(query: str, expected: str) -> None:
    assert expected in [s.code for s in packaged_catalogue().search(query)]


def test_keyboard_follows_the_field_script() -> None:
    cat = packaged_catalogue()
    fields = {f.key: f for f in cat.all_fields(cat.get("INC"))}  # type: ignore[arg-type]
    assert fields["name_hi"].keyboard == "hi"
    assert fields["name_en"].keyboard == "en"
    assert fields["mobile"].keyboard == "digits" and fields["pin"].keyboard == "digits"


def _broken(mutate: Any) -> dict[str, Any]:
    doc = copy.deepcopy(packaged_document())
    mutate(doc)
    return doc


@pytest.mark.parametrize(("mutate", "where"), [
    (lambda d: d["services"][0].pop("code"), "services[0].code"),
    (lambda d: d["services"][1].update(days=-1), "services[1].days"),
    (lambda d: d["services"][0]["fields"][0].update(kind="magic"), "kind"),
    (lambda d: d["services"][0]["fields"][0].update(pattern="(["), "pattern"),
    (lambda d: d["services"].append(d["services"][0]), "duplicate service codes"),
    (lambda d: d["services"][4]["fees"][0].update(field="nope"), "not a field"),
    (lambda d: d.update(common_steps=[]), "common_steps"),
    (lambda d: d["services"][0]["fields"].append(d["common_steps"][0]["fields"][0]),
     "repeat common fields"),
    (lambda d: d["services"][0]["fields"][0].update(label_from="relation"), "labels"),
    (lambda d: d["services"][0]["fields"][0].update(label_from="relation",
                                                    labels={"father": {"hi": "पिता"}}),
     "labels.father"),
])
def test_a_malformed_catalogue_is_refused_with_its_path(mutate: Any, where: str) -> None:
    with pytest.raises(CatalogueFormatError, match=r".*") as info:
        parse_catalogue(_broken(mutate))
    assert where in str(info.value)


def test_a_new_service_needs_no_code(store: Store) -> None:
    doc = copy.deepcopy(packaged_document())
    new = copy.deepcopy(doc["services"][1])
    new.update(code="OBCN", name_hi="ओबीसी नॉन-क्रीमी लेयर प्रमाण पत्र",
               name_en="OBC non-creamy layer certificate", days=10)
    doc["services"].append(new)
    apply_document(store, ReferenceDocument("catalogue", "2026.12-1", '"v2"', doc))
    cat = load_catalogue(store)
    assert cat.source == "synced" and cat.get("OBCN") is not None
    assert "OBCN" in [s.code for s in cat.search("non-creamy")]


def test_an_unusable_synced_catalogue_falls_back_to_the_packaged_one(store: Store) -> None:
    with store.transaction() as conn:
        conn.execute("INSERT INTO reference_docs VALUES ('catalogue', 'x', 'bad', ?, 'now')",
                     (json.dumps({"services": "nope"}),))
    cat = load_catalogue(store)
    assert cat.source == "packaged" and len(cat.services) == 12


def test_a_bad_catalogue_push_is_refused_and_the_previous_stays(store: Store) -> None:
    good = copy.deepcopy(packaged_document())
    apply_document(store, ReferenceDocument("catalogue", "2026.11-1", '"v1"', good))
    bad = copy.deepcopy(good)
    bad["services"][0]["fields"][0]["kind"] = "hologram"
    with pytest.raises(ValueError, match="kind"):
        apply_document(store, ReferenceDocument("catalogue", "2026.11-2", '"v2"', bad))
    cat = load_catalogue(store)
    assert cat.source == "synced" and cat.version == "2026.11-1"
    etag = store.conn.execute("SELECT etag FROM reference_docs WHERE name = 'catalogue'")
    assert etag.fetchone()[0] == '"v1"'
