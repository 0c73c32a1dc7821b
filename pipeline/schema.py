"""One Arrow schema per table: the single source of truth for Parquet, DuckDB and the docs."""
from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa


@dataclass(frozen=True)
class Column:
    """A column of a table: Arrow type plus the sentence the data dictionary prints."""

    name: str
    type: pa.DataType
    doc: str
    nullable: bool = True


@dataclass(frozen=True)
class Table:
    """A table of the contract: its columns, what one row is, and its sort key."""

    name: str
    doc: str
    columns: tuple[Column, ...]
    sort_by: tuple[str, ...]

    @property
    def schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in self.columns])

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


STR = pa.string()
I32 = pa.int32()
STR_LIST = pa.list_(pa.string())

ARTICLES = Table(
    "articles",
    "One row per ingested article (duplicates included, flagged by duplicate_of).",
    (
        Column("article_id", STR, "Stable id: 'a_' + first 16 hex of sha256 of the clean body.", False),
        Column("source_path", STR, "Path relative to the raw dir; 'file.jsonl#N' for the Nth record (1-based) of a multi-record file.", False),
        Column("title", STR, "Title given by the source, else derived from the first sentence."),
        Column("title_derived", pa.bool_(), "True when the title was derived from the body, not given."),
        Column("body", STR, "Clean article text (boilerplate removed, newlines normalized); all offsets index into it.", False),
        Column("published", pa.date32(), "Publish date; null when unknown. Month/year precision dates are stored as the 1st of the period."),
        Column("date_precision", STR, "day, month, year or unknown: how much of `published` is real.", False),
        Column("language", STR, "ISO 639-1 language code identified from the body (py3langid)."),
        Column("language_score", pa.float32(), "Confidence of the language identification (0-1)."),
        Column("duplicate_of", STR, "article_id of the earliest copy when this article is an exact or near duplicate, else null."),
        Column("duplicate_kind", STR, "exact or near when duplicate_of is set, else null."),
        Column("content_hash", STR, "sha256 of the clean body (hex).", False),
        Column("encoding", STR, "Encoding the raw bytes were decoded with (utf-8, utf-8-sig, cp1252, ...)."),
        Column("source_format", STR, "txt, jsonl, csv or html."),
        Column("url", STR, "Source URL when the input gave one."),
        Column("n_chars", I32, "Length of body in characters."),
        Column("n_sentences", I32, "Number of rows of this article in `sentences`."),
        Column("boilerplate_removed", I32, "Number of boilerplate lines removed from the raw text."),
        Column("flags", STR_LIST, "Warnings about the input that did not reject it (invalid_date, future_date, non_italian, ...)."),
    ),
    ("source_path",),
)

REJECTS = Table(
    "rejects",
    "One row per input (file, record or header value) that could not be used, with a stable reason code.",
    (
        Column("source_path", STR, "Path relative to the raw dir (with #N for a record of a multi-record file).", False),
        Column("reason", STR, "Stable reason code: empty, binary, oversized, unreadable, no_text, no_records, bad_record, missing_field, unsupported_type, broken_symlink, invalid_date.", False),
        Column("detail", STR, "Human-readable explanation of what to fix."),
    ),
    ("source_path", "reason"),
)

SENTENCES = Table(
    "sentences",
    "One row per sentence (or heading line) of each article body.",
    (
        Column("article_id", STR, "Article the sentence belongs to.", False),
        Column("sentence_id", I32, "0-based position of the sentence in the article.", False),
        Column("start", I32, "Start offset in articles.body (inclusive).", False),
        Column("end", I32, "End offset in articles.body (exclusive).", False),
        Column("paragraph", I32, "0-based index of the paragraph (block of lines) the sentence is in."),
        Column("is_heading", pa.bool_(), "True for a short line without final punctuation (subheading or caption)."),
    ),
    ("article_id", "sentence_id"),
)

ENTITIES = Table(
    "entities",
    "One row per canonical entity found in at least one article (KB entries and discovered names).",
    (
        Column("entity_id", STR, "Stable id: the KB id, or 'd_' + hash of the normalized name for discovered entities.", False),
        Column("name", STR, "Canonical name.", False),
        Column("type", STR, "PER, ORG, LOC, PRODUCT or EVENT.", False),
        Column("aliases", STR_LIST, "Known aliases (KB) plus surfaces seen in the corpus."),
        Column("origin", STR, "kb, discovered or model.", False),
        Column("wikidata_id", STR, "Wikidata QID, only when verified; else null."),
        Column("country", STR, "ISO 3166-1 alpha-2 country of the entity when known."),
        Column("parent_id", STR, "entity_id of the owner/parent (brand -> group, model -> maker) when known."),
        Column("n_articles", I32, "Number of non-duplicate articles mentioning the entity."),
        Column("n_mentions", I32, "Number of mentions in non-duplicate articles."),
    ),
    ("entity_id",),
)

MENTIONS = Table(
    "mentions",
    "One row per span of an article body that refers to an entity.",
    (
        Column("article_id", STR, "Article of the mention.", False),
        Column("sentence_id", I32, "Sentence of the mention.", False),
        Column("entity_id", STR, "Entity the span refers to.", False),
        Column("start", I32, "Start offset in articles.body.", False),
        Column("end", I32, "End offset in articles.body (exclusive); body[start:end] == surface.", False),
        Column("surface", STR, "The text of the span as written.", False),
        Column("method", STR, "How it was found: kb_alias (KB name or alias), kb_epithet (stable KB epithet), discovered (name not in the KB), partial_name, acronym, epithet (resolved description), metonym (a capital acting for its institution: \"Bruxelles ha deciso\"), model (statistical backend).", False),
        Column("confidence", pa.float32(), "Heuristic confidence 0-1."),
    ),
    ("article_id", "start", "end", "entity_id"),
)

