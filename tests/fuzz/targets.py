"""Properties shared by the hypothesis tests and the atheris fuzzer: raw bytes in, valid tables out."""
import datetime as dt
import tempfile
from pathlib import Path

from pipeline.extract.run import ArticleInput, extract_article, load_extractors
from pipeline.ingest.readers import RawRecord, Reject, read_path
from pipeline.ingest.run import normalize_chunk

SUFFIXES = (".txt", ".jsonl", ".csv", ".html", ".bin")
TODAY = dt.date(2026, 1, 1)
SPAN_COLUMNS = (("mentions", "surface"), ("claims", "text"), ("quantities", "surface"), ("time_expressions", "surface"))


def check_one_file(data: bytes, workdir: Path | None = None) -> None:
    """One raw file of any type never raises, is accounted for, and every extracted span is valid."""
    workdir = workdir or Path(tempfile.mkdtemp(prefix="fuzz_ingest_"))
    if not data:
        data = b" "
    suffix = SUFFIXES[data[0] % len(SUFFIXES)]
    path = workdir / f"input{suffix}"
    path.write_bytes(data[1:])
    items = list(read_path(path.name, path))
    assert items and all(isinstance(i, (RawRecord, Reject)) for i in items)
    result = normalize_chunk((items, TODAY))
    accounted = {a.split("#")[0] for a in result.articles.column("source_path").to_pylist()}
    accounted |= {r["source_path"].split("#")[0] for r in result.rejects}
    assert path.name in accounted
    for art in result.articles.to_pylist():
        check_extraction(art["article_id"], art["body"], art["published"], art["date_precision"])


def check_extraction(article_id: str, body: str, published=None, precision: str = "unknown") -> None:
    """Every extractor on one body: offsets valid, ids unique, mentions point at returned entities."""
    out = extract_article(ArticleInput(article_id, body, published, precision), load_extractors())
    for table, col in SPAN_COLUMNS:
        for row in getattr(out, table):
            assert 0 <= row["start"] < row["end"] <= len(body), (table, row)
            assert body[row["start"] : row["end"]] == row[col], (table, row)
    entity_ids = {e["entity_id"] for e in out.entities}
    assert all(m["entity_id"] in entity_ids for m in out.mentions)
    claim_ids = [c["claim_id"] for c in out.claims]
    assert len(claim_ids) == len(set(claim_ids))
    for c in out.claims:
        assert c["speaker_entity_id"] is None or c["speaker_entity_id"] in entity_ids
        assert set(c.get("subject_entity_ids") or []) <= entity_ids
    for row in out.quantities + out.time_expressions:
        assert row["claim_id"] is None or row["claim_id"] in claim_ids
