"""signing in by SMS and confirming a phone's holder: a code's columns on a second factor (an SMS one names the council
that sends it) and on a meeting pass, a council's choice to let its staff take codes by SMS, members' passkeys, a
member's consent to notices by SMS, a representative's mobile, and the provider's delivery report of each SMS

Revision ID: 0050
Revises: 0049
Create Date: 2026-12-06 14:00:00
"""

import sqlalchemy as sa
from alembic import op

from konsey.tenants.rls import create_council_table, protect_council_tables

revision = '0050'
down_revision = '0049'
branch_labels = None
depends_on = None


def _code_columns() -> list[sa.Column]:
    return [sa.Column('code_digest', sa.String(length=64), nullable=True),
            sa.Column('code_sent_at', sa.DateTime(timezone=True), nullable=True),
            sa.Column('code_expires_at', sa.DateTime(timezone=True), nullable=True),
            sa.Column('code_tries', sa.Integer(), nullable=False, server_default='0')]


def upgrade():
    with op.batch_alter_table('second_factors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('council_id', sa.Uuid(), nullable=True))
        for column in _code_columns():
            batch_op.add_column(column)
        batch_op.create_foreign_key(batch_op.f('fk_second_factors_council_id_councils'), 'councils', ['council_id'],
                                    ['id'], ondelete='CASCADE')
    with op.batch_alter_table('meeting_passes', schema=None) as batch_op:
        for column in _code_columns():
            batch_op.add_column(column)
    with op.batch_alter_table('councils', schema=None) as batch_op:
        batch_op.add_column(sa.Column('allow_sms_second_factor', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sms_consent_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('representatives', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mobile', sa.String(length=16), nullable=True))
    with op.batch_alter_table('sms_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('report_at', sa.DateTime(timezone=True), nullable=True))
    create_council_table(op, 'member_passkeys',
                         sa.Column('member_id', sa.Uuid(), nullable=False),
                         sa.Column('credential_id', sa.LargeBinary(), nullable=False),
                         sa.Column('public_key', sa.LargeBinary(), nullable=False),
                         sa.Column('sign_count', sa.Integer(), nullable=False),
                         sa.Column('name', sa.String(length=60), nullable=False),
                         sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
                         sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
                         keys=[('member_id', 'members', 'CASCADE')], uniques=[('credential_id',)])
    with op.batch_alter_table('member_passkeys', schema=None) as batch_op:
        batch_op.create_index('ix_member_passkeys_council_member', ['council_id', 'member_id'], unique=False)
    protect_council_tables(op, ['member_passkeys'])


def downgrade():
    op.drop_table('member_passkeys')
    with op.batch_alter_table('sms_messages', schema=None) as batch_op:
        batch_op.drop_column('report_at')
        batch_op.drop_column('report')
    with op.batch_alter_table('representatives', schema=None) as batch_op:
        batch_op.drop_column('mobile')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('sms_consent_at')
    with op.batch_alter_table('councils', schema=None) as batch_op:
        batch_op.drop_column('allow_sms_second_factor')
    with op.batch_alter_table('meeting_passes', schema=None) as batch_op:
        for name in ('code_tries', 'code_expires_at', 'code_sent_at', 'code_digest'):
            batch_op.drop_column(name)
    with op.batch_alter_table('second_factors', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_second_factors_council_id_councils'), type_='foreignkey')
        for name in ('code_tries', 'code_expires_at', 'code_sent_at', 'code_digest', 'council_id'):
            batch_op.drop_column(name)
