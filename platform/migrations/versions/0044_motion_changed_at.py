"""motions: when anything a reader of the tracker sees last changed (its feed's entry and Last-Modified)

Revision ID: 0044
Revises: 0043
Create Date: 2026-12-06 02:40:00
"""

import sqlalchemy as sa
from alembic import op

from konsey.tenants.rls import each_council

revision = '0044'
down_revision = '0043'
branch_labels = None
depends_on = None

COUNCIL = sa.bindparam("c", type_=sa.Uuid())  # stored as the dialect stores a UUID (32 hex digits on SQLite)


def upgrade():
    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('changed_at', sa.DateTime(timezone=True), nullable=True))
    fill_changed_at(op.get_bind())
    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.alter_column('changed_at', existing_type=sa.DateTime(timezone=True), nullable=False)


def fill_changed_at(bind) -> None:
    """What is known of the past: the answer, else the adoption (a later step is newer than both). One council
    at a time: row-level security shows the owner only the council bound (PostgreSQL)."""
    for council in each_council(bind):
        bind.execute(sa.text("UPDATE motions SET changed_at = COALESCE(answered_at, adopted_at) "
                             "WHERE council_id = :c").bindparams(COUNCIL), {"c": council})
        bind.execute(sa.text("UPDATE motions SET changed_at = (SELECT MAX(m.created_at) FROM implementation_milestones m "
                             "WHERE m.motion_id = motions.id) WHERE council_id = :c AND EXISTS (SELECT 1 FROM "
                             "implementation_milestones m WHERE m.motion_id = motions.id AND m.created_at > "
                             "motions.changed_at)").bindparams(COUNCIL), {"c": council})


def downgrade():
    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.drop_column('changed_at')
