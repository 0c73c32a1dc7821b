"""Validate the processed tables: schema, offsets, referential integrity, duplicate ids (in DuckDB, any size)."""
from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline import io
from pipeline.config import CACHE_DIR_NAME
from pipeline.errors import MissingInputError
from pipeline.load.sqltext import quote_literal
from pipeline.schema import DATE_PRECISIONS, ENTITY_TYPES, MODALITIES, TABLES

# Tables whose rows carry [start, end) offsets into articles.body, and the column that must equal the span.
SPAN_TABLES = {"sentences": None, "mentions": "surface", "claims": "text", "quantities": "surface", "time_expressions": "surface"}
UNIQUE_KEYS = {
    "articles": ("article_id",),
    "sentences": ("article_id", "sentence_id"),
    "entities": ("entity_id",),
    "claims": ("claim_id",),
}
ALLOWED = {
    ("articles", "date_precision"): DATE_PRECISIONS,
    ("entities", "type"): ENTITY_TYPES,
    ("claims", "modality"): MODALITIES,
    ("time_expressions", "granularity"): ("year", "quarter", "month", "day"),
}
# (table, column) -> (target table, target column): every non-null value must exist in the target.
REFERENCES = {
    ("articles", "duplicate_of"): ("articles", "article_id"),
    ("sentences", "article_id"): ("articles", "article_id"),
    ("mentions", "article_id"): ("articles", "article_id"),
    ("mentions", "entity_id"): ("entities", "entity_id"),
    ("claims", "article_id"): ("articles", "article_id"),
    ("claims", "speaker_entity_id"): ("entities", "entity_id"),
    ("quantities", "article_id"): ("articles", "article_id"),
    ("quantities", "claim_id"): ("claims", "claim_id"),
    ("time_expressions", "article_id"): ("articles", "article_id"),
    ("time_expressions", "claim_id"): ("claims", "claim_id"),
    ("claim_threads", "claim_id"): ("claims", "claim_id"),
}
MAX_EXAMPLES = 3
SPAN_RULE = "offsets do not match articles.body"
# The span rule is the costly one (every span compared with its article's text in Python). A clean check
# records, per span table and article, a digest of the article's body and of the article's spans; the next
# check compares only the articles whose digest is new (added, changed, or never validated).
SPAN_STATE_DIR = "check"
SPAN_STATE_VERSION = 1
SPAN_DIGESTS = "_span_digests"


@dataclass(frozen=True)
class Problem:
    """One broken rule, with up to MAX_EXAMPLES offending rows."""

    table: str
    rule: str
    count: int
    examples: tuple[str, ...] = ()


def check_tables(out_dir: Path, incremental: bool = True) -> list[Problem]:
    """Every problem found in the tables of out_dir (empty list when all is well).

    `incremental`: compare only the spans of articles whose body or spans differ from those a previous
    clean check validated (OUT/.cache/check/); the problems found are the same either way."""
    out_dir = Path(out_dir)
    if not io.table_exists(out_dir, "articles"):
        raise MissingInputError(f"no articles table in {out_dir}: run `python -m pipeline build` first")
    con = duckdb.connect()
    try:
        columns = _register(con, out_dir)
        problems = list(_check_schema(out_dir))
        unique = _check_unique(con, columns)
        problems += unique
        problems += _check_allowed(con, columns)
        unique_articles = not any(p.table == "articles" and p.rule == "duplicate article_id" for p in unique)
        state = _SpanState(con, out_dir, columns) if incremental and unique_articles else None
        spans = _check_spans(con, columns, out_dir, unique_articles, state)
        problems += spans
        if state is not None and not spans:
            state.save()
        problems += _check_references(con, columns)
    finally:
        con.close()
    return problems


def _register(con: duckdb.DuckDBPyConnection, out_dir: Path) -> dict[str, set[str]]:
    """A view per existing table (paths go through the relational API, never into SQL text)."""
    columns = {}
    for name in TABLES:
        path = io.table_path(out_dir, name)
        if not path.exists():
            continue
        source = str(path / "**" / "*.parquet") if path.is_dir() else str(path)
        rel = con.read_parquet(source, hive_partitioning=path.is_dir(), union_by_name=True)
        rel.create_view(name)
        columns[name] = set(rel.columns)
    return columns


