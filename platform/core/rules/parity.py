"""Gender parity in decision bodies (seed 001: 50%) and seat allocation that honours it."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

WOMEN, MEN = "female", "male"


def minimum_per_gender(seats: int, bylaws: Mapping) -> int:
    """Seats each of women and men must hold at least: ⌊seats × share⌋ (3 of 7 at 50%)."""
    return math.floor(seats * bylaws["gender_parity_share"] + 1e-9)


def parity_met(genders: Sequence[str | None], bylaws: Mapping) -> bool:
    """Whether a body's members (by self-declared gender) meet the parity share.

    Members who declared another gender or none hold seats but count towards neither minimum.
    """
    minimum = minimum_per_gender(len(genders), bylaws)
    return sum(g == WOMEN for g in genders) >= minimum and sum(g == MEN for g in genders) >= minimum


@dataclass(frozen=True)
class Candidate:
    id: str
    gender: str | None
    votes: int


@dataclass
class Allocation:
    elected: list[Candidate] = field(default_factory=list)
    passed_over: list[tuple[Candidate, str]] = field(default_factory=list)  # with the reason, for the record
    parity_met: bool = True


def allocate_seats(ranked: Sequence[Candidate], seats: int, bylaws: Mapping) -> Allocation:
    """Fill ``seats`` in rank order while keeping the parity share reachable.

    A candidate is passed over when taking them would leave too few seats for the under-represented gender;
    the next eligible candidate takes the seat. If there are not enough candidates of a gender, the seats
    are still filled and ``parity_met`` is False, so the caller can explain why.
    """
    minimum = minimum_per_gender(seats, bylaws)
    result = Allocation()
    available = {WOMEN: sum(c.gender == WOMEN for c in ranked), MEN: sum(c.gender == MEN for c in ranked)}
    held = {WOMEN: 0, MEN: 0}
    pending: list[Candidate] = []
    for candidate in ranked:
        if len(result.elected) == seats:
            break
        remaining = seats - len(result.elected)
        # Seats still owed to each gender, as far as candidates of that gender remain to fill them.
        owed = {g: min(max(minimum - held[g], 0), available[g]) for g in (WOMEN, MEN)}
        needs_own = candidate.gender in owed and owed[candidate.gender] > 0
        if not needs_own and remaining - 1 < sum(owed.values()):
            result.passed_over.append((candidate, "parity"))
            pending.append(candidate)
            if candidate.gender in available:
                available[candidate.gender] -= 1
            continue
        result.elected.append(candidate)
        if candidate.gender in held:
            held[candidate.gender] += 1
            available[candidate.gender] -= 1
    # Not enough candidates of a gender: the passed-over fill the remaining seats in rank order.
    for candidate in pending:
        if len(result.elected) == seats:
            break
        result.elected.append(candidate)
        result.passed_over = [(c, r) for c, r in result.passed_over if c is not candidate]
    result.parity_met = parity_met([c.gender for c in result.elected], bylaws) if len(result.elected) == seats else False
    return result
