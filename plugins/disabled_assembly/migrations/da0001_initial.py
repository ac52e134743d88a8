"""The disabled people's assembly: explicit consents, supporters, accessibility requests

Revision ID: da0001
Revises: (a branch of its own; needs the core at 0028)
"""

import sqlalchemy as sa
from alembic import op

from konsey.pluginkit import protect_table

revision = 'da0001'
down_revision = None
branch_labels = ('disabled_assembly',)
depends_on = '0028'


def _owned(name: str, *columns, constraints=()):
    op.create_table(
        name, *columns,
        sa.Column('council_id', sa.Uuid(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f(f'fk_{name}_council_id_councils'),
                                ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}')),
        sa.UniqueConstraint('council_id', 'id', name=op.f(f'uq_{name}_council_id_id')),
        *constraints)
    protect_table(op, name)


def upgrade():
    _owned('disabled_assembly_consents',
           sa.Column('member_id', sa.Uuid(), nullable=False),
           sa.Column('given_on', sa.Date(), nullable=False),
           sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
           constraints=(
               sa.ForeignKeyConstraint(['council_id', 'member_id'], ['members.council_id', 'members.id'],
                                       name=op.f('fk_disabled_assembly_consents_council_id_member_id_members'),
                                       ondelete='CASCADE'),
               sa.UniqueConstraint('council_id', 'member_id',
                                   name=op.f('uq_disabled_assembly_consents_council_id_member_id'))))
    _owned('disabled_assembly_supporters',
           sa.Column('member_id', sa.Uuid(), nullable=False),
           sa.Column('name', sa.String(length=200), nullable=False),
           sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
           constraints=(
               sa.ForeignKeyConstraint(['council_id', 'member_id'], ['members.council_id', 'members.id'],
                                       name=op.f('fk_disabled_assembly_supporters_council_id_member_id_members'),
                                       ondelete='CASCADE'),))
    _owned('disabled_assembly_access_requests',
           sa.Column('kind', sa.Enum('sign_language', 'captions', 'step_free_access', 'braille_or_large_print',
                                     'assistant_seat', 'other', name='accesskind', native_enum=False, length=32),
                     nullable=False),
           sa.Column('meeting_id', sa.Uuid(), nullable=True),
           sa.Column('note', sa.Text(), nullable=True),
           sa.Column('requested_on', sa.Date(), nullable=False),
           sa.Column('met', sa.Boolean(), nullable=False),
           constraints=(
               sa.ForeignKeyConstraint(['council_id', 'meeting_id'], ['meetings.council_id', 'meetings.id'],
                                       name=op.f('fk_disabled_assembly_access_requests_council_id_meeting_id_meetings'),
                                       ondelete='SET NULL'),))
    with op.batch_alter_table('disabled_assembly_access_requests') as batch:
        batch.create_index('ix_disabled_assembly_access_requests_council_day', ['council_id', 'requested_on'])


def downgrade():
    for name in ('disabled_assembly_access_requests', 'disabled_assembly_supporters', 'disabled_assembly_consents'):
        op.drop_table(name)
