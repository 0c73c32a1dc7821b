"""Full-text search over article titles and bodies: the offline FTS extension and the BM25 index."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import duckdb

from pipeline.errors import PipelineError
from pipeline.load.sqltext import quote_literal

FTS_SCHEMA = "fts_main_articles"
FTS_STEMMER = "italian"
# Indexed columns of `articles`, in this order (the index's fields.fieldid).
FTS_FIELDS = ("title", "body")
# Accents are stripped and text lowercased before this pattern splits tokens, so [a-z0-9] covers
# Italian letters; typographic apostrophes and quotes (’ « » “ ”) must separate words too.
FTS_IGNORE = "[^a-z0-9]+"
# Function words only (compared after lowercasing and accent stripping, before stemming): content
# words such as "auto" or "anni" stay searchable.
ITALIAN_STOPWORDS = tuple(
    """
    a ad al alla alle allo ai agli all anche avere ha hanno ho c che chi ci col come con cui da dal
    dalla dalle dallo dai dagli dall degli dei del della delle dello dell di e ed era erano essere
    fra gli i il in io l la le lo loro lui lei ma mi ne negli nei nel nella nelle nello nell noi non
    o per perche piu poi quale quali quando quella quelle quello quelli questa queste questo questi
    se si sia sono su sua sue sul sulla sulle sullo sui sugli sull suo suoi tra tu un una uno un
    vi voi gia cosi ancora essa esso stato stata stati state sara sarebbe sarebbero dopo prima
    """.split()
)


class FtsUnavailableError(PipelineError):
    """The full-text search extension shipped in the duckdb-extension-fts package cannot be found or loaded."""


def fts_extension_path() -> Path:
    """Path of the fts.duckdb_extension file inside the installed duckdb-extension-fts package."""
    spec = importlib.util.find_spec("duckdb_extension_fts")
    if spec is None or not spec.submodule_search_locations:
        raise FtsUnavailableError("package duckdb-extension-fts is not installed: run `make venv`")
    root = Path(next(iter(spec.submodule_search_locations)))
    # The wheel ships one binary per DuckDB version; it must match the running duckdb exactly.
    path = root / "extensions" / f"v{duckdb.__version__}" / "fts.duckdb_extension"
    if not path.is_file():
        found = sorted(p.parent.name for p in root.glob("extensions/*/fts.duckdb_extension"))
        raise FtsUnavailableError(
            f"no FTS extension for duckdb {duckdb.__version__} in duckdb-extension-fts (has {found}); "
            "pin both packages to the same version"
        )
    return path


def load_fts_extension(con: duckdb.DuckDBPyConnection) -> None:
    """LOAD the FTS extension from the local package file, so search never needs the network."""
    try:
        # LOAD takes no prepared parameter: the path is quoted as a literal.
        con.execute(f"LOAD {quote_literal(str(fts_extension_path()))}")
    except duckdb.Error as exc:
        raise FtsUnavailableError(f"cannot load the FTS extension: {exc}") from exc


def create_article_index(con: duckdb.DuckDBPyConnection) -> None:
    """BM25 index over articles.title and articles.body with the Italian Snowball stemmer."""
    load_fts_extension(con)
    # A temp table: the pragma copies the words into fts_main_articles.stopwords.
    con.execute("CREATE OR REPLACE TEMP TABLE _stopwords_it (sw VARCHAR)")
    # Literals, not executemany: a prepared parameter makes duckdb import pandas (half a second).
    con.execute("INSERT INTO _stopwords_it VALUES " + ", ".join(f"({quote_literal(w)})" for w in sorted(set(ITALIAN_STOPWORDS))))
    con.execute(
        f"PRAGMA create_fts_index('articles', 'article_id', {', '.join(map(quote_literal, FTS_FIELDS))}, "
        f"stemmer={quote_literal(FTS_STEMMER)}, stopwords='_stopwords_it', "
        f"ignore={quote_literal(FTS_IGNORE)}, strip_accents=1, lower=1, overwrite=1)"
    )
    con.execute("DROP TABLE _stopwords_it")
