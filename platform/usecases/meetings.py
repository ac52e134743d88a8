"""Meetings: call one with notice, check people in and out, watch the quorum, vote, number decisions, excuse
absences, close it and print its minutes."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from konsey.core import (
    attendance_list,
    floor_motions,
    live,
    live_state,
    meetings,
    passes,
    presiding,
    sealed_boxes,
    speakers,
    votes,
)
from konsey.core.bodies import Body, BodyKind
from konsey.core.bylaws import parameters_on
from konsey.core.errors import Conflict, Invalid, NotFound
from konsey.core.meetings import (
    AgendaItem,
    Attendance,
    Ballot,
    ExcusedAbsence,
    Meeting,
    Vote,
    VoteKind,
    VotePurpose,
)
from konsey.core.membership import Member, in_order
from konsey.core.minutes import build_minutes, file_name
from konsey.core.motions import Motion
from konsey.core.permissions import Permission
from konsey.core.representatives import Representative
from konsey.core.rules import meetings as rules
from konsey.core.text import search_key, turkish_sort_key
from konsey.schemas.meetings import (
    AttendanceSchema,
    CancellationSchema,
    CloseVoteSchema,
    CountsSchema,
    DeskBallotSchema,
    ExcuseSchema,
    NewMeetingSchema,
    OpenVoteSchema,
    RescheduleSchema,
    RollCallSchema,
)
from konsey.tenants.db import db
from konsey.usecases import sealed
from konsey.usecases.base import (
    PER_PAGE,
    Page,
    command,
    current_actor,
    loaded,
    one,
    paginate,
    query,
    referenced,
)
from konsey.usecases.members import member_named


def meeting(meeting_id: uuid.UUID) -> Meeting:
    """The meeting every meeting use case works on; a presiding board's member acting from their phone reaches
    their own meeting only."""
    board_of = current_actor().board_of
    if board_of is not None and board_of != meeting_id:
        raise NotFound(_("Not found."))
    return one(Meeting, meeting_id)


def document_name(meeting_row: Meeting, what: str, version: int | None = None) -> str:
    """The file name a meeting's document is offered under (``tutanak-genel-kurul-2026-12-05.pdf``)."""
    return file_name(meeting_row, what, version)


def body_of(meeting_row: Meeting) -> Body:
    return db.session.get(Body, meeting_row.body_id)


def vote_of(meeting_row: Meeting, vote_id: uuid.UUID) -> Vote:
    vote = db.session.scalar(select(Vote).join(AgendaItem, AgendaItem.id == Vote.agenda_item_id)
                             .where(Vote.id == vote_id, AgendaItem.meeting_id == meeting_row.id))
    if vote is None:
        raise NotFound(_("Not found."))
    return vote


@dataclass
class MeetingDetail:
    meeting: Meeting
    agenda: list[AgendaItem]
    quorum: dict

    def __getattr__(self, name):  # the meeting's own fields, for the output schema
        return getattr(self.meeting, name)


def _detail(meeting_row: Meeting) -> MeetingDetail:
    agenda = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting_row.id)
                                .order_by(AgendaItem.position)).all()
    return MeetingDetail(meeting_row, agenda, meetings.quorum_status(meeting_row, body_of(meeting_row)))


@query(Permission.COUNCIL_VIEW)
def list_meetings(page: int = 1, per_page: int = PER_PAGE) -> Page:
    """The council's meetings, the latest first, a page at a time."""
    return paginate(select(Meeting).order_by(Meeting.scheduled_at.desc(), Meeting.id), page, per_page)


@query(Permission.COUNCIL_VIEW)
def show_meeting(meeting_id: uuid.UUID) -> MeetingDetail:
    """The meeting with its agenda and live quorum."""
    return _detail(meeting(meeting_id))


@command(Permission.MEETINGS_RUN, takes=NewMeetingSchema)
def call_meeting(data: dict) -> Meeting:
    """Call a meeting of a body with its agenda; the by-laws' notice period applies."""
    data = loaded(data)
    body = referenced(Body, data.get("body_id"), "body_id", _("Choose a body."))
    return meetings.schedule(body, data["kind"], data["title"], data["scheduled_at"], data.get("location"),
                             data.get("agenda") or [], reconvened=data.get("reconvened", False))


