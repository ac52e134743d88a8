"""Onboarding a council in one step: CLI, REST and the operator pages, ending with the invited
administrator signing in through the e-mailed one-time link."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from conftest import login
from konsey.core import reference


def _payload(slug="bornova", **overrides):
    municipality = next(m for m in reference.municipalities(35) if m.type == "metropolitan_district")
    return {
        "name": "Bornova Kent Konseyi", "slug": slug, "province_code": 35, "municipality_id": municipality.id,
        "contact_email": "iletisim@bornova.example.org", "motion_delivery_address": "evrak@bornova.bel.tr",
        "admin_email": "Sekreter@Bornova.example.org", **overrides,
    }


def _link_from(mailbox, address):
    messages = mailbox.wait_for(1)
    mine = [m for m in messages if address in m["To"]]
    assert mine, f"no e-mail to {address}"
    match = re.search(r"http://konsey\.test(/invitations/\S+)", mine[-1].get_body(("plain",)).get_content())
    assert match
    return match.group(1)


@pytest.fixture
def operator_token(world):
    return world.token(world.user("op@konsey.example.org", platform_role="operator"))


def test_api_onboarding_creates_everything_and_invites_the_admin(app, api, operator_token, mailbox):
    from konsey.core.accounts import Invitation
    from konsey.core.bodies import Body
    from konsey.core.bylaws import ByLawProfile
    from konsey.tenants.db import db
    from konsey.tenants.models import Council
    from konsey.tenants.scoping import bound_council

    response = api(operator_token).post("/api/v1/councils", json=_payload())
    assert response.status_code == 201, response.json
    assert response.json["council"]["status"] == "onboarding"
    assert response.json["council"]["municipality_type"] == "metropolitan_district"

    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == "bornova"))
        with bound_council(council.id):
            kinds = sorted(b.kind.value for b in db.session.scalars(select(Body)))
            profile = db.session.scalars(select(ByLawProfile)).one()
        assert kinds == ["executive_board", "general_assembly"]
        assert profile.parameters["general_assembly_min_sessions_per_year"] == 2
        assert profile.parameters["term_pattern_years"] == [2, 3]
        invitation = db.session.scalars(select(Invitation)).one()
        assert invitation.email == "sekreter@bornova.example.org"

    # The worker task delivered the invitation over SMTP; the link works once.
    link = _link_from(mailbox, "sekreter@bornova.example.org")
    assert link in response.json["invitation_url"]
    client = app.test_client()
    page = client.get(link)
    assert page.status_code == 200 and "Bornova Kent Konseyi" in page.get_data(as_text=True)
    accepted = client.post(link, data={"display_name": "Deniz Aksoy", "password": "uzun-bir-parola-2026",
                                       "confirm": "uzun-bir-parola-2026"})
    assert accepted.status_code == 302 and accepted.location.endswith("/bornova/")
    assert "Deniz Aksoy" in client.get("/bornova/").get_data(as_text=True)
    assert app.test_client().get(link).status_code == 404  # spent

    fresh = app.test_client()
    assert login(fresh, "sekreter@bornova.example.org", "uzun-bir-parola-2026").status_code == 302
    assert fresh.get("/bornova/members").status_code == 200


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"slug": "Bad Slug"}, "slug"),
        ({"slug": "api"}, "slug"),
        ({"province_code": 99}, "province_code"),
        ({"municipality_id": "no-such-id"}, "municipality_id"),
        ({"province_code": 6}, "municipality_id"),  # İzmir's district is not in Ankara
        ({"contact_email": "nope"}, "contact_email"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"locale": "de"}, "locale"),
        ({"unexpected": 1}, "unexpected"),
    ],
)
def test_api_onboarding_rejects_bad_input(app, api, operator_token, overrides, field):
    from konsey.tenants.db import db
    from konsey.tenants.models import Council

    response = api(operator_token).post("/api/v1/councils", json=_payload(**overrides))
    assert response.status_code == 422
    assert field in response.json["errors"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Council.id))) == 0


def test_a_slug_typed_with_turkish_letters_is_spelled_as_an_address(app, api, operator_token, mailbox):
    created = api(operator_token).post("/api/v1/councils", json=_payload(slug="Gölcük", name="Gölcük Kent Konseyi"))
    assert created.status_code == 201 and created.json["council"]["slug"] == "golcuk"
    invitation = mailbox.wait_for(1)[-1].get_body(("plain",)).get_content()
    assert "Gölcük Kent Konseyi için" in invitation and "konseyine" not in invitation  # not "Konseyi konseyine"


def test_duplicate_slug_is_refused_and_nothing_changes(app, api, operator_token):
    from konsey.core.accounts import Invitation
    from konsey.tenants.db import db

    assert api(operator_token).post("/api/v1/councils", json=_payload()).status_code == 201
    again = api(operator_token, language="tr").post("/api/v1/councils", json=_payload(name="Başka Konsey"))
    assert again.status_code == 409
    assert again.json["errors"]["slug"] == ["Bu adreste bir konsey zaten var."]
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 1


def test_only_operators_onboard(api, world):
    council = world.council("izmir")
    admin = world.token(world.user("a@izmir.example.org", roles={council: "administrator"}), council)
    assert api(admin).post("/api/v1/councils", json=_payload()).status_code == 403
    platformless = world.token(world.user("x@example.org"))
    assert api(platformless).post("/api/v1/councils", json=_payload()).status_code == 403


def test_cli_onboarding(app, mailbox):
    runner = app.test_cli_runner()
    municipality = next(m for m in reference.municipalities(16) if m.name.startswith("Nilüfer"))
    result = runner.invoke(args=[
        "councils", "create", "--name", "Nilüfer Kent Konseyi", "--slug", "nilufer", "--province", "16",
        "--municipality", municipality.id, "--contact-email", "info@nilufer.example.org",
        "--delivery-address", "evrak@nilufer.bel.tr", "--admin-email", "gs@nilufer.example.org",
    ])
    assert result.exit_code == 0, result.output
    assert "nilufer" in result.output and "/invitations/" in result.output
    assert mailbox.wait_for(1) and mailbox.to("gs@nilufer.example.org")

    bad = runner.invoke(args=[
        "councils", "create", "--name", "X Konseyi", "--slug", "nilufer", "--province", "16",
        "--municipality", municipality.id, "--contact-email", "info@nilufer.example.org",
        "--delivery-address", "evrak@nilufer.bel.tr", "--admin-email", "gs@nilufer.example.org",
    ])
    assert bad.exit_code == 2 and "slug" in bad.output


def test_cli_onboarding_takes_the_apis_fields_and_activates(app):
    from sqlalchemy import select

    from konsey.tenants.db import db
    from konsey.tenants.models import Council

    runner = app.test_cli_runner()
    inegol = next(m for m in reference.municipalities(16) if m.name.startswith("İnegöl"))
    result = runner.invoke(args=[
        "councils", "create", "--name", "İnegöl Kent Konseyi", "--province", "16", "--municipality", inegol.id,
        "--contact-email", "info@inegol.example.org", "--delivery-address", "evrak@inegol.bel.tr",
        "--admin-email", "gs@inegol.example.org", "--neighbourhood-count", "64", "--activate",
    ])
    assert result.exit_code == 0, result.output
    assert "inegol" in result.output and "active" in result.output
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == "inegol"))
        assert council.status.value == "active" and council.neighbourhood_count == 64


def test_operator_pages_onboarding(app, world, mailbox):
    world.user("op@konsey.example.org", platform_role="operator")
    client = app.test_client()
    login(client, "op@konsey.example.org")
    form = client.get("/operator/councils/new")
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert "İzmir" in page and 'label for="slug"' in page
    options = client.get("/operator/provinces/35/municipalities").json
    assert any(o["label"].startswith("Bornova") for o in options)

    data = _payload(slug="karsiyaka", name="Karşıyaka Kent Konseyi", locale="tr", timezone="Europe/Istanbul",
                    contact_phone="")
    data["municipality_id"] = next(m.id for m in reference.municipalities(35) if m.name.startswith("Karşıyaka"))
    created = client.post("/operator/councils/new", data=data)
    assert created.status_code == 302, created.get_data(as_text=True)  # post, then redirect: a reload sends nothing
    shown = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "/invitations/" in shown and "Karşıyaka Kent Konseyi" in shown
    assert "/invitations/" not in client.get(created.headers["Location"]).get_data(as_text=True)  # shown once
    assert "Karşıyaka Kent Konseyi" in client.get("/operator/").get_data(as_text=True)

    again = client.post("/operator/councils/new", data=data)
    assert again.status_code == 409  # a conflict: the address is taken (the form shown again, the input kept)
    shown = again.get_data(as_text=True)
    assert "Bu adreste bir konsey zaten var." in shown and 'value="Karşıyaka Kent Konseyi"' in shown
