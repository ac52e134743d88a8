"""Write vectors.json: fixed inputs and what the protocol makes of them with seeded draws. The browser's
implementation (platform/web/static/opencount.js) must give the same bytes; tests check both sides against it.

    python verifier/make_vectors.py   # rewrite after a deliberate change of the protocol
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from opencount.box import Keyholder, fingerprint, key_check, seal, statement, tracker  # noqa: E402
from opencount.group import base, challenge  # noqa: E402

HERE = Path(__file__).parent


def seeded(seed: str):
    counter = iter(range(10**9))
    return lambda: challenge("test-rng", seed, next(counter))


def vectors() -> dict:
    box = "0b7f6d1e-4a52-4c53-9a3e-5f0b2c7d9e11"
    holders = {i: Keyholder(box, i, 2, seeded(f"holder-{i}")) for i in (1, 2, 3)}
    transport = {i: h.transport_key.hex() for i, h in holders.items()}
    keys = {j: bytes.fromhex(k) for j, k in transport.items()}
    options = ["yes", "no", "abstain"]
    the_box = statement(box, options, 1, 1, 2, [transport[i] for i in sorted(transport)])
    dealings = {i: h.dealing(keys, the_box) for i, h in holders.items()}
    received = {i: h.receive(dealings, the_box, keys) for i, h in holders.items()}
    key = base(sum(h.coefficients[0] for h in holders.values())).hex()
    vote = seal(box, the_box, bytes.fromhex(key), [0, 1, 0], 1, 1, seeded("ballot"))
    election = seal(box, the_box, bytes.fromhex(key), [1, 0, 1, 0], 0, 2, seeded("election"))
    sums = [[c["a"], c["b"]] for c in vote["choices"]]
    board = "9f" * 32
    return {
        "challenges": [
            {"label": "x", "parts": [], "scalar": challenge("x").to_bytes(32, "little").hex()},
            {"label": "test-rng", "parts": ["seed", 7],
             "scalar": challenge("test-rng", "seed", 7).to_bytes(32, "little").hex()},
        ],
        "box": box, "options": options, "statement": the_box.hex(),
        "key_check": key_check(the_box, [dealings[i]["commitments"] for i in sorted(dealings)]),
        "fingerprint": fingerprint(the_box, key, [vote], {"counts": [2, 0, 1], "ballots": 3}),
        "keyholders": {str(i): {"seed": f"holder-{i}", "transport_key": transport[i], "dealing": dealings[i],
                                "received": received[i]} for i in holders},
        "public_key": key,
        "ballot": {"seed": "ballot", "marks": [0, 1, 0], "least": 1, "most": 1, "sealed": vote,
                   "tracker": tracker(vote)},
        "election_ballot": {"seed": "election", "marks": [1, 0, 1, 0], "least": 0, "most": 2, "sealed": election,
                            "tracker": tracker(election)},
        "decryption": {"index": 2, "board": board, "sums": sums,
                       "shares": _decrypt(holders[2], board, sums)},
        "paper": {"index": 1, "counts": [2, 0, 1], "ballots": 3, "signature": holders[1].sign_paper([2, 0, 1], 3)},
    }


def _decrypt(holder: Keyholder, board: str, sums: list) -> list:
    return holder.decrypt(board, [(bytes.fromhex(a), bytes.fromhex(b)) for a, b in sums])


if __name__ == "__main__":
    (HERE / "vectors.json").write_text(json.dumps(vectors(), indent=1, sort_keys=True) + "\n")
    print("written", HERE / "vectors.json")