def _has(columns: dict[str, set[str]], table: str, *cols: str) -> bool:
    return table in columns and all(c in columns[table] for c in cols)


def _problem(con, table: str, rule: str, sql: str, params: list | None = None) -> list[Problem]:
    count, examples = con.execute(f"SELECT count(*), list(x)[1:{MAX_EXAMPLES}] FROM ({sql}) AS q(x)", params or []).fetchone()
    return [Problem(table, rule, count, tuple(map(str, examples or [])))] if count else []


def _check_schema(out_dir: Path) -> Iterator[Problem]:
    for name, spec in TABLES.items():
        if not io.table_exists(out_dir, name):
            yield Problem(name, "table missing", 1)
            continue
        path = io.table_path(out_dir, name)
        if path.is_file():  # pyarrow.dataset imports pandas (a second): only partition folders need it
            got = pq.read_schema(path)
        else:
            import pyarrow.dataset as ds

            got = ds.dataset(path, format="parquet", partitioning="hive").schema
        missing = [c for c in spec.column_names if c not in got.names]
        if missing:
            yield Problem(name, "columns missing", len(missing), tuple(missing[:MAX_EXAMPLES]))
        wrong = [f"{c.name}: {got.field(c.name).type} != {c.type}" for c in spec.columns if c.name in got.names and not got.field(c.name).type.equals(c.type)]
        if wrong:
            yield Problem(name, "column types differ from schema.py", len(wrong), tuple(wrong[:MAX_EXAMPLES]))


def _check_unique(con, columns) -> list[Problem]:
    out = []
    for name, key in UNIQUE_KEYS.items():
        if _has(columns, name, *key):
            cols = ", ".join(f'"{k}"' for k in key)
            sql = f"SELECT concat_ws('/', {cols}) FROM \"{name}\" GROUP BY {cols} HAVING count(*) > 1"
            out += _problem(con, name, f"duplicate {'/'.join(key)}", sql)
    return out


def _check_allowed(con, columns) -> list[Problem]:
    out = []
    for (name, column), allowed in ALLOWED.items():
        if _has(columns, name, column):
            # A literal list, not a parameter: the first parameter a process binds makes duckdb import pandas.
            values = "[" + ", ".join(quote_literal(v) for v in allowed) + "]"
            sql = f'SELECT coalesce("{column}", \'NULL\') FROM "{name}" WHERE "{column}" IS NULL OR NOT list_contains({values}, "{column}")'
            out += _problem(con, name, f"{column} not in {allowed}", sql)
    return out


def _check_spans(con, columns, out_dir: Path | None = None, unique_articles: bool = False, state: "_SpanState | None" = None) -> list[Problem]:
    out = []
    if not _has(columns, "articles", "article_id", "body"):
        return out
    tables = {
        name: (text_col if text_col and _has(columns, name, text_col) else None)
        for name, text_col in SPAN_TABLES.items()
        if _has(columns, name, "article_id", "start", "end")
    }
    only = {name: state.unvalidated(name, text_col) for name, text_col in tables.items()} if state is not None else {}
    bodies = None  # the articles any table needs compared, read once (not once per table)
    if only and out_dir is not None and all(ids is not None for ids in only.values()):
        wanted = pc.unique(pa.chunked_array(list(only.values()), pa.string()).combine_chunks())
        if len(wanted):
            bodies = list(_only(io.iter_batches(out_dir, "articles", columns=["article_id", "body"], batch_size=2000), wanted))
    for name, text_col in tables.items():
        ids = only.get(name)
        if ids is not None and not len(ids):
            continue  # every article's spans are the very ones a clean check compared
        walk = out_dir is not None and unique_articles
        found = _walk_spans(out_dir, name, text_col, ids, bodies if ids is not None else None) if walk else None
        if found is not None:
            count, examples = found
            out += [Problem(name, SPAN_RULE, count, tuple(examples))] if count else []
            continue
        # DuckDB's length/substring count code points, as Python str indices do.
        same_text = f' AND substring(a.body, t.start + 1, t."end" - t.start) = t."{text_col}"' if text_col else ""
        sql = (
            f"SELECT t.article_id || '[' || t.start || ':' || t.\"end\" || ']' FROM \"{name}\" t JOIN articles a USING (article_id) "
            f'WHERE NOT (t.start >= 0 AND t.start < t."end" AND t."end" <= length(a.body){same_text})'
        )
        out += _problem(con, name, SPAN_RULE, sql)
    return out