@command(Permission.MEETINGS_RUN, takes=RescheduleSchema)
def reschedule_meeting(meeting_id: uuid.UUID, data: dict) -> Meeting:
    """Move a meeting that has not sat to another time (or place); its invitees are told and their calendars
    updated. Bringing it forward needs the by-laws' notice from today."""
    meeting_row = meeting(meeting_id)
    data = loaded(data)
    return meetings.reschedule(meeting_row, data["scheduled_at"], data.get("location", meeting_row.location))


@command(Permission.MEETINGS_RUN, takes=CancellationSchema)
def cancel_meeting(meeting_id: uuid.UUID, data: dict) -> Meeting:
    """Call off a meeting that has not sat, with the reason its invitees and the public calendar are given."""
    meeting_row = meeting(meeting_id)
    return meetings.cancel(meeting_row, loaded(data)["reason"])


@command(Permission.MEETINGS_RUN, takes=AttendanceSchema)
def check_in(meeting_id: uuid.UUID, data: dict) -> MeetingDetail:
    """Check a member in (in person or online); the answer carries the quorum now."""
    meeting_row = meeting(meeting_id)
    data = loaded(data)
    member = member_named(data["member_id"])
    meetings.check_in(meeting_row, member, online=data.get("online", False),
                      representative_id=data.get("representative_id"),
                      stands_in_for_id=data.get("stands_in_for_id"))
    passes.let_back(meeting_row, member)  # the desk checked them in: their phone may join again
    live.changed(meeting_row.id, urgent=False)
    return _detail(meeting_row)


@command(Permission.MEETINGS_RUN)
def check_out(meeting_id: uuid.UUID, member_id: uuid.UUID) -> MeetingDetail:
    """A member leaves (or the desk checks them out): the quorum is recounted, they leave the speakers' list, and
    their phone does not bring them back by itself until the desk checks them in again."""
    meeting_row = meeting(meeting_id)
    member = member_named(member_id)
    meetings.check_out(meeting_row, member)
    passes.hold_out(meeting_row, member)
    speakers.off_the_list(meeting_row, [member.id])
    live.changed(meeting_row.id, urgent=False)
    return _detail(meeting_row)


@query(Permission.COUNCIL_VIEW)
def require_meeting(meeting_id: uuid.UUID) -> Meeting:
    """The meeting, or :class:`NotFound` (another council's id is simply not found)."""
    return meeting(meeting_id)


@query(Permission.COUNCIL_VIEW)
def list_votes(meeting_id: uuid.UUID) -> list[Vote]:
    """The meeting's votes in the order they were opened, with their counts by channel."""
    meeting_row = meeting(meeting_id)
    return db.session.scalars(
        select(Vote).join(AgendaItem, AgendaItem.id == Vote.agenda_item_id)
        .where(AgendaItem.meeting_id == meeting_row.id).order_by(Vote.opened_at)).all()


@command(Permission.MEETINGS_RUN, takes=OpenVoteSchema)
def open_vote(meeting_id: uuid.UUID, data: dict) -> Vote:
    """Open a vote on an agenda item; refused without quorum."""
    meeting_row = meeting(meeting_id)
    data = loaded(data)
    item = db.session.scalar(select(AgendaItem).where(AgendaItem.id == data["agenda_item_id"],
                                                      AgendaItem.meeting_id == meeting_row.id))
    if item is None:
        raise Invalid({"agenda_item_id": [_("No such item on this meeting's agenda.")]})
    vote = votes.open_vote(meeting_row, body_of(meeting_row), item, data["kind"],
                              sealed=data.get("sealed", False))
    if vote.sealed:
        sealed.call_for_vote(meeting_row, vote, data.get("keyholders"))
    meeting_row.current_item_id = item.id  # the screens follow the item put to the vote
    live.changed(meeting_row.id)
    return vote


@command(Permission.MEETINGS_RUN, takes=DeskBallotSchema)
def cast_ballot(meeting_id: uuid.UUID, vote_id: uuid.UUID, data: dict) -> None:
    """The desk records a present member's vote by name, or marks their paper ballot (its choice is in the box,
    counted with the hall); a secret vote's ledger keeps only that the seat voted."""
    meeting_row = meeting(meeting_id)
    vote = vote_of(meeting_row, vote_id)
    data = loaded(data)
    if vote.sealed:
        _require_open_box(vote)
    votes.cast(vote, meeting_row, body_of(meeting_row), member_named(data["member_id"]), data.get("choice"),
                  data.get("channel", meetings.Channel.DESK))
    live.changed(meeting_row.id, urgent=False)


