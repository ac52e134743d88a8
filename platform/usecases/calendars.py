"""Meetings in people's calendars: the council's public calendar, and each member's own behind a secret address
the secretariat (or the member, from their meeting page) can hand out and renew."""

from __future__ import annotations

import uuid

from konsey.core import meeting_calendars
from konsey.core.audit import record
from konsey.core.membership import Member
from konsey.core.permissions import Permission
from konsey.tenants.db import db
from konsey.tenants.models import Council
from konsey.tenants.scoping import current_council_id
from konsey.usecases.base import command, one, query


def _council() -> Council:
    return db.session.get(Council, current_council_id())


@query(None)
def council_calendar() -> bytes:
    """Every meeting of the council's bodies, for anyone to subscribe to (no people in it)."""
    return meeting_calendars.council_calendar(_council())


@query(None)
def member_calendar(token: str) -> bytes:
    """The meetings in which the member whose secret address this is holds a vote (NotFound for any other)."""
    return meeting_calendars.member_calendar(meeting_calendars.member_of_token(token), _council())


@query(Permission.MEMBERS_VIEW)
def calendar_address(member_id: uuid.UUID) -> str:
    return meeting_calendars.feed_url(one(Member, member_id), _council())


@command(Permission.MEMBERS_MANAGE)
def renew_calendar_address(member_id: uuid.UUID) -> str:
    """A new secret address for the member's calendar; the earlier one stops working (a lost or shared link)."""
    member = one(Member, member_id)
    meeting_calendars.renew_feed(member)
    record("member.calendar_renewed", member, {"version": member.calendar_feed_version})
    return meeting_calendars.feed_url(member, _council())
