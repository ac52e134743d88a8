"""one vote across the hall and the phones: the ledger's channel and time, the hall's counts beside named
ballots, and a secret vote's box apart from its ledger; a pass the desk holds out

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-05 14:30:00
"""

import sqlalchemy as sa
from alembic import op

from konsey.tenants.rls import council_primary_keys, each_council, protect_table

revision = '0036'
down_revision = '0035'
branch_labels = None
depends_on = None

CHANNEL = sa.Enum('phone', 'desk', 'roll_call', 'paper', name='channel', native_enum=False, length=10)


def upgrade():
    op.create_table('secret_tallies',
    sa.Column('vote_id', sa.Uuid(), nullable=False),
    sa.Column('choice', sa.String(length=8), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['council_id', 'vote_id'], ['votes.council_id', 'votes.id'], name=op.f('fk_secret_tallies_council_id_vote_id_votes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_secret_tallies_council_id_councils'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_secret_tallies')),
    sa.UniqueConstraint('council_id', 'id', name=op.f('uq_secret_tallies_council_id_id')),
    sa.UniqueConstraint('council_id', 'vote_id', 'choice', name=op.f('uq_secret_tallies_council_id_vote_id_choice'))
    )
    with op.batch_alter_table('votes', schema=None) as batch_op:
        for column in ('hall_yes', 'hall_no', 'hall_abstain', 'hall_turnout'):
            batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('hall_room', sa.JSON(), nullable=True))
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', CHANNEL, nullable=False, server_default='desk'))
        batch_op.add_column(sa.Column('cast_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('meeting_passes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held_out_at', sa.DateTime(timezone=True), nullable=True))
    protect_table(op, 'secret_tallies')
    council_primary_keys(op, ['secret_tallies'])

    # A vote open while this runs keeps its count: a secret one's running counts go into its box; an open one's
    # counts (entered by the desk, or ballots whose choice was not kept) become the hall's, its named ballots
    # paper ones (inside those counts). The totals on a vote are now its final ones, written at the close.
    bind = op.get_bind()
    votes = sa.table('votes', *(sa.column(c, sa.Integer()) for c in ('yes', 'no', 'abstain', 'hall_yes',
                                                                       'hall_no', 'hall_abstain')),
                     sa.column('id', sa.Uuid()), sa.column('council_id', sa.Uuid()), sa.column('kind', sa.String()),
                     sa.column('closed_at', sa.DateTime(timezone=True)))
    ballots = sa.table('ballots', sa.column('vote_id', sa.Uuid()), sa.column('channel', sa.String()))
    tallies = sa.table('secret_tallies', sa.column('id', sa.Uuid()), sa.column('council_id', sa.Uuid()),
                       sa.column('vote_id', sa.Uuid()), sa.column('choice', sa.String()),
                       sa.column('count', sa.Integer()))
    import uuid

    for council in each_council(bind):  # (on SQLite nothing scopes the rows: the council is named)
        for vote in bind.execute(sa.select(votes).where(votes.c.closed_at.is_(None),
                                                        votes.c.council_id == council)).mappings().all():
            counts = {'yes': vote['yes'], 'no': vote['no'], 'abstain': vote['abstain']}
            if vote['kind'] == 'secret':
                bind.execute(tallies.insert(), [{'id': uuid.uuid4(), 'council_id': vote['council_id'],
                                                 'vote_id': vote['id'], 'choice': c, 'count': n}
                                                for c, n in counts.items()])
            elif vote['kind'] == 'open' and sum(counts.values()):
                bind.execute(votes.update().where(votes.c.id == vote['id']).values(
                    hall_yes=counts['yes'], hall_no=counts['no'], hall_abstain=counts['abstain']))
                bind.execute(ballots.update().where(ballots.c.vote_id == vote['id']).values(channel='paper'))
            bind.execute(votes.update().where(votes.c.id == vote['id']).values(yes=0, no=0, abstain=0))


def downgrade():
    with op.batch_alter_table('meeting_passes', schema=None) as batch_op:
        batch_op.drop_column('held_out_at')
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.drop_column('cast_at')
        batch_op.drop_column('channel')
    with op.batch_alter_table('votes', schema=None) as batch_op:
        for column in ('hall_room', 'hall_turnout', 'hall_abstain', 'hall_no', 'hall_yes'):
            batch_op.drop_column(column)
    op.drop_table('secret_tallies')
