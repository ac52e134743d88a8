"""the general assembly's procedure: the presiding board's seats, floor motions and their signatures, what a
vote decides (a decision, the board, the agenda, a floor motion), the agenda's adoption

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-05 15:00:00
"""

import sqlalchemy as sa
from alembic import op

from konsey.tenants.rls import council_primary_keys, create_council_table, protect_table

revision = '0037'
down_revision = '0036'
branch_labels = None
depends_on = None

TABLES = ['presiding_board_seats', 'floor_motions', 'floor_motion_signatures']


def upgrade():
    create_council_table(op, 'presiding_board_seats',
           sa.Column('meeting_id', sa.Uuid(), nullable=False),
           sa.Column('member_id', sa.Uuid(), nullable=False),
           sa.Column('role', sa.Enum('chair', 'vice_chair', 'clerk', name='boardrole', native_enum=False, length=12),
                     nullable=False),
           sa.Column('position', sa.Integer(), nullable=False),
           sa.Column('vote_id', sa.Uuid(), nullable=False),
           sa.Column('elected_at', sa.DateTime(timezone=True), nullable=True),
           keys=[('meeting_id', 'meetings', 'CASCADE'), ('member_id', 'members', 'CASCADE'),
                 ('vote_id', 'votes', 'CASCADE')],
           uniques=[('meeting_id', 'member_id')])
    create_council_table(op, 'floor_motions',
           sa.Column('meeting_id', sa.Uuid(), nullable=False),
           sa.Column('number', sa.Integer(), nullable=False),
           sa.Column('kind', sa.Enum('agenda', 'amendment', 'close_debate', 'procedure', name='floormotionkind',
                                     native_enum=False, length=16), nullable=False),
           sa.Column('agenda_item_id', sa.Uuid(), nullable=True),
           sa.Column('text', sa.Text(), nullable=False),
           sa.Column('proposer_id', sa.Uuid(), nullable=False),
           sa.Column('channel', sa.Enum('phone', 'desk', 'roll_call', 'paper', name='channel', native_enum=False,
                                        length=10), nullable=False),
           sa.Column('handed_in_at', sa.DateTime(timezone=True), nullable=False),
           sa.Column('status', sa.Enum('handed_in', 'read', 'voting', 'adopted', 'rejected', 'refused',
                                       name='floormotionstatus', native_enum=False, length=12), nullable=False),
           sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
           sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
           sa.Column('refusal_reason', sa.String(length=500), nullable=True),
           sa.Column('vote_id', sa.Uuid(), nullable=True),
           keys=[('meeting_id', 'meetings', 'CASCADE'), ('agenda_item_id', 'agenda_items', None),
                 ('proposer_id', 'members', 'CASCADE'), ('vote_id', 'votes', None)],
           uniques=[('meeting_id', 'number')])
    create_council_table(op, 'floor_motion_signatures',
           sa.Column('floor_motion_id', sa.Uuid(), nullable=False),
           sa.Column('member_id', sa.Uuid(), nullable=False),
           sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
           keys=[('floor_motion_id', 'floor_motions', 'CASCADE'), ('member_id', 'members', 'CASCADE')],
           uniques=[('floor_motion_id', 'member_id')])
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purpose', sa.Enum('decision', 'presiding_board', 'agenda', 'floor_motion',
                                                         name='votepurpose', native_enum=False, length=16),
                                      nullable=False, server_default='decision'))
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agenda_adopted_at', sa.DateTime(timezone=True), nullable=True))
    for table in TABLES:
        protect_table(op, table)
    council_primary_keys(op, TABLES)


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('agenda_adopted_at')
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_column('purpose')
    for table in reversed(TABLES):
        op.drop_table(table)
