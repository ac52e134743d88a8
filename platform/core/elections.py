"""Elections: candidacy with eligibility (the consecutive-term limit), rounds by the by-laws, seats with parity.

A single-seat office (president, facilitator) is decided by :func:`konsey.core.rules.elections.count_round`
(two thirds, then an absolute majority, then a run-off; or plurality). A multi-seat body (executive board
principals) fills its seats in order of votes through :func:`konsey.core.rules.parity.allocate_seats`, which
passes over, with the reason recorded, whoever would break the gender-parity share. Results create the seats
with their term dates (2 then 3 years).
"""

from __future__ import annotations

import enum
import random
import uuid
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import JSON, Date, Integer, String, Uuid, select
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core.audit import record
from konsey.core.bodies import Body, BodyKind
from konsey.core.bylaws import parameters_on
from konsey.core.errors import Conflict, Invalid
from konsey.core.meetings import Meeting, MeetingStatus, quorum_status, require_sitting
from konsey.core.membership import Member, MemberStatus
from konsey.core.participants import working_group_size as size
from konsey.core.plugins import collect, council_hooks
from konsey.core.rules.elections import (
    count_round,
    round_ballot_problem,
    settle_final_tie,
    term_start_problem,
)
from konsey.core.rules.parity import Candidate as RankedCandidate
from konsey.core.rules.parity import allocate_seats
from konsey.core.rules.terms import Mandate, may_stand, term_end
from konsey.core.seats import (
    Seat,
    SeatRole,
    assign_seat,
    board_composition,
    end_seat,
    require_working,
    seats_on,
)
from konsey.tenants.db import CouncilOwned, db, enum_of, same_council_fk, utcnow
from konsey.tenants.models import council_today


class Office(enum.StrEnum):
    PRESIDENT = "president"  # chairs the executive board
    EXECUTIVE_BOARD = "executive_board"  # principal seats
    FACILITATOR = "facilitator"  # of an assembly or working group


ROLE_OF = {Office.PRESIDENT: SeatRole.CHAIR, Office.EXECUTIVE_BOARD: SeatRole.PRINCIPAL,
           Office.FACILITATOR: SeatRole.FACILITATOR}


class ElectionStatus(enum.StrEnum):
    OPEN = "open"
    DECIDED = "decided"
    FAILED = "failed"  # the last round tied and the by-laws say a tie fails


class Election(CouncilOwned, db.Model):
    __tablename__ = "elections"

    electing_body_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    target_body_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    office: Mapped[Office] = mapped_column(enum_of(Office, 20))
    seats: Mapped[int] = mapped_column(Integer)
    term_start: Mapped[date] = mapped_column(Date)
    term_index: Mapped[int] = mapped_column(Integer)  # 0: the first (2-year) term of the cycle, 1: the second
    # The electing body's sitting where the rounds are held (a round may name another, e.g. a reconvened one).
    meeting_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    status: Mapped[ElectionStatus] = mapped_column(enum_of(ElectionStatus, 10), default=ElectionStatus.OPEN)
    rounds: Mapped[list] = mapped_column(JSON, default=list)  # [{"round", "votes", "result"}], for the record
    result: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (
        same_council_fk("electing_body_id", "bodies"),
        same_council_fk("target_body_id", "bodies"),
        same_council_fk("meeting_id", "meetings"),
    )


class Candidacy(CouncilOwned, db.Model):
    __tablename__ = "candidacies"

    election_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    member_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    note: Mapped[str | None] = mapped_column(String(200))

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "election_id", "member_id"),
        same_council_fk("election_id", "elections", ondelete="CASCADE"),
        same_council_fk("member_id", "members", ondelete="CASCADE"),
    )


def working_group_size(body: Body, day: date) -> int:

    return size(body, day)


def board_warnings(composition: dict) -> list[str]:
    """The executive board's composition problems as sentences (rules.board_composition_problems' codes)."""
    lines = []
    if "below_minimum" in composition["problems"]:
        lines.append(_("The executive board has %(size)d members, fewer than the %(minimum)d the statute requires.",
                       size=composition["size"], minimum=composition["minimum"]))
    lines.extend(_("The president of the %(assembly)s does not sit on the executive board.", assembly=assembly.name)
                 for assembly in composition["missing_presidents"])
    return lines


