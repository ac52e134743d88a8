"""Phones in a process of their own, for the race tests: another interpreter with its own app and database
connections against the same database, as a second web worker would be.

Reads one JSON line at a time from standard input — ``{"config": {...}, "instance": "…"}`` first, then
``{"start_at": <epoch seconds>, "ballots": [[personal link, vote_id, delay], …]}`` for each round — and answers each round
with one JSON line: the status of each ballot, in order."""

from __future__ import annotations

import json
import sys
import threading
import time


def main() -> None:
    from konsey.app import create_app

    setup = json.loads(sys.stdin.readline())
    app = create_app(setup["config"], instance_path=setup["instance"])
    phones = {}  # a link → (the phone that opened it, its meeting page)
    print(json.dumps("ready"), flush=True)
    for line in sys.stdin:
        round_ = json.loads(line)
        statuses = [None] * len(round_["ballots"])

        def cast(index, link, vote_id, delay):
            phone, page = phones[link]
            time.sleep(max(0.0, round_["start_at"] - time.time()) + delay)
            answer = phone.post(f"{page}/votes/{vote_id}", data={"choice": "yes"}, headers={"X-Konsey-Fetch": "1"})
            statuses[index] = answer.status_code

        for link, _vote_id, _delay in round_["ballots"]:
            if link not in phones:  # the personal link opened once: its key is in the phone's cookie from then on
                phone = app.test_client()
                phones[link] = (phone, phone.get(link).headers["Location"])
        threads = [threading.Thread(target=cast, args=(i, *ballot)) for i, ballot in enumerate(round_["ballots"])]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        print(json.dumps(statuses), flush=True)


if __name__ == "__main__":
    main()
