"""Sealed ballots (konsey.core.sealed_boxes): the desk calls them with a secret vote or an election round; the
keyholders' phones make the key and open the count; the members' phones send sealed ballots; anyone reads the
published record and checks it.

A keyholder's or a voter's step is taken from their personal meeting link, as every phone step
(konsey.usecases.hybrid); the desk's steps need the desk's permission; the record and the result are public.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from konsey.core import (
    audit,
    elections,
    floor_motions,
    live,
    meetings,
    passes,
    presiding,
    sealed_boxes,
    votes,
)
from konsey.core.bodies import Body
from konsey.core.bylaws import parameters_on
from konsey.core.elections import Candidacy, Election, ElectionStatus
from konsey.core.errors import Conflict, Invalid, NotFound
from konsey.core.labels import label
from konsey.core.meetings import Ballot, Channel, Meeting, Vote
from konsey.core.membership import Member
from konsey.core.permissions import Permission
from konsey.core.sealed_boxes import BoxStage, SealedBox
from konsey.core.text import turkish_sort_key
from konsey.schemas.messages import load_input
from konsey.schemas.sealed import (
    STEP_SCHEMAS,
    EnterSealedRoundSchema,
    HoldSealedRoundSchema,
    SealedBallotInSchema,
)
from konsey.tenants.db import db, lock
from konsey.usecases.base import command, loaded, one, query


def keyholders_for(meeting_row: Meeting, named: list | None) -> list[uuid.UUID]:
    """Who holds a sealed ballot's key: the meeting's elected presiding board; where it has none, the members the
    desk names (the body's chair and two it chooses), each present in the meeting."""
    board = presiding.board(meeting_row)
    if board:
        return [member.id for _seat, member in board]
    if not named:
        raise Invalid({"keyholders": [_("This meeting has no presiding board: name the keyholders (the chair and "
                                        "two members).")]})
    present = set(db.session.scalars(select(meetings.Attendance.member_id).where(
        meetings.Attendance.meeting_id == meeting_row.id, meetings.Attendance.left_at.is_(None))))
    ids = [uuid.UUID(str(member_id)) for member_id in named]
    if missing := [member_id for member_id in ids if member_id not in present]:
        raise Invalid({"keyholders": [_("A keyholder holds the key from their phone in the meeting: %(n)d of "
                                        "those named are not present.", n=len(missing))]})
    return ids


def threshold_for(meeting_row: Meeting, holders: int) -> int:
    return min(parameters_on(meeting_row.day)["sealed_ballot_threshold"], holders)


def call_for_vote(meeting_row: Meeting, vote: Vote, named: list | None) -> SealedBox:
    """The sealed box of a secret vote the desk opened with ``sealed`` (konsey.usecases.votes.open_vote)."""
    holders = keyholders_for(meeting_row, named)
    return sealed_boxes.call(meeting_row.id, holders, threshold_for(meeting_row, len(holders)),
                             sealed_boxes.VOTE_OPTIONS, 1, 1, vote_id=vote.id)


def _after_vote_closed(meeting_row: Meeting, vote: Vote) -> None:
    presiding.vote_closed(meeting_row, vote)
    floor_motions.vote_closed(vote)


def close_sealed_vote(meeting_row: Meeting, vote: Vote, data: dict) -> None:
    """The desk's close of a sealed vote: while its box is open, the board of ballots is frozen and the count
    waits for the keyholders; once they have opened it, the vote is judged (the chair's vote settling a tie)."""
    box = sealed_boxes.box_of_vote(vote.id)
    body = db.session.get(Body, meeting_row.body_id)
    lock(box)  # the box before its vote, as a paper signature and a decryption take them
    if box.stage is BoxStage.OPEN:
        votes.check_closable(vote, meeting_row, body, confirm=data.get("confirm", False))
        sealed_boxes.seal_board(box)
    elif box.stage is BoxStage.COUNTED:
        _judge(meeting_row, vote, box, data.get("chair_vote"))
    elif box.stage is BoxStage.COUNTING:
        raise Conflict({"vote": [_("The board of ballots is closed: the count waits for %(k)d keyholders.",
                                   k=box.threshold)]})
    else:  # the key was never made (being made, or failed): no ballot could be cast; the vote is withdrawn
        sealed_boxes.withdraw(box)
        votes.withdraw_vote(vote)


def _judge(meeting_row: Meeting, vote: Vote, box: SealedBox, chair_vote: str | None) -> None:
    sealed = dict(zip(sealed_boxes.VOTE_OPTIONS, box.result["sealed"], strict=True))
    votes.close_vote(vote, meeting_row, db.session.get(Body, meeting_row.body_id), chair_vote=chair_vote,
                        sealed_counts=sealed)
    _after_vote_closed(meeting_row, vote)


# --- elections ----------------------------------------------------------------------------------------------------

def _candidates(election: Election) -> list[str]:
    previous = election.rounds[-1]["result"] if election.rounds else None
    if previous and previous.get("runoff_between"):
        return list(previous["runoff_between"])
    rows = db.session.execute(select(Candidacy.member_id, Member.name).join(Member, Member.id == Candidacy.member_id)
                              .where(Candidacy.election_id == election.id)).all()
    return [str(member_id) for member_id, name in sorted(rows, key=lambda row: turkish_sort_key(row[1]))]


@command(Permission.MEETINGS_RUN, takes=HoldSealedRoundSchema)
def hold_sealed_round(election_id: uuid.UUID, data: dict) -> SealedBox:
    """The next round of an election with sealed ballots, in the election's sitting: each ballot may name up to
    as many candidates as there are seats."""
    election = one(Election, election_id)
    data = loaded(data)
    if election.status is not ElectionStatus.OPEN:
        raise Conflict({"election": [_("This election is closed.")]})
    if election.meeting_id is None:
        raise Invalid({"meeting_id": [_("An election round is held in a meeting of the electing body: name it.")]})
    meeting_row = db.session.get(Meeting, election.meeting_id)
    meetings.require_sitting(meeting_row)
    if db.session.scalar(select(SealedBox.id).where(SealedBox.election_id == election.id, SealedBox.stage.in_(
            [BoxStage.KEYING, BoxStage.OPEN, BoxStage.COUNTING]))) or _waiting_round(election):
        raise Conflict({"election": [_("A sealed round of this election is already under way.")]})
    options = _candidates(election)
    if len(options) < 2:
        raise Invalid({"election": [_("At least two candidates stand in a round.")]})
    holders = keyholders_for(meeting_row, data.get("keyholders"))
    box = sealed_boxes.call(meeting_row.id, holders, threshold_for(meeting_row, len(holders)), options, 0,
                            min(election.seats, len(options)), election_id=election.id)
    live.changed(meeting_row.id)
    return box


@command(Permission.MEETINGS_RUN)
def close_sealed_round(election_id: uuid.UUID) -> SealedBox:
    """No more ballots in the election's sealed round: the board is frozen and waits for the keyholders."""
    election = one(Election, election_id)
    box = db.session.scalar(select(SealedBox).where(SealedBox.election_id == election.id,
                                                    SealedBox.stage == BoxStage.OPEN))
    if box is None:
        raise Conflict({"election": [_("No sealed round of this election is open.")]})
    lock(box)
    sealed_boxes.seal_board(box)
    live.changed(box.meeting_id)
    return box


def _count_round(box: SealedBox, chair_choice: str | None = None) -> None:
    """The counted sealed round entered as the election's round (the hall's paper ballots with it)."""
    election = db.session.get(Election, box.election_id)
    votes = dict(zip(box.options, box.result["total"], strict=True))
    elections.count(election, votes, meeting=db.session.get(Meeting, box.meeting_id), chair_choice=chair_choice,
                    ballots_cast=box.result["ballots"] + box.result.get("paper_ballots", 0))
    box.result = {**box.result, "entered": True}


def _waiting_round(election: Election) -> SealedBox | None:
    """A counted sealed round not yet entered as the election's round (a final tie the chair settles, a sitting
    that had lost its quorum)."""
    return next((box for box in db.session.scalars(select(SealedBox).where(
        SealedBox.election_id == election.id, SealedBox.stage == BoxStage.COUNTED))
        if not box.result.get("entered")), None)


@command(Permission.MEETINGS_RUN, takes=EnterSealedRoundSchema)
def enter_sealed_round(election_id: uuid.UUID, data: dict) -> SealedBox:
    """Enter a counted sealed round that could not be entered by itself: the chair's choice on a final tie, or
    the sitting's quorum back."""
    election = one(Election, election_id)
    data = loaded(data)
    box = _waiting_round(election)
    if box is None:
        raise Conflict({"election": [_("No counted sealed round of this election waits to be entered.")]})
    lock(box)
    _count_round(box, str(data["chair_choice"]) if data.get("chair_choice") else None)
    return box


# --- the phones: keyholders and voters ----------------------------------------------------------------------------

@dataclass
class SealedPage:
    """What a member's phone shows of a sealed ballot."""

    meeting: Meeting
    box: SealedBox
    member: Member
    subject: str
    option_labels: list[str]
    keyholder_index: int | None
    may_vote: bool
    tracker: str | None  # of this seat's ballot while the box is open


def _subject(box: SealedBox) -> tuple[str, list[str]]:
    if box.vote_id is not None:
        vote = db.session.get(Vote, box.vote_id)
        item = db.session.get(meetings.AgendaItem, vote.agenda_item_id)
        return presiding.subject_of(vote, item), [label(option) for option in box.options]
    election = db.session.get(Election, box.election_id)
    names = dict(db.session.execute(select(Member.id, Member.name).where(
        Member.id.in_([uuid.UUID(option) for option in box.options]))).all())
    return (_("Election: %(office)s", office=label(election.office)),
            [names.get(uuid.UUID(option), "?") for option in box.options])


def _seat(meeting_row: Meeting, box: SealedBox, member: Member) -> uuid.UUID | None:
    body = db.session.get(Body, meeting_row.body_id)
    return meetings.acting_seat(meeting_row, body, parameters_on(meeting_row.day), member.id)


@query(None)
def sealed_page(token: str, box_id: uuid.UUID) -> SealedPage:
    _pass, meeting_row, member = passes.holder_of(token)
    box = sealed_boxes.box_named(box_id, meeting_row.id)
    holder = sealed_boxes.keyholder_of(box, member.id)
    seat = _seat(meeting_row, box, member)
    subject, labels = _subject(box)
    tracker = sealed_boxes.seat_voted(box, seat) if seat is not None else None
    return SealedPage(meeting_row, box, member, subject, labels, holder.index if holder else None,
                      seat is not None, tracker)


@query(None)
def sealed_state(token: str, box_id: uuid.UUID) -> dict:
    """The box's public state for a phone's script, and who this phone is in it."""
    _pass, meeting_row, member = passes.holder_of(token)
    box = sealed_boxes.box_named(box_id, meeting_row.id)
    holder = sealed_boxes.keyholder_of(box, member.id)
    return {**sealed_boxes.public_state(box), "me": holder.index if holder else None}


STEPS = ("transport", "dealing", "confirm", "complaint", "decryption", "paper")


@command(None)
def keyholder_step(token: str, box_id: uuid.UUID, step: str, data: dict) -> dict:
    """One step of a keyholder's device (STEPS); what the box says afterwards."""
    _pass, meeting_row, member = passes.holder_of(token)
    box = sealed_boxes.box_named(box_id, meeting_row.id)
    holder = sealed_boxes.keyholder_of(box, member.id)
    if holder is None or step not in STEPS:
        raise NotFound(_("Not found."))
    data = load_input(STEP_SCHEMAS[step], data)  # each step its own input, loaded after the box and the holder
    with audit.member_acting(member.id):
        if step == "transport":
            sealed_boxes.give_transport_key(box, holder, data["transport_key"])
        elif step == "dealing":
            sealed_boxes.give_dealing(box, holder, data["dealing"])
        elif step == "confirm":
            sealed_boxes.confirm_share(box, holder, data["proof"])
        elif step == "complaint":
            sealed_boxes.complain(box, holder, data["against"])
        elif step == "paper":
            _sign_paper(meeting_row, box, holder, data)
        else:
            if sealed_boxes.give_decryption(box, holder, data["shares"]) is not None:
                _counted(meeting_row, box)
    live.changed(meeting_row.id)
    return sealed_boxes.public_state(box)


def _sign_paper(meeting_row: Meeting, box: SealedBox, holder, data: dict) -> None:
    lock(box)
    if box.stage is not BoxStage.OPEN:
        raise Conflict({"counts": [_("The hall's paper counts are signed before the close.")]})
    if box.election_id is not None:
        # One ballot per person across the phones and the box: the paper ballots are at most those present who
        # have not voted by phone.
        present = meetings.quorum_status(meeting_row, db.session.get(Body, meeting_row.body_id))["present"]
        by_phone = sealed_boxes.voted_seats(box)
        if data["ballots"] + by_phone > present:
            raise Invalid({"ballots": [_("%(paper)d paper ballots, but only %(left)d of those present have not "
                                         "voted by phone.", paper=data["ballots"], left=max(present - by_phone, 0))]})
    signed = sealed_boxes.sign_paper(box, holder, data["counts"], data["ballots"], data["signature"])
    if box.vote_id is not None and signed >= 1:
        # The counts go onto the vote as the hall's (the same checks as the tellers' counts: the room's seats
        # that have not voted by phone); the close waits for the threshold's signatures.
        vote = db.session.get(Vote, box.vote_id)
        yes, no, abstain = data["counts"]
        votes.record_counts(vote, meeting_row, db.session.get(Body, meeting_row.body_id), yes=yes, no=no,
                               abstain=abstain)


def _counted(meeting_row: Meeting, box: SealedBox) -> None:
    """The count is open: the vote judged, or the election's round entered. Where that needs the desk (a tie the
    chair settles, a sitting that lost its quorum), the counted box waits for it."""
    try:
        with db.session.begin_nested():
            if box.vote_id is not None:
                _judge(meeting_row, db.session.get(Vote, box.vote_id), box, None)
            else:
                _count_round(box)
    except (Invalid, Conflict):
        pass


@command(None, takes=SealedBallotInSchema)
def sealed_ballot(token: str, box_id: uuid.UUID, data: dict) -> str:
    """A phone's sealed ballot: every proof checked, then into the box for the seat (replacing its earlier one);
    its tracker."""
    _pass, meeting_row, member = passes.holder_of(token)
    box = sealed_boxes.box_named(box_id, meeting_row.id)
    data = loaded(data)
    if box.stage is not BoxStage.OPEN:
        raise Conflict({"ballot": [_("The sealed ballot is not open.") if box.stage is BoxStage.KEYING
                                   else _("This vote is closed.")]})
    tracker = sealed_boxes.check_ballot(box, data["ballot"])  # the costly part, before any lock
    body = db.session.get(Body, meeting_row.body_id)
    if box.vote_id is not None:
        vote = db.session.get(Vote, box.vote_id)
        seat, _in_room = votes.lock_for_ballot(vote, meeting_row, body, parameters_on(meeting_row.day), member.id)
        db.session.refresh(box)
        if box.stage is not BoxStage.OPEN or vote.closed_at is not None:
            raise Conflict({"ballot": [_("This vote is closed.")]})
        line = db.session.scalar(select(Ballot).where(Ballot.vote_id == vote.id, Ballot.member_id == seat)) \
            if seat is not None else None
        if line is None:
            seat = votes.cast(vote, meeting_row, body, member, None, Channel.PHONE, sealed=True)
        elif line.channel is not Channel.PHONE:
            raise Conflict({"member_id": [_("This seat has already voted.")]})
    else:
        seat = meetings.acting_seat(meeting_row, body, parameters_on(meeting_row.day), member.id)
        if seat is None:
            raise Invalid({"member_id": [_("Only members present can vote.")]})
        lock(box, "key_share")
        if box.stage is not BoxStage.OPEN:
            raise Conflict({"ballot": [_("This vote is closed.")]})
    sealed_boxes.drop(box, seat, data["ballot"], tracker)
    live.changed(meeting_row.id, urgent=False)
    return tracker


# --- public -------------------------------------------------------------------------------------------------------

@query(None)
def published_record(box_id: uuid.UUID) -> dict:
    """A counted box's record, for anyone to check with ``python -m opencount``."""
    return sealed_boxes.record_of(one(SealedBox, box_id))


@query(None)
def published_box(box_id: uuid.UUID, tracker: str = "") -> tuple[SealedBox, str, list[str], bool | None]:
    """A box for its public page; whether ``tracker`` is on its frozen board (None: not asked, or no board yet)."""
    box = one(SealedBox, box_id)
    subject, labels = _subject(box)
    found = None
    if tracker and box.board is not None:
        found = any(sealed_boxes.tracker_of(ballot) == tracker for ballot in box.board)
    return box, subject, labels, found