def _elects_officers(office: Office, target: Body, bylaws: dict) -> int:
    """How many officers a working group's election elects beside its president (rule 6; 0 when it elects one
    facilitator): where the by-laws say so, one election fills the president's post and the officers' posts."""
    if office is not Office.FACILITATOR or target.kind is not BodyKind.WORKING_GROUP:
        return 0
    return bylaws.get("working_group_officers", 0)


def _require_sitting_of(electing: Body, meeting: Meeting) -> None:
    """Rule 1: an election is held in a sitting of the electing body that has not closed."""
    if meeting.body_id != electing.id:
        raise Invalid({"meeting_id": [_("The election is held in a meeting of the electing body.")]})
    if meeting.status is MeetingStatus.CLOSED:
        raise Conflict({"meeting_id": [_("The meeting is closed.")]})


def call_election(electing: Body, target: Body, office: Office, seats: int, term_start: date,
                  term_index: int, meeting: Meeting | None = None) -> Election:
    require_working(electing, "electing_body_id")
    require_working(target, "target_body_id")
    bylaws = parameters_on(term_start)
    today = council_today()
    if term_start_problem(term_start, today, parameters_on(today)["election_term_start_past_days"]):
        raise Invalid({"term_start": [_("The term cannot have begun more than %(days)d days ago.",
                                        days=parameters_on(today)["election_term_start_past_days"])]})
    if meeting is not None:
        _require_sitting_of(electing, meeting)
    if electing.kind is BodyKind.WORKING_GROUP:
        taking_part = working_group_size(electing, term_start)
        if taking_part < bylaws["working_group_election_min_participants"]:
            raise Invalid({"electing_body_id": [_(
                "A working group elects with at least %(needed)d people taking part; it has %(count)d.",
                needed=bylaws["working_group_election_min_participants"], count=taking_part)]})
    co_chairs = office is Office.FACILITATOR and seats == 2 and bylaws["co_chairs_one_woman_one_man"]
    officers = _elects_officers(office, target, bylaws)
    if officers and seats != 1 + officers:
        raise Invalid({"seats": [_("The by-laws have a working group elect its president and %(officers)d "
                                   "officers together: %(seats)d seats.", officers=officers, seats=1 + officers)]})
    if office is not Office.EXECUTIVE_BOARD and seats != 1 and not co_chairs and not officers:
        raise Invalid({"seats": [_("This office has a single seat.")]})
    election = Election(electing_body_id=electing.id, target_body_id=target.id, office=office, seats=seats,
                        term_start=term_start, term_index=term_index, meeting_id=meeting.id if meeting else None)
    db.session.add(election)
    db.session.flush()
    record("election.called", election, {"office": office.value, "seats": seats})
    return election


def _vacate_for_office(target: Body, member: Member, term_start: date) -> None:
    """A member of the body elected to one of its offices: the ordinary seat ends the day before the term."""
    from datetime import timedelta


    for seat in seats_on(target, term_start):
        if seat.member_id == member.id and seat.starts_on < term_start:
            end_seat(seat, term_start - timedelta(days=1), "elected to an office")


def mandates_of(member: Member, target: Body) -> list[Mandate]:
    seats = db.session.scalars(select(Seat).where(Seat.member_id == member.id, Seat.body_id == target.id)).all()
    return [Mandate(office=seat.role.value, start=seat.starts_on, end=seat.ends_on or date.max) for seat in seats]


def stand(election: Election, member: Member) -> Candidacy:
    """Register a candidate, if they are an active member and not over the consecutive-term limit."""
    if election.status is not ElectionStatus.OPEN:
        raise Conflict({"election": [_("This election is closed.")]})
    if member.status is not MemberStatus.ACTIVE:
        raise Invalid({"member_id": [_("Only an active member can stand.")]})
    target = db.session.get(Body, election.target_body_id)
    bylaws = parameters_on(election.term_start)
    if not may_stand(mandates_of(member, target), ROLE_OF[election.office].value, election.term_start, bylaws):
        raise Invalid({"member_id": [_("This member has served the most consecutive terms allowed in "
                                               "this office.")]})
    if election.office is Office.FACILITATOR and target.kind is BodyKind.WORKING_GROUP \
            and bylaws["working_group_one_officer_post"]:
        elsewhere = [seat for body in db.session.scalars(select(Body).where(
                         Body.kind == BodyKind.WORKING_GROUP, Body.id != target.id))
                     for seat in seats_on(body, election.term_start)
                     if seat.member_id == member.id and seat.role in (SeatRole.FACILITATOR, SeatRole.CHAIR)]
        if elsewhere:
            raise Conflict({"member_id": [_("This member already holds an officer post in another working "
                                                   "group; the by-laws allow one.")]})
    if db.session.scalar(select(Candidacy.id).where(Candidacy.election_id == election.id,
                                                    Candidacy.member_id == member.id)):
        raise Conflict({"member_id": [_("This member is already a candidate.")]})
    refusals = collect(council_hooks().hook.konsey_candidate_eligibility(election=election, member=member))
    if refusals:
        raise Invalid({"member_id": [str(reason) for reason in refusals]})
    candidacy = Candidacy(election_id=election.id, member_id=member.id)
    db.session.add(candidacy)
    db.session.flush()
    record("election.candidate", candidacy, {"election": str(election.id), "member": str(member.id)})
    return candidacy


