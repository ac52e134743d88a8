"""the webhook's payload version: Standard Webhooks' envelope for new routes, the flat shape kept for the routes
that already receive it (their council switches when its municipality is ready)

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-05 23:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0041'
down_revision = '0040'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('delivery_routes', schema=None) as batch_op:
        # Every route that exists now keeps the shape its receiver knows (1); new routes get the envelope (2).
        batch_op.add_column(sa.Column('payload_version', sa.Integer(), nullable=False, server_default='1'))


def downgrade():
    with op.batch_alter_table('delivery_routes', schema=None) as batch_op:
        batch_op.drop_column('payload_version')
