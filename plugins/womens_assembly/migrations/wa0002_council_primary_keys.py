"""the plugin's tables' primary keys include council_id, (council_id, id), as the core's do since 0034
(PostgreSQL only)

Revision ID: wa0002
Revises: wa0001
"""

from alembic import op

from konsey.pluginkit import council_primary_keys

revision = 'wa0002'
down_revision = 'wa0001'
branch_labels = None
depends_on = None

TABLES = ['womens_assembly_impact_notes']


def upgrade():
    council_primary_keys(op, TABLES)


def downgrade():
    council_primary_keys(op, TABLES, composite=False)
