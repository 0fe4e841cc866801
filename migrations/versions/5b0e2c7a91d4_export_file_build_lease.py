"""export file build lease: a claim token, its lease end and the builds begun

Revision ID: 5b0e2c7a91d4
Revises: d4518750fc9a
Create Date: 2026-12-07 06:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b0e2c7a91d4'
down_revision = 'd4518750fc9a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('export_files', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claim_token', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('export_files', schema=None) as batch_op:
        batch_op.drop_column('attempts')
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('claim_token')
