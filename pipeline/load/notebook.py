"""What the notebooks share: a read-only connection, plotly that renders offline, queries as DataFrames, empty-table notes."""
from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.load.queries import Query
from pipeline.load.query import connect_readonly

RENDERER = "pipeline_offline"
MODALITY_COLORS = {"fact": "#2a9d8f", "rumor": "#e9c46a", "speculation": "#f4a261", "denial": "#e76f51", "plan": "#457b9d"}
MODALITY_ORDER = ("fact", "rumor", "speculation", "denial", "plan")
PRECISION_LABELS = {"day": "exact day (counted in its month)", "month": "month only (no day given)"}
MONTH_AXIS = dict(tickformat="%b %Y", ticklabelmode="period", title="Month of publication")

# Why a chart can be empty, per table: the extraction tables fill in as the extractors land.
EMPTY_REASONS = {
    "articles": "No articles: `data/raw/` is empty or every input was rejected (see the rejects table).",
    "rejects": "No rejects: every input file became an article.",
    "mentions": "No entity mentions yet: the entity extractor has emitted none for this corpus. Charts fill in after `make all` once it finds entities.",
    "claims": "No claims yet: the claim extractor has emitted none for this corpus. Charts fill in after `make all` once it finds claims.",
    "claim_threads": "No claim threads yet: threads need claims about the same entities and predicate in two or more articles.",
    "quantities": "No quantities linked to entities yet: needs both quantities and entity mentions in the same sentences.",
    "speakers": "No attributed claims yet: needs claims with a speaker and subject entities.",
    "duplicates": "No duplicates: every article is unique.",
    "dates": "No article has a date known to the month.",
    "flags": "No input warnings (flags) on any article.",
}


def setup_plotly() -> None:
    """Render figures for JupyterLab (plotly mimetype) and as HTML whose plotly.js is embedded once, offline.

    plotly's own "notebook" renderer adds a MathJax <script> from a CDN to every figure, which
    fails without network; this renderer emits the same HTML without it.
    """
    # plotly imports nbformat to check its version before showing a figure; nbformat pulls in
    # jsonschema, whose optional IRI checker (rfc3987_syntax) compiles a grammar for ~3 s at import.
    # Notebooks never validate IRIs, so the kernel skips that module (jsonschema tolerates its absence).
    sys.modules.setdefault("rfc3987_syntax", None)
    import plotly.io as pio
    from plotly.io._base_renderers import NotebookRenderer

    class OfflineNotebookRenderer(NotebookRenderer):
        def to_mimebundle(self, fig_dict):
            html = pio.to_html(
                fig_dict, config=self.config, include_plotlyjs=False, include_mathjax=False,
                full_html=False, default_width="100%", default_height=480, validate=False,
            )
            return {"text/html": html}

    pio.renderers[RENDERER] = OfflineNotebookRenderer(config={"displaylogo": False})
    pio.renderers.default = f"plotly_mimetype+{RENDERER}"
    pio.templates.default = "plotly_white"


def open_db(db_path: str | Path) -> duckdb.DuckDBPyConnection:
    """Read-only connection for a notebook; a missing database becomes a one-line hint."""
    path = Path(db_path)
    if not path.is_file():
        raise FileNotFoundError(f"{db_path} does not exist: run `make all` (or set DB_PATH in the parameters cell)")
    return connect_readonly(path)


def frame(con: duckdb.DuckDBPyConnection, query: Query, **params) -> pd.DataFrame:
    """Run a notebook query (aggregated in DuckDB, small result) and return it as a DataFrame."""
    return con.execute(query.sql, query.params(**params)).df()


def table_counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Rows per table of news.duckdb, from DuckDB's catalog (no scan)."""
    return con.execute(
        """
        SELECT table_name AS "table", estimated_size AS "rows", comment AS "what one row is"
        FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'
        ORDER BY table_name
        """
    ).df()


def has_rows(df: pd.DataFrame, reason: str) -> bool:
    """True when df has rows; else show why the chart is missing (`reason` is a key of EMPTY_REASONS or a sentence)."""
    if len(df):
        return True
    from IPython.display import Markdown, display

    display(Markdown(f"> **Nothing to plot here.** {EMPTY_REASONS.get(reason, reason)}"))
    return False


def note(text: str) -> None:
    """Show a short Markdown note under a chart (e.g. what a month-precision date means)."""
    from IPython.display import Markdown, display

    display(Markdown(text))