@command(Permission.MEETINGS_RUN, takes=CountsSchema)
def record_counts(meeting_id: uuid.UUID, vote_id: uuid.UUID, data: dict) -> Vote:
    """The tellers' counts of the room (a show of hands, the ballot box) for the seats in it that have not voted
    by name: yes, no, abstaining; entered again to correct them until the close."""
    meeting_row = meeting(meeting_id)
    vote = vote_of(meeting_row, vote_id)
    data = loaded(data)
    if vote.sealed:
        raise Invalid({"yes": [_("The paper ballots of a sealed vote are counted by its keyholders, who sign the "
                                 "counts from their phones.")]})
    votes.record_counts(vote, meeting_row, body_of(meeting_row), yes=data["yes"], no=data["no"],
                           abstain=data["abstain"])
    live.changed(meeting_row.id, urgent=False)
    return vote


@command(Permission.MEETINGS_RUN, takes=RollCallSchema)
def cast_roll_call(meeting_id: uuid.UUID, vote_id: uuid.UUID, data: dict) -> Vote:
    """Record a roll call in one go: each name's choice; one refusal and none is recorded."""
    meeting_row = meeting(meeting_id)
    vote = vote_of(meeting_row, vote_id)
    data = loaded(data)
    if vote.kind is not meetings.VoteKind.ROLL_CALL:
        raise Invalid({"ballots": [_("Only a roll call is entered name by name in one list.")]})
    body = body_of(meeting_row)
    for position, ballot in enumerate(data["ballots"]):
        try:
            votes.cast(vote, meeting_row, body, member_named(ballot["member_id"]), ballot["choice"],
                          meetings.Channel.ROLL_CALL)
        except Invalid as error:  # which line of the list: the person fixes that one
            raise Invalid({"ballots": {position: error.errors}}) from None
    live.changed(meeting_row.id, urgent=False)
    return vote


@command(Permission.MEETINGS_RUN, takes=CloseVoteSchema)
def close_vote(meeting_id: uuid.UUID, vote_id: uuid.UUID, data: dict) -> Vote:
    """Close and count every channel: the verdict by the by-laws of the meeting's day, and the decision number.
    While fewer have voted than seats are filled, the desk confirms (``confirm``)."""
    meeting_row = meeting(meeting_id)
    vote = vote_of(meeting_row, vote_id)
    data = loaded(data)
    if vote.sealed:  # closed in two steps: the board of ballots frozen, then judged once its keyholders opened it
        sealed.close_sealed_vote(meeting_row, vote, data)
        live.changed(meeting_row.id)
        return vote
    votes.close_vote(vote, meeting_row, body_of(meeting_row), chair_vote=data.get("chair_vote"),
                        confirm=data.get("confirm", False))
    # A vote of the meeting's own steps settles them: the board elected, the agenda adopted, a floor motion decided.
    presiding.vote_closed(meeting_row, vote)
    floor_motions.vote_closed(vote)
    live.changed(meeting_row.id)
    return vote


def _require_open_box(vote: Vote) -> None:
    """A paper ballot of a sealed vote is marked while its box takes ballots, not once its board is frozen."""
    if sealed_boxes.box_of_vote(vote.id).stage is not sealed_boxes.BoxStage.OPEN:
        raise Conflict({"vote": [_("The sealed ballot takes no more ballots.")]})


@command(Permission.MEETINGS_RUN)
def close_meeting(meeting_id: uuid.UUID) -> Meeting:
    """Close the meeting (every vote closed first): its record is drawn up from here."""
    meeting_row = meeting(meeting_id)
    meetings.close_meeting(meeting_row)
    live.changed(meeting_row.id)
    return meeting_row


@command(Permission.MEETINGS_RUN, takes=ExcuseSchema)
def excuse_absence(meeting_id: uuid.UUID, data: dict):
    """Record that a member with a vote was absent with an excuse the body accepted."""
    meeting_row = meeting(meeting_id)
    data = loaded(data)
    return meetings.excuse(meeting_row, member_named(data["member_id"]), data["reason"])


