"""The escape hatch gets a role of its own: konsey_reader (read-only) sees every council's rows; the policies
no longer honour konsey.scope = 'all', which the application role could set by itself

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-01 13:20:00
"""

from alembic import op

from konsey.tenants.rls import OLD_CONDITION, OR_READER_CONDITION, reader_role_sql, repolicy_all_sql

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in reader_role_sql():
        op.execute(statement)
    op.execute(repolicy_all_sql(OR_READER_CONDITION))


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(repolicy_all_sql(OLD_CONDITION))
