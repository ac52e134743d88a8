"""members: a search key of the name (Turkish letters folded to ASCII), so that a search finds "Işık" from
"isik" anywhere in the name, the same on SQLite and PostgreSQL

Revision ID: 0045
Revises: 0044
Create Date: 2026-12-06 03:00:00
"""

import sqlalchemy as sa
from alembic import op

from konsey.core.text import search_key

revision = '0045'
down_revision = '0044'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_name', sa.String(length=200), nullable=False, server_default=''))
    bind = op.get_bind()
    members = sa.table('members', sa.column('id', sa.Uuid()), sa.column('name', sa.String()),
                       sa.column('search_name', sa.String()))
    rows = bind.execute(sa.select(members.c.id, members.c.name)).all()
    for start in range(0, len(rows), 1000):
        bind.execute(members.update().where(members.c.id == sa.bindparam('member_id'))
                     .values(search_name=sa.bindparam('key')),
                     [{'member_id': row.id, 'key': search_key(row.name or '')} for row in rows[start:start + 1000]])


def downgrade():
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('search_name')
