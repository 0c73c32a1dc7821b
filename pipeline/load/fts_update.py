"""Fill and update the BM25 index with the same expressions the FTS pragma runs, stemming each word once.

`PRAGMA create_fts_index` (duckdb-extension-fts) tokenizes every article again and stems every
occurrence of every word: most of a full load. The full load therefore runs the pragma on the empty
table (its tables and macros) and indexes every article here; the incremental load re-indexes only
the replaced articles.

The index tables hold nothing that depends on the other documents except `dict.df` and `stats`, so
removing and adding documents row by row gives the scores of a rebuild exactly: docs.len, dict.df,
stats.num_docs and stats.avgdl are the same integers, computed by the same expressions (the tokenize
macro's words, stem, stopwords) the pragma uses. Only the docid/termid numbering differs, which
match_bm25 uses for joins alone. tests/test_fts_index.py compares both with the pragma's own index.
"""
from __future__ import annotations

import duckdb

from pipeline.load.fts import FTS_FIELDS, FTS_IGNORE, FTS_SCHEMA, FTS_STEMMER, load_fts_extension
from pipeline.load.sqltext import quote_literal

S = FTS_SCHEMA
# Articles indexed per pass: about 3 MB of text, a few hundred MB of DuckDB memory for their words.
FTS_BATCH_DOCS = 2000

# Statements in order; {changed} is a table of the article_ids whose rows were replaced.
_UPDATE_SQL = (
    # Documents of the old rows; each term they held loses one document from its df.
    f"""CREATE OR REPLACE TEMP TABLE _fts_gone AS
        SELECT docid FROM {S}.docs WHERE name IN (SELECT article_id FROM {{changed}})""",
    f"""CREATE OR REPLACE TEMP TABLE _fts_df_change AS
        SELECT termid, -count(DISTINCT docid) AS change FROM {S}.terms
        WHERE docid IN (SELECT docid FROM _fts_gone) GROUP BY termid""",
    f"DELETE FROM {S}.terms WHERE docid IN (SELECT docid FROM _fts_gone)",
    f"DELETE FROM {S}.docs WHERE docid IN (SELECT docid FROM _fts_gone)",
    # New rows get fresh docids after the highest one left (the pragma numbers rows by rowid).
    f"""CREATE OR REPLACE TEMP TABLE _fts_new_docs AS
        SELECT (SELECT coalesce(max(docid) + 1, 0) FROM {S}.docs)
                   + row_number() OVER (ORDER BY article_id) - 1 AS docid,
               article_id AS name, {", ".join(FTS_FIELDS)}
        FROM articles WHERE article_id IN (SELECT article_id FROM {{changed}})""",
    # Same tokenize / stopword / stem expressions as the pragma's `terms` query, but each distinct word
    # is stemmed once: the pragma stems every occurrence, which is most of its time.
    f"""CREATE OR REPLACE TEMP TABLE _fts_new_terms AS
        WITH tokenized AS ({{tokenized}}),
        kept AS MATERIALIZED (SELECT t.w, t.docid, t.fieldid FROM tokenized AS t
                 WHERE t.w NOT NULL AND len(t.w) > 0 AND t.w NOT IN (SELECT sw FROM {S}.stopwords)),
        stems AS (SELECT w, stem(w, {quote_literal(FTS_STEMMER)}) AS term FROM (SELECT DISTINCT w FROM kept))
        SELECT s.term, k.docid, k.fieldid FROM kept AS k JOIN stems AS s USING (w)""",
    f"""INSERT INTO {S}.dict (termid, term, df)
        SELECT (SELECT coalesce(max(termid) + 1, 0) FROM {S}.dict) + row_number() OVER (ORDER BY term) - 1, term, 0
        FROM (SELECT DISTINCT term FROM _fts_new_terms WHERE term NOT IN (SELECT term FROM {S}.dict))""",
    f"""INSERT INTO {S}.terms (docid, fieldid, termid)
        SELECT n.docid, n.fieldid, d.termid FROM _fts_new_terms AS n JOIN {S}.dict AS d ON n.term = d.term""",
    f"""INSERT INTO {S}.docs (docid, name, len)
        SELECT nd.docid, nd.name, coalesce(l.len, 0)
        FROM _fts_new_docs AS nd
        LEFT JOIN (SELECT docid, count(term) AS len FROM _fts_new_terms GROUP BY docid) AS l USING (docid)""",
    # df = number of documents holding the term, kept by difference (no scan of all terms); a
    # term no document holds any more leaves the dictionary, as in a rebuild.
    f"""INSERT INTO _fts_df_change
        SELECT d.termid, count(DISTINCT n.docid) FROM _fts_new_terms AS n JOIN {S}.dict AS d ON n.term = d.term
        GROUP BY d.termid""",
    f"""UPDATE {S}.dict AS d SET df = d.df + c.change
        FROM (SELECT termid, sum(change) AS change FROM _fts_df_change GROUP BY termid HAVING sum(change) <> 0) AS c
        WHERE d.termid = c.termid""",
    f"DELETE FROM {S}.dict WHERE df = 0 AND termid IN (SELECT termid FROM _fts_df_change)",
    f"""UPDATE {S}.stats SET num_docs = (SELECT count(docs.docid) FROM {S}.docs AS docs),
                            avgdl = (SELECT sum(docs.len) / count(docs.len) FROM {S}.docs AS docs)""",
    "DROP TABLE _fts_gone",
    "DROP TABLE _fts_df_change",
    "DROP TABLE _fts_new_docs",
    "DROP TABLE _fts_new_terms",
)


# The pragma's tokenize macro is string_split_regex(regexp_replace(lower(strip_accents(s)), IGNORE, ' ', 'g'), '\s+'):
# splitting on IGNORE directly gives the same words (plus the empty ones both drop) in one regex pass.
_TOKENIZE = "string_split_regex(lower(strip_accents(CAST({} AS VARCHAR))), " + quote_literal(FTS_IGNORE) + ")"


def update_article_index(con: duckdb.DuckDBPyConnection, changed: str, batch_docs: int = FTS_BATCH_DOCS) -> None:
    """Re-index the articles whose ids are in table `changed` (column article_id): old documents out, current rows in.

    Call it after `articles` itself was updated; ids no longer in `articles` are only removed.
    """
    load_fts_extension(con)  # stem() lives in the extension
    tokenized = " UNION ALL ".join(
        f"SELECT unnest({_TOKENIZE.format(f'd.{field}')}) AS w, d.docid, "
        f"(SELECT fieldid FROM {S}.fields WHERE field = {quote_literal(field)}) AS fieldid FROM _fts_new_docs AS d"
        for field in FTS_FIELDS
    )
    n = con.execute(f"SELECT count(*) FROM {changed}").fetchone()[0]
    if n <= batch_docs:
        for sql in _UPDATE_SQL:
            con.execute(sql.format(changed=changed, tokenized=tokenized))
        return
    # Batches of articles keep the words in flight (one row per word of every document) flat in corpus size;
    # each batch takes the next docids and adds to df, so the index is the one a single pass builds.
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _fts_all AS SELECT article_id, "
        f"(row_number() OVER (ORDER BY article_id) - 1) // {int(batch_docs)} AS part FROM {changed}"
    )
    for part in range(-(-n // batch_docs)):
        con.execute(f"CREATE OR REPLACE TEMP TABLE _fts_part AS SELECT article_id FROM _fts_all WHERE part = {part}")
        for sql in _UPDATE_SQL:
            con.execute(sql.format(changed="_fts_part", tokenized=tokenized))
    con.execute("DROP TABLE _fts_part")
    con.execute("DROP TABLE _fts_all")
