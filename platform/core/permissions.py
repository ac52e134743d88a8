"""Authorization, decided in one place and denied by default.

Every use case declares the permission it needs (:mod:`konsey.usecases.base`); a view takes its use case's
policy with ``performs`` (or, for the few that change nothing of a council's, :func:`public`). A view with no
declared policy is refused (see :func:`konsey.app.guard.enforce_policy`), and a test walks the URL map to
make sure none is missing. The matrix below is the whole answer to "who may do what".
"""

from __future__ import annotations

import enum

from konsey.core.accounts import CouncilRoleName as R
from konsey.core.accounts import PlatformRole


class Permission(enum.StrEnum):
    COUNCIL_VIEW = "council.view"
    MEMBERS_VIEW = "members.view"
    MEMBERS_MANAGE = "members.manage"
    MEMBERS_IMPORT = "members.import"
    ROLES_MANAGE = "roles.manage"
    COUNCIL_EXPORT = "council.export"
    AUDIT_VIEW = "audit.view"
    BYLAWS_MANAGE = "bylaws.manage"
    APPLICATIONS_DECIDE = "applications.decide"
    BODIES_MANAGE = "bodies.manage"
    MEETINGS_RUN = "meetings.run"
    MOTIONS_MANAGE = "motions.manage"
    MONEY_MANAGE = "money.manage"
    REPORTS_WRITE = "reports.write"
    PLUGINS_MANAGE = "plugins.manage"
    DELIVERY_MANAGE = "delivery.manage"
    FEDERATION_OPT_IN = "federation.opt_in"
    TOKENS_OWN = "tokens.own"
    PERSONAL_DATA_OVERSEE = "personal_data.oversee"
    ACCOUNT_SECURITY = "account.security"  # one's own second factor
    # platform permissions: no council in the URL
    COUNCILS_ONBOARD = "councils.onboard"
    COUNCILS_LIFECYCLE = "councils.lifecycle"
    COUNCILS_LIST_ALL = "councils.list_all"
    COUNCILS_LIST_OWN = "councils.list_own"
    FEDERATION_VIEW = "federation.view"  # every council's aggregate indicators, never a person
    # The platform's own work (the worker, the scheduler): in no role's matrix, so no person has it.
    SYSTEM = "system"


_EVERY_COUNCIL_ROLE = frozenset(R)
_STAFF = frozenset({R.ADMINISTRATOR, R.PRESIDENT, R.EXECUTIVE_MEMBER, R.VIEWER})

COUNCIL_MATRIX: dict[Permission, frozenset[R]] = {
    Permission.COUNCIL_VIEW: _EVERY_COUNCIL_ROLE,
    Permission.TOKENS_OWN: _EVERY_COUNCIL_ROLE,
    Permission.MEMBERS_VIEW: _STAFF,
    Permission.MEMBERS_MANAGE: frozenset({R.ADMINISTRATOR}),
    Permission.MEMBERS_IMPORT: frozenset({R.ADMINISTRATOR}),
    Permission.ROLES_MANAGE: frozenset({R.ADMINISTRATOR}),
    Permission.COUNCIL_EXPORT: frozenset({R.ADMINISTRATOR}),
    Permission.AUDIT_VIEW: frozenset({R.ADMINISTRATOR, R.PRESIDENT}),
    Permission.BYLAWS_MANAGE: frozenset({R.ADMINISTRATOR}),
    # The executive board decides institutional applications; its panel (with the secretary general) individual ones.
    Permission.APPLICATIONS_DECIDE: frozenset({R.ADMINISTRATOR, R.PRESIDENT, R.EXECUTIVE_MEMBER}),
    Permission.BODIES_MANAGE: frozenset({R.ADMINISTRATOR}),
    # The secretariat runs the meeting desk: calling, checking people in, entering votes.
    Permission.MEETINGS_RUN: frozenset({R.ADMINISTRATOR, R.PRESIDENT}),
    # The executive board follows motions up (domain.md); the secretariat records what the municipality says.
    Permission.MOTIONS_MANAGE: frozenset({R.ADMINISTRATOR, R.PRESIDENT, R.EXECUTIVE_MEMBER}),
    Permission.MONEY_MANAGE: frozenset({R.ADMINISTRATOR}),
    Permission.REPORTS_WRITE: frozenset({R.ADMINISTRATOR, R.FACILITATOR}),
    Permission.PLUGINS_MANAGE: frozenset({R.ADMINISTRATOR}),
    # Where motions go, the signing secret, the failed tasks: the secretary general's desk.
    Permission.DELIVERY_MANAGE: frozenset({R.ADMINISTRATOR}),
    # Whether the council's name appears in the federation's public comparisons: its own choice.
    Permission.FEDERATION_OPT_IN: frozenset({R.ADMINISTRATOR, R.PRESIDENT}),
    # Who read special-category data, what is due to be deleted, the inventory, the data key: the secretary
    # general's office and the council's data officer, nobody else (KVKK Board decision 2018/10).
    Permission.PERSONAL_DATA_OVERSEE: frozenset({R.ADMINISTRATOR, R.DATA_OFFICER}),
}

# What a platform role may do in any council, and on the platform itself. Operators onboard and import but
# do not browse members' personal data (KVKK: data minimisation).
PLATFORM_MATRIX: dict[PlatformRole, frozenset[Permission]] = {
    PlatformRole.OPERATOR: frozenset(
        {
            Permission.COUNCIL_VIEW,
            Permission.MEMBERS_IMPORT,
            Permission.COUNCILS_ONBOARD,
            Permission.COUNCILS_LIFECYCLE,
            Permission.COUNCILS_LIST_ALL,
            Permission.PLUGINS_MANAGE,  # an operator may switch on a council's assemblies when onboarding it
        }
    ),
    PlatformRole.FEDERATION_ANALYST: frozenset({Permission.FEDERATION_VIEW}),
}

# What any signed-in person may do, with or without a role.
SIGNED_IN = frozenset({Permission.COUNCILS_LIST_OWN, Permission.TOKENS_OWN, Permission.ACCOUNT_SECURITY})

# Changes that a suspended (read-only) council still accepts: none of the council's own data changes.
ALLOWED_WHEN_READ_ONLY = frozenset({Permission.COUNCIL_EXPORT, Permission.COUNCILS_LIFECYCLE, Permission.TOKENS_OWN})


def allowed(permission: Permission, council_roles: frozenset[R], platform_role: PlatformRole | None) -> bool:
    """The decision itself: a pure function of the permission and the person's roles."""
    if permission in SIGNED_IN:
        return True
    if platform_role is not None and permission in PLATFORM_MATRIX.get(platform_role, frozenset()):
        return True
    return bool(council_roles & COUNCIL_MATRIX.get(permission, frozenset()))


class Policy:
    """What a view requires; attached to the view function as ``konsey_policy``."""

    def __init__(self, permission: Permission | None):
        self.permission = permission

    @property
    def is_public(self) -> bool:
        return self.permission is None

    def __repr__(self) -> str:
        return f"<Policy {self.permission or 'public'}>"


def public(view):
    view.konsey_policy = Policy(None)
    return view
