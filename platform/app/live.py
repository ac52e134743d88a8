"""The live service: pushes each meeting's live state to every screen that follows it, as Server-Sent Events.

An asynchronous (ASGI) process of its own, run by ``konsey live`` (uvicorn), beside the web workers: one
connection per screen costs it a few kilobytes, where a web worker would give a thread to each. It reads no
database and knows no person: it listens on Redis to what the web and the worker publish
(:mod:`konsey.core.live`) and fans each message out. A screen is admitted with the meeting's stream key, signed
with the installation's secret by the page that shows the meeting.

Urgent changes (a vote opened or closed, the floor given) go out at once; others (one more check-in, one more
ballot) are folded into at most one message per meeting a second: 1,500 phones checking in would otherwise be
1,500 × 1,500 messages.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
from datetime import UTC, datetime

from konsey.app.config import build_config, default_instance_path
from konsey.core import redis_servers
from konsey.core.live import LiveKeys, meeting_of_key

log = logging.getLogger(__name__)

KEEPALIVE_SECONDS = 15
COALESCE_SECONDS = float(os.environ.get("KONSEY_LIVE_COALESCE_SECONDS", "1"))
QUEUE_LIMIT = 8  # a screen that cannot keep up gets the latest messages, not all of them
_PATH = re.compile(r"^(?:/.*)?/meetings/(?P<key>[A-Za-z0-9_.\-]+)$")


def _event(state_json: str) -> bytes:
    return f"event: state\ndata: {state_json}\n\n".encode()


def _clock() -> bytes:
    return f"event: clock\ndata: {datetime.now(UTC).isoformat()}\n\n".encode()


class Hub:
    """The screens listening, meeting by meeting, and the one Redis subscription that feeds them."""

    def __init__(self, redis_url: str, coalesce_seconds: float = COALESCE_SECONDS, keys: LiveKeys | None = None,
                 sentinel_master: str = "konsey"):
        self.redis_url, self.sentinel_master = redis_url, sentinel_master
        self.keys = keys or LiveKeys()
        self.coalesce_seconds = coalesce_seconds
        self.listeners: dict[str, set[asyncio.Queue]] = {}
        self.passes: dict[asyncio.Queue, str] = {}  # a phone's stream → its pass (it ends with the pass)
        # Passes ended (a new one issued): read once from Redis at each (re)subscription, then kept current by
        # the revocation channel — a thousand phones connecting at once ask nothing of Redis.
        self.revoked_passes: set[str] = set()
        self.ended: set[asyncio.Queue] = set()  # streams of an ended pass: given nothing more but their end
        self.pending: dict[str, bytes] = {}
        self.last: dict[str, bytes | None] = {}  # the latest state of each meeting followed here
        self.versions: dict[str, int] = {}
        self.reading: dict[str, asyncio.Lock] = {}
        self.flushing: set[str] = set()
        self.redis = None
        self.task: asyncio.Task | None = None

    async def start(self) -> None:
        self.redis = redis_servers.async_client(self.redis_url, self.sentinel_master)
        self.task = asyncio.create_task(self._listen())

    async def stop(self) -> None:
        if self.task:
            self.task.cancel()
        if self.redis is not None:
            await self.redis.aclose()

    async def _listen(self) -> None:
        import redis.exceptions

        while True:
            try:
                pubsub = self.redis.pubsub()
                await pubsub.psubscribe(self.keys.channel("*"))
                self.revoked_passes |= {member.decode()
                                        for member in await self.redis.smembers(self.keys.revoked_set)}
                async for message in pubsub.listen():
                    if message.get("type") == "pmessage":
                        self._received(message["channel"].decode(), message["data"])
            except asyncio.CancelledError:
                raise
            except (redis.exceptions.RedisError, OSError) as error:
                log.warning("live service lost Redis (%s); reconnecting", error)
                await asyncio.sleep(1)

    def _received(self, channel: str, data: bytes) -> None:
        if channel == self.keys.revoked_channel:
            self._end_pass(data.decode())
            return
        meeting_id = channel[len(self.keys.channel("")):]
        if meeting_id not in self.listeners:
            return
        try:
            message = json.loads(data)
            version = int(message["state"]["version"])
            event = _event(json.dumps(message["state"], separators=(",", ":")))
        except (ValueError, KeyError, TypeError):
            log.warning("live service: a malformed message on %s was dropped", channel)
            return
        if version <= self.versions.get(meeting_id, 0):
            return  # an older state than the one the screens have
        self.versions[meeting_id] = version
        self.last[meeting_id] = event
        if message.get("urgent"):
            self.pending.pop(meeting_id, None)
            self._deliver(meeting_id, event)
            return
        self.pending[meeting_id] = event  # the latest wins
        if meeting_id not in self.flushing:
            self.flushing.add(meeting_id)
            asyncio.get_running_loop().call_later(self.coalesce_seconds, self._flush, meeting_id)

    def _flush(self, meeting_id: str) -> None:
        self.flushing.discard(meeting_id)
        event = self.pending.pop(meeting_id, None)
        if event is not None:
            self._deliver(meeting_id, event)

    def _deliver(self, meeting_id: str, event: bytes) -> None:
        for queue in self.listeners.get(meeting_id, ()):
            if queue in self.ended:
                continue  # its end is waiting in it: nothing may push that out
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(event)

    def _end_pass(self, pass_id: str) -> None:
        """A pass ended: the streams it holds open end now (the old page falls back to asking the web, which
        no longer knows its link)."""
        self.revoked_passes.add(pass_id)
        for queue, holder in list(self.passes.items()):
            if holder == pass_id:
                self.ended.add(queue)
                while not queue.empty():
                    queue.get_nowait()
                queue.put_nowait(None)

    def join(self, meeting_id: str, pass_id: str | None = None) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue(QUEUE_LIMIT)
        self.listeners.setdefault(meeting_id, set()).add(queue)
        if pass_id is not None:
            self.passes[queue] = pass_id
        return queue

    def revoked(self, pass_id: str) -> bool:
        return pass_id in self.revoked_passes

    def leave(self, meeting_id: str, queue: asyncio.Queue) -> None:
        self.passes.pop(queue, None)
        self.ended.discard(queue)
        screens = self.listeners.get(meeting_id)
        if screens is not None:
            screens.discard(queue)
            if not screens:
                del self.listeners[meeting_id]
                self.last.pop(meeting_id, None)  # nobody follows it here: Redis has it for the next screen
                self.versions.pop(meeting_id, None)

    async def latest(self, meeting_id: str) -> bytes | None:
        """The meeting's latest state for a screen that just connected: kept from the last message, else read
        once from Redis (a thousand phones connecting at once ask Redis one question, not a thousand)."""
        if meeting_id in self.last:
            return self.last[meeting_id]
        async with self.reading.setdefault(meeting_id, asyncio.Lock()):
            if meeting_id not in self.last:
                stored = await self.redis.hget(self.keys.state(meeting_id), "message")
                state = json.loads(stored)["state"] if stored else None
                if state is not None and int(state["version"]) > self.versions.get(meeting_id, 0):
                    self.versions[meeting_id] = int(state["version"])
                    self.last[meeting_id] = _event(json.dumps(state, separators=(",", ":")))
                else:
                    self.last.setdefault(meeting_id, None)
        return self.last[meeting_id]

    def count(self) -> int:
        return sum(len(screens) for screens in self.listeners.values())


class LiveService:
    """The ASGI application: ``GET …/meetings/<stream key>`` is a meeting's event stream; ``GET /health``
    says how many screens are connected."""

    def __init__(self, secret: str, redis_url: str, keys: LiveKeys | None = None, sentinel_master: str = "konsey"):
        self.secret = secret
        self.hub = Hub(redis_url, keys=keys, sentinel_master=sentinel_master)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path = scope["path"]
        if path == "/health":
            await self._plain(send, 200, json.dumps({"screens": self.hub.count()}).encode(), "application/json")
            return
        found = _PATH.match(path)
        opened = meeting_of_key(self.secret, found["key"]) if found else None
        if scope["method"] != "GET" or opened is None:
            await self._plain(send, 404, b"not found", "text/plain")
            return
        meeting_id, pass_id = opened
        if pass_id is not None and self.hub.revoked(pass_id):
            await self._plain(send, 404, b"not found", "text/plain")  # the pass was reissued: its key is dead
            return
        await self._stream(meeting_id, pass_id, receive, send)

    async def _lifespan(self, receive, send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await self.hub.start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.hub.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return

    @staticmethod
    async def _plain(send, status: int, body: bytes, content_type: str) -> None:
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", content_type.encode()), (b"access-control-allow-origin", b"*")]})
        await send({"type": "http.response.body", "body": body})

    async def _stream(self, meeting_id: str, pass_id: str | None, receive, send) -> None:
        queue = self.hub.join(meeting_id, pass_id)

        async def watch_disconnect():
            while (await receive())["type"] != "http.disconnect":
                pass

        watcher = asyncio.create_task(watch_disconnect())
        try:
            await send({"type": "http.response.start", "status": 200, "headers": [
                (b"content-type", b"text/event-stream"), (b"cache-control", b"no-cache"),
                (b"access-control-allow-origin", b"*"), (b"x-accel-buffering", b"no")]})
            first = b"retry: 2000\n\n"
            latest = await self.hub.latest(meeting_id)
            # The state kept may be minutes old: the screen's clock (the speaker's timer) is set by this one.
            await send({"type": "http.response.body", "body": first + (latest or b"") + _clock(), "more_body": True})
            while True:
                getter = asyncio.ensure_future(queue.get())
                done, _pending = await asyncio.wait({getter, watcher}, timeout=KEEPALIVE_SECONDS,
                                                    return_when=asyncio.FIRST_COMPLETED)
                if watcher in done:
                    getter.cancel()
                    break
                if getter in done:
                    event = getter.result()
                    if event is None:
                        break  # the pass ended
                else:
                    getter.cancel()
                    event = _clock()  # also keeps the connection alive through proxies
                await send({"type": "http.response.body", "body": event, "more_body": True})
        except OSError:
            pass  # the screen went away mid-write
        finally:
            self.hub.leave(meeting_id, queue)
            watcher.cancel()


def create_live_service() -> LiveService:
    config = build_config(default_instance_path())
    redis_url = config.get("KONSEY_LIVE_REDIS_URL")
    if not redis_url:
        raise SystemExit("KONSEY_LIVE_REDIS_URL is not set: the live service listens on Redis.")
    return LiveService(config["SECRET_KEY"], redis_url, LiveKeys(config["KONSEY_LIVE_KEY_PREFIX"]),
                       config["KONSEY_REDIS_SENTINEL_MASTER"])
