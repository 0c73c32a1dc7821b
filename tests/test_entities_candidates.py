"""Review path: `python -m pipeline entities candidates` lists discovered entities to promote into the KB."""
from __future__ import annotations

import subprocess
import sys

import pytest

from pipeline.errors import MissingInputError
from pipeline.extract.entities.candidates import context, format_candidates, kb_row, list_candidates, slug
from pipeline.io import write_table
from pipeline.schema import to_arrow

BODY_1 = "Secondo Mikael Kubu, curatore, la fabbrica di Skellefteå resta aperta. Kubu ha parlato ieri."
BODY_2 = "A Skellefteå si lavora ancora."


def _entity(eid, name, typ, origin):
    return {"entity_id": eid, "name": name, "type": typ, "aliases": [], "origin": origin, "wikidata_id": None, "country": None, "parent_id": None, "n_articles": 1, "n_mentions": 1}


def _mention(aid, eid, body, surface, method="discovered", nth=0):
    start = -1
    for _ in range(nth + 1):
        start = body.index(surface, start + 1)
    return {"article_id": aid, "sentence_id": 0, "entity_id": eid, "start": start, "end": start + len(surface), "surface": surface, "method": method, "confidence": 0.6}


@pytest.fixture()
def out_dir(tmp_path):
    articles = [
        {"article_id": "a1", "source_path": "1.txt", "body": BODY_1, "date_precision": "unknown", "content_hash": "h1"},
        {"article_id": "a2", "source_path": "2.txt", "body": BODY_2, "date_precision": "unknown", "content_hash": "h2"},
        {"article_id": "a3", "source_path": "3.txt", "body": BODY_2, "date_precision": "unknown", "content_hash": "h2", "duplicate_of": "a2"},
    ]
    entities = [
        _entity("d_kubu", "Mikael Kubu", "PER", "discovered"),
        _entity("d_skel", "Skellefteå", "LOC", "discovered"),
        _entity("org:northvolt", "Northvolt", "ORG", "kb"),
    ]
    mentions = [
        _mention("a1", "d_kubu", BODY_1, "Mikael Kubu"),
        _mention("a1", "d_kubu", BODY_1, "Kubu", "partial_name", nth=1),
        _mention("a1", "d_skel", BODY_1, "Skellefteå"),
        _mention("a2", "d_skel", BODY_2, "Skellefteå"),
        _mention("a3", "d_skel", BODY_2, "Skellefteå"),  # in a duplicate article: not counted
    ]
    write_table(tmp_path, "articles", to_arrow("articles", articles))
    write_table(tmp_path, "entities", to_arrow("entities", entities))
    write_table(tmp_path, "mentions", to_arrow("mentions", mentions))
    return tmp_path


def test_candidates_by_frequency_with_examples_and_kb_rows(out_dir):
    rows = list_candidates(out_dir, limit=10, min_count=1)
    # as many mentions: the one in more articles first
    assert [(r["name"], r["type"], r["n_mentions"], r["n_articles"]) for r in rows] == [("Skellefteå", "LOC", 2, 2), ("Mikael Kubu", "PER", 2, 1)]
    skel, kubu = rows
    assert kubu["surfaces"] == ["Kubu", "Mikael Kubu"]
    assert kubu["examples"][0] == "Secondo [Mikael Kubu], curatore, la fabbrica di Skellefteå resta aperta. Kubu ha …"
    assert kubu["kb_file"] == "data/reference/kb/people.csv"
    assert kubu["kb_row"] == "per:mikael-kubu,Mikael Kubu,PER,Kubu,,,,,,,,"
    assert skel["examples"] == [
        "Secondo Mikael Kubu, curatore, la fabbrica di [Skellefteå] resta aperta. Kubu ha parlato ieri.",
        "A [Skellefteå] si lavora ancora.",
    ]
    assert skel["kb_row"] == "loc:skelleftea,Skellefteå,LOC,,,,,,,,,"


def test_limit_and_min_count(out_dir):
    assert [r["name"] for r in list_candidates(out_dir, limit=1, min_count=1)] == ["Skellefteå"]
    assert list_candidates(out_dir, limit=10, min_count=3) == []


def test_format_says_how_to_promote(out_dir):
    text = format_candidates(list_candidates(out_dir, limit=10, min_count=1))
    assert "1. Skellefteå  [LOC]  2 mentions in 2 articles  (d_skel)" in text
    assert "2. Mikael Kubu  [PER]  2 mentions in 1 article  (d_kubu)" in text
    assert "KB row for data/reference/kb/places.csv: loc:skelleftea,Skellefteå,LOC,,,,,,,,," in text
    assert "To promote a candidate" in text and "make all" in text
    assert format_candidates([]).startswith("No discovered entities")


def test_missing_tables_raise_a_hint(tmp_path):
    with pytest.raises(MissingInputError, match="entities"):
        list_candidates(tmp_path, limit=10, min_count=1)


def test_helpers():
    assert slug("Zhu Jiangming") == "zhu-jiangming" and slug("Citroën C3") == "citroen-c3"
    assert context("abcdefghij", 3, 5, width=2) == "…bc[de]fg…"
    assert kb_row({"type": "ORG", "name": "Acme, Inc.", "surfaces": ["Acme, Inc.", "Acme", "l'azienda"], "parent_id": None}) == 'org:acme-inc,"Acme, Inc.",ORG,Acme,,,,,,,,'


def test_cli_prints_the_candidates(out_dir):
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "entities", "candidates", "--out", str(out_dir), "--limit", "5"], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    assert "Mikael Kubu" in proc.stdout and "Skellefteå" in proc.stdout
