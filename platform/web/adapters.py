"""How a page calls a use case: parse the form with the API's own schema, run the use case, and on a refusal
show the messages (translated, naming the field) with what the person typed kept.

A page never commits and never calls the core's services: the use case is the unit of work.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from flask import Response, current_app, flash, g, has_request_context, jsonify, redirect, request, session
from marshmallow import ValidationError

from konsey.core.errors import DomainError, Invalid, NotFound
from konsey.core.live_state import etag, stamped
from konsey.schemas.messages import refusal_lines, translate_validation_messages


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
    if view.version is not None:
        tag = f"v{view.version}"
        if view.state is None:
            return Response(status=304, headers={"ETag": f'"{tag}"', "Cache-Control": "no-cache"})
        answer = jsonify(stamped(view.state, view.version))
    else:
        tag = etag(view.state)
        if request.if_none_match.contains(tag):
            return Response(status=304, headers={"ETag": f'"{tag}"', "Cache-Control": "no-cache"})
        answer = jsonify(stamped(view.state))
    answer.set_etag(tag)
    answer.headers["Cache-Control"] = "no-cache"
    return answer


def uuid_or_none(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def filled(form: Mapping, *names: str) -> dict:
    """The named form fields that were filled in (empty ones are left out, so schema defaults apply)."""
    return {name: form[name].strip() for name in names if (form.get(name) or "").strip()}


def load(schema_class, data: dict, **schema_options) -> dict:
    """``data`` loaded by the schema the API uses; refusals as :class:`Invalid` with translated messages."""
    try:
        return schema_class(**schema_options).load(data)
    except ValidationError as error:
        messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        raise Invalid(translate_validation_messages(messages)) from error


def flash_errors(error: DomainError) -> None:
    for message in _lines(error.errors):
        flash(message, "error")


def field_errors(error: DomainError) -> dict[str, list[str]]:
    """The refusal's messages by form field, nested fields flattened (``guardian.email``) so that a page can
    show each message beside its control."""
    flat: dict[str, list[str]] = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        else:
            flat.setdefault(prefix or "_schema", []).extend(_lines(value))

    walk("", error.errors)
    return flat


def flattened(error: DomainError) -> list[str]:
    """Every message of a refusal, as lines."""
    return _lines(error.errors)


def _lines(messages) -> list[str]:
    return refusal_lines(messages)


def answer_script_or_page(action: Callable[[], object], done, back: str, refused_back: str | None = None):
    """Run ``action`` for a form that a page's script may send (``X-Konsey-Fetch: 1``: a phone's vote, a badge
    scanned): the script gets JSON with the sentence to show and the refusal's status; a browser without script
    goes ``back`` (``refused_back`` after a refusal) with the sentence flashed. ``done`` is the sentence, or a
    function of the action's result that makes it. A wrong id in the URL stays the 404 page."""
    scripted = request.headers.get("X-Konsey-Fetch") == "1"
    try:
        result = action()
    except NotFound:
        raise
    except DomainError as error:
        message = " ".join(flattened(error))
        if scripted:
            return jsonify(message=message), error.status
        flash(message, "error")
        return redirect(refused_back or back)
    message = done(result) if callable(done) else done
    if scripted:
        return jsonify(message=message)
    flash(message, "success")
    return redirect(back)


def attempt(action: Callable[[], object], success: str | None = None) -> tuple[bool, object]:
    """Run ``action`` (a use case call); flash its refusal (and keep what was typed, for the page the person
    is sent back to) or the ``success`` message."""
    try:
        result = action()
    except NotFound:
        raise  # a wrong id in the URL (another council's, say) is a 404 page, not a message
    except DomainError as error:
        flash_errors(error)
        keep_input(error)
        return False, error
    if success:
        flash(success, "success")
    return True, result


# --- what was typed, kept across the redirect back to the form ---------------------------------------------------

_KEPT = "konsey_kept_input"
_MAX_VALUE, _MAX_TOTAL = 1000, 3000  # the session is a cookie: keep it small, or keep nothing


def keep_input(error: DomainError | None = None) -> None:
    """Remember this POST's form (and the fields the refusal names) for the next page shown."""
    if not has_request_context() or request.method != "POST":
        return
    values = {name: value for name, value in request.form.items() if name != "csrf_token" and len(value) <= _MAX_VALUE}
    if sum(len(v) for v in values.values()) > _MAX_TOTAL:
        values = {}
    session[_KEPT] = {"action": request.path, "values": values, "fields": sorted(error.errors) if error else []}


def _take_kept_input() -> None:
    # Touched only when something was kept: reading the session of every request would rewrite its cookie.
    if request.method == "GET" and _KEPT in session:
        g.kept_input = session.pop(_KEPT)


def _kept_helpers() -> dict:
    def _of(action: str | None) -> dict:
        found = g.get("kept_input") or {}
        # Only the form that was sent gets its values back (a page may have several with the same fields).
        return found if found.get("action") == (action or request.path) else {}

    def kept(name: str, default="", action: str | None = None):
        """What the person typed in ``name`` of the form posting to ``action`` (the page itself by default)
        before it was refused, else ``default``."""
        return _of(action).get("values", {}).get(name, default)

    def refused(name: str, action: str | None = None) -> bool:
        """Whether the last refusal of that form named this field."""
        return name in _of(action).get("fields", [])

    return {"kept": kept, "refused": refused}


def install(app) -> None:
    app.before_request(_take_kept_input)
    app.context_processor(_kept_helpers)


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
