"""konsey_reader reads no secrets: no SELECT on accounts, tokens, invitations, signing keys or delivery routes
(what the cross-council reads never need: the federation's aggregates, the operator's counts, the relay's ids)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-01 14:12:00
"""

from alembic import op

from konsey.tenants.rls import READER_NEVER_READS, READER_ROLE

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in READER_NEVER_READS:
        op.execute(f"REVOKE ALL ON TABLE {table} FROM {READER_ROLE}")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in READER_NEVER_READS:
        op.execute(f"GRANT SELECT ON TABLE {table} TO {READER_ROLE}")
