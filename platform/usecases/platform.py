"""The platform's own front: the front page's lists and the health probe."""

from __future__ import annotations

from sqlalchemy import select

from konsey.core.accounts import User
from konsey.tenants.db import db
from konsey.tenants.models import Council, CouncilStatus
from konsey.usecases.base import query
from konsey.usecases.councils import by_name, councils_of


@query(None)
def front_page(user: User | None) -> dict:
    """The active councils anyone can find, and (signed in) the person's own councils (all, for operators)."""
    mine = councils_of(user) if user is not None else []
    listed = by_name(db.session.scalars(select(Council).where(Council.status == CouncilStatus.ACTIVE)))
    return {"mine": mine, "listed": listed}


@query(None)
def health() -> dict:
    """The database answers (for a load balancer's probe)."""
    db.session.execute(select(1))
    return {"status": "ok"}


@query(None)
def landing(user: User | None) -> tuple[str, dict]:
    """Where a person starts after signing in, as (page, its arguments): the operator's and the federation
    analyst's own home pages, the council's dashboard for a person of one council, else the council picker."""
    if user is None:
        return "auth.login", {}
    if user.is_operator:
        return "operator.councils", {}
    role = user.platform_role.value if user.platform_role else None
    if role == "federation_analyst":
        return "federation_pages.dashboard", {}
    mine = councils_of(user)
    if len(mine) == 1:
        return "council.dashboard", {"council_slug": mine[0].slug}
    return "home.index", {}
