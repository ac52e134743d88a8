"""Checking a vote's published record from end to end, trusting nothing in it but the arithmetic.

The record (``opencount/v1``) is what Konsey publishes at a sealed vote's close::

    {"format": "opencount/v1", "box": "<id>", "options": ["yes", "no", "abstain"], "least": 1, "most": 1,
     "threshold": 2,
     "keyholders": [{"index": 1, "transport_key": P,
                     "dealing": {"commitments": [P, …], "proof": [[c, z]], "shares": {"1": {"e": P, "s": c}, …},
                                 "signature": [[c, z]]},
                     "key_proof": [[c, z]]}, …],
     "public_key": P,
     "ballots": [{"choices": [{"a": P, "b": P, "proof": [[c, z], [c, z]]}, …], "count_proof": [[c, z], …]}, …],
     "fingerprint": "<sha-256 of the board>",
     "sums": [[P, P], …],
     "decryptions": [{"index": 1, "shares": [{"d": P, "proof": [[c, z]]}, …]}, …],
     "paper": {"counts": [n, …], "ballots": n, "signatures": [{"index": 1, "proof": [[c, z]]}, …]} | null,
     "result": {"sealed": [n, …], "paper": [n, …], "total": [n, …], "ballots": n}}

P is a point and c, z scalars, each 64 hex digits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from opencount.box import (
    Refused,
    aggregate,
    check_dealing,
    check_decryption,
    check_key_proof,
    check_signature,
    counts,
    fingerprint,
    point_of,
    public_key,
    read_ballot,
    statement,
    tracker,
    verification_key,
)

FORMAT = "opencount/v1"


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    ballots: int = 0
    counts: list[int] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(record: dict) -> Report:
    """Every check of the record; the report lists each problem found (none: the result is proved)."""
    report = Report()
    try:
        _verify(record, report)
    except Refused as refusal:
        report.problems.append(f"record: {refusal.reason}")
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        report.problems.append(f"record: malformed ({error.__class__.__name__}: {error})")
    return report


def _verify(record: dict, report: Report) -> None:
    if record.get("format") != FORMAT:
        raise Refused("format")
    box, threshold = record["box"], int(record["threshold"])
    options, least, most = len(record["options"]), int(record["least"]), int(record["most"])
    holders = sorted(record["keyholders"], key=lambda h: int(h["index"]))
    the_box = statement(box, record["options"], least, most, threshold, [h["transport_key"] for h in holders])
    indices = [int(h["index"]) for h in holders]
    dealings, transport = {}, {}
    for holder in holders:
        index = int(holder["index"])
        try:
            transport[index] = point_of(holder["transport_key"])
            dealings[index] = check_dealing(box, the_box, index, threshold, transport[index], holder["dealing"],
                                            indices)
        except Refused as refusal:
            report.problems.append(f"keyholder {index}: {refusal.reason}")
    if len(dealings) != len(record["keyholders"]) or len(dealings) < threshold:
        report.problems.append("key: not every keyholder's dealing checks")
        return
    key = public_key(dealings)
    if key.hex() != record["public_key"]:
        report.problems.append("key: the public key is not the sum of the keyholders' commitments")
    keys = {index: verification_key(dealings, index) for index in dealings}
    for holder in record["keyholders"]:
        try:
            check_key_proof(box, the_box, int(holder["index"]), keys[int(holder["index"])], holder["key_proof"])
        except Refused as refusal:
            report.problems.append(f"keyholder {holder['index']}: {refusal.reason}")
    pairs, seen, trackers = [], set(), []
    for position, ballot in enumerate(record["ballots"], 1):
        try:
            ballot_pairs = read_ballot(box, the_box, key, ballot, options, least, most)
        except Refused as refusal:
            report.problems.append(f"ballot {position}: {refusal.reason}")
            continue
        if any(a in seen for a, _b in ballot_pairs):
            report.problems.append(f"ballot {position}: a copy of another ballot")
        seen.update(a for a, _b in ballot_pairs)
        pairs.append(ballot_pairs)
        trackers.append(tracker(ballot))
    report.ballots = len(record["ballots"])
    if trackers != sorted(trackers):
        report.problems.append("board: the ballots are not in the order of their trackers")
    paper_part = None if not record.get("paper") else {"counts": record["paper"]["counts"],
                                                         "ballots": record["paper"]["ballots"]}
    board = fingerprint(the_box, record["public_key"], record["ballots"], paper_part)
    if board != record["fingerprint"]:
        report.problems.append("board: the fingerprint is not that of the published ballots")
    sums = aggregate(pairs, options)
    if [[a.hex(), b.hex()] for a, b in sums] != record["sums"]:
        report.problems.append("count: the sums are not the sums of the ballots")
    decryptions = {}
    for entry in record["decryptions"]:
        index = int(entry["index"])
        try:
            if index not in keys:
                raise Refused("not_a_keyholder")
            decryptions[index] = check_decryption(box, board, index, keys[index], sums, entry["shares"])
        except Refused as refusal:
            report.problems.append(f"decryption of keyholder {index}: {refusal.reason}")
    if report.problems:
        return
    sealed = counts(sums, decryptions, threshold, len(record["ballots"]))
    report.counts = sealed
    result = record["result"]
    if sealed != result["sealed"]:
        report.problems.append(f"result: the ballots count {sealed}, the record says {result['sealed']}")
    paper = [0] * options
    if record.get("paper"):
        paper = [int(n) for n in record["paper"]["counts"]]
        paper_ballots = int(record["paper"]["ballots"])
        signed = set()
        for signature in record["paper"]["signatures"]:
            index = int(signature["index"])
            try:
                check_signature(box, paper, paper_ballots, transport[index], signature["proof"])
                signed.add(index)
            except (Refused, KeyError):
                report.problems.append(f"paper: the signature of keyholder {index} does not check")
        if len(signed) < threshold:
            report.problems.append("paper: signed by fewer keyholders than the threshold")
    if paper != result["paper"]:
        report.problems.append("result: the paper counts are not the signed ones")
    if [s + p for s, p in zip(sealed, paper, strict=True)] != result["total"]:
        report.problems.append("result: the total is not the ballots' count plus the paper's")
    if result["ballots"] != len(record["ballots"]):
        report.problems.append("result: the number of sealed ballots is not the board's")
