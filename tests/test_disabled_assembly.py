"""The disabled people's assembly (plugins/disabled_assembly), built on the public hooks and konsey.pluginkit only:
people join with their explicit consent on record, organisations of persons with disabilities take part,
carers are supporters, the president sits on the board ex officio, and the federation sees the accessibility
requests as a count suppressed under five."""

from __future__ import annotations

import ast
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import approve_by_general_assembly, login

A = "/api/v1/councils/alpha"
PLUGIN = Path(__file__).resolve().parent.parent / "plugins" / "disabled_assembly"


@pytest.fixture
def assembly(world, api):
    alpha, beta = world.council("alpha"), world.council("beta", province=16)
    admin = api(world.token(world.user("admin@alpha.example.org", roles={alpha: "administrator"}), alpha))
    assert admin.post(f"{A}/plugins/disabled_assembly", json={"config": {}}).status_code == 201
    body = next(b for b in admin.get(f"{A}/bodies").json if b["name"] == "Engelli Meclisi")
    voters = [str(world.member(alpha, name=f"Genel Kurul {i}")) for i in range(3)]
    assert approve_by_general_assembly(admin, A, body["id"], voters).json["status"] == "active"
    return {"alpha": alpha, "beta": beta, "admin": admin, "body": body["id"]}


def test_it_uses_only_the_public_plugin_interface():
    for path in PLUGIN.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("konsey."):
                assert node.module == "konsey.pluginkit" or node.module.startswith("konsey.plugins.disabled_assembly"), \
                    f"{path.name} imports {node.module}"


def test_people_join_with_explicit_consent_and_organisations_of_the_kind(app, world, assembly):
    admin, alpha = assembly["admin"], assembly["alpha"]
    seats = f"{A}/bodies/{assembly['body']}/seats"
    person = str(world.member(alpha, name="Ayla Görmez", gender="female"))
    refused = admin.post(seats, json={"member_id": person, "role": "principal", "starts_on": date.today().isoformat()})
    assert refused.status_code == 422 and "KVKK" in str(refused.json["errors"]["member_id"])
    chamber = str(world.member(alpha, category="professional_chamber", name="Mimarlar Odası", representative_name="X"))
    assert admin.post(seats, json={"member_id": chamber, "role": "principal",
                                   "starts_on": date.today().isoformat()}).status_code == 422
    association = str(world.member(alpha, category="association", name="Görme Engelliler Derneği",
                                   representative_name="Y", derbis_no="06-154-120"))
    assert admin.post(seats, json={"member_id": association, "role": "principal",
                                   "starts_on": date.today().isoformat()}).status_code == 201

    # On the page: the consent first (dated), then the person joins; a carer accompanies them.
    world.user("gs@alpha.example.org", roles={alpha: "administrator"})
    client = app.test_client()
    login(client, "gs@alpha.example.org")
    future = client.post("/alpha/p/disabled_assembly/consents",
                         data={"member_id": person, "given_on": (date.today() + timedelta(days=1)).isoformat()},
                         follow_redirects=True)
    assert future.status_code == 200
    client.post("/alpha/p/disabled_assembly/consents", data={"member_id": person, "given_on": date.today().isoformat()})
    client.post("/alpha/p/disabled_assembly/members", data={"member_id": person})
    client.post("/alpha/p/disabled_assembly/supporters", data={"member_id": person, "name": "Kemal Refakatçi"})
    page = client.get("/alpha/p/disabled_assembly/").get_data(as_text=True)
    assert "Ayla Görmez" in page and "Kemal Refakatçi" in page and "Görme Engelliler Derneği" in page
    # The carer is a supporter: no seat, no vote.
    members = {s["member_id"] for s in admin.get(f"{A}/bodies/{assembly['body']}").json["seats"]}
    assert members == {person, association}


def test_the_president_sits_on_the_board_ex_officio(app, world, assembly):
    admin, alpha = assembly["admin"], assembly["alpha"]
    seats = f"{A}/bodies/{assembly['body']}/seats"
    association = str(world.member(alpha, category="association", name="Engelliler Federasyonu",
                                   representative_name="Z", derbis_no="06-154-121"))
    admin.post(seats, json={"member_id": association, "role": "chair", "starts_on": date.today().isoformat()})
    board = next(b for b in admin.get(f"{A}/bodies").json if b["kind"] == "executive_board")
    board_seats = admin.get(f"{A}/bodies/{board['id']}").json["seats"]
    assert [(s["member_id"], s["role"]) for s in board_seats] == [(association, "ex_officio")]


