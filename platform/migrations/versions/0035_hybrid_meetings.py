"""a hybrid meeting: meeting passes (badge codes, personal links), the speakers' list, the item under
discussion and the meeting's stream link

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-01 21:28:19.398135
"""

import sqlalchemy as sa
from alembic import op

from konsey.tenants.rls import council_primary_keys, protect_table

revision = '0035'
down_revision = '0034'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('meeting_passes',
    sa.Column('meeting_id', sa.Uuid(), nullable=False),
    sa.Column('member_id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('mailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('left_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['council_id', 'meeting_id'], ['meetings.council_id', 'meetings.id'], name=op.f('fk_meeting_passes_council_id_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['council_id', 'member_id'], ['members.council_id', 'members.id'], name=op.f('fk_meeting_passes_council_id_member_id_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_meeting_passes_council_id_councils'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_passes')),
    sa.UniqueConstraint('council_id', 'id', name=op.f('uq_meeting_passes_council_id_id')),
    sa.UniqueConstraint('council_id', 'meeting_id', 'code', name=op.f('uq_meeting_passes_council_id_meeting_id_code')),
    sa.UniqueConstraint('council_id', 'meeting_id', 'member_id', name=op.f('uq_meeting_passes_council_id_meeting_id_member_id'))
    )
    op.create_table('floor_requests',
    sa.Column('meeting_id', sa.Uuid(), nullable=False),
    sa.Column('agenda_item_id', sa.Uuid(), nullable=False),
    sa.Column('member_id', sa.Uuid(), nullable=False),
    sa.Column('stance', sa.Enum('for', 'against', 'point_of_order', name='stance', native_enum=False, length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['council_id', 'agenda_item_id'], ['agenda_items.council_id', 'agenda_items.id'], name=op.f('fk_floor_requests_council_id_agenda_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['council_id', 'meeting_id'], ['meetings.council_id', 'meetings.id'], name=op.f('fk_floor_requests_council_id_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['council_id', 'member_id'], ['members.council_id', 'members.id'], name=op.f('fk_floor_requests_council_id_member_id_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_floor_requests_council_id_councils'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_floor_requests')),
    sa.UniqueConstraint('council_id', 'id', name=op.f('uq_floor_requests_council_id_id'))
    )
    with op.batch_alter_table('floor_requests', schema=None) as batch_op:
        batch_op.create_index('ix_floor_requests_council_meeting', ['council_id', 'meeting_id'], unique=False)
        waiting = sa.text("started_at IS NULL AND withdrawn_at IS NULL")
        batch_op.create_index('uq_floor_requests_waiting', ['council_id', 'meeting_id', 'agenda_item_id', 'member_id'],
                              unique=True, postgresql_where=waiting, sqlite_where=waiting)
        speaking = sa.text("started_at IS NOT NULL AND ended_at IS NULL")
        batch_op.create_index('uq_floor_requests_speaking', ['council_id', 'meeting_id'], unique=True,
                              postgresql_where=speaking, sqlite_where=speaking)

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('current_item_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('stream_url', sa.String(length=500), nullable=True))

    for table in ('meeting_passes', 'floor_requests'):
        protect_table(op, table)
    council_primary_keys(op, ['meeting_passes', 'floor_requests'])  # (council_id, id) on PostgreSQL, as 0034


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('stream_url')
        batch_op.drop_column('current_item_id')

    with op.batch_alter_table('floor_requests', schema=None) as batch_op:
        batch_op.drop_index('uq_floor_requests_speaking')
        batch_op.drop_index('uq_floor_requests_waiting')
        batch_op.drop_index('ix_floor_requests_council_meeting')

    op.drop_table('floor_requests')
    op.drop_table('meeting_passes')