@query(Permission.COUNCIL_VIEW)
def minutes_pdf(meeting_id: uuid.UUID) -> tuple[Meeting, bytes]:
    """The minutes (tutanak) as a PDF, made from the record."""
    meeting_row = meeting(meeting_id)
    return meeting_row, build_minutes(meeting_row)


@query(Permission.COUNCIL_VIEW)
def attendance_list_pdf(meeting_id: uuid.UUID) -> tuple[Meeting, bytes]:
    """The attendance list (hazırun cetveli): everyone entitled to sit with a signature column; once people came,
    when they arrived and left and how (in the hall, online)."""
    meeting_row = meeting(meeting_id)
    return meeting_row, attendance_list.attendance_list_pdf(meeting_row)


ROSTER_PAGE = 60  # lines of the checklist at a time: a general assembly of thousands is searched, not scrolled


@dataclass
class RosterEntry:
    """One person entitled to sit, as the desk's checklist shows them."""

    member: Member
    role: str  # "principal" (holds a vote) or "substitute"
    state: str  # "present", "online", "left", "excused" or "absent"
    representatives: list  # an institution's representatives with a mandate valid on the day
    stands_in_for: Member | None = None

    @property
    def id(self):
        return self.member.id


@dataclass
class Sitting:
    """Who may sit in a meeting and where each of them stands now, as ids: computed once per request, in a
    fixed number of statements whatever the body's size (the desk of a 5,000-member general assembly)."""

    # Who holds a vote: every one of them for a body with seats; for a general assembly only those who came or
    # sent an excuse (the others are counted in ``full``, not loaded: there may be thousands).
    eligible: set
    full: int  # the full membership on the day
    substitutes: set
    latest: dict  # member id → (left_at, online, stands_in_for_id) of their last arrival
    excused: set
    seats: dict  # the voting seats filled now: holder → the person acting

    def state(self, member_id) -> str:
        arrival = self.latest.get(member_id)
        if arrival is not None and arrival[0] is None:
            return "online" if arrival[1] else "present"
        if arrival is not None:
            return "left"
        return "excused" if member_id in self.excused else "absent"

    def stands_in_for(self, member_id):
        arrival = self.latest.get(member_id)
        return arrival[2] if arrival is not None and arrival[0] is None else None

    def tally(self) -> dict:
        """How many principal members are in each state (absent: everyone else of the full membership)."""
        counts = dict.fromkeys(("present", "online", "left", "excused", "absent"), 0)
        for member_id in self.eligible:
            counts[self.state(member_id)] += 1
        counts["absent"] = self.full - sum(counts[state] for state in ("present", "online", "left", "excused"))
        return counts


def _sitting(meeting_row: Meeting, body: Body, bylaws: dict) -> Sitting:
    latest = {member_id: (left_at, online, stands_in) for member_id, left_at, online, stands_in in db.session.execute(
        select(Attendance.member_id, Attendance.left_at, Attendance.online, Attendance.stands_in_for_id)
        .where(Attendance.meeting_id == meeting_row.id).order_by(Attendance.arrived_at))}  # the last arrival counts
    excused = set(db.session.scalars(select(ExcusedAbsence.member_id)
                                     .where(ExcusedAbsence.meeting_id == meeting_row.id)))
    if body.kind is BodyKind.GENERAL_ASSEMBLY:
        # Everyone active may vote: ask which of those who came (or sent an excuse) do, and count the rest.
        concerned = select(Attendance.member_id).where(Attendance.meeting_id == meeting_row.id).union(
            select(ExcusedAbsence.member_id).where(ExcusedAbsence.meeting_id == meeting_row.id))
        eligible = set(db.session.scalars(select(Member.id).where(
            meetings.eligibility(body, bylaws, set()), Member.id.in_(concerned))))
        full = meetings.full_membership(body, meeting_row.day, bylaws)
        substitutes: set = set()
    else:
        eligible = meetings.eligible_members(body, meeting_row.day, bylaws)
        full = len(eligible)
        substitutes = meetings.substitutes(body, meeting_row.day) - eligible
    # Online presence fills a seat only where the by-laws count it for this body (else: an observer).
    online_counts = rules.online_presence_counts(body.kind.value, bylaws)
    present = {member_id for member_id, arrival in latest.items()
               if arrival[0] is None and (online_counts or not arrival[1])}
    stand_ins = {member_id: arrival[2] for member_id, arrival in latest.items()
                 if member_id in present and arrival[2] is not None}
    return Sitting(eligible, full, substitutes, latest, excused, rules.seats_represented(eligible, present, stand_ins))


