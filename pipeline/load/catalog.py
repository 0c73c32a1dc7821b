"""Views and macros of news.duckdb with their docs: one place for the SQL, COMMENT ON and the data dictionary."""
from __future__ import annotations

from dataclasses import dataclass

# The Parquet table claim_threads is loaded under another name so that the view `claim_threads`
# (every column of the table plus the claim text, speaker and article date) keeps the contract name.
TABLE_NAMES: dict[str, str] = {"claim_threads": "claim_threads_raw"}


def warehouse_table_name(table: str) -> str:
    """Name in news.duckdb of the contract table `table`."""
    return TABLE_NAMES.get(table, table)


@dataclass(frozen=True)
class View:
    """A documented view: what one row is, and every column it returns."""

    name: str
    doc: str
    sql: str
    columns: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Macro:
    """A documented macro: scalar (returns a value) or table (used in FROM)."""

    name: str
    params: tuple[str, ...]
    doc: str
    sql: str
    kind: str = "table"
    example: str = ""

    @property
    def signature(self) -> str:
        return f"{self.name}({', '.join(self.params)})"


# Column docs repeated by several views.
_PERIOD = "The publish date at the precision it is known: 'YYYY-MM-DD', 'YYYY-MM', 'YYYY' or 'unknown'."
_MONTH = "First day of the publish month when the date is known at least to the month (day or month precision), else null: plot it as a month, not a day."
_MONTH_PERIOD = "'YYYY-MM' when the date is known to the month, 'YYYY' for year-only dates, 'unknown' for undated articles."
_PERIOD_PRECISION = "month, year or unknown: the grain of `period` (year-only and undated articles are kept apart, never put in January)."
_PUBLISHED = "Publish date (month/year precision dates are stored as the 1st of the period; see date_precision)."
_PRECISION = "day, month, year or unknown: how much of `published` is real."
_NAME = "Canonical entity name."
_TYPE = "PER, ORG, LOC, PRODUCT or EVENT."



# Two views are written as functions of their driving table, so that a macro can run the same SQL on
# the few rows it is about (filter first, then join and name) instead of filtering the whole view.
def _claims_timeline(claims: str) -> str:
    return f"""
        WITH subjects AS (
            SELECT s.claim_id, list(coalesce(e.name, s.entity_id) ORDER BY coalesce(e.name, s.entity_id)) AS subject_names
            FROM (SELECT claim_id, unnest(subject_entity_ids) AS entity_id FROM {claims}) s
            LEFT JOIN entities e USING (entity_id)
            GROUP BY s.claim_id
        )
        SELECT c.claim_id, c.article_id, c.sentence_id, a.published, a.date_precision, a.period, a.month,
               c.modality, c.modality_cue, c.negated, c.speaker, c.speaker_entity_id,
               c.subject_entity_ids, coalesce(s.subject_names, CAST([] AS VARCHAR[])) AS subject_names,
               c.predicate, c.quote, c.text, a.title, a.source_path
        FROM {claims} c
        JOIN unique_articles a USING (article_id)
        LEFT JOIN subjects s USING (claim_id)
        """


def _entity_quantities(mentions: str) -> str:
    return f"""
        WITH sentence_entities AS (SELECT DISTINCT article_id, sentence_id, entity_id FROM {mentions})
        SELECT se.entity_id, coalesce(e.name, se.entity_id) AS name, e.type,
               q.article_id, q.sentence_id, q.claim_id, q.start, q."end", q.surface, q.value, q.value_max,
               q.unit, q.counted, q.qualifier, c.modality,
               a.published, a.date_precision, a.period, a.month, a.title
        FROM quantities q
        JOIN unique_articles a USING (article_id)
        JOIN sentence_entities se ON se.article_id = q.article_id AND se.sentence_id = q.sentence_id
        LEFT JOIN entities e ON e.entity_id = se.entity_id
        LEFT JOIN claims c ON c.claim_id = q.claim_id
        """


