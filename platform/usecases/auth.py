"""Signing in, resetting a forgotten password by e-mail, and accepting an invitation to a council.

These are public steps: the secret (a password, a reset link, an invitation link) is the permission. Keeping
the session (cookies) is the web's part; these decide and record."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from konsey.core import accounts
from konsey.core.accounts import (
    Invitation,
    User,
    find_user_by_email,
    invitation_from_secret,
    spend_a_password_check,
)
from konsey.core.errors import Gone, NotFound
from konsey.core.password_reset import reset_token, user_from_reset_token
from konsey.core.tasks_after_commit import enqueue_after_commit
from konsey.core.urls import external_url
from konsey.schemas.auth import AcceptInvitationSchema, ForgotPasswordSchema, NewPasswordSchema, SignInSchema
from konsey.tenants.db import db
from konsey.tenants.models import Council
from konsey.usecases.base import command, current_actor, loaded, query


@command(None, takes=SignInSchema)
def sign_in(data: dict) -> User | None:
    """The account if the e-mail and password (``SignInSchema``) match an active one (its hash is upgraded if
    it was old); None if they do not, without saying which part was wrong."""
    data = loaded(data)
    user = find_user_by_email(data["email"])
    if user is None:
        spend_a_password_check(data["password"])
        return None
    if user.is_active and user.check_password(data["password"]):
        return user
    return None


@command(None)
def sign_out(user: User | None) -> None:
    """The person's sessions end everywhere: a copied session cookie no longer signs anyone in."""
    if user is not None:
        user.end_sessions()


@command(None, takes=ForgotPasswordSchema)
def request_password_reset(data: dict) -> None:
    """E-mail a one-hour reset link to an active account with the address given (``ForgotPasswordSchema``);
    nothing is said either way."""
    user = find_user_by_email(loaded(data)["email"])
    if user is None or not user.is_active:
        return
    link = external_url("auth.reset_password", token=reset_token(user))
    # May be lost (the broker down at that moment): the person asks again; an hour-long link is not worth an
    # outbox event that outlives it.
    enqueue_after_commit(
        "konsey.send_email", to=user.email, subject=_("Resetting your Konsey password"),
        body=_("Open this link within an hour to choose a new password:\n%(link)s\n\n"
               "If you did not ask for this, ignore this e-mail.", link=link))


@query(None)
def reset_link_is_valid(token: str) -> bool:
    return user_from_reset_token(token) is not None


@command(None, takes=NewPasswordSchema)
def reset_password(token: str, data: dict) -> User:
    """The new password (``NewPasswordSchema``, typed twice) for the account of a valid reset link."""
    user = user_from_reset_token(token)
    if user is None:
        raise Gone(_("This link is invalid or has expired."))
    user.set_password(loaded(data)["password"])
    return user


@dataclass
class InvitationView:
    invitation: Invitation
    council: Council
    existing: User | None  # the account that already has the invited address, if any


@query(None)
def invitation(secret: str) -> InvitationView:
    found = invitation_from_secret(secret)
    if found is None:
        raise NotFound(_("This invitation is invalid, used or expired."))
    return InvitationView(found, db.session.get(Council, found.council_id), find_user_by_email(found.email))


@command(None)
def accept_as_signed_in(secret: str) -> Council:
    """The signed-in person, whose address the invitation names, takes the role."""
    view = invitation(secret)
    if view.existing is None or view.existing.id != current_actor().user_id:
        raise NotFound(_("This invitation is invalid, used or expired."))
    accounts.accept_invitation(view.invitation, view.existing)
    return view.council


@command(None, takes=AcceptInvitationSchema)
def accept_with_new_account(secret: str, data: dict) -> tuple[User, Council]:
    """Someone new makes an account with the invited address (their name and password,
    ``AcceptInvitationSchema``) and takes the role."""
    view = invitation(secret)
    if view.existing is not None:
        raise NotFound(_("This invitation is invalid, used or expired."))
    data = loaded(data)
    user = User(email=view.invitation.email, display_name=data["display_name"].strip(), locale=view.council.locale)
    user.set_password(data["password"])
    db.session.add(user)
    accounts.accept_invitation(view.invitation, user)
    return user, view.council
