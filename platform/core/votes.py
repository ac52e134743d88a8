"""Votes in a meeting: one vote across every channel, counted once.

Each seat votes at most once, through whichever way it can: its phone, the desk for it by name, a roll call, or a
paper ballot into the hall's box; the rest of the room by the hall's counts (a show of hands, or the box counted
by the tellers). Every verdict is reached by :mod:`konsey.core.rules.meetings` with the by-laws in force on the
meeting's day. The meetings themselves, their attendance and quorum are :mod:`konsey.core.meetings`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from konsey.core import secret_ballots
from konsey.core.audit import record
from konsey.core.bodies import Body, BodyKind
from konsey.core.bylaws import parameters_on
from konsey.core.counters import next_number
from konsey.core.errors import Conflict, Invalid
from konsey.core.formats import moment_text
from konsey.core.meetings import (
    CHOICE_KEYS,
    AgendaItem,
    Attendance,
    Ballot,
    Channel,
    Choice,
    Meeting,
    MeetingStatus,
    Vote,
    VoteKind,
    VotePurpose,
    eligibility,
    eligible_members,
    filled_seat_count,
    filled_seats,
    quorum_status,
    require_sitting,
    seat_and_place,
    stand_ins,
)
from konsey.core.membership import Member
from konsey.core.outbox import emit
from konsey.core.plugins import council_hooks
from konsey.core.rules import meetings as rules
from konsey.tenants.db import as_utc, db, lock, utcnow

# --- votes ---------------------------------------------------------------------------------------------------
#
# One vote, every channel. Each seat votes at most once, through whichever way it can: its phone, the desk for it
# by name, a roll call, or a paper ballot into the hall's box; the rest of the room by the hall's counts (a show
# of hands, or the box counted by the tellers). The vote keeps who has voted and how they reached it (the ledger,
# :class:`Ballot`) apart from what was chosen: by name on the ledger for an open vote or a roll call, in
# :mod:`konsey.core.secret_ballots` for a secret one, as counts on the vote for the hall. Every step that decides
# on an open vote locks it first (konsey.tenants.db.lock): a ballot shares the lock, the close takes it alone,
# so a ballot answered "recorded" is in the verdict and none is added after it.


def hall_seats(meeting: Meeting, body: Body, bylaws: dict) -> set[uuid.UUID]:
    """The voting seats filled by people in the room (not online): who the hall's counts can be about."""
    in_room = (Attendance.meeting_id == meeting.id) & Attendance.left_at.is_(None) & Attendance.online.is_(False)
    if body.kind is BodyKind.GENERAL_ASSEMBLY:  # a seat is a person: asked of the database, not loaded twice
        return set(db.session.scalars(select(Member.id).where(
            eligibility(body, bylaws, set()), Member.id.in_(select(Attendance.member_id).where(in_room)))))
    people = set(db.session.scalars(select(Attendance.member_id).where(in_room)))
    return {seat for seat, person in filled_seats(meeting, body, bylaws).items() if person in people}


@dataclass
class VoteCount:
    """Where a vote stands: the turnout of each channel and, where they may be shown, the choices."""

    turnout: dict  # channel (and "hall") → how many voted that way
    named: dict  # for an open vote and a roll call: channel → {"yes": n, "no": n, "abstain": n}
    hall: dict | None  # the tellers' counts, once entered (a secret vote's are not shown apart after the close)
    totals: dict | None  # yes / no / abstain: for an open vote or a roll call always; a secret one once closed
    paper: int  # paper ballots marked (they are inside the hall's counts)

    @property
    def voted(self) -> int:
        """Seats that have voted: one by one, plus the hall's counts (which hold the paper ballots)."""
        by_name = sum(n for channel, n in self.turnout.items() if channel not in ("hall", Channel.PAPER.value))
        return by_name + max(self.turnout.get("hall", 0), self.paper)


def _hall_counts(vote: Vote) -> dict | None:
    if vote.hall_yes is None:
        return None
    return {"yes": vote.hall_yes, "no": vote.hall_no, "abstain": vote.hall_abstain}


def count_of(vote: Vote) -> VoteCount:
    """The vote's count by channel, in one statement over its ledger. A secret vote's choices are in its box
    until the close and in its totals after it: never by channel."""
    return counts_of([vote])[vote.id]


