"""By-laws profile versions: adopted for a date, validated, and each date judged by the version in force."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from konsey.core.bylaws import profile_in_force
from support.clock import days_from_today


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
    later = days_from_today(30)
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
        # effective_from as days from the day the test runs (a date fixed at collection goes stale at midnight)
        ({"effective_from": -1, "parameters": {}}, "effective_from"),
        ({"effective_from": 5, "parameters": {"tie_rule": "coin"}}, "parameters"),
        ({"effective_from": 5, "parameters": {"salary": 1}}, "parameters"),
        ({"effective_from": 5, "parameters": {"gender_parity_share": 0.9}}, "parameters"),
        ({"parameters": {}}, "effective_from"),
    ],
)
def test_bad_versions_are_refused_and_nothing_changes(api, tokens, payload, field):
    admin = api(tokens["admin"])
    if "effective_from" in payload:
        payload = {**payload, "effective_from": days_from_today(payload["effective_from"]).isoformat()}
    response = admin.post(URL, json=payload)
    assert response.status_code == 422 and field in response.json["errors"], response.json
    assert len(admin.get(URL).json) == 1


def test_only_administrators_adopt_versions(api, tokens):
    payload = {"effective_from": days_from_today(5).isoformat(), "parameters": {}}
    assert api(tokens["member"]).post(URL, json=payload).status_code == 403


def test_on_its_first_day_a_council_replaces_its_by_laws_until_something_is_judged_by_them(api, tokens):
    admin = api(tokens["admin"])
    first = admin.post(URL, json={"effective_from": date.today().isoformat(), "parameters": {"tie_rule": "lot"}})
    assert first.status_code == 201, first.json
    versions = admin.get(URL).json
    assert len(versions) == 1 and versions[0]["parameters"]["tie_rule"] == "lot"  # replaced, not added
    assert admin.get("/api/v1/councils/izmir/audit").json[-1]["action"] == "bylaws.replaced"
    bodies = {b["kind"]: b["id"] for b in admin.get("/api/v1/councils/izmir/bodies").json}
    called = admin.post("/api/v1/councils/izmir/meetings", json={
        "body_id": bodies["general_assembly"], "title": "Genel Kurul", "agenda": ["Bir"],
        "scheduled_at": (datetime.now(UTC) + timedelta(days=20)).isoformat()})
    assert called.status_code == 201
    # A meeting will be judged by today's version now: it can no longer be replaced.
    again = admin.post(URL, json={"effective_from": date.today().isoformat(), "parameters": {"tie_rule": "fails"}})
    assert again.status_code == 422 and "effective_from" in again.json["errors"]
    assert admin.get(URL).json[0]["parameters"]["tie_rule"] == "lot"