SCALAR_MACROS: tuple[Macro, ...] = (
    Macro(
        "date_period",
        ("published", "date_precision"),
        "Label of a publish date at its own precision: 'YYYY-MM-DD', 'YYYY-MM', 'YYYY' or 'unknown'.",
        """
        CASE WHEN published IS NULL THEN 'unknown'
             WHEN date_precision = 'day' THEN strftime(published, '%Y-%m-%d')
             WHEN date_precision = 'month' THEN strftime(published, '%Y-%m')
             WHEN date_precision = 'year' THEN strftime(published, '%Y')
             ELSE 'unknown' END
        """,
        kind="scalar",
        example="SELECT date_period(published, date_precision), count(*) FROM articles GROUP BY 1",
    ),
    Macro(
        "month_period",
        ("published", "date_precision"),
        "Label of a publish date at month grain: 'YYYY-MM' (day or month precision), 'YYYY' (year precision) or 'unknown'.",
        """
        CASE WHEN published IS NULL THEN 'unknown'
             WHEN date_precision IN ('day', 'month') THEN strftime(published, '%Y-%m')
             WHEN date_precision = 'year' THEN strftime(published, '%Y')
             ELSE 'unknown' END
        """,
        kind="scalar",
        example="SELECT month_period(published, date_precision) AS period, count(*) FROM articles GROUP BY 1 ORDER BY 1",
    ),
    Macro(
        "period_month",
        ("published", "date_precision"),
        "First day of the publish month when the date is known to the month (day or month precision), else null.",
        "CASE WHEN published IS NOT NULL AND date_precision IN ('day', 'month') THEN CAST(date_trunc('month', published) AS DATE) END",
        kind="scalar",
        example="SELECT period_month(published, date_precision) AS month, count(*) FROM articles GROUP BY 1",
    ),
)

