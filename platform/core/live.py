"""What every screen of a live meeting shows (the desk, the projector, the phones), and how it reaches them.

:func:`konsey.core.live_state.state` is the meeting as the screens show it. A use case that changes a meeting calls :func:`changed`; once its unit of work has committed,
:func:`publish_changes` computes the state once and publishes it on Redis (``konsey:live:<meeting id>``), where
the live service (:mod:`konsey.app.live`) pushes it to every connected screen as a Server-Sent Event. Without
Redis (the embedded set-up) the screens poll ``…/live.json``, which answers 304 while nothing changed.

Why push and not poll: 1,500 phones polling every half second would be 3,000 requests a second, more than two
cores can answer; one published message fanned out by one asynchronous process reaches them all within a
fraction of a second (bench/assembly.py, docs/performance.md).
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from dataclasses import dataclass

from flask import current_app, has_app_context
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from konsey.core import live_state, redis_servers, units_of_work
from konsey.core.meetings import Meeting
from konsey.tenants.db import db
from konsey.tenants.scoping import bound_council, current_council_id

log = logging.getLogger(__name__)

_KEY = "konsey_live_changes"
DEFAULT_KEY_PREFIX = "konsey:live:"


@dataclass(frozen=True)
class LiveKeys:
    """Where an installation's live states are kept and published in Redis. Installations sharing one Redis
    (staging beside production, or several test runs on one machine) stay apart by their prefix
    (``KONSEY_LIVE_KEY_PREFIX``): without it one's sweep folds the other's meetings, clearing their marks
    while finding nothing of them to publish, and their screens wait for a state that never comes."""

    prefix: str = DEFAULT_KEY_PREFIX

    def channel(self, meeting_id) -> str:
        return f"{self.prefix}{meeting_id}"

    def state(self, meeting_id) -> str:
        return f"{self.prefix}state:{meeting_id}"

    def version(self, meeting_id) -> str:
        return f"{self.prefix}version:{meeting_id}"

    def dirty(self, meeting_id) -> str:
        return f"{self.prefix}dirty:{meeting_id}"

    def slot(self, meeting_id) -> str:
        return f"{self.prefix}slot:{meeting_id}"

    @property
    def revoked_channel(self) -> str:
        return f"{self.prefix}revoked"

    @property
    def revoked_set(self) -> str:
        # Its name before prefixes existed, kept for the default one: a live service restarted by the upgrade
        # still refuses the passes revoked before it.
        return "konsey:live-revoked-passes" if self.prefix == DEFAULT_KEY_PREFIX else f"{self.prefix}revoked-passes"


def keys() -> LiveKeys:
    """This installation's keys (its configured prefix)."""
    return LiveKeys(current_app.config.get("KONSEY_LIVE_KEY_PREFIX") or DEFAULT_KEY_PREFIX)


# Keep and send a meeting's state only if it is newer than the one kept (KEYS: state, channel, version counter).
PUBLISH_IF_NEWER = """
local held = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if tonumber(ARGV[1]) <= held then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'message', ARGV[2])
redis.call('EXPIRE', KEYS[1], 43200)
redis.call('EXPIRE', KEYS[3], 43200)
redis.call('PUBLISH', KEYS[2], ARGV[2])
return 1
"""


def changed(meeting_id: uuid.UUID, *, urgent: bool = True) -> None:
    """Say that this unit of work changed what the meeting's screens show. ``urgent``: a vote opened or
    closed, the floor given — shown at once; otherwise (one more check-in, one more ballot) the live service
    may fold several changes into one update a second."""
    changes = db.session.info.setdefault(_KEY, {})
    council_id, was_urgent = changes.get(meeting_id, (current_council_id(), False))
    changes[meeting_id] = (council_id, was_urgent or urgent)


def take_changes() -> dict:
    return db.session.info.pop(_KEY, {})


def discard_changes() -> None:
    db.session.info.pop(_KEY, None)


def _publish_committed() -> None:
    publish_changes(take_changes())


# Once a unit of work has committed, the screens of the meetings it changed hear of it; a rolled-back one
# tells them nothing.
units_of_work.follow("the live screens", committed=_publish_committed, rolled_back=discard_changes)


# --- the stream key: who may listen to a meeting's live updates ------------------------------------------------


STREAM_KEY_HOURS = 24  # a meeting's day; a screen open longer falls back to polling (live.js), which asks the web


def _signer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="konsey.live")


def stream_key(meeting_id: uuid.UUID, pass_id: uuid.UUID | None = None) -> str:
    """Given with a page that shows the meeting (desk, projector, phone); the live service accepts only it, for
    a day. A phone's names its pass too: it dies with the pass (:func:`revoke_pass`)."""
    return _signer(current_app.config["SECRET_KEY"]).dumps([str(meeting_id), str(pass_id) if pass_id else ""])


