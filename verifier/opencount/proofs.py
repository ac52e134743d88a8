"""Zero-knowledge proofs, made non-interactive by Fiat-Shamir (:func:`opencount.group.challenge`). A proof is a
list of (challenge, response) scalars; its commitments are recomputed by the verifier, and the challenges must
hash to what the statement and those commitments give.

- :func:`prove_key` / :func:`check_key`: knowledge of x with X = x·G (a keyholder's coefficient, their share).
- :func:`prove_same_log` / :func:`check_same_log`: X = x·G and D = x·A with the same x (a partial decryption).
- :func:`prove_one_of` / :func:`check_one_of`: an ElGamal ciphertext (α, β) under the key K encrypts one of the
  given small numbers (a choice 0 or 1; a ballot's number of choices), without saying which.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from opencount.group import ORDER, base, challenge, mul, random_scalar, sub

Proof = list[tuple[int, int]]


def prove_key(label: str, context: Sequence, x: int, public: bytes,
              rand: Callable[[], int] = random_scalar) -> Proof:
    w = rand()
    c = challenge(label, *context, public, base(w))
    return [(c, (w + c * x) % ORDER)]


def check_key(label: str, context: Sequence, public: bytes, proof: Proof) -> bool:
    (c, z), = proof
    return challenge(label, *context, public, sub(base(z), mul(c, public))) == c


def prove_same_log(label: str, context: Sequence, x: int, public: bytes, other_base: bytes, other: bytes,
                   rand: Callable[[], int] = random_scalar) -> Proof:
    w = rand()
    c = challenge(label, *context, public, other_base, other, base(w), mul(w, other_base))
    return [(c, (w + c * x) % ORDER)]


def check_same_log(label: str, context: Sequence, public: bytes, other_base: bytes, other: bytes,
                   proof: Proof) -> bool:
    (c, z), = proof
    first = sub(base(z), mul(c, public))
    second = sub(mul(z, other_base), mul(c, other))
    return challenge(label, *context, public, other_base, other, first, second) == c


def _shifted(beta: bytes, value: int) -> bytes:
    """β − value·G: an encryption of ``value`` becomes one of 0."""
    return beta if value == 0 else sub(beta, base(value))


def prove_one_of(label: str, context: Sequence, key: bytes, alpha: bytes, beta: bytes, r: int, value: int,
                 values: Sequence[int], rand: Callable[[], int] = random_scalar) -> Proof:
    """(α, β) = (r·G, value·G + r·K) with ``value`` in ``values``: the branch of ``value`` is proved, the others
    simulated (their challenge and response drawn first, in the order of ``values``)."""
    branches: list = []
    for candidate in values:
        if candidate == value:
            branches.append(None)
            continue
        c, z = rand(), rand()
        branches.append((c, z, sub(base(z), mul(c, alpha)), sub(mul(z, key), mul(c, _shifted(beta, candidate)))))
    w = rand()
    commitments = []
    for branch in branches:
        commitments.extend((base(w), mul(w, key)) if branch is None else branch[2:])
    c_all = challenge(label, *context, key, alpha, beta, *commitments)
    real_c = (c_all - sum(b[0] for b in branches if b is not None)) % ORDER
    return [(real_c, (w + real_c * r) % ORDER) if b is None else (b[0], b[1]) for b in branches]


def check_one_of(label: str, context: Sequence, key: bytes, alpha: bytes, beta: bytes, values: Sequence[int],
                 proof: Proof) -> bool:
    if len(proof) != len(values):
        return False
    commitments = []
    for candidate, (c, z) in zip(values, proof, strict=True):
        commitments.append(sub(base(z), mul(c, alpha)))
        commitments.append(sub(mul(z, key), mul(c, _shifted(beta, candidate))))
    return challenge(label, *context, key, alpha, beta, *commitments) == sum(c for c, _z in proof) % ORDER


__all__ = ["Proof", "check_key", "check_one_of", "check_same_log", "prove_key", "prove_one_of",
           "prove_same_log"]
