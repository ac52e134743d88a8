"""The participation plugin's rules: pure functions, tested directly."""

from __future__ import annotations

import math
import statistics
from datetime import date


def supports_needed(number: int, share: float | None, population: int | None) -> int:
    """How many supports put a proposal on a body's agenda: the by-laws' share of the municipality's population
    where they set one and the population is known (rounded up, at least one), else their number."""
    if share and population:
        return max(1, math.ceil(share * population))
    return max(1, number)


def paragraphs(text: str) -> list[str]:
    """A draft's paragraphs, as comments point at them (from 1): blocks separated by a blank line, trimmed."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [block for block in blocks if block]


def per_10000(count: int, population: int | None) -> float | None:
    """``count`` per 10,000 inhabitants, to two decimals (None without a population)."""
    if not population:
        return None
    return round(count * 10000 / population, 2)


def median_days(spans: list[tuple[date, date]]) -> float | None:
    """The median number of days from the first day of each pair to the second (None for none)."""
    days = [(end - start).days for start, end in spans if end >= start]
    return float(statistics.median(days)) if days else None


def open_for_comment(status: str, closes_on: date, today: date) -> bool:
    """A draft takes comments while it is open and its period has not ended (the closing day included)."""
    return status == "open" and today <= closes_on
