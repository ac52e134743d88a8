"""motions: when anything a reader of the tracker sees last changed (its feed's entry and Last-Modified)

Revision ID: 0044
Revises: 0043
Create Date: 2026-12-06 02:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0044'
down_revision = '0043'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('changed_at', sa.DateTime(timezone=True), nullable=True))
    # What is known of the past: the answer, else the adoption (a later step is newer than both, and dated).
    op.execute("UPDATE motions SET changed_at = COALESCE(answered_at, adopted_at)")
    op.execute("UPDATE motions SET changed_at = (SELECT MAX(m.created_at) FROM implementation_milestones m "
               "WHERE m.motion_id = motions.id) WHERE EXISTS (SELECT 1 FROM implementation_milestones m "
               "WHERE m.motion_id = motions.id AND m.created_at > motions.changed_at)")
    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.alter_column('changed_at', existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade():
    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.drop_column('changed_at')