VIEWS: tuple[View, ...] = (
    View(
        "unique_articles",
        "One row per article that is not a duplicate (duplicate_of is null), with its date as a period label: the base of every count below.",
        """
        SELECT article_id, title, published, date_precision,
               date_period(published, date_precision) AS period,
               period_month(published, date_precision) AS month,
               CASE WHEN published IS NOT NULL AND date_precision IN ('day', 'month', 'year') THEN CAST(year(published) AS INTEGER) END AS year,
               language, n_chars, n_sentences, source_path, source_format, url, flags
        FROM articles
        WHERE duplicate_of IS NULL
        """,
        (
            ("article_id", "Article id."),
            ("title", "Title (given or derived)."),
            ("published", _PUBLISHED),
            ("date_precision", _PRECISION),
            ("period", _PERIOD),
            ("month", _MONTH),
            ("year", "Publish year when known (day, month or year precision), else null."),
            ("language", "ISO 639-1 language code."),
            ("n_chars", "Length of the body in characters."),
            ("n_sentences", "Number of sentences."),
            ("source_path", "Path relative to the raw dir."),
            ("source_format", "txt, jsonl, csv or html."),
            ("url", "Source URL when known."),
            ("flags", "Warnings about the input that did not reject it."),
        ),
    ),
    View(
        "entity_mentions_by_month",
        "Mentions and mentioning articles per entity and month (duplicates excluded); year-only and undated articles get their own rows (month null).",
        """
        SELECT m.entity_id, coalesce(e.name, m.entity_id) AS name, e.type,
               a.month, month_period(a.published, a.date_precision) AS period,
               CASE WHEN a.month IS NOT NULL THEN 'month' WHEN a.year IS NOT NULL THEN 'year' ELSE 'unknown' END AS period_precision,
               count(*) AS n_mentions, count(DISTINCT m.article_id) AS n_articles
        FROM mentions m
        JOIN unique_articles a USING (article_id)
        LEFT JOIN entities e USING (entity_id)
        GROUP BY ALL
        """,
        (
            ("entity_id", "Entity id."),
            ("name", _NAME),
            ("type", _TYPE),
            ("month", _MONTH),
            ("period", _MONTH_PERIOD),
            ("period_precision", _PERIOD_PRECISION),
            ("n_mentions", "Mentions of the entity in the period's non-duplicate articles."),
            ("n_articles", "Non-duplicate articles of the period mentioning the entity."),
        ),
    ),
    View(
        "top_entities",
        "One row per mentioned entity with its mention and article counts (duplicates excluded), overall and per-type rank; most mentioned first.",
        """
        WITH counts AS (
            SELECT m.entity_id, count(*) AS n_mentions, count(DISTINCT m.article_id) AS n_articles,
                   count(DISTINCT m.surface) AS n_surfaces,
                   arg_min(a.period, a.published) AS first_period, arg_max(a.period, a.published) AS last_period
            FROM mentions m JOIN unique_articles a USING (article_id)
            GROUP BY m.entity_id
        )
        SELECT c.entity_id, coalesce(e.name, c.entity_id) AS name, e.type, e.origin,
               c.n_mentions, c.n_articles, c.n_surfaces,
               CAST(rank() OVER (ORDER BY c.n_mentions DESC) AS INTEGER) AS rank,
               CAST(rank() OVER (PARTITION BY e.type ORDER BY c.n_mentions DESC) AS INTEGER) AS rank_in_type,
               c.first_period, c.last_period
        FROM counts c LEFT JOIN entities e USING (entity_id)
        ORDER BY c.n_mentions DESC, name
        """,
        (
            ("entity_id", "Entity id."),
            ("name", _NAME),
            ("type", _TYPE),
            ("origin", "kb, discovered or model."),
            ("n_mentions", "Mentions in non-duplicate articles."),
            ("n_articles", "Non-duplicate articles mentioning the entity."),
            ("n_surfaces", "Distinct surface forms of the mentions."),
            ("rank", "Rank by n_mentions over all entities (1 = most mentioned; ties share a rank)."),
            ("rank_in_type", "Rank by n_mentions among entities of the same type."),
            ("first_period", "Period label (see unique_articles.period) of the earliest dated mentioning article, null if none is dated."),
            ("last_period", "Period label of the latest dated mentioning article."),
        ),
    ),
    View(
        "entity_cooccurrence",
        "Pairs of entities mentioned together (duplicates excluded): level 'article' counts articles naming both, level 'sentence' counts sentences; each unordered pair once (entity_a < entity_b).",
        """
        WITH spots AS (
            SELECT DISTINCT m.article_id, m.sentence_id, m.entity_id
            FROM mentions m JOIN unique_articles USING (article_id)
        ),
        in_articles AS (SELECT DISTINCT article_id, entity_id FROM spots),
        pairs AS (
            SELECT 'article' AS level, x.entity_id AS entity_a, y.entity_id AS entity_b, count(*) AS n_together
            FROM in_articles x JOIN in_articles y ON x.article_id = y.article_id AND x.entity_id < y.entity_id
            GROUP BY ALL
            UNION ALL
            SELECT 'sentence', x.entity_id, y.entity_id, count(*)
            FROM spots x JOIN spots y
              ON x.article_id = y.article_id AND x.sentence_id = y.sentence_id AND x.entity_id < y.entity_id
            GROUP BY ALL
        )
        SELECT p.level, p.entity_a, coalesce(ea.name, p.entity_a) AS name_a, ea.type AS type_a,
               p.entity_b, coalesce(eb.name, p.entity_b) AS name_b, eb.type AS type_b, p.n_together
        FROM pairs p
        LEFT JOIN entities ea ON ea.entity_id = p.entity_a
        LEFT JOIN entities eb ON eb.entity_id = p.entity_b
        """,
        (
            ("level", "article or sentence: what n_together counts."),
            ("entity_a", "Entity id of the first member (entity_a < entity_b)."),
            ("name_a", "Canonical name of entity_a."),
            ("type_a", "Type of entity_a."),
            ("entity_b", "Entity id of the second member."),
            ("name_b", "Canonical name of entity_b."),
            ("type_b", "Type of entity_b."),
            ("n_together", "Non-duplicate articles (level article) or sentences (level sentence) mentioning both."),
        ),
    ),
    View(
        "claims_timeline",
        "One row per claim of a non-duplicate article, with the article's date (and its precision) and the names of the entities the claim is about.",
        _claims_timeline("claims"),
        (
            ("claim_id", "Claim id (article_id:sentence_id)."),
            ("article_id", "Article of the claim."),
            ("sentence_id", "Sentence of the claim."),
            ("published", _PUBLISHED),
            ("date_precision", _PRECISION),
            ("period", _PERIOD),
            ("month", _MONTH),
            ("modality", "fact, rumor, speculation, denial or plan."),
            ("modality_cue", "The cue that decided the modality."),
            ("negated", "True when the main assertion is negated."),
            ("speaker", "Canonical name of who asserts it, or null when the article itself does."),
            ("speaker_entity_id", "Entity id of the speaker, or null."),
            ("subject_entity_ids", "Entities the claim is about."),
            ("subject_names", "Canonical names of subject_entity_ids, sorted."),
            ("predicate", "Lemma of the main verb or event noun."),
            ("quote", "Directly quoted words, or null."),
            ("text", "The whole sentence."),
            ("title", "Title of the article."),
            ("source_path", "Path of the article relative to the raw dir."),
        ),
    ),
    View(
        "claim_threads",
        "One row per claim in a thread (the claim_threads table, loaded as claim_threads_raw) with the claim's text, speaker, the article's date precision and the thread's size and entity names: follow a rumor to its confirmation or denial.",
        """
        WITH thread_entities AS (
            SELECT t.thread_id, list(coalesce(e.name, t.entity_id) ORDER BY coalesce(e.name, t.entity_id)) AS entity_names
            FROM (SELECT DISTINCT thread_id, unnest(entity_ids) AS entity_id FROM claim_threads_raw) t
            LEFT JOIN entities e USING (entity_id)
            GROUP BY t.thread_id
        )
        SELECT t.thread_id, t.claim_id, t.article_id, t.position, t.published, t.modality, t.entity_ids,
               t.predicate, t.thread_status,
               CAST(count(*) OVER (PARTITION BY t.thread_id) AS INTEGER) AS thread_size,
               coalesce(te.entity_names, CAST([] AS VARCHAR[])) AS entity_names,
               coalesce(a.date_precision, 'unknown') AS date_precision,
               date_period(t.published, a.date_precision) AS period,
               period_month(t.published, a.date_precision) AS month,
               c.text, c.speaker, c.modality_cue, c.quote, a.title, a.source_path
        FROM claim_threads_raw t
        LEFT JOIN thread_entities te USING (thread_id)
        LEFT JOIN articles a USING (article_id)
        LEFT JOIN claims c USING (claim_id)
        """,
        (
            ("thread_id", "Stable id of the thread."),
            ("claim_id", "A claim of the thread."),
            ("article_id", "Article of the claim."),
            ("position", "Order of the claim in the thread (by publish date, unknown dates last)."),
            ("published", _PUBLISHED),
            ("modality", "Modality of the claim."),
            ("entity_ids", "Entities shared by the thread."),
            ("predicate", "Predicate shared by the thread."),
            ("thread_status", "Outcome of the thread so far: confirmed, denied, open or plan."),
            ("thread_size", "Number of claims in the thread."),
            ("entity_names", "Canonical names of entity_ids, sorted."),
            ("date_precision", _PRECISION),
            ("period", _PERIOD),
            ("month", _MONTH),
            ("text", "The claim's sentence."),
            ("speaker", "Who asserts it, or null."),
            ("modality_cue", "The cue that decided the modality."),
            ("quote", "Directly quoted words, or null."),
            ("title", "Title of the article."),
            ("source_path", "Path of the article relative to the raw dir."),
        ),
    ),
    View(
        "entity_quantities",
        "One row per quantity and entity mentioned in the same sentence (duplicates excluded): the numbers reported about each entity.",
        _entity_quantities("mentions"),
        (
            ("entity_id", "Entity mentioned in the quantity's sentence."),
            ("name", _NAME),
            ("type", _TYPE),
            ("article_id", "Article of the quantity."),
            ("sentence_id", "Sentence of the quantity."),
            ("claim_id", "Claim of the sentence, or null."),
            ("start", "Start offset in articles.body."),
            ("end", "End offset (exclusive)."),
            ("surface", "The expression as written."),
            ("value", "Plain number in the unit."),
            ("value_max", "Upper bound of a range, else null."),
            ("unit", "ISO 4217 code, %, count, a duration or a physical unit."),
            ("counted", "The counted noun when unit = count, else null."),
            ("qualifier", "oltre, circa, quasi, fino a, ... or null."),
            ("modality", "Modality of the sentence's claim (a planned figure is not a fact), or null."),
            ("published", _PUBLISHED),
            ("date_precision", _PRECISION),
            ("period", _PERIOD),
            ("month", _MONTH),
            ("title", "Title of the article."),
        ),
    ),
    View(
        "quantities_by_entity",
        "Quantities reported per entity, unit and counted noun (duplicates excluded): how many, in how many articles, and their range.",
        """
        SELECT entity_id, name, type, unit, lower(counted) AS counted,
               count(*) AS n_quantities, count(DISTINCT article_id) AS n_articles,
               min(value) AS min_value, median(value) AS median_value, max(value) AS max_value,
               arg_max(surface, value) AS largest_surface,
               arg_max(period, published) AS last_period
        FROM entity_quantities
        GROUP BY ALL
        """,
        (
            ("entity_id", "Entity id."),
            ("name", _NAME),
            ("type", _TYPE),
            ("unit", "Unit of the quantities."),
            ("counted", "Counted noun (lowercase) for unit = count, else null."),
            ("n_quantities", "Number of quantities."),
            ("n_articles", "Number of non-duplicate articles they come from."),
            ("min_value", "Smallest value."),
            ("median_value", "Median value."),
            ("max_value", "Largest value."),
            ("largest_surface", "The largest value as written."),
            ("last_period", "Period label of the latest dated article reporting one."),
        ),
    ),
)

