"""The meeting desk page: institutions check in through a representative, substitutes fill absent seats."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from conftest import login


def _board_meeting(app, world):
    from konsey.core.bodies import Body, BodyKind
    from konsey.core.meetings import MeetingKind, schedule
    from konsey.core.membership import Member
    from konsey.core.representatives import Capacity, appoint
    from konsey.core.seats import SeatRole, assign_seat
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    council = world.council("izmir")
    world.user("gs@izmir.example.org", roles={council: "administrator"})
    principals = [world.member(council, name=n) for n in ("Ayşe Kaya", "Mehmet Er")]
    chamber = world.member(council, category="professional_chamber", name="Mimarlar Odası", representative_name="Oya Er")
    substitute = world.member(council, name="Yedek Üye")
    with app.app_context(), bound_council(council):
        board = db.session.scalar(select(Body).where(Body.kind == BodyKind.EXECUTIVE_BOARD))
        for member_id in [*principals, chamber]:
            assign_seat(board, db.session.get(Member, member_id), SeatRole.PRINCIPAL, date(2026, 1, 1), None)
        assign_seat(board, db.session.get(Member, substitute), SeatRole.SUBSTITUTE, date(2026, 1, 1), None)
        rep = appoint(db.session.get(Member, chamber), Capacity.REPRESENTATIVE, "Oya Er", "2026/7",
                      date.today() + timedelta(days=365))
        meeting = schedule(board, MeetingKind.ORDINARY, "Kurul", datetime.now(UTC) + timedelta(days=3), None,
                           ["Park"])
        db.session.commit()
        return council, meeting.id, principals, chamber, substitute, rep.id


def test_desk_checks_in_a_representative_and_a_substitute(sqlite_app, world):
    council, meeting_id, principals, chamber, substitute, rep_id = _board_meeting(sqlite_app, world)
    client = sqlite_app.test_client()
    login(client, "gs@izmir.example.org")
    url = f"/izmir/meetings/{meeting_id}"
    page = client.get(url).get_data(as_text=True)
    assert 'id="checkin-representative"' in page and "Oya Er" in page
    assert 'id="checkin-stands-in"' in page and "Yedek Üye" in page

    # An institution without a representative is refused with the field named; nothing is recorded.
    refused = client.post(f"{url}/attendance", data={"member_id": str(chamber)}, follow_redirects=True)
    assert "kurumu kimin temsil" in refused.get_data(as_text=True).lower() or \
        "represents the institution" in refused.get_data(as_text=True)
    client.post(f"{url}/attendance", data={"member_id": str(chamber), "representative_id": str(rep_id)})
    client.post(f"{url}/attendance", data={"member_id": str(substitute), "stands_in_for_id": str(principals[0])})

    from konsey.core.meetings import Attendance
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with sqlite_app.app_context(), bound_council(council):
        rows = {a.member_id: a for a in db.session.scalars(select(Attendance))}
    assert set(rows) == {chamber, substitute}
    assert rows[chamber].representative_id == rep_id and rows[substitute].stands_in_for_id == principals[0]
    page = client.get(url).get_data(as_text=True)
    assert "2 / 3" in page  # the substitute fills Ayşe's seat; the chamber its own
    assert "Ayşe Kaya" in page and ("yerine" in page or "substitute for" in page)


def test_desk_of_another_council_is_not_found(sqlite_app, world):
    _council, meeting_id, *_ = _board_meeting(sqlite_app, world)
    other = world.council("nilufer", province=16)
    world.user("gs@nilufer.example.org", roles={other: "administrator"})
    client = sqlite_app.test_client()
    login(client, "gs@nilufer.example.org")
    assert client.get(f"/nilufer/meetings/{meeting_id}").status_code == 404
    assert client.post(f"/nilufer/meetings/{meeting_id}/attendance",
                       data={"member_id": str(uuid.uuid4())}).status_code == 404