def _check_the_box(election: Election, electing: Body, meeting: Meeting | None, votes: dict[str, int],
                   ballots_cast: int | None, blank: int, invalid: int) -> tuple[Meeting, int, dict]:
    """Rule 1: the round is counted in a sitting of the electing body whose quorum is met, with no more ballots
    than people present with a vote and no more votes than the ballots carry. Returns (the sitting, the
    ballots cast, its quorum)."""
    if meeting is None:
        raise Invalid({"meeting_id": [_("An election round is held in a meeting of the electing body: name it.")]})
    _require_sitting_of(electing, meeting)
    try:
        require_sitting(meeting)
    except Conflict as refusal:  # said of the round's field
        raise Conflict({"meeting_id": refusal.errors.get("meeting", [])}) from None
    quorum = quorum_status(meeting, electing)
    if not quorum["quorum_met"]:
        raise Conflict({"meeting_id": [_("The meeting has no quorum: %(present)d present, %(needed)d needed.",
                                         present=quorum["present"], needed=quorum["needed"])]})
    if ballots_cast is None:
        if election.seats > 1:
            raise Invalid({"ballots_cast": [_("Give the number of ballots cast: each may name several "
                                              "candidates.")]})
        ballots_cast = sum(votes.values()) + blank + invalid
    problem = round_ballot_problem(votes, election.seats, ballots_cast, blank, invalid, quorum["present"])
    if problem == "over_present":
        raise Invalid({"ballots_cast": [_("%(ballots)d ballots, but only %(present)d members with a vote are "
                                          "present.", ballots=ballots_cast, present=quorum["present"])]})
    if problem == "blank_invalid":
        raise Invalid({"blank": [_("More blank and invalid ballots than ballots cast.")]})
    if problem == "over_ballots":
        raise Invalid({"votes": [_("The votes are more than the %(ballots)d ballots cast could carry.",
                                   ballots=ballots_cast - blank - invalid)]})
    return meeting, ballots_cast, quorum


