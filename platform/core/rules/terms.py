"""Terms of office: the 2 + 3 pattern and the limit on consecutive terms in the same office."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def term_end(start: date, term_index: int, bylaws: Mapping) -> date:
    """The last day of the term that starts on ``start``, the ``term_index``-th (0-based) of the cycle.

    With the pattern [2, 3] the first term of a local-election cycle lasts two years, the second three.
    """
    pattern = bylaws["term_pattern_years"]
    years = pattern[term_index % len(pattern)]
    return date.fromordinal(_add_years(start, years).toordinal() - 1)


@dataclass(frozen=True)
class Mandate:
    """One term someone held (or holds) in one office."""

    office: str
    start: date
    end: date


def consecutive_terms(history: Sequence[Mandate], office: str, before: date) -> int:
    """How many terms in ``office`` end immediately before ``before`` without a gap (a day's slack)."""
    terms = sorted((m for m in history if m.office == office and m.end < before), key=lambda m: m.end, reverse=True)
    count, expected_end = 0, before
    for mandate in terms:
        if (expected_end - mandate.end).days > 1:
            break
        count += 1
        expected_end = mandate.start
    return count


def may_stand(history: Sequence[Mandate], office: str, term_start: date, bylaws: Mapping) -> bool:
    """Nobody may stand for the same office for more than the allowed consecutive terms (default two)."""
    return consecutive_terms(history, office, term_start) < bylaws["max_consecutive_terms"]