def _entries(meeting_row: Meeting, sitting: Sitting, members: list[Member]) -> list[RosterEntry]:
    """Checklist lines for these members (their representatives and stand-ins loaded in two statements)."""
    ids = [m.id for m in members]
    representatives: dict = {}
    for rep in in_order(db.session.scalars(select(Representative).where(Representative.member_id.in_(ids))
                                  )):
        if rep.valid_on(meeting_row.day):
            representatives.setdefault(rep.member_id, []).append(rep)
    stand_in_ids = {sitting.stands_in_for(i) for i in ids} - {None}
    stood_for = _members(stand_in_ids)
    return [RosterEntry(m, "substitute" if m.id in sitting.substitutes else "principal", sitting.state(m.id),
                        representatives.get(m.id, []), stood_for.get(sitting.stands_in_for(m.id)))
            for m in members]


def _members(ids) -> dict:
    ids = set(ids)
    return {m.id: m for m in db.session.scalars(select(Member).where(Member.id.in_(ids)))} if ids else {}


def _roster_page(meeting_row: Meeting, body: Body, bylaws: dict, sitting: Sitting, q: str | None, offset: int,
                 limit: int = ROSTER_PAGE) -> tuple[list[RosterEntry], bool]:
    """A page of the checklist (principals first, Turkish alphabetical order), optionally only names containing
    ``q``; and whether more follow."""
    if not sitting.full and not sitting.substitutes:
        return [], False
    entitled = meetings.eligibility(body, bylaws, sitting.eligible)
    if sitting.substitutes:
        entitled = entitled | Member.id.in_(sitting.substitutes)
    rows = (select(Member).where(entitled)
            .order_by(case((Member.id.in_(sitting.substitutes or {None}), 1), else_=0), Member.sort_name, Member.id))
    if q:
        rows = rows.where(Member.search_name.contains(search_key(q), autoescape=True))
    found = db.session.scalars(rows.offset(max(offset, 0)).limit(limit + 1)).all()
    return _entries(meeting_row, sitting, found[:limit]), len(found) > limit


def _empty_seats(sitting: Sitting) -> list[Member]:
    """Seats a substitute could stand in for: only bodies with substitutes need them (boards, a few dozen)."""
    if not sitting.substitutes:
        return []
    return sorted(_members(sitting.eligible - set(sitting.seats)).values(), key=lambda m: m.sort_name)


def _quorum(meeting_row: Meeting, body: Body, bylaws: dict, sitting: Sitting) -> dict:
    return meetings.quorum_of(meeting_row, body, bylaws, sitting.full, len(sitting.seats))


def _opening(meeting_row: Meeting, bylaws: dict) -> dict:
    """Whether the desk can check people in and open votes now, and from when (the by-laws' tolerance)."""
    problem, opens = meetings.sitting_window(meeting_row, bylaws)
    return {"sitting_open": problem is None, "opens_at": opens if problem == "not_yet" else None}


def _setting(meeting_id: uuid.UUID) -> tuple[Meeting, Body, dict, Sitting]:
    meeting_row = meeting(meeting_id)
    body = body_of(meeting_row)
    bylaws = parameters_on(meeting_row.day)
    return meeting_row, body, bylaws, _sitting(meeting_row, body, bylaws)


@query(Permission.COUNCIL_VIEW)
def roster_entry(meeting_id: uuid.UUID, member_id: uuid.UUID) -> dict:
    """One line of the desk's checklist, with the quorum now (for a live update after a tap)."""
    meeting_row, body, bylaws, sitting = _setting(meeting_id)
    entitled = member_id in sitting.substitutes or meetings.eligible_members(body, meeting_row.day, bylaws,
                                                                              among={member_id})
    member = db.session.get(Member, member_id) if entitled else None
    entries = _entries(meeting_row, sitting, [member]) if member is not None else []
    return {"meeting": meeting_row, "entry": entries[0] if entries else None, "tally": sitting.tally(),
            "quorum": _quorum(meeting_row, body, bylaws, sitting), "empty_seats": _empty_seats(sitting),
            **_opening(meeting_row, bylaws)}


