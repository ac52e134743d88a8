"""Who may do what, end to end: each role against the council's endpoints (hand-written expectations)."""

from __future__ import annotations

import pytest

ROLES = ["administrator", "president", "executive_member", "member", "facilitator", "viewer", "operator", "stranger"]

# (method, path, body, expected status per role in ROLES order). 404 for a stranger: no existence leak.
EXPECTED = [
    ("GET", "/api/v1/councils/izmir", None, [200, 200, 200, 200, 200, 200, 200, 404]),
    ("GET", "/api/v1/councils/izmir/bodies", None, [200, 200, 200, 200, 200, 200, 200, 404]),
    ("GET", "/api/v1/councils/izmir/members", None, [200, 200, 200, 403, 403, 200, 403, 404]),
    ("POST", "/api/v1/councils/izmir/members", {"category": "individual", "name": "Yeni Üye"},
     [201, 403, 403, 403, 403, 403, 403, 404]),
    ("GET", "/api/v1/councils/izmir/people", None, [200, 403, 403, 403, 403, 403, 403, 404]),
    # Every member's contact data: the council administrator's act, never an operator's (KVKK).
    ("POST", "/api/v1/councils/izmir/exports", None, [202, 403, 403, 403, 403, 403, 403, 404]),
    ("POST", "/api/v1/councils/izmir/status", {"status": "active"}, [403, 403, 403, 403, 403, 403, 409, 404]),
    ("POST", "/api/v1/councils", {}, [403, 403, 403, 403, 403, 403, 422, 403]),
]


@pytest.fixture
def tokens(world):
    council = world.council("izmir")
    other = world.council("beta", province=16)
    result = {}
    for role in ROLES:
        if role == "operator":
            user = world.user("op@example.org", platform_role="operator")
            result[role] = world.token(user)
        elif role == "stranger":
            user = world.user("stranger@example.org", roles={other: "administrator"})
            result[role] = world.token(user, other)
        else:
            user = world.user(f"{role}@example.org", roles={council: role})
            result[role] = world.token(user, council)
    return result


@pytest.mark.parametrize("method,path,body,expected", EXPECTED, ids=[f"{m} {p}" for m, p, _b, _e in EXPECTED])
def test_role_matrix(api, tokens, method, path, body, expected):
    got = []
    for role in ROLES:
        kwargs = {"json": body} if body is not None else {}
        got.append(getattr(api(tokens[role]), method.lower())(path, **kwargs).status_code)
    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, expected, strict=True))
