"""calendars: a meeting's sequence (raised when what its event announces changes) and the version of a member's
secret calendar address (raised when it is renewed)

Revision ID: 0042
Revises: 0041
Create Date: 2026-12-05 23:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0042'
down_revision = '0041'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_feed_version', sa.Integer(), nullable=False, server_default='0'))


def downgrade():
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('calendar_feed_version')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('sequence')
