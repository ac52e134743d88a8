"""an election is held in a sitting of the electing body: elections.meeting_id

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-01 18:32:01.155320
"""

import sqlalchemy as sa
from alembic import op

revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('elections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meeting_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_elections_council_id_meeting_id_meetings'), 'meetings', ['council_id', 'meeting_id'], ['council_id', 'id'])


def downgrade():
    with op.batch_alter_table('elections', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_elections_council_id_meeting_id_meetings'), type_='foreignkey')
        batch_op.drop_column('meeting_id')
