"""a carer's name is sealed with the council's data key (KVKK art. 6: it says something about a member's health):
the column becomes text (the accessibility note already is)

Revision ID: da0003
Revises: da0002
"""

import sqlalchemy as sa
from alembic import op

revision = 'da0003'
down_revision = 'da0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('disabled_assembly_supporters', schema=None) as batch_op:
        batch_op.alter_column('name', existing_type=sa.String(length=200), type_=sa.Text())


def downgrade():
    pass  # a sealed value does not fit the old type
