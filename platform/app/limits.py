"""Rate limits on the doors an attacker knocks at: signing in, password resets, public applications, receipt
links and token creation (Flask-Limiter; in memory on the embedded default, Redis in production through
``KONSEY_RATELIMIT_STORAGE_URI``). A refused request answers 429, translated, with ``Retry-After``.

The limits are the platform's policy, set here in one table by endpoint rather than on the views.
"""

from __future__ import annotations

import hashlib
import time

from flask import Flask, g, request, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from konsey.core.accounts import normalise_email
from konsey.web import remote_pages


def _account() -> str:
    """The account a sign-in or reset is about (the form's e-mail), whatever address the requests come from."""
    return "account:" + normalise_email(request.form.get("email", "") or "-")


def _signing_in() -> str:
    """The account whose second step this is (its password was right, in this session)."""
    return "second-step:" + str((session.get("pending_sign_in") or {}).get("user") or get_remote_address())


def _failed_sign_in(response) -> bool:
    return response.status_code != 302  # a sign-in that worked redirects; one that failed shows the form again


def _pass_holder() -> str:
    """The key a phone's request carries (the one its pages are opened with: a confirmed phone's, else the link's):
    a hall's phones share one address (the venue's network), so each pass has its own allowance."""
    meeting_id = (request.view_args or {}).get("meeting_id")
    key = remote_pages.held_key(meeting_id) if meeting_id is not None else None
    return "pass:" + hashlib.sha256(key.encode()).hexdigest()[:32] if key else "address:" + get_remote_address()


def _link() -> str:
    """The personal link being opened: a venue's phones open theirs from one address at the same moment, so each
    link has its own allowance (a forged one fails its signature before any query)."""
    token = (request.view_args or {}).get("token") or ""
    return "link:" + hashlib.sha256(token.encode()).hexdigest()[:32]


def _desk() -> str:
    """The person at a desk (their session or API token): two desks at one venue's address count apart."""
    who = request.headers.get("Authorization") or str(session.get("_user_id") or "")
    return "desk:" + (hashlib.sha256(who.encode()).hexdigest()[:32] if who else get_remote_address())


# What one phone does in a minute, generously: a heartbeat every few seconds, polling where no live service
# runs, a few taps; a phone scripted to hammer the server meets a 429 long before the server notices.
PHONE = [("60 per minute", {"methods": ["POST"], "key_func": _pass_holder})]

