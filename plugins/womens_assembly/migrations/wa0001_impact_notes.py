"""The women's assembly: gender-impact notes on motions

Revision ID: wa0001
Revises: (a branch of its own; needs the core at 0016)
"""

import sqlalchemy as sa
from alembic import op

from konsey.pluginkit import protect_table

revision = 'wa0001'
down_revision = None
branch_labels = ('womens_assembly',)
depends_on = '0016'


def upgrade():
    op.create_table('womens_assembly_impact_notes',
    sa.Column('motion_id', sa.Uuid(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['council_id', 'motion_id'], ['motions.council_id', 'motions.id'], name=op.f('fk_womens_assembly_impact_notes_council_id_motion_id_motions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_womens_assembly_impact_notes_council_id_councils'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_womens_assembly_impact_notes')),
    sa.UniqueConstraint('council_id', 'id', name=op.f('uq_womens_assembly_impact_notes_council_id_id')),
    sa.UniqueConstraint('council_id', 'motion_id', name=op.f('uq_womens_assembly_impact_notes_council_id_motion_id'))
    )
    protect_table(op, 'womens_assembly_impact_notes')


def downgrade():
    op.drop_table('womens_assembly_impact_notes')