def _walk_spans(
    out_dir: Path, name: str, text_col: str | None, only: pa.Array | None = None, articles: list[pa.RecordBatch] | None = None
) -> tuple[int, list[str]] | None:
    """The span rule in one streaming pass: the extraction tables are written in the order of the articles
    table, so both are read side by side and each span is compared with Python's own slice (DuckDB's
    substring scans a non-ASCII body from its start for every row). None when a row's article is not
    where the order says (out of order, or missing): the caller then runs the SQL form on the whole table.
    `only`: the article ids to compare (both sides filtered alike, in Arrow); None compares all. `articles`:
    the (article_id, body) batches to walk along, in table order, already holding every article of `only`."""
    if articles is not None:
        articles = iter(articles)
    else:
        articles = _only(io.iter_batches(out_dir, "articles", columns=["article_id", "body"], batch_size=2000), only)
    pending: list[tuple[str, str]] = []
    aid, body = None, ""
    count, examples = 0, []
    cols = ["article_id", "start", "end"] + ([text_col] if text_col else [])
    for batch in _only(io.iter_batches(out_dir, name, columns=cols, batch_size=50_000), only):
        if batch.num_rows == 0:
            continue
        if batch.column("start").null_count or batch.column("end").null_count:
            return None
        ids = batch.column("article_id").to_pylist()
        starts, ends = batch.column("start").to_pylist(), batch.column("end").to_pylist()
        texts = batch.column(text_col).to_pylist() if text_col else None
        cuts = [0] + [i for i in range(1, len(ids)) if ids[i] != ids[i - 1]] + [len(ids)]
        for lo, hi in zip(cuts, cuts[1:]):  # one run of rows of the same article
            while ids[lo] != aid:
                while not pending:  # (a filtered batch may hold no article)
                    nxt = next(articles, None)
                    if nxt is None:
                        return None
                    pending = list(zip(nxt.column("article_id").to_pylist(), nxt.column("body").to_pylist()))
                    pending.reverse()
                aid, body = pending.pop()
            n = len(body)
            spans = list(zip(starts[lo:hi], ends[lo:hi]))
            ok = [0 <= a < b <= n for a, b in spans]
            if texts is not None:
                ok = [good and body[a:b] == text for good, (a, b), text in zip(ok, spans, texts[lo:hi])]
            if False in ok:
                bad = [i for i, good in enumerate(ok) if not good]
                count += len(bad)
                examples += [f"{aid}[{spans[i][0]}:{spans[i][1]}]" for i in bad[: MAX_EXAMPLES - len(examples)]]
    return count, examples


def _only(batches: Iterator[pa.RecordBatch], ids: pa.Array | None) -> Iterator[pa.RecordBatch]:
    """The rows of batches whose article_id is in ids (all rows when ids is None)."""
    if ids is None:
        yield from batches
        return
    for batch in batches:
        yield batch.filter(pc.is_in(batch.column("article_id"), value_set=ids))


