"""The SQL behind each notebook's charts, in one place so the notebooks and the timing helper share it.

Every query aggregates in DuckDB and returns at most a few hundred rows, whatever the corpus size;
parameters are DuckDB named parameters ($name) with the defaults given here.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Query:
    """A notebook query: SQL with $named parameters and their defaults."""

    sql: str
    defaults: dict = field(default_factory=dict)

    def params(self, **overrides) -> dict:
        unknown = set(overrides) - set(self.defaults)
        if unknown:
            raise TypeError(f"unknown query parameter(s): {', '.join(sorted(unknown))}")
        return {**self.defaults, **overrides}


# ---------------------------------------------------------------- 01-corpus-overview
CORPUS_SUMMARY = Query(
    """
    SELECT count(*) AS articles,
           count(*) FILTER (WHERE duplicate_of IS NULL) AS unique_articles,
           count(*) FILTER (WHERE duplicate_of IS NOT NULL) AS duplicates,
           count(*) FILTER (WHERE duplicate_of IS NULL AND date_precision = 'day') AS dated_to_day,
           count(*) FILTER (WHERE duplicate_of IS NULL AND date_precision = 'month') AS dated_to_month,
           count(*) FILTER (WHERE duplicate_of IS NULL AND date_precision = 'year') AS dated_to_year,
           count(*) FILTER (WHERE duplicate_of IS NULL AND (published IS NULL OR date_precision = 'unknown')) AS undated,
           (SELECT count(*) FROM sentences) AS sentences,
           (SELECT count(*) FROM rejects) AS rejects
    FROM articles
    """
)
ARTICLES_BY_MONTH = Query(
    """
    SELECT month, date_precision, count(*) AS n_articles
    FROM unique_articles
    WHERE month IS NOT NULL
    GROUP BY ALL
    ORDER BY month, date_precision
    """
)
ARTICLES_WITHOUT_MONTH = Query(
    """
    SELECT CASE WHEN year IS NOT NULL THEN 'year only' ELSE 'unknown date' END AS precision_group,
           CASE WHEN year IS NOT NULL THEN CAST(year AS VARCHAR) ELSE 'unknown' END AS period,
           count(*) AS n_articles
    FROM unique_articles
    WHERE month IS NULL
    GROUP BY ALL
    ORDER BY precision_group, period
    """
)
LENGTH_HISTOGRAM = Query(
    """
    WITH bounds AS (SELECT min(n_chars) AS lo, max(n_chars) AS hi FROM unique_articles WHERE n_chars IS NOT NULL),
    width AS (SELECT lo, CAST(greatest(1, ceil((hi - lo + 1) / $bins)) AS INTEGER) AS w FROM bounds)
    SELECT CAST(lo + floor((n_chars - lo) / w) * w AS INTEGER) AS bin_start, w AS bin_width, count(*) AS n_articles
    FROM unique_articles, width
    WHERE n_chars IS NOT NULL
    GROUP BY ALL
    ORDER BY bin_start
    """,
    {"bins": 40},
)
LENGTH_STATS = Query(
    """
    SELECT count(*) AS n_articles,
           min(n_chars) AS min_chars, CAST(median(n_chars) AS INTEGER) AS median_chars, max(n_chars) AS max_chars,
           CAST(median(n_sentences) AS INTEGER) AS median_sentences
    FROM unique_articles
    """
)
LANGUAGES = Query(
    """
    SELECT coalesce(language, 'unknown') AS language, count(*) AS n_articles
    FROM unique_articles
    GROUP BY ALL
    ORDER BY n_articles DESC, language
    """
)
DUPLICATE_KINDS = Query(
    """
    SELECT coalesce(duplicate_kind, 'unspecified') AS duplicate_kind, count(*) AS n_articles
    FROM articles
    WHERE duplicate_of IS NOT NULL
    GROUP BY ALL
    ORDER BY n_articles DESC
    """
)
MOST_DUPLICATED = Query(
    """
    SELECT o.title, o.period, count(*) AS n_copies
    FROM articles d JOIN unique_articles o ON o.article_id = d.duplicate_of
    GROUP BY ALL
    ORDER BY n_copies DESC, o.title
    LIMIT $limit
    """,
    {"limit": 10},
)
REJECTS_BY_REASON = Query(
    """
    SELECT reason, count(*) AS n_inputs, min(detail) AS example_detail
    FROM rejects
    GROUP BY reason
    ORDER BY n_inputs DESC, reason
    """
)
ARTICLE_FLAGS = Query(
    """
    SELECT flag, count(*) AS n_articles
    FROM (SELECT unnest(flags) AS flag FROM unique_articles)
    GROUP BY flag
    ORDER BY n_articles DESC, flag
    """
)

# ---------------------------------------------------------------- 02-timelines
# The most-mentioned entities (the order of top_entities), counted without its distinct counts.
_TOP_BY_MENTIONS = """
    top AS MATERIALIZED (
        SELECT m.entity_id, coalesce(e.name, m.entity_id) AS name, e.type, count(*) AS n
        FROM mentions m JOIN unique_articles USING (article_id) LEFT JOIN entities e USING (entity_id)
        GROUP BY ALL ORDER BY n DESC, name LIMIT $top_n
    )"""
# Mentions per month of the top entities, zero-filled over the months that have articles (a month
# without any article stays absent: no data, not zero). Only the top entities' mentions are aggregated.
TOP_ENTITIES_MONTHLY = Query(
    f"""
    WITH {_TOP_BY_MENTIONS},
    months AS (SELECT DISTINCT month FROM unique_articles WHERE month IS NOT NULL),
    counts AS (
        SELECT a.month, m.entity_id, count(*) AS n_mentions, count(DISTINCT m.article_id) AS n_articles
        FROM mentions m JOIN top USING (entity_id) JOIN unique_articles a USING (article_id)
        WHERE a.month IS NOT NULL
        GROUP BY ALL
    )
    SELECT mo.month, t.name, t.type, t.n AS total_mentions,
           coalesce(c.n_mentions, 0) AS n_mentions, coalesce(c.n_articles, 0) AS n_articles
    FROM months mo CROSS JOIN top t
    LEFT JOIN counts c ON c.month = mo.month AND c.entity_id = t.entity_id
    ORDER BY mo.month, t.n DESC, t.name
    """,
    {"top_n": 8},
)
TOP_ENTITIES_UNPLACED = Query(
    f"""
    WITH {_TOP_BY_MENTIONS}
    SELECT t.name, CASE WHEN a.year IS NOT NULL THEN 'year only' ELSE 'unknown date' END AS precision_group,
           count(*) AS n_mentions
    FROM mentions m JOIN top t USING (entity_id) JOIN unique_articles a USING (article_id)
    WHERE a.month IS NULL
    GROUP BY ALL
    ORDER BY n_mentions DESC, t.name
    """,
    {"top_n": 8},
)
# Claims counts read the claims table directly: claims_timeline would also build subject names.
CLAIMS_BY_MONTH = Query(
    """
    SELECT a.month, c.modality, count(*) AS n_claims
    FROM claims c JOIN unique_articles a USING (article_id)
    WHERE a.month IS NOT NULL
    GROUP BY ALL
    ORDER BY a.month, c.modality
    """
)
CLAIMS_UNPLACED = Query(
    """
    SELECT CASE WHEN a.year IS NOT NULL THEN 'year only' ELSE 'unknown date' END AS precision_group,
           c.modality, count(*) AS n_claims
    FROM claims c JOIN unique_articles a USING (article_id)
    WHERE a.month IS NULL
    GROUP BY ALL
    ORDER BY precision_group, c.modality
    """
)
THREAD_TIMELINE = Query(
    """
    WITH threads AS (
        SELECT thread_id, any_value(thread_status) AS status, count(*) AS size,
               bool_or(modality IN ('rumor', 'speculation')) AS has_rumor
        FROM claim_threads
        GROUP BY thread_id
        HAVING count(*) >= 2
    ),
    picked AS (
        SELECT thread_id FROM threads
        ORDER BY (has_rumor AND status IN ('confirmed', 'denied')) DESC, size DESC, thread_id
        LIMIT $max_threads
    )
    SELECT t.thread_id, t.position, t.thread_status, t.thread_size,
           array_to_string(t.entity_names, ' + ') || ' · ' || coalesce(t.predicate, '?') AS thread_label,
           t.modality, t.date_precision, t.period, t.published,
           CASE WHEN t.published IS NULL THEN NULL
                WHEN t.date_precision = 'month' THEN t.published + INTERVAL 1 MONTH
                WHEN t.date_precision = 'year' THEN t.published + INTERVAL 1 YEAR
           END AS period_end,
           coalesce(t.speaker, '') AS speaker, left(t.text, 160) AS text, t.title
    FROM claim_threads t JOIN picked USING (thread_id)
    ORDER BY t.thread_id, t.position
    """,
    {"max_threads": 15},
)

# ---------------------------------------------------------------- 03-mention-frequencies
TOP_ENTITIES_BY_TYPE = Query(
    """
    SELECT coalesce(type, '?') AS type, name, n_mentions, n_articles
    FROM top_entities
    QUALIFY row_number() OVER (PARTITION BY type ORDER BY n_mentions DESC, name) <= $per_type
    ORDER BY type, n_mentions DESC, name
    """,
    {"per_type": 10},
)
ENTITY_TYPES = Query(
    """
    SELECT coalesce(type, '?') AS type, coalesce(origin, '?') AS origin,
           count(*) AS n_entities, CAST(sum(n_mentions) AS BIGINT) AS n_mentions
    FROM top_entities
    GROUP BY ALL
    ORDER BY n_mentions DESC
    """
)
RANK_FREQUENCY = Query(
    """
    WITH ranked AS (SELECT n_mentions, row_number() OVER (ORDER BY n_mentions DESC, entity_id) AS r FROM top_entities)
    SELECT n_mentions, min(r) AS first_rank, max(r) AS last_rank, count(*) AS n_entities
    FROM ranked
    GROUP BY n_mentions
    ORDER BY first_rank
    """
)
MENTION_METHODS = Query(
    """
    SELECT method, count(*) AS n_mentions
    FROM mentions JOIN unique_articles USING (article_id)
    GROUP BY method
    ORDER BY n_mentions DESC
    """
)
# The pair counts are computed for the top entities only, so the query stays cheap on any corpus;
# they equal the entity_cooccurrence view's n_together for these pairs.
COOCCURRENCE_TOP = Query(
    """
    WITH top AS MATERIALIZED (
        SELECT entity_id, name, row_number() OVER (ORDER BY n_articles DESC, name) AS ord
        FROM top_entities ORDER BY n_articles DESC, name LIMIT $top_n
    ),
    spots AS (
        SELECT DISTINCT m.article_id, CASE WHEN $level = 'sentence' THEN m.sentence_id ELSE -1 END AS spot, m.entity_id
        FROM mentions m JOIN unique_articles USING (article_id)
        WHERE m.entity_id IN (SELECT entity_id FROM top)
    )
    SELECT ta.name AS name_a, ta.ord AS ord_a, tb.name AS name_b, tb.ord AS ord_b, count(*) AS n_together
    FROM spots x JOIN spots y ON x.article_id = y.article_id AND x.spot = y.spot AND x.entity_id <> y.entity_id
    JOIN top ta ON ta.entity_id = x.entity_id
    JOIN top tb ON tb.entity_id = y.entity_id
    GROUP BY ALL
    ORDER BY ord_a, ord_b
    """,
    {"top_n": 20, "level": "article"},
)
TOP_ORDER = Query(
    "SELECT name, n_articles FROM top_entities ORDER BY n_articles DESC, name LIMIT $top_n",
    {"top_n": 20},
)

# ---------------------------------------------------------------- 04-claims-and-numbers
CLAIMS_BY_ENTITY_MODALITY = Query(
    """
    WITH subj AS MATERIALIZED (
        SELECT unnest(c.subject_entity_ids) AS entity_id, c.modality FROM claims c JOIN unique_articles USING (article_id)
    ),
    top AS (SELECT entity_id FROM subj GROUP BY entity_id ORDER BY count(*) DESC, entity_id LIMIT $top_n)
    SELECT coalesce(e.name, s.entity_id) AS name, s.modality, count(*) AS n_claims
    FROM subj s JOIN top USING (entity_id) LEFT JOIN entities e USING (entity_id)
    GROUP BY ALL
    ORDER BY name, modality
    """,
    {"top_n": 15},
)
# Picks the latest claims per filter with top-n aggregates (max_by), then builds the display columns
# for those few claims only. `recency` sorts undated articles last and breaks ties by claim_id.
CLAIMS_EXPLORER = Query(
    """
    WITH c AS MATERIALIZED (
        SELECT c.claim_id, c.modality, c.subject_entity_ids,
               strftime(coalesce(a.published, DATE '0001-01-01'), '%Y-%m-%d') || c.claim_id AS recency
        FROM claims c JOIN unique_articles a USING (article_id)
    ),
    top AS (
        SELECT entity_id, count(*) AS n, max_by(claim_id, recency, $per_filter) AS ids
        FROM (SELECT claim_id, recency, unnest(subject_entity_ids) AS entity_id FROM c)
        GROUP BY entity_id ORDER BY n DESC, entity_id LIMIT $top_n
    ),
    picked AS (
        SELECT 'All claims' AS filter, 0 AS ord, 0 AS n, unnest(ids) AS claim_id, n_total
        FROM (SELECT max_by(claim_id, recency, $per_filter) AS ids, count(*) AS n_total FROM c)
        UNION ALL
        SELECT 'Entity: ' || coalesce(e.name, t.entity_id), 1, t.n, unnest(t.ids), t.n
        FROM top t LEFT JOIN entities e USING (entity_id)
        UNION ALL
        SELECT 'Modality: ' || modality, 2, 0, unnest(ids), n_total
        FROM (SELECT modality, max_by(claim_id, recency, $per_filter) AS ids, count(*) AS n_total FROM c GROUP BY modality)
    ),
    subjects AS (
        SELECT s.claim_id, string_agg(coalesce(e.name, s.entity_id), ', ' ORDER BY coalesce(e.name, s.entity_id)) AS subjects
        FROM (SELECT claim_id, unnest(subject_entity_ids) AS entity_id FROM claims WHERE claim_id IN (SELECT claim_id FROM picked)) s
        LEFT JOIN entities e USING (entity_id)
        GROUP BY s.claim_id
    )
    SELECT p.filter, p.ord, date_period(a.published, a.date_precision) AS period, cl.modality,
           coalesce(cl.speaker, '') AS speaker, coalesce(s.subjects, '') AS subjects, cl.text, a.title, p.n_total
    FROM picked p
    JOIN claims cl USING (claim_id)
    JOIN articles a ON a.article_id = cl.article_id
    LEFT JOIN subjects s USING (claim_id)
    ORDER BY p.ord, p.n DESC, p.filter, a.published DESC NULLS LAST, p.claim_id
    """,
    {"top_n": 12, "per_filter": 40},
)
SPEAKER_ENTITY = Query(
    """
    WITH pairs AS MATERIALIZED (
        SELECT c.speaker, unnest(c.subject_entity_ids) AS entity_id
        FROM claims c JOIN unique_articles USING (article_id)
        WHERE c.speaker IS NOT NULL
    ),
    top_speakers AS (SELECT speaker FROM pairs GROUP BY speaker ORDER BY count(*) DESC, speaker LIMIT $top_n),
    top_subjects AS (SELECT entity_id FROM pairs GROUP BY entity_id ORDER BY count(*) DESC, entity_id LIMIT $top_n)
    SELECT p.speaker, coalesce(e.name, p.entity_id) AS subject, count(*) AS n_claims
    FROM pairs p
    JOIN top_subjects USING (entity_id)
    LEFT JOIN entities e USING (entity_id)
    WHERE p.speaker IN (SELECT speaker FROM top_speakers)
    GROUP BY ALL
    ORDER BY p.speaker, subject
    """,
    {"top_n": 15},
)
QUANTITIES_PER_ENTITY = Query(
    """
    WITH per_unit AS MATERIALIZED (SELECT entity_id, name, unit, count(*) AS n FROM entity_quantities GROUP BY ALL),
    top AS (SELECT entity_id FROM per_unit GROUP BY entity_id ORDER BY sum(n) DESC, entity_id LIMIT $top_n)
    SELECT name, unit, n AS n_quantities
    FROM per_unit JOIN top USING (entity_id)
    ORDER BY name, unit
    """,
    {"top_n": 15},
)
# The rows of quantities_by_entity for the most frequent currency, aggregated for that unit only.
AMOUNTS_BY_ENTITY = Query(
    """
    WITH money AS MATERIALIZED (
        SELECT entity_id, name, unit, value, surface FROM entity_quantities WHERE regexp_full_match(unit, '[A-Z]{3}')
    ),
    currency AS (SELECT unit FROM money GROUP BY unit ORDER BY count(*) DESC, unit LIMIT 1)
    SELECT name, unit, count(*) AS n_quantities, min(value) AS min_value, median(value) AS median_value,
           max(value) AS max_value, arg_max(surface, value) AS largest_surface
    FROM money
    WHERE unit IN (SELECT unit FROM currency)
    GROUP BY ALL
    ORDER BY n_quantities DESC, name
    LIMIT $top_n
    """,
    {"top_n": 15},
)
LARGEST_AMOUNTS = Query(
    """
    SELECT name, surface, value, unit, coalesce(modality, '') AS modality, period, title
    FROM entity_quantities
    WHERE regexp_full_match(unit, '[A-Z]{3}')
    ORDER BY value DESC, name, article_id, start
    LIMIT $limit
    """,
    {"limit": 15},
)

# Each notebook's queries, by notebook stem: what `time_notebook_queries` runs.
NOTEBOOK_QUERIES: dict[str, dict[str, Query]] = {
    "01-corpus-overview": {
        "corpus_summary": CORPUS_SUMMARY,
        "articles_by_month": ARTICLES_BY_MONTH,
        "articles_without_month": ARTICLES_WITHOUT_MONTH,
        "length_histogram": LENGTH_HISTOGRAM,
        "length_stats": LENGTH_STATS,
        "languages": LANGUAGES,
        "duplicate_kinds": DUPLICATE_KINDS,
        "most_duplicated": MOST_DUPLICATED,
        "rejects_by_reason": REJECTS_BY_REASON,
        "article_flags": ARTICLE_FLAGS,
    },
    "02-timelines": {
        "articles_by_month": ARTICLES_BY_MONTH,
        "top_entities_monthly": TOP_ENTITIES_MONTHLY,
        "top_entities_unplaced": TOP_ENTITIES_UNPLACED,
        "claims_by_month": CLAIMS_BY_MONTH,
        "claims_unplaced": CLAIMS_UNPLACED,
        "thread_timeline": THREAD_TIMELINE,
    },
    "03-mention-frequencies": {
        "top_entities_by_type": TOP_ENTITIES_BY_TYPE,
        "entity_types": ENTITY_TYPES,
        "rank_frequency": RANK_FREQUENCY,
        "mention_methods": MENTION_METHODS,
        "cooccurrence_top_article": COOCCURRENCE_TOP,
        "top_order": TOP_ORDER,
        "cooccurrence_top_sentence": Query(COOCCURRENCE_TOP.sql, {**COOCCURRENCE_TOP.defaults, "level": "sentence"}),
    },
    "04-claims-and-numbers": {
        "claims_by_entity_modality": CLAIMS_BY_ENTITY_MODALITY,
        "claims_explorer": CLAIMS_EXPLORER,
        "speaker_entity": SPEAKER_ENTITY,
        "quantities_per_entity": QUANTITIES_PER_ENTITY,
        "amounts_by_entity": AMOUNTS_BY_ENTITY,
        "largest_amounts": LARGEST_AMOUNTS,
    },
}
