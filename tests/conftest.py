"""Shared fixtures: corpora built once per session, a tiny hand-written warehouse, and rendered reports."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from pipeline import io
from pipeline.schema import to_arrow

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
BUILD_TIMEOUT_S = 300
REPORT_TIMEOUT_S = 300


# ---------------------------------------------------------------- corpora built once per session

@pytest.fixture(scope="session")
def built_seeds(tmp_path_factory) -> Path:
    """data/raw built through the CLI (`python -m pipeline build`) into a temp dir; holds news.duckdb."""
    out = tmp_path_factory.mktemp("seeds")
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", "--raw", str(ROOT / "data" / "raw"), "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S,
    )
    assert proc.returncode == 0, f"build of data/raw failed:\n{proc.stderr[-3000:]}"
    return out


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory) -> Path:
    """Every table filled with deterministic sample rows (300 articles): exercises every chart."""
    from pipeline.load.sample_tables import write_sample_tables
    from pipeline.load.warehouse import build_warehouse

    out = tmp_path_factory.mktemp("sample")
    write_sample_tables(out, n_articles=300, seed=7)
    build_warehouse(out)
    return out


@pytest.fixture(scope="session")
def empty_warehouse(tmp_path_factory) -> Path:
    """No Parquet at all: every table exists in news.duckdb, empty."""
    from pipeline.load.warehouse import build_warehouse

    out = tmp_path_factory.mktemp("empty")
    build_warehouse(out)
    return out


# ---------------------------------------------------------------- a tiny warehouse with exact rows

TINY_BODIES = {
    # A: day precision; B: month precision; C: exact duplicate of A; D: undated.
    "a_A": "Ford avrebbe avviato contatti con Xiaomi. Ford venderà 10 mila auto con batterie nuove.",
    "a_B": "Jim Farley ha confermato che Ford lavora con Ferrari. L'accordo con Ferrari vale 2 miliardi di euro.",
    "a_C": "Ford avrebbe avviato contatti con Xiaomi. Ford venderà 10 mila auto con batterie nuove.",
    "a_D": "Xiaomi prepara una nuova berlina elettrica.",
}
TINY_ENTITIES = [
    ("Q_ford", "Ford", "ORG", ["Ford Motor"]),
    ("Q_xiaomi", "Xiaomi", "ORG", ["Xiaomi Corp"]),
    ("Q_ferrari", "Ferrari", "ORG", []),
    ("Q_farley", "Jim Farley", "PER", ["Farley"]),
]


def _span(body: str, surface: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = body.index(surface, start + 1)
    return start, start + len(surface)


def _sentences(body: str) -> list[tuple[int, int]]:
    cut = body.index(". ") + 1
    return [(0, cut), (cut + 1, len(body))]


def write_tiny_tables(out: Path, articles: tuple[str, ...] = ("a_A", "a_B", "a_C", "a_D")) -> Path:
    """Write the contract tables for up to four hand-made articles (exact rows the tests assert on)."""
    meta = {
        "a_A": (dt.date(2025, 1, 15), "day", None),
        "a_B": (dt.date(2025, 2, 1), "month", None),
        "a_C": (dt.date(2025, 1, 20), "day", "a_A"),
        "a_D": (None, "unknown", None),
    }
    rows: dict[str, list[dict]] = {name: [] for name in ("articles", "sentences", "mentions", "claims", "quantities", "claim_threads", "rejects", "entities", "time_expressions")}
    for aid in articles:
        body = TINY_BODIES[aid]
        published, precision, dup = meta[aid]
        sents = _sentences(body) if ". " in body else [(0, len(body))]
        rows["articles"].append({
            "article_id": aid, "source_path": f"{aid}.txt", "title": body.split(".")[0], "title_derived": True,
            "body": body, "published": published, "date_precision": precision, "language": "it", "language_score": 0.99,
            "duplicate_of": dup, "duplicate_kind": "exact" if dup else None, "content_hash": f"h_{aid}", "encoding": "utf-8",
            "source_format": "txt", "url": None, "n_chars": len(body), "n_sentences": len(sents), "boilerplate_removed": 0, "flags": [],
        })
        for sid, (s, e) in enumerate(sents):
            rows["sentences"].append({"article_id": aid, "sentence_id": sid, "start": s, "end": e, "paragraph": 0, "is_heading": False})

        def mention(eid, surface, sid, nth=0):
            s, e = _span(body, surface, nth)
            rows["mentions"].append({"article_id": aid, "sentence_id": sid, "entity_id": eid, "start": s, "end": e, "surface": surface, "method": "kb_alias", "confidence": 1.0})

        def claim(sid, modality, subjects, speaker=None):
            s, e = sents[sid]
            rows["claims"].append({
                "claim_id": f"{aid}:{sid}", "article_id": aid, "sentence_id": sid, "start": s, "end": e, "text": body[s:e],
                "modality": modality, "modality_cue": None, "speaker": speaker[1] if speaker else None,
                "speaker_entity_id": speaker[0] if speaker else None, "quote": None, "subject_entity_ids": subjects,
                "predicate": "collaborare", "negated": False,
            })

        def quantity(surface, sid, value, unit, counted=None, claim_id=None):
            s, e = _span(body, surface)
            rows["quantities"].append({"article_id": aid, "claim_id": claim_id, "sentence_id": sid, "start": s, "end": e, "surface": surface, "value": value, "value_max": None, "unit": unit, "counted": counted, "qualifier": None})

        if aid in ("a_A", "a_C"):
            mention("Q_ford", "Ford", 0)
            mention("Q_xiaomi", "Xiaomi", 0)
            mention("Q_ford", "Ford", 1, nth=1)
            claim(0, "rumor", ["Q_ford", "Q_xiaomi"])
            quantity("10 mila auto", 1, 10000.0, "count", "auto")
        elif aid == "a_B":
            mention("Q_farley", "Jim Farley", 0)
            mention("Q_ford", "Ford", 0)
            mention("Q_ferrari", "Ferrari", 0)
            mention("Q_ferrari", "Ferrari", 1, nth=1)
            claim(0, "fact", ["Q_ferrari", "Q_ford"], speaker=("Q_farley", "Jim Farley"))
            quantity("2 miliardi di euro", 1, 2e9, "EUR")
        elif aid == "a_D":
            mention("Q_xiaomi", "Xiaomi", 0)
    if {"a_A", "a_B"} <= set(articles):
        for pos, (cid, aid, modality) in enumerate((("a_A:0", "a_A", "rumor"), ("a_B:0", "a_B", "fact"))):
            published = meta[aid][0]
            rows["claim_threads"].append({"thread_id": "t_1", "claim_id": cid, "article_id": aid, "position": pos, "published": published, "modality": modality, "entity_ids": ["Q_ford"], "predicate": "collaborare", "thread_status": "confirmed"})
    rows["rejects"].append({"source_path": "empty.txt", "reason": "empty", "detail": "the file is empty"})
    rows["entities"] = [
        {"entity_id": eid, "name": name, "type": etype, "aliases": aliases, "origin": "kb", "wikidata_id": None, "country": None, "parent_id": None, "n_articles": None, "n_mentions": None}
        for eid, name, etype, aliases in TINY_ENTITIES
    ]
    for name, table_rows in rows.items():
        io.write_table(out, name, to_arrow(name, table_rows))
    return out


@pytest.fixture
def tiny_out(tmp_path) -> Path:
    """Parquet tables of four hand-made articles (one day-dated, one month-dated, one duplicate, one undated)."""
    return write_tiny_tables(tmp_path / "tiny")


@pytest.fixture(scope="session")
def tiny_db(tmp_path_factory) -> Path:
    """news.duckdb built from the tiny tables, shared by the tests that only read it."""
    from pipeline.load.warehouse import build_warehouse

    out = write_tiny_tables(tmp_path_factory.mktemp("tiny-db"))
    build_warehouse(out)
    return out / "news.duckdb"


# ---------------------------------------------------------------- executed notebooks

def render_reports(db: Path, out_dir: Path) -> dict[str, Path | str]:
    """Execute every notebook against `db` through `python -m pipeline report`, in parallel.

    Returns notebook stem -> HTML path, or the error text when the notebook failed.
    """
    out_dir.mkdir(parents=True, exist_ok=True)

    def one(nb: Path) -> tuple[str, Path | str]:
        html = out_dir / f"{nb.stem}.html"
        proc = subprocess.run(
            [sys.executable, "-m", "pipeline", "report", "--notebook", str(nb), "--html", str(html), "--db", str(db)],
            cwd=ROOT, capture_output=True, text=True, timeout=REPORT_TIMEOUT_S,
        )
        return nb.stem, html if proc.returncode == 0 and html.exists() else (proc.stderr[-4000:] or f"exit {proc.returncode}")

    with ThreadPoolExecutor(max_workers=max(2, min(4, os.cpu_count() or 2))) as pool:
        return dict(pool.map(one, NOTEBOOKS))


@pytest.fixture(scope="session")
def seed_reports(built_seeds, tmp_path_factory) -> dict[str, Path | str]:
    return render_reports(built_seeds / "news.duckdb", tmp_path_factory.mktemp("reports-seeds"))


@pytest.fixture(scope="session")
def sample_reports(sample_warehouse, tmp_path_factory) -> dict[str, Path | str]:
    return render_reports(sample_warehouse / "news.duckdb", tmp_path_factory.mktemp("reports-sample"))


@pytest.fixture(scope="session")
def empty_reports(empty_warehouse, tmp_path_factory) -> dict[str, Path | str]:
    return render_reports(empty_warehouse / "news.duckdb", tmp_path_factory.mktemp("reports-empty"))


def seeds_plus_synthetic(raw: Path, n: int, seed: int) -> Path:
    """A raw folder with the five seed articles plus n synthetic ones (all input formats, some duplicates)."""
    import shutil

    from pipeline.config import RAW_DIR
    from pipeline.synth import write_synthetic_corpus

    for p in sorted(RAW_DIR.glob("*.txt")):
        shutil.copy(p, raw / p.name)
    write_synthetic_corpus(n, seed, raw, workers=1)
    return raw
