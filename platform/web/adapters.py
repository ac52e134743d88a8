"""What the platform's pages share beyond the page helpers of :mod:`konsey.pluginkit.pages` (where a page hands
the form to its use case and says a refusal): safe redirects, a live state answered to a polling screen, numbers
from the query string.

A page never commits and never calls the core's services: the use case is the unit of work.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Response, current_app, jsonify, request


def safe_next(target: str | None, default: str) -> str:
    """A same-origin path to go on to after sign-in or a language change, else ``default``.

    Browsers drop tabs and newlines from a URL and read a backslash as a slash, so ``/<tab>/evil.example`` is
    ``//evil.example`` to them: the target is judged as the browser will read it."""
    if not target:
        return default
    cleaned = re.sub(r"[\x00-\x1f\x7f]", "", target).replace("\\", "/")
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc or not cleaned.startswith("/") or cleaned.startswith("//"):
        return default
    return cleaned


def live_stream_url(key: str) -> str | None:
    """Where a page's script listens to a meeting's live updates (the live service), or None: it polls."""
    base = current_app.config.get("KONSEY_LIVE_URL")
    return f"{base.rstrip('/')}/meetings/{key}" if base else None


def known_version() -> int | None:
    """The published version a polling screen says it holds (``If-None-Match: "v<version>"``), if any."""
    for tag in request.if_none_match.as_set():
        digits = tag[1:]
        if tag.startswith("v") and digits.isascii() and digits.isdigit() and len(digits) <= 20:
            return int(digits)
    return None


def conditional_state(view):
    """A meeting's live state for a screen that polls: 304 while it holds the latest. Where the live service
    publishes, the tag is the published version and an unchanged screen costs no state at all; else the tag is
    the state's hash."""
    tag = view.tag
    if view.state is None or (view.version is None and request.if_none_match.contains(tag)):
        return Response(status=304, headers={"ETag": f'"{tag}"', "Cache-Control": "no-cache"})
    answer = jsonify(view.sent())
    answer.set_etag(tag)
    answer.headers["Cache-Control"] = "no-cache"
    return answer



def int_arg(name: str, default: int | None, low: int, high: int) -> int | None:
    """A whole number from the query string within [low, high]; anything else (text, "²", out of range) is the
    default — a hand-edited address shows the page as it comes, never a 500."""
    text = request.args.get(name, "")
    if not (text.isascii() and text.isdigit()):
        return default
    value = int(text)
    return value if low <= value <= high else default


def page_number() -> int:
    """``?page=`` of a paged list; anything but a page number is the first page."""
    return int_arg("page", 1, 1, 100_000)


def webauthn_site() -> tuple[str, str]:
    """(the relying party's id, the origin) a passkey is made for and checked against: the host the person used, as
    the browser sees it (a passkey made on one address is not offered on another)."""
    return request.host.split(":")[0], request.host_url.rstrip("/")
