"""Each council's data keys, wrapped by the installation's master key kept outside the database.

The values the law calls special (KVKK art. 6) and identity numbers are sealed with the council's data key
(:mod:`konsey.core.special_data`); the Personal Data Protection Board's decision 2018/10 asks that such data be
encrypted with keys kept apart. So:

* a council has **data keys** (AES-256, a version each; the newest seals, any kept one opens) and one **index
  key** (HMAC-SHA256: an identity number is looked up by its keyed hash, never by its plain value);
* every such key is stored **wrapped** (AES-GCM) by a **master key** that the database never holds: an
  environment secret (``KONSEY_MASTER_KEYS``) or a file (``KONSEY_MASTER_KEY_FILE``), one ``id:base64`` per
  entry, the first sealing and every one opening. A copy of the database alone opens nothing. A key-management
  service fits the same two calls (:class:`MasterKey`);
* rotating is two things: **re-wrapping** every council's keys under a new master key, in place and at once
  (:func:`rewrap_all`), and a **new data key** for a council, after which its values are sealed again in the
  background (:func:`reseal_batch`, with its progress) and the old key is dropped when nothing uses it.

A sealed value reads ``ks1:<version>:<base64url(nonce ‖ ciphertext)>``; its associated data names the council
and the field, so a value copied into another council or another field does not open.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app
from sqlalchemy import Integer, LargeBinary, String, event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from konsey.tenants.db import CouncilOwned, db, utcnow
from konsey.tenants.scoping import current_council_id

PREFIX = "ks1"
DATA, INDEX = "data", "index"


class KeyringError(RuntimeError):
    """A sealed value cannot be opened: its key is gone, or the master key that wraps it is not configured."""


# --- the master key: outside the database ------------------------------------------------------------------


class MasterKey(Protocol):
    """What wraps a council's keys. A key-management service implements the same two calls."""

    key_id: str

    def wrap(self, key: bytes, context: bytes) -> bytes: ...

    def unwrap(self, wrapped: bytes, context: bytes) -> bytes: ...


