"""Password reset links: signed, valid for an hour, and spent once the password changes."""

from __future__ import annotations

import uuid

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from konsey.core.accounts import User
from konsey.tenants.db import db

MAX_AGE_SECONDS = 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="konsey-password-reset")


def reset_token(user: User) -> str:
    return _serializer().dumps({"u": str(user.id), "f": user.password_fingerprint})


def user_from_reset_token(token: str) -> User | None:
    try:
        payload = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
        user = db.session.get(User, uuid.UUID(payload["u"]))
    except (BadSignature, KeyError, ValueError, TypeError):
        return None
    if user is None or not user.is_active or payload.get("f") != user.password_fingerprint:
        return None
    return user
