"""Dirty raw folders: every file becomes an article or a reject with a specific reason; the build never aborts."""
import json
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.cli import main

ARTICLE = (
    "Stellantis ha annunciato un nuovo piano per lo stabilimento di Mirafiori. "
    "Secondo il gruppo, la produzione della 500 ibrida partirà a novembre con 100.000 unità l'anno."
)


def make_bad_corpus(raw: Path) -> dict[str, str | None]:
    """Write one file per kind of bad input; return relative path -> expected reject reason (None = article)."""
    raw.mkdir(parents=True, exist_ok=True)
    expect: dict[str, str | None] = {}

    def put(name, data, reason):
        p = raw / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        expect[name] = reason

    put("empty.txt", b"", "empty")
    put("spazi.txt", b"   \n\n\t  \r\n", "empty")
    put("binario.txt", bytes(range(256)) * 40, "binary")
    put("immagine.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "binary")
    put("troncato.txt", (" date 2025-03-01 " + ARTICLE + " Perché").encode()[:-1], None)
    put("cp1252.txt", (" date 2025-03-02 " + ARTICLE + " Città, perché “sì” – è così.").encode("cp1252"), None)
    put("latin1.txt", (" date 2025-03-03 Il governo italiano e la società piemontese hanno firmato l'intesa: è già operativa.").encode("latin-1"), None)
    put("crlf.txt", (" date 2025-03-04 Prima riga dell'articolo su Ferrari.\r\n\r\nSeconda riga con la casa di Maranello.\r\n").encode(), None)
    put("grande.txt", b"a" * (20 * 1024 * 1024), "oversized")
    put("una riga.txt", "Leapmotor cresce in Europa.", None)
    put("senza punteggiatura.txt", "Leapmotor cresce in Europa e Stellantis guarda alla Cina con interesse crescente", None)
    put("solo boilerplate.txt", "Crediti: Xiaomi\n63 CONDIVISIONI\nvideo suggerito\n", "no_text")
    put("data impossibile.txt", " date 2025-13-45 " + ARTICLE, None)
    put("data futura.txt", " date 2099-01-01 " + ARTICLE, None)
    put("inglese.txt", "Ford has reportedly opened preliminary talks with Xiaomi about a joint venture to build electric vehicles in the United States.", None)
    put(
        "pagina.html",
        "<html><head><title>Ferrari elettrica</title><script>document.title='HACK'; fetch('http://example.invalid')</script></head>"
        "<body><nav>Menu Home Contatti</nav><article><h1>Ferrari elettrica</h1><p>" + ARTICLE + "</p><p>" + ARTICLE.replace("Stellantis", "Ferrari")
        + "</p></article><script>alert(1)</script></body></html>",
        None,
    )
    lines = [
        json.dumps({"title": "Uno", "text": ARTICLE, "date": "2025-01-10", "url": "https://example.org/1"}),
        '{"title": "rotto", "text": "manca la chiusura',
        json.dumps({"title": "Senza testo", "date": "2025-01-11"}),
        json.dumps(["non", "un", "oggetto"]),
        json.dumps({"title": "Due", "body": ARTICLE.replace("Mirafiori", "Cassino"), "date": "2025-01"}),
    ]
    put("record.jsonl", "\n".join(lines) + "\n", None)
    csv_text = (
        'title,text,date,url\n'
        '"Con a capo","Prima riga, con virgola\nseconda riga con ""virgolette"" e Ferrari.",2025-02-01,\n'
        '"Riga rotta","solo due campi"\n'
        f'"Buona","{ARTICLE}",2025-02-02,https://example.org/2\n'
    )
    put("tabella.csv", csv_text, None)
    put("città e àccenti/articolo con spazi ü.txt", " date 2025-04-01 " + ARTICLE.replace("Mirafiori", "Melfi"), None)
    put("copia.txt", " date 2025-03-01 " + ARTICLE.replace("Mirafiori", "Pomigliano"), None)
    put("copia identica.txt", " date 2025-03-01 " + ARTICLE.replace("Mirafiori", "Pomigliano"), None)
    put("note.docx", b"PK\x03\x04 not really a docx", "unsupported_type")
    (raw / "link rotto.txt").symlink_to(raw / "non esiste.txt")
    expect["link rotto.txt"] = "broken_symlink"
    (raw / "loop_a.txt").symlink_to(raw / "loop_b.txt")
    (raw / "loop_b.txt").symlink_to(raw / "loop_a.txt")
    expect["loop_a.txt"] = "broken_symlink"
    expect["loop_b.txt"] = "broken_symlink"
    locked = raw / "illeggibile.txt"
    locked.write_text(ARTICLE.replace("Mirafiori", "Termoli"), encoding="utf-8")
    locked.chmod(0)
    # root reads anything: then the file is an article, otherwise an `unreadable` reject.
    expect["illeggibile.txt"] = None if os.geteuid() == 0 else "unreadable"
    return expect


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory):
    raw = tmp_path_factory.mktemp("bad") / "raw"
    out = raw.parent / "out"
    expect = make_bad_corpus(raw)
    code = main(["build", "--raw", str(raw), "--out", str(out), "--workers", "1", "--no-load"])
    articles = pq.read_table(out / "articles.parquet").to_pylist()
    rejects = pq.read_table(out / "rejects.parquet").to_pylist()
    yield code, expect, articles, rejects
    (raw / "illeggibile.txt").chmod(0o644)


