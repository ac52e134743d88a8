#!/usr/bin/env python3
"""Nothing lost when a server dies (#32): a hybrid general assembly votes from phones while a server is killed.

    .venv-test/bin/python bench/failover.py [phones]        # default 60; about four minutes on 2 cores

All on loopback, private servers only (their own ports and folders):

1. **PostgreSQL.** pg_auto_failover: a monitor, a primary and a synchronous standby; the platform on libpq's
   multi-host address (``target_session_attrs=read-write``). Motions are adopted and the phones join; a Celery worker
   delivers the motions to a webhook receiver; the phones vote (each ballot with its key, sent again after a 503
   with Retry-After, as the phone page's script does) while the primary is killed with ``kill -9``.
2. **Redis.** A master, its replica and a sentinel (the broker and the live service's publisher through
   ``sentinel://``); the same assembly votes on a single PostgreSQL while the Redis master is killed with -9.

Each run prints the ballots answered "recorded", counted and counted twice, the seconds from the kill to the promotion
and to the first write accepted after it, and the motions queued before the kill and delivered (each once). The last
line is ``ratio: <ballots counted ÷ ballots answered "recorded">`` over both runs (1.000: none lost, none twice).
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]


class _Mailbox:
    port = 0


def _smtp():
    from aiosmtpd.controller import Controller

    from support.services import free_port

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())
    controller.start()
    box = _Mailbox()
    box.port = controller.port
    return controller, box


def _run(name: str, tmp: Path, phones: int, database: dict | None, redis, kill) -> dict:
    from test_worker_faults import _council, _motions, _platform, _relay

    from support.clients import ApiClient, WebhookReceiver, adopted_motion
    from support.failover import assembly_with_phones, vote_through_a_failover

    controller, box = _smtp()
    receiver = WebhookReceiver(delay=0.05)
    pieces = _platform(tmp, box, database, redis=redis)
    platform = next(pieces)
    app = platform["app"]
    app.config["RATELIMIT_ENABLED"] = False
    if redis is not None:
        app.config["KONSEY_LIVE_REDIS_URL"] = redis.url  # the phones' publisher through the sentinel too
    stop = threading.Event()
    try:
        council_id, member, secret = _council(platform, "webhook", receiver.url)
        receiver.secret = secret
        for index in range(10):
            adopted_motion(app, platform["world"], council_id, title=f"Önerge {index}", member_id=member)
        queued = len(_motions(platform, council_id))
        assembly = assembly_with_phones(app, platform["world"], lambda token=None: ApiClient(app.test_client(), token),
                                        phones, council_id)
        platform["start_worker"]()

        def relay_loop():
            while not stop.is_set():
                with contextlib.suppress(Exception):  # a server gone for a moment: the next pass publishes
                    _relay(platform)
                time.sleep(0.5)

        threading.Thread(target=relay_loop, daemon=True).start()
        outcome = vote_through_a_failover(app, kill, assembly)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and set(_motions(platform, council_id).values()) != {"delivered"}:
            time.sleep(1)
        packages = [p["data"]["motion_id"] for p in receiver.received.values() if p["type"] == "motion.package"]
        outcome.update(run=name, motions=queued, delivered=len(set(packages)), delivered_twice=len(packages) -
                       len(set(packages)))
        return outcome
    finally:
        stop.set()
        receiver.close()
        for _ in pieces:
            pass
        controller.stop()


class _KillRedisMaster:
    """What the scenario kills in the second run: the Redis master (the sentinel promotes the replica)."""

    def __init__(self, sentinel):
        self.sentinel, self.first = sentinel, None

    def primary(self):
        port = self.sentinel.master_port()
        return None if port is None else ("master" if port == self.sentinel.ports["master"] else "replica")

    def primary_now(self):
        return self.primary()

    def kill(self, _name):
        self.sentinel.kill_master()


def main(phones: int) -> int:
    import tempfile

    from support.private_servers import PrivateFormation, PrivatePostgres, PrivateSentinelRedis

    results = []
    formation = PrivateFormation()
    try:
        formation.start()
        database = {"app": formation.url("konsey_app"), "migration": formation.url("postgres"),
                    "reader": formation.url("konsey_reader")}
        results.append(_run("postgresql primary killed", Path(tempfile.mkdtemp(prefix="konsey-bench-")), phones,
                            database, None, formation))
    finally:
        formation.destroy()
    postgres, sentinel = PrivatePostgres(), PrivateSentinelRedis()
    try:
        postgres.start()
        results.append(_run("redis master killed", Path(tempfile.mkdtemp(prefix="konsey-bench-")), phones,
                            postgres.platform_database(), sentinel, _KillRedisMaster(sentinel)))
    finally:
        postgres.destroy()
    recorded = counted = 0
    for result in results:
        print(f"{result['run']}: {result['phones']} phones, {result['recorded']} answered recorded, "
              f"{result['counted']} counted ({result['counted'] - result['distinct_seats']} twice), refused "
              f"{result['refused'] or 'none'}, {result['retried']} sent again after a 503; promoted after "
              f"{result['promoted_after'] or 0:.1f} s, first write "
              f"accepted {result['first_write_after_kill'] or 0:.1f} s after the kill; motions queued before the "
              f"kill {result['motions']}, delivered {result['delivered']} ({result['delivered_twice']} twice)")
        recorded += result["recorded"]
        counted += result["counted"]
    print(f"ratio: {counted / recorded:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 60))
