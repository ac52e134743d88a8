"""attendances: one open attendance per person, and per seat a substitute fills (two desks at once)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-01 13:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

OPEN = "left_at IS NULL"
OPEN_SEAT = "left_at IS NULL AND stands_in_for_id IS NOT NULL"


def upgrade():
    # Earlier doubles (the race this closes) keep only their first arrival open.
    op.execute("""
        UPDATE attendances SET left_at = arrived_at
        WHERE left_at IS NULL AND id NOT IN (
            SELECT id FROM (
                SELECT id, ROW_NUMBER() OVER (PARTITION BY council_id, meeting_id, member_id
                                              ORDER BY arrived_at, id) AS n
                FROM attendances WHERE left_at IS NULL) AS firsts
            WHERE n = 1)""")
    op.create_index("uq_attendances_open_member", "attendances", ["council_id", "meeting_id", "member_id"],
                    unique=True, postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN))
    op.create_index("uq_attendances_open_seat", "attendances", ["council_id", "meeting_id", "stands_in_for_id"],
                    unique=True, postgresql_where=sa.text(OPEN_SEAT), sqlite_where=sa.text(OPEN_SEAT))


def downgrade():
    op.drop_index("uq_attendances_open_seat", "attendances")
    op.drop_index("uq_attendances_open_member", "attendances")