@dataclass(frozen=True)
class LocalMasterKey:
    """A 256-bit master key held by the installation (an environment secret or a file), never by the database."""

    key_id: str
    secret: bytes

    def wrap(self, key: bytes, context: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + AESGCM(self.secret).encrypt(nonce, key, context)

    def unwrap(self, wrapped: bytes, context: bytes) -> bytes:
        try:
            return AESGCM(self.secret).decrypt(wrapped[:12], wrapped[12:], context)
        except InvalidTag as error:
            raise KeyringError(f"the master key {self.key_id} does not open this council key") from error


def parse_master_keys(text: str) -> list[LocalMasterKey]:
    """``id:base64`` entries, by commas or lines; the first is the one that wraps."""
    keys = []
    for entry in text.replace(",", "\n").splitlines():
        entry = entry.strip()
        if not entry or entry.startswith("#"):
            continue
        key_id, _, encoded = entry.partition(":")
        try:
            secret = base64.urlsafe_b64decode(encoded.strip() + "=" * (-len(encoded.strip()) % 4))
        except (binascii.Error, ValueError) as error:
            raise KeyringError(f"master key {key_id!r} is not base64") from error
        if not key_id or len(secret) != 32:
            raise KeyringError(f"master key {key_id!r} must be an id and 32 bytes of base64")
        keys.append(LocalMasterKey(key_id.strip(), secret))
    if not keys:
        raise KeyringError("no master key is configured")
    return keys


def new_master_key_line(key_id: str) -> str:
    return f"{key_id}:{base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip('=')}"


def master_keys() -> list[MasterKey]:
    """The configured master keys, the wrapping one first (read once per process: a new one takes a restart)."""
    config = current_app.config
    source = (config.get("KONSEY_MASTER_KEYS"), config.get("KONSEY_MASTER_KEY_FILE"))
    cache = current_app.extensions.setdefault("konsey.master_keys", {})
    if source not in cache:
        cache[source] = parse_master_keys(source[0] or Path(source[1]).read_text())
    return cache[source]


def _master(key_id: str) -> MasterKey:
    for key in master_keys():
        if key.key_id == key_id:
            return key
    raise KeyringError(f"the master key {key_id} is not configured: a council key wrapped by it cannot be opened")


# --- a council's keys ----------------------------------------------------------------------------------------


class CouncilDataKey(CouncilOwned, db.Model):
    """One of a council's keys, wrapped by a master key (the key itself is never stored)."""

    __tablename__ = "council_data_keys"

    purpose: Mapped[str] = mapped_column(String(8))  # "data" (seals values) or "index" (hashes identity numbers)
    version: Mapped[int] = mapped_column(Integer)
    master_key_id: Mapped[str] = mapped_column(String(40))
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (db.UniqueConstraint("council_id", "purpose", "version"),)


def _context(council_id: uuid.UUID, purpose: str, version: int) -> bytes:
    return f"konsey council key|{council_id}|{purpose}|{version}".encode()


# Opened keys, per process, by their wrapping (unique: it carries a random nonce). Unwrapping is cheap, but a key
# service would be a round trip per key; a dropped key is simply never asked for again.
_opened: dict[bytes, bytes] = {}
_opened_lock = threading.Lock()


def _open(row: CouncilDataKey) -> bytes:
    wrapped = bytes(row.wrapped)
    key = _opened.get(wrapped)
    if key is None:
        key = _master(row.master_key_id).unwrap(wrapped, _context(row.council_id, row.purpose, row.version))
        with _opened_lock:
            _opened[wrapped] = key
    return key


def _keys(council_id: uuid.UUID, purpose: str) -> list[CouncilDataKey]:
    return list(db.session.scalars(select(CouncilDataKey).where(
        CouncilDataKey.council_id == council_id, CouncilDataKey.purpose == purpose)
        .order_by(CouncilDataKey.version.desc())))


def _make(council_id: uuid.UUID, purpose: str, version: int) -> CouncilDataKey:
    master = master_keys()[0]
    key = AESGCM.generate_key(bit_length=256)
    row = CouncilDataKey(council_id=council_id, purpose=purpose, version=version, master_key_id=master.key_id,
                         wrapped=master.wrap(key, _context(council_id, purpose, version)))
    try:
        with db.session.begin_nested():  # two first writes at once: one key is kept, the other reads it
            db.session.add(row)
    except IntegrityError:
        return _keys(council_id, purpose)[0]
    return row


def _current(council_id: uuid.UUID, purpose: str) -> CouncilDataKey:
    keys = _keys(council_id, purpose)
    return keys[0] if keys else _make(council_id, purpose, 1)


def _session_keys() -> dict:
    """Keys already looked up in this transaction: a bulk import seals thousands of values with one lookup. A key
    another process made meanwhile is used from the next transaction on, which is harmless: any kept key opens,
    and a rotation drops a key only long after (konsey.core.special_data.KEY_DROP_GRACE)."""
    return db.session.info.setdefault("konsey.keyring", {})


def forget_session_keys() -> None:
    """Look the keys up afresh from here on in this session (the reseal must seal with the newest)."""
    db.session.info.pop("konsey.keyring", None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session: Session, previous_transaction) -> None:
    # A key made in a transaction that rolled back was never stored: nothing may be sealed with it afterwards.
    session.info.pop("konsey.keyring", None)


@event.listens_for(Session, "after_commit")
def _forget_on_commit(session: Session) -> None:
    # One transaction's lookups: the next one sees a key another process made meanwhile (a rotation).
    session.info.pop("konsey.keyring", None)


def _current_key(council_id: uuid.UUID, purpose: str) -> tuple[int, bytes]:
    """(version, key) of the council's newest key of ``purpose``, made on first use."""
    known = _session_keys()
    if (council_id, purpose) not in known:
        row = _current(council_id, purpose)
        known[(council_id, purpose)] = (row.version, _open(row))
    return known[(council_id, purpose)]


def _key_of_version(council_id: uuid.UUID, version: int) -> bytes:
    known = _session_keys()
    if (council_id, DATA, version) not in known:
        row = db.session.scalar(select(CouncilDataKey).where(
            CouncilDataKey.council_id == council_id, CouncilDataKey.purpose == DATA,
            CouncilDataKey.version == version))
        if row is None:
            raise KeyringError(f"the council's data key {version} is gone")
        known[(council_id, DATA, version)] = _open(row)
    return known[(council_id, DATA, version)]


def _council(council_id: uuid.UUID | None) -> uuid.UUID:
    council_id = council_id or current_council_id()
    if council_id is None:
        raise KeyringError("sealing needs a council")
    return council_id


def seal(plain: str, field: str, council_id: uuid.UUID | None = None) -> str:
    """``plain`` sealed with the council's newest data key, bound to the council and ``field``."""
    council_id = _council(council_id)
    version, key = _current_key(council_id, DATA)
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plain.encode(), f"{council_id}|{field}".encode())
    return f"{PREFIX}:{version}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def seal_document(content: bytes, label: str, council_id: uuid.UUID | None = None) -> bytes:
    """A document (an export) sealed as a value is, in bytes: ``ks1:<version>:`` then nonce ‖ ciphertext."""
    council_id = _council(council_id)
    version, key = _current_key(council_id, DATA)
    nonce = os.urandom(12)
    return f"{PREFIX}:{version}:".encode() + nonce + AESGCM(key).encrypt(nonce, content, f"{council_id}|{label}".encode())


