"""Bodies and seats: full membership for quorum, parity of decision bodies, seat rules."""

from __future__ import annotations

import pytest

BASE = "/api/v1/councils/izmir/bodies"


@pytest.fixture
def council(world, api):
    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    member = api(world.token(world.user("uye@izmir.example.org", roles={council: "member"}), council))
    people = {}
    for name, gender in [("Ayşe Kaya", "female"), ("Zeynep Ak", "female"), ("Mehmet Er", "male"),
                         ("Can Demir", "male"), ("Ali Veli", "male")]:
        people[name] = str(world.member(council, name=name, gender=gender))
    board = next(b for b in admin.get(BASE).json if b["kind"] == "executive_board")
    return {"admin": admin, "member": member, "people": people, "board": board["id"]}


def _seat(client, body, member_id, role="principal", starts_on="2026-01-01", ends_on=None):
    payload = {"member_id": member_id, "role": role, "starts_on": starts_on}
    if ends_on:
        payload["ends_on"] = ends_on
    return client.post(f"{BASE}/{body}/seats", json=payload)


def test_full_membership_counts_voting_seats_on_the_day(council):
    admin, people, board = council["admin"], council["people"], council["board"]
    assert _seat(admin, board, people["Ayşe Kaya"], "chair").status_code == 201
    _seat(admin, board, people["Mehmet Er"])
    _seat(admin, board, people["Can Demir"], ends_on="2026-06-30")
    _seat(admin, board, people["Zeynep Ak"], "substitute")
    january = admin.get(f"{BASE}/{board}?on=2026-03-01").json
    assert january["full_membership"] == 3  # the substitute does not count
    assert [s["member_name"] for s in january["seats"]][0] == "Ayşe Kaya"
    assert admin.get(f"{BASE}/{board}?on=2026-07-01").json["full_membership"] == 2
    assert admin.get(f"{BASE}/{board}?on=2025-12-31").json["full_membership"] == 0


def test_general_assembly_is_every_active_member(council):
    admin = council["admin"]
    assembly = next(b for b in admin.get(BASE).json if b["kind"] == "general_assembly")
    assert admin.get(f"{BASE}/{assembly['id']}").json["full_membership"] == 5
    refused = _seat(admin, assembly["id"], council["people"]["Ali Veli"])
    assert refused.status_code == 422 and "body" in refused.json["errors"]


def test_parity_of_a_decision_body(council):
    admin, people, board = council["admin"], council["people"], council["board"]
    for name in ("Ayşe Kaya", "Mehmet Er", "Can Demir"):
        _seat(admin, board, people[name])
    parity = admin.get(f"{BASE}/{board}?on=2026-02-01").json["parity"]
    assert parity == {"seats": 3, "women": 1, "men": 2, "share_required": 0.5, "met": True}
    _seat(admin, board, people["Ali Veli"])
    assert admin.get(f"{BASE}/{board}?on=2026-02-01").json["parity"]["met"] is False  # 1 woman of 4


def test_seat_rules(council):
    admin, people, board = council["admin"], council["people"], council["board"]
    assert _seat(admin, board, people["Ali Veli"]).status_code == 201
    twice = _seat(admin, board, people["Ali Veli"], starts_on="2026-05-01")
    assert twice.status_code == 422 and "member_id" in twice.json["errors"]
    backwards = _seat(admin, board, people["Can Demir"], starts_on="2026-05-01", ends_on="2026-04-01")
    assert "ends_on" in backwards.json["errors"]
    assert "member_id" in _seat(admin, board, "00000000-0000-0000-0000-000000000000").json["errors"]
    seat = admin.get(f"{BASE}/{board}?on=2026-02-01").json["seats"][0]
    ended = admin.post(f"{BASE}/{board}/seats/{seat['id']}/end", json={"on": "2026-03-31", "reason": "İstifa"})
    assert ended.status_code == 200 and ended.json["ends_on"] == "2026-03-31"
    assert admin.get(f"{BASE}/{board}?on=2026-04-01").json["full_membership"] == 0
    assert _seat(admin, board, people["Ali Veli"], starts_on="2026-05-01").status_code == 201  # may return


def test_working_groups_and_assemblies_are_added_by_administrators(council):
    admin, member = council["admin"], council["member"]
    created = admin.post(BASE, json={"kind": "working_group", "name": "Ulaşım Çalışma Grubu"})
    assert created.status_code == 201
    assert admin.post(BASE, json={"kind": "executive_board", "name": "İkinci Kurul"}).status_code == 422
    assert member.post(BASE, json={"kind": "assembly", "name": "Kadın Meclisi"}).status_code == 403
    assert [b["kind"] for b in member.get(BASE).json] == ["general_assembly", "executive_board", "working_group"]
    actions = [e["action"] for e in admin.get("/api/v1/councils/izmir/audit").json]
    assert "body.created" in actions


def test_calendar_warns_about_missing_sessions_and_ending_terms(council):
    from datetime import date, timedelta

    admin, people, board = council["admin"], council["people"], council["board"]
    soon = (date.today() + timedelta(days=20)).isoformat()
    _seat(admin, board, people["Ayşe Kaya"], starts_on="2026-01-01", ends_on=soon)
    calendar = admin.get("/api/v1/councils/izmir/calendar").json
    codes = {w["code"] for w in calendar["warnings"]}
    assert "general_assembly_sessions_missing" in codes and "term_ending" in codes
    assert calendar["general_assembly"] == {"required": 2, "held": 0, "scheduled": 0}
    assert calendar["warnings"][0]["message"]
