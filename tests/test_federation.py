"""The federation: indicators for every council by aggregation, checked against hand counts; small numbers
suppressed; aggregates only for the analyst; councils' opt-in to public comparisons; a dashboard with charts."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import adopted_motion


def _people(world, council_id, women: int, men: int, institutions: int = 0):
    for i in range(women):
        world.member(council_id, name=f"Kadın Üye {i}", gender="female")
    for i in range(men):
        world.member(council_id, name=f"Erkek Üye {i}", gender="male")
    for i in range(institutions):
        world.member(council_id, category="union", name=f"Sendika {i}", representative_name="Temsilci Kişi")


@pytest.fixture
def federation(app, world, api):
    big = world.council("izmir", name="İzmir Kent Konseyi")
    small = world.council("kadikoy", province=34, name="Kadıköy Kent Konseyi")
    _people(world, big, women=6, men=4, institutions=2)
    _people(world, small, women=2, men=1)
    analyst = world.user("analist@federasyon.example.org")
    from konsey.core.accounts import PlatformRole, User
    from konsey.tenants.db import db

    with app.app_context():
        db.session.get(User, analyst).platform_role = PlatformRole.FEDERATION_ANALYST
        db.session.commit()
    return {"big": big, "small": small, "analyst": api(world.token(analyst)),
            "admin": api(world.token(world.user("gs@izmir.example.org", roles={big: "administrator"}), big))}


def _rows(client, **query):
    response = client.get("/api/v1/federation/indicators", query_string=query)
    assert response.status_code == 200, response.json
    return {r["slug"]: r for r in response.json["rows"]}


def test_indicators_match_hand_counts_and_small_numbers_are_suppressed(app, world, federation):
    member = world.member(federation["big"], name="Ayşe Kaya", gender="female")
    world.body_with_seat(federation["big"], member)  # a working group, approved by a general assembly
    adopted_motion(app, world, federation["big"], member_id=member)
    rows = _rows(federation["analyst"])
    izmir, kadikoy = rows["izmir"], rows["kadikoy"]
    # members: 6 women + 4 men + Ayşe = 11 individuals, and 2 institutions
    assert izmir["members_institutional"] is None  # two institutions: fewer than five, suppressed
    # 11 individuals beside 2 institutions: showing 11 with the total 13 would give the 2 back (complementary)
    assert izmir["members_individual"] is None and izmir["members"] == 13
    assert izmir["women_share_members"] is None  # 7 of 11: the other side is four people (complementary)
    assert kadikoy["members"] is None and kadikoy["women_share_members"] is None  # three people only
    assert izmir["members_by_gender"] == {"female": 7, "male": None, "not_given": None}  # 4 men, 2 institutions
    assert izmir["members_by_category"] == {"individual": None, "union": None}  # likewise
    assert izmir["ga_sessions_held"] == 1 and kadikoy["ga_sessions_held"] == 0
    assert izmir["ga_sessions_required"] == 2
    assert izmir["working_groups_active"] == 1 and izmir["motions_adopted"] == 2
    assert izmir["motions_delivered"] == 0 and izmir["median_days_to_answer"] is None
    assert izmir["women_share_decision_bodies"] is None  # one seat: suppressed
    assert izmir["quorum_share"] == 1.0  # every past meeting of the council voted


def test_answers_overdue_and_filters(app, world, federation):
    from konsey.core.motions import Motion, MotionStatus
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    member = world.member(federation["big"], name="Ayşe Kaya", gender="female")
    world.body_with_seat(federation["big"], member)
    adopted_motion(app, world, federation["big"], member_id=member)
    with app.app_context(), bound_council(federation["big"]):
        first, second = db.session.scalars(db.select(Motion).order_by(Motion.number)).all()
        first.status, first.delivered_on = MotionStatus.ANSWERED, date.today() - timedelta(days=20)
        # At 01:30 in İstanbul, 22:30 UTC the day before: the answer is of İstanbul's day (12 days after the
        # delivery, not 13; the indicators took the UTC date once).
        first.answered_at = datetime.combine(date.today() - timedelta(days=8), time(1, 30),
                                             tzinfo=ZoneInfo("Europe/Istanbul"))
        second.status, second.delivered_on = MotionStatus.DELIVERED, date.today() - timedelta(days=70)
        db.session.commit()
    izmir = _rows(federation["analyst"])["izmir"]
    assert izmir["motions_answered"] == 1 and izmir["median_days_to_answer"] == 12
    assert izmir["motions_overdue"] == 1 and izmir["motions_delivered"] == 2
    assert set(_rows(federation["analyst"], province="İzmir")) == {"izmir"}
    earlier = _rows(federation["analyst"], year=date.today().year - 3)["izmir"]  # a period with nothing in it
    assert earlier["motions_adopted"] == 0 and earlier["ga_sessions_held"] == 0
    assert earlier["members"] == izmir["members"]  # membership is as of today whatever the period
    assert _rows(federation["analyst"], year=date.today().year)["izmir"]["motions_adopted"] == 2
    assert federation["analyst"].get("/api/v1/federation/indicators?year=1850").status_code == 422
    assert set(_rows(federation["analyst"], region="Marmara")) == {"kadikoy"}
    csv = federation["analyst"].get("/api/v1/federation/indicators.csv")
    assert csv.status_code == 200 and csv.data.decode().splitlines()[0].startswith("slug,name,province")


def test_the_analyst_sees_aggregates_never_a_person(app, world, federation):
    analyst = federation["analyst"]
    body = analyst.get("/api/v1/federation/indicators").get_data(as_text=True)
    assert "Kadın Üye" not in body and "Erkek Üye" not in body
    for path in ("/api/v1/councils/izmir/members", "/api/v1/councils/izmir/applications",
                 "/api/v1/councils/izmir/people", "/api/v1/councils/izmir/notifications"):
        assert analyst.get(path).status_code in (403, 404), path  # refused, whatever the reason given
    assert federation["admin"].get("/api/v1/federation/indicators").status_code == 403


def test_councils_see_their_position_and_opt_in_to_public_comparison(app, world, federation):
    admin = federation["admin"]
    own = admin.get("/api/v1/councils/izmir/federation").json
    assert own["council"]["slug"] == "izmir" and "peer_median" in own and "Kadıköy" not in str(own)
    public = app.test_client()
    assert public.get("/api/v1/federation/public").json["rows"] == []
    assert "İzmir Kent Konseyi" not in public.get("/federation/public").get_data(as_text=True)
    assert admin.put("/api/v1/councils/izmir/federation", json={"public": "evet"}).status_code == 422
    assert admin.put("/api/v1/councils/izmir/federation", json={"public": True}).json == {"public": True}
    assert [r["slug"] for r in public.get("/api/v1/federation/public").json["rows"]] == ["izmir"]
    assert "İzmir Kent Konseyi" in public.get("/federation/public").get_data(as_text=True)
    assert "Kadıköy" not in public.get("/federation/public").get_data(as_text=True)


def test_snapshots_make_trends(app, world, federation):
    from konsey.usecases.base import SYSTEM, acting_as
    from konsey.usecases.system import federation_snapshot as take_snapshot

    with app.app_context(), acting_as(SYSTEM):
        assert take_snapshot(date.today() - timedelta(days=1)) == 2
        assert take_snapshot() == 2
    world.member(federation["big"], name="Yeni Üye", gender="female")
    with app.app_context(), acting_as(SYSTEM):
        take_snapshot()  # the same day again: replaced, not doubled
    points = federation["analyst"].get("/api/v1/federation/trend", query_string={
        "indicator": "members", "council": "izmir"}).json["points"]
    assert [value for _day, value in points] == [12, 13]


def test_the_dashboard_page(app, world, federation):
    from conftest import login

    client = app.test_client()
    login(client, "analist@federasyon.example.org")
    page = client.get("/federation/?indicator=members")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-testid="ranking-chart"' in html and "İzmir Kent Konseyi" in html
    assert client.get("/izmir/members").status_code in (403, 404)  # no personal record through the pages either
    # The table's downloads work in the analyst's own session (the API's need a token, which a page has not).
    csv_link = re.search(r'href="([^"]+)" data-testid="download-csv"', html).group(1).replace("&amp;", "&")
    spreadsheet = client.get(csv_link)
    assert spreadsheet.status_code == 200 and spreadsheet.mimetype == "text/csv"
    assert spreadsheet.get_data(as_text=True).splitlines()[0].startswith("slug,name,province")
    json_link = re.search(r'href="([^"]+)" data-testid="download-json"', html).group(1).replace("&amp;", "&")
    table = client.get(json_link)
    assert table.status_code == 200 and any(row["slug"] == "izmir" for row in table.json["rows"])
    assert client.get("/federation/indicators.csv?year=20x6").status_code == 422  # a bad filter, named
    secretary = app.test_client()
    world.user("gs2@izmir.example.org", roles={federation["big"]: "administrator"})
    login(secretary, "gs2@izmir.example.org")
    assert secretary.get("/federation/indicators.csv").status_code in (403, 404)  # analysts only


def test_a_councils_position_shows_no_median_of_fewer_than_five_councils(app, world, federation):
    """With two councils, the "national median" and our own figure would give the other's exact value."""
    own = federation["admin"].get("/api/v1/councils/izmir/federation").json
    assert own["national_median"]["members"] is None and own["peer_median"]["members"] is None
    for n in range(4):
        other = world.council(f"ilce{n}", province=35, name=f"İlçe {n} Kent Konseyi")
        _people(world, other, women=3, men=3)
    own = federation["admin"].get("/api/v1/councils/izmir/federation").json
    assert own["national_median"]["members"] is not None  # six councils now


