"""Time the notebooks' queries and the macros on a database (for the benchmark and the closing notes)."""
from __future__ import annotations

import time
from pathlib import Path

from pipeline.load.queries import NOTEBOOK_QUERIES
from pipeline.load.query import connect_readonly
from pipeline.load.sqltext import quote_identifier

SEARCH_QUERY = "batterie per auto elettriche"
FALLBACK_ENTITY = "Ford"
# Macro calls timed, with {entity} / {speaker} filled from the data so that they return rows.
MACRO_CALLS = {
    "find_entities": "SELECT * FROM find_entities($entity)",
    "mentions_of": "SELECT * FROM mentions_of($entity)",
    "claims_about": "SELECT * FROM claims_about($entity)",
    "said_by": "SELECT * FROM said_by($speaker)",
    "quantities_of": "SELECT * FROM quantities_of($entity)",
    "entity_timeline": "SELECT * FROM entity_timeline($entity)",
    "cooccurring_with(article)": "SELECT * FROM cooccurring_with($entity)",
    "cooccurring_with(sentence)": "SELECT * FROM cooccurring_with($entity, scope := 'sentence')",
    "search_articles": "SELECT * FROM search_articles($query) LIMIT 20",
}
# Whole views, to see what an ad-hoc `SELECT * FROM view` costs.
VIEW_SCANS = ("top_entities", "entity_mentions_by_month", "entity_cooccurrence", "claims_timeline", "claim_threads", "quantities_by_entity")


def time_notebook_queries(db_path: Path) -> dict[str, float]:
    """Run every notebook query, every macro and a full scan of the main views once; seconds per name.

    Names are "<notebook>/<query>", "macro/<name>" and "view/<name>"; "connect" is the time to open
    the database read-only with full-text search loaded.
    """
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    con = connect_readonly(Path(db_path))
    timings["connect"] = time.perf_counter() - t0
    try:
        for notebook, queries in NOTEBOOK_QUERIES.items():
            for name, query in queries.items():
                timings[f"{notebook}/{name}"] = _time(con, query.sql, query.params())
        args = _macro_arguments(con)
        for name, sql in MACRO_CALLS.items():
            used = {k: v for k, v in args.items() if f"${k}" in sql}
            timings[f"macro/{name}"] = _time(con, sql, used)
        for view in VIEW_SCANS:
            timings[f"view/{view}"] = _time(con, f"SELECT count(*) FROM (SELECT * FROM {quote_identifier(view)})", {})
    finally:
        con.close()
    return timings


def _time(con, sql: str, params: dict) -> float:
    # Fetched as Arrow (what .df() uses), not as Python tuples, whose conversion would dominate.
    t0 = time.perf_counter()
    con.execute(sql, params).fetch_arrow_table()
    return time.perf_counter() - t0


def _macro_arguments(con) -> dict[str, str]:
    """The most-mentioned entity and the most frequent speaker, so the timed calls do real work."""
    entity = con.execute("SELECT name FROM top_entities ORDER BY n_mentions DESC, name LIMIT 1").fetchone()
    speaker = con.execute(
        "SELECT speaker FROM claims WHERE speaker IS NOT NULL GROUP BY speaker ORDER BY count(*) DESC, speaker LIMIT 1"
    ).fetchone()
    return {
        "entity": entity[0] if entity else FALLBACK_ENTITY,
        "speaker": speaker[0] if speaker else FALLBACK_ENTITY,
        "query": SEARCH_QUERY,
    }


def format_timings(timings: dict[str, float]) -> str:
    """Timings as aligned lines, milliseconds."""
    width = max(map(len, timings), default=0)
    return "\n".join(f"{name.ljust(width)}  {seconds * 1000:9.1f} ms" for name, seconds in timings.items())
