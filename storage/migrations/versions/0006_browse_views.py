"""Views for browsing and grouping: one row per SSE story and region, every article with its week.

`sse_stories.regions` is a JSON list, so "SSE stories per region" needed `json_each`; `sse_story_regions`
has one row per (SSE story, region) — a story about no region has one row with region NULL — and the
story's week, so grouping by region or week is a plain GROUP BY (and a Datasette facet). `stories` is
every stored article (syndicated copies too, `duplicate_of` naming the first copy) with its source name,
verdict and week. `week` is the Monday of the week of publication (of fetching, for an undated
article), as YYYY-MM-DD; times are UTC.

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"

WEEK = {
    "sqlite": "date(COALESCE(a.published_at, a.fetched_at), 'weekday 0', '-6 days')",
    "postgresql": "to_char(date_trunc('week', COALESCE(a.published_at, a.fetched_at)), 'YYYY-MM-DD')",
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    week = WEEK.get(dialect, WEEK["postgresql"])
    op.execute(f"""
CREATE VIEW sse_story_regions AS
SELECT a.id AS story_id, r.region, {week} AS week, s.name AS source, a.lang, a.published_at,
       c.score, a.title, a.url
FROM articles a
JOIN sources s ON s.id = a.source_id
JOIN classifications c ON c.article_id = a.id
LEFT JOIN article_regions r ON r.article_id = a.id
WHERE c.sse AND a.duplicate_of IS NULL
""")
    op.execute(f"""
CREATE VIEW stories AS
SELECT a.id, a.title, a.url, s.name AS source, a.lang, a.published_at, a.fetched_at, {week} AS week,
       c.sse, c.score, c.regions, a.duplicate_of
FROM articles a
JOIN sources s ON s.id = a.source_id
JOIN classifications c ON c.article_id = a.id
""")


def downgrade() -> None:
    op.execute("DROP VIEW stories")
    op.execute("DROP VIEW sse_story_regions")
