"""Per-council running numbers (member numbers, applications, motions, decisions) that never collide.

``max(...) + 1`` races when two requests write at once; an atomic ``UPDATE … SET value = value + 1
RETURNING value`` on one counter row does not. A counter starts after the highest number already used.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import String, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from konsey.tenants.db import CouncilOwned, db


class Counter(CouncilOwned, db.Model):
    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(100))
    value: Mapped[int]

    __council_table_args__ = (db.UniqueConstraint("council_id", "name"),)


def next_number(name: str, start_after: Callable[[], int], count: int = 1) -> int:
    """The next number of the named sequence in the current council; with ``count``, the first of that many
    consecutive numbers, all reserved at once."""
    for _attempt in range(3):
        last = db.session.execute(
            update(Counter).where(Counter.name == name).values(value=Counter.value + count).returning(Counter.value)
        ).scalar()
        if last is not None:
            return last - count + 1
        try:
            with db.session.begin_nested():  # two first-timers: one inserts, the other retries the update
                first = start_after() + 1
                db.session.add(Counter(name=name, value=first + count - 1))
            return first
        except IntegrityError:
            continue
    raise RuntimeError(f"could not advance the counter {name!r}")
