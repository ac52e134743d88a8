"""The statutory calendar: what the council owes this year, and where it falls behind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Warning:
    code: str
    message_args: dict


def general_assembly_warnings(year: int, held: int, scheduled: int, minimum: int, today: date) -> list[Warning]:
    """Fewer sessions held and scheduled than the by-laws require, or none held by mid-year."""
    warnings = []
    if held + scheduled < minimum:
        warnings.append(Warning("general_assembly_sessions_missing",
                                {"year": year, "needed": minimum, "planned": held + scheduled}))
    if today.year == year and today >= date(year, 7, 1) and held == 0:
        warnings.append(Warning("general_assembly_none_held", {"year": year}))
    return warnings


def terms_ending(seat_ends: list[tuple[str, date]], today: date, within_days: int = 90) -> list[Warning]:
    """Seats whose term ends soon: an election or an appointment is due."""
    return [Warning("term_ending", {"body": body, "ends_on": ends_on.isoformat()})
            for body, ends_on in sorted(set(seat_ends), key=lambda pair: pair[1])
            if today <= ends_on <= date.fromordinal(today.toordinal() + within_days)]
