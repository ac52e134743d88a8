"""motions.receipt_generation: a motion's receipt links can be revoked (a new generation voids the old links)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01 13:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('motions') as batch:
        batch.add_column(sa.Column('receipt_generation', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('motions') as batch:
        batch.drop_column('receipt_generation')
