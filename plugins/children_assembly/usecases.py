"""What the children's assembly's people do: register a child, record a guardian's consent, erase a child's
record, elect the assembly's officers, forward a proposal to the general assembly."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from konsey.pluginkit import (
    Body,
    Permission,
    command,
    db,
    forward_proposal,
    loaded,
    one,
    query,
    record,
    turkish_sort_key,
)
from konsey.plugins.children_assembly.models import (
    Child,
    age_out,
    elect_officer,
    record_consent,
    register_child,
)
from konsey.plugins.children_assembly.schemas import (
    ConsentSchema,
    NewChildSchema,
    OfficerVoteSchema,
    ProposalSchema,
)

NAME = "children_assembly"


# The children's records are the most sensitive the platform keeps (minors, their guardians' contacts): only
# those who manage the council's members read them, not every member of staff (a viewer reads members' lists).
CHILDREN = Permission.MEMBERS_MANAGE


@query(CHILDREN)
def list_children(order_by_status: bool = False) -> list[Child]:
    """The children's assembly's children (their guardians' consent with each)."""
    children = db.session.scalars(select(Child).order_by(Child.created_at)).all()
    if order_by_status:  # by name within each status, in Turkish order (names are sealed: sorted here)
        return sorted(children, key=lambda child: (child.status.value, turkish_sort_key(child.name)))
    return children


@query(CHILDREN)
def show_child(child_id: uuid.UUID) -> Child:
    """One child of the children's assembly, with the guardian's consent."""
    return one(Child, child_id)


@command(Permission.MEMBERS_MANAGE, takes=NewChildSchema)
def register(data: dict) -> Child:
    """Register a child (awaiting the guardian's consent until it is recorded)."""
    return register_child(loaded(data))


@command(Permission.MEMBERS_MANAGE)
def erase_child(child_id: uuid.UUID) -> None:
    """Erase a child's record and the consents (KVKK erasure, asked by the guardian)."""
    child = one(Child, child_id)
    record("children_assembly.child_erased", child)
    db.session.delete(child)


@command(Permission.MEMBERS_MANAGE, takes=ConsentSchema)
def guardian_consent(child_id: uuid.UUID, data: dict) -> Child:
    """Record the guardian's consent (who, relation, when, how); the child's participation starts."""
    child = one(Child, child_id)
    record_consent(child, loaded(data))
    return child


@command(Permission.MEETINGS_RUN, takes=OfficerVoteSchema)
def elect(data: dict) -> Child:
    """Enter the counted votes of the assembly's election of an officer (most votes wins)."""
    data = loaded(data)
    return elect_officer(data["office"], dict(data["votes"]))


@command(Permission.REPORTS_WRITE, takes=ProposalSchema)
def forward(data: dict) -> dict:
    """Forward one of the assembly's proposals to the general assembly through its (adult) representative; it
    goes as the assembly's report to the executive board. No child is named in it."""
    body = db.session.scalar(select(Body).where(Body.type_code == NAME))
    data = loaded(data)
    report = forward_proposal(body, data["title"], f"{data['text']}\n\n— {data['representative']}")
    record("children_assembly.proposal_forwarded", report, {"representative_named": True})
    return {"id": report.id, "title": report.title, "status": report.status.value}


@command(Permission.MEMBERS_MANAGE)
def age_out_children() -> list[Child]:
    """Mark the children who passed the age band today and notify their guardians (daily, and by hand)."""
    return age_out()
