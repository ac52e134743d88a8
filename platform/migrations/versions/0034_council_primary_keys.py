"""every council-owned table's primary key includes council_id, (council_id, id), as a distributed PostgreSQL
(Citus, council_id the distribution column) requires; PostgreSQL only (docs/scaling.md)

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-01 19:30:00
"""

from alembic import op

from konsey.tenants.rls import council_primary_keys

revision = '0034'
down_revision = '0033'
branch_labels = None
depends_on = None

# The core's council-owned tables at this revision (the plugins' own migrations change theirs).
TABLES = ['agenda_items', 'attendances', 'audit_entries', 'ballots', 'bodies', 'budget_allocations', 'bylaw_profiles',
          'candidacies', 'consents', 'council_keys', 'counters', 'dead_letters', 'delivery_attempts',
          'delivery_routes', 'elections', 'excused_absences', 'expenses', 'export_jobs', 'implementation_milestones',
          'in_kind_support', 'meetings', 'members', 'membership_applications', 'membership_events', 'motions',
          'municipal_council_meetings', 'notification_preferences', 'notifications', 'outbox_events', 'participants',
          'plugin_enablements', 'report_versions', 'reports', 'representatives', 'seats',
          'session_request_signatures', 'session_requests', 'task_receipts', 'votes']


def upgrade():
    council_primary_keys(op, TABLES)


def downgrade():
    council_primary_keys(op, TABLES, composite=False)
