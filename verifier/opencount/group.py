"""The group: ristretto255, through libsodium (the ``rbcl`` wheel bundles it). Scalars are Python integers modulo
the group's order; points are their canonical 32-byte encodings, checked on the way in.

Every hash of the protocol goes through :func:`challenge`, so that the browser's implementation and this one
agree byte for byte (the shared test vectors check it)."""

from __future__ import annotations

import hashlib
import secrets

import rbcl

ORDER = 2**252 + 27742317777372353535851937790883648493
IDENTITY = bytes(32)
DOMAIN = b"opencount/v1/"


def encode_scalar(x: int) -> bytes:
    return (x % ORDER).to_bytes(32, "little")


def _hex32(text) -> bytes:
    """64 lowercase hex digits (one spelling for each value: a copy in capitals is the same copy)."""
    if not isinstance(text, str) or len(text) != 64 or text != text.lower():
        return b""
    try:
        return bytes.fromhex(text)
    except ValueError:
        return b""


def scalar_from_hex(text: str) -> int:
    """A scalar as sent (64 lowercase hex digits, little-endian, below the order); ValueError otherwise."""
    raw = _hex32(text)
    if len(raw) != 32:
        raise ValueError("a scalar is 64 hex digits")
    x = int.from_bytes(raw, "little")
    if x >= ORDER:
        raise ValueError("a scalar is below the group's order")
    return x


def point_from_hex(text: str, *, identity: bool = False) -> bytes:
    """A point as sent (64 lowercase hex digits, a canonical ristretto255 encoding); ValueError otherwise. The
    identity is refused unless ``identity`` (a key, a commitment or a ciphertext's first half that is the
    identity has a secret of zero, which anyone knows)."""
    raw = _hex32(text)
    if len(raw) != 32 or not rbcl.crypto_core_ristretto255_is_valid_point(raw):
        raise ValueError("not a ristretto255 point")
    if raw == IDENTITY and not identity:
        raise ValueError("the identity point")
    return raw


def scalar_hex(x: int) -> str:
    return encode_scalar(x).hex()


def base(x: int) -> bytes:
    """x·G."""
    return rbcl.crypto_scalarmult_ristretto255_base_allow_scalar_zero(encode_scalar(x))


def mul(x: int, point: bytes) -> bytes:
    """x·P."""
    return rbcl.crypto_scalarmult_ristretto255_allow_scalar_zero(encode_scalar(x), point)


def add(p: bytes, q: bytes) -> bytes:
    return rbcl.crypto_core_ristretto255_add(p, q)


def sub(p: bytes, q: bytes) -> bytes:
    return rbcl.crypto_core_ristretto255_sub(p, q)


def total(points) -> bytes:
    """The sum of points (the identity for none)."""
    result = IDENTITY
    for point in points:
        result = add(result, point)
    return result


def random_scalar() -> int:
    return 1 + secrets.randbelow(ORDER - 1)


def _part(value) -> bytes:
    if isinstance(value, int):
        return encode_scalar(value)
    if isinstance(value, str):
        return value.encode()
    return bytes(value)


def challenge(label: str, *parts) -> int:
    """The Fiat-Shamir challenge of a proof: SHA-512 over the domain, the label and each part with its length
    (a part is bytes, a point, a scalar as an int, or text), reduced modulo the order."""
    digest = hashlib.sha512(DOMAIN + label.encode() + b"\x00")
    for part in parts:
        raw = _part(part)
        digest.update(len(raw).to_bytes(4, "big") + raw)
    return int.from_bytes(digest.digest(), "little") % ORDER


def lagrange_at_zero(index: int, indices) -> int:
    """The Lagrange coefficient of share ``index`` for interpolating at 0 from ``indices``."""
    result = 1
    for other in indices:
        if other != index:
            result = result * other * pow(other - index, -1, ORDER) % ORDER
    return result
