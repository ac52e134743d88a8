"""Keyholders' devices and voters' phones for sealed ballots, in Python (opencount's own reference side of the
protocol), driving the same HTTP steps the browser's script takes."""

from __future__ import annotations

from opencount import box as protocol

FETCH = {"X-Konsey-Fetch": "1"}


class BoardDoesNotAddUp(Exception):
    """The published board's fingerprint is not what the server says it is: a keyholder's phone stops."""


class Device:
    """A keyholder's phone: its pass's test client, the box's page, and the secrets it keeps."""

    def __init__(self, client, page: str, box_id: str):
        self.client, self.base = client, f"{page}/sealed/{box_id}"
        self.box_id = box_id
        self.holder: protocol.Keyholder | None = None

    def state(self) -> dict:
        answer = self.client.get(f"{self.base}/state.json", headers=FETCH)
        assert answer.status_code == 200, answer.data
        return answer.json

    def post(self, step: str, body: dict, expect: int = 200):
        answer = self.client.post(f"{self.base}/{step}", json=body, headers=FETCH)
        assert answer.status_code == expect, (step, answer.status_code, answer.json)
        return answer.json

    def give_transport_key(self) -> None:
        state = self.state()
        self.holder = protocol.Keyholder(self.box_id, state["me"], state["threshold"])
        self.post("transport", {"transport_key": self.holder.transport_key.hex()})

    def deal(self) -> None:
        state = self.state()
        keys = {h["index"]: bytes.fromhex(h["transport_key"]) for h in state["keyholders"]}
        self.post("dealing", {"dealing": self.holder.dealing(keys, bytes.fromhex(state["statement"]))})

    def confirm(self) -> dict:
        state = self.state()
        dealings = {h["index"]: h["dealing"] for h in state["keyholders"]}
        keys = {h["index"]: bytes.fromhex(h["transport_key"]) for h in state["keyholders"]}
        return self.post("confirm", self.holder.receive(dealings, bytes.fromhex(state["statement"]), keys))

    def board(self) -> tuple[str, list]:
        """The fingerprint and sums of the frozen board, computed here from the board itself (as the phone
        does), never taken from the server's word."""
        state = self.state()
        ballots = state["board"]
        pairs = [[(bytes.fromhex(c["a"]), bytes.fromhex(c["b"])) for c in b["choices"]] for b in ballots]
        paper = None if state["paper"] is None else {"counts": state["paper"]["counts"],
                                                     "ballots": state["paper"]["ballots"]}
        board = protocol.fingerprint(bytes.fromhex(state["statement"]), state["public_key"], ballots, paper)
        if board != state["fingerprint"]:  # the phone's own check (static/sealed.js): it opens nothing then
            raise BoardDoesNotAddUp(board)
        return board, protocol.aggregate(pairs, len(state["options"]))

    def decrypt(self, expect: int = 200) -> dict:
        board, sums = self.board()
        return self.post("decryption", {"shares": self.holder.decrypt(board, sums)}, expect)

    def sign_paper(self, counts: list[int], ballots: int, expect: int = 200) -> dict:
        return self.post("paper", {"counts": counts, "ballots": ballots,
                                   "signature": self.holder.sign_paper(counts, ballots)}, expect)


def make_key(devices: list[Device]) -> dict:
    """The key ceremony, each step by every device in turn; the box's state once open."""
    for device in devices:
        device.give_transport_key()
    for device in devices:
        device.deal()
    for device in devices:
        state = device.confirm()
    assert state["stage"] == "open", state
    return state


def vote(client, page: str, box_id: str, marks: list[int], expect: int = 200):
    """A phone seals and sends its ballot; the answer (its tracker) and the ballot."""
    base = f"{page}/sealed/{box_id}"
    state = client.get(f"{base}/state.json", headers=FETCH).json
    ballot = protocol.seal(box_id, bytes.fromhex(state["statement"]), bytes.fromhex(state["public_key"]), marks,
                           state["least"], state["most"])
    answer = client.post(f"{base}/ballot", json={"ballot": ballot}, headers=FETCH)
    assert answer.status_code == expect, answer.json
    return answer.json, ballot
