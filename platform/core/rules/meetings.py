"""Meeting quorum, decision majority and ties (Regulation; domain.md "Meetings and decisions")."""

from __future__ import annotations

import enum
import math
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta


def absolute_majority(n: int) -> int:
    """Salt çoğunluk: more than half, ⌊n/2⌋ + 1."""
    if n < 0:
        raise ValueError("a count cannot be negative")
    return n // 2 + 1


def meeting_quorum(full_membership: int, bylaws: Mapping, *, reconvened: bool = False,
                   executive_board_size: int | None = None) -> int:
    """How many must be present for the body to meet.

    Ordinarily an absolute majority of the full membership. A session reconvened after a failed one follows
    the by-laws: no quorum at all, a floor of twice the executive board's size, or the same quorum.
    """
    if not reconvened:
        return absolute_majority(full_membership)
    rule = bylaws["reconvene_rule"]
    if rule == "no_quorum_required":
        return 0
    if rule == "floor_twice_executive_board":
        if executive_board_size is None:
            raise ValueError("the executive board's size is needed for this reconvening rule")
        return min(2 * executive_board_size, full_membership)
    return absolute_majority(full_membership)


def reconvening_problem(failed_on: date | None, day: date, window_days: int) -> str | None:
    """Why a session cannot be the reconvened one, else None: it follows a session of the same body that
    failed for lack of quorum (``failed_on``), and falls within the by-laws' window after it."""
    if failed_on is None:
        return "no_failed_session"
    if day <= failed_on:
        return "not_after"
    if (day - failed_on).days > window_days:
        return "too_late"
    return None


def quorum_reached(present: int, needed: int) -> bool:
    """Enough are present; a meeting of nobody never is one, even where no quorum is required."""
    return present >= needed and present > 0


def quorum_met(present: int, full_membership: int, bylaws: Mapping, **kwargs) -> bool:
    return quorum_reached(present, meeting_quorum(full_membership, bylaws, **kwargs))


class Outcome(enum.StrEnum):
    ADOPTED = "adopted"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Tally:
    yes: int
    no: int
    abstain: int
    present: int

    def __post_init__(self):
        if min(self.yes, self.no, self.abstain, self.present) < 0:
            raise ValueError("counts cannot be negative")
        if self.yes + self.no + self.abstain > self.present:
            raise ValueError("more votes than people present")


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    needed: int  # yes votes that carry the decision
    tie: bool = False
    decided_by: str = "majority"  # "majority", "chair", "lot", "tie_fails"
    lot_seed: int | None = None  # logged so that a drawn lot can be shown to anyone


def votes_needed(tally: Tally, bylaws: Mapping) -> int:
    """Yes votes that carry a decision under the by-laws' majority and abstention rules."""
    if bylaws["decision_majority_rule"] == "absolute_majority_of_present":
        base = tally.present if bylaws["abstentions"] == "count_as_present" else tally.yes + tally.no
        return absolute_majority(base)
    return tally.no + 1  # simple majority of the votes cast: more yes than no


def decide(tally: Tally, bylaws: Mapping, *, chair_vote: str | None = None,
           lot_seed: int | None = None, needed: int | None = None) -> Verdict:
    """The verdict on a vote.

    A tie (as many yes as no, at least one of each) follows the by-laws' tie rule: the chair's vote decides,
    a lot is drawn (with a seed that is kept), or the motion fails. ``needed`` replaces the by-laws'
    majority where a council's plugin sets its own.
    """
    needed = votes_needed(tally, bylaws) if needed is None else needed
    if tally.yes == tally.no and tally.yes > 0:
        rule = bylaws["tie_rule"]
        if rule == "chair_decides":
            if chair_vote not in ("yes", "no"):
                raise ValueError("on a tie the chair's vote (yes or no) decides")
            outcome = Outcome.ADOPTED if chair_vote == "yes" else Outcome.REJECTED
            return Verdict(outcome, needed, tie=True, decided_by="chair")
        if rule == "lot":
            seed = lot_seed if lot_seed is not None else random.SystemRandom().randrange(2**32)
            outcome = Outcome.ADOPTED if random.Random(seed).random() < 0.5 else Outcome.REJECTED
            return Verdict(outcome, needed, tie=True, decided_by="lot", lot_seed=seed)
        return Verdict(Outcome.REJECTED, needed, tie=True, decided_by="tie_fails")
    outcome = Outcome.ADOPTED if tally.yes >= needed else Outcome.REJECTED
    return Verdict(outcome, needed)


