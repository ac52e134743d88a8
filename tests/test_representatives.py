"""Institutional representatives: universities' statutory limit and ending a mandate."""

from __future__ import annotations

import pytest

from konsey.core.rules.membership import university_representatives_allowed
from support.clock import days_from_today

BASE = "/api/v1/councils/izmir"


def test_university_representatives_allowed():
    assert university_representatives_allowed(0) == 2
    assert university_representatives_allowed(1) == 2
    assert university_representatives_allowed(2) == 1
    assert university_representatives_allowed(5) == 1


@pytest.fixture
def admin(world, api):
    council = world.council("izmir")
    return api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))


def _rep(admin, member_id, name, capacity="representative"):
    return admin.post(f"{BASE}/members/{member_id}/representatives", json={
        "capacity": capacity, "name": name, "mandate_letter": "2026/3", "mandate_expires_on": days_from_today(365).isoformat()})


def _university(admin, name, rep):
    response = admin.post(f"{BASE}/members", json={"category": "university", "name": name,
                                                    "representative_name": rep})
    return response


def test_a_lone_university_sends_two_representatives_several_send_one_each(admin):
    ege = _university(admin, "Ege Üniversitesi", "Prof. Dr. Ayla Su").json["id"]
    assert _rep(admin, ege, "Prof. Dr. Ayla Su").status_code == 201
    assert _rep(admin, ege, "Doç. Dr. Kemal Öz").status_code == 201
    third = _rep(admin, ege, "Dr. Selin Ay")
    assert third.status_code == 422 and "capacity" in third.json["errors"]
    assert _rep(admin, ege, "Dr. Selin Ay", capacity="substitute").status_code == 201  # substitutes apart

    # A second university cannot join while Ege still sends two; nothing is created.
    before = len(admin.get(f"{BASE}/members").json)
    refused = _university(admin, "Dokuz Eylül Üniversitesi", "Prof. Dr. Can Er")
    assert refused.status_code == 422 and "category" in refused.json["errors"]
    assert "Ege Üniversitesi" in str(refused.json["errors"]["category"])
    assert len(admin.get(f"{BASE}/members").json) == before

    reps = admin.get(f"{BASE}/members/{ege}/representatives").json
    kemal = next(r for r in reps if r["name"] == "Doç. Dr. Kemal Öz")
    ended = admin.delete(f"{BASE}/members/{ege}/representatives/{kemal['id']}")
    assert ended.status_code == 200 and ended.json["valid"] is False
    assert admin.delete(f"{BASE}/members/{ege}/representatives/{kemal['id']}").status_code == 409  # once only
    deu = _university(admin, "Dokuz Eylül Üniversitesi", "Prof. Dr. Can Er")
    assert deu.status_code == 201
    assert _rep(admin, deu.json["id"], "Prof. Dr. Can Er").status_code == 201
    assert _rep(admin, deu.json["id"], "Dr. İkinci Kişi").status_code == 422  # now one each
    assert _rep(admin, ege, "Doç. Dr. Kemal Öz").status_code == 422


def test_ending_a_mandate_of_another_institution_is_not_found(admin, world):
    ege = _university(admin, "Ege Üniversitesi", "Prof. Dr. Ayla Su").json["id"]
    chamber = admin.post(f"{BASE}/members", json={"category": "professional_chamber", "name": "Mimarlar Odası",
                                                  "representative_name": "Oya Er"}).json["id"]
    rep = _rep(admin, ege, "Prof. Dr. Ayla Su").json
    assert admin.delete(f"{BASE}/members/{chamber}/representatives/{rep['id']}").status_code == 404
    assert admin.get(f"{BASE}/members/{ege}/representatives").json[0]["valid"] is True
