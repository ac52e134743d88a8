"""The secretariat's pages: each shows the council's records, a form changes them through the same service as
the API, a bad form names its field and changes nothing, and another council's ids are not found."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from support.clock import first_of_a_month_ahead


@pytest.fixture
def desk(secretary):
    return secretary


def _count(app, council, model, **criteria):
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(council):
        return db.session.scalar(select(func.count()).select_from(model).filter_by(**criteria))


def test_every_secretariat_page_renders(app, world, desk):
    client = desk["client"]
    world.member(desk["council"], name="Ayşe Kaya")
    dashboard = client.get("/izmir/").get_data(as_text=True)
    for path in ("/izmir/applications/", "/izmir/bodies/", "/izmir/elections/", "/izmir/reports/",
                 "/izmir/motions/", "/izmir/money/", "/izmir/bylaws/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert path in dashboard, f"the dashboard links {path}"


def test_applications_are_decided_on_the_page(app, world, desk):
    from konsey.core.applications import MembershipApplication
    from konsey.core.membership import Member

    application = world.application(desk["council"])
    client = desk["client"]
    assert str(application) in client.get("/izmir/applications/").get_data(as_text=True)
    client.post(f"/izmir/applications/{application}/review")
    refused = client.post(f"/izmir/applications/{application}/reject", data={}, follow_redirects=True)
    assert "reason" in refused.get_data(as_text=True) or "gerekçe" in refused.get_data(as_text=True).lower()
    assert _count(app, desk["council"], MembershipApplication, status="under_review") == 1
    before = _count(app, desk["council"], Member)
    client.post(f"/izmir/applications/{application}/approve", data={"decision_reference": "İK 2026/5"})
    assert _count(app, desk["council"], MembershipApplication, status="approved") == 1
    assert _count(app, desk["council"], Member) == before + 1
    assert client.post(f"/izmir/applications/{application}/shred").status_code == 404


def test_bodies_and_seats_on_the_page(app, world, desk):
    from konsey.core.bodies import Body
    from konsey.core.seats import Seat

    client = desk["client"]
    ayse = world.member(desk["council"], name="Ayşe Kaya", gender="female")
    bad = client.post("/izmir/bodies/", data={"kind": "working_group", "name": "x"}, follow_redirects=True)
    assert bad.status_code == 200 and _count(app, desk["council"], Body) == 2  # nothing added
    client.post("/izmir/bodies/", data={"kind": "working_group", "name": "Ulaşım Çalışma Grubu", "proposal": "YK 1"})
    assert _count(app, desk["council"], Body, status="proposed") == 1
    board = next(b for b in _bodies(app, desk["council"]) if b.kind.value == "executive_board")
    page = client.get(f"/izmir/bodies/{board.id}").get_data(as_text=True)
    assert "Ayşe Kaya" in page  # offered for a seat
    no_date = client.post(f"/izmir/bodies/{board.id}/seats", data={"member_id": str(ayse), "role": "principal"},
                          follow_redirects=True)
    assert "starts_on" in no_date.get_data(as_text=True) and _count(app, desk["council"], Seat) == 0
    client.post(f"/izmir/bodies/{board.id}/seats", data={"member_id": str(ayse), "role": "principal",
                                                         "starts_on": "2026-01-01"})
    assert _count(app, desk["council"], Seat) == 1
    listing = client.get("/izmir/bodies/").get_data(as_text=True)
    assert "<svg" in listing and "Ulaşım Çalışma Grubu" in listing
    group = next(b for b in _bodies(app, desk["council"]) if b.status.value == "proposed")
    assert 'data-testid="group-seat"' not in client.get(f"/izmir/bodies/{group.id}").get_data(as_text=True)
    world.approve(desk["council"], group.id)
    approved = client.get(f"/izmir/bodies/{group.id}").get_data(as_text=True)
    assert 'data-testid="group-seat"' in approved and "#representatives" in approved  # rule 5: the seat, linked


def _bodies(app, council):
    from konsey.core.bodies import Body
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(council):
        return db.session.scalars(select(Body)).all()


def test_an_election_is_run_on_the_page(app, world, desk):
    from konsey.core.elections import Election
    from konsey.core.seats import Seat

    client = desk["client"]
    people = [world.member(desk["council"], name=n) for n in ("Ayşe Kaya", "Mehmet Er", "Can Ak", "Ece Ay")]
    bodies = {b.kind.value: b.id for b in _bodies(app, desk["council"])}
    called = client.post("/izmir/elections/", data={
        "electing_body_id": str(bodies["general_assembly"]), "target_body_id": str(bodies["executive_board"]),
        "office": "president", "seats": "1", "term_start": first_of_a_month_ahead(6).isoformat(), "term_index": "0"})
    election = called.headers["Location"].rsplit("/", 1)[1]
    for member_id in people[:2]:
        client.post(f"/izmir/elections/{election}/candidates", data={"member_id": str(member_id)})
    bad = client.post(f"/izmir/elections/{election}/rounds", data={f"votes-{people[0]}": "bir"},
                      follow_redirects=True)
    assert "votes" in bad.get_data(as_text=True)
    unsat = client.get(f"/izmir/elections/{election}").get_data(as_text=True)
    assert "schedule the meeting first" in unsat or "toplantıyı" in unsat  # no sitting of the assembly yet
    everyone = _active_members(app, desk["council"])
    held = world.sitting(desk["council"], "general_assembly", everyone)
    page = client.get(f"/izmir/elections/{election}").get_data(as_text=True)
    assert f'value="{held}" selected' not in page and f'value="{held}"' in page  # offered, the election named none
    crowded = client.post(f"/izmir/elections/{election}/rounds", follow_redirects=True, data={
        "meeting_id": str(held), f"votes-{people[0]}": "2", f"votes-{people[1]}": "0",
        "ballots_cast": str(len(everyone) + 1)}).get_data(as_text=True)
    assert "ballots_cast" in crowded or str(len(everyone)) in crowded
    assert _count(app, desk["council"], Seat) == 0
    named = client.post("/izmir/elections/", data={
        "electing_body_id": str(bodies["general_assembly"]), "target_body_id": str(bodies["executive_board"]),
        "office": "executive_board", "seats": "2", "term_start": first_of_a_month_ahead(6).isoformat(), "term_index": "0",
        "meeting_id": str(held)})
    client.post(f"{named.headers['Location']}/candidates", data={"member_id": str(people[2])})
    assert f'value="{held}" selected' in client.get(named.headers["Location"]).get_data(as_text=True)
    page = client.post(f"/izmir/elections/{election}/rounds", follow_redirects=True, data={
        "meeting_id": str(held), f"votes-{people[0]}": "3", f"votes-{people[1]}": "0",
        "blank": "1"}).get_data(as_text=True)
    assert "Ayşe Kaya: 3" in page and _count(app, desk["council"], Seat) == 1, page
    assert _count(app, desk["council"], Election, status="decided") == 1


def _active_members(app, council):
    from konsey.core.membership import Member
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(council):
        return list(db.session.scalars(select(Member.id).where(Member.status == "active")))


def test_money_with_its_chart_and_field_errors(app, desk):
    from konsey.core.money import BudgetAllocation, Expense

    client = desk["client"]
    year = date.today().year
    bad = client.post("/izmir/money/allocations", data={"year": str(year), "amount": "çok",
                                                        "municipal_decision": "BM 2026/4"}, follow_redirects=True)
    assert "amount" in bad.get_data(as_text=True) and _count(app, desk["council"], BudgetAllocation) == 0
    client.post("/izmir/money/allocations", data={"year": str(year), "amount": "250000",
                                                  "municipal_decision": "BM 2026/4"})
    client.post("/izmir/money/expenses", data={"spent_on": date.today().isoformat(), "amount": "1200.50",
                                               "category": "printing", "description": "Afiş baskısı"})
    assert _count(app, desk["council"], Expense) == 1
    page = client.get(f"/izmir/money/?year={year}").get_data(as_text=True)
    assert 'data-testid="money-chart"' in page and "Afiş baskısı" in page


def test_motion_follow_up_on_the_page(app, world, desk):
    from konsey.core import votes
    from konsey.core.bodies import Body
    from konsey.core.meetings import Choice, Meeting, Vote
    from konsey.core.membership import Member
    from konsey.core.motions import Motion, adopt
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    member = world.member(desk["council"], name="Ayşe Kaya")
    world.body_with_seat(desk["council"], member)
    refs = world.meeting_with_vote(desk["council"], member)
    with app.app_context(), bound_council(desk["council"]):
        vote = db.session.get(Vote, refs["vote_a"])
        meeting = db.session.get(Meeting, refs["meeting_a"])
        body = db.session.get(Body, meeting.body_id)
        votes.cast(vote, meeting, body, db.session.get(Member, member), Choice.YES)
        votes.close_vote(vote, meeting, body)
        motion_id = adopt(vote, "Bisiklet yolu", "Sahil boyunca").id
        db.session.commit()
    client = desk["client"]
    no_date = client.post(f"/izmir/motions/{motion_id}/status", data={"status": "delivered"}, follow_redirects=True)
    assert "delivered_on" in no_date.get_data(as_text=True)
    long_ago = (date.today() - timedelta(days=90)).isoformat()
    client.post(f"/izmir/motions/{motion_id}/status", data={"status": "delivered", "delivered_on": long_ago})
    assert 'data-testid="overdue"' in client.get("/izmir/motions/").get_data(as_text=True)
    client.post(f"/izmir/motions/{motion_id}/answer", data={"answer": "accepted",
                                                            "municipal_decision_number": "2026/455"})
    assert _count(app, desk["council"], Motion, status="answered") == 1


def test_bylaws_new_version_on_the_page(app, desk):
    from konsey.core.bylaws import ByLawProfile

    client = desk["client"]
    page = client.get("/izmir/bylaws/").get_data(as_text=True)
    assert 'name="tie_rule"' in page and 'name="gender_parity_share" inputmode="decimal" value="50"' in page
    assert ">tie_rule<" not in page and "Eşitliği neyin bozduğu" in page  # labelled and explained, never a key
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    bad = client.post("/izmir/bylaws/", data={"effective_from": tomorrow, "gender_parity_share": "90",
                                              "online_presence_counts_for.shown": "y",
                                              "online_presence_counts_for": ["general_assembly", "assembly"]})
    shown = bad.get_data(as_text=True)
    assert bad.status_code == 422 and _count(app, desk["council"], ByLawProfile) == 1
    # Named as people read it, the share as Turkish writes it; what was typed and ticked is kept.
    assert "Cinsiyet eşitliği oranı: " in shown and "%0 ile %50" in shown
    assert 'name="gender_parity_share" inputmode="decimal" value="90"' in shown
    assert 'value="assembly" checked' in shown and 'value="executive_board" checked' not in shown
    assert f'value="{tomorrow}"' in shown
    client.post("/izmir/bylaws/", data={"effective_from": tomorrow, "tie_rule": "lot",
                                        "individual_members_vote_in_general_assembly": "y",
                                        "working_group_one_officer_post": "y", "gender_parity_share": "40",
                                        "online_presence_counts_for.shown": "y",
                                        "online_presence_counts_for": ["general_assembly"]})
    assert _count(app, desk["council"], ByLawProfile) == 2
    from konsey.core.bylaws import parameters_on
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(desk["council"]):
        adopted = parameters_on(date.today() + timedelta(days=1))
    assert adopted["gender_parity_share"] == 0.4 and adopted["online_presence_counts_for"] == ["general_assembly"]
    assert adopted["tie_rule"] == "lot"


def test_another_councils_records_are_not_found_through_these_pages(app, world, desk):
    other = world.council("nilufer", province=16)
    member = world.member(other, name="Gizli Üye")
    seats = world.body_with_seat(other, member)
    client = desk["client"]
    assert client.get(f"/izmir/bodies/{seats['body_a']}").status_code == 404
    assert client.post(f"/izmir/bodies/{seats['body_a']}/seats", data={"member_id": str(member)}).status_code == 404
    assert client.get(f"/nilufer/bodies/{seats['body_a']}").status_code == 404  # no standing there


def test_participants_and_extraordinary_session_requests_on_the_pages(app, world, desk):
    from konsey.core.participants import Participant
    from konsey.core.session_requests import SessionRequest, SessionRequestSignature

    client = desk["client"]
    member = world.member(desk["council"], name="Ayşe Kaya")
    seats = world.body_with_seat(desk["council"], member)
    url = f"/izmir/bodies/{seats['body_a']}/participants"
    no_consent = client.post(url, data={"name": "Deniz Deniz"}, follow_redirects=True)
    assert "consent" in no_consent.get_data(as_text=True) and _count(app, desk["council"], Participant) == 0
    client.post(url, data={"name": "Deniz Deniz", "organisation": "Bisiklet Derneği", "consent": "y"})
    assert "Deniz Deniz" in client.get(f"/izmir/bodies/{seats['body_a']}").get_data(as_text=True)

    client.post("/izmir/session-requests/", data={"reason": "kısa"})
    assert _count(app, desk["council"], SessionRequest) == 0
    client.post("/izmir/session-requests/", data={"reason": "Kentsel dönüşüm projesi görüşülsün."})
    page = client.get("/izmir/session-requests/").get_data(as_text=True)
    assert "Kentsel dönüşüm" in page
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(desk["council"]):
        request_id = db.session.scalar(db.select(SessionRequest.id))
    client.post(f"/izmir/session-requests/{request_id}/signatures", data={"member_id": str(member)})
    assert _count(app, desk["council"], SessionRequestSignature) == 1
    assert client.post(f"/izmir/session-requests/{__import__('uuid').uuid4()}/signatures",
                       data={"member_id": str(member)}).status_code == 404


def _form_as_shown(html: str) -> list[tuple[str, str]]:
    """What a browser sends for the page's by-laws form untouched: inputs' values, ticked boxes, chosen options."""
    from html.parser import HTMLParser

    class Form(HTMLParser):
        def __init__(self):
            super().__init__()
            self.fields, self.select = [], None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "input" and a.get("name") and a.get("type") not in ("submit",):
                if a.get("type") == "checkbox":
                    if "checked" in a:
                        self.fields.append((a["name"], a.get("value", "on")))
                else:
                    self.fields.append((a["name"], a.get("value") or ""))
            elif tag == "select":
                self.select = a.get("name")
            elif tag == "option" and self.select and "selected" in a:
                self.fields.append((self.select, a.get("value", "")))

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None

    form = Form()
    form.feed(html.split('action="/izmir/bylaws/"')[1].split("</form>")[0])
    return form.fields


def test_the_by_laws_form_sent_back_untouched_changes_nothing(app, desk):
    """A third shown as "33,33" (or "33.33" in English), boxes in any order: sent back as shown, nothing is a
    change; "7.5" typed on the Turkish page is not read as 75."""
    from konsey.core.bylaws import ByLawProfile

    client = desk["client"]
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    for language in ("tr", "en"):
        fields = _form_as_shown(client.get(f"/izmir/bylaws/?lang={language}").get_data(as_text=True))
        assert ("extraordinary_session_share", "33,33" if language == "tr" else "33.33") in fields
        from werkzeug.datastructures import MultiDict

        sent = client.post(f"/izmir/bylaws/?lang={language}", data=MultiDict([*[f for f in fields if f[0] != "effective_from"],
                                                             ("effective_from", tomorrow)]), follow_redirects=True)
        assert _count(app, desk["council"], ByLawProfile) == 1, language
        assert ("Hiçbir şey değiştirilmedi" if language == "tr" else "Nothing was changed") in sent.get_data(as_text=True)
    typed = client.post("/izmir/bylaws/?lang=tr", data={"effective_from": tomorrow, "extraordinary_session_share": "7.5"})
    assert typed.status_code == 422 and _count(app, desk["council"], ByLawProfile) == 1