def extraordinary_session_threshold(full_membership: int, bylaws: Mapping) -> int:
    """Members whose request obliges an extraordinary general assembly (e.g. one third)."""
    return math.ceil(full_membership * bylaws["extraordinary_session_share"] - 1e-9)


def decision_number(year: int, numbers_this_year: list[str] | set[str]) -> str:
    """The next decision number of a body in a year, ``2026/14``: one more than the highest so far."""
    prefix = f"{year}/"
    used = [int(n[len(prefix):]) for n in numbers_this_year if n.startswith(prefix) and n[len(prefix):].isdigit()]
    return f"{year}/{max(used, default=0) + 1}"


def seats_represented(eligible: set, present: set, stand_ins: Mapping) -> dict:
    """Which voting seats are filled at this moment, and by whom: ``{seat holder: person acting}``.

    A principal present fills their own seat; a substitute present fills the seat of the absent principal they
    stand in for (``stand_ins``: substitute → principal). One person per seat, so a seat whose holder is
    present is never filled twice.
    """
    seats = {member: member for member in present & eligible}
    for substitute, principal in stand_ins.items():
        if substitute in present and principal in eligible and principal not in seats:
            seats[principal] = substitute
    return seats


def over_absence_limit(excused: int, unexcused: int, bylaws: Mapping) -> bool:
    """Absent too often (e.g. 3 excused or 5 in all): the next general assembly may remove the member from
    the executive board (domain.md "Meetings and decisions")."""
    return (excused >= bylaws["executive_absence_limit_excused"]
            or excused + unexcused >= bylaws["executive_absence_limit_total"])


def counts_problem(yes: int, no: int, abstain: int, voters: int) -> str | None:
    """Why counts read out by the desk (a show of hands, or a secret ballot box) cannot stand, else None:
    no count below zero, and no more votes than seats present to cast them."""
    if min(yes, no, abstain) < 0:
        return "negative"
    if yes + no + abstain > voters:
        return "too_many"
    return None


# --- one vote across the hall and the phones ----------------------------------------------------------------


def hall_capacity(seats_in_the_hall: int, voted_by_name_in_the_hall: int) -> int:
    """How many votes the hall's counts (a show of hands, the ballot box) may hold: the seats filled by people in
    the room, less those of them that already voted one by one (their phone, the desk by name, a roll call). A
    paper ballot is not one by one: its choice is in the box, so it is inside this number."""
    return max(seats_in_the_hall - voted_by_name_in_the_hall, 0)


def hall_counts_problem(yes: int, no: int, abstain: int, capacity: int, paper: int) -> str | None:
    """Why the tellers' counts cannot stand, else None: none below zero, no more than the hall may hold, and
    no fewer than the paper ballots the desk marked (each of those is a vote in the box)."""
    problem = counts_problem(yes, no, abstain, capacity)
    if problem is not None:
        return problem
    if yes + no + abstain < paper:
        return "below_paper"
    return None


def close_problem(kind: str, hall_total: int | None, paper: int) -> str | None:
    """Why a vote cannot be closed yet, else None: paper ballots were marked but the box was not counted (or
    counted short of them)."""
    if kind != "roll_call" and paper and (hall_total or 0) < paper:
        return "paper_not_counted"
    return None


def needs_confirmation(turnout: int, present: int) -> bool:
    """Closing while fewer have voted than seats are filled asks the desk to confirm: a vote closed too early
    (a phone still on its way, a show of hands not yet entered) is a decision on a part of the assembly."""
    return turnout < present


