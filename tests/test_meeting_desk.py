"""The meeting desk page: institutions check in through a representative, substitutes fill absent seats."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from conftest import login
from support.world import sitting_now


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
        when, called = sitting_now()
        meeting = schedule(board, MeetingKind.ORDINARY, "Kurul", when, None, ["Park"], now=called)
        db.session.commit()
        return council, meeting.id, principals, chamber, substitute, rep.id


def test_desk_checks_in_a_representative_and_a_substitute(sqlite_app, world):
    council, meeting_id, principals, chamber, substitute, rep_id = _board_meeting(sqlite_app, world)
    client = sqlite_app.test_client()
    login(client, "gs@izmir.example.org")
    url = f"/izmir/meetings/{meeting_id}"
    page = client.get(url).get_data(as_text=True)
    # One line per person entitled to sit; the institution's only valid representative is preselected, and
    # the substitute's line offers the empty seats.
    assert page.count('data-testid="roster-row"') == 4 and "Oya Er" in page
    assert f'name="representative_id" value="{rep_id}"' in page
    assert f'id="for-{substitute}"' in page and "Yedek Üye" in page

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


def test_a_tap_answers_the_line_and_the_quorum_without_a_reload(sqlite_app, world):
    council, meeting_id, principals, chamber, substitute, rep_id = _board_meeting(sqlite_app, world)
    client = sqlite_app.test_client()
    login(client, "gs@izmir.example.org")
    url = f"/izmir/meetings/{meeting_id}"
    answer = client.post(f"{url}/attendance", data={"member_id": str(principals[0])}, headers={"HX-Request": "true"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "<html" not in html  # a fragment, not the page
    assert f'id="m-{principals[0]}"' in html and "state-present" in html
    assert 'id="quorum"' in html and 'data-hx-swap-oob="true"' in html and "1 / 3" in html
    assert 'id="attendance-tally"' in html and "1 salonda" in html or "1 present" in html
    again = client.post(f"{url}/attendance", data={"member_id": str(principals[0])}, headers={"HX-Request": "true"})
    assert again.status_code == 409 and "already checked in" in again.get_data(as_text=True).lower() or \
        "zaten" in again.get_data(as_text=True)
    left = client.post(f"{url}/attendance/{principals[0]}/leave", headers={"HX-Request": "true"})
    assert "state-left" in left.get_data(as_text=True) and "0 / 3" in left.get_data(as_text=True)
    excused = client.post(f"{url}/absences", data={"member_id": str(principals[1]), "reason": "Hastalık"},
                          headers={"HX-Request": "true"})
    assert "state-excused" in excused.get_data(as_text=True)
    # Without JavaScript the same tap goes back to the same line of the desk.
    plain = client.post(f"{url}/attendance", data={"member_id": str(principals[0])})
    assert plain.status_code == 302 and plain.headers["Location"].endswith(f"#m-{principals[0]}")


def _open_vote(client, url, meeting_id, kind, app, council):
    from konsey.core.meetings import AgendaItem
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(council):
        item = db.session.scalar(select(AgendaItem).where(AgendaItem.meeting_id == meeting_id))
    client.post(f"{url}/items/{item.id}/votes", data={"kind": kind})
    from konsey.core.meetings import Vote

    with app.app_context(), bound_council(council):
        return db.session.scalar(select(Vote).where(Vote.agenda_item_id == item.id, Vote.closed_at.is_(None)))


def _sitting_with_everyone(sqlite_app, world):
    """The board meeting with every principal checked in at the desk's page: (council, meeting, principals,
    the signed-in desk, its address)."""
    council, meeting_id, principals, _chamber, _substitute, _rep = _board_meeting(sqlite_app, world)
    client = sqlite_app.test_client()
    login(client, "gs@izmir.example.org")
    url = f"/izmir/meetings/{meeting_id}"
    for member_id in principals:
        client.post(f"{url}/attendance", data={"member_id": str(member_id)})
    return council, meeting_id, principals, client, url


def test_a_show_of_hands_is_entered_as_counts_and_a_roll_call_as_one_list(sqlite_app, world):
    from konsey.core.meetings import Ballot, Vote
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    council, meeting_id, principals, chamber, substitute, rep_id = _board_meeting(sqlite_app, world)
    client = sqlite_app.test_client()
    login(client, "gs@izmir.example.org")
    url = f"/izmir/meetings/{meeting_id}"
    for member_id in principals:
        client.post(f"{url}/attendance", data={"member_id": str(member_id)})
    vote = _open_vote(client, url, meeting_id, "open", sqlite_app, council)
    too_many = client.post(f"{url}/votes/{vote.id}/counts", data={"yes": "3", "no": "0", "abstain": "0"},
                           follow_redirects=True)
    assert "2" in too_many.get_data(as_text=True) and "present" in too_many.get_data(as_text=True).lower() or \
        "hazır" in too_many.get_data(as_text=True)
    client.post(f"{url}/votes/{vote.id}/counts", data={"yes": "2", "no": "0", "abstain": "0"})
    client.post(f"{url}/votes/{vote.id}/close", data={})
    with sqlite_app.app_context(), bound_council(council):
        closed = db.session.get(Vote, vote.id)
        assert (closed.yes, closed.no, closed.outcome) == (2, 0, "adopted") and closed.decision_number

    roll = _open_vote(client, url, meeting_id, "roll_call", sqlite_app, council)
    assert 'name="choice-' in client.get(url).get_data(as_text=True)
    refused = client.post(f"{url}/votes/{roll.id}/roll-call",
                          data={f"choice-{principals[0]}": "yes", f"choice-{chamber}": "no"})
    assert refused.status_code == 302
    with sqlite_app.app_context(), bound_council(council):
        assert db.session.scalar(select(func.count()).select_from(Ballot).where(Ballot.vote_id == roll.id)) == 0
    client.post(f"{url}/votes/{roll.id}/roll-call", data={f"choice-{principals[0]}": "yes",
                                                          f"choice-{principals[1]}": "no"})
    with sqlite_app.app_context(), bound_council(council):
        ballots = {b.member_id: b.choice.value for b in db.session.scalars(select(Ballot).where(Ballot.vote_id == roll.id))}
    assert ballots == {principals[0]: "yes", principals[1]: "no"}
    # Counts are not for a roll call, and named ballots are not for counts.
    refused = client.post(f"{url}/votes/{roll.id}/counts", data={"yes": "2", "no": "0"}, follow_redirects=True)
    assert "name by name" in refused.get_data(as_text=True) or "tek tek" in refused.get_data(as_text=True)
    with sqlite_app.app_context(), bound_council(council):
        from konsey.core.votes import count_of

        running = count_of(db.session.get(Vote, roll.id))  # the totals are written at the close
        assert (running.totals["yes"], running.totals["no"]) == (1, 1) and running.turnout == {"roll_call": 2}


def test_the_minutes_list_who_was_present_excused_and_absent(sqlite_app, world):
    import io

    from pypdf import PdfReader

    council, meeting_id, principals, chamber, substitute, rep_id = _board_meeting(sqlite_app, world)
    client = sqlite_app.test_client()
    login(client, "gs@izmir.example.org")
    url = f"/izmir/meetings/{meeting_id}"
    client.post(f"{url}/attendance", data={"member_id": str(principals[0])})
    client.post(f"{url}/absences", data={"member_id": str(principals[1]), "reason": "Yurt dışında"})
    pdf = client.get(f"{url}/minutes.pdf").data
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Ayşe Kaya" in text and "Yurt dışında" in text
    absent_part = text.split("Katılmayanlar")[1] if "Katılmayanlar" in text else text.split("Absent")[1]
    assert "Mimarlar Odası" in absent_part and "Ayşe Kaya" not in absent_part


def test_a_ballots_seat_is_the_one_the_whole_roster_gives(sqlite_app, world):
    """meetings.acting_seat (a ballot asks about one person) agrees with filled_seats (the desk's whole
    roster) for everyone, in every state: present, absent, a substitute for an absent or a present principal,
    someone who left."""
    from konsey.core import meetings
    from konsey.core.bodies import Body
    from konsey.core.bylaws import parameters_on
    from konsey.core.meetings import Attendance, Meeting
    from konsey.core.membership import Member
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    council, meeting_id, principals, chamber, substitute, rep_id = _board_meeting(sqlite_app, world)
    with sqlite_app.app_context(), bound_council(council):
        meeting = db.session.get(Meeting, meeting_id)
        body = db.session.get(Body, meeting.body_id)
        bylaws = parameters_on(meeting.day)
        everyone = [*principals, chamber, substitute]

        def agree():
            filled = {person: seat for seat, person in meetings.filled_seats(meeting, body, bylaws).items()}
            for person in everyone:
                assert meetings.acting_seat(meeting, body, bylaws, person) == filled.get(person), person

        agree()  # nobody there
        meetings.check_in(meeting, db.session.get(Member, principals[1]), online=False)
        meetings.check_in(meeting, db.session.get(Member, substitute), online=False,
                          stands_in_for_id=principals[0])
        agree()  # a principal present, a substitute filling an absent principal's seat
        assert meetings.acting_seat(meeting, body, bylaws, substitute) == principals[0]
        for leaving in (substitute, principals[1]):
            db.session.scalar(select(Attendance).where(Attendance.member_id == leaving)).left_at = datetime.now(UTC)
        db.session.flush()
        agree()  # the substitute and a principal left
        assert meetings.acting_seat(meeting, body, bylaws, principals[1]) is None
        meetings.check_in(meeting, db.session.get(Member, principals[0]), online=False)
        agree()  # the absent principal arrives and votes for their own seat
        assert meetings.acting_seat(meeting, body, bylaws, principals[0]) == principals[0]
        db.session.rollback()


def test_the_desk_records_a_seat_by_name_or_its_paper_ballot_and_the_page_shows_every_channel(sqlite_app, world):
    from konsey.core.meetings import Vote
    from konsey.core.votes import count_of
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    council, meeting_id, principals, client, url = _sitting_with_everyone(sqlite_app, world)
    vote = _open_vote(client, url, meeting_id, "open", sqlite_app, council)
    page = client.get(url).get_data(as_text=True)
    assert 'data-testid="by-name"' in page and 'data-testid="hall-counts"' in page
    client.post(f"{url}/votes/{vote.id}/ballots", data={"member_id": str(principals[0]), "how": "abstain"})
    client.post(f"{url}/votes/{vote.id}/ballots", data={"member_id": str(principals[1]), "how": "paper"})
    refused = client.post(f"{url}/votes/{vote.id}/ballots", data={"member_id": str(principals[1]), "how": "yes"},
                          follow_redirects=True)
    assert "zaten oy" in refused.get_data(as_text=True)  # one vote per seat, whatever the channel
    client.post(f"{url}/votes/{vote.id}/counts", data={"yes": "1", "no": "0", "abstain": "0"})
    with sqlite_app.app_context(), bound_council(council):
        running = count_of(db.session.get(Vote, vote.id))
    assert running.turnout == {"desk": 1, "paper": 1, "hall": 1} and running.totals == {"yes": 1, "no": 0,
                                                                                         "abstain": 1}
    page = client.get(url).get_data(as_text=True)
    assert 'data-testid="confirm-close"' not in page or "2 oy kullandı" in page
    closed = client.post(f"{url}/votes/{vote.id}/close", data={"confirm": "true"}, follow_redirects=True)
    shown = closed.get_data(as_text=True)
    assert 'data-testid="channels"' in shown and "Divanda: 1 (0 evet, 0 hayır, 1 çekimser)" in shown and "Salon: 1" in shown


def test_a_general_assembly_opens_from_the_desk_page_board_agenda_and_a_floor_motion(sqlite_app, world):
    """The desk's procedure forms, without script: the slate's pickers come as a page of their own (with script,
    as a fragment when opened), the slate goes to the vote, and a floor motion is entered, read and refused."""
    from conftest import ApiClient, sitting

    council = world.council("izmir")
    token = world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council)
    people = [str(world.member(council, name=f"Genel Kurul Üyesi {n}")) for n in range(5)]
    admin = ApiClient(sqlite_app.test_client(), token)
    bodies = {b["kind"]: b["id"] for b in admin.get("/api/v1/councils/izmir/bodies").json}
    meeting_id = sitting(admin, "/api/v1/councils/izmir", bodies["general_assembly"], people, title="Genel Kurul")
    client = sqlite_app.test_client()
    login(client, "gs@izmir.example.org")
    url = f"/izmir/meetings/{meeting_id}"
    desk = client.get(url).get_data(as_text=True)
    opening = desk[desk.find('id="opening"'):][:3000]
    assert 'data-testid="propose-board-form"' in desk, opening
    assert 'name="clerk_1"' not in desk  # the pickers come when the form is opened
    form = client.get(f"{url}/procedure/board")
    assert form.status_code == 200 and form.get_data(as_text=True).count("Genel Kurul Üyesi 3") == 4
    fragment = client.get(f"{url}/procedure/board", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and 'name="clerk_1"' in fragment
    assert client.get(f"{url}/procedure/elsewhere").status_code == 404
    client.post(f"{url}/presiding-board", data={"chair": people[0], "vice_chair_0": people[1],
                                                 "clerk_0": people[2], "clerk_1": people[3]})
    vote = next(v for v in admin.get(f"/api/v1/councils/izmir/meetings/{meeting_id}/votes").json
                if v["purpose"] == "presiding_board")
    assert 'data-testid="slate-voting"' in client.get(url).get_data(as_text=True)
    admin.put(f"/api/v1/councils/izmir/meetings/{meeting_id}/votes/{vote['id']}/counts",
              json={"yes": 5, "no": 0, "abstain": 0})
    client.post(f"{url}/votes/{vote['id']}/close", data={})
    shown = client.get(url).get_data(as_text=True)
    assert 'data-testid="presiding-board"' in shown and "Genel Kurul Üyesi 0" in shown
    client.post(f"{url}/floor-motions", data={"member_id": people[4], "kind": "procedure",
                                              "text": "Oturuma on dakika ara verilsin."})
    shown = client.get(url).get_data(as_text=True)
    assert "Oturuma on dakika ara verilsin." in shown and 'data-testid="read-floor-motion"' in shown
    motion = admin.get(f"/api/v1/councils/izmir/meetings/{meeting_id}/floor-motions").json[0]["id"]
    client.post(f"{url}/floor-motions/{motion}/reading")
    refused = client.post(f"{url}/floor-motions/{motion}/refusal", data={"reason": "Ara saatinde verilecek."},
                          follow_redirects=True).get_data(as_text=True)
    fate = admin.get(f"/api/v1/councils/izmir/meetings/{meeting_id}/floor-motions").json[0]
    assert fate["status"] == "refused", refused[refused.find('id="floor-motions"'):][:1500]
    assert "Ara saatinde verilecek." in refused


def test_the_desk_tells_apart_two_people_of_one_name_and_says_the_meeting_sits(sqlite_app, world):
    """The board's pickers name a person's member number when another present has the same name, and the desk
    says the meeting is in session once it sits (not "scheduled")."""
    from conftest import ApiClient, sitting

    council = world.council("izmir")
    token = world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council)
    people = [str(world.member(council, name=name)) for name in ("Ali Yılmaz", "Ali Yılmaz", "Ece Kar")]
    admin = ApiClient(sqlite_app.test_client(), token)
    bodies = {b["kind"]: b["id"] for b in admin.get("/api/v1/councils/izmir/bodies").json}
    meeting_id = sitting(admin, "/api/v1/councils/izmir", bodies["general_assembly"], people, title="Genel Kurul")
    client = sqlite_app.test_client()
    login(client, "gs@izmir.example.org")
    form = client.get(f"/izmir/meetings/{meeting_id}/procedure/board").get_data(as_text=True)
    numbers = re.findall(r"Ali Yılmaz \((?:üye no\.|member no\.) (\d+)\)", form)
    assert len(set(numbers)) == 2 and "Ece Kar (" not in form
    desk = client.get(f"/izmir/meetings/{meeting_id}").get_data(as_text=True)
    status = re.search(r'data-testid="meeting-status">([^<]+)<', desk).group(1)
    assert status.strip() in ("Oturum sürüyor", "in session")
