"""Two-factor sign-in (#31, its authenticator part): a person sets up an authenticator app (TOTP) and gets recovery
codes; signing in then asks for the app's code of the moment (or a recovery code, once), each code good once;
a device may be remembered for 30 days; a council can require a second factor of its staff, and an installation
of its operators and federation analysts; every enrolment, use and refusal is audited without a secret."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import time_machine
from sqlalchemy import select

from conftest import login
from support.clients import relay_all

PASSWORD = "correct horse battery"


def _enrol(client) -> tuple[str, list[str]]:
    """Set up an authenticator on the signed-in client's account: (its key, the recovery codes)."""
    page = client.post("/account/security/authenticator").get_data(as_text=True)
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page).group(1)
    factor = re.search(r'/account/security/authenticator/([0-9a-f-]+)/confirm', page).group(1)
    wrong = client.post(f"/account/security/authenticator/{factor}/confirm", data={"code": "000000"})
    assert wrong.status_code == 422 and secret in wrong.get_data(as_text=True)  # the same key, shown again
    done = client.post(f"/account/security/authenticator/{factor}/confirm", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200, done.get_data(as_text=True)[:2000]
    codes = re.findall(r"<li><code>([0-9a-f]{6}-[0-9a-f]{6})</code></li>", done.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def _next_code(secret: str, steps: int = 1) -> str:
    """The code of a coming time step (the one of this step was spent setting the app up)."""
    return pyotp.TOTP(secret).at(datetime.now(UTC) + timedelta(seconds=30 * steps))


def _events(app, action: str) -> list:
    from konsey.tenants.db import db
    from konsey.tenants.platform_audit import PlatformEvent

    with app.app_context():
        return [event.details for event in db.session.scalars(select(PlatformEvent).where(
            PlatformEvent.action == action))]


@pytest.fixture
def secretary_with_app(app, world):
    council = world.council("izmir")
    world.user("gs@izmir.example.org", roles={council: "administrator"})
    client = app.test_client()
    login(client, "gs@izmir.example.org")
    secret, codes = _enrol(client)
    client.post("/logout")
    return {"council": council, "secret": secret, "codes": codes}


def test_signing_in_asks_for_the_apps_code_each_code_good_once(app, world, secretary_with_app):
    secret = secretary_with_app["secret"]
    client = app.test_client()
    first = login(client, "gs@izmir.example.org")
    assert first.status_code == 302 and first.headers["Location"].endswith("/login/second-factor")
    assert client.get("/izmir/").status_code == 302  # the password alone signs nobody in
    refused = client.post("/login/second-factor", data={"code": "123456"})
    assert refused.status_code == 422 and "code" in refused.get_data(as_text=True)
    code = _next_code(secret)
    signed = client.post("/login/second-factor", data={"code": code})
    assert signed.status_code == 302 and client.get("/izmir/").status_code == 200

    again = app.test_client()  # the same code, a second time (someone who saw it over a shoulder)
    login(again, "gs@izmir.example.org")
    assert again.post("/login/second-factor", data={"code": code}).status_code == 422
    later = datetime.now(UTC) + timedelta(minutes=2)
    with time_machine.travel(later):  # two minutes on, the app shows another code: it signs in
        assert again.post("/login/second-factor", data={"code": pyotp.TOTP(secret).at(later)}).status_code == 302

    assert len(_events(app, "second_factor.enrolled")) == 1
    used = _events(app, "second_factor.used")
    assert used == [{"kind": "totp"}, {"kind": "totp"}] and len(_events(app, "second_factor.refused")) == 2
    assert secret not in str(_events(app, "second_factor.enrolled"))


def test_a_recovery_code_signs_in_once(app, world, secretary_with_app):
    code = secretary_with_app["codes"][0]
    client = app.test_client()
    login(client, "gs@izmir.example.org")
    assert client.post("/login/second-factor", data={"code": code.upper()}).status_code == 302
    assert client.get("/account/security").get_data(as_text=True).count("9") >= 1  # nine left
    other = app.test_client()
    login(other, "gs@izmir.example.org")
    assert other.post("/login/second-factor", data={"code": code}).status_code == 422
    assert _events(app, "second_factor.used") == [{"kind": "recovery_code"}]


def test_a_remembered_device_skips_the_second_step_for_thirty_days(app, world, secretary_with_app):
    client = app.test_client()
    login(client, "gs@izmir.example.org")
    done = client.post("/login/second-factor", data={"code": _next_code(secretary_with_app["secret"]),
                                                     "remember": "1"})
    cookie = done.headers.get("Set-Cookie", "")
    assert "konsey_device=" in cookie and "HttpOnly" in cookie and "Max-Age=2592000" in cookie
    client.post("/logout")
    back = login(client, "gs@izmir.example.org")
    assert back.status_code == 302 and not back.headers["Location"].endswith("/login/second-factor")
    assert client.get("/izmir/").status_code == 200
    stranger = app.test_client()  # another browser, with the password only
    assert login(stranger, "gs@izmir.example.org").headers["Location"].endswith("/login/second-factor")


def test_too_many_wrong_codes_start_again_from_the_password(app, world, secretary_with_app):
    client = app.test_client()
    login(client, "gs@izmir.example.org")
    for _ in range(4):
        assert client.post("/login/second-factor", data={"code": "111111"}).status_code == 422
    fifth = client.post("/login/second-factor", data={"code": "111111"})
    assert fifth.status_code == 302 and fifth.headers["Location"].endswith("/login")
    assert client.post("/login/second-factor", data={"code": _next_code(secretary_with_app["secret"])}) \
        .headers["Location"].endswith("/login")  # the right code no longer helps: the password first


def test_a_council_can_require_a_second_factor_of_its_staff(app, world, api):
    council = world.council("izmir")
    world.user("gs@izmir.example.org", roles={council: "administrator"})
    viewer = world.user("izleyici@izmir.example.org", roles={council: "viewer"})
    admin = app.test_client()
    login(admin, "gs@izmir.example.org")
    assert admin.post("/izmir/people/second-factor", data={"required": "1"}).status_code == 302

    client = app.test_client()
    login(client, "izleyici@izmir.example.org")
    blocked = client.get("/izmir/members")
    assert blocked.status_code == 302 and "/account/security?required=1" in blocked.headers["Location"]
    assert "authenticator" in client.get(blocked.headers["Location"]).get_data(as_text=True)
    secret, _codes = _enrol(client)
    assert client.get("/izmir/members").status_code == 200  # this session proved it, setting the app up
    # An API token is its own credential (made by a signed-in person): the requirement is the sessions'.
    assert api(world.token(viewer, council)).get("/api/v1/councils/izmir/members").status_code == 200
    # The secretary general, who has no second factor yet, is asked for one too.
    assert admin.get("/izmir/members").status_code == 302
    assert secret


def test_the_platforms_staff_use_a_second_factor_where_the_installation_says_so(app, world):
    world.council("izmir")
    world.user("operator@example.org", platform_role="operator")
    client = app.test_client()
    login(client, "operator@example.org")
    assert client.get("/operator/").status_code == 200
    app.config["KONSEY_PLATFORM_TWO_FACTOR"] = True
    try:
        fresh = app.test_client()
        login(fresh, "operator@example.org")
        asked = fresh.get("/operator/")
        assert asked.status_code == 302 and "required=1" in asked.headers["Location"]
        _enrol(fresh)
        assert fresh.get("/operator/").status_code == 200
    finally:
        app.config["KONSEY_PLATFORM_TWO_FACTOR"] = False


def test_nobody_confirms_another_persons_authenticator(app, world):
    council = world.council("izmir")
    world.user("gs@izmir.example.org", roles={council: "administrator"})
    world.user("baska@izmir.example.org", roles={council: "viewer"})
    mine = app.test_client()
    login(mine, "gs@izmir.example.org")
    page = mine.post("/account/security/authenticator").get_data(as_text=True)
    factor = re.search(r'/account/security/authenticator/([0-9a-f-]+)/confirm', page).group(1)
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page).group(1)
    theirs = app.test_client()
    login(theirs, "baska@izmir.example.org")
    taken = theirs.post(f"/account/security/authenticator/{factor}/confirm", data={"code": pyotp.TOTP(secret).now()},
                        follow_redirects=True)
    assert "yeniden kurmaya" in taken.get_data(as_text=True)  # start again (the person's own are theirs)
    assert _events(app, "second_factor.enrolled") == []


def test_the_operator_removes_a_lost_second_factor(app, world, secretary_with_app):
    client = app.test_client()
    login(client, "gs@izmir.example.org")
    assert client.post("/login/second-factor", data={"code": _next_code(secretary_with_app["secret"])}) \
        .status_code == 302
    done = app.test_cli_runner().invoke(args=["users", "reset-second-factor", "gs@izmir.example.org"])
    assert done.exit_code == 0, done.output
    assert client.get("/izmir/").status_code == 302  # the session signed in with the lost phone is over
    again = app.test_client()
    assert login(again, "gs@izmir.example.org").headers["Location"].endswith("/start")  # the password alone now
    assert len(_events(app, "second_factor.reset")) == 1


# --- a code by SMS, where the council allows it --------------------------------------------------------------------




def _texted_code(provider) -> str:
    return re.search(r"\b(\d{6})\b", provider.received[-1]["text"]).group(1)


def test_a_code_by_sms_is_a_second_factor_where_the_council_allows_it(app, world, api, sms_provider):
    council = world.council("izmir")
    world.user("gs@izmir.example.org", roles={council: "administrator"})
    admin = app.test_client()
    login(admin, "gs@izmir.example.org")
    security = admin.get("/account/security").get_data(as_text=True)
    assert 'data-testid="start-sms"' not in security  # the council has not allowed it
    api(world.token(world.user("sms@izmir.example.org", roles={council: "administrator"}), council)).put(
        "/api/v1/councils/izmir/sms", json={"provider": "netgsm", "sender": "KENTKONSEYI", "username": "8503001122",
                                            "password": "dogru-parola"})
    assert admin.post("/izmir/people/sms-second-factor", data={"allowed": "1"}).status_code == 302
    assert admin.post("/izmir/people/second-factor", data={"required": "1"}).status_code == 302
    # Required now: the security page is where the secretary may still go, codes by SMS included.
    assert admin.get("/izmir/members").status_code == 302
    refused = admin.post("/account/security/sms", data={"council_id": str(council), "mobile": "0232 444 55 66"})
    assert refused.status_code == 422 and 'id="mobile-err"' in refused.get_data(as_text=True)
    assert "0232 444 55 66" in refused.get_data(as_text=True)  # the input kept
    started = admin.post("/account/security/sms", data={"council_id": str(council), "mobile": "0532 765 43 21"})
    assert started.status_code == 302
    relay_all(app)
    assert sms_provider.received[-1]["number"] == "905327654321"
    page = admin.get("/account/security").get_data(as_text=True)
    factor = re.search(r"/account/security/sms/([0-9a-f-]+)/confirm", page).group(1)
    assert admin.post(f"/account/security/sms/{factor}/confirm", data={"code": "000000"}).status_code == 422
    done = admin.post(f"/account/security/sms/{factor}/confirm", data={"code": _texted_code(sms_provider)})
    assert done.status_code == 200 and len(re.findall(r"<li><code>", done.get_data(as_text=True))) == 10
    assert admin.get("/izmir/members").status_code == 200  # this session proved it
    admin.post("/logout")

    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=2)):  # a code a minute: the next one goes
        client = app.test_client()
        login(client, "gs@izmir.example.org")
        step = client.get("/login/second-factor").get_data(as_text=True)
        assert 'data-testid="send-sign-in-code"' in step and " 21" in step and "7654" not in step
        sent = client.post("/login/second-factor/sms")
        assert sent.status_code == 302 and sent.headers["Location"].endswith("sent=21")
        again = client.post("/login/second-factor/sms")  # pressed twice: one code
        assert again.status_code == 302 and "sent=" not in again.headers["Location"]
        relay_all(app)
        code = _texted_code(sms_provider)
        assert client.post("/login/second-factor", data={"code": code}).status_code == 302
        assert client.get("/izmir/members").status_code == 200
    assert _events(app, "second_factor.used") == [{"kind": "sms"}]
    assert len(_events(app, "second_factor.code_sent")) == 1 and code not in str(_events(app, "second_factor.code_sent"))

    # The council stops accepting codes by SMS: none is offered, none is sent.
    from konsey.tenants.db import db
    from konsey.tenants.models import Council

    with app.app_context():
        db.session.get(Council, council).allow_sms_second_factor = False
        db.session.commit()
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=4)):
        later = app.test_client()
        login(later, "gs@izmir.example.org")
        assert 'data-testid="send-sign-in-code"' not in later.get("/login/second-factor").get_data(as_text=True)
        before = len(sms_provider.received)
        later.post("/login/second-factor/sms")
        relay_all(app)
        assert len(sms_provider.received) == before
