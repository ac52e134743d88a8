"""Elections: called by the electing body for an office of a target body, candidates standing, rounds counted."""

from __future__ import annotations

import uuid

from flask_babel import gettext as _
from sqlalchemy import select

from konsey.core import elections, presiding
from konsey.core.bodies import Body
from konsey.core.elections import Candidacy, Election, Office
from konsey.core.meetings import ACTIVE_STATUSES, Attendance, Meeting
from konsey.core.membership import Member, MemberStatus
from konsey.core.permissions import Permission
from konsey.core.sealed_boxes import SealedBox
from konsey.schemas.elections import CandidateSchema, NewElectionSchema, RoundSchema
from konsey.tenants.db import db
from konsey.usecases.base import command, loaded, one, query, referenced


@query(Permission.COUNCIL_VIEW)
def list_elections() -> list[Election]:
    """The council's elections, newest first."""
    return db.session.scalars(select(Election).order_by(Election.created_at.desc())).all()


@query(Permission.COUNCIL_VIEW)
def show_election(election_id: uuid.UUID) -> Election:
    """One election: its candidates and rounds, and the result once decided."""
    return one(Election, election_id)


@query(Permission.COUNCIL_VIEW)
def elections_page() -> dict:
    rows = db.session.scalars(select(Election).order_by(Election.term_start.desc())).all()
    bodies = {b.id: b for b in db.session.scalars(select(Body))}
    # Sittings not over, any body's, for naming where the election is held (its body must be the electing one).
    sittings = db.session.scalars(select(Meeting).where(Meeting.status.in_(ACTIVE_STATUSES))
                                  .order_by(Meeting.scheduled_at.desc()).limit(30)).all()
    return {"rows": rows, "bodies": bodies, "offices": list(Office), "sittings": sittings}


@query(Permission.COUNCIL_VIEW)
def election_page(election_id: uuid.UUID) -> dict:
    election = one(Election, election_id)
    candidate_ids = list(db.session.scalars(select(Candidacy.member_id).where(Candidacy.election_id == election.id)))
    people = {m.id: m for m in db.session.scalars(select(Member).where(Member.status == MemberStatus.ACTIVE)
                                                  .order_by(Member.sort_name))}
    # The electing body's sittings that are not over: where a round can be counted.
    sittings = db.session.scalars(select(Meeting).where(Meeting.body_id == election.electing_body_id,
                                                        Meeting.status.in_(ACTIVE_STATUSES))
                                  .order_by(Meeting.scheduled_at.desc()).limit(20)).all()
    # Its sealed rounds, the latest first: one under way is closed from here; each has its public result.
    boxes = db.session.scalars(select(SealedBox).where(SealedBox.election_id == election.id)
                               .order_by(SealedBox.created_at.desc())).all()
    # A sealed round's keyholders: the sitting's presiding board; without one, members the desk names among
    # those present (the election's own sitting).
    sitting = db.session.get(Meeting, election.meeting_id) if election.meeting_id else None
    keyholder_choices = []
    if sitting is not None and not presiding.board(sitting):
        here = set(db.session.scalars(select(Attendance.member_id).where(Attendance.meeting_id == sitting.id,
                                                                         Attendance.left_at.is_(None))))
        keyholder_choices = [m for m in people.values() if m.id in here]
    return {"election": election, "bodies": {b.id: b for b in db.session.scalars(select(Body))}, "people": people,
            "sittings": sittings, "sealed_rounds": boxes, "keyholder_choices": keyholder_choices,
            "names": {str(m.id): m.name for m in people.values()},
            "candidates": [people[c] for c in candidate_ids if c in people]}


def _sitting(meeting_id) -> Meeting | None:
    if meeting_id is None:
        return None
    return referenced(Meeting, meeting_id, "meeting_id", _("No such meeting in this council."))


@command(Permission.MEETINGS_RUN, takes=NewElectionSchema)
def call_election(data: dict) -> Election:
    """Call an election of an office; ``meeting_id`` names the electing body's sitting where it is held."""
    data = loaded(data)
    return elections.call_election(one(Body, data["electing_body_id"]), one(Body, data["target_body_id"]),
                                   data["office"], data["seats"], data["term_start"], data["term_index"],
                                   _sitting(data.get("meeting_id")))


@command(Permission.MEETINGS_RUN, takes=CandidateSchema)
def stand(election_id: uuid.UUID, data: dict) -> Election:
    """Register a candidate; refused for anyone over the consecutive-term limit."""
    election = one(Election, election_id)
    data = loaded(data)
    member = referenced(Member, data.get("member_id"), "member_id", _("No such member in this council."))
    elections.stand(election, member)
    return election


@command(Permission.MEETINGS_RUN, takes=RoundSchema)
def count_round(election_id: uuid.UUID, data: dict) -> dict:
    """Enter a round's counted ballots (per candidate member id); seats are created when it decides."""
    election = one(Election, election_id)
    data = loaded(data)
    return elections.count(election, data["votes"], chair_choice=data.get("chair_choice"),
                           meeting=_sitting(data.get("meeting_id")), ballots_cast=data.get("ballots_cast"),
                           blank=data.get("blank", 0), invalid=data.get("invalid", 0))