def test_the_federation_counts_accessibility_requests_suppressed_under_five(app, world, assembly):
    from konsey.core import federation

    world.user("gs@alpha.example.org", roles={assembly["alpha"]: "administrator"})
    client = app.test_client()
    login(client, "gs@alpha.example.org")
    for kind in ("sign_language", "captions", "step_free_access"):
        client.post("/alpha/p/disabled_assembly/requests", data={"kind": kind, "note": "Genel kurul için"})
    assert client.post("/alpha/p/disabled_assembly/requests", data={"kind": "levitation"},
                       follow_redirects=True).status_code == 200
    code = "plugin:disabled_assembly_accessibility_requests"
    with app.app_context():
        assert federation.compute()[assembly["alpha"]][code] is None  # three: fewer than five, suppressed
    for kind in ("braille_or_large_print", "assistant_seat"):
        client.post("/alpha/p/disabled_assembly/requests", data={"kind": kind})
    with app.app_context():
        figures = federation.compute()
    assert figures[assembly["alpha"]][code] == 5
    assert figures[assembly["beta"]].get(code) is None  # not enabled there: nothing to say


def test_another_council_sees_nothing_of_it(app, world, assembly, api):
    beta = assembly["beta"]
    other = api(world.token(world.user("admin@beta.example.org", roles={beta: "administrator"}), beta))
    assert other.get(f"/api/v1/councils/beta/bodies/{assembly['body']}").status_code == 404
    world.user("gs@beta.example.org", roles={beta: "administrator"})
    client = app.test_client()
    login(client, "gs@beta.example.org")
    assert client.get("/beta/p/disabled_assembly/").status_code == 404  # not enabled in beta


def test_every_job_of_its_page_is_an_api_operation(world, assembly):
    """The assembly's data is reached one way: its API calls the same use cases as its page (consent, seat,
    supporter, accessibility request, met), each refusing its input naming the field."""
    admin, alpha = assembly["admin"], assembly["alpha"]
    base = f"{A}/plugins/disabled_assembly"
    person = str(world.member(alpha, name="Deniz Işıklı", gender="female"))
    refused = admin.post(f"{base}/members", json={"member_id": person})
    assert refused.status_code == 422 and "KVKK" in str(refused.json["errors"]["member_id"])
    future = (date.today() + timedelta(days=3)).isoformat()
    assert "given_on" in admin.post(f"{base}/consents", json={"member_id": person, "given_on": future}).json["errors"]
    assert "given_on" in admin.post(f"{base}/consents", json={"member_id": person}).json["errors"]
    consent = admin.post(f"{base}/consents", json={"member_id": person, "given_on": date.today().isoformat()})
    assert consent.status_code == 201 and consent.json["member_id"] == person
    assert admin.post(f"{base}/consents", json={"member_id": person,
                                                "given_on": date.today().isoformat()}).status_code == 409
    seat = admin.post(f"{base}/members", json={"member_id": person})
    assert seat.status_code == 201 and seat.json["name"] == "Deniz Işıklı" and seat.json["role"] == "principal"
    assert "name" in admin.post(f"{base}/supporters", json={"member_id": person, "name": "Al"}).json["errors"]
    supporter = admin.post(f"{base}/supporters", json={"member_id": person, "name": "Kemal Refakatçi"})
    assert supporter.status_code == 201
    assert admin.post(f"{base}/requests", json={"kind": "levitation"}).json["errors"].keys() == {"kind"}
    assert "note" in admin.post(f"{base}/requests", json={"kind": "sign_language",
                                                          "note": "x\u0003y"}).json["errors"]
    request = admin.post(f"{base}/requests", json={"kind": "sign_language", "note": "Genel kurul için"})
    assert request.status_code == 201 and request.json["met"] is False
    met = admin.post(f"{base}/requests/{request.json['id']}/met")
    assert met.status_code == 200 and met.json["met"] is True
    shown = admin.get(base).json
    assert [s["name"] for s in shown["seats"]] == ["Deniz Işıklı"] and shown["consented"] == [person]
    assert [s["name"] for s in shown["supporters"]] == ["Kemal Refakatçi"]
    assert [(r["kind"], r["met"]) for r in shown["requests"]] == [("sign_language", True)]


def test_its_api_never_reaches_another_councils_rows(world, assembly, api):
    admin, beta = assembly["admin"], assembly["beta"]
    base = f"{A}/plugins/disabled_assembly"
    stranger = str(world.member(beta, name="Başka Konseyin Üyesi"))
    refused = admin.post(f"{base}/consents", json={"member_id": stranger, "given_on": date.today().isoformat()})
    assert refused.status_code == 422 and "member_id" in refused.json["errors"]
    assert admin.post(f"{base}/members", json={"member_id": stranger}).status_code == 422
    assert admin.post(f"{base}/supporters", json={"member_id": stranger, "name": "Kemal Refakatçi"}).status_code == 422
    request = admin.post(f"{base}/requests", json={"kind": "captions"}).json
    other = api(world.token(world.user("admin2@beta.example.org", roles={beta: "administrator"}), beta))
    other.post("/api/v1/councils/beta/plugins/disabled_assembly", json={"config": {}})
    beta_base = "/api/v1/councils/beta/plugins/disabled_assembly"
    assert other.post(f"{beta_base}/requests/{request['id']}/met").status_code == 404
    assert other.get(beta_base).json["requests"] == []
    assert admin.get(base).json["requests"][0]["met"] is False
    assert other.post(f"{A}/plugins/disabled_assembly/requests", json={"kind": "captions"}).status_code in (403, 404)