def counts_of(votes: list[Vote]) -> dict[uuid.UUID, VoteCount]:
    """:func:`count_of` for several votes in one statement (the desk shows every vote of a meeting)."""
    rows: dict = {vote.id: [] for vote in votes}
    if votes:
        for vote_id, channel, choice, n in db.session.execute(
                select(Ballot.vote_id, Ballot.channel, Ballot.choice, func.count())
                .where(Ballot.vote_id.in_(list(rows))).group_by(Ballot.vote_id, Ballot.channel, Ballot.choice)):
            rows[vote_id].append((channel, choice, n))
    return {vote.id: _count(vote, rows[vote.id]) for vote in votes}


def _count(vote: Vote, ledger: list) -> VoteCount:
    turnout: dict = {}
    named: dict = {}
    for channel, choice, n in ledger:
        turnout[channel.value] = turnout.get(channel.value, 0) + n
        if choice is not None:
            named.setdefault(channel.value, dict.fromkeys(CHOICE_KEYS, 0))[choice.value] += n
    hall = _hall_counts(vote)
    paper = turnout.get(Channel.PAPER.value, 0)
    if hall is not None:
        turnout["hall"] = sum(hall.values())
    elif vote.hall_turnout is not None:
        turnout["hall"] = vote.hall_turnout
    if vote.closed_at is not None:
        totals = {"yes": vote.yes, "no": vote.no, "abstain": vote.abstain}
    elif vote.kind is VoteKind.SECRET:
        totals = None
    else:
        totals = {key: sum(counts[key] for counts in named.values()) + (hall or {}).get(key, 0)
                  for key in CHOICE_KEYS}
    if vote.kind is VoteKind.SECRET:
        hall = None if vote.closed_at is not None else hall  # the desk entered them; after the close, totals only
    return VoteCount(turnout, named, hall, totals, paper)


def meeting_of_vote(vote: Vote) -> Meeting:
    """The meeting where ``vote`` was taken."""
    return db.session.scalar(select(Meeting).join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
                             .where(AgendaItem.id == vote.agenda_item_id))


def open_vote(meeting: Meeting, body: Body, item: AgendaItem, kind: VoteKind,
              purpose: VotePurpose = VotePurpose.DECISION, sealed: bool = False) -> Vote:
    """``sealed``: a secret vote whose ballots are sealed on the phones (the caller calls its box)."""
    if sealed and kind is not VoteKind.SECRET:
        raise Invalid({"sealed": [_("Only a secret vote is held with sealed ballots.")]})
    require_sitting(meeting)
    if not rules.votes_open(utcnow(), as_utc(meeting.scheduled_at)):
        raise Conflict({"meeting": [_("Votes open at the announced start, %(time)s.",
                                      time=moment_text(meeting.scheduled_at))]})
    status = quorum_status(meeting, body)
    if not status["quorum_met"]:
        raise Conflict({"quorum": [_("There is no quorum: %(present)d present, %(needed)d needed.",
                                            present=status["present"], needed=status["needed"])]})
    # One vote at a time in a meeting: the phones, the projector and the hall follow one question (two desks
    # opening at once take turns on the meeting's row).
    lock(meeting, "no_key_update")
    open_now = db.session.scalar(select(Vote.agenda_item_id).join(AgendaItem, AgendaItem.id == Vote.agenda_item_id)
                                 .where(AgendaItem.meeting_id == meeting.id, Vote.closed_at.is_(None)).limit(1))
    if open_now == item.id:
        raise Conflict({"agenda_item_id": [_("A vote on this item is already open.")]})
    if open_now is not None:
        raise Conflict({"agenda_item_id": [_("Another vote of this meeting is open: close it first.")]})
    meeting.status = MeetingStatus.OPEN
    meeting.opened_at = meeting.opened_at or utcnow()
    vote = Vote(agenda_item_id=item.id, kind=kind, present=status["present"], purpose=purpose, sealed=sealed)
    db.session.add(vote)
    db.session.flush()
    if kind is VoteKind.SECRET and not sealed:
        secret_ballots.open_box(vote.id)
    record("vote.opened", vote, {"item": str(item.id), "kind": kind.value, "present": status["present"],
                                 "sealed": sealed})
    return vote


