"""People who sign in, what they may do in which council, and their API tokens.

These are platform tables: the authorization layer must see a person's grants in every council to decide
anything, so they are read here directly rather than through council scoping. Nothing outside
:mod:`konsey.core.accounts` and :mod:`konsey.core.permissions` queries them.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint, Uuid, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from konsey.core.audit import record
from konsey.core.text import email_lower
from konsey.tenants.db import HasId, as_utc, db, enum_of, utcnow
from konsey.tenants.models import Council
from konsey.tenants.scoping import bound_council

_HASHERS = {
    "default": PasswordHasher(),  # argon2id with the library's current recommended parameters
    "cheapest": PasswordHasher.from_parameters(profiles.CHEAPEST),  # test suites only: same code, less work
}


def _hasher() -> PasswordHasher:
    profile = current_app.config.get("KONSEY_PASSWORD_HASHING", "default") if has_app_context() else "default"
    return _HASHERS[profile]


_DUMMY_HASHES: dict[str, str] = {}


def hash_password(password: str) -> str:
    """A password as the platform keeps it (argon2id): staff accounts and a plugin's accounts alike."""
    return _hasher().hash(password)


def password_matches(stored: str | None, password: str) -> tuple[bool, str | None]:
    """Whether ``password`` is the one ``stored`` was made from, and a new hash to keep instead where the
    hashing's parameters have changed since (None: keep it)."""
    if not stored:
        return False, None
    hasher = _hasher()
    try:
        hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False, None
    return True, (hasher.hash(password) if hasher.check_needs_rehash(stored) else None)


def spend_a_password_check(password: str) -> None:
    """As long as checking a real account's password: an unknown address must not answer faster (that would
    tell who has an account)."""
    hasher = _hasher()
    key = str(id(hasher))
    if key not in _DUMMY_HASHES:
        _DUMMY_HASHES[key] = hasher.hash("not anyone's password")
    with contextlib.suppress(VerificationError, InvalidHashError):
        hasher.verify(_DUMMY_HASHES[key], password)


class CouncilRoleName(enum.StrEnum):
    ADMINISTRATOR = "administrator"  # the secretary general's office
    PRESIDENT = "president"
    EXECUTIVE_MEMBER = "executive_member"
    MEMBER = "member"
    FACILITATOR = "facilitator"
    VIEWER = "viewer"
    # The council's contact for personal data (KVKK irtibat kişisi): reads who read special-category data, what is
    # due to be deleted, the processing inventory; rotates the council's data key.
    DATA_OFFICER = "data_officer"


class PlatformRole(enum.StrEnum):
    OPERATOR = "operator"
    FEDERATION_ANALYST = "federation_analyst"



class User(UserMixin, HasId, db.Model):
    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(8))
    platform_role: Mapped[PlatformRole | None] = mapped_column(enum_of(PlatformRole))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Part of every session cookie's id: raising it ends the account's sessions (see end_sessions).
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    grants: Mapped[list[CouncilRole]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def password_fingerprint(self) -> str:
        """Changes whenever the password does: sessions and reset links made before are then void."""
        return hashlib.sha256((self.password_hash or "").encode()).hexdigest()[:16]

    def get_id(self) -> str:  # Flask-Login keeps this in the session cookie
        return f"{self.id}:{self.password_fingerprint}:{self.session_generation or 0}"

    def end_sessions(self) -> None:
        """Every session cookie issued so far stops working (signing out, here or on a copied cookie)."""
        self.session_generation = (self.session_generation or 0) + 1

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        matches, rehashed = password_matches(self.password_hash, password)
        if rehashed:
            self.password_hash = rehashed
        return matches

    @property
    def is_operator(self) -> bool:
        return self.platform_role is PlatformRole.OPERATOR

    @property
    def is_federation_analyst(self) -> bool:
        return self.platform_role is PlatformRole.FEDERATION_ANALYST


def normalise_email(email: str) -> str:
    return email_lower(email)


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


class CouncilRole(HasId, db.Model):
    """A person's role in one council (they may hold several, in several councils)."""

    __tablename__ = "council_roles"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"))
    council_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("councils.id", ondelete="CASCADE"))
    role: Mapped[CouncilRoleName] = mapped_column(enum_of(CouncilRoleName))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="grants")

    __table_args__ = (
        UniqueConstraint("council_id", "user_id", "role"),
        db.Index("ix_council_roles_user", "user_id"),
    )


def roles_in(user: User, council_id: uuid.UUID) -> frozenset[CouncilRoleName]:
    return frozenset(g.role for g in user.grants if g.council_id == council_id)


