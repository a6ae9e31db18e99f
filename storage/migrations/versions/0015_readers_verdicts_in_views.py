"""Readers' verdicts count wherever a story's verdict is read: the views that list SSE stories use a
reader's newest verdict on the story (given on any of its syndicated copies) before the classifier's.

A reader who marks a story "not SSE" (`rasd label`, the browse form) expects it gone from the monthly report,
the charts, `rasd browse`'s SSE views and a hand-written `SELECT … FROM sse_stories`, not only from the
digests; one marked "SSE" that the classifier missed, there. `story_verdicts` holds the newest verdict of
each labelled story (a reader's handful of rows); `sse_stories`, `sse_story_regions` and `stories` join it
by the story's first copy. The classifier's own verdict stays in `classifications` (and `stories` shows
both: `sse` is the verdict that counts, `classifier_sse` the classifier's). A reader's region, when given,
is the story's region in `sse_story_regions`.

Revision ID: 0015
Revises: 0014
"""

from alembic import op

revision = "0015"
down_revision = "0014"

WEEK = {
    "sqlite": "date(COALESCE(a.published_at, a.fetched_at), 'weekday 0', '-6 days')",
    "postgresql": "to_char(date_trunc('week', COALESCE(a.published_at, a.fetched_at)), 'YYYY-MM-DD')",
}

STORY_VERDICTS = """
CREATE VIEW story_verdicts AS
SELECT story_id, sse, region, labelled_by, labelled_at FROM (
    SELECT COALESCE(a.duplicate_of, a.id) AS story_id, l.sse, l.region, l.labelled_by, l.labelled_at,
           ROW_NUMBER() OVER (PARTITION BY COALESCE(a.duplicate_of, a.id) ORDER BY l.id DESC) AS newest
    FROM labels l JOIN articles a ON a.id = l.article_id
) ranked
WHERE newest = 1
"""
VERDICT_JOIN = "LEFT JOIN story_verdicts v ON v.story_id = COALESCE(a.duplicate_of, a.id)"


def upgrade() -> None:
    week = WEEK.get(op.get_bind().dialect.name, WEEK["postgresql"])
    for view in ("stories", "sse_story_regions", "sse_stories"):
        op.execute(f"DROP VIEW {view}")
    op.execute(STORY_VERDICTS)
    op.execute(f"""
CREATE VIEW sse_stories AS
SELECT a.id, a.title, a.url, s.name AS source, a.published_at, a.lang,
       c.score, c.regions, c.reasons, a.fetched_at
FROM articles a
JOIN sources s ON s.id = a.source_id
JOIN classifications c ON c.article_id = a.id
{VERDICT_JOIN}
WHERE COALESCE(v.sse, c.sse) AND a.duplicate_of IS NULL
""")
    op.execute(f"""
CREATE VIEW sse_story_regions AS
SELECT a.id AS story_id, COALESCE(v.region, r.region) AS region, {week} AS week, s.name AS source, a.lang,
       a.published_at, c.score, a.title, a.url
FROM articles a
JOIN sources s ON s.id = a.source_id
JOIN classifications c ON c.article_id = a.id
{VERDICT_JOIN}
LEFT JOIN article_regions r ON r.article_id = a.id AND v.region IS NULL
WHERE COALESCE(v.sse, c.sse) AND a.duplicate_of IS NULL
""")
    op.execute(f"""
CREATE VIEW stories AS
SELECT a.id, a.title, a.url, s.name AS source, a.lang, a.published_at, a.fetched_at, {week} AS week,
       COALESCE(v.sse, c.sse) AS sse, c.score, c.regions, a.duplicate_of, c.sse AS classifier_sse,
       v.sse AS reader_sse, v.labelled_by
FROM articles a
JOIN sources s ON s.id = a.source_id
JOIN classifications c ON c.article_id = a.id
{VERDICT_JOIN}
""")


def downgrade() -> None:
    week = WEEK.get(op.get_bind().dialect.name, WEEK["postgresql"])
    for view in ("stories", "sse_story_regions", "sse_stories", "story_verdicts"):
        op.execute(f"DROP VIEW {view}")
    op.execute("""
CREATE VIEW sse_stories AS
SELECT a.id, a.title, a.url, s.name AS source, a.published_at, a.lang,
       c.score, c.regions, c.reasons, a.fetched_at
FROM articles a
JOIN sources s ON s.id = a.source_id
JOIN classifications c ON c.article_id = a.id
WHERE c.sse AND a.duplicate_of IS NULL
""")
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
