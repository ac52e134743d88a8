"""One path into the core: every route is an adapter over a use case, and the API and the pages agree.

These tests keep the use-case layer honest: a new view that calls the core by itself, or declares its own
permission, fails here; a page and an API operation over the same step can never ask for different
permissions; conflicts answer 409; bad page input never gives a server error and keeps what was typed.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from conftest import login

BASE = "/api/v1/councils/izmir"

# Endpoints that are the frameworks' own or that change nothing of a council's: static files, the OpenAPI
# document and its viewers, the language switch.
FRAMEWORK = {"static", "home.choose_language"}


def _handlers(app):
    """(endpoint, method, handler function) for every route of the app."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint in FRAMEWORK or rule.endpoint.startswith("api-docs."):
            continue
        view = app.view_functions[rule.endpoint]
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            handler = view
            if hasattr(view, "view_class"):
                handler = getattr(view.view_class, method.lower(), None)
            yield rule.endpoint, method, handler


def _adapters(app):
    found = {}
    for endpoint, method, handler in _handlers(app):
        use_case = getattr(handler, "konsey_use_case", None)
        if use_case is not None:
            found[(endpoint, method)] = (handler, use_case)
    return found


def test_every_route_is_an_adapter_over_a_use_case(sqlite_app):
    missing = [f"{method} {endpoint}" for endpoint, method, handler in _handlers(sqlite_app)
               if getattr(handler, "konsey_use_case", None) is None]
    assert not missing, f"routes with no use case: {missing}"


def test_a_views_permission_is_its_use_cases(sqlite_app):
    for (endpoint, method), (handler, use_case) in _adapters(sqlite_app).items():
        assert handler.konsey_policy.permission == use_case.permission, f"{method} {endpoint}"


def test_api_and_pages_over_the_same_use_case_ask_the_same_permission(sqlite_app):
    fronts: dict = {}
    for (endpoint, method), (handler, use_case) in _adapters(sqlite_app).items():
        side = "api" if sqlite_app.url_map._rules_by_endpoint[endpoint][0].rule.startswith("/api/") else "page"
        fronts.setdefault(use_case.name, {}).setdefault(side, set()).add(handler.konsey_policy.permission)
    shared = {name: sides for name, sides in fronts.items() if len(sides) == 2}
    # The meeting desk, reports, applications, plugins and by-laws have both fronts today.
    assert {"meetings.check_in", "reports.put_report_on_agenda", "applications.approve_application",
            "plugins.enable_plugin", "bylaws.adopt_version"} <= set(shared)
    for name, sides in shared.items():
        assert len(sides["api"] | sides["page"]) == 1, name


def test_a_use_case_refuses_an_actor_without_its_permission_and_commits_once(sqlite_app, world):
    from konsey.core.accounts import CouncilRoleName
    from konsey.core.errors import Forbidden
    from konsey.core.reports import Report
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council
    from konsey.usecases import reports
    from konsey.usecases.base import Actor, acting_as

    council = world.council("izmir")
    group = world.body_with_seat(council, world.member(council, name="Kolay Kolaylaştırıcı"))["body_a"]
    member = Actor(uuid.uuid4(), frozenset({CouncilRoleName.MEMBER}))
    facilitator = Actor(uuid.uuid4(), frozenset({CouncilRoleName.FACILITATOR}))
    with sqlite_app.app_context(), bound_council(council):
        with acting_as(member), pytest.raises(Forbidden):
            reports.draft_report({"body_id": group, "title": "Rapor", "text": "Metin"})
        with acting_as(facilitator):
            report_id = reports.draft_report({"body_id": group, "title": "Rapor", "text": "Metin"}).id
        # The use case committed its unit of work: another session sees the report.
        db.session.remove()
        assert db.session.get(Report, report_id) is not None
        # The facilitator writes reports but does not put them on the general assembly's agenda.
        with acting_as(facilitator), pytest.raises(Forbidden):
            reports.put_report_on_agenda(report_id, {"meeting_id": uuid.uuid4()})


def test_a_refused_use_case_leaves_nothing_behind(sqlite_app, world):
    from sqlalchemy import func, select

    from konsey.core.audit import AuditEntry
    from konsey.core.errors import Invalid
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council
    from konsey.usecases import meetings
    from konsey.usecases.base import SYSTEM, acting_as

    council = world.council("izmir")
    with sqlite_app.app_context(), bound_council(council), acting_as(SYSTEM):
        before = db.session.scalar(select(func.count(AuditEntry.id)))
        with pytest.raises(Invalid):
            meetings.call_meeting({"body_id": uuid.uuid4(), "kind": "ordinary", "title": "Yok",
                                   "scheduled_at": datetime.now(UTC) + timedelta(days=3)})
        assert db.session.scalar(select(func.count(AuditEntry.id))) == before


