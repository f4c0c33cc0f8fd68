"""report media: the archived files each report's body shows, so the media route needs no scan of reports

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01

Existing reports are read once here and their files recorded; from then on every save keeps the rows.
"""
import re

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

MEDIA_LINK = re.compile(r"/media/([0-9a-fA-F]{64})")  # as store/reports.py reads it


def upgrade() -> None:
    table = op.create_table(
        "report_media",
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("sha256", sa.String(64), primary_key=True),
    )
    op.create_index("ix_report_media_sha256", "report_media", ["sha256"])
    rows = op.get_bind().execute(sa.text("SELECT id, body FROM reports")).all()
    found = sorted({(int(report_id), sha.lower()) for report_id, body in rows
                    for sha in MEDIA_LINK.findall(body or "")})
    if found:
        op.bulk_insert(table, [{"report_id": report_id, "sha256": sha} for report_id, sha in found])


def downgrade() -> None:
    op.drop_index("ix_report_media_sha256", table_name="report_media")
    op.drop_table("report_media")