@query(Permission.COUNCIL_VIEW)
def roster_page(meeting_id: uuid.UUID, q: str | None = None, offset: int = 0) -> dict:
    """A page of the desk's checklist: the names containing ``q``, from ``offset`` (search and "more")."""
    meeting_row, body, bylaws, sitting = _setting(meeting_id)
    roster, more = _roster_page(meeting_row, body, bylaws, sitting, q, offset)
    return {"meeting": meeting_row, "roster": roster, "roster_more": more, "roster_q": q or "",
            "roster_next": max(offset, 0) + len(roster), "empty_seats": _empty_seats(sitting),
            **_opening(meeting_row, bylaws)}


@query(Permission.COUNCIL_VIEW)
def desk(meeting_id: uuid.UUID, q: str | None = None, offset: int = 0) -> dict:
    """Everything the meeting desk shows: a page of everyone entitled to sit with their state, the quorum,
    the agenda with its votes and decisions (and whether each decision went on as a motion), the speakers' list
    and the hybrid meeting's passes. A fixed number of
    statements, and a bounded page, however large the body."""
    meeting_row, body, bylaws, sitting = _setting(meeting_id)
    roster, more = _roster_page(meeting_row, body, bylaws, sitting, q, offset)
    items = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting_row.id)
                               .order_by(AgendaItem.position)).all()
    votes_of_item: dict = {item.id: [] for item in items}
    all_votes = db.session.scalars(select(Vote).where(Vote.agenda_item_id.in_(list(votes_of_item) or [None]))
                                   .order_by(Vote.opened_at)).all()
    for vote in all_votes:
        votes_of_item[vote.agenda_item_id].append(vote)
    counts = votes.counts_of(all_votes)
    # The hall's counts may hold the seats in the room that have not voted by name (the desk shows it).
    capacity = {vote.id: votes.hall_capacity(vote, meeting_row, body, bylaws) for vote in all_votes
                if vote.closed_at is None and vote.kind is not VoteKind.ROLL_CALL}
    # An open vote lists the seats still to vote, a page at a time, in the checklist's order (a roll call calls
    # them; another vote lets the desk record one by name or mark a paper ballot): for a general assembly (a seat
    # is a person) the database finds and sorts them; for a body with seats, the few seats.
    roll_calls: dict = {}
    roll_call_pages: dict = {}
    for vote in all_votes:
        if vote.closed_at is not None:
            continue
        answered = select(Ballot.member_id).where(Ballot.vote_id == vote.id)
        if body.kind is BodyKind.GENERAL_ASSEMBLY:
            here = select(Attendance.member_id).where(meetings.counted_here(meeting_row, body, bylaws))
            waiting = select(Member.id).where(meetings.eligibility(body, bylaws, set()),
                                              Member.id.in_(here), Member.id.not_in(answered))
            roll_calls[vote.id] = db.session.scalar(select(func.count()).select_from(waiting.subquery()))
            roll_call_pages[vote.id] = db.session.scalars(
                waiting.order_by(Member.sort_name, Member.id).limit(ROSTER_PAGE)).all()
            continue
        done = set(db.session.scalars(answered))
        voters = {person: seat for seat, person in sitting.seats.items() if seat not in done}
        roll_calls[vote.id] = len(voters)
        first = db.session.scalars(select(Member.id).where(Member.id.in_(voters or {None}))
                                   .order_by(Member.sort_name, Member.id).limit(ROSTER_PAGE)).all()
        roll_call_pages[vote.id] = [voters[voter] for voter in first]
    people = _members({person for page in roll_call_pages.values() for seat in page
                       for person in (seat, sitting.seats[seat])})
    motions = {m.vote_id: m for m in db.session.scalars(select(Motion).where(
        Motion.vote_id.in_([v.id for v in all_votes] or [None])))}
    procedure = _procedure(meeting_row, bylaws)
    boxes = {box.vote_id: box for box in db.session.scalars(select(sealed_boxes.SealedBox).where(
        sealed_boxes.SealedBox.vote_id.in_([v.id for v in all_votes if v.sealed])))} \
        if any(v.sealed for v in all_votes) else {}
    return {
        **procedure,
        "meeting": meeting_row, "body": body, "quorum": _quorum(meeting_row, body, bylaws, sitting),
        "people": people, "roster": roster, "roster_more": more, "roster_q": q or "",
        "roster_next": max(offset, 0) + len(roster), "roster_total": sitting.full + len(sitting.substitutes),
        "roster_page_size": ROSTER_PAGE, "items": items, "votes": votes_of_item, "seats": sitting.seats,
        "roll_calls": roll_call_pages, "roll_call_waiting": roll_calls, "motions": motions,
        "counts": counts, "hall_capacity": capacity,
        "subjects": {v.id: presiding.subject_of(v, next(i for i in items if i.id == v.agenda_item_id))
                     for v in all_votes if v.purpose is not VotePurpose.DECISION},
        "live_channels": {v.id: live_state.channels_text(v, counts[v.id]) for v in all_votes if v.closed_at is None},
        "empty_seats": _empty_seats(sitting), "tally": sitting.tally(), **_opening(meeting_row, bylaws),
        "stream_key": live.stream_key(meeting_row.id), "online_counts": rules.online_presence_counts(body.kind.value, bylaws),
        "speakers": speakers.listing(meeting_row), "passes": passes.summary(meeting_row),
        "sealed_boxes": boxes,
        # A body that meets without a presiding board (a few seats, never a general assembly of thousands) names
        # a sealed vote's keyholders among those present.
        "keyholder_choices": None if procedure["opening"]["has_board"] else sorted(
            _members(set(sitting.seats.values())).values(), key=lambda m: turkish_sort_key(m.name)),
    }


