"""motions delivered before the art. 76 calendar (0028) get their estimated due date, so that overdue can be
counted in SQL (konsey.core.motions.overdue_condition)

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-01 19:20:00
"""

import sqlalchemy as sa
from alembic import op

from konsey.core.rules.follow_up import estimated_due
from konsey.tenants.rls import each_council

revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None


def upgrade():
    fill_estimated_due_dates()


def fill_estimated_due_dates():
    bind = op.get_bind()
    motions = sa.table("motions", sa.column("id", sa.Uuid()), sa.column("council_id", sa.Uuid()),
                       sa.column("delivered_on", sa.Date()), sa.column("answer_due_on", sa.Date()),
                       sa.column("answer_due_estimated", sa.Boolean()))
    for council_id in each_council(bind):
        waiting = bind.execute(sa.select(motions.c.id, motions.c.delivered_on).where(
            motions.c.council_id == council_id, motions.c.delivered_on.is_not(None),
            motions.c.answer_due_on.is_(None))).all()
        for motion_id, delivered_on in waiting:
            bind.execute(motions.update().where(motions.c.id == motion_id, motions.c.council_id == council_id)
                         .values(answer_due_on=estimated_due(delivered_on), answer_due_estimated=True))


def downgrade():
    pass  # the dates stay: they are what the motions' due dates were computed as anyway
