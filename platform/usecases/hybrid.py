"""A hybrid meeting: passes (badges with a code, personal links by e-mail), the online participants' phone page
(attend, vote, ask for the floor), the speakers' list, the item under discussion, the stream link and the live
state every screen shows.

The phone's use cases are public steps: the link's signed token is the key, and it opens one person's pass in
one meeting of the council the address names (another council's token is simply not found)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from konsey.core import (
    floor_motions,
    live,
    meeting_calendars,
    meeting_record,
    meetings,
    member_passkeys,
    passes,
    presiding,
    speakers,
    votes,
)
from konsey.core.bylaws import parameters_on
from konsey.core.errors import Invalid, NotFound
from konsey.core.live_state import state as screen_state  # this module's live_state is the use case
from konsey.core.meetings import AgendaItem, Attendance, Ballot, Meeting, Vote
from konsey.core.membership import Member
from konsey.core.passes import MeetingPass
from konsey.core.permissions import Permission
from konsey.core.rules import meetings as rules
from konsey.core.rules import sign_in as sign_in_rules
from konsey.schemas.meetings import (
    BadgeCodeSchema,
    FloorSchema,
    MoveSpeakerSchema,
    PhoneBallotSchema,
    PhoneFloorSchema,
    StreamSchema,
    TakeUpSchema,
)
from konsey.tenants.db import db
from konsey.tenants.models import Council
from konsey.usecases.base import command, loaded, query
from konsey.usecases.meetings import body_of, meeting
from konsey.usecases.members import member_named

# --- the desk ----------------------------------------------------------------------------------------------------


@command(Permission.MEETINGS_RUN)
def issue_passes(meeting_id: uuid.UUID) -> int:
    """A pass (badge code, personal link) for everyone entitled to sit who has none yet."""
    return passes.issue(meeting(meeting_id))


@command(Permission.MEETINGS_RUN)
def send_links(meeting_id: uuid.UUID) -> int:
    """E-mail each pass holder their personal link to the meeting (the worker sends them)."""
    return passes.send_links(meeting(meeting_id))


@command(Permission.MEETINGS_RUN)
def reissue_pass(meeting_id: uuid.UUID, member_id: uuid.UUID) -> MeetingPass:
    """A new pass for one person: the old link, badge code and stream address stop working; the new link is
    e-mailed."""
    meeting_row, member = meeting(meeting_id), member_named(member_id)
    old = passes.pass_of(meeting_row, member.id)
    fresh = passes.reissue(meeting_row, member)
    if old is not None:
        live.revoke_pass(old.id)
    return fresh


@query(Permission.MEETINGS_RUN)
def badges_pdf(meeting_id: uuid.UUID) -> tuple[Meeting, bytes]:
    """The attendance badges, 8 to an A4 page, with each pass's QR code and code."""
    meeting_row = meeting(meeting_id)
    return meeting_row, passes.badges_pdf(meeting_row)


@command(Permission.MEETINGS_RUN, takes=BadgeCodeSchema)
def check_in_by_code(meeting_id: uuid.UUID, data: dict) -> Member:
    """The desk scans or types a badge's code: that person is checked in, in the room."""
    meeting_row = meeting(meeting_id)
    data = loaded(data)
    member = passes.check_in_by_code(meeting_row, data["code"])
    passes.let_back(meeting_row, member)
    live.changed(meeting_row.id, urgent=False)
    return member


@query(Permission.COUNCIL_VIEW)
def passes_summary(meeting_id: uuid.UUID) -> passes.PassesSummary:
    """How many passes are issued, links e-mailed, people attending online, holders no link reaches."""
    return passes.summary(meeting(meeting_id))


@command(Permission.MEETINGS_RUN, takes=StreamSchema)
def set_stream(meeting_id: uuid.UUID, data: dict) -> Meeting:
    """Attach (or remove) the link of the meeting's video stream, shown on the phones."""
    meeting_row = meeting(meeting_id)
    data = loaded(data)
    meeting_row.stream_url = data.get("stream_url") or None
    live.changed(meeting_row.id)
    return meeting_row


