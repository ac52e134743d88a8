"""A council's export for the road: encrypted with a passphrase and signed with the council's key.

An export holds the council's special-category data opened (the receiving installation seals it again with its
own keys). Moved between installations, it travels as this envelope: the gzip-compressed document encrypted with
AES-256-GCM under a key derived from a passphrase (scrypt), the envelope's fields signed with the council's
Ed25519 key (:mod:`konsey.core.council_keys`), whose fingerprint the importer compares with the one the council
publishes. Without the passphrase the file is noise; an edited file fails its signature.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from konsey.core import council_keys

FORMAT = "konsey-sealed-export/1"
MIN_PASSPHRASE = 12
# scrypt's cost: about a tenth of a second here, and 32 MiB, for each guess of the passphrase.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1


class SealedExportError(ValueError):
    """The envelope cannot be opened: not one, a wrong passphrase, or an edited file."""


def _key(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(passphrase.encode())


def _signed_part(envelope: dict) -> bytes:
    """What the signature covers: every field but the signature, canonically."""
    return json.dumps({k: v for k, v in envelope.items() if k != "signature"}, sort_keys=True).encode()


def seal_export(content: bytes, passphrase: str, council_slug: str) -> bytes:
    """The envelope (JSON bytes) of ``content`` (the gzip-compressed document), for the bound council."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise SealedExportError(f"a passphrase of at least {MIN_PASSPHRASE} characters")
    salt, nonce = os.urandom(16), os.urandom(12)
    key = council_keys.council_key()
    envelope = {
        "format": FORMAT, "council": council_slug,
        "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
                "salt": base64.b64encode(salt).decode()},
        "nonce": base64.b64encode(nonce).decode(),
        "ciphertext": base64.b64encode(AESGCM(_key(passphrase, salt)).encrypt(nonce, content,
                                                                              FORMAT.encode())).decode(),
        "sha256": hashlib.sha256(content).hexdigest(),
        "public_key": key.public_key,
    }
    envelope["signature"] = council_keys.sign(_signed_part(envelope))
    return json.dumps(envelope, indent=1).encode()


def is_sealed_export(data: bytes) -> bool:
    try:
        return json.loads(data).get("format") == FORMAT
    except (ValueError, AttributeError):
        return False


def open_export(data: bytes, passphrase: str) -> tuple[bytes, str]:
    """(the gzip-compressed document, the signing key's fingerprint) of an envelope; refuses another file, an
    edited one, or a wrong passphrase."""
    try:
        envelope = json.loads(data)
        kdf = envelope["kdf"]
        salt, nonce = base64.b64decode(kdf["salt"]), base64.b64decode(envelope["nonce"])
        ciphertext = base64.b64decode(envelope["ciphertext"])
        cost = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
        signature, public_key = envelope["signature"], envelope["public_key"]
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise SealedExportError(f"not a {FORMAT} file") from error
    if envelope.get("format") != FORMAT or kdf.get("name") != "scrypt":
        raise SealedExportError(f"not a {FORMAT} file")
    if not (2 <= cost[0] <= SCRYPT_N and 1 <= cost[1] <= SCRYPT_R and 1 <= cost[2] <= SCRYPT_P):
        raise SealedExportError("the file asks for a key derivation this installation does not make")  # no memory bomb
    if not council_keys.verify(_signed_part(envelope), signature, public_key):
        raise SealedExportError("the signature does not match: the file was changed")
    key = Scrypt(salt=salt, length=32, n=cost[0], r=cost[1], p=cost[2]).derive(passphrase.encode())
    try:
        content = AESGCM(key).decrypt(nonce, ciphertext, FORMAT.encode())
    except InvalidTag as error:
        raise SealedExportError("the passphrase does not open this file") from error
    if hashlib.sha256(content).hexdigest() != envelope.get("sha256"):
        raise SealedExportError("the content does not match its digest")
    return content, council_keys.fingerprint_of(public_key)
