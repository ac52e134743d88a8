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
    _backfill()
    with op.batch_alter_table('dead_letters') as batch:
        batch.create_unique_constraint('uq_dead_letters_council_id_event_id', ['council_id', 'event_id'])


def _backfill():
    """What was there before the leases: a waiting dead letter makes its event dead (the latest letter of an event
    stands for it), and a published event still in flight gets the lease it would have had, so the upgrade does
    not republish every event at once."""
    import json
    import uuid
    from datetime import timedelta

    bind = op.get_bind()
    letters = sa.table('dead_letters', sa.column('id', sa.Uuid()), sa.column('kwargs', sa.JSON()),
                       sa.column('retried_at'), sa.column('failed_at'), sa.column('event_id', sa.Uuid()))
    events = sa.table('outbox_events', sa.column('id', sa.Uuid()), sa.column('dead_at', sa.DateTime(timezone=True)),
                      sa.column('completed_at'), sa.column('published_at', sa.DateTime(timezone=True)),
                      sa.column('lease_until', sa.DateTime(timezone=True)))
    latest = {}
    for row in bind.execute(sa.select(letters.c.id, letters.c.kwargs, letters.c.retried_at, letters.c.failed_at)
                            .order_by(letters.c.failed_at)):
        kwargs = row.kwargs if isinstance(row.kwargs, dict) else json.loads(row.kwargs or "{}")
        try:
            event_id = uuid.UUID(str(kwargs.get("event_id")))
        except ValueError:
            continue
        latest[event_id] = row  # the last one wins
    for event_id, row in latest.items():
        bind.execute(letters.update().where(letters.c.id == row.id).values(event_id=event_id))
        if row.retried_at is None:
            bind.execute(events.update().where(events.c.id == event_id, events.c.completed_at.is_(None))
                         .values(dead_at=row.failed_at))
    for event_id, published_at in bind.execute(sa.select(events.c.id, events.c.published_at).where(
            events.c.completed_at.is_(None), events.c.published_at.is_not(None))):
        bind.execute(events.update().where(events.c.id == event_id)
                     .values(lease_until=published_at + timedelta(minutes=10)))


def downgrade():
    with op.batch_alter_table('dead_letters') as batch:
        batch.drop_constraint('uq_dead_letters_council_id_event_id', type_='unique')
        batch.drop_column('event_id')
    with op.batch_alter_table('outbox_events') as batch:
        batch.drop_index('ix_outbox_events_council_lease')
        for column in ('dead_at', 'attempts', 'lease_until', 'claimed_at', 'claim_token'):
            batch.drop_column(column)
