"""the plugin's tables' primary keys include council_id, (council_id, id), as the core's do since 0034
(PostgreSQL only)

Revision ID: ca0002
Revises: ca0001
"""

from alembic import op

from konsey.pluginkit import council_primary_keys

revision = 'ca0002'
down_revision = 'ca0001'
branch_labels = None
depends_on = None

TABLES = ['children_assembly_children', 'children_assembly_consents']


def upgrade():
    council_primary_keys(op, TABLES)


def downgrade():
    council_primary_keys(op, TABLES, composite=False)
