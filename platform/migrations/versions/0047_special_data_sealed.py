"""special categories of personal data sealed at rest (KVKK art. 6): each council's data keys (wrapped by the
installation's master key), the members' identity numbers and representatives' names and the applicants as
sealed text, an identity number's keyed hash, and the record of who read them

Values already stored stay readable as they are and are sealed by ``konsey keys reseal`` (the daily job does it
too): a migration has no master key to seal with.

Revision ID: 0047
Revises: 0046
Create Date: 2026-12-06 10:30:00
"""

import sqlalchemy as sa
from alembic import op

from konsey.tenants.rls import create_council_table, protect_council_tables

revision = '0047'
down_revision = '0046'
branch_labels = None
depends_on = None

TABLES = ['council_data_keys', 'special_data_reads']
# (table, column, type before): each becomes text, which holds a sealed value.
SEALED = [('members', 'tckn', sa.String(length=11)),
          ('members', 'representative_name', sa.String(length=200)),
          ('members', 'substitute_name', sa.String(length=200)),
          ('representatives', 'name', sa.String(length=200)),
          ('membership_applications', 'applicant', sa.JSON())]


def to_text(table: str, column: str, before, nullable: bool | None = None) -> None:
    """``column`` of ``table`` becomes text (JSON and dates turned into their text on PostgreSQL)."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.alter_column(column, existing_type=before, type_=sa.Text(), postgresql_using=f'{column}::text')


def upgrade():
    for table, column, before in SEALED:
        to_text(table, column, before)
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tckn_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('tckn_hint', sa.String(length=2), nullable=True))
        batch_op.create_index('ix_members_council_tckn_hash', ['council_id', 'tckn_hash'], unique=False)
    create_council_table(op, 'council_data_keys',
           sa.Column('purpose', sa.String(length=8), nullable=False),
           sa.Column('version', sa.Integer(), nullable=False),
           sa.Column('master_key_id', sa.String(length=40), nullable=False),
           sa.Column('wrapped', sa.LargeBinary(), nullable=False),
           sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
           uniques=[('purpose', 'version')])
    create_council_table(op, 'special_data_reads',
           sa.Column('at', sa.DateTime(timezone=True), nullable=False),
           sa.Column('reader_user_id', sa.Uuid(), nullable=True),
           sa.Column('reader_member_id', sa.Uuid(), nullable=True),
           sa.Column('record_type', sa.String(length=64), nullable=False),
           sa.Column('record_id', sa.String(length=64), nullable=False),
           sa.Column('fields', sa.JSON(), nullable=False),
           sa.Column('route', sa.String(length=160), nullable=False))
    with op.batch_alter_table('special_data_reads', schema=None) as batch_op:
        batch_op.create_index('ix_special_data_reads_council_at', ['council_id', 'at'], unique=False)
    protect_council_tables(op, TABLES)


def downgrade():
    for table in reversed(TABLES):
        op.drop_table(table)
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index('ix_members_council_tckn_hash')
        batch_op.drop_column('tckn_hash')
        batch_op.drop_column('tckn_hint')
    # The columns stay text: a sealed value does not fit the old types.
