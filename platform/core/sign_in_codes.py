"""A six-digit code sent by SMS to confirm who is signing in: a staff member's second factor, or a member opening
their meeting link where the by-laws ask for it (konsey.core.rules.sign_in says when one may be sent and tried).

The row it confirms (a second factor, a meeting pass) carries the code's columns through :class:`HoldsSignInCode`;
the code itself is kept as its SHA-256 only, for five minutes, spent by its use or by five wrong tries.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core.errors import Conflict
from konsey.core.rules import sign_in as rules
from konsey.tenants.db import as_utc, utcnow


def digest(secret: str) -> str:
    """The SHA-256 a one-time secret is kept as (a code, a recovery code, a remembered device: each random enough
    that no dictionary reaches it)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class HoldsSignInCode:
    """The columns of a code sent by SMS, and the two things done with it."""

    code_digest: Mapped[str | None] = mapped_column(String(64))
    code_sent_at: Mapped[datetime | None]
    code_expires_at: Mapped[datetime | None]
    code_tries: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    def seconds_to_wait(self, now: datetime | None = None) -> int:
        """How long before another code may be sent (0: now)."""
        sent = as_utc(self.code_sent_at) if self.code_sent_at else None
        return rules.seconds_to_wait(sent, now or utcnow())

    def code_to_send(self) -> str:
        """A fresh code to send, or the refusal to send another within the minute (on the code's field)."""
        code = self.new_code()
        if code is None:
            raise Conflict({"code": [_("A code was sent less than a minute ago. Wait %(seconds)d seconds for "
                                       "another.", seconds=self.seconds_to_wait())]})
        return code

    def new_code(self, now: datetime | None = None) -> str | None:
        """A fresh code (the earlier one void), or None while the last one is less than a minute old."""
        now = now or utcnow()
        if self.seconds_to_wait(now):
            return None
        code = f"{secrets.randbelow(10 ** rules.CODE_DIGITS):0{rules.CODE_DIGITS}d}"
        self.code_digest, self.code_sent_at = digest(code), now
        self.code_expires_at, self.code_tries = now + rules.CODE_LIFETIME, 0
        return code

    def use_code(self, typed: str, now: datetime | None = None) -> bool:
        """Whether ``typed`` is the code sent and still good; it is spent when right, and counts a try when wrong.
        The caller locks the row first (konsey.tenants.db.lock): two tries at once take their turns, so neither a
        lost count nor a code used twice."""
        now = now or utcnow()
        expires = as_utc(self.code_expires_at) if self.code_expires_at else None
        if self.code_digest is None or not rules.code_usable(expires, self.code_tries or 0, now):
            return False
        typed = "".join((typed or "").split())
        if hmac.compare_digest(digest(typed), self.code_digest):
            self.code_digest, self.code_expires_at = None, None
            return True
        self.code_tries = (self.code_tries or 0) + 1
        return False