def meeting_of_key(secret: str, key: str) -> tuple[str, str | None] | None:
    """(the meeting, the pass or None) a stream key opens, or None."""
    try:
        meeting_id, pass_id = _signer(secret).loads(key, max_age=STREAM_KEY_HOURS * 3600)
        return str(uuid.UUID(meeting_id)), str(uuid.UUID(pass_id)) if pass_id else None
    except (BadSignature, ValueError, TypeError):  # SignatureExpired is a BadSignature
        return None


# --- publishing --------------------------------------------------------------------------------------------------

_clients: dict = {}


def _redis():
    url = current_app.config.get("KONSEY_LIVE_REDIS_URL")
    if not url:
        return None
    client = _clients.get(url)
    if client is None:
        client = _clients[url] = redis_servers.client(url, current_app.config["KONSEY_REDIS_SENTINEL_MASTER"],
                                                      socket_timeout=0.5, socket_connect_timeout=0.5)
    return client


def publish_changes(changes: dict) -> None:
    """After the commit: each changed meeting's state, computed and published. An urgent change (a vote opened
    or closed, the floor given) is published at once; the others are folded (:func:`_fold`). A screen that
    misses a state (Redis down) catches up with the next change or its next poll; the meeting itself never waits
    for it."""
    if not changes or not has_app_context():
        return
    client = _redis()
    if client is None:
        return
    for meeting_id, (council_id, urgent) in changes.items():
        if urgent:
            _publish_now(client, meeting_id, council_id)
        else:
            _fold(client, meeting_id, council_id)


# Folding: at most one computation of a meeting's state per FOLD interval, whatever the number of changes (1,500
# ballots in ten seconds would otherwise be 1,500 computations, each thrown away by the live service but the
# latest); the first change of a quiet meeting is published at once, and a computation after the last change is
# guaranteed. A change marks the meeting dirty; whoever takes the meeting's slot (SET NX with the interval as
# its lifetime) clears the mark before reading the state, so a change committed after the read marks it again;
# a process whose change found the slot taken arms a timer for when the slot ends, and then folds again if the
# mark is still there. Across processes, Redis decides (one script, one round trip); within one, one timer per
# meeting.
_armed: set = set()
_armed_lock = threading.Lock()


def fold_seconds() -> float:
    return float(current_app.config.get("KONSEY_LIVE_FOLD_SECONDS", 1.0))


# One round trip a change (a ballot among 1,500 costs Redis one question): mark the meeting dirty; if its slot is
# free, take it and clear the mark (the caller computes now: -1); else the milliseconds the slot still runs.
FOLD = """
redis.call('SET', KEYS[1], ARGV[2], 'EX', 3600)
if redis.call('SET', KEYS[2], 1, 'NX', 'PX', ARGV[1]) then
  redis.call('DEL', KEYS[1])
  return -1
end
return redis.call('PTTL', KEYS[2])
"""


def _fold(client, meeting_id, council_id) -> None:
    import redis

    try:
        interval = fold_seconds()
        waits = int(client.eval(FOLD, 2, keys().dirty(meeting_id), keys().slot(meeting_id),
                                max(1, int(interval * 1000)), str(council_id)))
        if waits == -1:
            _publish(client, meeting_id, council_id, urgent=False)
            delay = interval
        else:
            delay = max(waits, 1) / 1000
        _arm(meeting_id, council_id, delay)
    except redis.RedisError as error:
        log.warning("live update of meeting %s not published: %s", meeting_id, error)


def _arm(meeting_id, council_id, delay: float) -> None:
    """A trailing publication in this process once the meeting's slot has ended (one timer per meeting)."""
    with _armed_lock:
        if meeting_id in _armed:
            return
        _armed.add(meeting_id)
    app = current_app._get_current_object()
    timer = threading.Timer(delay + 0.005, _trailing, args=(app, meeting_id, council_id))
    timer.daemon = True
    timer.start()


def _trailing(app, meeting_id, council_id) -> None:
    import redis

    with _armed_lock:
        _armed.discard(meeting_id)
    with app.app_context():
        try:
            client = _redis()
            if client is not None and client.exists(keys().dirty(meeting_id)):
                _fold(client, meeting_id, council_id)
        except redis.RedisError as error:
            log.warning("live update of meeting %s not published: %s", meeting_id, error)
        finally:
            db.session.remove()


