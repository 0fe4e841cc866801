"""export file retention: when a file was deleted from disk

Revision ID: d4518750fc9a
Revises: d18aa358b46c
Create Date: 2026-12-07 05:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4518750fc9a'
down_revision = 'd18aa358b46c'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('export_files', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('export_files', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')
