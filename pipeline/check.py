"""Validate the processed tables: schema, offsets, referential integrity, duplicate ids."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds

from pipeline import io
from pipeline.errors import MissingInputError
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
MAX_EXAMPLES = 3


@dataclass(frozen=True)
class Problem:
    """One broken rule, with up to MAX_EXAMPLES offending rows."""

    table: str
    rule: str
    count: int
    examples: tuple[str, ...] = ()


def check_tables(out_dir: Path) -> list[Problem]:
    """Every problem found in the tables of out_dir (empty list when all is well)."""
    if not io.table_exists(out_dir, "articles"):
        raise MissingInputError(f"no articles table in {out_dir}: run `python -m pipeline build` first")
    tables = {name: _read_as_is(out_dir, name) for name in TABLES if io.table_exists(out_dir, name)}
    problems = list(_check_schema(out_dir))
    problems += _check_unique(tables)
    problems += _check_allowed(tables)
    problems += _check_spans(tables)
    problems += _check_references(tables)
    return problems


def _read_as_is(out_dir: Path, name: str) -> pa.Table:
    # Not io.read_table: that casts to the contract, and a broken table must be described, not crash.
    return ds.dataset(io.table_path(out_dir, name), format="parquet", partitioning="hive").to_table()


def _has(t: pa.Table | None, *columns: str) -> bool:
    return t is not None and all(c in t.column_names for c in columns)


def _check_schema(out_dir: Path) -> Iterator[Problem]:
    for name, spec in TABLES.items():
        if not io.table_exists(out_dir, name):
            yield Problem(name, "table missing", 1)
            continue
        got = ds.dataset(io.table_path(out_dir, name), format="parquet", partitioning="hive").schema
        missing = [c for c in spec.column_names if c not in got.names]
        if missing:
            yield Problem(name, "columns missing", len(missing), tuple(missing[:MAX_EXAMPLES]))
        wrong = [f"{c.name}: {got.field(c.name).type} != {c.type}" for c in spec.columns if c.name in got.names and not got.field(c.name).type.equals(c.type)]
        if wrong:
            yield Problem(name, "column types differ from schema.py", len(wrong), tuple(wrong[:MAX_EXAMPLES]))


def _check_unique(tables: dict[str, pa.Table]) -> list[Problem]:
    out = []
    for name, key in UNIQUE_KEYS.items():
        t = tables.get(name)
        if not _has(t, *key) or not t.num_rows:
            continue
        seen, dups = set(), []
        for row in zip(*(t.column(k).to_pylist() for k in key)):
            if row in seen:
                dups.append(str(row))
            seen.add(row)
        if dups:
            out.append(Problem(name, f"duplicate {'/'.join(key)}", len(dups), tuple(dups[:MAX_EXAMPLES])))
    return out


def _check_allowed(tables: dict[str, pa.Table]) -> list[Problem]:
    out = []
    for (name, column), allowed in ALLOWED.items():
        t = tables.get(name)
        if not _has(t, column):
            continue
        bad = [v for v in t.column(column).to_pylist() if v not in allowed]
        if bad:
            out.append(Problem(name, f"{column} not in {allowed}", len(bad), tuple(map(str, bad[:MAX_EXAMPLES]))))
    return out


def _check_spans(tables: dict[str, pa.Table]) -> list[Problem]:
    if not _has(tables["articles"], "article_id", "body"):
        return []
    bodies = dict(zip(tables["articles"].column("article_id").to_pylist(), tables["articles"].column("body").to_pylist()))
    out = []
    for name, text_col in SPAN_TABLES.items():
        t = tables.get(name)
        if not _has(t, "article_id", "start", "end") or not t.num_rows:
            continue
        cols = [t.column(c).to_pylist() for c in ("article_id", "start", "end")]
        texts = t.column(text_col).to_pylist() if _has(t, text_col or "") else [None] * t.num_rows
        bad = []
        for aid, s, e, text in zip(*cols, texts):
            body = bodies.get(aid)
            if body is None:
                continue  # reported by the reference check
            if not (0 <= s < e <= len(body)) or (text is not None and body[s:e] != text):
                bad.append(f"{aid}[{s}:{e}]")
        if bad:
            out.append(Problem(name, "offsets do not match articles.body", len(bad), tuple(bad[:MAX_EXAMPLES])))
    return out


def _ids(t: pa.Table | None, column: str) -> set:
    return set(t.column(column).to_pylist()) if _has(t, column) else set()


def _check_references(tables: dict[str, pa.Table]) -> list[Problem]:
    article_ids = _ids(tables["articles"], "article_id")
    entity_ids = _ids(tables.get("entities"), "entity_id")
    claim_ids = _ids(tables.get("claims"), "claim_id")
    checks = [
        ("articles", "duplicate_of", article_ids),
        ("sentences", "article_id", article_ids),
        ("mentions", "article_id", article_ids),
        ("mentions", "entity_id", entity_ids),
        ("claims", "article_id", article_ids),
        ("claims", "speaker_entity_id", entity_ids),
        ("quantities", "article_id", article_ids),
        ("quantities", "claim_id", claim_ids),
        ("time_expressions", "article_id", article_ids),
        ("time_expressions", "claim_id", claim_ids),
        ("claim_threads", "claim_id", claim_ids),
    ]
    out = []
    for name, column, targets in checks:
        t = tables.get(name)
        if not _has(t, column):
            continue
        bad = [v for v in t.column(column).to_pylist() if v is not None and v not in targets]
        if bad:
            out.append(Problem(name, f"{column} points to a missing row", len(bad), tuple(map(str, bad[:MAX_EXAMPLES]))))
    t = tables.get("claims")
    if _has(t, "subject_entity_ids"):
        bad = [e for ids in t.column("subject_entity_ids").to_pylist() for e in (ids or []) if e not in entity_ids]
        if bad:
            out.append(Problem("claims", "subject_entity_ids point to missing entities", len(bad), tuple(bad[:MAX_EXAMPLES])))
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
