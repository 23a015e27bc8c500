"""Credentials at rest: sealed with AES-256-GCM under a key file kept outside the database.

Why: the backend and centre tokens let whoever holds them submit applications in this
centre's name. They used to sit as plain JSON in ``sync_state``, so a copy of the database (a
backup, a support bundle, a lost disk image of just the data directory) was a copy of the
credential. Now the database holds only ciphertext; the 32-byte key lives in its own file.

Where the key lives (first that applies):

1. ``[security] credential_key_file`` — give a root-only path (``/etc/seva-kiosk/…``, owned by
   root, readable only by the kiosk's user) to keep it off the data directory's disk or backup;
2. ``$CREDENTIALS_DIRECTORY/kiosk-credential.key`` when systemd passes it
   (``LoadCredential=`` / ``LoadCredentialEncrypted=``, the latter sealed to the TPM);
3. ``<data_dir>/keys/credential.key`` (0600 in a 0700 directory), created on first use.

What this does *not* protect: with the default (3) the key sits on the same disk as the
database, so a stolen disk yields both; it only stops the database file alone (copied,
backed up, sent to support) from carrying a usable token. Root on the running kiosk can read
anything. docs/security.md says the same.

A sealed value is ``sealed:v1:<base64(nonce ‖ ciphertext ‖ tag)>`` with the ``sync_state`` key
as associated data, so a value cannot be moved from one key to another. A plain value left by
an older version is read once and sealed in place (:func:`read_secret`).
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import secrets
import sqlite3
from collections.abc import Mapping
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.file_modes import PRIVATE_DIR, PRIVATE_FILE, private_file

log = logging.getLogger(__name__)

PREFIX = "sealed:v1:"
KEY_BYTES = 32
NONCE_BYTES = 12
SYSTEMD_CREDENTIAL_NAME = "kiosk-credential.key"
DEFAULT_KEY_PATH = Path("keys") / "credential.key"


class SecretError(KioskError):
    """A sealed value could not be opened (wrong or missing key, tampered value)."""


def credential_key_path(data_dir: Path, configured: Path | None = None,
                        environ: Mapping[str, str] | None = None) -> Path:
    """Where the credential key is (or will be created); see the module docstring."""
    if configured is not None:
        return configured
    env = os.environ if environ is None else environ
    creds = env.get("CREDENTIALS_DIRECTORY")
    if creds:
        candidate = Path(creds) / SYSTEMD_CREDENTIAL_NAME
        if candidate.is_file():
            return candidate
    return data_dir / DEFAULT_KEY_PATH


def is_sealed(value: str | None) -> bool:
    return bool(value) and str(value).startswith(PREFIX)


class SecretBox:
    """Seals and opens short strings with the key in ``key_file`` (created 0600 if missing)."""

    def __init__(self, key_file: Path) -> None:
        self.key_file = Path(key_file)

    def _key(self, *, create: bool) -> bytes:
        try:
            raw = self.key_file.read_bytes()
        except FileNotFoundError:
            if not create:
                raise SecretError(f"credential key {self.key_file} is missing") from None
            return self._create_key()
        except OSError as exc:
            raise SecretError(f"credential key {self.key_file} cannot be read: {exc}") from exc
        try:
            key = base64.b64decode(raw.strip(), validate=True)
        except (binascii.Error, ValueError):
            key = b""
        if len(key) != KEY_BYTES:
            raise SecretError(f"credential key {self.key_file} is not a {KEY_BYTES}-byte "
                              "base64 key")
        return key

    def _create_key(self) -> bytes:
        """Write a new key without a window where another thread sees half of it."""
        parent = self.key_file.parent
        parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        key = secrets.token_bytes(KEY_BYTES)
        tmp = parent / f".{self.key_file.name}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE)
        try:
            os.write(fd, base64.b64encode(key) + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, self.key_file)      # fails if another writer was first
        except FileExistsError:
            return self._key(create=False)
        finally:
            tmp.unlink(missing_ok=True)
        log.info("credential key created at %s", self.key_file)
        return key

    def seal(self, plaintext: str, *, label: str) -> str:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # only when used

        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = AESGCM(self._key(create=True)).encrypt(nonce, plaintext.encode("utf-8"),
                                                        label.encode("utf-8"))
        return PREFIX + base64.b64encode(nonce + sealed).decode("ascii")

    def open(self, value: str, *, label: str) -> str:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if not is_sealed(value):
            raise SecretError(f"{label}: not a sealed value")
        try:
            blob = base64.b64decode(value[len(PREFIX):], validate=True)
            plain = AESGCM(self._key(create=False)).decrypt(
                blob[:NONCE_BYTES], blob[NONCE_BYTES:], label.encode("utf-8"))
        except (binascii.Error, ValueError, InvalidTag) as exc:
            raise SecretError(f"{label}: sealed value does not open with "
                              f"{self.key_file} (key replaced, or value altered)") from exc
        return plain.decode("utf-8")

    def tighten(self) -> None:
        """Keep an existing key file 0600 (a copy may have loosened it)."""
        private_file(self.key_file)


def _get(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def read_secret(store: object, key: str, box: SecretBox) -> str | None:
    """The plaintext of ``sync_state[key]`` (None if absent or it cannot be opened).

    A plain value (written before values were sealed) is returned and sealed in place, so the
    first start of this version migrates the credential. ``store`` is a
    :class:`kiosk.store.Store` (typed loosely: this module must not import the store's
    migrations just to name a type).
    """
    conn: sqlite3.Connection = store.conn  # type: ignore[attr-defined]
    value = _get(conn, key)
    if value is None:
        return None
    if is_sealed(value):
        try:
            return box.open(value, label=key)
        except SecretError as exc:
            log.warning("stored %s is unusable: %s", key, exc.detail)
            return None
    sealed = box.seal(value, label=key)
    with store.transaction() as wconn:  # type: ignore[attr-defined]
        if _get(wconn, key) == value:
            wconn.execute("UPDATE sync_state SET value = ? WHERE key = ?", (sealed, key))
    log.info("stored %s sealed with the credential key (was plain text)", key)
    return value


def seal_for_state(box: SecretBox, key: str, value: str | None) -> str | None:
    """What to write to ``sync_state[key]`` for ``value`` (None deletes)."""
    return None if value is None else box.seal(value, label=key)


def box_for(config: object) -> SecretBox:
    """The box for a :class:`kiosk.config.Config` (its data directory and key setting)."""
    data_dir: Path = config.data_dir  # type: ignore[attr-defined]
    configured: Path | None = config.credential_key_file  # type: ignore[attr-defined]
    return SecretBox(credential_key_path(data_dir, configured))
