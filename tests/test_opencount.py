"""The sealed ballots' protocol (verifier/opencount) on its own: the shared test vectors, honest records accepted,
every kind of tampering refused, and the verifier independent of Konsey."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from opencount import box as B
from opencount import verify
from opencount.group import base
from opencount.record import FORMAT

VERIFIER = Path(__file__).resolve().parent.parent / "verifier"


def honest_record(marks_list, paper=(1, 1, 0), options=("yes", "no", "abstain"), least=1, most=1, holders=3,
                  threshold=2, decrypting=(1, 3)):
    box = "2d0c8a3e-0000-4000-8000-000000000001"
    devices = {i: B.Keyholder(box, i, threshold) for i in range(1, holders + 1)}
    transport = {i: d.transport_key for i, d in devices.items()}
    the_box = B.statement(box, list(options), least, most, threshold, [transport[i].hex() for i in sorted(transport)])
    dealings = {i: d.dealing(transport, the_box) for i, d in devices.items()}
    confirmed = {i: d.receive(dealings, the_box, transport) for i, d in devices.items()}
    commitments = {i: [bytes.fromhex(c) for c in d["commitments"]] for i, d in dealings.items()}
    key = B.public_key(commitments)
    ballots = sorted((B.seal(box, the_box, key, marks, least, most) for marks in marks_list), key=B.tracker)
    pairs = [B.read_ballot(box, the_box, key, b, len(options), least, most) for b in ballots]
    sums = B.aggregate(pairs, len(options))
    paper_part = {"counts": list(paper), "ballots": sum(paper)} if paper is not None else None
    board = B.fingerprint(the_box, key.hex(), ballots, paper_part)
    sealed = [sum(m[i] for m in marks_list) for i in range(len(options))]
    return {
        "format": FORMAT, "box": box, "options": list(options), "least": least, "most": most,
        "threshold": threshold,
        "keyholders": [{"index": i, "transport_key": transport[i].hex(), "dealing": dealings[i],
                        "key_proof": confirmed[i]["proof"]} for i in devices],
        "public_key": key.hex(), "ballots": ballots, "fingerprint": board,
        "sums": [[a.hex(), b.hex()] for a, b in sums],
        "decryptions": [{"index": i, "shares": devices[i].decrypt(board, sums)} for i in decrypting],
        "paper": None if paper is None else {
            "counts": list(paper), "ballots": sum(paper),
            "signatures": [{"index": i, "proof": devices[i].sign_paper(list(paper), sum(paper))} for i in (1, 2)]},
        "result": {"sealed": sealed, "paper": list(paper or [0] * len(options)),
                   "total": [s + p for s, p in zip(sealed, paper or [0] * len(options))], "ballots": len(ballots)},
    }


@pytest.fixture(scope="module")
def record():
    return honest_record([[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]])


def test_the_shared_vectors_are_what_the_protocol_makes():
    """The browser is checked against the same file (test_browser_sealed); here the Python side: regenerating
    the vectors gives the file byte for byte."""
    sys.path.insert(0, str(VERIFIER))
    try:
        import make_vectors
    finally:
        sys.path.remove(str(VERIFIER))
    assert make_vectors.vectors() == json.loads((VERIFIER / "vectors.json").read_text())


def test_an_honest_record_is_accepted_with_its_count(record):
    report = verify(record)
    assert report.ok, report.problems
    assert report.counts == [3, 1, 1] and report.ballots == 5


def test_any_two_keyholders_open_the_count_and_one_cannot():
    for pair in ((1, 2), (2, 3), (1, 3)):
        assert verify(honest_record([[0, 1, 0], [0, 1, 0]], decrypting=pair)).counts == [0, 2, 0]
    alone = honest_record([[0, 1, 0]], decrypting=(2,))
    assert "record: too_few_decryptions" in verify(alone).problems


def _altered(record, change):
    copy_ = copy.deepcopy(record)
    change(copy_)
    return verify(copy_)


def _flip(hex_text: str) -> str:
    return ("0" if hex_text[0] != "0" else "1") + hex_text[1:]


@pytest.mark.parametrize("change, expected", [
    (lambda r: r["ballots"][2]["choices"][1].update(b=r["ballots"][3]["choices"][1]["b"]), "ballot 3: choice_proof"),
    (lambda r: r["ballots"][0]["count_proof"][0].__setitem__(1, _flip(r["ballots"][0]["count_proof"][0][1])),
     "ballot 1: "),
    (lambda r: r["ballots"].pop(1), "board: the fingerprint is not that of the published ballots"),
    (lambda r: r["ballots"].append(copy.deepcopy(r["ballots"][0])), "a copy of another ballot"),
    (lambda r: r["decryptions"][0]["shares"][0].update(d=r["decryptions"][1]["shares"][0]["d"]),
     "decryption of keyholder 1: decryption_proof"),
    (lambda r: r["result"].update(sealed=[4, 0, 1], total=[5, 1, 1]), "result: the ballots count [3, 1, 1]"),
    (lambda r: r["paper"].update(counts=[2, 1, 0]), "board: the fingerprint"),  # paper counts are in the board
    (lambda r: r["paper"]["signatures"][0]["proof"][0].reverse(), "paper: the signature of keyholder 1"),
    (lambda r: r["keyholders"][1]["dealing"]["commitments"].reverse(), "keyholder 2: coefficient_proof"),
    (lambda r: r.update(options=["no", "yes", "abstain"]), "keyholder 1: coefficient_proof"),  # labels bound
    (lambda r: r.update(paper=None, result={**r["result"], "paper": [0, 0, 0], "total": r["result"]["sealed"]}),
     "decryption of keyholder 1: decryption_proof"),  # the paper counts are in what was decrypted
    (lambda r: r["keyholders"][2]["dealing"]["shares"]["1"].update(e=r["keyholders"][0]["transport_key"]),
     "keyholder 3: dealing_signature"),  # a share relayed through someone else
    (lambda r: r.update(public_key=r["keyholders"][0]["dealing"]["commitments"][0]),
     "key: the public key is not the sum"),
])
def test_one_altered_ballot_proof_or_decryption_is_found(record, change, expected):
    report = _altered(record, change)
    assert not report.ok
    assert any(problem.startswith(expected) or expected in problem for problem in report.problems), report.problems


def test_a_ballot_outside_what_the_vote_allows_is_refused():
    box, key, the_box = "b", base(12345), b"s" * 32
    with pytest.raises(B.Refused, match="count_proof"):  # two marks where exactly one is allowed
        B.read_ballot(box, the_box, key, B.seal(box, the_box, key, [1, 1, 0], 2, 2), 3, 1, 1)
    with pytest.raises(B.Refused, match="choice_proof"):  # a 2 on one option, its proof made for a 1
        ballot = B.seal(box, the_box, key, [1, 0, 0], 1, 1)
        ballot["choices"][0]["b"] = B.add(bytes.fromhex(ballot["choices"][0]["b"]), base(1)).hex()
        B.read_ballot(box, the_box, key, ballot, 3, 1, 1)
    with pytest.raises(B.Refused, match="choice_proof"):  # a proof made for another vote
        B.read_ballot("another box", the_box, key, B.seal(box, the_box, key, [0, 0, 1], 1, 1), 3, 1, 1)
    for spelling in ("ff" * 32, None):  # not a point; the same point in capitals (one spelling per value)
        ballot = B.seal(box, the_box, key, [0, 0, 1], 1, 1)
        ballot["choices"][0]["a"] = spelling or ballot["choices"][0]["a"].upper()
        with pytest.raises(B.Refused, match="point"):
            B.read_ballot(box, the_box, key, ballot, 3, 1, 1)
    election = B.seal(box, the_box, key, [1, 0, 1, 1, 0, 0, 0, 1], 0, 7)
    assert len(B.read_ballot(box, the_box, key, election, 8, 0, 7)) == 8


def test_the_verifier_runs_alone_and_says_why(record, tmp_path):
    """``python -m opencount``: with only the verifier's folder on the path (no Konsey), 0 for an honest record,
    1 with the problem for an altered one."""
    honest, altered = tmp_path / "honest.json", tmp_path / "altered.json"
    honest.write_text(json.dumps(record))
    bad = copy.deepcopy(record)
    bad["decryptions"][1]["shares"][2]["proof"][0][0] = _flip(bad["decryptions"][1]["shares"][2]["proof"][0][0])
    altered.write_text(json.dumps(bad))
    env = {"PYTHONPATH": str(VERIFIER), "PATH": "/usr/bin:/bin"}
    probe = ("import runpy, sys; sys.argv = ['opencount', sys.argv[1]]\n"
             "try:\n    runpy.run_module('opencount', run_name='__main__')\n"
             "finally:\n    assert not [m for m in sys.modules if m.startswith('konsey')]")
    ok = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(VERIFIER)!r}); "
                         + probe.replace("\n", "\n"), str(honest)], capture_output=True, text=True, env=env)
    assert ok.returncode == 0, ok.stderr
    assert "OK 5 ballots" in ok.stdout and "yes 4, no 2, abstain 1" in ok.stdout
    failed = subprocess.run([sys.executable, "-m", "opencount", str(altered)], capture_output=True, text=True,
                            env=env, cwd=tmp_path)
    assert failed.returncode == 1
    assert "FAIL decryption of keyholder 3: decryption_proof" in failed.stdout
