"""Authorization: the matrix as a pure function, and deny-by-default over every route."""

import pytest

from konsey.core.accounts import CouncilRoleName as R
from konsey.core.accounts import PlatformRole
from konsey.core.permissions import Permission as P
from konsey.core.permissions import allowed


@pytest.mark.parametrize(
    "permission,roles,platform,expected",
    [
        (P.COUNCIL_VIEW, {R.MEMBER}, None, True),
        (P.COUNCIL_VIEW, set(), None, False),
        (P.MEMBERS_VIEW, {R.MEMBER}, None, False),
        (P.MEMBERS_VIEW, {R.FACILITATOR}, None, False),
        (P.MEMBERS_VIEW, {R.VIEWER}, None, True),
        (P.MEMBERS_VIEW, {R.EXECUTIVE_MEMBER}, None, True),
        (P.MEMBERS_MANAGE, {R.PRESIDENT}, None, False),
        (P.MEMBERS_MANAGE, {R.ADMINISTRATOR}, None, True),
        (P.MEMBERS_MANAGE, {R.MEMBER, R.ADMINISTRATOR}, None, True),
        (P.MEMBERS_VIEW, set(), PlatformRole.OPERATOR, False),  # operators do not browse personal data
        (P.MEMBERS_IMPORT, set(), PlatformRole.OPERATOR, True),
        (P.COUNCILS_ONBOARD, set(), PlatformRole.OPERATOR, True),
        (P.COUNCILS_ONBOARD, {R.ADMINISTRATOR}, None, False),
        (P.COUNCILS_ONBOARD, set(), PlatformRole.FEDERATION_ANALYST, False),
        (P.COUNCILS_LIST_OWN, set(), None, True),
    ],
)
def test_matrix(permission, roles, platform, expected):
    assert allowed(permission, frozenset(roles), platform) is expected


def test_every_route_declares_a_policy(sqlite_app):
    from konsey.app.guard import policy_of

    missing = []
    with sqlite_app.test_request_context():
        for rule in sqlite_app.url_map.iter_rules():
            for method in rule.methods - {"OPTIONS", "HEAD"}:
                if policy_of(rule.endpoint, method) is None:
                    missing.append(f"{method} {rule.rule}")
    assert not missing, f"routes without a policy: {missing}"


def test_route_without_policy_is_refused(sqlite_app):
    from konsey.app import create_app

    # A fresh app with the same settings: routes cannot be added to one that has served requests.
    app = create_app(dict(sqlite_app.config), instance_path=sqlite_app.instance_path)
    app.add_url_rule("/undeclared-test-route", "undeclared", lambda: "secret")
    response = app.test_client().get("/undeclared-test-route")
    assert response.status_code == 403
    assert b"secret" not in response.data
