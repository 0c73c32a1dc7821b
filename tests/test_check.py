"""`python -m pipeline check`: passes on a clean build, reports broken offsets, ids and references."""
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.check import check_tables, format_report
from pipeline.cli import main
from pipeline.config import RAW_DIR


@pytest.fixture(scope="module")
def clean_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("check")
    assert main(["build", "--raw", str(RAW_DIR), "--out", str(out), "--workers", "1", "--no-load"]) == 0
    return out


def test_clean_build_passes(clean_out, capsys):
    assert check_tables(clean_out) == []
    assert main(["check", "--out", str(clean_out)]) == 0
    assert "all tables match" in capsys.readouterr().out


def _copy(clean_out, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(clean_out, out)
    return out


def test_broken_offsets_duplicate_ids_and_dangling_refs(clean_out, tmp_path, capsys):
    out = _copy(clean_out, tmp_path)
    sent = pq.read_table(out / "sentences.parquet")
    starts = sent.column("start").to_pylist()
    starts[0] = 10_000_000
    sent = sent.set_column(sent.schema.get_field_index("start"), "start", pa.array(starts, pa.int32()))
    pq.write_table(sent, out / "sentences.parquet")
    arts = pq.read_table(out / "articles.parquet")
    dup = arts.to_pylist()
    dup[1]["article_id"] = dup[0]["article_id"]
    dup[2]["duplicate_of"] = "a_missing"
    pq.write_table(pa.Table.from_pylist(dup, schema=arts.schema), out / "articles.parquet")
    problems = {(p.table, p.rule) for p in check_tables(out)}
    assert ("sentences", "offsets do not match articles.body") in problems
    assert ("articles", "duplicate article_id") in problems
    assert ("articles", "duplicate_of points to a missing row") in problems
    assert main(["check", "--out", str(out)]) == 1
    report = capsys.readouterr().out
    assert "problem(s) found" in report and "a_missing" in report


def test_missing_column_and_wrong_type(clean_out, tmp_path):
    out = _copy(clean_out, tmp_path)
    rej = pa.table({"source_path": pa.array(["x"]), "reason": pa.array([1])})
    pq.write_table(rej, out / "rejects.parquet")
    rules = {(p.table, p.rule) for p in check_tables(out)}
    assert ("rejects", "columns missing") in rules and ("rejects", "column types differ from schema.py") in rules


def test_report_format():
    assert format_report([]).startswith("check: all tables")


def test_wrong_surface_found_by_the_streaming_walk_and_by_sql(clean_out, tmp_path):
    """The streaming pass (tables in article order) and the SQL form (any order) report the same broken row."""
    out = _copy(clean_out, tmp_path)
    ments = pq.read_table(out / "mentions.parquet")
    surfaces = ments.column("surface").to_pylist()
    surfaces[3] = surfaces[3] + "x"
    ments = ments.set_column(ments.schema.get_field_index("surface"), "surface", pa.array(surfaces))
    pq.write_table(ments, out / "mentions.parquet")
    walked = [p for p in check_tables(out) if p.table == "mentions"]
    assert [(p.rule, p.count) for p in walked] == [("offsets do not match articles.body", 1)]
    pq.write_table(ments.take(list(range(ments.num_rows))[::-1]), out / "mentions.parquet")  # out of article order
    by_sql = [p for p in check_tables(out) if p.table == "mentions"]
    assert [(p.rule, p.count, p.examples) for p in by_sql] == [(p.rule, p.count, p.examples) for p in walked]


def test_a_second_check_compares_only_the_spans_that_changed(clean_out, tmp_path, monkeypatch):
    """A clean check records what it validated; the next one walks only articles whose body or spans differ,
    and finds exactly what a full check finds."""
    import pipeline.check as check

    out = _copy(clean_out, tmp_path)
    assert check_tables(out) == []
    assert list((out / ".cache" / "check").glob("spans-*.parquet"))
    walked = []
    walk = check._walk_spans
    monkeypatch.setattr(check, "_walk_spans", lambda o, name, text_col, only=None, articles=None: walked.append((name, only)) or walk(o, name, text_col, only, articles))
    assert check_tables(out) == []
    assert walked == []  # nothing changed: no span compared again
    ments = pq.read_table(out / "mentions.parquet")
    surfaces = ments.column("surface").to_pylist()
    surfaces[3] = surfaces[3] + "x"
    broken_article = ments.column("article_id")[3].as_py()
    pq.write_table(ments.set_column(ments.schema.get_field_index("surface"), "surface", pa.array(surfaces)), out / "mentions.parquet")
    found = check_tables(out)
    assert [(name, only.to_pylist()) for name, only in walked] == [("mentions", [broken_article])]
    assert [(p.table, p.rule, p.count) for p in found] == [("mentions", "offsets do not match articles.body", 1)]
    assert found == check_tables(out, incremental=False)
    walked.clear()
    assert check_tables(out) == found  # a failed check recorded nothing: the broken row is compared again
    assert [name for name, _ in walked] == ["mentions"]


def test_a_changed_body_is_compared_again(clean_out, tmp_path):
    out = _copy(clean_out, tmp_path)
    assert check_tables(out) == []
    arts = pq.read_table(out / "articles.parquet")
    bodies = arts.column("body").to_pylist()
    bodies[0] = "X" + bodies[0][1:]  # same length, another first character: spans starting at 0 break
    pq.write_table(arts.set_column(arts.schema.get_field_index("body"), "body", pa.array(bodies)), out / "articles.parquet")
    full = check_tables(out, incremental=False)
    assert full and {p.rule for p in full} == {"offsets do not match articles.body"}
    assert check_tables(out) == full


def test_changed_articles_far_apart_are_found(clean_out, tmp_path):
    """The filtered walk skips whole batches of articles (none of them changed) between two changed ones."""
    import pipeline.check as check

    out = _copy(clean_out, tmp_path)
    assert check_tables(out) == []
    sent = pq.read_table(out / "sentences.parquet")
    ends = sent.column("end").to_pylist()
    ends[0], ends[-1] = 10_000_000, 10_000_000
    pq.write_table(sent.set_column(sent.schema.get_field_index("end"), "end", pa.array(ends, pa.int32())), out / "sentences.parquet")
    first, last = sent.column("article_id")[0].as_py(), sent.column("article_id")[-1].as_py()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(check.io, "iter_batches", lambda o, name, columns=None, batch_size=1000, _f=check.io.iter_batches: _f(o, name, columns, 1))
        found = check_tables(out)
    assert [(p.table, p.count) for p in found] == [("sentences", 2)]
    assert set(found[0].examples) == {f"{first}[{sent.column('start')[0].as_py()}:10000000]", f"{last}[{sent.column('start')[-1].as_py()}:10000000]"}