# Entity arguments match an entity id, a canonical name or an alias, ignoring case and accents.
_ENTITY_IDS = "(SELECT entity_id FROM find_entities(entity))"

TABLE_MACROS: tuple[Macro, ...] = (
    Macro(
        "find_entities",
        ("entity",),
        "Entities whose id, canonical name or alias equals `entity` (case and accents ignored); the other macros resolve names through it.",
        """
        SELECT e.entity_id, e.name, e.type, e.origin, e.aliases, e.wikidata_id, e.n_articles, e.n_mentions,
               CASE WHEN e.entity_id = entity THEN 'id'
                    WHEN lower(strip_accents(e.name)) = lower(strip_accents(entity)) THEN 'name'
                    ELSE 'alias' END AS matched_by
        FROM entities e
        WHERE e.entity_id = entity
           OR lower(strip_accents(e.name)) = lower(strip_accents(entity))
           OR list_contains(list_transform(e.aliases, lambda x: lower(strip_accents(x))), lower(strip_accents(entity)))
        """,
        example="SELECT * FROM find_entities('xiaomi')",
    ),
    Macro(
        "mentions_of",
        ("entity",),
        "Every mention of an entity in non-duplicate articles, with the article's date and the sentence it occurs in; oldest first.",
        f"""
        WITH hits AS MATERIALIZED (SELECT * FROM mentions WHERE entity_id IN {_ENTITY_IDS})
        SELECT h.entity_id, e.name, e.type, h.article_id, a.title, a.published, a.date_precision,
               date_period(a.published, a.date_precision) AS period,
               h.sentence_id, h.start, h."end", h.surface, h.method,
               substring(a.body, s.start + 1, s."end" - s.start) AS sentence
        FROM hits h
        JOIN articles a ON a.article_id = h.article_id AND a.duplicate_of IS NULL
        LEFT JOIN entities e ON e.entity_id = h.entity_id
        LEFT JOIN sentences s ON s.article_id = h.article_id AND s.sentence_id = h.sentence_id
        ORDER BY a.published NULLS LAST, h.article_id, h.start
        """,
        example="SELECT period, surface, sentence FROM mentions_of('Xiaomi')",
    ),
    Macro(
        "claims_about",
        ("entity",),
        "Claims (rows of claims_timeline) whose subjects include the entity; oldest first.",
        _claims_timeline("(SELECT * FROM claims WHERE list_has_any(subject_entity_ids, (SELECT list(entity_id) FROM find_entities(entity))))")
        + "ORDER BY a.published NULLS LAST, c.article_id, c.sentence_id",
        example="SELECT period, modality, speaker, text FROM claims_about('Ford')",
    ),
    Macro(
        "said_by",
        ("entity",),
        "Claims (rows of claims_timeline) asserted by a speaker, matched by entity or by the speaker's name; oldest first.",
        _claims_timeline(
            f"(SELECT * FROM claims WHERE speaker_entity_id IN {_ENTITY_IDS} OR lower(strip_accents(speaker)) = lower(strip_accents(entity)))"
        )
        + "ORDER BY a.published NULLS LAST, c.article_id, c.sentence_id",
        example="SELECT period, modality, quote FROM said_by('Jim Farley')",
    ),
    Macro(
        "quantities_of",
        ("entity",),
        "Quantities (rows of entity_quantities) in sentences that mention the entity; oldest first.",
        _entity_quantities(f"(SELECT * FROM mentions WHERE entity_id IN {_ENTITY_IDS})")
        + "ORDER BY a.published NULLS LAST, q.article_id, q.start, se.entity_id",
        example="SELECT period, surface, value, unit FROM quantities_of('BYD') WHERE unit = 'EUR'",
    ),
    Macro(
        "entity_timeline",
        ("entity",),
        "Rows of entity_mentions_by_month for the entity: months in order, then year-only and undated rows.",
        f"""
        SELECT * FROM entity_mentions_by_month
        WHERE entity_id IN {_ENTITY_IDS}
        ORDER BY month NULLS LAST, period
        """,
        example="SELECT period, n_mentions FROM entity_timeline('Ferrari')",
    ),
    Macro(
        "cooccurring_with",
        ("entity", "scope := 'article'"),
        "Entities mentioned together with the entity in the same article (scope 'article') or sentence (scope 'sentence'), duplicates excluded; most frequent first.",
        f"""
        WITH target AS {_ENTITY_IDS},
        spots AS (
            SELECT DISTINCT m.article_id, CASE WHEN scope = 'sentence' THEN m.sentence_id ELSE -1 END AS spot, m.entity_id
            FROM mentions m JOIN unique_articles USING (article_id)
        ),
        hits AS (SELECT DISTINCT article_id, spot FROM spots WHERE entity_id IN (SELECT entity_id FROM target))
        SELECT CAST(scope AS VARCHAR) AS level, o.entity_id, coalesce(e.name, o.entity_id) AS name, e.type,
               count(*) AS n_together
        FROM spots o
        JOIN hits h USING (article_id, spot)
        LEFT JOIN entities e ON e.entity_id = o.entity_id
        WHERE o.entity_id NOT IN (SELECT entity_id FROM target)
          AND (scope IN ('article', 'sentence') OR error('scope must be ''article'' or ''sentence'''))
        GROUP BY ALL
        ORDER BY n_together DESC, name
        """,
        example="SELECT name, n_together FROM cooccurring_with('Xiaomi', scope := 'sentence')",
    ),
    Macro(
        "search_articles",
        ("query",),
        "Full-text search (BM25, Italian stemmer, accents and case ignored) over title and body of non-duplicate articles; best match first. Needs the FTS extension loaded (pipeline.load.query.connect_readonly does it).",
        """
        SELECT a.article_id, a.title, a.published, a.date_precision, a.period, s.score
        FROM (SELECT article_id, fts_main_articles.match_bm25(article_id, query) AS score FROM articles) s
        JOIN unique_articles a USING (article_id)
        WHERE s.score IS NOT NULL
        ORDER BY s.score DESC, a.article_id
        """,
        example="SELECT title, period, score FROM search_articles('batterie allo stato solido') LIMIT 10",
    ),
)

MACROS: tuple[Macro, ...] = SCALAR_MACROS + TABLE_MACROS