def grant_role(user: User, council_id: uuid.UUID, role: CouncilRoleName) -> CouncilRole:
    for grant in user.grants:
        if grant.council_id == council_id and grant.role == role:
            return grant
    grant = CouncilRole(council_id=council_id, role=role)
    user.grants.append(grant)
    return grant


def council_ids_of(user: User) -> set[uuid.UUID]:
    return {g.council_id for g in user.grants}


# --- personal access tokens --------------------------------------------------------------------------

TOKEN_PREFIX = "kns_"  # noqa: S105 - a public prefix, not a secret


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class AccessToken(HasId, db.Model):
    """A personal access token for the API, stored only as a SHA-256 digest.

    A token is scoped to one council (``council_id``) or, for operators and analysts, to the platform
    (``council_id`` is NULL). It acts with its owner's roles at the time of use, so revoking a role
    revokes the token's power too.
    """

    __tablename__ = "access_tokens"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    council_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("councils.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def is_usable(self) -> bool:
        now = utcnow()
        return self.revoked_at is None and (self.expires_at is None or as_utc(self.expires_at) > now)


def issue_token(
    user: User, name: str, council_id: uuid.UUID | None, days_valid: int | None = 90
) -> tuple[AccessToken, str]:
    """Create a token; the clear secret is returned once and never stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken(
        user=user,
        name=name,
        council_id=council_id,
        digest=_digest(secret),
        hint=secret[:8],
        expires_at=utcnow() + timedelta(days=days_valid) if days_valid else None,
    )
    db.session.add(token)
    return token, secret


def _usable(token: AccessToken | None) -> AccessToken | None:
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    return token


def token_from_secret(secret: str) -> AccessToken | None:
    if not secret.startswith(TOKEN_PREFIX):
        return None
    # The owner and their grants come in the same round trip: every API request needs them.
    token = db.session.scalars(
        select(AccessToken)
        .where(AccessToken.digest == _digest(secret))
        .options(joinedload(AccessToken.user).joinedload(User.grants))
    ).unique().first()
    return _usable(token)


def council_and_token(slug: str, secret: str):
    """(the council of ``slug`` or None, the usable token of ``secret`` or None) in one round trip: what every
    council API request needs before anything else (the token with its owner and the owner's grants)."""

    if not secret.startswith(TOKEN_PREFIX):
        return db.session.scalar(select(Council).where(Council.slug == slug)), None
    row = db.session.execute(
        select(Council, AccessToken)
        .outerjoin(AccessToken, AccessToken.digest == _digest(secret))
        .where(Council.slug == slug)
        .options(joinedload(AccessToken.user).joinedload(User.grants))
    ).unique().first()
    if row is None:
        return None, None
    return row[0], _usable(row[1])


# --- invitations -------------------------------------------------------------------------------------


class Invitation(HasId, db.Model):
    """A one-time link that gives its holder a role in a council (e.g. the first administrator)."""

    __tablename__ = "invitations"

    council_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("councils.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[CouncilRoleName] = mapped_column(enum_of(CouncilRoleName))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    accepted_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (db.Index("ix_invitations_council", "council_id"),)

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and as_utc(self.expires_at) > utcnow()


def create_invitation(
    council_id: uuid.UUID, email: str, role: CouncilRoleName, invited_by: User | None = None, days_valid: int = 14
) -> tuple[Invitation, str]:
    secret = secrets.token_urlsafe(32)
    invitation = Invitation(
        council_id=council_id,
        email=normalise_email(email),
        role=role,
        digest=_digest(secret),
        invited_by_id=invited_by.id if invited_by else None,
        expires_at=utcnow() + timedelta(days=days_valid),
    )
    db.session.add(invitation)
    return invitation, secret


def invitation_from_secret(secret: str) -> Invitation | None:
    invitation = db.session.scalar(select(Invitation).where(Invitation.digest == _digest(secret)))
    return invitation if invitation is not None and invitation.is_open else None


def accept_invitation(invitation: Invitation, user: User) -> CouncilRole:

    grant = grant_role(user, invitation.council_id, invitation.role)
    invitation.accepted_at = utcnow()
    invitation.accepted_by_id = user.id
    db.session.flush()
    with bound_council(invitation.council_id):
        record("role.granted", grant, {"user": str(user.id), "role": invitation.role.value,
                                       "invitation": str(invitation.id)}, actor_id=user.id)
    return grant


def user_from_session_id(session_id: str) -> User | None:
    """The inverse of :meth:`User.get_id`; a session from before a password change or a sign-out finds
    nobody."""
    user_id, _, rest = session_id.partition(":")
    fingerprint, _, generation = rest.partition(":")
    try:
        user = db.session.get(User, uuid.UUID(user_id))
    except ValueError:
        return None
    if user is None or user.password_fingerprint != fingerprint or generation != str(user.session_generation or 0):
        return None
    return user