def open_document(stored: bytes, label: str, council_id: uuid.UUID | None = None) -> bytes:
    council_id = _council(council_id)
    prefix, version, raw = stored.split(b":", 2)
    if prefix.decode() != PREFIX:
        raise KeyringError("not a sealed document")
    try:
        return AESGCM(_key_of_version(council_id, int(version))).decrypt(raw[:12], raw[12:],
                                                                          f"{council_id}|{label}".encode())
    except InvalidTag as error:
        raise KeyringError(f"a sealed {label} does not open: it was not sealed here") from error


def is_sealed(stored: str | None) -> bool:
    return bool(stored) and stored.startswith(PREFIX + ":")


def unseal(stored: str, field: str, council_id: uuid.UUID | None = None) -> str:
    """The plain value of a sealed one. A value stored before sealing began is returned as it is (the background
    reseal seals it)."""
    if not is_sealed(stored):
        return stored
    council_id = _council(council_id)
    _prefix, version, body = stored.split(":", 2)
    key = _key_of_version(council_id, int(version))
    raw = base64.urlsafe_b64decode(body)
    try:
        return AESGCM(key).decrypt(raw[:12], raw[12:], f"{council_id}|{field}".encode()).decode()
    except InvalidTag as error:
        raise KeyringError(f"a sealed {field} does not open: it was not sealed here") from error


def keyed_hash(value: str, council_id: uuid.UUID | None = None) -> str:
    """The council's keyed hash of ``value`` (an identity number): what it is looked up and kept unique by. The
    same number in two councils hashes differently."""
    council_id = _council(council_id)
    _version, key = _current_key(council_id, INDEX)
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


# --- rotation -------------------------------------------------------------------------------------------------


def newest_data_key(council_id: uuid.UUID | None = None) -> CouncilDataKey | None:
    keys = _keys(_council(council_id), DATA)
    return keys[0] if keys else None


def current_version(council_id: uuid.UUID | None = None) -> int:
    return _current(_council(council_id), DATA).version


def versions(council_id: uuid.UUID | None = None) -> list[int]:
    return [row.version for row in _keys(_council(council_id), DATA)]


def new_data_key(council_id: uuid.UUID | None = None) -> int:
    """A new data key for the council; new values are sealed with it at once, the older ones by the reseal."""
    council_id = _council(council_id)
    keys = _keys(council_id, DATA)
    row = _make(council_id, DATA, (keys[0].version + 1) if keys else 1)
    return row.version


def drop_data_keys_below(version: int, council_id: uuid.UUID | None = None) -> int:
    """Drop the council's data keys older than ``version`` (once no value is sealed with them); how many."""
    dropped = 0
    for row in _keys(_council(council_id), DATA):
        if row.version < version:
            db.session.delete(row)
            dropped += 1
    return dropped


def rewrap(council_id: uuid.UUID | None = None) -> int:
    """Wrap every key of the council under the first master key (the values stay as they are); how many moved."""
    master = master_keys()[0]
    moved = 0
    for purpose in (DATA, INDEX):
        for row in _keys(_council(council_id), purpose):
            if row.master_key_id == master.key_id:
                continue
            key = _open(row)
            row.wrapped = master.wrap(key, _context(row.council_id, row.purpose, row.version))
            row.master_key_id = master.key_id
            moved += 1
    return moved
