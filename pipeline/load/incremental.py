"""Bring a copy of the previous news.duckdb up to date with the Parquet tables, rewriting only the rows that changed.

Every table is compared with its Parquet source group by group (an article's sentences, an
entity, a claim thread): a group whose rows differ in any column, or that appears or disappears,
is deleted and inserted again. The result holds the same rows as a full load; only the physical
row order differs. Each group's digest is stored with the load, so only the Parquet side is read
and hashed again (the database is written by the loader alone; notebooks open it read-only, and a
row count that disagrees with the digests still forces a full load). Whether a database may be updated at all is decided by its load state: the
fingerprint of the code that defines its tables, views, macros and index, and a digest of its
catalog (a table or view a user added by hand would survive an update but not a rebuild).
"""
from __future__ import annotations

import hashlib

import duckdb

from pipeline.cache import fingerprint
from pipeline.errors import PipelineError
from pipeline.load.catalog import warehouse_table_name
from pipeline.load.fts_update import update_article_index
from pipeline.load.sqltext import quote_identifier, quote_literal
from pipeline.schema import TABLES

# Bump when the way a database is updated changes in a way its source files do not show.
LOADER_VERSION = 1
# What defines the database: a change to any of these makes the next load a full one.
LOADER_SOURCES = (
    "pipeline/schema.py",
    "pipeline/load/catalog.py",
    "pipeline/load/fts.py",
    "pipeline/load/fts_update.py",
    "pipeline/load/incremental.py",
    "pipeline/load/sqltext.py",
    "pipeline/load/warehouse.py",
)
LOADER_PACKAGES = ("duckdb", "duckdb-extension-fts")
STATE_SCHEMA = "pipeline_meta"
STATE_TABLE = f"{STATE_SCHEMA}.load_state"
DIGEST_TABLE = f"{STATE_SCHEMA}.group_digests"
# Rows are replaced per value of this column (NOT NULL in schema.py). A table missing here is
# reloaded whole.
DELTA_KEYS = {
    "articles": "article_id",
    "rejects": "source_path",
    "sentences": "article_id",
    "entities": "entity_id",
    "mentions": "article_id",
    "claims": "article_id",
    "quantities": "article_id",
    "time_expressions": "article_id",
    "claim_threads": "thread_id",
}
CHANGED_ARTICLES = "_changed_articles"


class StaleWarehouseError(PipelineError):
    """The previous news.duckdb cannot be updated in place (missing, built by other code, altered or damaged)."""


def loader_fingerprint() -> str:
    """Hash of the loader's version, source files and DuckDB/FTS package versions."""
    return fingerprint(LOADER_VERSION, sources=LOADER_SOURCES, packages=LOADER_PACKAGES)


def write_load_state(con: duckdb.DuckDBPyConnection) -> None:
    """Record the loader fingerprint, every group's digest and the catalog digest; the last step of a full load."""
    con.execute(f"CREATE SCHEMA {STATE_SCHEMA}")
    con.execute(f"CREATE TABLE {STATE_TABLE} (fingerprint VARCHAR NOT NULL, catalog_digest VARCHAR NOT NULL)")
    con.execute(
        f"COMMENT ON TABLE {STATE_TABLE} IS "
        + quote_literal("Which loader built this file; `pipeline load` updates the file in place only when it matches.")
    )
    con.execute(f"CREATE TABLE {DIGEST_TABLE} (table_name VARCHAR NOT NULL, k VARCHAR NOT NULL, h HUGEINT, n BIGINT)")
    con.execute(
        f"COMMENT ON TABLE {DIGEST_TABLE} IS "
        + quote_literal("Digest of each key group of each table (sum of row hashes, row count): what `pipeline load` compares the Parquet files with.")
    )
    for name, table in TABLES.items():
        if name in DELTA_KEYS:
            target = quote_identifier(warehouse_table_name(name))
            con.execute(f"INSERT INTO {DIGEST_TABLE} {_digest_select(name, table.column_names, target)}")
    # Literals: a prepared parameter would make duckdb import pandas (half a second).
    con.execute(f"INSERT INTO {STATE_TABLE} VALUES ({quote_literal(loader_fingerprint())}, {quote_literal(catalog_digest(con))})")


def check_load_state(con: duckdb.DuckDBPyConnection) -> None:
    """Raise StaleWarehouseError unless the database was built by this loader and its catalog is untouched."""
    try:
        state = con.execute(f"SELECT fingerprint, catalog_digest FROM {STATE_TABLE}").fetchall()
    except duckdb.CatalogException as exc:
        raise StaleWarehouseError("it has no load state (built by an older loader)") from exc
    if len(state) != 1:
        raise StaleWarehouseError("its load state is not one row")
    built_by, digest = state[0]
    if built_by != loader_fingerprint():
        raise StaleWarehouseError("it was built by another version of the loader, schema or catalog")
    if digest != catalog_digest(con):
        raise StaleWarehouseError("its tables, views or macros were changed after the load")