# --- the three drifts of the use-case issue, as regression tests ------------------------------------------------


def _general_assembly_meeting(admin):
    bodies = {b["kind"]: b["id"] for b in admin.get(f"{BASE}/bodies").json}
    when = (datetime.now(UTC) + timedelta(days=20)).isoformat()
    meeting = admin.post(f"{BASE}/meetings", json={"body_id": bodies["general_assembly"], "title": "Genel Kurul",
                                                   "scheduled_at": when, "agenda": ["Açılış"]})
    assert meeting.status_code == 201, meeting.json
    admin.start_meeting(meeting.json["id"])
    return meeting.json["id"]


def test_the_agenda_page_refuses_a_facilitator_as_the_api_does(sqlite_app, world):
    from sqlalchemy import select

    from konsey.core.reports import Report, ReportStatus
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    council = world.council("izmir")
    admin_id = world.user("gs@izmir.example.org", roles={council: "administrator"})
    world.user("k@izmir.example.org", roles={council: "facilitator"})
    from conftest import ApiClient

    admin = ApiClient(sqlite_app.test_client(), world.token(admin_id, council))
    group = admin.post(f"{BASE}/bodies", json={"kind": "working_group", "name": "Çevre Çalışma Grubu"}).json
    world.approve(council, uuid.UUID(group["id"]))
    report = admin.post(f"{BASE}/reports", json={"body_id": group["id"], "title": "Kıyı raporu",
                                                 "text": "İlk taslak"}).json
    admin.post(f"{BASE}/reports/{report['id']}/approve")
    admin.post(f"{BASE}/reports/{report['id']}/send")
    meeting_id = _general_assembly_meeting(admin)

    page = sqlite_app.test_client()
    login(page, "k@izmir.example.org")
    refused = page.post(f"/izmir/reports/{report['id']}/agenda", data={"meeting_id": meeting_id})
    assert refused.status_code == 403
    with sqlite_app.app_context(), bound_council(council):
        assert db.session.scalar(select(Report.status).where(Report.id == uuid.UUID(report["id"]))) \
            is ReportStatus.SENT_TO_BOARD
    secretary = sqlite_app.test_client()
    login(secretary, "gs@izmir.example.org")
    assert secretary.post(f"/izmir/reports/{report['id']}/agenda", data={"meeting_id": meeting_id}).status_code == 302
    with sqlite_app.app_context(), bound_council(council):
        assert db.session.scalar(select(Report.status).where(Report.id == uuid.UUID(report["id"]))) \
            is ReportStatus.ON_AGENDA


