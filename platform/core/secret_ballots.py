"""The ballot box of a secret vote: what was chosen, kept apart from who voted.

Who has voted is the vote's ledger (:class:`konsey.core.meetings.Ballot`: a seat, a channel, a time, no choice).
What was chosen goes here, as three counters per vote made when the vote opens: no seat, no time, no row added
per ballot (so no insertion order), nothing a database snapshot could join back to a seat. The counters are read
once, when the vote closes: the totals then go onto the vote and the box is emptied, so that what is kept
afterwards is the totals the assembly heard, not a subtotal of the phones that could name a voter.

This module is the whole of that store, so that it can be replaced by a cryptographic one (sealed ballots added
homomorphically and opened by the presiding board) without touching the ledger or the rest of the vote.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Integer, String, Uuid, delete, select, update
from sqlalchemy.orm import Mapped, mapped_column

from konsey.tenants.db import CouncilOwned, db, same_council_fk

CHOICES = ("yes", "no", "abstain")


class SecretTally(CouncilOwned, db.Model):
    """One counter of one choice in one open secret vote."""

    __tablename__ = "secret_tallies"

    vote_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    choice: Mapped[str] = mapped_column(String(8))
    count: Mapped[int] = mapped_column(Integer, default=0)

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "vote_id", "choice"),
        same_council_fk("vote_id", "votes", ondelete="CASCADE"),
    )


def open_box(vote_id: uuid.UUID) -> None:
    """The box of a secret vote being opened: a counter at zero for each choice."""
    db.session.add_all(SecretTally(vote_id=vote_id, choice=choice, count=0) for choice in CHOICES)
    db.session.flush()


def drop_in(vote_id: uuid.UUID, choice: str) -> None:
    """One ballot into the box: its choice's counter goes up by one, in the database (parallel ballots each add
    their own), and nothing else is written."""
    db.session.execute(update(SecretTally).where(SecretTally.vote_id == vote_id, SecretTally.choice == choice)
                       .values(count=SecretTally.count + 1).execution_options(synchronize_session=False))


def empty_box(vote_id: uuid.UUID) -> dict[str, int]:
    """At the close (the vote held exclusively): the counts, and the box removed."""
    counts = dict.fromkeys(CHOICES, 0)
    counts.update(dict(db.session.execute(select(SecretTally.choice, SecretTally.count)
                                          .where(SecretTally.vote_id == vote_id)).all()))
    db.session.execute(delete(SecretTally).where(SecretTally.vote_id == vote_id)
                       .execution_options(synchronize_session=False))
    return counts
