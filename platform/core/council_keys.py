"""Each council's own Ed25519 key: it signs the manifests of the council's motion packages.

The public key is published on the council's public page, so a municipality can check a package without
trusting Konsey's servers. The private key is kept encrypted at rest with a key derived from the
application's secret (HKDF-SHA256 → Fernet): a copy of the database alone cannot sign in a council's name.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from konsey.tenants.db import CouncilOwned, db, utcnow


class CouncilKey(CouncilOwned, db.Model):
    __tablename__ = "council_keys"

    public_key: Mapped[str] = mapped_column(String(64))  # raw 32 bytes, base64
    private_key_encrypted: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (db.UniqueConstraint("council_id", "public_key"),)

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.public_key)


def fingerprint_of(public_key_b64: str) -> str:
    """A short, readable identity of a public key (SHA-256, first 16 hex digits, grouped)."""
    digest = hashlib.sha256(base64.b64decode(public_key_b64)).hexdigest()[:16].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 16, 4))


def secret_vault(purpose: bytes) -> Fernet:
    """A key derived from the installation's secret for one ``purpose`` (HKDF-SHA256 → Fernet): for secrets the
    platform keeps for itself (a council's signing key, a person's authenticator key)."""
    secret = current_app.config["SECRET_KEY"].encode()
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret)
    return Fernet(base64.urlsafe_b64encode(derived))


def _vault() -> Fernet:
    return secret_vault(b"konsey council signing keys")


def published_key() -> CouncilKey | None:
    """The current council's key, if it has signed anything yet (a page that only shows it makes none)."""
    return db.session.scalar(select(CouncilKey).order_by(CouncilKey.created_at.desc()).limit(1))


def public_keys() -> list[str]:
    """Every public key the current council has signed with, newest first (its earlier packages carry earlier
    keys)."""
    return list(db.session.scalars(select(CouncilKey.public_key).order_by(CouncilKey.created_at.desc())))


def council_key() -> CouncilKey:
    """The current council's key, made on first use."""
    key = published_key()
    if key is None:
        private = Ed25519PrivateKey.generate()
        raw_private = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                            serialization.NoEncryption())
        raw_public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        key = CouncilKey(public_key=base64.b64encode(raw_public).decode(),
                         private_key_encrypted=_vault().encrypt(raw_private).decode())
        db.session.add(key)
        db.session.flush()
    return key


def sign(data: bytes) -> str:
    key = council_key()
    private = Ed25519PrivateKey.from_private_bytes(_vault().decrypt(key.private_key_encrypted.encode()))
    return base64.b64encode(private.sign(data)).decode()


def verify(data: bytes, signature_b64: str, public_key_b64: str) -> bool:
    """Whether ``signature`` is the council's over ``data`` (needs only the published public key)."""
    from cryptography.exceptions import InvalidSignature

    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64)).verify(
            base64.b64decode(signature_b64), data)
    except (InvalidSignature, ValueError):
        return False
    return True
