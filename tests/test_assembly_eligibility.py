"""Who holds a vote in the general assembly: the query's rule and the one asked of a loaded member (a phone's
ballot) give the same answer for every status, kind and by-law."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select, update

from support.statements import statements_sent


@pytest.mark.parametrize("individuals_vote", [True, False])
def test_a_loaded_member_is_judged_as_the_query_judges_them(app, world, individuals_vote):
    from konsey.core import meetings
    from konsey.core.bodies import Body, BodyKind
    from konsey.core.bylaws import DEFAULTS
    from konsey.core.membership import Member, MemberKind, MemberStatus
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    council = world.council("izmir")
    people = {}
    for status, kind in itertools.product(MemberStatus, MemberKind):
        people[(status, kind)] = world.member(council, name=f"Üye {status} {kind}")
    bylaws = {**DEFAULTS, "individual_members_vote_in_general_assembly": individuals_vote}
    with app.app_context(), bound_council(council):
        for (status, kind), member_id in people.items():
            db.session.execute(update(Member).where(Member.id == member_id).values(status=status, kind=kind))
        db.session.commit()
        assembly = db.session.scalar(select(Body).where(Body.kind == BodyKind.GENERAL_ASSEMBLY))
        by_query = meetings.eligible_members(assembly, assembly.created_at.date(), bylaws,
                                             among=set(people.values()))  # none loaded: the query answers
        loaded = db.session.scalars(select(Member).where(Member.id.in_(people.values()))).all()
        by_member = {m.id for m in loaded if meetings.holds_assembly_vote(m, bylaws)}
        # Loaded now: the same call answers from the session, without a query.
        with statements_sent(app) as asked:
            from_session = meetings.eligible_members(assembly, assembly.created_at.date(), bylaws,
                                                     among=set(people.values()))
    assert by_query == by_member == from_session
    assert asked == []
    expected = {people[(MemberStatus.ACTIVE, MemberKind.INSTITUTIONAL)]}
    if individuals_vote:
        expected.add(people[(MemberStatus.ACTIVE, MemberKind.INDIVIDUAL)])
    assert by_query == expected
