"""`classifications.topics` filled for every story, by the topics it is about (branch surfaces13).

0019 added the column NULL for the stories classified before it, and a digest of a subscription with `topics`
classified those again, lazily, the first time it needed them (a dry run wrote them too). The topics are now
those a story is about (`config.topics.story_topics`: a topic its words weigh for, not one it names in passing),
where 0019 stored every topic one of its SSE words belonged to. This revision writes them all once:

- a classification with its evidence (`classifications.evidence`, stored since 0019): from the evidence's terms
  (topic, count, points), read from the row — no classifier;
- an SSE story classified before 0019 (no evidence): classified again with the shipped lexicon (topics are the
  lexicon's phrases, which neither the seeds nor a reader's verdicts change) — the only stories a digest may
  pick by topic; other stories without evidence keep NULL (no digest reads it; a reader's SQL sees "unknown").

Nothing derived is left for a digest to fill: its topic filter is SQL over a column that holds what it says.

Revision ID: 0020
Revises: 0019
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"

BATCH = 500


def _write(bind: sa.Connection, found: list[dict[str, object]]) -> None:
    if found:
        bind.execute(sa.text("UPDATE classifications SET topics = :topics WHERE article_id = :id"), found)


def upgrade() -> None:
    from rasd.config.topics import story_topics, topic_names

    bind = op.get_bind()
    last = 0
    while rows := bind.execute(
        sa.text(
            "SELECT article_id, evidence FROM classifications WHERE evidence IS NOT NULL AND article_id > :last"
            " ORDER BY article_id LIMIT :batch"
        ),
        {"last": last, "batch": BATCH},
    ).all():
        found = []
        for article_id, evidence in rows:
            terms = json.loads(evidence)["terms"]  # [label, kind, topic, count, points]
            found.append({"id": article_id, "topics": topic_names(story_topics((t[2], t[3], t[4]) for t in terms))})
        _write(bind, found)
        last = rows[-1][0]
    classifier = None
    last = 0
    while rows := bind.execute(
        sa.text(
            "SELECT a.id, a.title, a.text, a.lang FROM articles a JOIN classifications c ON c.article_id = a.id"
            " WHERE c.evidence IS NULL AND c.sse = :sse AND a.id > :last ORDER BY a.id LIMIT :batch"
        ),
        {"sse": True, "last": last, "batch": BATCH},
    ).all():
        if classifier is None:
            from rasd.classify import load_classifier  # the lexicon's matcher: loaded for a store that needs it

            classifier = load_classifier()
        found = []
        for article_id, title, text, lang in rows:
            terms = classifier.classify(title or "", text or "", lang).evidence.terms
            about = story_topics((t.topic, t.count, t.points) for t in terms)
            found.append({"id": article_id, "topics": topic_names(about)})
        _write(bind, found)
        last = rows[-1][0]


def downgrade() -> None:
    pass  # the topics stay as written: 0019's column, read as it was
