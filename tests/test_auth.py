"""Signing in, password reset by e-mail, sessions, tokens and languages."""

from __future__ import annotations

import re

import pytest

from conftest import login


@pytest.fixture
def person(world):
    council = world.council("izmir")
    world.user("deniz@example.org", roles={council: "member"})
    return council


def test_password_is_hashed_with_argon2(app, person):
    from sqlalchemy import select

    from konsey.core.accounts import User
    from konsey.tenants.db import db

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "deniz@example.org"))
        assert user.password_hash.startswith("$argon2id$")
        assert "correct horse" not in user.password_hash


def test_sign_in_and_out(app, person):
    client = app.test_client()
    wrong = login(client, "deniz@example.org", "wrong password")
    assert wrong.status_code == 400 and "E-posta ya da parola yanlış." in wrong.get_data(as_text=True)
    ok = login(client, "DENIZ@example.org")
    assert ok.status_code == 302
    assert client.get("/izmir/").status_code == 200
    client.post("/logout")
    assert client.get("/izmir/").status_code == 302  # to the sign-in page


def test_pages_need_sign_in(app, person):
    response = app.test_client().get("/izmir/members")
    assert response.status_code == 302 and "/login" in response.location


def test_password_reset_by_email_link(app, person, mailbox):
    client = app.test_client()
    response = client.post("/password/forgot", data={"email": "deniz@example.org"})
    assert response.status_code == 302
    message = mailbox.wait_for(1)[0]
    link = re.search(r"http://konsey\.test(/password/reset/\S+)", message.get_body(("plain",)).get_content()).group(1)
    assert client.get(link).status_code == 200
    mismatch = client.post(link, data={"password": "yepyeni-parola-99", "confirm": "yepyeni-parola-98"})
    said = mismatch.get_data(as_text=True)
    assert mismatch.status_code in (200, 422) and "İki parola aynı değil." in said and "password ile" not in said
    changed = client.post(link, data={"password": "yepyeni-parola-99", "confirm": "yepyeni-parola-99"})
    assert changed.status_code == 302
    assert login(app.test_client(), "deniz@example.org", "yepyeni-parola-99").status_code == 302
    assert login(app.test_client(), "deniz@example.org").status_code == 400
    assert client.get(link).status_code == 400  # the link is spent once the password changed


def test_unknown_address_gets_the_same_answer_and_no_mail(app, person, mailbox):
    response = app.test_client().post("/password/forgot", data={"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mailbox.wait_for(1, timeout=0.5) == []


def test_reset_with_forged_token_fails(app, person):
    assert app.test_client().get("/password/reset/forged.token.value").status_code == 400


def test_language_switch(app, person):
    client = app.test_client()
    assert "Giriş yap" in client.get("/login").get_data(as_text=True)
    english = client.get("/lang/en?next=/login", follow_redirects=True).get_data(as_text=True)
    assert "Sign in" in english and "Giriş yap" not in english
    assert 'lang="en"' in english


def test_tokens_page_creates_and_revokes(app, person):
    client = app.test_client()
    login(client, "deniz@example.org")
    page = client.post("/account/tokens", data={"name": "betik", "council": str(person)})
    secret = re.search(r"(kns_[A-Za-z0-9_-]+)", page.get_data(as_text=True)).group(1)
    api_headers = {"Authorization": f"Bearer {secret}"}
    assert app.test_client().get("/api/v1/councils/izmir", headers=api_headers).status_code == 200

    from sqlalchemy import select

    from konsey.core.accounts import AccessToken
    from konsey.tenants.db import db

    with app.app_context():
        token = db.session.scalar(select(AccessToken))
        assert token.digest != secret and secret not in token.hint * 3
        token_id = token.id
    client.post(f"/account/tokens/{token_id}/revoke")
    assert app.test_client().get("/api/v1/councils/izmir", headers=api_headers).status_code == 401


def test_session_cookie_does_not_authenticate_the_api(app, person):
    client = app.test_client()
    login(client, "deniz@example.org")
    assert client.get("/api/v1/councils/izmir").status_code == 401


def test_csrf_is_enforced_on_forms(app, person):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = app.test_client().post("/login", data={"email": "deniz@example.org",
                                                          "password": "correct horse battery"})
        assert response.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_own_data_export(app, person):
    import json

    client = app.test_client()
    login(client, "deniz@example.org")
    document = json.loads(client.get("/account/export").data)
    assert document["account"]["email"] == "deniz@example.org"
    assert document["roles"] == [{"council": "izmir", "role": "member", "granted_at": document["roles"][0]["granted_at"]}]
    assert "password" not in json.dumps(document)
    assert app.test_client().get("/account/export").status_code == 302  # signed-in only


def test_password_change_ends_other_sessions(app, person, mailbox):
    other_device = app.test_client()
    login(other_device, "deniz@example.org")
    assert other_device.get("/izmir/").status_code == 200
    from sqlalchemy import select

    from konsey.core.accounts import User
    from konsey.tenants.db import db

    with app.app_context():
        db.session.scalar(select(User).where(User.email == "deniz@example.org")).set_password("baska-parola-2026")
        db.session.commit()
    assert other_device.get("/izmir/").status_code == 302  # signed out everywhere


def test_security_headers(app, person):
    response = app.test_client().get("/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    cookie = login(app.test_client(), "deniz@example.org").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_program_makes_lists_and_revokes_its_tokens_through_the_api(app, world, api):
    izmir = world.council("izmir")
    nilufer = world.council("nilufer", province=16)
    user = world.user("gs@izmir.example.org", roles={izmir: "administrator", nilufer: "viewer"})
    client = api(world.token(user, izmir))
    made = client.post("/api/v1/account/tokens", json={"name": "Entegrasyon", "council_id": str(izmir)})
    assert made.status_code == 201 and made.json["secret"].startswith("kns_")
    listed = client.get("/api/v1/account/tokens").json
    assert {t["name"] for t in listed} >= {"Entegrasyon"} and all("secret" not in t for t in listed)
    fresh = api(made.json["secret"])
    assert fresh.get("/api/v1/councils/izmir/members").status_code == 200
    # A token never mints one for a wider scope: an İzmir token cannot make a Nilüfer one.
    wider = client.post("/api/v1/account/tokens", json={"name": "Kaçak", "council_id": str(nilufer)})
    assert wider.status_code == 403
    assert client.post("/api/v1/account/tokens", json={"name": "Platform"}).status_code == 422
    assert client.delete(f"/api/v1/account/tokens/{made.json['id']}").status_code == 204
    assert fresh.get("/api/v1/councils/izmir/members").status_code == 401
    assert api(None).get("/api/v1/account/tokens").status_code == 401
