"""SMS through a council's own provider account (Netgsm or İleti Merkezi): the account (its credentials sealed with
the council's data key) and each message (its text sealed until sent)

Revision ID: 0049
Revises: 0048
Create Date: 2026-12-06 11:30:00
"""

import sqlalchemy as sa
from alembic import op

from konsey.tenants.rls import create_council_table, protect_council_tables

revision = '0049'
down_revision = '0048'
branch_labels = None
depends_on = None

TABLES = ['sms_settings', 'sms_messages']


def upgrade():
    create_council_table(op, 'sms_settings',
           sa.Column('provider', sa.String(length=16), nullable=False),
           sa.Column('sender', sa.String(length=11), nullable=False),
           sa.Column('credentials_sealed', sa.Text(), nullable=False),
           sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False))
    with op.batch_alter_table('sms_settings', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_sms_settings_council_id'), ['council_id'])
    create_council_table(op, 'sms_messages',
           sa.Column('member_id', sa.Uuid(), nullable=True),
           sa.Column('number', sa.String(length=16), nullable=False),
           sa.Column('purpose', sa.String(length=32), nullable=False),
           sa.Column('text_sealed', sa.Text(), nullable=True),
           sa.Column('status', sa.Enum('queued', 'sent', 'failed', name='smsstatus', native_enum=False, length=10),
                     nullable=False),
           sa.Column('provider', sa.String(length=16), nullable=False),
           sa.Column('provider_ref', sa.String(length=64), nullable=True),
           sa.Column('error_code', sa.String(length=16), nullable=True),
           sa.Column('attempts', sa.Integer(), nullable=False),
           sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
           sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('sms_messages', schema=None) as batch_op:
        batch_op.create_index('ix_sms_messages_council_created', ['council_id', 'created_at'], unique=False)
    protect_council_tables(op, TABLES)


def downgrade():
    for table in reversed(TABLES):
        op.drop_table(table)