def cast(vote: Vote, meeting: Meeting, body: Body, member: Member, choice: Choice | None,
         channel: Channel = Channel.DESK, *, sealed: bool = False, key: str | None = None,
         again: bool = False) -> uuid.UUID:
    """One seat's vote through one channel: ``member`` votes (for their own seat, or as the substitute holding
    another's), by phone or at the desk with a ``choice``; or the desk marks their paper ballot (``choice``
    None: the choice is in the box, and so in the hall's counts); or, ``sealed``, their phone's sealed ballot
    goes into the vote's sealed box (the caller's part: here only the ledger's line). The seat it counted for.

    ``key``: the phone's random key for this ballot, kept with it; ``again``: the phone sends it once more because
    its first answer was lost (a 503 while the database failed over, a dropped connection). A ballot of the seat
    already recorded with that key is that one: the seat is answered as recorded, and nothing is counted twice."""
    if vote.sealed and not sealed and channel is not Channel.PAPER:
        raise Invalid({"choice": [_("This vote is held with sealed ballots: vote on the sealed ballot's page of "
                                    "your phone, or on paper in the hall.")]})
    if sealed:
        choice = None
    elif channel is Channel.PAPER:
        if vote.kind is VoteKind.ROLL_CALL:
            raise Invalid({"channel": [_("A roll call is recorded name by name, not on paper.")]})
        choice = None
    elif choice is None:
        raise Invalid({"choice": [_("Choose yes, no or abstain.")]})
    if again and key and (recorded := _recorded_with(vote, member, key)) is not None:
        return recorded  # the first try was recorded: its answer was lost, not the ballot
    bylaws = parameters_on(meeting.day)
    seat, in_room = lock_for_ballot(vote, meeting, body, bylaws, member.id)
    if seat is None:
        if not eligible_members(body, meeting.day, bylaws, among={member.id}) and member.id not in stand_ins(
                meeting, body, bylaws):
            raise Invalid({"member_id": [_("This member holds no vote in this body.")]})
        if db.session.scalar(select(Attendance.id).where(Attendance.meeting_id == meeting.id, Attendance.online,
                                                         Attendance.member_id == member.id,
                                                         Attendance.left_at.is_(None))):
            raise Invalid({"member_id": [_("Online presence does not count in this body under the by-laws: "
                                           "an online participant follows the meeting but does not vote.")]})
        raise Invalid({"member_id": [_("Only members present can vote.")]})
    if vote.closed_at is not None:
        raise Conflict({"vote": [_("This vote is closed.")]})
    if channel is Channel.PAPER and not in_room:
        raise Invalid({"member_id": [_("A paper ballot is cast in the room; this person is not in it.")]})
    counted_room = set(vote.hall_room or ()) if vote.hall_yes is not None else set()
    if channel is not Channel.PAPER and str(seat) in counted_room:
        # A seat of the room the tellers counted votes by name (from the room or, having left it, online): were
        # the counts to hold more than the seats of that room not yet voted by name, it would be counted twice.
        room = {uuid.UUID(seat_id) for seat_id in counted_room}
        named = _voted_by_name(vote, room) + 1
        if sum(_hall_counts(vote).values()) > rules.hall_capacity(len(room), named):
            raise Conflict({"member_id": [_("The hall's counts already include every seat in the room that has "
                                            "not voted by name; the tellers correct their counts first.")]})
    # The unique (vote, seat) key decides, whatever the channel and however many at once: a second ballot of the
    # seat fails its insert, and the whole unit of work is rolled back with the 409 (no savepoint: a ballot is the
    # hot path of a 1,500-phone vote, and nothing after a refused one is kept).
    ballot = Ballot(vote_id=vote.id, member_id=seat, cast_by_id=member.id if seat != member.id else None,
                    channel=channel, cast_at=utcnow(), choice=choice if vote.kind is not VoteKind.SECRET else None,
                    client_key=key)
    if again and key:
        # A retry while the first try may still be committing: its insert waits on the seat's key and fails once the
        # first commits. In a savepoint (retries are rare: the hot path keeps none), so that the first can be read.
        try:
            with db.session.begin_nested():
                db.session.add(ballot)
        except IntegrityError:
            if _recorded_with(vote, member, key) is not None:
                return seat
            raise Conflict({"member_id": [_("This seat has already voted.")]}) from None
    else:
        db.session.add(ballot)
        try:
            db.session.flush()
        except IntegrityError:
            raise Conflict({"member_id": [_("This seat has already voted.")]}) from None
    if vote.kind is VoteKind.SECRET and choice is not None:
        secret_ballots.drop_in(vote.id, choice.value)
    return seat


def _recorded_with(vote: Vote, member: Member, key: str) -> uuid.UUID | None:
    """The seat a ballot of this vote was recorded for with this key, cast by ``member`` for their own seat or as
    the substitute holding another's (whatever the seat is now: a substitute may have handed it back since)."""
    return db.session.scalar(select(Ballot.member_id).where(
        Ballot.vote_id == vote.id, Ballot.client_key == key,
        or_(Ballot.member_id == member.id, Ballot.cast_by_id == member.id)))