def test_the_histogram_counts_in_whole_ranges_and_the_bands_read_as_words(app):
    """The federation's histogram: members and sessions in whole-number ranges ("56,88 members" was one), every
    council in exactly one range, one range where all are alike; a population band reads as words (">3M" did)."""
    from flask_babel import force_locale

    from konsey.core.labels import label
    from konsey.web.federation_pages import _histogram

    members = [12, 13, 15, 40, 56, 57, 80, 81, 120]
    bins = _histogram(members)
    assert all(isinstance(b["low"], int) and isinstance(b["high"], int) and b["low"] <= b["high"] for b in bins)
    assert sum(b["count"] for b in bins) == len(members) and len(bins) <= 8
    assert all(any(b["low"] <= m <= b["high"] for b in bins) for m in members)
    assert _histogram([7, 7, 7]) == [{"low": 7, "high": 7, "count": 3, "height": 1.0}]
    shares = _histogram([0.1, 0.25, 0.5, 0.9])
    assert sum(b["count"] for b in shares) == 4 and shares[0]["low"] == 0.1
    with app.test_request_context(headers={"Accept-Language": "tr"}), force_locale("tr"):
        assert ">" not in str(label(">3M")) and "milyon" in str(label(">3M"))
        assert "milyon" in str(label("1M-3M")) and str(label("<500k")) != "<500k"


def test_every_read_across_councils_leaves_its_audit_entry(app, world, federation):
    """What the analyst reads across councils (the API's table, the page's CSV download, a council's position)
    is recorded in the platform's audit, durably: the entry was added and then rolled back with the read."""
    from sqlalchemy import func, select

    from conftest import login
    from konsey.tenants.db import db
    from konsey.tenants.platform_audit import PlatformEvent

    def entries() -> int:
        with app.app_context():
            return db.session.scalar(select(func.count(PlatformEvent.id)).where(PlatformEvent.action == "all_councils"))

    world.enable(federation["big"], "elders_assembly")  # a plugin's indicator is read too, council by council
    before = entries()
    assert federation["analyst"].get("/api/v1/federation/indicators").status_code == 200
    after_api = entries()
    assert after_api == before + 1
    client = app.test_client()
    login(client, "analist@federasyon.example.org")
    assert client.get("/federation/indicators.csv").status_code == 200
    assert entries() == after_api + 1
    assert federation["analyst"].get("/api/v1/federation/councils/izmir/position").status_code == 200
    assert entries() == after_api + 2
