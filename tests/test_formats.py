"""One formatting layer: dates dd.mm.yyyy, instants on the council's clock, %50, 1.234,56 TL, whole numbers
without ".0"; Turkish casing for slugs and e-mails (no combining dots) and Turkish order for names."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from conftest import login


@pytest.fixture
def turkish(sqlite_app):
    from flask_babel import force_locale

    with sqlite_app.test_request_context(), force_locale("tr"):
        yield


def test_dates_and_instants(turkish):
    from konsey.core.formats import clock_text, day_text, moment_text

    assert day_text(date(2026, 3, 9)) == "09.03.2026"
    assert day_text("2026-12-31") == "31.12.2026" and day_text("yarın") == "yarın" and day_text(None) == ""
    # 22:30 UTC on 31 December is already the new year in İstanbul.
    late = datetime(2026, 12, 31, 22, 30, tzinfo=UTC)
    assert day_text(late) == "01.01.2027" and moment_text(late) == "01.01.2027 01:30" and clock_text(late) == "01:30"
    assert moment_text(datetime(2026, 6, 1, 15, 0)) == "01.06.2026 18:00"  # naive means UTC (SQLite)


def test_shares_numbers_and_money_in_turkish(turkish):
    from konsey.core.formats import money_text, number_text, share_text

    assert share_text(0.5) == "%50" and share_text(2 / 3) == "%67" and share_text(None) == "—"
    assert number_text(59.0) == "59" and number_text(1.5) == "1,5" and number_text(12345) == "12.345"
    assert money_text(Decimal("1234.56")) == "1.234,56 TL" and money_text(0) == "0,00 TL"


def test_shares_in_english(sqlite_app):
    from flask_babel import force_locale

    from konsey.core.formats import share_text

    with sqlite_app.test_request_context(), force_locale("en"):
        assert share_text(0.5) == "50%"


def test_slugs_and_e_mails_never_get_a_combining_dot():
    from konsey.core.text import ascii_slug, email_lower

    assert ascii_slug("İnegöl Kent Konseyi") == "inegol-kent-konseyi"
    assert ascii_slug("Çağlayancerit, Şişli & Üsküdar") == "caglayancerit-sisli-uskudar"
    assert email_lower(" Uye29@İZMİR.ornek.org ") == "uye29@izmir.ornek.org"
    assert "\u0307" not in email_lower("İ" * 3)


def test_the_front_page_lists_councils_in_turkish_order(app, world):
    for slug, name, province in (("izmir", "İzmir Kent Konseyi", 35), ("kadikoy", "Kadıköy Kent Konseyi", 34),
                                 ("nilufer", "Nilüfer Kent Konseyi", 16), ("isparta", "Isparta Kent Konseyi", 32),
                                 ("cankaya", "Çankaya Kent Konseyi", 6)):
        world.council(slug, name=name, province=province)
    page = app.test_client().get("/").get_data(as_text=True)
    positions = [page.index(name) for name in ("Çankaya", "Isparta", "İzmir", "Kadıköy", "Nilüfer")]
    assert positions == sorted(positions)


def test_a_member_added_with_a_capital_dotted_i_in_the_address(app, world):
    council = world.council("izmir")
    world.user("gs@izmir.example.org", roles={council: "administrator"})
    client = app.test_client()
    login(client, "gs@izmir.example.org")
    client.post("/izmir/members/new", data={"category": "individual", "name": "Ali Veli",
                                            "email": "ALİ@İZMİR.EXAMPLE.ORG"})
    from sqlalchemy import select

    from konsey.core.membership import Member
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(council):
        assert db.session.scalar(select(Member.email)) == "ali@izmir.example.org"


def test_a_new_councils_address_is_suggested_from_its_name(app, world):
    from konsey.core import reference
    from konsey.core.text import suggested_slug

    assert suggested_slug("İnegöl Kent Konseyi") == "inegol" and suggested_slug("Çankaya") == "cankaya"
    world.user("op@konsey.example.org", platform_role="operator")
    client = app.test_client()
    login(client, "op@konsey.example.org")
    inegol = next(m for m in reference.municipalities(16) if m.name.startswith("İnegöl"))
    page = client.get("/operator/councils/new").get_data(as_text=True)
    import re

    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    data = {"name": "İnegöl Kent Konseyi", "slug": "", "province_code": "16", "municipality_id": inegol.id,
            "contact_email": "info@inegol.example.org", "motion_delivery_address": "evrak@inegol.bel.tr",
            "locale": "tr", "timezone": "Europe/Istanbul", "admin_email": "gs@inegol.example.org"}
    if token:
        data["csrf_token"] = token.group(1)
    answer = client.post("/operator/councils/new", data=data)
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    from sqlalchemy import select

    from konsey.tenants.db import db
    from konsey.tenants.models import Council

    with app.app_context():
        assert db.session.scalar(select(Council.slug).where(Council.name == "İnegöl Kent Konseyi")) == "inegol"
