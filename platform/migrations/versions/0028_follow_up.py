"""the art. 76 follow-up: the municipal council's meeting calendar (due dates), the municipal decision's real date,
implementation milestones

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-01 16:06:36.108253
"""

import sqlalchemy as sa
from alembic import op

from konsey.tenants.rls import protect_table

revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('municipal_council_meetings',
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.Enum('regular', 'extraordinary', name='municipalmeetingkind', native_enum=False, length=16), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_municipal_council_meetings_council_id_councils'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_municipal_council_meetings')),
    sa.UniqueConstraint('council_id', 'held_on', name=op.f('uq_municipal_council_meetings_council_id_held_on')),
    sa.UniqueConstraint('council_id', 'id', name=op.f('uq_municipal_council_meetings_council_id_id'))
    )
    op.create_table('implementation_milestones',
    sa.Column('motion_id', sa.Uuid(), nullable=False),
    sa.Column('state', sa.Enum('planned', 'in_progress', 'done', 'abandoned', name='milestonestate', native_enum=False, length=16), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['council_id', 'motion_id'], ['motions.council_id', 'motions.id'], name=op.f('fk_implementation_milestones_council_id_motion_id_motions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_implementation_milestones_council_id_councils'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_implementation_milestones')),
    sa.UniqueConstraint('council_id', 'id', name=op.f('uq_implementation_milestones_council_id_id'))
    )
    protect_table(op, 'municipal_council_meetings')
    protect_table(op, 'implementation_milestones')
    with op.batch_alter_table('implementation_milestones', schema=None) as batch_op:
        batch_op.create_index('ix_implementation_milestones_council_motion', ['council_id', 'motion_id'], unique=False)

    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answer_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('answer_due_estimated', sa.Boolean(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('municipal_decided_on', sa.Date(), nullable=True))
    # The decision dates recorded so far as text (yyyy-mm-dd since they were validated) become real dates.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE motions SET municipal_decided_on = CAST(municipal_decision_date AS DATE) "
                   "WHERE municipal_decision_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'")
    else:
        op.execute("UPDATE motions SET municipal_decided_on = municipal_decision_date "
                   "WHERE municipal_decision_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'")



def downgrade():
    with op.batch_alter_table('motions', schema=None) as batch_op:
        batch_op.drop_column('municipal_decided_on')
        batch_op.drop_column('answer_due_estimated')
        batch_op.drop_column('answer_due_on')

    with op.batch_alter_table('implementation_milestones', schema=None) as batch_op:
        batch_op.drop_index('ix_implementation_milestones_council_motion')

    op.drop_table('implementation_milestones')
    op.drop_table('municipal_council_meetings')
