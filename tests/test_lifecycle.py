"""A council's lifecycle: onboarding → active ⇄ suspended → archived, with its effect on every request."""

from __future__ import annotations

import json

import pytest

from konsey.tenants.lifecycle import LifecycleError, check_transition
from konsey.tenants.models import CouncilStatus as S


@pytest.mark.parametrize(
    "current,target,ok",
    [
        (S.ONBOARDING, S.ACTIVE, True), (S.ACTIVE, S.SUSPENDED, True), (S.SUSPENDED, S.ACTIVE, True),
        (S.ACTIVE, S.ARCHIVED, True), (S.ARCHIVED, S.ACTIVE, False), (S.ONBOARDING, S.SUSPENDED, False),
        (S.ACTIVE, S.ACTIVE, False),
    ],
)
def test_transitions(sqlite_app, current, target, ok):
    with sqlite_app.test_request_context():
        if ok:
            check_transition(current, target, export_acknowledged=True)
        else:
            with pytest.raises(LifecycleError):
                check_transition(current, target, export_acknowledged=True)


def test_archiving_requires_the_export_first(sqlite_app):
    with sqlite_app.test_request_context(), pytest.raises(LifecycleError) as raised:
        check_transition(S.ACTIVE, S.ARCHIVED, export_acknowledged=False)
    assert raised.value.field == "export_acknowledged"


@pytest.fixture
def setup(world):
    council = world.council("izmir")
    admin = world.user("admin@izmir.example.org", roles={council: "administrator"})
    operator = world.user("op@konsey.example.org", platform_role="operator")
    world.member(council, name="Ayşe Yılmaz")
    return {"council": council, "admin": world.token(admin, council), "operator": world.token(operator)}


def test_suspended_council_is_read_only(api, setup):
    operator, admin = api(setup["operator"]), api(setup["admin"])
    assert operator.post("/api/v1/councils/izmir/status", json={"status": "suspended"}).json["status"] == "suspended"
    assert admin.get("/api/v1/councils/izmir/members").status_code == 200
    refused = admin.post("/api/v1/councils/izmir/members", json={"category": "individual", "name": "Ali Veli"})
    assert refused.status_code == 423 and refused.mimetype == "application/problem+json"
    assert len(admin.get("/api/v1/councils/izmir/members").json) == 1
    assert operator.post("/api/v1/councils/izmir/status", json={"status": "active"}).status_code == 200
    assert admin.post("/api/v1/councils/izmir/members",
                      json={"category": "individual", "name": "Ali Veli"}).status_code == 201


def test_suspended_page_says_so(app, setup, world):
    from conftest import login

    api_client = app.test_client()
    api_client.post("/api/v1/councils/izmir/status", json={"status": "suspended"},
                    headers={"Authorization": f"Bearer {setup['operator']}"})
    client = app.test_client()
    login(client, "admin@izmir.example.org")
    page = client.get("/izmir/").get_data(as_text=True)
    assert "askıya alındı" in page


def test_archive_needs_export_acknowledged_and_export_is_complete(api, setup):
    operator = api(setup["operator"])
    refused = operator.post("/api/v1/councils/izmir/status", json={"status": "archived"})
    assert refused.status_code == 409 and "export_acknowledged" in refused.json["errors"]
    assert operator.post("/api/v1/councils/izmir/exports").status_code == 403  # personal data: the council's act
    from conftest import take_export

    document = take_export(api(setup["admin"]), "/api/v1/councils/izmir")
    assert [m["name"] for m in document["tables"]["members"]] == ["Ayşe Yılmaz"]
    assert {b["kind"] for b in document["tables"]["bodies"]} == {"general_assembly", "executive_board"}
    archived = operator.post("/api/v1/councils/izmir/status", json={"status": "archived", "export_acknowledged": True})
    assert archived.status_code == 200
    assert api(setup["admin"]).get("/api/v1/councils/izmir/members").status_code == 410
    assert operator.post("/api/v1/councils/izmir/status", json={"status": "active"}).status_code == 409


def test_only_operators_change_status(api, setup):
    assert api(setup["admin"]).post("/api/v1/councils/izmir/status", json={"status": "suspended"}).status_code == 403


def test_cli_status_and_export(app, setup, tmp_path):
    runner = app.test_cli_runner()
    early = runner.invoke(args=["councils", "status", "izmir", "archived"])
    assert early.exit_code == 2 and "export" in early.output
    out = tmp_path / "izmir.json"
    exported = runner.invoke(args=["councils", "export", "izmir", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    assert json.loads(out.read_text(encoding="utf-8"))["council"]["slug"] == "izmir"
    result = runner.invoke(args=["councils", "status", "izmir", "archived", "--export-acknowledged"])
    assert result.exit_code == 0
    assert "archived" in runner.invoke(args=["councils", "list"]).output