def lock_for_ballot(vote: Vote, meeting: Meeting, body: Body, bylaws: dict,
                    member_id: uuid.UUID) -> tuple[uuid.UUID | None, bool]:
    """The seat ``member_id`` votes for and whether they are in the room, the vote locked as their ballot needs it
    (nothing locked for someone with no seat). A ballot of someone in the room, or of a seat the tellers' counts may
    hold, is checked against those counts and the other such ballots: it takes the vote alone. Any other ballot
    only shares it with its like; the close always takes it alone, so no ballot is ever beside the close. Taken
    once, in the mode the ballot needs: a shared lock raised to an exclusive one later deadlocks with its like."""
    seat, in_room = seat_and_place(meeting, body, bylaws, member_id)
    if seat is not None:
        counted_room = set(vote.hall_room or ()) if vote.hall_yes is not None else set()
        lock(vote, "update" if in_room or str(seat) in counted_room else "key_share")
    return seat, in_room


def _voted_by_name(vote: Vote, seats: set) -> int:
    """How many of ``seats`` voted one by one (not on paper) in this vote."""
    voted = set(db.session.scalars(select(Ballot.member_id).where(Ballot.vote_id == vote.id,
                                                                   Ballot.channel != Channel.PAPER)))
    return len(voted & seats)


def hall_capacity(vote: Vote, meeting: Meeting, body: Body, bylaws: dict | None = None) -> int:
    """How many votes the hall's counts may hold now (the desk shows it beside the counts form)."""
    in_hall = hall_seats(meeting, body, bylaws or parameters_on(meeting.day))
    return rules.hall_capacity(len(in_hall), _voted_by_name(vote, in_hall))


def record_counts(vote: Vote, meeting: Meeting, body: Body, *, yes: int, no: int, abstain: int) -> None:
    """The tellers' counts of the room (a show of hands, or the ballot box with its paper ballots), for the seats
    in the room that have not voted by name; entered again to correct them, until the close. A roll call is by
    name only."""
    if vote.kind is VoteKind.ROLL_CALL:
        raise Invalid({"kind": [_("A roll call is recorded name by name, not as counts.")]})
    lock(vote)  # alone: no ballot by name slips in between the check and the counts
    if vote.closed_at is not None:
        raise Conflict({"vote": [_("This vote is closed.")]})
    in_hall = hall_seats(meeting, body, parameters_on(meeting.day))
    capacity = rules.hall_capacity(len(in_hall), _voted_by_name(vote, in_hall))
    paper = db.session.scalar(select(func.count(Ballot.id)).where(Ballot.vote_id == vote.id,
                                                                   Ballot.channel == Channel.PAPER)) or 0
    problem = rules.hall_counts_problem(yes, no, abstain, capacity, paper)
    if problem == "negative":
        raise Invalid({"yes": [_("A count cannot be below zero.")]})
    if problem == "too_many":
        raise Invalid({"yes": [_("%(total)d votes, but only %(voters)d seats in the room have not voted by name.",
                                 total=yes + no + abstain, voters=capacity)]})
    if problem == "below_paper":
        raise Invalid({"yes": [_("%(total)d votes, but %(paper)d paper ballots were marked: the box holds at "
                                 "least those.", total=yes + no + abstain, paper=paper)]})
    vote.hall_yes, vote.hall_no, vote.hall_abstain = yes, no, abstain
    # The room as counted: a seat of it that votes by name later, even from elsewhere, is checked against these.
    vote.hall_room = sorted(str(seat) for seat in in_hall)
    db.session.flush()


def turnout_of(vote: Vote) -> int:
    """How many seats have voted, through every channel (all a secret vote tells while it is open)."""
    return count_of(vote).voted


def check_closable(vote: Vote, meeting: Meeting, body: Body, *, confirm: bool = True) -> tuple[VoteCount, int]:
    """Lock the vote alone (ballots in flight are finished first, and none comes after) and check that it may be
    closed now: open, its paper ballots counted, and confirmed while fewer have voted than seats are filled.
    Its count and the seats filled."""
    lock(vote)
    if vote.closed_at is not None:
        raise Conflict({"vote": [_("This vote is closed.")]})
    count = count_of(vote)
    if rules.close_problem(vote.kind.value, count.turnout.get("hall"), count.paper) == "paper_not_counted":
        raise Invalid({"yes": [_("%(paper)d paper ballots were marked: enter the counts of the box before the "
                                 "close.", paper=count.paper)]})
    present = filled_seat_count(meeting, body, parameters_on(meeting.day))
    if not confirm and rules.needs_confirmation(count.voted, present):
        raise Conflict({"confirm": [_("%(voted)d of the %(present)d seats present have voted. Close the vote "
                                      "anyway?", voted=count.voted, present=present)]})
    return count, present


