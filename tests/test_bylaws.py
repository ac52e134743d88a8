"""By-laws profile versions: adopted for a date, validated, and each date judged by the version in force."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from konsey.core.bylaws import profile_in_force

TODAY = date.today()


def test_profile_in_force_picks_the_latest_started_version():
    versions = [SimpleNamespace(effective_from=date(2024, 1, 1), n=1), SimpleNamespace(effective_from=date(2026, 3, 1), n=2)]
    assert profile_in_force(versions, date(2023, 12, 31)) is None
    assert profile_in_force(versions, date(2024, 1, 1)).n == 1
    assert profile_in_force(versions, date(2026, 2, 28)).n == 1
    assert profile_in_force(versions, date(2026, 3, 1)).n == 2


@pytest.fixture
def tokens(world):
    council = world.council("izmir")
    admin = world.token(world.user("admin@izmir.example.org", roles={council: "administrator"}), council)
    member = world.token(world.user("uye@izmir.example.org", roles={council: "member"}), council)
    return {"admin": admin, "member": member}


URL = "/api/v1/councils/izmir/bylaws"


def test_adopt_a_future_version_and_read_by_date(api, tokens):
    admin = api(tokens["admin"])
    later = TODAY + timedelta(days=30)
    response = admin.post(URL, json={"effective_from": later.isoformat(),
                                     "parameters": {"tie_rule": "lot", "general_assembly_min_sessions_per_year": 3}})
    assert response.status_code == 201, response.json
    assert response.json["parameters"]["tie_rule"] == "lot"
    assert response.json["parameters"]["term_pattern_years"] == [2, 3]  # unchanged ones carried over
    assert admin.get(f"{URL}/in-force").json["parameters"]["tie_rule"] == "chair_decides"
    future = admin.get(f"{URL}/in-force?on={later.isoformat()}").json
    assert future["parameters"]["general_assembly_min_sessions_per_year"] == 3
    assert len(api(tokens["member"]).get(URL).json) == 2
    audit = admin.get("/api/v1/councils/izmir/audit").json
    assert audit[-1]["action"] == "bylaws.adopted" and audit[-1]["details"]["changed"] == [
        "general_assembly_min_sessions_per_year", "tie_rule"]


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"effective_from": (TODAY - timedelta(days=1)).isoformat(), "parameters": {}}, "effective_from"),
        ({"effective_from": TODAY.isoformat(), "parameters": {}}, "effective_from"),  # today's exists already
        ({"effective_from": (TODAY + timedelta(days=5)).isoformat(), "parameters": {"tie_rule": "coin"}}, "parameters"),
        ({"effective_from": (TODAY + timedelta(days=5)).isoformat(), "parameters": {"salary": 1}}, "parameters"),
        ({"effective_from": (TODAY + timedelta(days=5)).isoformat(),
          "parameters": {"gender_parity_share": 0.9}}, "parameters"),
        ({"parameters": {}}, "effective_from"),
    ],
)
def test_bad_versions_are_refused_and_nothing_changes(api, tokens, payload, field):
    admin = api(tokens["admin"])
    response = admin.post(URL, json=payload)
    assert response.status_code == 422 and field in response.json["errors"], response.json
    assert len(admin.get(URL).json) == 1


def test_only_administrators_adopt_versions(api, tokens):
    payload = {"effective_from": (TODAY + timedelta(days=5)).isoformat(), "parameters": {}}
    assert api(tokens["member"]).post(URL, json=payload).status_code == 403
