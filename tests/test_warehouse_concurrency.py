"""A reader holding news.duckdb open keeps querying while build_warehouse rebuilds the same path; neither side breaks."""
from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from conftest import ROOT, write_tiny_tables
from pipeline.load.query import connect_readonly
from pipeline.load.warehouse import build_warehouse

# A notebook kernel, in short: open read-only, then query in a loop until stdin closes.
READER = r"""
import sys
from pipeline.load.query import connect_readonly
con = connect_readonly(sys.argv[1])
print("ready", flush=True)
seen, errors = set(), []
import select
while not select.select([sys.stdin], [], [], 0)[0]:
    try:
        seen.add(con.execute("SELECT count(*) FROM unique_articles").fetchone()[0])
        con.execute("SELECT * FROM top_entities").fetchall()
        con.execute("SELECT * FROM mentions_of('Ford')").fetchall()
        con.execute("SELECT * FROM search_articles('batteria')").fetchall()
    except Exception as exc:
        errors.append(repr(exc))
        break
print("seen", sorted(seen), "errors", errors, flush=True)
"""


def test_reader_process_keeps_its_file_while_a_rebuild_swaps_in_a_new_one(tmp_path):
    big = write_tiny_tables(tmp_path / "big")  # 3 unique articles
    small = write_tiny_tables(tmp_path / "small", articles=("a_D",))  # 1 article
    db = tmp_path / "news.duckdb"
    build_warehouse(big, db)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "ready"
        for source in (small, big, small):  # three swaps while the reader is busy
            build_warehouse(source, db)
        con = connect_readonly(db)  # a new connection sees the newest file
        assert con.execute("SELECT count(*) FROM unique_articles").fetchone()[0] == 1
        con.close()
        out, err = reader.communicate("stop\n", timeout=60)
    finally:
        if reader.poll() is None:
            reader.kill()
            reader.wait(timeout=10)
    assert reader.returncode == 0, err
    assert out.strip() == "seen [3] errors []", out  # the old connection read its own file throughout
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["news.duckdb"]


def test_reader_in_the_same_process_survives_rebuilds_and_reconnects_to_new_data(tmp_path):
    """In one process duckdb caches databases by path; connect_readonly still sees each new file."""
    big = write_tiny_tables(tmp_path / "big")
    small = write_tiny_tables(tmp_path / "small", articles=("a_D",))
    db = tmp_path / "news.duckdb"
    build_warehouse(big, db)
    old = connect_readonly(db)
    stop, seen, errors = threading.Event(), set(), []

    def keep_reading():
        cur = old.cursor()
        cur.execute("USE news")  # a cursor starts in the in-memory catalog (see connect_readonly)
        while not stop.is_set():
            try:
                seen.add(cur.execute("SELECT count(*) FROM unique_articles").fetchone()[0])
                cur.execute("SELECT * FROM claims_about('Ford')").fetchall()
            except Exception as exc:  # noqa: BLE001 - the assertion below reports it
                errors.append(repr(exc))
                return
            time.sleep(0.005)

    thread = threading.Thread(target=keep_reading)
    thread.start()
    try:
        build_warehouse(small, db)
        new = connect_readonly(db)
        assert new.execute("SELECT count(*) FROM unique_articles").fetchone()[0] == 1
        new.close()
        build_warehouse(big, db)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not errors and seen == {3}
    assert old.execute("SELECT count(*) FROM articles").fetchone()[0] == 4
    old.close()
    latest = connect_readonly(Path(db))
    assert latest.execute("SELECT count(*) FROM unique_articles").fetchone()[0] == 3
    latest.close()
