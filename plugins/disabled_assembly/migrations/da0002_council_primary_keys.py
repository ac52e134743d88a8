"""the plugin's tables' primary keys include council_id, (council_id, id), as the core's do since 0034
(PostgreSQL only)

Revision ID: da0002
Revises: da0001
"""

from alembic import op

from konsey.pluginkit import council_primary_keys

revision = 'da0002'
down_revision = 'da0001'
branch_labels = None
depends_on = None

TABLES = ['disabled_assembly_consents', 'disabled_assembly_supporters', 'disabled_assembly_access_requests']


def upgrade():
    council_primary_keys(op, TABLES)


def downgrade():
    council_primary_keys(op, TABLES, composite=False)
