"""the minutes the presiding board approves: versions with their fingerprint, the board's approvals, and the
meeting's signed archive sealed when a version is frozen

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-05 17:00:00
"""

import sqlalchemy as sa
from alembic import op

from konsey.tenants.rls import council_primary_keys, create_council_table, protect_table

revision = '0038'
down_revision = '0037'
branch_labels = None
depends_on = None

TABLES = ['minutes_versions', 'minutes_approvals', 'meeting_archives']


def upgrade():
    create_council_table(op, 'minutes_versions',
           sa.Column('meeting_id', sa.Uuid(), nullable=False),
           sa.Column('number', sa.Integer(), nullable=False),
           sa.Column('fingerprint', sa.String(length=64), nullable=False),
           sa.Column('document', sa.LargeBinary(), nullable=False),
           sa.Column('drawn_up_at', sa.DateTime(timezone=True), nullable=False),
           sa.Column('corrects_id', sa.Uuid(), nullable=True),
           sa.Column('correction_reason', sa.String(length=500), nullable=True),
           sa.Column('frozen_at', sa.DateTime(timezone=True), nullable=True),
           keys=[('meeting_id', 'meetings', 'CASCADE')],
           uniques=[('meeting_id', 'number')])
    op.create_index('ix_minutes_versions_council_fingerprint', 'minutes_versions', ['council_id', 'fingerprint'])
    create_council_table(op, 'minutes_approvals',
           sa.Column('version_id', sa.Uuid(), nullable=False),
           sa.Column('member_id', sa.Uuid(), nullable=False),
           sa.Column('approved_at', sa.DateTime(timezone=True), nullable=False),
           keys=[('version_id', 'minutes_versions', 'CASCADE'), ('member_id', 'members', 'CASCADE')],
           uniques=[('version_id', 'member_id')])
    create_council_table(op, 'meeting_archives',
           sa.Column('meeting_id', sa.Uuid(), nullable=False),
           sa.Column('version_id', sa.Uuid(), nullable=False),
           sa.Column('sealed_at', sa.DateTime(timezone=True), nullable=False),
           sa.Column('filename', sa.String(length=120), nullable=False),
           sa.Column('manifest_sha256', sa.String(length=64), nullable=False),
           sa.Column('content', sa.LargeBinary(), nullable=False),
           keys=[('meeting_id', 'meetings', 'CASCADE'), ('version_id', 'minutes_versions', 'CASCADE')],
           uniques=[('version_id',)])
    for table in TABLES:
        protect_table(op, table)
    council_primary_keys(op, TABLES)


def downgrade():
    for table in reversed(TABLES):
        op.drop_table(table)
