"""When a sign-in code sent by SMS may be sent again and still be used, and which meetings ask for one (Associations
Regulation art. 15/A: an electronic general assembly signs its participants in with two factors)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=5)
# One code a minute to one number: a person who pressed "send" twice does not pay for two, a script cannot flood.
RESEND_AFTER = timedelta(seconds=60)
# Five wrong tries spend the code: a six-digit code guessed in five tries has a chance of 1 in 200,000.
MAX_TRIES = 5


def may_send_again(last_sent_at: datetime | None, now: datetime) -> bool:
    """Whether a new code may go to the number: none sent yet, or the last one a minute ago or more."""
    return last_sent_at is None or now - last_sent_at >= RESEND_AFTER


def seconds_to_wait(last_sent_at: datetime | None, now: datetime) -> int:
    """How long until :func:`may_send_again` (0 when it may)."""
    if may_send_again(last_sent_at, now):
        return 0
    return max(1, int((last_sent_at + RESEND_AFTER - now).total_seconds() + 0.999))


def code_usable(expires_at: datetime | None, tries: int, now: datetime) -> bool:
    """Whether a code sent earlier may still be tried: not expired, and fewer than :data:`MAX_TRIES` wrong tries."""
    return expires_at is not None and now < expires_at and tries < MAX_TRIES


def strong_sign_in_required(body_kind: str, bylaws: Mapping) -> bool:
    """Whether a phone must confirm its holder (an SMS code or a passkey) before joining or voting in a meeting of
    this kind of body (the by-laws' ``strong_sign_in_for``)."""
    return body_kind in bylaws["strong_sign_in_for"]