@pytest.mark.parametrize("change,field", [
    ({"kind": "bogus"}, "kind"),  # a server error before the use-case layer
    ({"agenda": "Açılış\nX"}, "agenda"),  # a one-letter item: the API refuses it, the page accepted it
    ({"title": "A"}, "title"),
    ({"date": "not-a-date"}, "scheduled_at"),
    ({"body_id": "c0ffee"}, "body_id"),
])
def test_bad_meeting_form_input_is_refused_and_keeps_what_was_typed(sqlite_app, world, change, field):
    from sqlalchemy import func, select

    from konsey.core.bodies import Body, BodyKind
    from konsey.core.meetings import Meeting
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    council = world.council("izmir")
    world.user("gs@izmir.example.org", roles={council: "administrator"})
    with sqlite_app.app_context(), bound_council(council):
        board = db.session.scalar(select(Body.id).where(Body.kind == BodyKind.EXECUTIVE_BOARD))
    page = sqlite_app.test_client()
    login(page, "gs@izmir.example.org")
    form = {"body_id": str(board), "kind": "ordinary", "title": "Yürütme Kurulu Toplantısı",
            "date": (date.today() + timedelta(days=10)).isoformat(), "time": "18:00",
            "location": "Kültür Merkezi", "agenda": "Açılış\nBütçe görüşmesi"} | change
    response = page.post("/izmir/meetings/", data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html  # the message stands beside its field
    if field != "title":
        assert 'value="Yürütme Kurulu Toplantısı"' in html  # the title is kept
    assert "Kültür Merkezi" in html and "Açılış" in html  # so are the place and the agenda
    with sqlite_app.app_context(), bound_council(council):
        assert db.session.scalar(select(func.count(Meeting.id))) == 0


def test_a_meeting_called_from_the_page_is_the_one_the_api_would_call(sqlite_app, world):
    from sqlalchemy import select

    from konsey.core.bodies import Body, BodyKind
    from konsey.core.meetings import AgendaItem, Meeting
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    council = world.council("izmir")
    world.user("gs@izmir.example.org", roles={council: "administrator"})
    with sqlite_app.app_context(), bound_council(council):
        board = db.session.scalar(select(Body.id).where(Body.kind == BodyKind.EXECUTIVE_BOARD))
    page = sqlite_app.test_client()
    login(page, "gs@izmir.example.org")
    day = date.today() + timedelta(days=10)
    response = page.post("/izmir/meetings/", data={"body_id": str(board), "kind": "ordinary", "title": "Kurul",
                                                   "date": day.isoformat(), "time": "18:30",
                                                   "agenda": "Açılış\nBütçe"})
    assert response.status_code == 302
    with sqlite_app.app_context(), bound_council(council):
        meeting = db.session.scalar(select(Meeting))
        items = db.session.scalars(select(AgendaItem.title).where(AgendaItem.meeting_id == meeting.id)
                                   .order_by(AgendaItem.position)).all()
        assert items == ["Açılış", "Bütçe"]
        assert meeting.day == day


def test_conflicts_answer_409_with_problem_details(world, api):
    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    people = [world.member(council, name=f"Genel Kurul Üyesi {i}") for i in range(3)]
    bodies = {b["kind"]: b["id"] for b in admin.get(f"{BASE}/bodies").json}
    when = (datetime.now(UTC) + timedelta(days=20)).isoformat()
    meeting = admin.post(f"{BASE}/meetings", json={"body_id": bodies["general_assembly"], "title": "Genel Kurul",
                                                   "scheduled_at": when, "agenda": ["Açılış"]}).json
    world.start_meeting(meeting["id"])
    url = f"{BASE}/meetings/{meeting['id']}/attendance"
    assert admin.post(url, json={"member_id": str(people[0])}).status_code == 200
    twice = admin.post(url, json={"member_id": str(people[0])})
    assert twice.status_code == 409
    assert twice.headers["Content-Type"] == "application/problem+json"
    assert "member_id" in twice.json["errors"] and twice.json["detail"]
    not_a_member = admin.post(url, json={"member_id": str(uuid.uuid4())})
    assert not_a_member.status_code == 422 and "member_id" in not_a_member.json["errors"]


def test_the_openapi_document_types_what_were_plain_dicts(sqlite_app):
    document = sqlite_app.test_client().get("/api/v1/openapi.json").json
    components = document["components"]["schemas"]
    assert components["MeetingDetail"]["properties"]["quorum"] == {"$ref": "#/components/schemas/Quorum"}
    assert components["Quorum"]["properties"]["needed"]["type"] == "integer"
    assert components["Profile"]["properties"]["parameters"] == {"$ref": "#/components/schemas/ByLawParametersHeld"}
    held = components["ByLawParametersHeld"]
    assert held["properties"]["tie_rule"]["enum"] == ["chair_decides", "lot", "fails"]
    assert held["properties"]["executive_board_min_size"]["default"] == 7
    # The council's plugins add parameters of their own: each typed as what a parameter can be.
    assert {"type": "boolean"} in held["additionalProperties"]["anyOf"]


def test_a_refused_page_form_comes_back_with_what_was_typed(sqlite_app, world):
    council = world.council("izmir")
    world.user("gs@izmir.example.org", roles={council: "administrator"})
    page = sqlite_app.test_client()
    login(page, "gs@izmir.example.org")
    refused = page.post("/izmir/money/expenses", data={"spent_on": "2026-03-01", "amount": "12,345",
                                                      "category": "other", "description": "Kırtasiye alımı"})
    assert refused.status_code == 302
    html = page.get(refused.headers["Location"]).get_data(as_text=True)
    assert 'value="Kırtasiye alımı"' in html  # the expense form has its input back…
    assert html.count('value="Kırtasiye alımı"') == 1  # …and only that form (in-kind has a description too)
    again = page.get("/izmir/money/").get_data(as_text=True)
    assert 'value="Kırtasiye alımı"' not in again  # once: a later visit starts clean


# What the API offers that a council's people do not do through a page, and why.
API_ONLY = {
    "motions.municipal_answer_posted": "the municipality's own system posts its answer (signed webhook)",
    "motions.signing_key": "the key a municipality checks packages with: the public page shows it",
}


def test_every_job_the_api_offers_has_a_page(sqlite_app):
    """A secretary can do in the browser whatever a token can do through the API (the pages and the API are
    two fronts over the same use cases)."""
    fronts: dict = {}
    for (endpoint, _method), (_handler, use_case) in _adapters(sqlite_app).items():
        if not use_case.changes_state:
            continue
        side = "api" if sqlite_app.url_map._rules_by_endpoint[endpoint][0].rule.startswith("/api/") else "page"
        fronts.setdefault(use_case.name, set()).add(side)
    missing = sorted(name for name, sides in fronts.items() if sides == {"api"} and name not in API_ONLY)
    assert not missing, f"jobs with no page: {missing}"
