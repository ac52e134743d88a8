"""A person's own account: personal access tokens and a copy of what the platform keeps about them."""

from __future__ import annotations

import uuid

from flask_babel import gettext as _
from sqlalchemy import select

from konsey.core.accounts import (
    AccessToken,
    PlatformRole,
    User,
    council_ids_of,
    find_user_by_email,
    issue_token,
    normalise_email,
)
from konsey.core.errors import Conflict, Forbidden, Invalid, NotFound
from konsey.core.permissions import Permission
from konsey.schemas.account import NewTokenSchema
from konsey.schemas.auth import NewAccountSchema
from konsey.tenants.db import db, utcnow
from konsey.tenants.models import Council
from konsey.usecases.base import command, current_actor, loaded, query
from konsey.usecases.councils import by_name


def _me() -> User:
    user = db.session.get(User, current_actor().user_id) if current_actor().user_id else None
    if user is None:
        raise NotFound(_("Not found."))
    return user


@query(Permission.TOKENS_OWN)
def my_councils_for_tokens() -> list[Council]:
    """The councils a token of mine may be scoped to."""
    return by_name(db.session.scalars(select(Council).where(Council.id.in_(council_ids_of(_me())))))


@query(Permission.TOKENS_OWN)
def my_tokens() -> list[AccessToken]:
    """The access tokens of the signed-in person (never their secrets)."""
    return db.session.scalars(select(AccessToken).where(AccessToken.user_id == _me().id)
                              .order_by(AccessToken.created_at.desc())).all()


ANY_SCOPE = object()  # a signed-in person may scope a new token to any of their councils


@command(Permission.TOKENS_OWN, takes=NewTokenSchema)
def create_token(data: dict, *, within=ANY_SCOPE) -> tuple[AccessToken, str]:
    """A personal access token, scoped to one council (or the platform, for a platform role); the secret is
    returned once and never stored. ``within``: the council of the token that asks, when a token asks (a token
    never mints one for a wider scope: a leaked one for İzmir cannot open Nilüfer)."""
    me = _me()
    data = loaded(data)
    name, council_id = data["name"], data["council_id"]
    if council_id is not None and council_id not in council_ids_of(me):
        raise NotFound(_("Not found."))
    if council_id is None and me.platform_role is None:
        raise Invalid({"council_id": [_("Choose the council the token acts in.")]})
    if within is not ANY_SCOPE and council_id != within:
        raise Forbidden(_("A token can only make tokens for its own council."))
    return issue_token(me, name.strip(), council_id)


@command(Permission.TOKENS_OWN)
def revoke_token(token_id: uuid.UUID) -> AccessToken:
    """Revoke one of the signed-in person's access tokens: it stops working at once."""
    token = db.session.get(AccessToken, token_id)
    if token is None or token.user_id != _me().id:
        raise NotFound(_("Not found."))
    token.revoked_at = token.revoked_at or utcnow()
    return token


@query(Permission.TOKENS_OWN)
def my_data() -> dict:
    """Everything the platform keeps about the signed-in person (KVKK art. 11: the right to know)."""
    me = _me()
    councils = {c.id: c.slug for c in db.session.scalars(select(Council).where(Council.id.in_(council_ids_of(me))))}
    return {
        "account": {"email": me.email, "display_name": me.display_name, "locale": me.locale,
                    "platform_role": me.platform_role.value if me.platform_role else None,
                    "created_at": me.created_at.isoformat()},
        "roles": [{"council": councils.get(g.council_id), "role": g.role.value, "granted_at": g.granted_at.isoformat()}
                  for g in me.grants],
        "tokens": [{"name": t.name, "council": councils.get(t.council_id), "created_at": t.created_at.isoformat(),
                    "revoked": t.revoked_at is not None}
                   for t in db.session.scalars(select(AccessToken).where(AccessToken.user_id == me.id))],
    }


@command(Permission.SYSTEM, takes=NewAccountSchema)
def create_user(data: dict, platform_role: str | None = None) -> User:
    """An account made by the platform's operators at the command line (a platform role, or none)."""
    data = loaded(data)
    email, display_name, password = data["email"], data["display_name"], data["password"]
    if find_user_by_email(email) is not None:
        raise Conflict({"email": [_("An account for this address already exists.")]})
    user = User(email=normalise_email(email), display_name=display_name,
                platform_role=PlatformRole(platform_role) if platform_role else None)
    user.set_password(password)
    db.session.add(user)
    return user
