"""Statutory limits on who may take part (Regulation; domain.md "Structure")."""

from __future__ import annotations

import math
from datetime import date

PUBLIC_BODIES_MAX = 10


def category_cap(category: str, neighbourhoods: int | None) -> int | None:
    """The most members a category may have, or None for no limit.

    Public bodies: at most 10. Muhtars: all of them where there are 20 neighbourhoods or fewer; otherwise
    representatives, at least 20 and at most 30% of all muhtars (so 20 until 30% exceeds it).
    """
    if category == "public_body":
        return PUBLIC_BODIES_MAX
    if category == "muhtar" and neighbourhoods is not None:
        if neighbourhoods <= 20:
            return neighbourhoods
        return max(20, math.floor(neighbourhoods * 0.3))
    return None


def university_representatives_allowed(universities: int) -> int:
    """How many representatives each university may send: one or two where it is the only university, one
    each where there are several (Regulation; domain.md "Structure")."""
    return 2 if universities <= 1 else 1


def age_on(birth_date: date, day: date) -> int:
    """Completed years on ``day`` (a birthday on 29 February counts on 1 March in other years)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def general_assembly_full_membership(individuals: int, institutions: int, group_seats: int,
                                     individuals_vote: bool) -> int:
    """The general assembly's full membership: its active institutions, one seat per approved assembly and
    working group (rule 5: each sends a representative, whatever the by-laws say of individual members), and
    its individual members where the by-laws give them a vote."""
    return (individuals if individuals_vote else 0) + institutions + group_seats