def count(election: Election, votes: dict[str, int], *, chair_choice: str | None = None,
          meeting: Meeting | None = None, ballots_cast: int | None = None, blank: int = 0,
          invalid: int = 0) -> dict:
    """Enter one round's counted (secret) ballots, in a quorate sitting of the electing body (``meeting``, or
    the election's own); decide if the rules allow, else say what comes next."""
    if election.status is not ElectionStatus.OPEN:
        raise Conflict({"election": [_("This election is closed.")]})
    candidates = {str(c.member_id): c for c in db.session.scalars(
        select(Candidacy).where(Candidacy.election_id == election.id))}
    if unknown := set(votes) - set(candidates):
        raise Invalid({"votes": [_("Not a candidate: %(id)s", id=sorted(unknown)[0])]})
    if any(not isinstance(n, int) or n < 0 for n in votes.values()):
        raise Invalid({"votes": [_("Votes are whole numbers, zero or more.")]})
    previous = election.rounds[-1]["result"] if election.rounds else None
    if previous and previous.get("runoff_between") and set(votes) - set(previous["runoff_between"]):
        raise Invalid({"votes": [_("Only the run-off candidates can receive votes in this round.")]})
    electing = db.session.get(Body, election.electing_body_id)
    target = db.session.get(Body, election.target_body_id)
    if meeting is None and election.meeting_id is not None:
        meeting = db.session.get(Meeting, election.meeting_id)
    meeting, ballots_cast, quorum = _check_the_box(election, electing, meeting, votes, ballots_cast, blank, invalid)
    bylaws = parameters_on(election.term_start)
    # "Of the full membership" is the electing body's on the day of the sitting, not on the term's first day.
    members = quorum["full_membership"]
    number = len(election.rounds) + 1
    failed = False
    warnings: list[str] = []
    officers = _elects_officers(election.office, target, bylaws)
    if election.seats > 1:
        if election.office is Office.FACILITATOR and not officers:
            # Co-spokespersons: one woman and one man, whatever the bodies' general share.
            bylaws = {**bylaws, "gender_parity_share": 0.5}
        people = {str(m.id): m for m in db.session.scalars(select(Member).where(
            Member.id.in_([uuid.UUID(k) for k in votes])))}
        ranked = sorted((RankedCandidate(k, people[k].gender.value if people[k].gender else None, n)
                         for k, n in votes.items()), key=lambda c: (-c.votes, people[c.id].sort_name))
        allocation = allocate_seats(ranked, election.seats, bylaws)
        result = {"elected": [c.id for c in allocation.elected],
                  "passed_over": [{"member_id": c.id, "reason": r} for c, r in allocation.passed_over],
                  "parity_met": allocation.parity_met}
        winners = result["elected"]
    else:
        outcome = count_round(number, votes, members, bylaws)
        result = {"winner": outcome.winner, "needed": outcome.needed, "runoff_between": list(outcome.runoff_between),
                  "tie": outcome.tie}
        final = number >= 3 or bylaws["election_round_rule"] == "plurality"
        if outcome.tie and final:
            # The tie rule of the electing body: the statute's (the by-laws'), or a council plugin's.
            bylaws = {**bylaws, "tie_rule": council_hooks().hook.konsey_tie_rule(body=electing, bylaws=bylaws)}
            seed = random.SystemRandom().randrange(2**32) if bylaws["tie_rule"] == "lot" else None
            try:
                winner, decided_by = settle_final_tie(outcome.runoff_between, bylaws["tie_rule"],
                                                      chair_choice=chair_choice, seed=seed)
            except ValueError:
                raise Invalid({"chair_choice": [_(
                    "The last round is tied: the chair chooses one of the tied candidates.")]}) from None
            result.update(winner=winner, decided_by=decided_by)
            if seed is not None:
                result["lot_seed"] = seed
            failed = winner is None
        winners = [result["winner"]] if result["winner"] else []
    election.rounds = [*election.rounds, {"round": number, "votes": votes, "result": result,
                                          "meeting_id": str(meeting.id), "ballots_cast": ballots_cast,
                                          "blank": blank, "invalid": invalid, "present": quorum["present"]}]
    if winners:
        elected = [db.session.get(Member, uuid.UUID(member_id)) for member_id in winners]
        refusals = collect(council_hooks().hook.konsey_seat_allocation_check(election=election, elected=elected))
        if refusals:
            raise Invalid({"votes": [str(reason) for reason in refusals]})
        ends = term_end(election.term_start, election.term_index, bylaws)
        role = ROLE_OF[election.office]
        if officers:
            # The most voted of those elected presides; the others are the group's officers.
            order = {member_id: -votes.get(member_id, 0) for member_id in winners}
            elected.sort(key=lambda m: (order[str(m.id)], m.sort_name))
            result["president"] = str(elected[0].id)
        for index, member in enumerate(elected):
            _vacate_for_office(target, member, election.term_start)
            assign_seat(target, member, SeatRole.CHAIR if officers and index == 0 else role, election.term_start,
                        ends)
        if target.kind is BodyKind.EXECUTIVE_BOARD:
            # Rule 3: an election that leaves the board short of the statute says so, and why.
            composition = board_composition(election.term_start, bylaws)
            if composition["problems"]:
                result["board_problems"] = composition["problems"]
                warnings = board_warnings(composition)
        election.status, election.result = ElectionStatus.DECIDED, {**result, "term_ends": ends.isoformat()}
    elif failed:
        election.status, election.result = ElectionStatus.FAILED, result
    db.session.flush()
    record("election.round", election, {"round": number, "decided": bool(winners), "meeting": str(meeting.id),
                                        "ballots_cast": ballots_cast})
    return {"round": number, **result, **({"board_warnings": warnings} if warnings else {})}
