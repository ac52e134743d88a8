"""members: a search key of the name (Turkish letters folded to ASCII), so that a search finds "Işık" from
"isik" anywhere in the name, the same on SQLite and PostgreSQL

Revision ID: 0045
Revises: 0044
Create Date: 2026-12-06 03:00:00
"""

import sqlalchemy as sa
from alembic import op

from konsey.core.text import search_key
from konsey.tenants.rls import each_council

revision = '0045'
down_revision = '0044'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_name', sa.String(length=200), nullable=False, server_default=''))
    fill_search_names(op.get_bind())


def fill_search_names(bind) -> None:
    """Each member's search key, one council at a time (row-level security shows the owner one at a time)."""
    members = sa.table('members', sa.column('id', sa.Uuid()), sa.column('council_id', sa.Uuid()),
                       sa.column('name', sa.String()), sa.column('search_name', sa.String()))
    for council in each_council(bind):
        rows = bind.execute(sa.select(members.c.id, members.c.name).where(members.c.council_id == council)).all()
        for start in range(0, len(rows), 1000):
            bind.execute(members.update().where(members.c.id == sa.bindparam('member_id'))
                         .values(search_name=sa.bindparam('key')),
                         [{'member_id': row.id, 'key': search_key(row.name or '')[:200]}
                          for row in rows[start:start + 1000]])


def downgrade():
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('search_name')
