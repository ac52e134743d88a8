"""Residents' participation: accounts, proposals and supports, requests to join working groups, drafts for
comment with their versions and comments, flags

Revision ID: pa0001
Revises: (a branch of its own; needs the core at 0051)
"""

import sqlalchemy as sa
from alembic import op

from konsey.pluginkit import council_primary_keys, protect_table

revision = 'pa0001'
down_revision = None
branch_labels = ('participation',)
depends_on = '0051'

TABLES = ('participation_residents', 'participation_join_requests', 'participation_drafts', 'participation_comments',
          'participation_draft_versions', 'participation_proposals', 'participation_flags',
          'participation_proposal_events', 'participation_supports')


def upgrade():
    op.create_table('participation_residents',
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('neighbourhood', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('notice_version', sa.String(length=20), nullable=False),
    sa.Column('consented_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('member_id', sa.Uuid(), nullable=True),
    sa.Column('session_generation', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_participation_residents_council_id_councils'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participation_residents')),
    sa.UniqueConstraint('council_id', 'email', name=op.f('uq_participation_residents_council_id_email')),
    sa.UniqueConstraint('council_id', 'id', name=op.f('uq_participation_residents_council_id_id'))
    )
    op.create_table('participation_join_requests',
    sa.Column('body_id', sa.Uuid(), nullable=False),
    sa.Column('resident_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'accepted', 'declined', name='joinstatus', native_enum=False, length=16), nullable=False),
    sa.Column('participant_id', sa.Uuid(), nullable=True),
    sa.Column('consented_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['council_id', 'body_id'], ['bodies.council_id', 'bodies.id'], name=op.f('fk_participation_join_requests_council_id_body_id_bodies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['council_id', 'participant_id'], ['participants.council_id', 'participants.id'], name=op.f('fk_participation_join_requests_council_id_participant_id_participants')),
    sa.ForeignKeyConstraint(['council_id', 'resident_id'], ['participation_residents.council_id', 'participation_residents.id'], name=op.f('fk_participation_join_requests_council_id_resident_id_participation_residents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_participation_join_requests_council_id_councils'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participation_join_requests')),
    sa.UniqueConstraint('council_id', 'id', name=op.f('uq_participation_join_requests_council_id_id'))
    )
    op.create_table('participation_drafts',
    sa.Column('kind', sa.Enum('report', 'bylaws', name='draftkind', native_enum=False, length=16), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body_id', sa.Uuid(), nullable=False),
    sa.Column('report_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.Enum('open', 'closed', 'adopted', name='draftstatus', native_enum=False, length=16), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['council_id', 'body_id'], ['bodies.council_id', 'bodies.id'], name=op.f('fk_participation_drafts_council_id_body_id_bodies')),
    sa.ForeignKeyConstraint(['council_id', 'report_id'], ['reports.council_id', 'reports.id'], name=op.f('fk_participation_drafts_council_id_report_id_reports')),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_participation_drafts_council_id_councils'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participation_drafts')),
    sa.UniqueConstraint('council_id', 'id', name=op.f('uq_participation_drafts_council_id_id'))
    )
    op.create_table('participation_comments',
    sa.Column('draft_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('paragraph', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('answer', sa.Enum('taken_in', 'not_taken', name='commentanswer', native_enum=False, length=16), nullable=True),
    sa.Column('answer_reason', sa.Text(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_reason', sa.String(length=500), nullable=True),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['council_id', 'author_id'], ['participation_residents.council_id', 'participation_residents.id'], name=op.f('fk_participation_comments_council_id_author_id_participation_residents')),
    sa.ForeignKeyConstraint(['council_id', 'draft_id'], ['participation_drafts.council_id', 'participation_drafts.id'], name=op.f('fk_participation_comments_council_id_draft_id_participation_drafts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_participation_comments_council_id_councils'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participation_comments')),
    sa.UniqueConstraint('council_id', 'id', name=op.f('uq_participation_comments_council_id_id'))
    )
    with op.batch_alter_table('participation_comments', schema=None) as batch_op:
        batch_op.create_index('ix_participation_comments_council_draft', ['council_id', 'draft_id'], unique=False)

    op.create_table('participation_draft_versions',
    sa.Column('draft_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['council_id', 'draft_id'], ['participation_drafts.council_id', 'participation_drafts.id'], name=op.f('fk_participation_draft_versions_council_id_draft_id_participation_drafts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_participation_draft_versions_council_id_councils'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participation_draft_versions')),
    sa.UniqueConstraint('council_id', 'draft_id', 'version', name=op.f('uq_participation_draft_versions_council_id_draft_id_version')),
    sa.UniqueConstraint('council_id', 'id', name=op.f('uq_participation_draft_versions_council_id_id'))
    )
    op.create_table('participation_proposals',
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('theme_body_id', sa.Uuid(), nullable=True),
    sa.Column('neighbourhood', sa.String(length=120), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.Enum('open', 'at_body', 'answered', 'declined', 'merged', name='proposalstatus', native_enum=False, length=16), nullable=False),
    sa.Column('supports', sa.Integer(), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('reached_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('body_id', sa.Uuid(), nullable=True),
    sa.Column('report_id', sa.Uuid(), nullable=True),
    sa.Column('motion_id', sa.Uuid(), nullable=True),
    sa.Column('merged_into_id', sa.Uuid(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('hidden_reason', sa.String(length=500), nullable=True),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attachment_name', sa.String(length=200), nullable=True),
    sa.Column('attachment_type', sa.String(length=100), nullable=True),
    sa.Column('attachment', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['council_id', 'author_id'], ['participation_residents.council_id', 'participation_residents.id'], name=op.f('fk_participation_proposals_council_id_author_id_participation_residents')),
    sa.ForeignKeyConstraint(['council_id', 'body_id'], ['bodies.council_id', 'bodies.id'], name=op.f('fk_participation_proposals_council_id_body_id_bodies')),
    sa.ForeignKeyConstraint(['council_id', 'merged_into_id'], ['participation_proposals.council_id', 'participation_proposals.id'], name=op.f('fk_participation_proposals_council_id_merged_into_id_participation_proposals')),
    sa.ForeignKeyConstraint(['council_id', 'motion_id'], ['motions.council_id', 'motions.id'], name=op.f('fk_participation_proposals_council_id_motion_id_motions')),
    sa.ForeignKeyConstraint(['council_id', 'report_id'], ['reports.council_id', 'reports.id'], name=op.f('fk_participation_proposals_council_id_report_id_reports')),
    sa.ForeignKeyConstraint(['council_id', 'theme_body_id'], ['bodies.council_id', 'bodies.id'], name=op.f('fk_participation_proposals_council_id_theme_body_id_bodies')),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_participation_proposals_council_id_councils'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participation_proposals')),
    sa.UniqueConstraint('council_id', 'id', name=op.f('uq_participation_proposals_council_id_id')),
    sa.UniqueConstraint('council_id', 'number', name=op.f('uq_participation_proposals_council_id_number'))
    )
    with op.batch_alter_table('participation_proposals', schema=None) as batch_op:
        batch_op.create_index('ix_participation_proposals_council_status', ['council_id', 'status'], unique=False)

    op.create_table('participation_flags',
    sa.Column('proposal_id', sa.Uuid(), nullable=True),
    sa.Column('comment_id', sa.Uuid(), nullable=True),
    sa.Column('reason', sa.Enum('abuse', 'personal_data', 'spam', 'off_topic', name='flagreason', native_enum=False, length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['council_id', 'comment_id'], ['participation_comments.council_id', 'participation_comments.id'], name=op.f('fk_participation_flags_council_id_comment_id_participation_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['council_id', 'proposal_id'], ['participation_proposals.council_id', 'participation_proposals.id'], name=op.f('fk_participation_flags_council_id_proposal_id_participation_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_participation_flags_council_id_councils'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participation_flags')),
    sa.UniqueConstraint('council_id', 'id', name=op.f('uq_participation_flags_council_id_id'))
    )
    op.create_table('participation_proposal_events',
    sa.Column('proposal_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['council_id', 'proposal_id'], ['participation_proposals.council_id', 'participation_proposals.id'], name=op.f('fk_participation_proposal_events_council_id_proposal_id_participation_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_participation_proposal_events_council_id_councils'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participation_proposal_events')),
    sa.UniqueConstraint('council_id', 'id', name=op.f('uq_participation_proposal_events_council_id_id'))
    )
    with op.batch_alter_table('participation_proposal_events', schema=None) as batch_op:
        batch_op.create_index('ix_participation_proposal_events_council_proposal', ['council_id', 'proposal_id'], unique=False)

    op.create_table('participation_supports',
    sa.Column('proposal_id', sa.Uuid(), nullable=False),
    sa.Column('resident_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['council_id', 'proposal_id'], ['participation_proposals.council_id', 'participation_proposals.id'], name=op.f('fk_participation_supports_council_id_proposal_id_participation_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['council_id', 'resident_id'], ['participation_residents.council_id', 'participation_residents.id'], name=op.f('fk_participation_supports_council_id_resident_id_participation_residents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_participation_supports_council_id_councils'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participation_supports')),
    sa.UniqueConstraint('council_id', 'id', name=op.f('uq_participation_supports_council_id_id')),
    sa.UniqueConstraint('council_id', 'proposal_id', 'resident_id', name=op.f('uq_participation_supports_council_id_proposal_id_resident_id'))
    )
    for table in TABLES:
        protect_table(op, table)
    council_primary_keys(op, list(TABLES))  # PostgreSQL: the key led by council_id, as every council table's


def downgrade():
    op.drop_table('participation_supports')
    with op.batch_alter_table('participation_proposal_events', schema=None) as batch_op:
        batch_op.drop_index('ix_participation_proposal_events_council_proposal')

    op.drop_table('participation_proposal_events')
    op.drop_table('participation_flags')
    with op.batch_alter_table('participation_proposals', schema=None) as batch_op:
        batch_op.drop_index('ix_participation_proposals_council_status')

    op.drop_table('participation_proposals')
    op.drop_table('participation_draft_versions')
    with op.batch_alter_table('participation_comments', schema=None) as batch_op:
        batch_op.drop_index('ix_participation_comments_council_draft')

    op.drop_table('participation_comments')
    op.drop_table('participation_drafts')
    op.drop_table('participation_join_requests')
    op.drop_table('participation_residents')