def _item(meeting_row: Meeting, item_id) -> AgendaItem:
    item = db.session.scalar(select(AgendaItem).where(AgendaItem.id == item_id,
                                                      AgendaItem.meeting_id == meeting_row.id))
    if item is None:
        raise Invalid({"agenda_item_id": [_("No such item on this meeting's agenda.")]})
    return item


@command(Permission.MEETINGS_RUN, takes=TakeUpSchema)
def take_up_item(meeting_id: uuid.UUID, data: dict) -> AgendaItem:
    """The chair moves the meeting to an agenda item: the speakers' list and every screen follow."""
    meeting_row = meeting(meeting_id)
    data = loaded(data)
    item = _item(meeting_row, data["agenda_item_id"])
    speakers.take_up(meeting_row, item)
    live.changed(meeting_row.id)
    return item


@command(Permission.MEETINGS_RUN, takes=FloorSchema)
def ask_floor(meeting_id: uuid.UUID, data: dict) -> speakers.FloorRequest:
    """The desk puts a person present on the speakers' list (for, against, or a point of order)."""
    meeting_row = meeting(meeting_id)
    data = loaded(data)
    request = speakers.ask(meeting_row, member_named(data["member_id"]), data["stance"])
    live.changed(meeting_row.id)
    return request


@command(Permission.MEETINGS_RUN)
def give_floor(meeting_id: uuid.UUID, request_id: uuid.UUID) -> speakers.FloorRequest:
    """The chair gives the floor to a speaker on the list; the timer starts with the by-laws' speaking time."""
    meeting_row = meeting(meeting_id)
    request = speakers.give_floor(meeting_row, speakers.request_of(meeting_row, request_id))
    live.changed(meeting_row.id)
    return request


@command(Permission.MEETINGS_RUN)
def stop_speaker(meeting_id: uuid.UUID) -> speakers.FloorRequest:
    """The chair stops the speaker: the floor is free."""
    meeting_row = meeting(meeting_id)
    request = speakers.stop(meeting_row)
    live.changed(meeting_row.id)
    return request


@command(Permission.MEETINGS_RUN, takes=MoveSpeakerSchema)
def move_speaker(meeting_id: uuid.UUID, request_id: uuid.UUID, data: dict) -> None:
    """The chair moves a waiting speaker one place up or down the list."""
    meeting_row = meeting(meeting_id)
    waiting = speakers.request_of(meeting_row, request_id)
    speakers.move(meeting_row, waiting, loaded(data)["direction"] == "up")
    live.changed(meeting_row.id)


@command(Permission.MEETINGS_RUN)
def withdraw_floor(meeting_id: uuid.UUID, request_id: uuid.UUID) -> None:
    """A request for the floor is taken off the list (withdrawn, or refused by the chair)."""
    meeting_row = meeting(meeting_id)
    speakers.withdraw(meeting_row, speakers.request_of(meeting_row, request_id))
    live.changed(meeting_row.id)


@query(Permission.COUNCIL_VIEW)
def speakers_list(meeting_id: uuid.UUID) -> speakers.SpeakersList:
    """The item under discussion, who has the floor, who waits (in order), and who spoke."""
    return speakers.listing(meeting(meeting_id))


@query(Permission.COUNCIL_VIEW)
def live_state(meeting_id: uuid.UUID) -> dict:
    """What the meeting's live screens show now (the same JSON the live service pushes)."""
    return screen_state(meeting(meeting_id))


@query(Permission.COUNCIL_VIEW)
def live_view(meeting_id: uuid.UUID, known: int | None = None) -> live.LiveView:
    """The live state for a screen that polls (the desk, the projector): nothing while it holds the latest."""
    return live.view(meeting(meeting_id), known)


# --- the phone of a person attending online ------------------------------------------------------------------


