"""The protocol of one sealed ballot box, as data: what each message holds and how it is checked. The server
checks every message with these functions as it arrives, and the verifier (:mod:`opencount.record`) checks the
published record with the same ones; the browser makes the messages (``sealed.js``) and the shared test vectors
pin both to the same bytes.

The box ``box`` (its identifier, a string) is in every proof, so that nothing made for one vote counts in another.

- **Key.** Keyholder i (1…n) draws a polynomial of degree k−1, publishes its coefficients' commitments Cᵢₜ = aᵢₜ·G
  with a proof of knowing aᵢ₀, and sends every other keyholder j its share f_i(j), masked with a key only j can
  derive (:func:`share_mask`: from an ephemeral point and j's transport key). j unmasks each share, checks it
  against the commitments (:func:`share_point`), adds them into x_j and proves knowing x_j for its verification
  key X_j (:func:`verification_key`), which anyone computes from the commitments. The box's key is Σ Cᵢ₀.
- **Ballot.** One exponential ElGamal ciphertext per option (α, β) = (r·G, m·G + r·K), a proof that each m is 0
  or 1 and one that their sum is within what the vote allows, all bound to the box and to the whole ballot.
- **Count.** The ballots' ciphertexts are added option by option; k keyholders each give x_j·A with a proof of
  the same logarithm as X_j, bound to the fingerprint of the whole bulletin board; Lagrange interpolation at 0
  gives x·A, and B − x·A = n·G, whose small n is found by counting up.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence

from opencount.group import (
    IDENTITY,
    ORDER,
    add,
    base,
    challenge,
    lagrange_at_zero,
    mul,
    point_from_hex,
    random_scalar,
    scalar_from_hex,
    scalar_hex,
    sub,
    total,
)
from opencount.proofs import check_key, check_one_of, check_same_log, prove_key, prove_one_of, prove_same_log


class Refused(ValueError):
    """A message that does not check: ``reason`` says what failed (a stable code, for people and for tests)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def canonical(value) -> bytes:
    """The one serialisation that is hashed (sorted keys, no spaces); the browser writes the same bytes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def proof_json(proof) -> list:
    return [[scalar_hex(c), scalar_hex(z)] for c, z in proof]


def proof_of(value, size: int | None = None) -> list[tuple[int, int]]:
    if not isinstance(value, list) or (size is not None and len(value) != size):
        raise Refused("proof_shape")
    try:
        return [(scalar_from_hex(c), scalar_from_hex(z)) for c, z in value]
    except (TypeError, ValueError):
        raise Refused("proof_shape") from None


def point_of(value, identity: bool = False) -> bytes:
    try:
        return point_from_hex(value, identity=identity)
    except (TypeError, ValueError):
        raise Refused("point") from None


def statement(box: str, options: Sequence[str], least: int, most: int, threshold: int,
              transport_keys: Sequence[str]) -> bytes:
    """What the box is: its id, the options in their order, how many a ballot may mark, the threshold and the
    keyholders' transport keys in the order of their indices. Every proof and the board's fingerprint hash it, so
    a record whose options were reordered, or a key relayed through someone else, no longer checks."""
    return hashlib.sha256(canonical({"box": box, "options": list(options), "least": least, "most": most,
                                     "threshold": threshold, "transport_keys": list(transport_keys)})).digest()


def key_check(statement_: bytes, commitments: Sequence[Sequence[str]]) -> str:
    """A short code of the box and its key that the keyholders read to each other in the hall: each phone
    computes it from what it received, so a server showing one keyholder another set of keys is caught."""
    digest = hashlib.sha256(statement_ + canonical([list(c) for c in commitments])).hexdigest()[:12].upper()
    return "-".join(digest[i:i + 4] for i in range(0, 12, 4))


# --- the key -----------------------------------------------------------------------------------------------------

def dealing_message(box: str, statement_: bytes, index: int, commitments: Sequence[str], shares: dict) -> list:
    """What a dealer signs with its transport key: the box, its statement (every keyholder's transport key), and
    all it deals."""
    return [box, statement_, index, canonical({"commitments": list(commitments), "shares": shares})]


def check_dealing(box: str, statement_: bytes, index: int, threshold: int, transport_key: bytes, dealing,
                  indices: Sequence[int]) -> list[bytes]:
    """A keyholder's dealing: k commitments with the proof of knowing the constant coefficient, a masked share
    for every keyholder, all signed with the dealer's transport key. The commitments' points, or Refused."""
    if not isinstance(dealing, dict) or set(dealing) != {"commitments", "proof", "shares", "signature"}:
        raise Refused("dealing_shape")
    commitments, shares = dealing["commitments"], dealing["shares"]
    if not isinstance(commitments, list) or len(commitments) != threshold:
        raise Refused("commitments_shape")
    points = [point_of(c) for c in commitments]
    if not isinstance(shares, dict) or set(shares) != {str(i) for i in indices}:
        raise Refused("shares_shape")
    for share in shares.values():
        if not isinstance(share, dict) or set(share) != {"e", "s"}:
            raise Refused("shares_shape")
        point_of(share["e"])
        proof_of([[share["s"], share["s"]]], 1)
    if not check_key("coefficient", [box, statement_, index], points[0], proof_of(dealing["proof"], 1)):
        raise Refused("coefficient_proof")
    if not check_key("dealing", dealing_message(box, statement_, index, commitments, shares), transport_key,
                     proof_of(dealing["signature"], 1)):
        raise Refused("dealing_signature")
    return points


def share_point(commitments: Sequence[bytes], index: int) -> bytes:
    """f(index)·G from the commitments of f's coefficients: what the share sent to ``index`` must match."""
    result, power = IDENTITY, 1
    for commitment in commitments:
        result = add(result, mul(power, commitment))
        power = power * index % ORDER
    return result


def verification_key(dealings: Mapping[int, Sequence[bytes]], index: int) -> bytes:
    """X_index = x_index·G: the sum over every dealer of the share point of ``index``."""
    return total(share_point(commitments, index) for commitments in dealings.values())


def public_key(dealings: Mapping[int, Sequence[bytes]]) -> bytes:
    return total(commitments[0] for commitments in dealings.values())


def share_mask(box: str, sender: int, recipient: int, ephemeral: bytes, shared: bytes) -> int:
    """The mask of the share ``sender`` sends ``recipient``: from the Diffie-Hellman point of an ephemeral key
    and the recipient's transport key, so that only the recipient (and the sender) can remove it."""
    return challenge("share", box, sender, recipient, ephemeral, shared)


def check_key_proof(box: str, statement_: bytes, index: int, key: bytes, proof) -> None:
    if not check_key("share", [box, statement_, index], key, proof_of(proof, 1)):
        raise Refused("share_proof")


# --- ballots -----------------------------------------------------------------------------------------------------

def binding(pairs: Sequence[tuple[bytes, bytes]]) -> bytes:
    """What binds every proof of a ballot to the whole ballot: a proof moved to another ballot fails."""
    return hashlib.sha256(b"".join(a + b for a, b in pairs)).digest()


def read_ballot(box: str, statement_: bytes, key: bytes, ballot, options: int, least: int,
                most: int) -> list[tuple[bytes, bytes]]:
    """The ballot's ciphertexts, once every proof in it checks; Refused with the reason otherwise."""
    if not isinstance(ballot, dict) or set(ballot) != {"choices", "count_proof"}:
        raise Refused("ballot_shape")
    choices = ballot["choices"]
    if not isinstance(choices, list) or len(choices) != options:
        raise Refused("ballot_shape")
    pairs = []
    for choice in choices:
        if not isinstance(choice, dict) or set(choice) != {"a", "b", "proof"}:
            raise Refused("ballot_shape")
        pairs.append((point_of(choice["a"]), point_of(choice["b"], identity=True)))
    context = [box, statement_, binding(pairs)]
    for (alpha, beta), choice in zip(pairs, choices, strict=True):
        if not check_one_of("choice", context, key, alpha, beta, (0, 1), proof_of(choice["proof"], 2)):
            raise Refused("choice_proof")
    alpha, beta = total(a for a, _b in pairs), total(b for _a, b in pairs)
    if not check_one_of("count", context, key, alpha, beta, range(least, most + 1),
                        proof_of(ballot["count_proof"], most - least + 1)):
        raise Refused("count_proof")
    return pairs


def tracker(ballot) -> str:
    """The ballot's tracker: the voter keeps it and finds their ballot on the published board."""
    return hashlib.sha256(canonical(ballot)).hexdigest()


def fingerprint(statement_: bytes, key_hex: str, ballots: Sequence, paper: dict | None) -> str:
    """The fingerprint of the bulletin board: the box's statement, its key, every ballot in the canonical order (by
    tracker) and the hall's signed paper counts (``{"counts", "ballots"}``, or None). Each partial decryption is
    bound to it: a board with a ballot more or less, other options or other paper counts cannot be tallied."""
    return hashlib.sha256(canonical({"statement": statement_.hex(), "key": key_hex, "ballots": list(ballots),
                                     "paper": paper})).hexdigest()


def aggregate(pairs_of_ballots: Sequence[Sequence[tuple[bytes, bytes]]], options: int) -> list[tuple[bytes, bytes]]:
    sums = [(IDENTITY, IDENTITY)] * options
    for pairs in pairs_of_ballots:
        sums = [(add(a, x), add(b, y)) for (a, b), (x, y) in zip(sums, pairs, strict=True)]
    return sums


# --- the count ---------------------------------------------------------------------------------------------------

def check_decryption(box: str, board: str, index: int, key: bytes, sums: Sequence[tuple[bytes, bytes]],
                     shares) -> list[bytes]:
    """A keyholder's partial decryption of every option's sum, each with its proof; the points, or Refused."""
    if not isinstance(shares, list) or len(shares) != len(sums):
        raise Refused("decryption_shape")
    points = []
    for option, ((alpha, _beta), share) in enumerate(zip(sums, shares, strict=True)):
        if not isinstance(share, dict) or set(share) != {"d", "proof"}:
            raise Refused("decryption_shape")
        point = point_of(share["d"], identity=True)
        if not check_same_log("decryption", [box, bytes.fromhex(board), index, option], key, alpha, point,
                              proof_of(share["proof"], 1)):
            raise Refused("decryption_proof")
        points.append(point)
    return points


def small_log(point: bytes, most: int) -> int:
    """n with n·G = point, for 0 ≤ n ≤ most (a count of ballots); Refused if none."""
    step, current = base(1), IDENTITY
    for n in range(most + 1):
        if current == point:
            return n
        current = add(current, step)
    raise Refused("no_count")


def counts(sums: Sequence[tuple[bytes, bytes]], decryptions: Mapping[int, Sequence[bytes]], threshold: int,
           most: int) -> list[int]:
    """The count of every option from ``threshold`` keyholders' partial decryptions (the lowest indices given)."""
    chosen = sorted(decryptions)[:threshold]
    if len(chosen) < threshold:
        raise Refused("too_few_decryptions")
    result = []
    for option, (_alpha, beta) in enumerate(sums):
        opened = total(mul(lagrange_at_zero(j, chosen), decryptions[j][option]) for j in chosen)
        result.append(small_log(sub(beta, opened), most))
    return result


def paper_message(box: str, paper_counts: Sequence[int], ballots: int) -> list:
    """What a keyholder signs of the hall's paper ballots: how many, and each option's count."""
    return [box, canonical({"ballots": ballots, "paper": list(paper_counts)})]


def check_signature(box: str, paper_counts: Sequence[int], ballots: int, transport_key: bytes, proof) -> None:
    if not check_key("paper", paper_message(box, paper_counts, ballots), transport_key, proof_of(proof, 1)):
        raise Refused("paper_signature")


# --- the keyholder's and the voter's side (the browser's, in Python: for tests, benchmarks and reference) --------

class Keyholder:
    """A keyholder's device: its transport key, its polynomial, its share once the key is made."""

    def __init__(self, box: str, index: int, threshold: int, rand: Callable[[], int] = random_scalar):
        self.box, self.index, self.threshold, self.rand = box, index, threshold, rand
        self.transport = rand()
        self.transport_key = base(self.transport)
        self.coefficients = [rand() for _ in range(threshold)]
        self.share: int | None = None

    def dealing(self, transport_keys: Mapping[int, bytes], statement_: bytes) -> dict:
        """The commitments, their proof, every keyholder's masked share, and the signature over them all."""
        commitments = [base(a) for a in self.coefficients]
        shares = {}
        for j, key in sorted(transport_keys.items()):
            value = sum(a * pow(j, t, ORDER) for t, a in enumerate(self.coefficients)) % ORDER
            e = self.rand()
            ephemeral = base(e)
            mask = share_mask(self.box, self.index, j, ephemeral, mul(e, key))
            shares[str(j)] = {"e": ephemeral.hex(), "s": scalar_hex(value + mask)}
        proof = prove_key("coefficient", [self.box, statement_, self.index], self.coefficients[0], commitments[0],
                          self.rand)
        hexes = [c.hex() for c in commitments]
        signature = prove_key("dealing", dealing_message(self.box, statement_, self.index, hexes, shares),
                              self.transport, self.transport_key, self.rand)
        return {"commitments": hexes, "proof": proof_json(proof), "shares": shares,
                "signature": proof_json(signature)}

    def receive(self, dealings: Mapping[int, dict], statement_: bytes, transport_keys: Mapping[int, bytes]) -> dict:
        """Every dealer's dealing checked (signed with the transport key this device was shown), its share to this
        keyholder unmasked and checked; the proof of the resulting share."""
        x = 0
        for sender, dealing in sorted(dealings.items()):
            try:
                check_dealing(self.box, statement_, sender, self.threshold, transport_keys[sender], dealing,
                              sorted(dealings))
            except Refused:
                raise Refused(f"bad_share_from_{sender}") from None
            masked = dealing["shares"][str(self.index)]
            ephemeral = point_from_hex(masked["e"])
            value = (scalar_from_hex(masked["s"]) - share_mask(self.box, sender, self.index, ephemeral,
                                                               mul(self.transport, ephemeral))) % ORDER
            if base(value) != share_point([point_from_hex(c) for c in dealing["commitments"]], self.index):
                raise Refused(f"bad_share_from_{sender}")
            x = (x + value) % ORDER
        self.share = x
        return {"proof": proof_json(prove_key("share", [self.box, statement_, self.index], x, base(x), self.rand))}

    def decrypt(self, board: str, sums: Sequence[tuple[bytes, bytes]]) -> list[dict]:
        key = base(self.share)
        return [{"d": mul(self.share, alpha).hex(),
                 "proof": proof_json(prove_same_log("decryption", [self.box, bytes.fromhex(board), self.index,
                                                                   option], self.share, key, alpha,
                                                    mul(self.share, alpha), self.rand))}
                for option, (alpha, _beta) in enumerate(sums)]

    def sign_paper(self, paper_counts: Sequence[int], ballots: int) -> list:
        return proof_json(prove_key("paper", paper_message(self.box, paper_counts, ballots), self.transport,
                                    self.transport_key, self.rand))


def seal(box: str, statement_: bytes, key: bytes, marks: Sequence[int], least: int, most: int,
         rand: Callable[[], int] = random_scalar) -> dict:
    """A ballot: ``marks`` is 0 or 1 per option. Randomness is drawn in a fixed order (each option's r, then each
    proof's draws), which the browser follows too, so that the test vectors match."""
    rs = [rand() for _ in marks]
    pairs = [(base(r), add(base(m), mul(r, key)) if m else mul(r, key)) for r, m in zip(rs, marks, strict=True)]
    context = [box, statement_, binding(pairs)]
    choices = [{"a": a.hex(), "b": b.hex(),
                "proof": proof_json(prove_one_of("choice", context, key, a, b, r, m, (0, 1), rand))}
               for (a, b), r, m in zip(pairs, rs, marks, strict=True)]
    alpha, beta = total(a for a, _b in pairs), total(b for _a, b in pairs)
    count_proof = prove_one_of("count", context, key, alpha, beta, sum(rs) % ORDER, sum(marks),
                               range(least, most + 1), rand)
    return {"choices": choices, "count_proof": proof_json(count_proof)}