def sweep() -> int:
    """The safety net under the trailing timers (a worker recycled, or a failure, while a meeting was marked
    dirty): every meeting still marked is folded again — published now if its slot is free. Run every few
    seconds by the scheduler; returns how many were found."""
    client = _redis()
    if client is None:
        return 0
    import redis

    found = 0
    marked = keys().dirty("")
    try:
        for key in client.scan_iter(marked + "*", count=500):
            council_id = client.get(key)
            try:
                meeting, council = uuid.UUID(key.decode()[len(marked):]), uuid.UUID(council_id.decode())
            except (AttributeError, ValueError):
                client.delete(key)  # gone meanwhile, or not a mark this version made
                continue
            found += 1
            _fold(client, meeting, council)
    except redis.RedisError as error:
        log.warning("the live states waiting were not swept: %s", error)
    return found


def _publish_now(client, meeting_id, council_id) -> None:
    """An urgent change: the mark cleared (this computation holds every change so far) and the state published."""
    import redis

    try:
        client.delete(keys().dirty(meeting_id))
    except redis.RedisError as error:
        log.warning("live update of meeting %s not published: %s", meeting_id, error)
        return
    _publish(client, meeting_id, council_id, urgent=True)


def _publish(client, meeting_id, council_id, *, urgent: bool) -> None:
    """Read the meeting's state and publish it (the mark was cleared before this read)."""
    import redis

    try:
        version = _next_version(client, meeting_id)
        with bound_council(council_id):  # a system task has left the council's scope by its commit
            meeting = db.session.scalar(select(Meeting).where(Meeting.id == meeting_id))
            if meeting is None:
                return
            message = json.dumps({"urgent": urgent, "state": live_state.stamped(live_state.state(meeting), version)})
        names = keys()
        client.eval(PUBLISH_IF_NEWER, 3, names.state(meeting_id), names.channel(meeting_id),
                    names.version(meeting_id), version, message)
    except redis.RedisError as error:
        log.warning("live update of meeting %s not published: %s", meeting_id, error)
    except Exception:  # noqa: BLE001 - one meeting's failure does not keep the others' screens waiting
        log.exception("live state of meeting %s not computed", meeting_id)
    finally:
        db.session.rollback()  # the read is over: hold no snapshot (and, on SQLite, no lock) until the next


def published(meeting_id: uuid.UUID) -> tuple[int, dict] | None:
    """The meeting's latest published state and its version, as the live service holds it (Redis); None
    without Redis or before anything was published. A screen that polls is answered from it: the state is
    computed once per change (folded), not once per poll."""
    client = _redis()
    if client is None:
        return None
    import redis

    try:
        version, message = client.hmget(keys().state(meeting_id), ["v", "message"])
    except redis.RedisError:
        return None
    if version is None or message is None:
        return None
    return int(version), json.loads(message)["state"]


@dataclass
class LiveView:
    """What a polling screen is answered: the state and its version, or (``state`` None) that the version it
    holds is still the latest."""

    version: int | None  # the published version; None without the live service's Redis (then a hash tags it)
    state: dict | None

    @property
    def tag(self) -> str:
        """The entity tag a screen holds: the published version, else the state's hash."""
        return f"v{self.version}" if self.version is not None else live_state.etag(self.state)

    def sent(self) -> dict:
        """The state as sent (the server's clock and the version stamped on it)."""
        return live_state.stamped(self.state, self.version)


def view(meeting: Meeting, known: int | None = None) -> LiveView:
    """The state for a screen that polls and holds version ``known``: the latest published one (computed once
    per change, not once per poll), nothing at all when the screen holds it already; computed here only where
    nothing is published (the embedded set-up, without Redis)."""
    found = published(meeting.id)
    if found is None:
        return LiveView(None, live_state.state(meeting))
    version, latest = found
    return LiveView(version, None if known == version else latest)


def revoke_pass(pass_id: uuid.UUID) -> None:
    """A pass ended (a new one issued): its stream key opens nothing from now on, and the live service closes
    the streams it holds open."""
    client = _redis()
    if client is None:
        return
    import redis

    try:
        names = keys()
        pipe = client.pipeline(transaction=True)
        pipe.sadd(names.revoked_set, str(pass_id))
        pipe.expire(names.revoked_set, STREAM_KEY_HOURS * 3600)
        pipe.publish(names.revoked_channel, str(pass_id))
        pipe.execute()
    except redis.RedisError as error:
        log.warning("the end of pass %s was not told to the live service: %s", pass_id, error)


def _next_version(client, meeting_id) -> int:
    """The version of the state about to be read. Drawn before the read: a state with a higher number was read
    later, so it holds every change an older one holds (two requests publishing at once may finish in either
    order; Redis keeps and sends only the newer, PUBLISH_IF_NEWER). A counter Redis lost (a restart, twelve quiet
    hours) starts again from the clock in microseconds, above any number it gave before, so the screens still
    holding those take the new states."""
    key = keys().version(meeting_id)
    pipe = client.pipeline(transaction=True)
    pipe.set(key, time.time_ns() // 1000, nx=True, ex=12 * 3600)
    pipe.incr(key)
    return int(pipe.execute()[1])
