"""The municipal council's meeting calendar (belediye meclisi), as the secretariat records or imports it: the
days that set when each motion's answer is due (:mod:`konsey.core.motions` reads them; recording and removing
a day, which moves the due dates, is in :mod:`konsey.core.follow_up`)."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Date, String, select
from sqlalchemy.orm import Mapped, mapped_column

from konsey.tenants.db import CouncilOwned, db, enum_of


class MunicipalMeetingKind(enum.StrEnum):
    REGULAR = "regular"  # the monthly meeting on the day the municipal council set (Law 5393 art. 20)
    EXTRAORDINARY = "extraordinary"


class MunicipalCouncilMeeting(CouncilOwned, db.Model):
    """A meeting of the municipality's council (belediye meclisi), as the secretariat records or imports it."""

    __tablename__ = "municipal_council_meetings"

    held_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[MunicipalMeetingKind] = mapped_column(enum_of(MunicipalMeetingKind, 16))
    note: Mapped[str | None] = mapped_column(String(200))

    __council_table_args__ = (db.UniqueConstraint("council_id", "held_on"),)


def municipal_meeting_days() -> list[date]:
    return list(db.session.scalars(select(MunicipalCouncilMeeting.held_on).order_by(MunicipalCouncilMeeting.held_on)))
