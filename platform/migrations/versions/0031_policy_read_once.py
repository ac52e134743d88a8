"""The council-isolation policies read the council once per statement (a scalar subquery) and no longer OR in the
reader role, which gets a SELECT policy of its own: the policy becomes an index condition again

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-01 19:05:00
"""

from alembic import op

from konsey.tenants.rls import CONDITION, OR_READER_CONDITION, repolicy_all_sql, split_reader_policies_sql

revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(repolicy_all_sql(CONDITION))
    op.execute(split_reader_policies_sql(True))


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(split_reader_policies_sql(False))
    op.execute(repolicy_all_sql(OR_READER_CONDITION))
