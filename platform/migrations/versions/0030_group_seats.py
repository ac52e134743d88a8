"""rule 5: an approved assembly or working group holds a seat in the general assembly (members.group_body_id);
the groups already approved get theirs

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-01 18:40:45.945468
"""

import uuid
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

from konsey.core.text import turkish_sort_key
from konsey.tenants.db import UtcDateTime
from konsey.tenants.rls import each_council

revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_body_id', sa.Uuid(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_members_council_id_group_body_id'), ['council_id', 'group_body_id'])
        batch_op.create_foreign_key(batch_op.f('fk_members_council_id_group_body_id_bodies'), 'bodies', ['council_id', 'group_body_id'], ['council_id', 'id'])
    _open_seats_of_approved_groups()


def _open_seats_of_approved_groups():
    """The seat each active assembly and working group would have had, had it been approved under rule 5."""
    bind = op.get_bind()
    # Typed tables: the ids and instants are written as the models write them (SQLite keeps uuids as hex).
    members = sa.table("members", sa.column("id", sa.Uuid()), sa.column("council_id", sa.Uuid()),
                       sa.column("member_no", sa.Integer()), sa.column("kind", sa.String()),
                       sa.column("category", sa.String()), sa.column("name", sa.String()),
                       sa.column("sort_name", sa.String()), sa.column("status", sa.String()),
                       sa.column("joined_on", sa.Date()), sa.column("created_at", UtcDateTime()),
                       sa.column("group_body_id", sa.Uuid()))
    bodies = sa.table("bodies", sa.column("id", sa.Uuid()), sa.column("council_id", sa.Uuid()),
                      sa.column("kind", sa.String()), sa.column("name", sa.String()), sa.column("status", sa.String()),
                      sa.column("approved_on", sa.Date()))
    counters = sa.table("counters", sa.column("id", sa.Uuid()), sa.column("council_id", sa.Uuid()),
                        sa.column("name", sa.String()), sa.column("value", sa.Integer()))
    for council_id in each_council(bind):
        held = sa.select(members.c.group_body_id).where(members.c.council_id == council_id,
                                                        members.c.group_body_id.is_not(None))
        groups = bind.execute(sa.select(bodies.c.id, bodies.c.kind, bodies.c.name, bodies.c.approved_on).where(
            bodies.c.council_id == council_id, bodies.c.status == "active",
            bodies.c.kind.in_(["assembly", "working_group"]), bodies.c.id.not_in(held))).all()
        for body_id, kind, name, approved_on in groups:
            mine = (counters.c.council_id == council_id) & (counters.c.name == "member_no")
            counter = bind.execute(sa.select(counters.c.value).where(mine)).scalar()
            highest = bind.execute(sa.select(sa.func.max(members.c.member_no))
                                   .where(members.c.council_id == council_id)).scalar()
            number = max(counter or 0, highest or 0) + 1
            if counter is None:
                bind.execute(counters.insert().values(id=uuid.uuid4(), council_id=council_id, name="member_no",
                                                      value=number))
            else:
                bind.execute(counters.update().where(mine).values(value=number))
            bind.execute(members.insert().values(
                id=uuid.uuid4(), council_id=council_id, member_no=number, kind="institutional",
                category="assembly_representative" if kind == "assembly" else "working_group_representative",
                name=name, sort_name=turkish_sort_key(name), status="active", joined_on=approved_on or date.today(),
                created_at=datetime.now(UTC), group_body_id=body_id))


def downgrade():
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_members_council_id_group_body_id_bodies'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_members_council_id_group_body_id'), type_='unique')
        batch_op.drop_column('group_body_id')
