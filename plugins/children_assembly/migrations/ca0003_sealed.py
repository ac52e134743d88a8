"""a child's name and birth date and the guardian's name and contacts are sealed with the council's data key: the
columns become text (a birth date its ISO text)

Revision ID: ca0003
Revises: ca0002
"""

import sqlalchemy as sa
from alembic import op

revision = 'ca0003'
down_revision = 'ca0002'
branch_labels = None
depends_on = None

SEALED = {'children_assembly_children': [('name', sa.String(length=120)), ('birth_date', sa.Date()),
                                         ('guardian_name', sa.String(length=200)),
                                         ('guardian_email', sa.String(length=254)),
                                         ('guardian_phone', sa.String(length=40))],
          'children_assembly_consents': [('guardian_name', sa.String(length=200))]}


def upgrade():
    for table, columns in SEALED.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, before in columns:
                # A date as ISO text whatever the server's DateStyle (what the sealed field reads back).
                using = f"to_char({column}, 'YYYY-MM-DD')" if isinstance(before, sa.Date) else f'{column}::text'
                batch_op.alter_column(column, existing_type=before, type_=sa.Text(), postgresql_using=using)


def downgrade():
    pass  # a sealed value does not fit the old types