class _SpanState:
    """Digests of the (article, spans) groups a clean check validated, and of the groups in the tables now.

    A group's digest hashes the article's body and every span row of it (article_id, start, end, text):
    a group whose digest a clean check recorded holds exactly the rows and text compared then, so it needs
    no second comparison. The digests are computed in DuckDB (all cores); files are never trusted by name."""

    def __init__(self, con, out_dir: Path, columns: dict[str, set[str]]):
        from pipeline.cache import fingerprint

        self.con = con
        self.folder = Path(out_dir) / CACHE_DIR_NAME / SPAN_STATE_DIR
        self.path = self.folder / f"spans-{fingerprint(SPAN_STATE_VERSION, sources=('pipeline/check.py',), packages=('duckdb',))}.parquet"
        con.execute(f"CREATE TEMP TABLE {SPAN_DIGESTS} (tbl VARCHAR, article_id VARCHAR, h UBIGINT)")
        con.execute("CREATE TEMP TABLE _bodies AS SELECT article_id, hash(body) AS bh FROM articles")
        self.validated = False
        if self.path.is_file():
            try:
                con.execute(f"CREATE TEMP TABLE _validated AS SELECT tbl, article_id, h FROM read_parquet({quote_literal(str(self.path))})")
                self.validated = True
            except duckdb.Error:  # a damaged state only means comparing everything
                pass

    def unvalidated(self, name: str, text_col: str | None) -> pa.Array | None:
        """Ids of the articles whose `name` rows need comparing; None: all of them (no usable state)."""
        text = f', t."{text_col}"' if text_col else ""
        self.con.execute(
            f"INSERT INTO {SPAN_DIGESTS} SELECT {quote_literal(name)}, t.article_id, hash(b.bh, sum(hash(t.start, t.\"end\"{text})::HUGEINT), count(*)) "
            f'FROM "{name}" t JOIN _bodies b USING (article_id) GROUP BY t.article_id, b.bh'
        )
        if not self.validated:
            return None
        return self.con.execute(
            f"SELECT DISTINCT article_id FROM {SPAN_DIGESTS} d WHERE tbl = {quote_literal(name)} "
            f"AND NOT EXISTS (SELECT 1 FROM _validated v WHERE v.tbl = d.tbl AND v.article_id = d.article_id AND v.h = d.h)"
        ).fetch_arrow_table().column("article_id").combine_chunks()

    def save(self) -> None:
        """Record every group's digest (after a clean span check), atomically; older states are removed."""
        tmp = self.folder / f".{self.path.name}.{os.getpid()}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.con.execute(f"COPY (SELECT * FROM {SPAN_DIGESTS} ORDER BY ALL) TO {quote_literal(str(tmp))} (FORMAT parquet)")
            os.replace(tmp, self.path)
            for old in self.folder.glob("spans-*.parquet"):
                if old != self.path:
                    old.unlink(missing_ok=True)
        except (OSError, duckdb.Error):  # a read-only output folder: the next check compares everything again
            tmp.unlink(missing_ok=True)


def _check_references(con, columns) -> list[Problem]:
    out = []
    for (name, column), (target, tcol) in REFERENCES.items():
        if not _has(columns, name, column):
            continue
        if not _has(columns, target, tcol):
            sql = f'SELECT "{column}" FROM "{name}" WHERE "{column}" IS NOT NULL'
        else:
            sql = f'SELECT t."{column}" FROM "{name}" t ANTI JOIN "{target}" r ON t."{column}" = r."{tcol}" WHERE t."{column}" IS NOT NULL'
        out += _problem(con, name, f"{column} points to a missing row", sql)
    if _has(columns, "claims", "subject_entity_ids") and _has(columns, "entities", "entity_id"):
        sql = 'SELECT e FROM (SELECT unnest(subject_entity_ids) AS e FROM claims) ANTI JOIN entities r ON e = r.entity_id'
        out += _problem(con, "claims", "subject_entity_ids point to missing entities", sql)
    return out


def format_report(problems: list[Problem]) -> str:
    """One line per problem, or a one-line all-clear."""
    if not problems:
        return "check: all tables match the contract (schema, offsets, ids, references)"
    lines = [f"check: {len(problems)} problem(s) found"]
    for p in problems:
        ex = f" e.g. {', '.join(p.examples)}" if p.examples else ""
        lines.append(f"  {p.table}: {p.rule} ({p.count}){ex}")
    return "\n".join(lines)
