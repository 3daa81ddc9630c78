"""run lifecycle: crawl_run heartbeat and pid, dead-letter table crawl_rejected_item, crawl_model_state.detail_error

Revision ID: 0006_run_lifecycle
Revises: 0005_pytorch_hub
Create Date: 2026-12-02 01:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_run_lifecycle"
down_revision: str | Sequence[str] | None = "0005_pytorch_hub"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("crawl_run") as batch:
        batch.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("heartbeat_at", sa.String(), nullable=True))
    with op.batch_alter_table("crawl_model_state") as batch:
        batch.add_column(sa.Column("detail_error", sa.Text(), nullable=True))
    op.create_table(
        "crawl_rejected_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("rejected_at", sa.String(), nullable=True),
        sa.Column("item_type", sa.String(), nullable=True),
        sa.Column("natural_key", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("item", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["crawl_run.id"]),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("crawl_rejected_item")
    with op.batch_alter_table("crawl_model_state") as batch:
        batch.drop_column("detail_error")
    with op.batch_alter_table("crawl_run") as batch:
        batch.drop_column("heartbeat_at")
        batch.drop_column("pid")
