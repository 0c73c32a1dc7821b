"""Synthetic corpus: deterministic, every input format, every file ingests, duplicates and boilerplate as promised."""
import datetime as dt
import hashlib
import random
from pathlib import Path

import pytest

from pipeline import io
from pipeline.cli import main
from pipeline.stages import run_ingest
from pipeline.synth import (
    FORMAT_WEIGHTS,
    SynthArticle,
    _it_int,
    _txt,
    compose_article,
    load_vocabulary,
    write_synthetic_corpus,
)

N = 120
TODAY = dt.date(2026, 11, 1)
BOILERPLATE_MARKERS = ("CONDIVISIONI", "Segui ", "Leggi anche", "Crediti:", "A cura di", "RIPRODUZIONE RISERVATA")


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    summary = write_synthetic_corpus(N, 7, out, workers=1)
    return out, summary


@pytest.fixture(scope="module")
def ingested(corpus, tmp_path_factory):
    raw, _ = corpus
    out = tmp_path_factory.mktemp("synth_out")
    summary = run_ingest(raw, out, workers=1, today=TODAY)
    return out, summary


def test_same_seed_same_bytes_for_any_worker_count(corpus, tmp_path):
    raw, summary = corpus
    again = write_synthetic_corpus(N, 7, tmp_path, workers=2)
    assert again == {**summary, "folder": str(tmp_path / "synth-s7")}
    assert _digest(tmp_path) == _digest(raw)


def test_other_seed_other_corpus_in_its_own_folder(corpus, tmp_path):
    raw, _ = corpus
    write_synthetic_corpus(20, 8, tmp_path, workers=1)
    assert [p.name for p in tmp_path.iterdir()] == ["synth-s8"]
    assert set(_digest(tmp_path).values()).isdisjoint(_digest(raw).values())


def test_every_format_is_written_and_counted(corpus):
    raw, summary = corpus
    root = Path(summary["folder"])
    assert summary["articles"] == N
    assert sum(summary["formats"].values()) == N
    for fmt, _ in FORMAT_WEIGHTS:
        assert summary["formats"][fmt] > 0, fmt
        assert list(root.glob(f"{fmt}/**/*.{fmt}")), fmt
    assert summary["files"] == sum(1 for p in root.rglob("*") if p.is_file())


def test_every_synthetic_file_ingests_without_rejects(ingested, corpus):
    out, summary = ingested
    _, synth = corpus
    assert summary["rejects"] == {}
    assert summary["articles"] == N
    assert summary["files"] == synth["files"]
    # exact copies are always found; a near copy may be found as exact when only boilerplate differed
    assert summary["duplicates"] >= synth["exact_duplicates"]


def test_articles_look_like_news(ingested):
    out, _ = ingested
    articles = io.read_table(out, "articles").to_pylist()
    lengths = sorted(a["n_chars"] for a in articles)
    assert 1500 <= lengths[len(lengths) // 2] <= 4500  # ~2-4 KB like real articles
    assert {a["language"] for a in articles} == {"it"}
    assert {a["date_precision"] for a in articles} >= {"day", "month", "unknown"}
    assert sum(a["boilerplate_removed"] for a in articles) > N / 2
    for a in articles:
        assert not any(marker in a["body"] for marker in BOILERPLATE_MARKERS), a["source_path"]
    text = " ".join(a["body"] for a in articles)
    for cue in ("avrebbe", "potrebbe", "smentit", "entro il", "«", "miliardi di"):
        assert cue in text, cue


def test_articles_differ_from_each_other():
    vocab = load_vocabulary()
    rng = random.Random(3)
    bodies = ["\n\n".join(compose_article(rng, vocab, k).paragraphs) for k in range(50)]
    assert len(set(bodies)) == 50
    first_sentences = {b.split(". ")[0] for b in bodies}
    assert len(first_sentences) > 25


def test_txt_header_follows_the_corpus_format():
    art = SynthArticle("T", ["Primo paragrafo.", "Secondo."], dt.date(2025, 2, 14), "day", "https://x.it/a")
    assert _txt(art) == " date 2025-02-14 Primo paragrafo.\n\nSecondo.\n"
    assert _txt(SynthArticle("T", ["Uno."], dt.date(2025, 2, 14), "month", "u")) == " date 2025-02 Uno.\n"
    assert _txt(SynthArticle("T", ["Uno."], dt.date(2025, 2, 14), "unknown", "u")) == "Uno.\n"


def test_italian_number_typography():
    assert _it_int(300000) == "300.000"
    assert _it_int(1200) == "1.200"
    assert _it_int(950) == "950"


def test_cli_synth_writes_the_corpus(tmp_path, capsys):
    assert main(["synth", "--n", "5", "--seed", "2", "--out", str(tmp_path)]) == 0
    assert "'articles': 5" in capsys.readouterr().out
    assert (tmp_path / "synth-s2").is_dir()
