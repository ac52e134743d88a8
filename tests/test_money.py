"""Money: the municipality's allocation, in-kind support, expenses, and the yearly report."""

from __future__ import annotations

import pytest

BASE = "/api/v1/councils/izmir/money"


@pytest.fixture
def clients(world, api):
    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    member = api(world.token(world.user("uye@izmir.example.org", roles={council: "member"}), council))
    return admin, member


def test_yearly_report(clients):
    admin, member = clients
    assert admin.post(f"{BASE}/allocations", json={"year": 2026, "amount": "250000.00",
                                                   "municipal_decision": "Belediye Meclisi 2026/14"}).status_code == 201
    admin.post(f"{BASE}/allocations", json={"year": 2026, "amount": "50000.5", "municipal_decision": "Ek 2026/88"})
    admin.post(f"{BASE}/allocations", json={"year": 2025, "amount": "90000", "municipal_decision": "2025/3"})
    for spent_on, amount, category in [("2026-02-10", "1200.40", "printing"), ("2026-05-01", "800", "events"),
                                       ("2026-06-15", "199.60", "printing"), ("2025-12-31", "5000", "events")]:
        admin.post(f"{BASE}/expenses", json={"spent_on": spent_on, "amount": amount, "category": category,
                                             "description": "Gider"})
    admin.post(f"{BASE}/in-kind", json={"year": 2026, "kind": "office", "description": "Kent Konseyi binası"})
    report = member.get(f"{BASE}/years/2026").json
    assert report["allocated"] == "300000.50"
    assert report["spent"] == "2200.00"
    assert report["remaining"] == "297800.50"
    assert report["spent_by_category"] == {"printing": "1400.00", "events": "800.00"}
    assert [i["description"] for i in report["in_kind"]] == ["Kent Konseyi binası"]
    assert member.get(f"{BASE}/years/2025").json["remaining"] == "85000.00"


@pytest.mark.parametrize(
    "path,payload,field",
    [
        ("allocations", {"year": 2026, "amount": "-5", "municipal_decision": "2026/1"}, "amount"),
        ("allocations", {"year": 1990, "amount": "5", "municipal_decision": "2026/1"}, "year"),
        ("expenses", {"spent_on": "2026-01-01", "amount": "abc", "category": "events", "description": "x y z"},
         "amount"),
        ("expenses", {"spent_on": "2026-01-01", "amount": "10", "category": "salary", "description": "Maaş"},
         "category"),  # no office is paid: there is no salary category
        ("in-kind", {"year": 2026, "kind": "castle", "description": "Kale"}, "kind"),
        ("expenses", {"spent_on": "2026-01-01", "amount": "10.005", "category": "events", "description": "Kuruş altı"},
         "amount"),  # refused, never rounded
    ],
)
def test_bad_money_input(clients, path, payload, field):
    admin, _member = clients
    response = admin.post(f"{BASE}/{path}", json=payload)
    assert response.status_code == 422 and field in response.json["errors"]
    assert admin.get(f"{BASE}/{path}").json == []


def test_only_administrators_record_money(clients):
    _admin, member = clients
    assert member.post(f"{BASE}/expenses", json={"spent_on": "2026-01-01", "amount": "10", "category": "events",
                                                 "description": "Gider"}).status_code == 403


def test_an_amount_too_large_for_kurus_is_refused_not_a_server_error(clients):
    admin, _member = clients
    response = admin.post(f"{BASE}/in-kind", json={"year": 2026, "kind": "other", "description": "Çok büyük",
                                                   "estimated_value": -1e26})
    assert response.status_code == 422 and "estimated_value" in response.json["errors"]
