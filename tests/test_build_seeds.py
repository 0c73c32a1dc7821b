"""End-to-end: build on data/raw; dates, precisions, boilerplate, reproducibility, CLI behaviour."""
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.config import RAW_DIR
from pipeline.schema import TABLES

EXPECTED_DATES = {
    "000_566c310b579f20d9.txt": (dt.date(2026, 1, 31), "day"),
    "001_3879bace8f3d2aa6.txt": (dt.date(2024, 12, 1), "month"),
    "002_403b975aa3749926.txt": (dt.date(2025, 9, 24), "day"),
    "003_795dc3dfc091824a.txt": (None, "unknown"),
    "004_e96083f43500dfa7.txt": (dt.date(2025, 2, 1), "month"),
}
SEED_BOILERPLATE = [
    "Crediti: Xiaomi",
    "Segui Xiaomi Italia su Telegram, ricevi news e offerte per primo",
    "***** l’articolo pubblicato è ritenuto affidabile e di qualità*****",
    "Visita il sito e gli articoli pubblicati cliccando sul seguente link",
]


def build(out: Path, *extra: str) -> int:
    return main(["build", "--raw", str(RAW_DIR), "--out", str(out), "--workers", "1", *extra])


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds")
    assert build(out, "--no-load") == 0
    return out


def test_five_dates_and_precisions(seeds_out):
    rows = pq.read_table(seeds_out / "articles.parquet").to_pylist()
    assert {r["source_path"]: (r["published"], r["date_precision"]) for r in rows} == EXPECTED_DATES
    assert pq.read_table(seeds_out / "rejects.parquet").num_rows == 0


def test_no_boilerplate_survives_and_prose_kept(seeds_out):
    rows = pq.read_table(seeds_out / "articles.parquet").to_pylist()
    bodies = "\n".join(r["body"] for r in rows)
    for line in SEED_BOILERPLATE:
        assert line not in bodies
    assert not any(r["body"].startswith(" date") or r["body"].startswith("date ") for r in rows)
    assert "Dalla Cina al mondo, le auto elettriche di Xiaomi pronte al grande salto" in bodies  # subheading kept
    assert "Il Suv elettrico per Torino?" in bodies


def test_every_table_of_the_contract_is_written(seeds_out):
    for name, spec in TABLES.items():
        t = pq.read_table(seeds_out / f"{name}.parquet")
        assert t.schema.names == spec.column_names, name


def test_build_twice_is_identical(seeds_out, tmp_path):
    assert build(tmp_path, "--no-load") == 0
    for name in TABLES:
        a = pq.read_table(seeds_out / f"{name}.parquet")
        b = pq.read_table(tmp_path / f"{name}.parquet")
        assert a.equals(b), f"{name} differs between two builds"


def test_sentence_offsets_cover_body(seeds_out):
    arts = {r["article_id"]: r["body"] for r in pq.read_table(seeds_out / "articles.parquet").to_pylist()}
    for s in pq.read_table(seeds_out / "sentences.parquet").to_pylist():
        body = arts[s["article_id"]]
        assert 0 <= s["start"] < s["end"] <= len(body)
        assert body[s["start"] : s["end"]].strip() == body[s["start"] : s["end"]]


def test_missing_raw_folder_is_a_one_line_hint(tmp_path, capsys):
    code = main(["build", "--raw", str(tmp_path / "nope"), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.count("\n") == 0 and "does not exist" in err and "--raw" in err


def test_unwritable_output_is_a_one_line_hint(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code = main(["build", "--raw", str(RAW_DIR), "--out", str(blocker / "sub")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.count("\n") == 0 and "--out" in err


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["ingest", "--help"], ["extract", "--help"], ["load", "--help"], ["check", "--help"], ["sql", "--help"], ["entities", "candidates", "--help"], ["synth", "--help"]])
def test_help_everywhere(args):
    res = subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0 and "usage:" in res.stdout


def test_lock_prevents_two_builds(tmp_path, capsys):
    from pipeline.cli import build_lock
    from pipeline.errors import BuildLockedError

    with build_lock(tmp_path):
        with pytest.raises(BuildLockedError, match="another build is running"):
            with build_lock(tmp_path):
                pass
        code = main(["ingest", "--raw", str(RAW_DIR), "--out", str(tmp_path)])
        assert code == 3 and "another build is running" in capsys.readouterr().err
    with build_lock(tmp_path):  # released: can be taken again
        pass


def test_partition_by_month_build_reads_back_the_same_articles(seeds_out, tmp_path):
    import duckdb

    assert build(tmp_path, "--no-load", "--partition-by-month") == 0
    assert (tmp_path / "articles").is_dir() and (tmp_path / "articles" / "month=unknown").is_dir()
    con = duckdb.connect()
    got = con.execute("SELECT source_path, published FROM read_parquet(?, hive_partitioning=true) ORDER BY 1", [str(tmp_path / "articles" / "**" / "*.parquet")]).fetchall()
    want = con.execute("SELECT source_path, published FROM read_parquet(?) ORDER BY 1", [str(seeds_out / "articles.parquet")]).fetchall()
    assert got == want