PRESENT_CHOICES = 5000  # the pickers of a person present (a board slate, a floor motion's proposer, a co-signer)


@query(Permission.COUNCIL_VIEW)
def procedure_form(meeting_id: uuid.UUID) -> dict:
    """What the desk's procedure forms pick from (asked for when a form is opened, not with every desk page: a
    general assembly of thousands would make every page heavy): the people present, the agenda, the board's
    size, the kinds of floor motion."""
    meeting_row = meeting(meeting_id)
    bylaws = parameters_on(meeting_row.day)
    rows = db.session.execute(
        select(Member.id, Member.name, Member.member_no).join(Attendance, Attendance.member_id == Member.id)
        .where(Attendance.meeting_id == meeting_row.id, Attendance.left_at.is_(None))
        .order_by(Member.sort_name, Member.member_no).limit(PRESENT_CHOICES)).all()
    # Two people of the same name are told apart by their member number (a picker of names alone would let the
    # desk elect or name the wrong one).
    named = Counter(name for _id, name, _no in rows)
    present = [(member_id, name if named[name] == 1 else _("%(name)s (member no. %(no)s)", name=name, no=number))
               for member_id, name, number in rows]
    items = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting_row.id)
                               .order_by(AgendaItem.position)).all()
    return {"meeting": meeting_row, "present_people": present, "items": items,
            "vice_chairs": bylaws["presiding_board_vice_chairs"], "clerks": bylaws["presiding_board_clerks"],
            "floor_motion_kinds": list(floor_motions.FloorMotionKind)}


def _procedure(meeting_row: Meeting, bylaws: dict) -> dict:
    """What the desk shows of a general assembly's procedure: the opening (its presiding board, the agenda's
    adoption) and the floor motions with their proposers and signatures."""
    has_board = presiding.has_board(meeting_row, bylaws)
    seats = presiding.seats(meeting_row) if has_board else []
    return {
        "opening": {"has_board": has_board, "board": [row for row in seats if row[0].elected_at is not None],
                    "slate_voting": any(row[0].elected_at is None for row in seats),
                    "agenda_adopted_at": meeting_row.agenda_adopted_at,
                    "vice_chairs": bylaws["presiding_board_vice_chairs"], "clerks": bylaws["presiding_board_clerks"]},
        "floor_motions": floor_motions.listed(meeting_row),
    }


@query(Permission.COUNCIL_VIEW)
def projector(meeting_id: uuid.UUID) -> dict:
    """What the room's screen shows: the item under discussion, the quorum, the speaker with the timer and the
    queue, the vote (its result the moment it closes); and the key to its live updates."""
    meeting_row = meeting(meeting_id)
    return {"meeting": meeting_row, "body": body_of(meeting_row), "state": live_state.state(meeting_row),
            "stream_key": live.stream_key(meeting_row.id)}


@query(Permission.COUNCIL_VIEW)
def bodies_by_id() -> dict:
    return {b.id: b for b in db.session.scalars(select(Body))}
