"""outbox leases: an event is claimed by one worker at a time (claim token, lease, attempts), dead events are
never published again, and a dead letter stands for one event

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-01 15:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_events') as batch:
        batch.add_column(sa.Column('claim_token', sa.String(64), nullable=True))
        batch.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch.add_column(sa.Column('dead_at', sa.DateTime(timezone=True), nullable=True))
        batch.create_index('ix_outbox_events_council_lease', ['council_id', 'lease_until'])
    with op.batch_alter_table('dead_letters') as batch:
        batch.add_column(sa.Column('event_id', sa.Uuid(), nullable=True))
        batch.create_unique_constraint('uq_dead_letters_council_id_event_id', ['council_id', 'event_id'])


def downgrade():
    with op.batch_alter_table('dead_letters') as batch:
        batch.drop_constraint('uq_dead_letters_council_id_event_id', type_='unique')
        batch.drop_column('event_id')
    with op.batch_alter_table('outbox_events') as batch:
        batch.drop_index('ix_outbox_events_council_lease')
        for column in ('dead_at', 'attempts', 'lease_until', 'claimed_at', 'claim_token'):
            batch.drop_column(column)
