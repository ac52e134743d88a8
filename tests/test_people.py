"""People and roles in a council: invite with a role, accept, list, revoke; the last administrator stays."""

from __future__ import annotations

import re

import pytest

from conftest import login


@pytest.fixture
def setup(world):
    council = world.council("izmir")
    admin = world.user("admin@izmir.example.org", roles={council: "administrator"})
    president = world.user("baskan@izmir.example.org", roles={council: "president"})
    return {"council": council, "admin": world.token(admin, council), "president": world.token(president, council),
            "admin_id": admin}


def test_invite_accept_list_and_revoke(app, api, setup, mailbox):
    admin = api(setup["admin"])
    sent = admin.post("/api/v1/councils/izmir/invitations", json={"email": "Yeni@Example.org", "role": "viewer"})
    assert sent.status_code == 201 and sent.json["email"] == "yeni@example.org"
    message = mailbox.wait_for(1)[0]
    assert message["To"] == "yeni@example.org"
    link = re.search(r"http://konsey\.test(/invitations/\S+)", message.get_body(("plain",)).get_content()).group(1)
    client = app.test_client()
    client.post(link, data={"display_name": "Yeni Kişi", "password": "uzun-bir-parola-1", "confirm": "uzun-bir-parola-1"})
    people = admin.get("/api/v1/councils/izmir/people").json
    assert {(p["email"], p["role"]) for p in people} == {
        ("admin@izmir.example.org", "administrator"), ("baskan@izmir.example.org", "president"),
        ("yeni@example.org", "viewer"),
    }
    assert client.get("/izmir/members").status_code == 200  # a viewer may look at members
    grant = next(p for p in people if p["email"] == "yeni@example.org")
    assert admin.delete(f"/api/v1/councils/izmir/people/{grant['id']}").status_code == 204
    assert client.get("/izmir/members").status_code == 404  # no standing any more


def test_last_administrator_cannot_be_removed(api, setup):
    admin = api(setup["admin"])
    people = admin.get("/api/v1/councils/izmir/people").json
    own = next(p for p in people if p["role"] == "administrator")
    response = admin.delete(f"/api/v1/councils/izmir/people/{own['id']}")
    assert response.status_code == 409 and "role" in response.json["errors"]
    assert len(admin.get("/api/v1/councils/izmir/people").json) == 2


def test_only_administrators_manage_people(api, setup):
    president = api(setup["president"])
    assert president.get("/api/v1/councils/izmir/people").status_code == 403
    assert president.post("/api/v1/councils/izmir/invitations",
                          json={"email": "x@example.org", "role": "administrator"}).status_code == 403


def test_bad_invitation_input(api, setup):
    response = api(setup["admin"]).post("/api/v1/councils/izmir/invitations",
                                        json={"email": "x@example.org", "role": "king"})
    assert response.status_code == 422 and set(response.json["errors"]) == {"role"}


def test_people_page(app, setup, mailbox):
    client = app.test_client()
    login(client, "admin@izmir.example.org")
    page = client.get("/izmir/people")
    assert page.status_code == 200 and "baskan@izmir.example.org" in page.get_data(as_text=True)
    sent = client.post("/izmir/people", data={"email": "uye@example.org", "role": "member"})
    assert sent.status_code == 302
    assert mailbox.wait_for(1) and mailbox.to("uye@example.org")
    assert "uye@example.org" in client.get("/izmir/people").get_data(as_text=True)