@dataclass
class Phone:
    meeting_pass: MeetingPass
    meeting: Meeting
    member: Member
    body: object
    state: dict
    attending: Attendance | None
    voted: bool  # on the open vote, if any (the seat they act for has voted)
    may_vote: bool
    waiting_request: speakers.FloorRequest | None
    stream_key: str
    heartbeat_seconds: int  # a third of the silence after which the person is checked out
    online_counts: bool  # online presence counts towards this body's quorum (else the person only follows)
    opens_at: object = None  # before the sitting opens: when joining (and voting) becomes possible
    # Floor motions waiting for signatures: (motion, signed by this person or theirs)
    floor_motions: list = field(default_factory=list)
    # A member of the presiding board: the version of the minutes waiting for their approval, if any.
    minutes_to_approve: object = None
    on_board: bool = False  # of the meeting's elected presiding board: their phone runs the board's desk too
    calendar_url: str | None = None  # the member's own meetings calendar (a secret address)
    voted_choice: object = None  # what the seat chose in the open vote, where the vote is by name (never secret)
    may_add_passkey: bool = False  # the by-laws ask phones to confirm their holder, and the member has no passkey

    @property
    def open_vote_id(self):
        vote = self.state.get("vote")
        return vote["id"] if vote and vote["open"] else None


def pass_holder(token: str) -> tuple[MeetingPass, Meeting, Member]:
    """The pass a personal link's key names, its meeting and its holder (NotFound for any other key)."""
    return passes.holder_of(token)


def _open_vote(meeting_row: Meeting) -> Vote | None:
    return db.session.scalar(select(Vote).join(AgendaItem, AgendaItem.id == Vote.agenda_item_id).where(
        AgendaItem.meeting_id == meeting_row.id, Vote.closed_at.is_(None)).order_by(Vote.opened_at.desc()).limit(1))


@query(None)
def same_pass(held: str, token: str) -> bool:
    """Whether a confirmed phone's key names the pass a link opens (its holder opening their link again)."""
    try:
        return passes.pass_id_of(held) == passes.pass_id_of(token)
    except NotFound:
        return False


@query(None)
def open_link(token: str) -> uuid.UUID:
    """A personal link opened: the meeting whose pages it opens (a link whose pass was reissued, forged or of
    another council is not found). It opens the page whatever the by-laws ask: the page asks for the confirmation."""
    _meeting_pass, meeting_row, _member = passes.holder_of(token, confirming=True)
    return meeting_row.id


