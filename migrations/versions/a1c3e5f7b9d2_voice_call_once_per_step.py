"""voice calls: one call per alert and escalation step (unique alert_id, level)

Revision ID: a1c3e5f7b9d2
Revises: 5b0e2c7a91d4
Create Date: 2026-12-07 18:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a1c3e5f7b9d2'
down_revision = '5b0e2c7a91d4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('voice_calls', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_voice_calls_alert_id'), ['alert_id', 'level'])


def downgrade():
    with op.batch_alter_table('voice_calls', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_voice_calls_alert_id'), type_='unique')