def test_build_finishes_with_exit_zero(bad_build):
    assert bad_build[0] == 0


def test_every_file_is_accounted_for(bad_build):
    _, expect, articles, rejects = bad_build
    art_files = {a["source_path"].split("#")[0] for a in articles}
    rej = {}
    for r in rejects:
        rej.setdefault(r["source_path"].split("#")[0], set()).add(r["reason"])
    for name, reason in expect.items():
        assert name in art_files or name in rej, f"{name} is neither an article nor a reject"
        if reason is None:
            assert name in art_files, f"{name} should be an article, got rejects {rej.get(name)}"
        else:
            assert reason in rej.get(name, set()), f"{name}: expected reject {reason}, got {rej.get(name)}"


def test_records_of_multi_record_files(bad_build):
    _, _, articles, rejects = bad_build
    by_src = {a["source_path"]: a for a in articles}
    assert {"record.jsonl#1", "record.jsonl#5", "tabella.csv#1", "tabella.csv#3"} <= set(by_src)
    reasons = {r["source_path"]: r["reason"] for r in rejects}
    assert reasons["record.jsonl#2"] == "bad_record"
    assert reasons["record.jsonl#3"] == "missing_field"
    assert reasons["record.jsonl#4"] == "bad_record"
    assert reasons["tabella.csv#2"] == "bad_record"
    assert by_src["tabella.csv#1"]["body"] == 'Prima riga, con virgola\nseconda riga con "virgolette" e Ferrari.'
    assert by_src["record.jsonl#1"]["published"].isoformat() == "2025-01-10"
    assert by_src["record.jsonl#5"]["date_precision"] == "month"
    assert by_src["record.jsonl#1"]["url"] == "https://example.org/1"


def test_encodings_newlines_and_flags(bad_build):
    _, _, articles, rejects = bad_build
    by_src = {a["source_path"]: a for a in articles}
    assert by_src["cp1252.txt"]["encoding"] == "cp1252" and "“sì” – è così." in by_src["cp1252.txt"]["body"]
    assert "società piemontese" in by_src["latin1.txt"]["body"]
    assert by_src["troncato.txt"]["encoding"] == "utf-8-truncated"
    assert "\r" not in by_src["crlf.txt"]["body"] and by_src["crlf.txt"]["body"].count("\n") == 2
    assert by_src["data impossibile.txt"]["published"] is None and "invalid_date" in by_src["data impossibile.txt"]["flags"]
    assert any(r["source_path"] == "data impossibile.txt" and r["reason"] == "invalid_date" for r in rejects)
    assert "future_date" in by_src["data futura.txt"]["flags"]
    assert by_src["inglese.txt"]["language"] == "en" and "non_italian" in by_src["inglese.txt"]["flags"]
    assert by_src["una riga.txt"]["n_sentences"] == 1


def test_html_is_parsed_not_executed(bad_build):
    _, _, articles, _ = bad_build
    page = next(a for a in articles if a["source_path"] == "pagina.html")
    assert "Stellantis ha annunciato" in page["body"]
    assert "alert" not in page["body"] and "fetch(" not in page["body"] and "Menu Home" not in page["body"]
    assert page["title"] == "Ferrari elettrica"


def test_duplicate_files_point_to_one_copy(bad_build):
    _, _, articles, _ = bad_build
    by_src = {a["source_path"]: a for a in articles}
    a, b = by_src["copia identica.txt"], by_src["copia.txt"]
    assert a["article_id"] != b["article_id"] and a["content_hash"] == b["content_hash"]
    # same date: the earliest by path ("copia identica.txt" < "copia.txt") is the original
    assert a["duplicate_of"] is None and b["duplicate_of"] == a["article_id"] and b["duplicate_kind"] == "exact"


def test_ids_unique(bad_build):
    _, _, articles, _ = bad_build
    ids = [a["article_id"] for a in articles]
    assert len(ids) == len(set(ids))
