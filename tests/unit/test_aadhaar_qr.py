"""Aadhaar Secure QR: layouts, signature status, privacy, and hostile input.

The QRs are built by ``kiosk.devices.sim.aadhaar_qr`` with a TEST authority, because a real
card is somebody's identity and UIDAI's key is not ours.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import logging
import os
import time
import tracemalloc
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.x509.oid import NameOID
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.aadhaar_qr import (
    MAX_DECOMPRESSED_BYTES,
    SIGNATURE_MESSAGES,
    USER_MESSAGE,
    AadhaarQrData,
    _gunzip_capped,
    decode_secure_qr,
    load_trusted_certificates,
    looks_like_secure_qr,
)
from kiosk.config import load_config
from kiosk.devices.sim.aadhaar_qr import (
    FAKE_PHOTO,
    build_payload,
    build_secure_qr,
    bytes_to_qr_text,
    int_to_decimal,
    make_test_authority,
)
from kiosk.errors import ValidationError

REF_ID = "567820190523101534567"  # first four digits = the Aadhaar's last four
REF_TAIL = REF_ID[4:]

PERSON: dict[str, str] = {
    "reference_id": REF_ID,
    "name": "Sunita Devi Verma",
    "dob": "07-03-1985",
    "gender": "F",
    "care_of": "W/O: Ramesh Kumar Verma",
    "district": "Bhopal",
    "landmark": "Near Hanuman Mandir",
    "house": "H.No. 12",
    "location": "Koh-e-Fiza",
    "pin": "462001",
    "post_office": "Bhopal GPO",
    "state": "Madhya Pradesh",
    "street": "Gali No. 3",
    "sub_district": "Huzur",
    "vtc": "Bhopal",
}


def _qr(**over: object) -> str:
    key, _ = make_test_authority()
    args: dict[str, object] = {**PERSON, "private_key": key, **over}
    return build_secure_qr(**args)  # type: ignore[arg-type]


def _cert() -> bytes:
    return make_test_authority()[1]


def _rejected(text: str, *, within: float = 1.0) -> ValidationError:
    start = time.monotonic()
    with pytest.raises(ValidationError) as info:
        decode_secure_qr(text, [_cert()])
    assert time.monotonic() - start < within
    assert info.value.message == USER_MESSAGE
    assert not info.value.detail.startswith("aadhaar qr: unexpected"), info.value.detail
    return info.value


# --- round trips --------------------------------------------------------------------------

def test_v2_round_trip_with_trusted_certificate() -> None:
    qr = _qr(mobile_last4="4321", mobile="9876544321", email="s@example.in")
    assert looks_like_secure_qr(qr)
    r = decode_secure_qr(qr, [_cert()])
    assert r.version == "V2"
    assert r.signature == "verified" and r.signature_verified
    assert r.aadhaar_last4 == "5678"
    assert r.name == "Sunita Devi Verma"
    assert r.dob == dt.date(1985, 3, 7) and r.dob_raw == "07-03-1985"
    assert r.year_of_birth == 1985
    assert r.gender == "female"
    assert (r.care_of_relation, r.care_of_name) == ("wife_of", "Ramesh Kumar Verma")
    assert r.care_of == "W/O: Ramesh Kumar Verma"
    assert r.address == {
        "house": "H.No. 12", "street": "Gali No. 3", "landmark": "Near Hanuman Mandir",
        "locality": "Koh-e-Fiza", "village": "Bhopal", "post_office": "Bhopal GPO",
        "tehsil": "Huzur", "district": "Bhopal", "state": "Madhya Pradesh", "pin": "462001",
    }
    assert r.mobile_last4 == "4321"
    assert r.has_mobile and r.has_email


def test_v3_is_read_like_v2() -> None:
    r = decode_secure_qr(_qr(version="V3", mobile_last4="0007"), [_cert()])
    assert (r.version, r.signature, r.mobile_last4) == ("V3", "verified", "0007")


def test_v2_without_mobile_digits_is_tolerated() -> None:
    r = decode_secure_qr(_qr(mobile_last4=""), [_cert()])
    assert r.mobile_last4 is None and r.signature == "verified"


def test_old_layout_round_trip_latin1() -> None:
    qr = _qr(version=None, encoding="iso-8859-1", name="José Fernandes", email="j@x.in",
             mobile="9000000001")
    r = decode_secure_qr(qr, [_cert()])
    assert r.version == "V1"
    assert r.signature == "verified"
    assert r.name == "José Fernandes"
    assert r.aadhaar_last4 == "5678"
    assert r.mobile_last4 is None
    assert r.has_email and r.has_mobile
    assert r.address["pin"] == "462001"


def test_devanagari_name_and_address_in_utf8() -> None:
    r = decode_secure_qr(_qr(name="सुनीता देवी वर्मा", care_of="पति: रमेश कुमार",
                             vtc="भोपाल", state="मध्य प्रदेश"), [_cert()])
    assert r.name == "सुनीता देवी वर्मा"
    assert r.address["village"] == "भोपाल" and r.address["state"] == "मध्य प्रदेश"
    # No Latin relation prefix: the whole text is the relative's name.
    assert (r.care_of_relation, r.care_of_name) == (None, "पति: रमेश कुमार")


def test_photo_with_ff_bytes_does_not_shift_fields() -> None:
    assert FAKE_PHOTO.count(b"\xff") > 3
    photo = b"\xff" * 40 + FAKE_PHOTO
    r = decode_secure_qr(_qr(photo=photo, version=None), [_cert()])
    assert r.address["village"] == "Bhopal" and r.signature == "verified"


# --- signature ---------------------------------------------------------------------------

def test_other_authority_is_not_verified_but_still_prefills() -> None:
    _, other_pem = make_test_authority("other")
    r = decode_secure_qr(_qr(), [other_pem])
    assert r.signature == "not_verified" and not r.signature_verified
    assert r.name == "Sunita Devi Verma"


def test_any_of_several_trusted_certificates_verifies() -> None:
    _, other_pem = make_test_authority("other")
    assert decode_secure_qr(_qr(), [other_pem, _cert()]).signature == "verified"
    # A bundle in one PEM blob, as a rotated UIDAI chain would be kept.
    assert decode_secure_qr(_qr(), [other_pem + _cert()]).signature == "verified"


def test_no_certificate_configured() -> None:
    assert decode_secure_qr(_qr()).signature == "no_trusted_certificate"
    assert decode_secure_qr(_qr(), []).signature == "no_trusted_certificate"
    assert decode_secure_qr(_qr(), [b"not a certificate"]).signature == \
        "no_trusted_certificate"


def test_certificate_forms_der_object_and_bare_bytes() -> None:
    cert = x509.load_pem_x509_certificate(_cert())
    der = cert.public_bytes(serialization.Encoding.DER)
    assert decode_secure_qr(_qr(), [der]).signature == "verified"
    assert decode_secure_qr(_qr(), [cert]).signature == "verified"
    assert decode_secure_qr(_qr(), _cert()).signature == "verified"  # one PEM, not a list
    assert decode_secure_qr(_qr(), _cert().decode()).signature == "verified"  # PEM text
    wrong: list[object] = [42]  # a caller's type mistake costs "verified", nothing else
    assert decode_secure_qr(_qr(), wrong).signature == "no_trusted_certificate"  # type: ignore[arg-type]


def test_non_rsa_certificate_counts_as_no_trusted_certificate() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "TEST ed25519")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
            .sign(key, None))
    assert decode_secure_qr(_qr(), [cert]).signature == "no_trusted_certificate"


def test_flipped_byte_in_a_field_is_not_verified_and_fields_still_read() -> None:
    """Decision: a tampered payload is still decoded (the operator checks the card), but the
    status says ``not_verified`` so the UI warns. The byte is flipped *before* gzip so the
    test reaches the signature check instead of zlib's CRC."""
    key, pem = make_test_authority()
    payload = bytearray(build_payload(**PERSON, private_key=key))  # type: ignore[arg-type]
    at = payload.index(b"Sunita")
    payload[at] ^= 0x01  # "S" → "R"
    r = decode_secure_qr(bytes_to_qr_text(bytes(payload)), [pem])
    assert r.signature == "not_verified"
    assert r.name == "Runita Devi Verma"


