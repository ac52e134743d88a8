"""sealed ballots: a secret vote's or an election round's box whose key its keyholders make on their devices,
the ballots sealed on the phones while it is open, and the frozen board, sums, paper counts and result

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-05 22:30:00
"""

import sqlalchemy as sa
from alembic import op

from konsey.tenants.rls import council_primary_keys, create_council_table, protect_table

revision = '0040'
down_revision = '0039'
branch_labels = None
depends_on = None

TABLES = ['sealed_boxes', 'sealed_box_keyholders', 'sealed_ballots']
STAGE = sa.Enum('keying', 'open', 'counting', 'counted', 'failed', name='boxstage', native_enum=False, length=10)


def upgrade():
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sealed', sa.Boolean(), nullable=False, server_default=sa.false()))
    create_council_table(op, 'sealed_boxes',
           sa.Column('meeting_id', sa.Uuid(), nullable=False),
           sa.Column('vote_id', sa.Uuid(), nullable=True),
           sa.Column('election_id', sa.Uuid(), nullable=True),
           sa.Column('options', sa.JSON(), nullable=False),
           sa.Column('least', sa.Integer(), nullable=False),
           sa.Column('most', sa.Integer(), nullable=False),
           sa.Column('threshold', sa.Integer(), nullable=False),
           sa.Column('stage', STAGE, nullable=False),
           sa.Column('failure', sa.String(length=40), nullable=True),
           sa.Column('public_key', sa.String(length=64), nullable=True),
           sa.Column('statement', sa.String(length=64), nullable=True),
           sa.Column('board', sa.JSON(), nullable=True),
           sa.Column('fingerprint', sa.String(length=64), nullable=True),
           sa.Column('sums', sa.JSON(), nullable=True),
           sa.Column('paper', sa.JSON(), nullable=True),
           sa.Column('result', sa.JSON(), nullable=True),
           sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
           sa.Column('sealed_at', sa.DateTime(timezone=True), nullable=True),
           sa.Column('counted_at', sa.DateTime(timezone=True), nullable=True),
           keys=[('meeting_id', 'meetings', 'CASCADE'), ('vote_id', 'votes', 'CASCADE'),
                 ('election_id', 'elections', 'CASCADE')])
    create_council_table(op, 'sealed_box_keyholders',
           sa.Column('box_id', sa.Uuid(), nullable=False),
           sa.Column('member_id', sa.Uuid(), nullable=False),
           sa.Column('index', sa.Integer(), nullable=False),
           sa.Column('transport_key', sa.String(length=64), nullable=True),
           sa.Column('dealing', sa.JSON(), nullable=True),
           sa.Column('key_proof', sa.JSON(), nullable=True),
           sa.Column('decryption', sa.JSON(), nullable=True),
           keys=[('box_id', 'sealed_boxes', 'CASCADE'), ('member_id', 'members', 'CASCADE')],
           uniques=[('box_id', 'index'), ('box_id', 'member_id')])
    create_council_table(op, 'sealed_ballots',
           sa.Column('box_id', sa.Uuid(), nullable=False),
           sa.Column('seat_id', sa.Uuid(), nullable=False),
           sa.Column('ballot', sa.JSON(), nullable=False),
           sa.Column('tracker', sa.String(length=64), nullable=False),
           sa.Column('first_alpha', sa.String(length=64), nullable=False),
           keys=[('box_id', 'sealed_boxes', 'CASCADE'), ('seat_id', 'members', 'CASCADE')],
           uniques=[('box_id', 'seat_id'), ('box_id', 'first_alpha')])
    for table in TABLES:
        protect_table(op, table)
    council_primary_keys(op, TABLES)


def downgrade():
    for table in reversed(TABLES):
        op.drop_table(table)
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_column('sealed')