CLAIMS = Table(
    "claims",
    "One row per sentence that asserts something checkable (at most one claim per sentence).",
    (
        Column("claim_id", STR, "Stable id: article_id + ':' + sentence_id.", False),
        Column("article_id", STR, "Article of the claim.", False),
        Column("sentence_id", I32, "Sentence of the claim.", False),
        Column("start", I32, "Start offset of the sentence in articles.body.", False),
        Column("end", I32, "End offset (exclusive).", False),
        Column("text", STR, "The whole sentence.", False),
        Column("modality", STR, "fact, rumor, speculation, denial or plan.", False),
        Column("modality_cue", STR, "The cue that decided the modality (e.g. 'avrebbe avviato', 'secondo indiscrezioni')."),
        Column("speaker", STR, "Canonical name of who asserts it, or null when the article itself does."),
        Column("speaker_entity_id", STR, "entity_id of the speaker, or null."),
        Column("quote", STR, "The directly quoted words (without quote marks; an interview answer's whole sentence), or null."),
        Column("subject_entity_ids", STR_LIST, "Entities the claim is about (mentioned in the sentence, speaker excluded)."),
        Column("predicate", STR, "Lemma of the main verb or event noun, used to thread claims."),
        Column("negated", pa.bool_(), "True when the main assertion is negated."),
    ),
    ("article_id", "sentence_id"),
)

QUANTITIES = Table(
    "quantities",
    "One row per numeric expression (years and dates excluded: see time_expressions).",
    (
        Column("article_id", STR, "Article of the quantity.", False),
        Column("claim_id", STR, "Claim whose sentence holds the quantity, or null."),
        Column("sentence_id", I32, "Sentence of the quantity."),
        Column("start", I32, "Start offset in articles.body.", False),
        Column("end", I32, "End offset (exclusive); body[start:end] == surface.", False),
        Column("surface", STR, "The expression as written.", False),
        Column("value", pa.float64(), "Plain number in the unit (93,5 miliardi di dollari -> 93500000000).", False),
        Column("value_max", pa.float64(), "Upper bound of a range ('15-20 anni' -> 20), else null."),
        Column("unit", STR, "ISO 4217 code, %, count, minute/hour/day/week/month/year, km, km/h, kW, kWh, V, mm, inch, kg, cv.", False),
        Column("counted", STR, "The counted noun as written when unit = count, else null."),
        Column("qualifier", STR, "oltre, circa, quasi, fino a, almeno, ... or null."),
    ),
    ("article_id", "start", "end"),
)

TIME_EXPRESSIONS = Table(
    "time_expressions",
    "One row per date or period mentioned in a body, normalized against the publish date.",
    (
        Column("article_id", STR, "Article of the expression.", False),
        Column("claim_id", STR, "Claim whose sentence holds the expression, or null."),
        Column("sentence_id", I32, "Sentence of the expression."),
        Column("start", I32, "Start offset in articles.body.", False),
        Column("end", I32, "End offset (exclusive); body[start:end] == surface.", False),
        Column("surface", STR, "The expression as written.", False),
        Column("value", STR, "YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD; null when it cannot be resolved."),
        Column("value_end", STR, "End of an interval ('fra il 14 e il 15 febbraio'), else null."),
        Column("granularity", STR, "year, quarter, month or day.", False),
        Column("anchor", STR, "absolute, relative (resolved against the publish date) or unresolved."),
    ),
    ("article_id", "start", "end"),
)

CLAIM_THREADS = Table(
    "claim_threads",
    "One row per claim in a thread: claims about the same entities and predicate across articles, in time order.",
    (
        Column("thread_id", STR, "Stable id of the thread.", False),
        Column("claim_id", STR, "A claim of the thread.", False),
        Column("article_id", STR, "Article of the claim.", False),
        Column("position", I32, "Order of the claim in the thread (by publish date, unknown dates last).", False),
        Column("published", pa.date32(), "Publish date of the article."),
        Column("modality", STR, "Modality of the claim."),
        Column("entity_ids", STR_LIST, "Entities shared by the thread."),
        Column("predicate", STR, "Predicate shared by the thread."),
        Column("thread_status", STR, "Outcome of the thread so far: confirmed, denied, open (rumor/speculation only) or plan."),
    ),
    ("thread_id", "position", "claim_id"),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (ARTICLES, REJECTS, SENTENCES, ENTITIES, MENTIONS, CLAIMS, QUANTITIES, TIME_EXPRESSIONS, CLAIM_THREADS)
}
INGEST_TABLES = ("articles", "rejects", "sentences")
EXTRACT_TABLES = ("entities", "mentions", "claims", "quantities", "time_expressions", "claim_threads")

MODALITIES = ("fact", "rumor", "speculation", "denial", "plan")
ENTITY_TYPES = ("PER", "ORG", "LOC", "PRODUCT", "EVENT")
DATE_PRECISIONS = ("day", "month", "year", "unknown")


def empty_table(name: str) -> pa.Table:
    """An empty Arrow table with the schema of `name`."""
    return TABLES[name].schema.empty_table()


def to_arrow(name: str, rows: list[dict]) -> pa.Table:
    """Rows (dicts) -> Arrow table of `name`, columns in contract order, sorted by the table's key."""
    t = TABLES[name]
    cols = {c.name: [r.get(c.name) for r in rows] for c in t.columns}
    table = pa.table(cols, schema=t.schema)
    if table.num_rows and t.sort_by:
        table = table.sort_by([(k, "ascending") for k in t.sort_by])
    return table
