"""Election rounds by the by-laws: two thirds, then absolute majority, then a run-off; or plurality."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from konsey.core.rules.meetings import absolute_majority


@dataclass(frozen=True)
class RoundResult:
    round: int
    winner: str | None  # None: no one elected in this round
    needed: int
    runoff_between: tuple[str, ...] = ()  # set when the next round is a run-off
    tie: bool = False


def votes_needed_in_round(round_number: int, full_membership: int, bylaws: Mapping) -> int:
    if bylaws["election_round_rule"] == "plurality":
        return 1
    if round_number == 1:
        return math.ceil(2 * full_membership / 3 - 1e-9)
    if round_number == 2:
        return absolute_majority(full_membership)
    return 1  # the run-off: most votes


def count_round(round_number: int, votes: Mapping[str, int], full_membership: int, bylaws: Mapping) -> RoundResult:
    """Who, if anyone, is elected in this round of a single-seat election (president, facilitator)."""
    needed = votes_needed_in_round(round_number, full_membership, bylaws)
    ranked = sorted(votes.items(), key=lambda item: item[1], reverse=True)
    if not ranked:
        return RoundResult(round_number, None, needed)
    top_votes = ranked[0][1]
    leaders = [name for name, count in ranked if count == top_votes]
    if len(leaders) == 1 and top_votes >= needed:
        return RoundResult(round_number, leaders[0], needed)
    if len(leaders) > 1 and top_votes >= needed:
        return RoundResult(round_number, None, needed, runoff_between=tuple(sorted(leaders)), tie=True)
    if bylaws["election_round_rule"] != "plurality" and round_number == 2:
        finalists = tuple(name for name, _ in ranked[:2])
        if len(ranked) > 2 and ranked[2][1] == ranked[1][1]:
            finalists = tuple(name for name, count in ranked if count >= ranked[1][1])
        return RoundResult(round_number, None, needed, runoff_between=finalists)
    return RoundResult(round_number, None, needed)


def settle_final_tie(tied: tuple[str, ...], tie_rule: str, *, chair_choice: str | None = None,
                     seed: int | None = None) -> tuple[str | None, str]:
    """Who takes the seat when the last round ends tied: ``(winner or None, how it was decided)``.

    ``lot``: drawn with ``seed`` (kept in the record so anyone can redo the draw); ``chair_decides``: the
    chair's choice among the tied; ``fails``: nobody, the election fails. Raises ``ValueError`` when the chair
    must choose and has not chosen one of the tied candidates.
    """
    import random

    if tie_rule == "lot":
        if seed is None:
            raise ValueError("a lot needs its seed")
        return random.Random(seed).choice(sorted(tied)), "lot"
    if tie_rule == "chair_decides":
        if chair_choice not in tied:
            raise ValueError("the chair must choose one of the tied candidates")
        return chair_choice, "chair"
    return None, "failed"


def round_ballot_problem(votes: Mapping[str, int], seats: int, ballots_cast: int, blank: int, invalid: int,
                         present_entitled: int) -> str | None:
    """What is wrong with one round's counts, as a code, or None.

    ``over_present``: more ballots in the box than people present with a vote; ``blank_invalid``: more blank
    and invalid ballots than ballots; ``over_ballots``: more votes than the valid ballots could carry (one name
    on each ballot for a single seat; up to ``seats`` names, each at most once, for a multi-seat body).
    """
    if ballots_cast > present_entitled:
        return "over_present"
    valid = ballots_cast - blank - invalid
    if valid < 0:
        return "blank_invalid"
    if any(n > valid for n in votes.values()) or sum(votes.values()) > valid * seats:
        return "over_ballots"
    return None


def term_start_problem(term_start: date, today: date, past_days: int) -> str | None:
    """``too_far_past`` when an election is called for a term that began more than ``past_days`` ago (an
    election is recorded at or soon after its sitting, not months later), else None."""
    return "too_far_past" if (today - term_start).days > past_days else None
