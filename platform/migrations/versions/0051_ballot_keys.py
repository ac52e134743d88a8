"""a ballot's key, the phone's own: a retry after a lost answer (the database failing over) is the same ballot

Revision ID: 0051
Revises: 0050
Create Date: 2026-12-06 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0051'
down_revision = '0050'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_key', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.drop_column('client_key')