def catalog_digest(con: duckdb.DuckDBPyConnection) -> str:
    """sha256 of the names and comments of every table, column, view, macro, index and sequence in the database.

    Names, not definitions: DuckDB re-renders a view's or macro's SQL when it reads the file back,
    and the definitions themselves are covered by the loader fingerprint.
    """
    listing = con.execute(
        """
        SELECT 'table', schema_name, table_name, NULL, comment::VARCHAR FROM duckdb_tables()
        WHERE database_name = current_database()
        UNION ALL
        SELECT 'view', schema_name, view_name, NULL, comment::VARCHAR FROM duckdb_views()
        WHERE database_name = current_database() AND NOT internal
        UNION ALL
        SELECT 'function', schema_name, function_name, function_type, comment::VARCHAR FROM duckdb_functions()
        WHERE database_name = current_database() AND NOT internal
        UNION ALL
        SELECT 'index', schema_name, index_name, NULL, comment::VARCHAR FROM duckdb_indexes()
        WHERE database_name = current_database()
        UNION ALL
        SELECT 'sequence', schema_name, sequence_name, NULL, comment::VARCHAR FROM duckdb_sequences()
        WHERE database_name = current_database()
        UNION ALL
        SELECT 'column', schema_name, table_name || '.' || column_name, data_type, comment::VARCHAR FROM duckdb_columns()
        WHERE database_name = current_database()
        ORDER BY ALL
        """
    ).fetchall()
    return hashlib.sha256(repr(listing).encode()).hexdigest()[:32]


def update_tables(con: duckdb.DuckDBPyConnection, sources: dict[str, str | None]) -> dict[str, int]:
    """Make every table equal to its source (a SELECT of the contract columns, or None for no rows); re-index changed articles.

    Returns the number of key groups replaced per table (-1: reloaded whole).
    """
    replaced = {}
    for name, table in TABLES.items():
        target = quote_identifier(warehouse_table_name(name))
        sql = sources.get(name) or f"SELECT * FROM {target} WHERE false"
        if name not in DELTA_KEYS:
            con.execute(f"DELETE FROM {target}")
            con.execute(f"INSERT INTO {target} {sql}")
            replaced[name] = -1
            continue
        replaced[name] = _replace_changed_groups(con, name, table.column_names, target, sql)
        if name == "articles":
            con.execute(f"CREATE OR REPLACE TEMP TABLE {CHANGED_ARTICLES} AS SELECT k AS article_id FROM _delta")
    if replaced.get("articles"):
        update_article_index(con, CHANGED_ARTICLES)
    for temp in (CHANGED_ARTICLES, "_delta", "_new_digests"):
        con.execute(f"DROP TABLE IF EXISTS {temp}")
    return replaced


def _digest_select(name: str, columns: list[str], source: str) -> str:
    # Sum of row hashes plus row count: independent of row order; two different groups collide
    # with probability ~2^-64.
    row_hash = f"hash({', '.join(map(quote_identifier, columns))})::HUGEINT"
    key = quote_identifier(DELTA_KEYS[name])
    return f"SELECT {quote_literal(name)}, {key}, sum({row_hash}), count(*) FROM {source} GROUP BY {key}"


def _replace_changed_groups(con, name: str, columns: list[str], target: str, sql: str) -> int:
    table = quote_literal(name)
    stored = con.execute(f"SELECT coalesce(sum(n), 0) FROM {DIGEST_TABLE} WHERE table_name = {table}").fetchone()[0]
    if con.execute(f"SELECT count(*) FROM {target}").fetchone()[0] != stored:
        raise StaleWarehouseError(f"rows of {name} were changed after the load")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _new_digests (table_name VARCHAR, k VARCHAR, h HUGEINT, n BIGINT); "
        f"INSERT INTO _new_digests {_digest_select(name, columns, f'({sql})')}"
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _delta AS
        SELECT coalesce(old.k, new.k) AS k
        FROM (SELECT k, h, n FROM {DIGEST_TABLE} WHERE table_name = {table}) AS old
        FULL OUTER JOIN _new_digests AS new ON old.k = new.k
        WHERE old.h IS DISTINCT FROM new.h OR old.n IS DISTINCT FROM new.n
        """
    )
    changed = con.execute("SELECT count(*) FROM _delta").fetchone()[0]
    if changed:
        key = quote_identifier(DELTA_KEYS[name])
        con.execute(f"DELETE FROM {target} WHERE {key} IN (SELECT k FROM _delta)")
        con.execute(f"INSERT INTO {target} SELECT * FROM ({sql}) WHERE {key} IN (SELECT k FROM _delta)")
        con.execute(f"DELETE FROM {DIGEST_TABLE} WHERE table_name = {table} AND k IN (SELECT k FROM _delta)")
        con.execute(f"INSERT INTO {DIGEST_TABLE} SELECT * FROM _new_digests WHERE k IN (SELECT k FROM _delta)")
    return changed