def board_composition_problems(size: int, minimum: int, assemblies_without_their_president: list[str]) -> list[str]:
    """What keeps an executive board from being lawfully composed (Regulation art. 12): fewer members than
    the statutory minimum, or an existing women's, youth or disabled people's assembly whose president does
    not sit on it. Codes; an empty list means the board is complete."""
    problems = []
    if size < minimum:
        problems.append("below_minimum")
    problems.extend(f"president_missing:{code}" for code in assemblies_without_their_president)
    return problems


def sitting_problem(now: datetime, scheduled_at: datetime, closed: bool, opens_minutes_before: int, *,
                    cancelled: bool = False) -> str | None:
    """Whether people can be checked in and votes opened now: "not_yet" before the scheduled start less the
    by-laws' tolerance (a desk opens the roll a little early, not days ahead), "closed" once the meeting is
    closed, "cancelled" if it was called off, else None."""
    if cancelled:
        return "cancelled"
    if closed:
        return "closed"
    if now < scheduled_at - timedelta(minutes=opens_minutes_before):
        return "not_yet"
    return None


def votes_open(now: datetime, scheduled_at: datetime) -> bool:
    """Whether a vote may be opened now: from the announced start on. The roll may open a little earlier (the
    by-laws' tolerance) so that the hall is counted by then, but nobody decides before the hour members were
    told: one who comes on time must not find the question already put."""
    return now >= scheduled_at


def reschedule_problem(now: datetime, scheduled_at: datetime, new_time: datetime, notice_days: int) -> str | None:
    """Why a meeting cannot move from ``scheduled_at`` to ``new_time``, else None: "past" for a time gone by;
    "notice" when brought forward with less than the by-laws' notice left from now. Postponing never needs new
    notice: nobody who was told of the meeting can be surprised by it happening later."""
    if new_time <= now:
        return "past"
    if new_time < scheduled_at and new_time - now < timedelta(days=notice_days):
        return "notice"
    return None


# --- a hybrid meeting: online presence, the speakers' list ----------------------------------------------------


def online_presence_counts(body_kind: str, bylaws: Mapping) -> bool:
    """Whether a member attending online counts towards this body's quorum (and so holds their vote): the
    by-laws name the bodies where it does; elsewhere an online participant follows the meeting as an observer."""
    return body_kind in bylaws["online_presence_counts_for"]


def silent_too_long(last_seen: datetime | None, now: datetime, timeout_seconds: int) -> bool:
    """An online participant whose phone gave no sign for longer than the by-laws allow has lost the meeting
    (left or lost the connection) and is checked out. One whose phone never gave a sign (``None``) was not
    brought in by it (the desk checked them in as online): their phone cannot fall silent."""
    return last_seen is not None and now - last_seen > timedelta(seconds=timeout_seconds)


class Stance(enum.StrEnum):
    FOR = "for"
    AGAINST = "against"
    POINT_OF_ORDER = "point_of_order"


def speaking_order(requests: list) -> list:
    """The speakers' queue in the chair's order (``position``, which starts as the order asked). A point of order
    waits in that line like any request until the chair takes it (gives it the floor, or moves it up): a
    request that jumped the queue by itself would let anyone interrupt by calling theirs one. Each request has
    ``stance``, ``position`` and ``requested_at``."""
    return sorted(requests, key=lambda r: (r.position, r.requested_at))


def speaking_limit_seconds(stance: str, bylaws: Mapping) -> int:
    minutes = bylaws["point_of_order_minutes"] if Stance(stance) is Stance.POINT_OF_ORDER else bylaws["speaking_time_minutes"]
    return minutes * 60


def speaking_time_left(started_at: datetime, now: datetime, limit_seconds: int) -> int:
    """Seconds the speaker has left (negative once over time: the chair sees by how much)."""
    return limit_seconds - int((now - started_at).total_seconds())
