"""the council's by-laws version: bumped whenever a version of its by-laws is written, the key of each
process's copy of them

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-05 19:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0039'
down_revision = '0038'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('councils', sa.Column('bylaws_version', sa.Integer(), nullable=False, server_default='0'))


def downgrade():
    op.drop_column('councils', 'bylaws_version')