def test_load_trusted_certificates(tmp_path: Path) -> None:
    pem = _cert()
    der = x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)
    _, other = make_test_authority("other")
    (tmp_path / "uidai.pem").write_bytes(pem + other)
    (tmp_path / "uidai.cer").write_bytes(der)
    (tmp_path / "junk.pem").write_bytes(b"-----BEGIN CERTIFICATE-----\nxx\n")
    assert len(load_trusted_certificates(tmp_path / "uidai.pem")) == 2
    assert len(load_trusted_certificates(str(tmp_path / "uidai.cer"))) == 1
    assert load_trusted_certificates([tmp_path / "missing.pem", tmp_path / "junk.pem", ""]) == []
    certs = load_trusted_certificates([tmp_path / "uidai.cer"])
    assert decode_secure_qr(_qr(), certs).signature == "verified"


# --- field parsing -----------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "dob", "year"), [
    ("07-03-1985", dt.date(1985, 3, 7), 1985),
    ("07/03/1985", dt.date(1985, 3, 7), 1985),
    ("7-3-1985", dt.date(1985, 3, 7), 1985),
    ("1985-03-07", dt.date(1985, 3, 7), 1985),
    ("1985", None, 1985),
    ("31-02-1985", None, None),
    ("", None, None),
    ("unknown", None, None),
])
def test_dob_formats(raw: str, dob: dt.date | None, year: int | None) -> None:
    r = decode_secure_qr(_qr(dob=raw))
    assert (r.dob, r.year_of_birth, r.dob_raw) == (dob, year, raw)