def close_vote(vote: Vote, meeting: Meeting, body: Body, *, chair_vote: str | None = None,
               confirm: bool = True, sealed_counts: dict | None = None) -> rules.Verdict:
    """Count every channel, judge the sum by the by-laws of the meeting's day, and number the decision if it was
    adopted. ``confirm`` False: refused while fewer have voted than seats are filled (the desk confirms). A sealed
    vote is judged once its box is counted: ``sealed_counts`` are the phones' counts its keyholders opened."""
    if vote.sealed and sealed_counts is None:
        raise Conflict({"vote": [_("The sealed ballots are counted by their keyholders first.")]})
    count, present = check_closable(vote, meeting, body, confirm=confirm or vote.sealed)
    bylaws = parameters_on(meeting.day)
    if vote.kind is VoteKind.SECRET:
        box = sealed_counts if vote.sealed else secret_ballots.empty_box(vote.id)
        hall = _hall_counts(vote) or dict.fromkeys(CHOICE_KEYS, 0)
        totals = {key: box[key] + hall[key] for key in CHOICE_KEYS}
        # Kept: the totals and each channel's turnout; not the hall's counts apart (with the totals they would
        # give the phones' subtotal, which can name a voter).
        vote.hall_turnout = sum(hall.values()) if vote.hall_yes is not None else None
        vote.hall_yes = vote.hall_no = vote.hall_abstain = None
    else:
        totals = count.totals
        vote.hall_turnout = count.turnout.get("hall")
    vote.yes, vote.no, vote.abstain = totals["yes"], totals["no"], totals["abstain"]
    vote.hall_room = None  # needed only while ballots may still come
    tally = rules.Tally(yes=vote.yes, no=vote.no, abstain=vote.abstain,
                        present=max(vote.present, present, sum(totals.values())))
    hooks = council_hooks().hook
    bylaws = {**bylaws, "tie_rule": hooks.konsey_tie_rule(body=body, bylaws=bylaws)}  # the statute's, or a plugin's
    try:
        verdict = rules.decide(tally, bylaws, chair_vote=chair_vote,
                               needed=hooks.konsey_votes_needed(body=body, tally=tally, bylaws=bylaws))
    except ValueError:
        raise Invalid({"chair_vote": [_("The vote is tied: the chair's vote (yes or no) decides.")]}) from None
    vote.closed_at = utcnow()
    vote.outcome, vote.decided_by, vote.lot_seed = verdict.outcome.value, verdict.decided_by, verdict.lot_seed
    if verdict.outcome is rules.Outcome.ADOPTED and vote.purpose is VotePurpose.DECISION:
        # Only the body's decisions are numbered: the board, the agenda and floor motions are steps of the meeting.
        year = meeting.day.year

        def highest_so_far() -> int:
            numbers = db.session.scalars(
                select(Vote.decision_number)
                .join(AgendaItem, AgendaItem.id == Vote.agenda_item_id)
                .join(Meeting, Meeting.id == AgendaItem.meeting_id)
                .where(Meeting.body_id == body.id, Vote.decision_number.is_not(None))
            ).all()
            return int(rules.decision_number(year, numbers).split("/")[1]) - 1

        vote.decision_number = f"{year}/{next_number(f'decision:{body.id}:{year}', highest_so_far)}"

        emit("decision.taken", {"vote_id": str(vote.id)})  # the body's members are told
    db.session.flush()
    record("vote.closed", vote, {"yes": vote.yes, "no": vote.no, "abstain": vote.abstain, "present": vote.present,
                                 "outcome": vote.outcome, "decided_by": vote.decided_by,
                                 "decision_number": vote.decision_number})
    return verdict


def withdraw_vote(vote: Vote) -> None:
    """A vote in which no ballot could be cast (a sealed one whose key was never made) is withdrawn: the meeting
    goes on as if it had not been opened, and the audit chain keeps that it was."""
    lock(vote)
    if db.session.scalar(select(func.count(Ballot.id)).where(Ballot.vote_id == vote.id)):
        raise Conflict({"vote": [_("Ballots were cast in this vote: it is closed, not withdrawn.")]})
    record("vote.withdrawn", vote, {"kind": vote.kind.value})
    db.session.delete(vote)
    db.session.flush()
