"""The children's assembly: children and their guardians' consents

Revision ID: ca0001
Revises: (a branch of its own; needs the core at 0016)
"""

import sqlalchemy as sa
from alembic import op

from konsey.pluginkit import protect_table

revision = 'ca0001'
down_revision = None
branch_labels = ('children_assembly',)
depends_on = '0016'


def upgrade():
    op.create_table('children_assembly_children',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('school_grade', sa.Integer(), nullable=True),
    sa.Column('guardian_name', sa.String(length=200), nullable=False),
    sa.Column('guardian_relation', sa.String(length=60), nullable=False),
    sa.Column('guardian_email', sa.String(length=254), nullable=True),
    sa.Column('guardian_phone', sa.String(length=40), nullable=True),
    sa.Column('status', sa.Enum('awaiting_consent', 'active', 'aged_out', 'left', name='childstatus', native_enum=False, length=20), nullable=False),
    sa.Column('officer', sa.Enum('president', 'vice_president', 'secretary', name='officer', native_enum=False, length=20), nullable=True),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_children_assembly_children_council_id_councils'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_children_assembly_children')),
    sa.UniqueConstraint('council_id', 'id', name=op.f('uq_children_assembly_children_council_id_id'))
    )
    with op.batch_alter_table('children_assembly_children', schema=None) as batch_op:
        batch_op.create_index('ix_children_assembly_children_council_status', ['council_id', 'status'], unique=False)

    protect_table(op, 'children_assembly_children')
    op.create_table('children_assembly_consents',
    sa.Column('child_id', sa.Uuid(), nullable=False),
    sa.Column('guardian_name', sa.String(length=200), nullable=False),
    sa.Column('relation', sa.String(length=60), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('method', sa.Enum('written_form', 'in_person', 'electronic', name='consentmethod', native_enum=False, length=20), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['council_id', 'child_id'], ['children_assembly_children.council_id', 'children_assembly_children.id'], name=op.f('fk_children_assembly_consents_council_id_child_id_children_assembly_children'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_children_assembly_consents_council_id_councils'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_children_assembly_consents')),
    sa.UniqueConstraint('council_id', 'id', name=op.f('uq_children_assembly_consents_council_id_id'))
    )
    protect_table(op, 'children_assembly_consents')


def downgrade():
    op.drop_table('children_assembly_consents')
    op.drop_table('children_assembly_children')

