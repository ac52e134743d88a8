"""the full export as work for the worker: export_jobs, with progress and the compressed document for a week

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-01 19:03:24.545319
"""

import sqlalchemy as sa
from alembic import op

from konsey.tenants.rls import READER_ROLE, protect_table

revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('export_jobs',
    sa.Column('requested_by_id', sa.Uuid(), nullable=True),
    sa.Column('state', sa.Enum('queued', 'running', 'ready', 'failed', 'expired', name='exportstate', native_enum=False, length=10), nullable=False),
    sa.Column('tables_done', sa.Integer(), nullable=False),
    sa.Column('tables_total', sa.Integer(), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=True),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('error', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('progress_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_export_jobs_council_id_councils'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_jobs')),
    sa.UniqueConstraint('council_id', 'id', name=op.f('uq_export_jobs_council_id_id'))
    )
    with op.batch_alter_table('export_jobs', schema=None) as batch_op:
        batch_op.create_index('ix_export_jobs_council_created', ['council_id', 'created_at'], unique=False)
        batch_op.create_index('uq_export_jobs_unfinished', ['council_id'], unique=True,
                              postgresql_where=sa.text("state IN ('queued', 'running')"),
                              sqlite_where=sa.text("state IN ('queued', 'running')"))
    protect_table(op, 'export_jobs')
    if op.get_bind().dialect.name == "postgresql":
        # Every member's personal data, compressed: the escape hatch's reader never needs it.
        op.execute(f"REVOKE ALL ON TABLE export_jobs FROM {READER_ROLE}")



def downgrade():
    with op.batch_alter_table('export_jobs', schema=None) as batch_op:
        batch_op.drop_index('uq_export_jobs_unfinished')
        batch_op.drop_index('ix_export_jobs_council_created')

    op.drop_table('export_jobs')
