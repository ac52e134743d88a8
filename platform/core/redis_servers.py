"""Where Redis is: one server (``redis://host:port/db``), or the master that Redis Sentinel names and moves when it
fails (``sentinel://host:port;sentinel://host:port``, the form Celery's transport takes, the master's name in
``KONSEY_REDIS_SENTINEL_MASTER``). The broker, the beat's lock, the live service's pub/sub and the phones' publisher
all follow the same setting, so a failover of the master moves every one of them (docs/scaling.md)."""

from __future__ import annotations

from urllib.parse import urlsplit


def sentinels(url: str | None) -> list[tuple[str, int]] | None:
    """The sentinels a ``sentinel://`` address lists (None for any other address)."""
    if not url or not url.startswith("sentinel://"):
        return None
    found = []
    for part in url.split(";"):
        address = urlsplit(part.strip())
        found.append((address.hostname or "127.0.0.1", address.port or 26379))
    return found


def master_options(url: str) -> dict:
    """What a ``sentinel://`` address says of the master itself, as kombu reads it from its first part: the
    password (``sentinel://:secret@host:port``) and the database (``…/2``)."""
    first = urlsplit(url.split(";")[0].strip())
    options: dict = {"db": int(first.path.strip("/") or 0)}
    if first.password:
        options["password"] = first.password
    if first.username:
        options["username"] = first.username
    return options


def is_redis(url: str | None) -> bool:
    return bool(url) and url.startswith(("redis://", "rediss://", "sentinel://"))


def client(url: str, master: str, **options):
    """A client of the server ``url`` names, or of the master its sentinels name now (found again after a
    failover: redis-py asks the sentinels whenever a connection to the old master fails)."""
    import redis
    from redis.sentinel import Sentinel

    listed = sentinels(url)
    if listed is None:
        return redis.Redis.from_url(url, **options)
    return Sentinel(listed, socket_timeout=options.get("socket_timeout"),
                    sentinel_kwargs={"socket_timeout": options.get("socket_timeout") or 1}).master_for(
        master, **master_options(url), **options)


def async_client(url: str, master: str, **options):
    """:func:`client` for asyncio (the live service, whose subscription lasts: a master that died without closing
    its connections, a machine gone, is noticed by the health check and the keepalive, and the sentinels asked)."""
    import redis.asyncio as aioredis
    from redis.asyncio.sentinel import Sentinel

    options = {"health_check_interval": 10, "socket_keepalive": True, **options}
    listed = sentinels(url)
    if listed is None:
        return aioredis.Redis.from_url(url, **options)
    return Sentinel(listed, sentinel_kwargs={"socket_timeout": 1}).master_for(master, **master_options(url),
                                                                              **options)
