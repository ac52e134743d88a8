"""The meeting desk of a large general assembly: its statements do not grow with the membership, and the page
stays small (a page of the checklist, the counts for everyone). Measured at 50 and at 5,000 members."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from conftest import login


def _general_assembly(app, world, size: int, slug: str):
    """A council whose general assembly has ``size`` active members (inserted in bulk), a meeting in progress
    with three fifths of them checked in (a quarter of those online), an open show of hands and an open roll call."""
    from konsey.core import meetings, votes
    from konsey.core.bodies import Body, BodyKind
    from konsey.core.meetings import AgendaItem, Attendance, MeetingKind, VoteKind
    from konsey.core.membership import Member, MemberCategory, MemberKind, MemberStatus
    from konsey.core.text import search_key, turkish_sort_key
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    council = world.council(slug)
    world.user(f"gs@{slug}.example.org", roles={council: "administrator"})
    names = [f"Üye {index:05d} Çağlar" for index in range(size)]
    with app.app_context(), bound_council(council):
        db.session.execute(insert(Member), [
            {"id": uuid.uuid4(), "council_id": council, "member_no": index + 1, "kind": MemberKind.INDIVIDUAL,
             "category": MemberCategory.INDIVIDUAL, "name": name, "sort_name": turkish_sort_key(name), "search_name": search_key(name),
             "status": MemberStatus.ACTIVE, "joined_on": date(2025, 1, 1), "created_at": datetime.now(UTC)}
            for index, name in enumerate(names)])
        assembly = db.session.scalar(select(Body).where(Body.kind == BodyKind.GENERAL_ASSEMBLY))
        starts = datetime.now(UTC) - timedelta(minutes=1)  # began: votes open at the start
        meeting = meetings.schedule(assembly, MeetingKind.ORDINARY, "Genel Kurul", starts, None, ["Bütçe", "Park"],
                                    now=starts - timedelta(days=30))
        present = db.session.scalars(select(Member.id).order_by(Member.member_no).limit(size * 3 // 5)).all()
        db.session.execute(insert(Attendance), [
            {"id": uuid.uuid4(), "council_id": council, "meeting_id": meeting.id, "member_id": member_id,
             "online": index % 4 == 0, "arrived_at": datetime.now(UTC)} for index, member_id in enumerate(present)])
        first, second = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                                           .order_by(AgendaItem.position)).all()
        decided = votes.open_vote(meeting, assembly, first, VoteKind.OPEN)  # decided, then the roll call open
        votes.record_counts(decided, meeting, assembly, yes=len(present) // 2, no=0, abstain=0)
        votes.close_vote(decided, meeting, assembly, confirm=True)
        votes.open_vote(meeting, assembly, second, VoteKind.ROLL_CALL)
        db.session.commit()
        return meeting.id


def _measure(app, slug, meeting_id) -> tuple[int, int, str]:
    from support.statements import statements_sent

    client = app.test_client()
    login(client, f"gs@{slug}.example.org")
    client.get(f"/{slug}/meetings/{meeting_id}")  # warm: the first request loads what every request reuses
    with statements_sent(app) as statements:
        response = client.get(f"/{slug}/meetings/{meeting_id}")
    assert response.status_code == 200
    return len(statements), len(response.data), response.get_data(as_text=True)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_desk_costs_the_same_statements_for_50_and_5000_members(backend, sqlite_app, request, world):
    app = sqlite_app if backend == "sqlite" else request.getfixturevalue("postgres_app")
    from support.world import World

    world = World(app)
    small = _general_assembly(app, world, 50, "kucuk")
    large = _general_assembly(app, world, 5000, "buyuk")
    small_statements, small_bytes, _ = _measure(app, "kucuk", small)
    large_statements, large_bytes, page = _measure(app, "buyuk", large)
    assert large_statements == small_statements, (small_statements, large_statements)
    # A fixed number whatever the size (the line above): the roster, the quorum, the votes and their channels,
    # the speakers, the passes, the assembly's opening and its floor motions, each in a statement or two.
    assert large_statements <= 36
    assert large_bytes <= 300_000, large_bytes
    # The page says the truth about everyone while it lists only a page of them.
    assert "2.250 salonda, 750 çevrim içi" in page, page[page.find("attendance-tally"):][:300]
    assert page.count('data-testid="roster-row"') == 60
    assert 'id="roster-more"' in page
    # The open roll call: the first 60 of the 3,000 seats still to answer, in name order, and how many wait.
    assert page.count('type="radio" name="choice-') == 3 * 60
    assert "3000 sandalyeden 60" in page, page[page.find("Yoklamalı"):][:400]


def test_the_desk_finds_a_name_among_thousands_and_pages_on(sqlite_app, world):
    meeting_id = _general_assembly(sqlite_app, world, 300, "buyuk")
    client = sqlite_app.test_client()
    login(client, "gs@buyuk.example.org")
    found = client.get(f"/buyuk/meetings/{meeting_id}/roster?q=00123").get_data(as_text=True)
    assert found.count('data-testid="roster-row"') == 1 and "Üye 00123 Çağlar" in found
    # Turkish casing: the search is case-insensitive the Turkish way.
    assert "Üye 00123" in client.get(f"/buyuk/meetings/{meeting_id}/roster?q=üYE 00123").get_data(as_text=True)
    assert "“zzz” içeren bir ad yok" in client.get(f"/buyuk/meetings/{meeting_id}/roster?q=zzz").get_data(as_text=True)
    second = client.get(f"/buyuk/meetings/{meeting_id}/roster?offset=60").get_data(as_text=True)
    assert second.count('data-testid="roster-row"') == 60 and "Üye 00060 Çağlar" in second
    assert "Üye 00059 Çağlar" not in second
    # Without script the same search is a plain form on the desk.
    plain = client.get(f"/buyuk/meetings/{meeting_id}?q=00299").get_data(as_text=True)
    assert plain.count('data-testid="roster-row"') == 1


def test_another_councils_roster_is_not_found(sqlite_app, world):
    meeting_id = _general_assembly(sqlite_app, world, 10, "buyuk")
    world.user("gs@nilufer.example.org", roles={world.council("nilufer"): "administrator"})
    client = sqlite_app.test_client()
    login(client, "gs@nilufer.example.org")
    assert client.get(f"/nilufer/meetings/{meeting_id}/roster?q=Üye").status_code == 404
    assert client.get(f"/buyuk/meetings/{meeting_id}/roster").status_code in (302, 403, 404)
