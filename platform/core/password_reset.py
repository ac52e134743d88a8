"""Password reset links: signed, valid for an hour, and spent once the password changes."""

from __future__ import annotations

import hashlib
import uuid

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from konsey.core.accounts import User
from konsey.core.db import db

MAX_AGE_SECONDS = 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="konsey-password-reset")


def _fingerprint(user: User) -> str:
    # Bound to the current hash: once the password changes, every earlier link stops working.
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def reset_token(user: User) -> str:
    return _serializer().dumps({"u": str(user.id), "f": _fingerprint(user)})


def user_from_reset_token(token: str) -> User | None:
    try:
        payload = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
        user = db.session.get(User, uuid.UUID(payload["u"]))
    except (BadSignature, KeyError, ValueError, TypeError):
        return None
    if user is None or not user.is_active or payload.get("f") != _fingerprint(user):
        return None
    return user