@query(None)
def phone(token: str) -> Phone:
    """The online participant's page: the meeting live, their presence, the open vote, the floor."""
    meeting_pass, meeting_row, member = pass_holder(token)
    body = body_of(meeting_row)
    bylaws = parameters_on(meeting_row.day)
    here = passes.attending(meeting_row, member.id)
    seat = meetings.acting_seat(meeting_row, body, bylaws, member.id) if here is not None else None
    vote = _open_vote(meeting_row)
    line = db.session.execute(select(Ballot.id, Ballot.choice).where(
        Ballot.vote_id == vote.id, Ballot.member_id == seat)).first() if vote is not None and seat is not None else None
    voted = line is not None
    voted_choice = line.choice if line is not None and vote.kind is not meetings.VoteKind.SECRET else None
    waiting = speakers.waiting_request(meeting_row, member)
    problem, opens = meetings.sitting_window(meeting_row, bylaws)
    signed = set(db.session.scalars(select(floor_motions.FloorMotionSignature.floor_motion_id).where(
        floor_motions.FloorMotionSignature.member_id == member.id)))
    waiting_motions = [(m, m.proposer_id == member.id or m.id in signed) for m in floor_motions.of_meeting(meeting_row)
                       if m.status is floor_motions.FloorMotionStatus.HANDED_IN]
    return Phone(meeting_pass, meeting_row, member, body, screen_state(meeting_row), here, voted, seat is not None,
                 waiting, live.stream_key(meeting_row.id, meeting_pass.id), max(10, bylaws["online_presence_timeout_seconds"] // 3),
                 rules.online_presence_counts(body.kind.value, bylaws), opens if problem == "not_yet" else None,
                 waiting_motions, _minutes_for(meeting_row, member), presiding.on_board(meeting_row, member.id),
                 meeting_calendars.feed_url(member, db.session.get(Council, meeting_row.council_id)),
                 voted_choice, sign_in_rules.strong_sign_in_required(body.kind.value, bylaws)
                 and not member_passkeys.of_member(member.id))


def _minutes_for(meeting_row: Meeting, member: Member):
    """The version of the minutes this member of the board has yet to approve (None for anyone else)."""
    if meeting_row.status is not meetings.MeetingStatus.CLOSED:
        return None
    version = meeting_record.awaiting(meeting_row)
    if version is None or member.id in meeting_record.approvals(version) \
            or not presiding.on_board(meeting_row, member.id):
        return None
    return version


@query(None)
def phone_live_view(token: str, known: int | None = None) -> live.LiveView:
    """The meeting's live state for the phone of a pass holder that polls (nothing while it holds the latest)."""
    _meeting_pass, meeting_row, _member = pass_holder(token)
    return live.view(meeting_row, known)


@command(None)
def phone_join(token: str) -> None:
    """The person presses "join" on their phone: checked in as online."""
    meeting_pass, meeting_row, member = pass_holder(token)
    passes.join_online(meeting_pass, meeting_row, member)
    live.changed(meeting_row.id, urgent=False)


@command(None)
def phone_sign_of_life(token: str) -> bool:
    """The open phone page's periodic sign; whether the person is in the meeting now."""
    meeting_pass, meeting_row, member = pass_holder(token)
    arrival = passes.attending(meeting_row, member.id)
    here = passes.sign_of_life(meeting_pass, meeting_row, member, arrival)
    if here and arrival is None:
        live.changed(meeting_row.id, urgent=False)
    return here


@command(None)
def phone_leave(token: str) -> None:
    meeting_pass, meeting_row, member = pass_holder(token)
    if passes.leave_online(meeting_pass, meeting_row, member):
        speakers.off_the_list(meeting_row, [member.id])
    live.changed(meeting_row.id, urgent=False)


@command(None, takes=PhoneBallotSchema)
def phone_ballot(token: str, vote_id: uuid.UUID, data: dict) -> meetings.VoteKind:
    """A vote cast from the phone: open and roll-call votes by name, a secret vote counted with no link to the
    person (only that their seat voted is kept); one ballot per seat, a substitute voting for the seat."""
    meeting_pass, meeting_row, member, vote = passes.pass_and_vote(token, vote_id)
    data = loaded(data)
    votes.cast(vote, meeting_row, body_of(meeting_row), member, data["choice"], meetings.Channel.PHONE,
               key=data["key"], again=data["again"])
    live.changed(meeting_row.id, urgent=False)
    return vote.kind  # (read now: after the commit the row would be read again, on the hot path of a big vote)


@command(None, takes=PhoneFloorSchema)
def phone_ask_floor(token: str, data: dict) -> speakers.FloorRequest:
    """A member on the phone asks for the floor, for or against (or neutral)."""
    meeting_pass, meeting_row, member = pass_holder(token)
    data = loaded(data)
    request = speakers.ask(meeting_row, member, data["stance"])
    live.changed(meeting_row.id, urgent=False)  # one more on the list: folded, as a ballot (a crowd may ask at once)
    return request


@command(None)
def phone_withdraw_floor(token: str) -> None:
    meeting_pass, meeting_row, member = pass_holder(token)
    waiting = speakers.waiting_request(meeting_row, member)
    if waiting is None:
        raise Invalid({"request_id": [_("You are not on the speakers' list.")]})
    speakers.withdraw(meeting_row, waiting)
    live.changed(meeting_row.id, urgent=False)
