"""a second factor for signing in: a person's authenticator app (its secret encrypted), passkeys (their public keys),
recovery codes and remembered devices (kept as digests), and a council's choice to require a second factor of its staff

Revision ID: 0048
Revises: 0047
Create Date: 2026-12-06 11:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0048'
down_revision = '0047'
branch_labels = None
depends_on = None


def _person_table(name: str, *columns, unique_digest: bool = False) -> None:
    op.create_table(
        name,
        sa.Column('user_id', sa.Uuid(), nullable=False),
        *columns,
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f(f'fk_{name}_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}')),
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{name}_user_id'), ['user_id'], unique=False)


def upgrade():
    _person_table('second_factors',
                  sa.Column('kind', sa.String(length=16), nullable=False),
                  sa.Column('secret_encrypted', sa.Text(), nullable=False),
                  sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
                  sa.Column('last_step', sa.Integer(), nullable=True),
                  sa.Column('created_at', sa.DateTime(timezone=True), nullable=False))
    _person_table('recovery_codes',
                  sa.Column('digest', sa.String(length=64), nullable=False),
                  sa.Column('used_at', sa.DateTime(timezone=True), nullable=True))
    _person_table('remembered_devices',
                  sa.Column('digest', sa.String(length=64), nullable=False),
                  sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
                  sa.Column('created_at', sa.DateTime(timezone=True), nullable=False))
    with op.batch_alter_table('remembered_devices', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_remembered_devices_digest'), ['digest'])
    _person_table('passkeys',
                  sa.Column('credential_id', sa.LargeBinary(), nullable=False),
                  sa.Column('public_key', sa.LargeBinary(), nullable=False),
                  sa.Column('sign_count', sa.Integer(), nullable=False),
                  sa.Column('name', sa.String(length=60), nullable=False),
                  sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
                  sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('passkeys', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_passkeys_credential_id'), ['credential_id'])
    with op.batch_alter_table('councils', schema=None) as batch_op:
        batch_op.add_column(sa.Column('require_two_factor', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('councils', schema=None) as batch_op:
        batch_op.drop_column('require_two_factor')
    for name in ('passkeys', 'remembered_devices', 'recovery_codes', 'second_factors'):
        op.drop_table(name)
