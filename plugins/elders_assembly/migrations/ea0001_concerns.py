"""The elders' assembly: the concerns raised at it

Revision ID: ea0001
Revises: (a branch of its own; needs the core at 0034, whose primary keys include council_id)
"""

import sqlalchemy as sa
from alembic import op

from konsey.pluginkit import council_primary_keys, protect_table

revision = 'ea0001'
down_revision = None
branch_labels = ('elders_assembly',)
depends_on = '0034'


def upgrade():
    op.create_table('elders_assembly_concerns',
    sa.Column('theme', sa.Enum('health', 'transport', 'housing', 'accessibility', 'social_life', 'other', name='concerntheme', native_enum=False, length=20), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('raised_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('open', 'addressed', name='concernstatus', native_enum=False, length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_elders_assembly_concerns_council_id_councils'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_elders_assembly_concerns')),
    sa.UniqueConstraint('council_id', 'id', name=op.f('uq_elders_assembly_concerns_council_id_id'))
    )
    with op.batch_alter_table('elders_assembly_concerns', schema=None) as batch_op:
        batch_op.create_index('ix_elders_assembly_concerns_council_status', ['council_id', 'status'], unique=False)
    protect_table(op, 'elders_assembly_concerns')
    council_primary_keys(op, ['elders_assembly_concerns'])


def downgrade():
    op.drop_table('elders_assembly_concerns')
