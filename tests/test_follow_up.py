"""The art. 76 follow-up rules, directly (konsey.core.rules.follow_up)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from konsey.core.rules import follow_up as rules


def test_the_answer_is_due_at_the_first_municipal_meeting_after_the_agenda_notice():
    meetings = [date(2027, 1, 6), date(2027, 2, 3), date(2027, 2, 17), date(2027, 3, 3)]
    # Delivered on 1 February: the meeting of the 3rd is too close (agenda announced three days ahead).
    assert rules.answer_due(date(2027, 2, 1), meetings) == (date(2027, 2, 17), False)
    assert rules.answer_due(date(2027, 1, 31), meetings) == (date(2027, 2, 3), False)  # exactly three days
    # An extraordinary meeting counts as a meeting.
    assert rules.answer_due(date(2027, 2, 10), meetings) == (date(2027, 2, 17), False)
    # Beyond the recorded calendar: the estimate (end of the next month), said to be one.
    assert rules.answer_due(date(2027, 3, 5), meetings) == (date(2027, 4, 30), True)
    assert rules.answer_due(date(2027, 12, 20), []) == (date(2028, 1, 31), True)


def test_overdue_the_day_after_and_answered_in_time():
    due = date(2027, 2, 17)
    assert not rules.overdue(due, False, date(2027, 2, 17))
    assert rules.overdue(due, False, date(2027, 2, 18))
    assert not rules.overdue(due, True, date(2027, 5, 1))
    assert rules.answered_in_time(due, date(2027, 2, 17)) is True
    assert rules.answered_in_time(due, date(2027, 3, 3)) is False
    assert rules.answered_in_time(due, None) is None


def test_implementation_follows_the_latest_milestone():
    assert rules.implementation_state([]) is None
    assert rules.implementation_state([(date(2027, 3, 1), "planned"), (date(2027, 5, 1), "in_progress")]) == \
        "in_progress"
    # Recorded out of order: the date decides, then the order of recording.
    assert rules.implementation_state([(date(2027, 6, 1), "done"), (date(2027, 5, 1), "in_progress")]) == "done"
    assert rules.implementation_state([(date(2027, 6, 1), "in_progress"), (date(2027, 6, 1), "abandoned")]) == \
        "abandoned"


def test_regular_monthly_meetings():
    first_wednesdays = rules.regular_meeting_days(2027, weekday=2, week=1)
    assert len(first_wednesdays) == 12 and first_wednesdays[0] == date(2027, 1, 6)
    assert all(d.weekday() == 2 and d.day <= 7 for d in first_wednesdays)
    assert rules.regular_meeting_days(2027, weekday=4, week=5)[1] == date(2027, 2, 26)  # the last Friday
    assert rules.regular_meeting_days(2027, day_of_month=5)[11] == date(2027, 12, 5)


# --- through the API and the pages ---------------------------------------------------------------------------

BASE = "/api/v1/councils/izmir"


def _delivered_motion(app, world, api, delivered_on):
    from support.clients import adopted_motion

    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    motion_id = adopted_motion(app, world, council)
    url = f"{BASE}/motions/{motion_id}"
    for status in ("queued", "sent"):
        admin.post(f"{url}/status", json={"status": status})
    delivered = admin.post(f"{url}/status", json={"status": "delivered", "delivered_on": delivered_on.isoformat()})
    assert delivered.status_code == 200, delivered.json
    return council, admin, url


def test_the_due_date_follows_the_municipal_councils_calendar(app, world, api):

    today = date.today()
    council, admin, url = _delivered_motion(app, world, api, today - timedelta(days=20))
    first = admin.get(url).json
    assert first["answer_due_estimated"] is True  # nothing recorded yet: the end of next month
    # The municipal council meets on the first Wednesday of each month: the answer is due at the first of those
    # at least three days after delivery.
    added = admin.post(f"{BASE}/municipal-calendar/regular", json={"year": today.year, "weekday": 2, "week": 1})
    assert added.status_code == 201 and added.json["added"] == 12
    assert admin.post(f"{BASE}/municipal-calendar/regular",
                      json={"year": today.year, "weekday": 2, "week": 1}).json["added"] == 0  # once
    admin.post(f"{BASE}/municipal-calendar/regular", json={"year": today.year + 1, "weekday": 2, "week": 1})
    days = sorted(date.fromisoformat(m["held_on"]) for m in admin.get(f"{BASE}/municipal-calendar").json)
    delivered_on = today - timedelta(days=20)
    expected = min(d for d in days if d >= delivered_on + timedelta(days=3))
    motion = admin.get(url).json
    assert motion["answer_due"] == expected.isoformat() and motion["answer_due_estimated"] is False
    assert motion["overdue"] is (today > expected)
    # An extraordinary meeting sooner moves the due date forward.
    sooner = delivered_on + timedelta(days=4)
    if sooner < expected:
        made = admin.post(f"{BASE}/municipal-calendar", json={"held_on": sooner.strftime("%d.%m.%Y"),
                                                              "kind": "extraordinary"})
        assert made.status_code == 201
        assert admin.get(url).json["answer_due"] == sooner.isoformat()
        twice = admin.post(f"{BASE}/municipal-calendar", json={"held_on": sooner.isoformat()})
        assert twice.status_code == 409 and "held_on" in twice.json["errors"]
    # A bad date is refused naming the field; nothing is added.
    count = len(admin.get(f"{BASE}/municipal-calendar").json)
    bad = admin.post(f"{BASE}/municipal-calendar", json={"held_on": "31.02.2027"})
    assert bad.status_code == 422 and "held_on" in bad.json["errors"]
    assert len(admin.get(f"{BASE}/municipal-calendar").json) == count


def test_the_answer_carries_its_real_date_and_implementation_follows(app, world, api):

    today = date.today()
    council, admin, url = _delivered_motion(app, world, api, today - timedelta(days=40))
    # No step before the municipal council has answered.
    early = admin.post(f"{url}/milestones", json={"state": "planned", "day": today.isoformat()})
    assert early.status_code == 409
    future = admin.post(f"{url}/answer", json={"answer": "accepted",
                                               "municipal_decision_date": (today + timedelta(days=1)).isoformat()})
    assert future.status_code == 422 and "municipal_decision_date" in future.json["errors"]
    before = admin.post(f"{url}/answer", json={"answer": "accepted",
                                               "municipal_decision_date": (today - timedelta(days=41)).isoformat()})
    assert before.status_code == 422 and "municipal_decision_date" in before.json["errors"]
    # Recorded late, dated when the municipal council decided (the audit keeps both).
    decided = today - timedelta(days=10)
    answered = admin.post(f"{url}/answer", json={"answer": "accepted", "municipal_decision_date": decided.isoformat(),
                                                 "municipal_decision_number": "2026/77"})
    assert answered.status_code == 200 and answered.json["municipal_decision_date"] == decided.isoformat()
    steps = [("planned", today - timedelta(days=8), "Programa alındı"), ("in_progress", today - timedelta(days=3), None)]
    for state, day, note in steps:
        made = admin.post(f"{url}/milestones", json={"state": state, "day": day.isoformat(), "note": note})
        assert made.status_code == 201, made.json
    refused = admin.post(f"{url}/milestones", json={"state": "done", "day": (today + timedelta(days=5)).isoformat()})
    assert refused.status_code == 422 and "day" in refused.json["errors"]
    assert [m["state"] for m in admin.get(f"{url}/milestones").json] == ["planned", "in_progress"]
    admin.post(f"{url}/milestones", json={"state": "done", "day": today.isoformat(), "note": "Tamamlandı"})

    # The public tracker: anyone reads it, filters it, subscribes to it.
    public = app.test_client()
    page = public.get("/izmir/tracker", headers={"Accept-Language": "tr"}).get_data(as_text=True)
    assert "Bisiklet yolu" in page and "2026/77" in page and "Programa alındı" in page
    implemented = public.get("/izmir/tracker?state=implemented").get_data(as_text=True)
    assert implemented.count('data-testid="tracked-motion"') == 1
    assert public.get("/izmir/tracker?state=overdue").get_data(as_text=True).count('data-testid="tracked-motion"') == 0
    feed = public.get("/izmir/tracker.atom")
    assert feed.status_code == 200 and feed.mimetype == "application/atom+xml"
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    entries = ET.fromstring(feed.data).findall(f"{atom}entry")
    assert len(entries) == 1 and "Bisiklet yolu" in entries[0].find(f"{atom}title").text
    import feedparser  # what feed readers use: it reads the feed with nothing to forgive (no "bozo")

    read = feedparser.parse(feed.data)
    assert not read.bozo, read.get("bozo_exception")
    assert read.feed.link.startswith("http://konsey.test/") and read.entries[0].title.endswith("Bisiklet yolu")
    # The feed is dated by its newest entry, and a reader asking again with its tag gets 304.
    assert ET.fromstring(feed.data).find(f"{atom}updated").text == entries[0].find(f"{atom}updated").text
    assert public.get("/izmir/tracker.atom", headers={"If-None-Match": feed.headers["ETag"]}).status_code == 304
    # And asking "since" the date it was given: 304, until anything shown changes (a new step, here).
    since = {"If-Modified-Since": feed.headers["Last-Modified"]}
    assert public.get("/izmir/tracker.atom", headers=since).status_code == 304
    import time as clock

    clock.sleep(1.1)  # Last-Modified counts whole seconds
    admin.post(f"{url}/milestones", json={"state": "done", "day": today.isoformat(), "note": "Açılış yapıldı"})
    renewed = public.get("/izmir/tracker.atom", headers=since)
    assert renewed.status_code == 200 and renewed.headers["Last-Modified"] != since["If-Modified-Since"]
    newest = ET.fromstring(renewed.data).find(f"{atom}entry").find(f"{atom}updated").text
    assert ET.fromstring(renewed.data).find(f"{atom}updated").text == newest
    # Nothing written for ten days: the whole list is as it was, but the list of motions waiting for an answer
    # changes when a day passes (a due date goes by), so it is dated from the council's midnight.
    from email.utils import parsedate_to_datetime

    from sqlalchemy import update as write

    from konsey.core.motions import Motion as Written
    from konsey.tenants.db import db as database
    from konsey.tenants.models import Council, council_midnight
    from konsey.tenants.scoping import bound_council as scope

    long_ago = datetime.now(UTC).replace(microsecond=0) - timedelta(days=10)
    with app.app_context(), scope(council):
        database.session.execute(write(Written).values(changed_at=long_ago))
        database.session.execute(write(Council).where(Council.id == council).values(
            created_at=long_ago - timedelta(days=300)))
        database.session.commit()
    quiet = public.get("/izmir/tracker.atom")
    assert parsedate_to_datetime(quiet.headers["Last-Modified"]) == long_ago
    waiting = public.get("/izmir/tracker.atom?state=waiting")
    with app.app_context():
        assert parsedate_to_datetime(waiting.headers["Last-Modified"]) == council_midnight(today)
    # Its addresses are the installation's, whatever Host the request named.
    forged = public.get("/izmir/tracker.atom", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in forged and app.config["KONSEY_BASE_URL"].rstrip("/") + "/izmir/tracker" in forged
    # A title stored before control characters were refused (here written past the schemas) leaves it well-formed.
    from sqlalchemy import update

    from konsey.core.motions import Motion
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(council):
        db.session.execute(update(Motion).values(title="Bisiklet\x03 yolu"))
        db.session.commit()
    stored = public.get("/izmir/tracker.atom")
    assert "Bisiklet yolu" in ET.fromstring(stored.data).find(f"{atom}entry").find(f"{atom}title").text
    # The audit chain keeps the states and dates, never the notes (free text).
    from sqlalchemy import select

    from konsey.core.audit import AuditEntry

    with app.app_context(), bound_council(council):
        details = [e.details for e in db.session.scalars(select(AuditEntry).where(
            AuditEntry.action.in_(["motion.milestone", "motion.answered"])))]
    assert any(d.get("decided_on") == decided.isoformat() for d in details)
    assert not any("Programa" in str(d) or "Tamamlandı" in str(d) for d in details)


def test_a_calendar_is_imported_from_ics_or_csv(app, world, api):
    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    ics = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Belediye//TR\r\n"
           "BEGIN:VEVENT\r\nUID:1@bel\r\nDTSTART;VALUE=DATE:20270106\r\nSUMMARY:Ocak olağan meclis\r\nEND:VEVENT\r\n"
           "BEGIN:VEVENT\r\nUID:2@bel\r\nDTSTART:20270120T140000Z\r\nSUMMARY:Olağanüstü meclis\r\nEND:VEVENT\r\n"
           "END:VCALENDAR\r\n")
    imported = admin.post(f"{BASE}/municipal-calendar/import", data=ics.encode(),
                          headers={"Content-Type": "text/calendar"})
    assert imported.status_code == 201 and imported.json["added"] == 2
    kinds = {m["held_on"]: m["kind"] for m in admin.get(f"{BASE}/municipal-calendar?year=2027").json}
    assert kinds == {"2027-01-06": "regular", "2027-01-20": "extraordinary"}
    csv_file = "date,kind\n03.02.2027,regular\n2027-01-06,regular\n"
    assert admin.post(f"{BASE}/municipal-calendar/import", data=csv_file.encode()).json["added"] == 1
    broken = admin.post(f"{BASE}/municipal-calendar/import", data=b"date\n31.31.2027\n")
    assert broken.status_code == 422 and "file" in broken.json["errors"]
    # Another council sees none of it and cannot remove it.
    other = world.council("nilufer")
    other_admin = api(world.token(world.user("gs@nilufer.example.org", roles={other: "administrator"}), other))
    assert other_admin.get("/api/v1/councils/nilufer/municipal-calendar").json == []
    entry = admin.get(f"{BASE}/municipal-calendar").json[0]["id"]
    assert other_admin.delete(f"/api/v1/councils/nilufer/municipal-calendar/{entry}").status_code == 404
    assert len(admin.get(f"{BASE}/municipal-calendar").json) == 3


def test_the_calendar_page_adds_a_years_meetings(app, world, secretary):
    client = secretary["client"]
    year = date.today().year
    page = client.get(f"/izmir/motions/calendar?year={year}")
    assert page.status_code == 200
    client.post("/izmir/motions/calendar/regular", data={"year": str(year), "week": "1", "weekday": "2"})
    listed = client.get(f"/izmir/motions/calendar?year={year}").get_data(as_text=True)
    assert listed.count('data-testid="municipal-meeting"') == 12
    bad = client.post("/izmir/motions/calendar", data={"held_on": "yarın", "kind": "regular"}, follow_redirects=True)
    assert bad.status_code == 200 and listed.count('data-testid="municipal-meeting"') == 12


def test_the_federation_sees_answers_in_time_and_implementation(app, world, api):
    """Share answered by the due date, median days to the answer, share implemented: per council, aggregates only."""

    from konsey.core import federation

    today = date.today()
    council, admin, url = _delivered_motion(app, world, api, today - timedelta(days=30))
    admin.post(f"{BASE}/municipal-calendar", json={"held_on": (today - timedelta(days=20)).isoformat()})
    assert admin.get(url).json["answer_due"] == (today - timedelta(days=20)).isoformat()
    admin.post(f"{url}/answer", json={"answer": "accepted",
                                      "municipal_decision_date": (today - timedelta(days=20)).isoformat()})
    admin.post(f"{url}/milestones", json={"state": "done", "day": today.isoformat()})
    with app.app_context():
        figures = federation.compute(today)[council]
    assert figures["answered_in_time_share"] == 1.0
    assert figures["implemented_share"] == 1.0
    assert figures["median_days_to_answer"] == 10
    assert figures["motions_overdue"] == 0


def test_a_year_outside_the_calendar_is_refused_not_a_server_error(world, api):
    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    refused = admin.get(f"{BASE}/municipal-calendar?year=0")  # the fuzzer's find: a 500 (year 0 is out of range)
    assert refused.status_code == 422 and "year" in refused.json["errors"]


def test_odd_input_is_refused_and_no_answer_is_skipped(app, world, api):
    """Found in review: a motion could be moved to "followed up" with no answer; a calendar with an event whose
    start is no date, or a CSV field too long for the csv module, answered 500; so did "²²²²" as a year."""

    council, admin, url = _delivered_motion(app, world, api, date.today() - timedelta(days=5))
    skipped = admin.post(f"{url}/status", json={"status": "followed_up"})
    assert skipped.status_code == 409 and admin.get(url).json["status"] == "delivered"
    bad_ics = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//TR\r\nBEGIN:VEVENT\r\nUID:1\r\n"
               "DTSTART:yarın\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    refused = admin.post(f"{BASE}/municipal-calendar/import", data=bad_ics.encode())
    assert refused.status_code == 422 and "file" in refused.json["errors"]
    cancelled = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//TR\r\nBEGIN:VEVENT\r\nUID:1\r\n"
                 "DTSTART;VALUE=DATE:20270106\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    assert admin.post(f"{BASE}/municipal-calendar/import", data=cancelled.encode()).json["added"] == 0
    huge = ("date\n" + "1" * 200_000 + "\n").encode()
    assert admin.post(f"{BASE}/municipal-calendar/import", data=huge).status_code == 422
    public = app.test_client()
    assert public.get("/izmir/tracker?year=²²²²").status_code == 200
    assert public.get("/izmir/tracker.atom?year=²²²²").status_code == 200


def test_today_is_the_councils_day_not_the_servers(app, world):
    """A decision recorded just after midnight in the council's zone is dated that day (the server's clock is UTC):
    the follow-up's "not in the future" and "overdue" use the council's today."""
    from datetime import UTC, datetime

    from konsey.tenants.db import db
    from konsey.tenants.models import Council, council_today
    from konsey.tenants.scoping import bound_council

    council = world.council("izmir")
    with app.app_context(), bound_council(council):
        db.session.get(Council, council).timezone = "Pacific/Kiritimati"  # UTC+14: most often tomorrow
        db.session.flush()
        before = (datetime.now(UTC) + timedelta(hours=14)).date()
        today = council_today()
        after = (datetime.now(UTC) + timedelta(hours=14)).date()
        assert today in (before, after)
        db.session.rollback()


def test_overdue_is_counted_in_sql_as_the_rule_says(app, world):
    """The dashboard and the daily flag count overdue motions in SQL (every delivered motion carries its due date;
    migration 0033 filled in older ones): the same verdict as the pure rule, motion by motion."""
    import importlib.util
    from datetime import date
    from pathlib import Path

    from alembic.migration import MigrationContext
    from alembic.operations import Operations
    from sqlalchemy import create_engine, func, select, update

    from conftest import adopted_motion
    from konsey.core import motions
    from konsey.core.motions import Motion, MotionStatus
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    council = world.council("izmir")
    member = world.member(council, name="Ayşe Kaya")
    world.body_with_seat(council, member)
    ids = [adopted_motion(app, world, council, title=f"Önerge {n}", member_id=member) for n in range(4)]
    today = date(2027, 3, 10)
    with app.app_context(), bound_council(council):
        rows = [db.session.get(Motion, i) for i in ids]
        for motion, delivered in zip(rows[:3], (date(2027, 1, 5), date(2027, 2, 20), date(2026, 12, 1)),
                                     strict=True):
            motions.advance(motion, MotionStatus.QUEUED)
            motions.advance(motion, MotionStatus.SENT)
            motions.advance(motion, MotionStatus.DELIVERED, delivered_on=delivered)
        rows[2].status = MotionStatus.ANSWERED  # answered: never overdue
        db.session.commit()
        # As before 0028: one delivered motion without its due date.
        db.session.execute(update(Motion).where(Motion.id == rows[0].id).values(answer_due_on=None))
        db.session.commit()
    engine = create_engine(app.config["KONSEY_MIGRATION_DATABASE_URL"])
    path = next((Path(__file__).parent.parent / "platform/migrations/versions").glob("0033_*.py"))
    spec = importlib.util.spec_from_file_location("migration_0033", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with engine.begin() as connection, Operations.context(MigrationContext.configure(connection)):
        migration.fill_estimated_due_dates()
    engine.dispose()
    with app.app_context(), bound_council(council):
        rows = [db.session.get(Motion, i) for i in ids]
        assert rows[0].answer_due_on == date(2027, 2, 28) and rows[0].answer_due_estimated
        for day in (today, date(2027, 2, 28), date(2027, 3, 1), date(2027, 4, 1), today + timedelta(days=60)):
            by_rule = {m.id for m in rows if motions.is_overdue(m, day)}
            in_sql = set(db.session.scalars(select(Motion.id).where(motions.overdue_condition(day))))
            assert in_sql == by_rule, day
        assert db.session.scalar(select(func.count(Motion.id)).where(motions.overdue_condition(today))) == 1


def test_the_secretariat_is_told_of_overdue_motions_in_its_language_with_their_pages(app, world, api, mailbox):
    """The daily notice of overdue motions: in the council's language (it was Turkish words in any council),
    saying what the list is, each motion with a link to its page (so the mail has an HTML part too)."""
    from konsey.usecases import system
    from konsey.usecases.base import SYSTEM, acting_as

    council, admin, url = _delivered_motion(app, world, api, date.today() - timedelta(days=120))
    assert admin.get(url).json["overdue"] is True
    with app.app_context(), acting_as(SYSTEM):
        assert system.flag_overdue_motions() == 1
    [message] = mailbox.wait_for(1)
    assert message["Subject"].endswith("yanıtı gecikmiş önergeler")
    text = message.get_body(("plain",)).get_content()
    assert "zamanında yanıtlamadı" in text and f"http://konsey.test/izmir/motions/{url.rsplit('/', 1)[1]}" in text
    assert message.get_body(("html",)) is not None


def test_the_trackers_year_is_the_councils(app, world):
    """A motion adopted at 00:30 on 1 January in İstanbul is of the new year on the public tracker (the year was
    UTC's, which still said 31 December)."""
    from datetime import UTC, datetime

    from konsey.core.motions import Motion, MotionStatus
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council
    from support.clients import adopted_motion

    council = world.council("izmir")
    motion_id = adopted_motion(app, world, council, title="Yılbaşı gecesi kararı")
    with app.app_context(), bound_council(council):
        motion = db.session.get(Motion, motion_id)
        motion.adopted_at = datetime(2026, 12, 31, 21, 30, tzinfo=UTC)  # 00:30, 1 January 2027 in İstanbul
        motion.status = MotionStatus.SENT
        db.session.commit()
    public = app.test_client()
    assert "Yılbaşı gecesi kararı" in public.get("/izmir/tracker?year=2027").get_data(as_text=True)
    assert "Yılbaşı gecesi kararı" not in public.get("/izmir/tracker?year=2026").get_data(as_text=True)
    assert 'value="2027"' in public.get("/izmir/tracker").get_data(as_text=True)
