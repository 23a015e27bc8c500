"""Signed certificate QR codes: signing, offline verification, the trust store and the CLI."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend_client import ReferenceDocument
from kiosk.certificate_cli import verify_command
from kiosk.certificates import (
    DEFAULT_BASE_URL,
    MAX_QR_TEXT,
    STATUSES,
    CertificateFields,
    IssuerKey,
    Revocation,
    Verification,
    b64url_decode,
    b64url_encode,
    canonical_json,
    load_trust,
    public_key_b64,
    sign_certificate,
    split_qr_text,
    verify_certificate_qr,
)
from kiosk.store import Store
from kiosk.sync.reference import apply_document
from kiosk.sync.status import write_state

KEY_ID = "mp-rev-test-1"
PRIVATE = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
DAY = date(2026, 11, 22)
FIELDS = CertificateFields(certificate_no="INC-2026-000001", cert_type="INC",
                           holder="रामेश्वर प्रसाद शर्मा", issued_on=DAY,
                           application_no="MP-BPL-20261122-0001-7", details={"income": "84000"})


def key(private: Ed25519PrivateKey = PRIVATE, key_id: str = KEY_ID, **kw: Any) -> IssuerKey:
    return IssuerKey.from_b64(key_id, public_key_b64(private), **kw)


KEYS = {KEY_ID: key()}


def verify(text: object, keys: dict[str, IssuerKey] | None = None,
           revoked: Collection[str] = frozenset(), as_of: date = DAY,
           synced_at: str | None = None) -> Verification:
    return verify_certificate_qr(text, KEYS if keys is None else keys, revoked, as_of=as_of,
                                 synced_at=synced_at)


def signed(fields: CertificateFields = FIELDS, private: Ed25519PrivateKey = PRIVATE,
           key_id: str = KEY_ID, **kw: Any) -> str:
    return sign_certificate(fields, private, key_id, **kw)


def token_from_payload(payload: bytes, private: Ed25519PrivateKey = PRIVATE) -> str:
    """A token signed over arbitrary bytes: what a careless or hostile issuer could emit."""
    return f"SC1.{b64url_encode(payload)}.{b64url_encode(private.sign(payload))}"


# --- the happy path and the format -----------------------------------------------------------

def test_valid_certificate_verifies_and_returns_the_signed_facts() -> None:
    text = signed()
    assert text.startswith(DEFAULT_BASE_URL + "#SC1.")
    v = verify(text, synced_at="2026-11-22T10:00:00.000+00:00")
    assert v.status == "valid" and v.ok and v.key_id == KEY_ID
    assert v.certificate == FIELDS
    assert v.verified_offline_as_of == "2026-11-22T10:00:00.000+00:00"
    assert v.message == "Genuine certificate: the digital signature is valid."
    assert v.to_json()["certificate"]["details"] == {"income": "84000"}


def test_payload_is_compact_canonical_json() -> None:
    payload, signature = split_qr_text(signed())
    obj = json.loads(payload)
    assert payload == canonical_json(obj)
    assert b" " not in payload.replace("रामेश्वर प्रसाद शर्मा".encode(), b"")
    assert obj == {"v": 1, "n": "INC-2026-000001", "t": "INC", "h": "रामेश्वर प्रसाद शर्मा",
                   "d": "2026-11-22", "k": KEY_ID, "a": "MP-BPL-20261122-0001-7",
                   "x": {"income": "84000"}}
    assert len(signature) == 64
    assert len(signed()) < 400  # a version ≤ 14 QR: fits 58 mm paper at 4–5 dots a module


@pytest.mark.parametrize("form", ["bare", "url", "other-url", "whitespace", "path"])
def test_accepted_text_forms(form: str) -> None:
    bare = signed(base_url=None)
    text = {"bare": bare, "url": signed(), "other-url": f"https://example.org/x#{bare}",
            "whitespace": f"  {signed()}\r\n", "path": f"https://verify.example/c/{bare}"}[form]
    assert verify(text).status == "valid"


def test_details_are_optional() -> None:
    fields = CertificateFields("DOM-2026-000007", "DOM", "Sunita Devi", DAY, "APP-7")
    payload, _ = split_qr_text(signed(fields))
    assert "x" not in json.loads(payload)
    assert verify(signed(fields)).certificate == fields


@pytest.mark.parametrize("bad", [
    {"certificate_no": "INC/2026/1"}, {"cert_type": "inc"}, {"holder": ""},
    {"holder": "x" * 121}, {"holder": "a\nb"}, {"details": {"Income": "1"}},
    {"details": {"income": ""}}, {"details": {f"k{i}": "1" for i in range(9)}},
])
def test_signer_refuses_what_a_verifier_would_refuse(bad: dict[str, object]) -> None:
    fields = CertificateFields(**{**FIELDS.__dict__, **bad})
    with pytest.raises(ValueError):
        signed(fields)


# --- forgeries ------------------------------------------------------------------------------

def test_one_changed_payload_byte_is_invalid() -> None:
    payload, signature = split_qr_text(signed())
    i = payload.index(b"84000")
    forged = payload[:i] + b"9" + payload[i + 1:]   # income 84000 → 94000
    text = f"SC1.{b64url_encode(forged)}.{b64url_encode(signature)}"
    v = verify(text)
    assert v.status == "invalid" and v.certificate is None
    assert "signature does not verify" in v.reason


def test_every_single_character_change_of_the_token_is_caught() -> None:
    text = signed(base_url=None)
    for i in range(4, len(text), 7):
        swapped = "A" if text[i] != "A" else "B"
        assert verify(text[:i] + swapped + text[i + 1:]).status == "invalid", i


def test_signature_from_another_key_with_the_same_key_id_is_invalid() -> None:
    v = verify(signed(private=OTHER))
    assert v.status == "invalid" and v.certificate is None and v.key_id == KEY_ID


def test_unknown_key_id_is_unknown_issuer() -> None:
    v = verify(signed(private=OTHER, key_id="mp-rev-elsewhere"))
    assert v.status == "unknown_issuer" and v.certificate is None
    assert v.key_id == "mp-rev-elsewhere"


def test_revoked_certificate_number_is_revoked_with_details() -> None:
    revoked = {FIELDS.certificate_no: Revocation(FIELDS.certificate_no, "2026-11-23",
                                                 "issued in error")}
    v = verify(signed(), revoked=revoked)
    assert v.status == "revoked" and not v.ok
    assert v.certificate == FIELDS
    assert v.revocation is not None and v.revocation.reason == "issued in error"
    assert verify(signed(), revoked={FIELDS.certificate_no}).status == "revoked"
    assert verify(signed(), revoked={"INC-2026-000002"}).status == "valid"


def test_revoked_issuer_key_revokes_its_certificates() -> None:
    v = verify(signed(), keys={KEY_ID: key(revoked=True)})
    assert v.status == "revoked" and v.certificate == FIELDS and v.revocation is None


def test_key_window_bounds_the_issue_date_not_the_check_date() -> None:
    windowed = {KEY_ID: key(valid_from="2026-01-01", valid_to="2026-12-31")}
    assert verify(signed(), keys=windowed, as_of=date(2030, 5, 1)).status == "valid"
    late = CertificateFields(**{**FIELDS.__dict__, "issued_on": date(2027, 1, 2)})
    v = verify(signed(late), keys=windowed, as_of=date(2027, 1, 2))
    assert v.status == "expired_key" and v.certificate == late
    early = CertificateFields(**{**FIELDS.__dict__, "issued_on": date(2025, 12, 31)})
    assert verify(signed(early), keys=windowed).status == "expired_key"


def test_certificate_dated_in_the_future_is_invalid() -> None:
    assert verify(signed(), as_of=date(2026, 11, 21)).status == "valid"  # a day's grace
    assert verify(signed(), as_of=date(2026, 11, 20)).status == "invalid"


@pytest.mark.parametrize("payload", [
    b'{"v":1,"n":"INC-1","t":"INC","h":"A","d":"2026-11-22","k":"mp-rev-test-1","a":"A-1"}',
    b'{"a":"A-1","d":"2026-11-22","h":"A","k":"mp-rev-test-1","n":"INC-1","t":"INC","v":1,'
    b'"v":1}',
    b'{"a":"A-1", "d":"2026-11-22","h":"A","k":"mp-rev-test-1","n":"INC-1","t":"INC","v":1}',
    b'{"a":"A-1","d":"2026-11-22","h":"A","k":"mp-rev-test-1","n":"INC-1","t":"INC","v":1.0}',
])
def test_signed_but_non_canonical_payload_is_invalid(payload: bytes) -> None:
    v = verify(token_from_payload(payload))
    assert v.status == "invalid" and v.certificate is None


@pytest.mark.parametrize("obj", [
    [], "x", 1, None, {"k": KEY_ID}, {"k": 5},
    {"a": "A-1", "d": "2026-02-30", "h": "A", "k": KEY_ID, "n": "INC-1", "t": "INC", "v": 1},
    {"a": "A-1", "d": "2026-11-22", "h": "A", "k": KEY_ID, "n": "INC-1", "t": "INC", "v": 2},
    {"a": "A-1", "d": "2026-11-22", "h": "A", "k": KEY_ID, "n": "INC-1", "t": "INC", "v": True},
    {"a": "A-1", "d": "2026-11-22", "h": 7, "k": KEY_ID, "n": "INC-1", "t": "INC", "v": 1},
    {"a": "A-1", "d": "2026-11-22", "h": "A", "k": KEY_ID, "n": "INC-1", "t": "INC", "v": 1,
     "x": {"income": 84000}},
    {"a": "A-1", "d": "2026-11-22", "h": "A", "k": KEY_ID, "n": "INC-1", "t": "INC", "v": 1,
     "x": []},
    {"a": "A-1", "d": "2026-11-22", "h": "A", "k": KEY_ID, "n": "INC-1", "t": "INC", "v": 1,
     "z": "extra"},
])
def test_signed_payload_of_the_wrong_shape_is_invalid(obj: object) -> None:
    payload = json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()
    assert verify(token_from_payload(payload)).status == "invalid"


GARBAGE: list[object] = [
    "", " ", "\x00", "SC1", "SC1.", "SC1..", "SC1.a.b", "SC1.a.b.c", "SC2.e30.e30",
    "SC1.e30=.AAAA", "SC1.!!!!.AAAA", "sc1.e30.e30", "https://verify.lsk.mp.gov.in/c",
    "https://verify.lsk.mp.gov.in/c#", "https://x#SC1", "ftp://x#SC1.e30.e30",
    "SC1." + "A" * 5000 + "." + "A" * 86, "x" * 10_000_000, "\r\n\t\x1b[2J",
    "SC1." + b64url_encode(b"\xff\xfe") + "." + b64url_encode(bytes(64)),
    "SC1." + b64url_encode(b"[" * 5000) + "." + b64url_encode(bytes(64)),
    "SC1." + b64url_encode(b"not json") + "." + b64url_encode(bytes(64)),
    "SC1." + b64url_encode(b"{}") + "." + b64url_encode(bytes(63)),
    "SC1.e30.e31",  # non-canonical base64 (trailing bits set)
    None, b"SC1.e30.e30", 42, ["SC1"], {"k": "v"},
]


@pytest.mark.parametrize("text", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_is_invalid_and_never_raises(text: object) -> None:
    v = verify(text)
    assert v.status == "invalid" and v.reason and v.certificate is None


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(
    st.text(max_size=600),
    st.binary(max_size=600).map(lambda b: "SC1." + b64url_encode(b) + "." + b64url_encode(b)),
    st.builds(lambda p, s: f"{DEFAULT_BASE_URL}#SC1.{p}.{s}",
              st.text("ABCDEFabcdef0123456789-_=.", max_size=200),
              st.text("ABCDEFabcdef0123456789-_", max_size=100)),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                 lambda kids: st.lists(kids, max_size=4)
                 | st.dictionaries(st.sampled_from("ahdknvtx"), kids, max_size=8),
                 max_leaves=20).map(
        lambda o: token_from_payload(json.dumps(o, ensure_ascii=False).encode())),
))
def test_fuzz_verify_never_raises(text: str) -> None:
    v = verify(text)
    assert v.status in STATUSES
    assert v.status != "valid"


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=40).filter(lambda s: s.strip() == s and s.isprintable()),
       st.dictionaries(st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True),
                       st.text(min_size=1, max_size=20).filter(str.isprintable), max_size=3))
def test_fuzz_any_signable_certificate_round_trips(holder: str,
                                                   details: dict[str, str]) -> None:
    fields = CertificateFields("CST-2026-000009", "CST", holder, DAY, "APP-9", details)
    v = verify(signed(fields))
    assert v.status == "valid" and v.certificate == fields


def test_b64url_is_strict() -> None:
    assert b64url_decode(b64url_encode(b"\x00\xff")) == b"\x00\xff"
    for bad in ("e30=", "e3+/", "e", "e31"):
        with pytest.raises(ValueError):
            b64url_decode(bad)


def test_too_long_for_a_qr_is_refused_before_decoding() -> None:
    v = verify(signed() + "A" * MAX_QR_TEXT)
    assert v.status == "invalid" and "cannot come from a QR" in v.reason


# --- the trust store (synced reference documents) --------------------------------------------

def _doc(name: str, data: dict[str, object], etag: str = '"1"') -> ReferenceDocument:
    return ReferenceDocument(name=name, version="1", etag=etag, data=data)


def _keys_doc(**extra: object) -> dict[str, object]:
    return {"keys": [
        {"key_id": KEY_ID, "algorithm": "Ed25519", "public_key": public_key_b64(PRIVATE),
         "valid_from": "2026-01-01", "valid_to": None, "revoked": False, **extra},
        {"key_id": "broken", "algorithm": "Ed25519", "public_key": "not-a-key"},
        {"key_id": "rsa", "algorithm": "RSA", "public_key": public_key_b64(OTHER)}]}


def test_load_trust_reads_keys_revocations_and_sync_time(tmp_path: Path) -> None:
    with Store(tmp_path / "k.sqlite3") as store:
        empty = load_trust(store.conn)
        assert not empty.keys and not empty.revoked and empty.synced_at is None
        assert empty.verify(signed(), as_of=DAY).status == "unknown_issuer"
        apply_document(store, _doc("issuer-keys", _keys_doc()))
        trust = load_trust(store.conn)
        assert set(trust.keys) == {KEY_ID}  # malformed and non-Ed25519 keys are skipped
        assert trust.synced_at is None      # no revocation list yet: no freshness claim
        v = trust.verify(signed(), as_of=DAY)
        assert v.status == "valid" and v.verified_offline_as_of is None
        assert "not been downloaded" in v.as_of_message("en")

        rows = apply_document(store, _doc("revocations", {"revoked": [
            {"certificate_no": FIELDS.certificate_no, "revoked_at": "2026-11-23T10:00:00+05:30",
             "reason": "issued in error"}]}))
        assert rows == 1
        trust = load_trust(store.conn)
        assert trust.synced_at is not None
        v = trust.verify(signed(), as_of=DAY)
        assert v.status == "revoked" and v.revocation == Revocation(
            FIELDS.certificate_no, "2026-11-23T10:00:00+05:30", "issued in error")
        with store.transaction() as conn:
            write_state(conn, {"last_success_at": "2099-01-01T00:00:00.000+00:00"})
        assert load_trust(store.conn).synced_at == "2099-01-01T00:00:00.000+00:00"
        assert "2099" in load_trust(store.conn).verify(signed()).as_of_message("en")

        apply_document(store, _doc("issuer-keys", _keys_doc(revoked=True), '"2"'))
        assert load_trust(store.conn).verify(signed(), as_of=DAY).status == "revoked"


@pytest.mark.parametrize("data", [
    {}, {"revoked": {}}, {"revoked": ["INC-1"]}, {"revoked": [{"certificate_no": ""}]},
    {"revoked": [{"certificate_no": "X", "reason": 5}]},
])
def test_malformed_revocation_list_is_refused_and_the_old_one_kept(
        tmp_path: Path, data: dict[str, object]) -> None:
    with Store(tmp_path / "k.sqlite3") as store:
        apply_document(store, _doc("revocations", {"revoked": [{"certificate_no": "A-1"}]}))
        with pytest.raises(ValueError):
            apply_document(store, _doc("revocations", data, '"2"'))
        assert set(load_trust(store.conn).revoked) == {"A-1"}


# --- kiosk certificate verify ---------------------------------------------------------------

@pytest.fixture
def trusted_store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "k.sqlite3") as store:
        apply_document(store, _doc("issuer-keys", _keys_doc()))
        apply_document(store, _doc("revocations", {"revoked": [
            {"certificate_no": "INC-2026-000002", "revoked_at": "2026-11-23",
             "reason": "duplicate"}]}))
        yield store


def test_verify_command_valid_human_and_json(trusted_store: Store) -> None:
    code, out = verify_command(signed(), False, trusted_store, "en")
    assert code == 0
    assert out.startswith("Genuine certificate")
    assert "INC-2026-000001" in out and "रामेश्वर प्रसाद शर्मा" in out
    assert "Verified offline as of" in out and "[valid]" in out
    code, out = verify_command(signed(), True, trusted_store, "hi")
    body = json.loads(out)
    assert code == 0 and body["status"] == "valid"
    assert body["certificate"]["certificate_no"] == "INC-2026-000001"
    assert set(body["messages"]) == {"hi", "en"} and body["verified_offline_as_of"]


def test_verify_command_not_valid_exits_2(trusted_store: Store) -> None:
    revoked = CertificateFields(**{**FIELDS.__dict__, "certificate_no": "INC-2026-000002"})
    code, out = verify_command(signed(revoked), False, trusted_store, "hi")
    assert code == 2 and "[revoked]" in out and "duplicate" in out
    for text in ("garbage", signed(private=OTHER), signed(private=OTHER, key_id="who")):
        code, out = verify_command(text, True, trusted_store, "en")
        assert code == 2 and json.loads(out)["status"] in ("invalid", "unknown_issuer")
