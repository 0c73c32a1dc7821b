"""SIGKILL a build at random points: previous outputs stay intact and readable; the next run equals a clean run."""
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from pipeline.config import RAW_DIR
from pipeline.schema import TABLES

pytestmark = pytest.mark.slow
KILLS = 5


def make_corpus(raw: Path, n: int = 120) -> None:
    """n articles made from the seeds' paragraphs, so a build lasts a few seconds."""
    paragraphs = []
    for f in sorted(RAW_DIR.glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        paragraphs += [p.strip() for p in text.split("\n") if len(p.strip()) > 80 and not p.startswith(" date")]
    rng = random.Random(7)
    raw.mkdir(parents=True)
    for i in range(n):
        body = "\n\n".join(rng.sample(paragraphs, 4))
        (raw / f"art_{i:04d}.txt").write_text(f" date 2025-{1 + i % 12:02d}-{1 + i % 28:02d} {body}\n", encoding="utf-8")


def run_build(raw: Path, out: Path) -> subprocess.Popen:
    env = {**os.environ, "PIPELINE_PROGRESS": "0"}
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "build", "--raw", str(raw), "--out", str(out), "--workers", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True,
    )


def snapshot(out: Path) -> dict:
    tables = {name: pq.read_table(out / f"{name}.parquet") for name in TABLES}
    con = duckdb.connect(str(out / "news.duckdb"), read_only=True)
    try:
        counts = {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in ("articles", "sentences")}
    finally:
        con.close()
    return {"tables": tables, "db_counts": counts}


def same(a: dict, b: dict) -> bool:
    return a["db_counts"] == b["db_counts"] and all(a["tables"][n].equals(b["tables"][n]) for n in TABLES)


def test_killed_builds_leave_outputs_intact(tmp_path):
    raw, out, clean = tmp_path / "raw", tmp_path / "out", tmp_path / "clean"
    make_corpus(raw)
    t0 = time.monotonic()
    assert run_build(raw, clean).wait(timeout=300) == 0
    duration = time.monotonic() - t0
    reference = snapshot(clean)
    assert run_build(raw, out).wait(timeout=300) == 0
    rng = random.Random(11)
    for _ in range(KILLS):
        proc = run_build(raw, out)
        time.sleep(rng.uniform(0.2, max(0.3, duration * 0.9)))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert same(snapshot(out), reference), "a killed build changed or broke the previous outputs"
    assert run_build(raw, out).wait(timeout=300) == 0
    assert same(snapshot(out), reference)
    assert not list(out.glob(".*.tmp*")), "temp files left behind after a completed build"
