"""The tests' own "today": the day where the tests' councils are (İstanbul), whatever zone the process keeps
and whatever moment KONSEY_TEST_CLOCK travels to. A test that builds a date from the process's calendar,
or from a fixed year, is a test that passes on one day and fails on another."""

from __future__ import annotations

import zlib
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

COUNCIL_ZONE = ZoneInfo("Europe/Istanbul")


def council_now() -> datetime:
    return datetime.now(COUNCIL_ZONE)


def council_today() -> date:
    return council_now().date()


def days_from_today(days: int) -> date:
    return council_today() + timedelta(days=days)


def council_midnight(day: date) -> datetime:
    """When ``day`` begins in İstanbul, as a UTC instant."""
    return datetime.combine(day, time.min, tzinfo=COUNCIL_ZONE).astimezone(UTC)


def years_ago(years: int, *, days: int = 0) -> date:
    """The day ``years`` before today (less ``days`` more): someone born then is ``years`` old today. On a
    29 February, whose date does not exist in most years, the day before (28 February): they turned that age
    yesterday, the law's reading (a person born on 29 February comes of age on 28 February in common years)."""
    today = council_today()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:
        day = today.replace(year=today.year - years, day=28)
    return day - timedelta(days=days)


def first_of_a_month_ahead(months: int) -> date:
    """The first day of the month ``months`` after this one: a term's start in the future, whatever today is."""
    today = council_today()
    index = today.month - 1 + months
    return date(today.year + index // 12, index % 12 + 1, 1)


def in_years(day: date, years: int) -> date:
    return day.replace(year=day.year + years)


def moment_of(test_id: str, moments: list[str]) -> str:
    """The moment a test starts at when KONSEY_TEST_CLOCK lists several (comma-separated): always the same one
    for the same test (a checksum of its id, not the day it runs), so a run at three moments costs one pass
    over the suite and a failure names the moment it happened at."""
    return moments[zlib.crc32(test_id.encode()) % len(moments)]