@pytest.mark.parametrize(("code", "gender"), [
    ("M", "male"), ("F", "female"), ("T", "transgender"), ("m", "male"),
    ("Female", "female"), ("X", None), ("", None),
])
def test_gender_mapping(code: str, gender: str | None) -> None:
    assert decode_secure_qr(_qr(gender=code)).gender == gender


@pytest.mark.parametrize(("care_of", "relation", "name"), [
    ("S/O: Ram Lal", "son_of", "Ram Lal"),
    ("D/O Ram Lal", "daughter_of", "Ram Lal"),
    ("w/o, Ram Lal", "wife_of", "Ram Lal"),
    ("C/O - Ram Lal", "care_of", "Ram Lal"),
    ("H/O:Sita Devi", "husband_of", "Sita Devi"),
    ("S / O : Ram Lal", "son_of", "Ram Lal"),
    ("Ram Lal", None, "Ram Lal"),
    ("", None, ""),
])
def test_care_of_prefix(care_of: str, relation: str | None, name: str) -> None:
    r = decode_secure_qr(_qr(care_of=care_of))
    assert (r.care_of_relation, r.care_of_name) == (relation, name)


# --- privacy ------------------------------------------------------------------------------

def test_full_reference_id_and_photo_never_kept(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    r = decode_secure_qr(_qr(), [_cert()])
    dumped = repr(dataclasses.asdict(r)) + repr(r) + str(vars(r))
    assert REF_TAIL not in dumped and REF_ID not in dumped
    assert not any(isinstance(v, bytes | bytearray) for v in vars(r).values())
    assert set(vars(r)) == {f.name for f in dataclasses.fields(AadhaarQrData)}
    # repr shows no personal data at all: only layout and status.
    assert repr(r) == "AadhaarQrData(version='V2', signature='verified')"
    logged = " ".join(rec.getMessage() for rec in caplog.records)
    for secret in (REF_ID, REF_TAIL, "5678", "Sunita", "Ramesh", "462001"):
        assert secret not in logged


def test_error_detail_holds_no_scan_data(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    key, _ = make_test_authority()
    payload = build_payload(**{**PERSON, "reference_id": "ABCD1234"},  # type: ignore[arg-type]
                            private_key=key)
    err = _rejected(bytes_to_qr_text(payload))
    assert "ABCD" not in err.detail and "Sunita" not in err.detail
    assert "Sunita" not in caplog.text


# --- hostile and malformed input ----------------------------------------------------------

@pytest.mark.parametrize("text", [
    "", "   \r\n", "TKN:C-017", "ACK:42", "https://seva.example/x", "SC1.abcdef",
    "12345abc", "١٢٣٤٥٦٧٨٩", "०१२३४५६७८९" * 100, "0", "0000", "-123456", "12 34",
    "9" * 10_001,
])
def test_malformed_text_rejected(text: str) -> None:
    _rejected(text)
    assert not looks_like_secure_qr(text)


def test_scanner_line_ending_is_tolerated() -> None:
    assert decode_secure_qr(_qr() + "\r\n", [_cert()]).signature == "verified"
    assert looks_like_secure_qr(_qr() + "\n")


def test_random_bytes_as_integer_rejected() -> None:
    for size in (1, 10, 300, 2000, 4000):
        _rejected(int_to_decimal(int.from_bytes(b"\x01" + os.urandom(size), "big")))
    # gzip magic, then garbage.
    _rejected(int_to_decimal(int.from_bytes(b"\x1f\x8b" + os.urandom(500), "big")))


def test_truncated_and_short_payloads_rejected() -> None:
    key, _ = make_test_authority()
    payload = build_payload(**PERSON, private_key=key)  # type: ignore[arg-type]
    blob = gzip.compress(payload, mtime=0)
    _rejected(int_to_decimal(int.from_bytes(blob[:-20], "big")))      # truncated gzip
    _rejected(bytes_to_qr_text(payload[:200]))                        # shorter than a signature
    _rejected(bytes_to_qr_text(b"1\xff5678\xffname\xff" + bytes(300)))  # too few fields
    _rejected(bytes_to_qr_text(b"\xff".join([b"7", b"5678"] + [b"x"] * 20) + bytes(300)))


def test_gzip_bomb_50mb_rejected_quickly() -> None:
    bomb = gzip.compress(bytes(50_000_000), compresslevel=9, mtime=0)
    err = _rejected(int_to_decimal(int.from_bytes(bomb, "big")))
    assert "too long" in err.detail
    # The inflater itself stops at the cap without ever holding 50 MB.
    tracemalloc.start()
    try:
        start = time.monotonic()
        with pytest.raises(ValidationError):
            _gunzip_capped(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - start < 1.0
    assert peak < 4 * MAX_DECOMPRESSED_BYTES


def test_gzip_bomb_that_fits_in_a_qr_rejected_by_the_size_cap() -> None:
    bomb = gzip.compress(bytes(4_000_000), compresslevel=9, mtime=0)
    text = int_to_decimal(int.from_bytes(bomb, "big"))
    assert looks_like_secure_qr(text)  # short enough to pass the cheap check
    assert "decompresses to more than" in _rejected(text).detail


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_fuzz_text_raises_only_validation_error(text: str) -> None:
    try:
        decode_secure_qr(text, [_cert()])
    except ValidationError as exc:
        assert not exc.detail.startswith("aadhaar qr: unexpected"), exc.detail


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-(2 ** 64), max_value=2 ** 24_000))
def test_fuzz_integers_raise_only_validation_error(value: int) -> None:
    text = str(value) if value < 0 else int_to_decimal(value)
    try:
        decode_secure_qr(text, [_cert()])
    except ValidationError as exc:
        assert not exc.detail.startswith("aadhaar qr: unexpected"), exc.detail


_field = st.binary(max_size=12).filter(lambda b: b"\xff" not in b)
_head = st.tuples(
    st.sampled_from([[b"V2"], [b"V3"], [b"V17"], []]),
    st.sampled_from([b"0", b"1", b"2", b"3", b"4", b"", b"33"]),
    st.from_regex(rb"\A[0-9]{0,8}[a-z]?\Z"),
).map(lambda t: [*t[0], t[1], t[2]])


@settings(max_examples=400, deadline=None)
@given(_head, st.lists(_field, min_size=10, max_size=20),
       st.binary(min_size=257, max_size=600))
def test_fuzz_gzipped_field_soup_raises_only_validation_error(
        head: list[bytes], fields: list[bytes], tail: bytes) -> None:
    """Valid gzip around near-valid fields: exercises the parser past the decompressor."""
    payload = b"\xff".join(head + fields) + b"\xff" + tail
    try:
        r = decode_secure_qr(bytes_to_qr_text(payload), [_cert()])
    except ValidationError as exc:
        assert not exc.detail.startswith("aadhaar qr: unexpected"), exc.detail
    else:
        assert r.signature == "not_verified" and len(r.aadhaar_last4) == 4


def test_decimal_helper_beyond_pythons_digit_limit() -> None:
    for value in (0, 7, 10 ** 999, 10 ** 1000, 10 ** 1000 - 1, 123 * 10 ** 2500 + 45):
        assert int_to_decimal(value) == str(value)
    assert int_to_decimal(10 ** 5000 + 17) == "1" + "0" * 4998 + "17"


def test_test_authority_is_cached_and_labelled() -> None:
    key, pem = make_test_authority()
    assert make_test_authority() == (key, pem)
    assert make_test_authority("other")[1] != pem
    assert "TEST" in x509.load_pem_x509_certificate(pem).subject.rfc4514_string()


def test_signature_messages_exist_for_every_status() -> None:
    assert SIGNATURE_MESSAGES.keys() == {"verified", "not_verified", "no_trusted_certificate"}
    r = decode_secure_qr(_qr(), [make_test_authority("other")[1]])
    assert "could not be verified" in r.signature_message


def test_config_names_the_trusted_certificate(tmp_path: Path) -> None:
    (tmp_path / "uidai.pem").write_bytes(_cert())
    assert load_config(environ={}).aadhaar_trusted_cert is None
    cfg = load_config(environ={"KIOSK_AADHAAR__TRUSTED_CERT": str(tmp_path / "uidai.pem")})
    assert not cfg.problems
    assert cfg.aadhaar_trusted_cert is not None
    certs = load_trusted_certificates(cfg.aadhaar_trusted_cert)
    assert decode_secure_qr(_qr(), certs).signature == "verified"
