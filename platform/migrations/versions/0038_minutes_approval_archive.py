"""the minutes the presiding board approves: versions with their fingerprint, the board's approvals, and the
meeting's signed archive sealed when a version is frozen

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-05 17:00:00
"""

import sqlalchemy as sa
from alembic import op

from konsey.tenants.rls import council_primary_keys, protect_table

revision = '0038'
down_revision = '0037'
branch_labels = None
depends_on = None

TABLES = ['minutes_versions', 'minutes_approvals', 'meeting_archives']


def _owned(name: str, *columns, keys=(), uniques=()):
    op.create_table(
        name, *columns,
        sa.Column('council_id', sa.Uuid(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        *(sa.ForeignKeyConstraint(['council_id', column], [f'{table}.council_id', f'{table}.id'],
                                  name=op.f(f'fk_{name}_council_id_{column}_{table}'), ondelete=ondelete)
          for column, table, ondelete in keys),
        sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f(f'fk_{name}_council_id_councils'),
                                ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}')),
        sa.UniqueConstraint('council_id', 'id', name=op.f(f'uq_{name}_council_id_id')),
        *(sa.UniqueConstraint('council_id', *unique, name=op.f(f"uq_{name}_council_id_{'_'.join(unique)}"))
          for unique in uniques),
    )


def upgrade():
    _owned('minutes_versions',
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
    _owned('minutes_approvals',
           sa.Column('version_id', sa.Uuid(), nullable=False),
           sa.Column('member_id', sa.Uuid(), nullable=False),
           sa.Column('approved_at', sa.DateTime(timezone=True), nullable=False),
           keys=[('version_id', 'minutes_versions', 'CASCADE'), ('member_id', 'members', 'CASCADE')],
           uniques=[('version_id', 'member_id')])
    _owned('meeting_archives',
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