# endpoint → [(limit, options)]
LIMITS: dict[str, list[tuple[str, dict]]] = {
    "auth.login": [
        ("20 per minute", {"methods": ["POST"]}),
        # Per account: after five wrong passwords in a quarter of an hour the account waits, right password or not.
        ("5 per 15 minutes", {"methods": ["POST"], "key_func": _account, "deduct_when": _failed_sign_in}),
    ],
    # The second step: a few tries a session (the page's own count), and per address a ceiling on guessing.
    "auth.second_step": [
        ("10 per minute", {"methods": ["POST"]}),
        # Per account, as for passwords: five wrong codes in a quarter of an hour and the account waits.
        ("5 per 15 minutes", {"methods": ["POST"], "key_func": _signing_in, "deduct_when": _failed_sign_in}),
    ],
    "auth.passkey_sign_in": [("10 per minute", {"methods": ["POST"]})],
    # A code by SMS costs the council: a few an hour for one sign-in (the use case sends one a minute at most).
    "auth.send_sign_in_code": [("5 per hour", {"methods": ["POST"], "key_func": _signing_in}),
                               ("30 per hour", {"methods": ["POST"]})],
    "account.start_sms": [("5 per hour", {"methods": ["POST"]})],
    "account.confirm_sms": [("10 per minute", {"methods": ["POST"]})],
    "account.confirm_authenticator": [("10 per minute", {"methods": ["POST"]})],
    "auth.forgot_password": [
        ("10 per hour", {"methods": ["POST"]}),
        ("3 per hour", {"methods": ["POST"], "key_func": _account}),
    ],
    "auth.reset_password": [("10 per hour", {"methods": ["POST"]})],
    "auth.accept_invitation": [("10 per hour", {"methods": ["POST"]})],
    "applications.Applications": [("5 per hour", {"methods": ["POST"]})],
    "application_pages.apply": [("5 per hour", {"methods": ["POST"]})],
    "receipts.receipt": [("30 per minute", {})],
    "receipts.package": [("30 per minute", {})],
    "receipts.confirm": [("10 per minute", {})],
    "account.tokens": [("10 per hour", {"methods": ["POST"]})],
    # A personal link opened: per link; the phone's own requests: per pass (a hall shares one address).
    "remote_pages.open_link": [("30 per minute", {"key_func": _link})],
    "remote_pages.live_json": [("120 per minute", {"key_func": _pass_holder})],
    **{f"remote_pages.{name}": PHONE for name in ("join", "here", "leave", "ballot", "ask_floor", "withdraw_floor",
                                                        "hand_in_floor_motion", "sign_floor_motion",
                                                        "board_take_up", "board_open_vote",
                                                        "board_record_counts", "board_close_vote",
                                                        "board_read_floor_motion", "board_refuse_floor_motion",
                                                        "board_vote_on_floor_motion")},
    # Confirming a phone's holder: a code a minute at most (the use case), a few an hour (each costs the council),
    # and a few tries at a six-digit code (five spend it).
    # Per pass only: a hall's phones share one address, and a general assembly's would exhaust any per-address
    # allowance; five codes an hour make 25 tries at a six-digit code.
    "remote_pages.send_code": [("5 per hour", {"methods": ["POST"], "key_func": _pass_holder})],
    "remote_pages.confirm": [("10 per minute", {"methods": ["POST"], "key_func": _pass_holder})],
    "remote_pages.confirm_passkey": [("10 per minute", {"methods": ["POST"], "key_func": _pass_holder})],
    "remote_pages.add_passkey": [("10 per minute", {"methods": ["POST"], "key_func": _pass_holder})],
    # A badge's code confirms a board member's approval: a few tries, not a search through codes.
    "remote_pages.approve_minutes": [("10 per minute", {"methods": ["POST"], "key_func": _pass_holder})],
    "remote_pages.minutes_version": [("30 per minute", {"key_func": _pass_holder})],
    "meeting_pages.approve_minutes_at_desk": [("30 per minute", {"methods": ["POST"], "key_func": _desk})],
    # The public check of an archive or a fingerprint: people check a few, a script guessing fingerprints many.
    "council.verify": [("20 per minute", {"methods": ["POST"]})],
    # Badge codes checked in at a desk (scanned or typed): a desk scans one every second or two, not hundreds.
    "meeting_pages.check_in_by_code": [("90 per minute", {"methods": ["POST"], "key_func": _desk})],
    "meetings.CodeCheckIn": [("90 per minute", {"methods": ["POST"], "key_func": _desk})],
}


def _remember_breach(breached) -> None:
    """The limit this request broke (Flask-Limiter then answers 429 as usual)."""
    g.konsey_breached = breached


def _retry_after(response):
    """A 429 of the limiter says when the broken limit's window ends (at least a second)."""
    breached = g.pop("konsey_breached", None)
    if response.status_code == 429 and breached is not None and "Retry-After" not in response.headers:
        try:
            seconds = int(breached.reset_at - time.time())
        except Exception:  # noqa: BLE001 - the storage unreachable now: the window's length is a safe answer
            seconds = breached.limit.limit.get_expiry()
        response.headers["Retry-After"] = str(max(1, seconds))
    return response


def install(app: Flask) -> None:
    """A limiter of the app's own (one per app: a process that builds several, like the tests, keeps each app's
    settings and counts apart)."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("KONSEY_RATELIMIT_STORAGE_URI", "memory://"))
    # No X-RateLimit-* headers on every answer: working them out asked the storage (Redis) twice more per request,
    # a tenth of a phone's ballot; only a refusal says when to come back.
    limiter = Limiter(key_func=get_remote_address, headers_enabled=False, app=app, on_breach=_remember_breach)
    app.extensions["konsey.limiter"] = limiter  # the app holds its limiter (Flask-Limiter keeps only a weak one)
    app.after_request(_retry_after)
    # A plugin's own (konsey.pluginkit.city.rate_limited), on a page's function or an API's MethodView class.
    declared = {endpoint: limits for endpoint, view in app.view_functions.items()
                if (limits := getattr(view, "konsey_limits", None) or getattr(getattr(view, "view_class", None),
                                                                                "konsey_limits", None))}
    for endpoint, limits in {**declared, **LIMITS}.items():
        view = app.view_functions.get(endpoint)
        if view is None:
            continue
        for value, options in limits:
            view = limiter.limit(value, **options)(view)
        app.view_functions[endpoint] = view
