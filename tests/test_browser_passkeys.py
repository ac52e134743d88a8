"""In Chromium (#31): a secretary sets up an authenticator app and a passkey (Chromium's virtual authenticator, as
WebAuthn's own tests use), then signs in with each as the second step."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select
from test_browser import browser, live_server  # noqa: F401 - the fixtures

from conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _sign_in_with_password(page, site: str) -> None:
    page.goto(f"{site}/login")
    page.get_by_label("E-posta").fill("sekreter@izmir.example.org")
    page.get_by_label("Parola").fill("correct horse battery")
    page.get_by_role("button", name="Giriş yap").click()


def _sign_out(page) -> None:
    page.get_by_role("button", name="Çıkış yap").click()
    page.wait_for_url(re.compile(r".*/$"))


def test_a_secretary_signs_in_with_a_passkey_and_with_an_authenticator_app(live_server, browser, sqlite_app):  # noqa: F811
    from konsey.tenants.db import db
    from konsey.tenants.platform_audit import PlatformEvent

    world = World(sqlite_app)
    council = world.council("izmir", name="İzmir Kent Konseyi")
    world.user("sekreter@izmir.example.org", roles={council: "administrator"})
    # A passkey belongs to a site's name, never to an address: the same server, reached as localhost.
    site = live_server.replace("127.0.0.1", "localhost")
    context = browser.new_context(locale="tr-TR")
    page = context.new_page()
    authenticator = context.new_cdp_session(page)
    authenticator.send("WebAuthn.enable")
    authenticator.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})

    _sign_in_with_password(page, site)
    page.wait_for_url(re.compile(r".*/(izmir/)?$"))
    page.goto(f"{site}/account/security")
    page.get_by_role("button", name="Doğrulama uygulaması kur").click()
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Uygulamadaki kod").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Onayla").click()
    page.get_by_test_id("recovery-codes").wait_for()  # the answer's page, however loaded the machine
    assert page.get_by_test_id("recovery-codes").locator("li").count() == 10

    page.goto(f"{site}/account/security")
    page.get_by_label("Cihazın adı").fill("Dizüstü")
    page.get_by_role("button", name="Passkey ekle").click()
    page.wait_for_selector("[data-testid=passkeys] li")
    assert "Dizüstü" in page.get_by_test_id("passkeys").inner_text()

    # The second step with the passkey: nothing to type.
    _sign_out(page)
    _sign_in_with_password(page, site)
    page.wait_for_url(f"{site}/login/second-factor")
    page.get_by_role("button", name="Passkey ile giriş yap").click()
    page.wait_for_url(re.compile(r".*/(izmir/)?$"))
    assert page.get_by_test_id("signed-in-as").is_visible()

    # And with the app's code (a step after the one spent setting it up).
    _sign_out(page)
    _sign_in_with_password(page, site)
    page.wait_for_url(f"{site}/login/second-factor")
    page.locator("input#code").fill(pyotp.TOTP(secret).at(datetime.now(UTC) + timedelta(seconds=30)))
    page.get_by_role("button", name="Giriş yap", exact=True).click()
    page.wait_for_url(re.compile(r".*/(izmir/)?$"))
    assert page.get_by_test_id("signed-in-as").is_visible()

    with sqlite_app.app_context():
        used = [event.details["kind"] for event in db.session.scalars(
            select(PlatformEvent).where(PlatformEvent.action == "second_factor.used").order_by(PlatformEvent.at))]
    assert used == ["passkey", "totp"]
    context.close()
