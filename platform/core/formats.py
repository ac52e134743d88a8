"""How Konsey writes dates, times, numbers, shares and money for people: one place, used by the pages'
filters, the PDFs, the e-mails and the CSV files.

Turkish conventions by default (``dd.mm.yyyy``, ``%50``, ``1.234,56 TL``); the number formats follow the
request's language through Babel. Instants are stored in UTC and shown on the council's clock."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask_babel import format_decimal, format_percent

DEFAULT_ZONE = "Europe/Istanbul"


def local(instant: datetime, zone: str | None = None) -> datetime:
    """The instant on the council's clock (a naive instant is UTC: that is how it was stored)."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(ZoneInfo(zone or DEFAULT_ZONE))


def day_text(day) -> str:
    """``dd.mm.yyyy``; an instant gives its day on the council's clock; an ISO date kept as text is read."""
    if not day:
        return ""
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day)
        except ValueError:
            return day
    if isinstance(day, datetime):
        day = local(day).date()
    return day.strftime("%d.%m.%Y")


def moment_text(instant: datetime | None, zone: str | None = None) -> str:
    """``dd.mm.yyyy HH:MM`` on the council's clock."""
    return local(instant, zone).strftime("%d.%m.%Y %H:%M") if instant else ""


def clock_text(instant: datetime | None, zone: str | None = None) -> str:
    return local(instant, zone).strftime("%H:%M") if instant else ""


def share_text(share) -> str:
    """A share (0.5) as a percentage in the reader's language: ``%50`` in Turkish, ``50%`` in English."""
    if share is None:
        return "—"
    return format_percent(share)  # the language's own pattern: %50 in Turkish, 50% in English


def number_text(value) -> str:
    """A count or a measure: whole numbers without ``.0``, others with a decimal comma in Turkish."""
    if value is None:
        return "—"
    if isinstance(value, float | Decimal) and value == int(value):
        value = int(value)
    return format_decimal(value, format="#,##0.##")


def money_text(amount) -> str:
    """``1.234,56 TL``."""
    if amount is None:
        return "—"
    return f"{format_decimal(amount, format='#,##0.00')} TL"
