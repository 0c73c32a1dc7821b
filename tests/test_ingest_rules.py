"""Unit tests for each ingest rule on tiny inline fixtures: dates, boilerplate, encodings, title, language."""
import datetime as dt

import pytest

from pipeline.errors import RecordRejected
from pipeline.ingest.decode import decode_bytes, normalize_text
from pipeline.ingest.normalize import derive_title, identify_language, normalize_record, parse_date, split_header, strip_boilerplate
from pipeline.ingest.readers import RawRecord, read_path, url_date
from pipeline.reference import boilerplate_patterns, load_yaml

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    "text, date, rest",
    [
        (" date 2026-01-31 Ford avrebbe avviato", "2026-01-31", "Ford avrebbe avviato"),
        (" date 2024-12 Le parole della casa", "2024-12", "Le parole della casa"),
        ("date 2025 Testo", "2025", "Testo"),
        ("Il motore della collaborazione", None, "Il motore della collaborazione"),
        (" date 2025-13-45 Testo", "2025-13-45", "Testo"),
        ("Update 2025-01-01 Testo", None, "Update 2025-01-01 Testo"),
    ],
)
def test_split_header(text, date, rest):
    assert split_header(text) == (date, rest)


@pytest.mark.parametrize(
    "value, expected, precision, problem",
    [
        ("2026-01-31", dt.date(2026, 1, 31), "day", None),
        ("2024-12", dt.date(2024, 12, 1), "month", None),
        ("2025", dt.date(2025, 1, 1), "year", None),
        ("2025-02-14T10:30:00Z", dt.date(2025, 2, 14), "day", None),
        ("14/02/2025", dt.date(2025, 2, 14), "day", None),
        (None, None, "unknown", None),
        ("", None, "unknown", None),
        ("2025-13-45", None, "unknown", "impossible date '2025-13-45'"),
        ("2025-02-30", None, "unknown", "impossible date '2025-02-30'"),
        ("2030-01-01", dt.date(2030, 1, 1), "day", "future_date"),
        ("ieri", None, "unknown", "unrecognized date 'ieri': write YYYY-MM-DD, YYYY-MM or YYYY"),
    ],
)
def test_parse_date(value, expected, precision, problem):
    got = parse_date(value, TODAY)
    assert (got.value, got.precision, got.problem) == (expected, precision, problem)


def test_every_boilerplate_example_is_removed():
    patterns = boilerplate_patterns()
    examples = [p["example"] for p in load_yaml("boilerplate.yaml")["patterns"]]
    assert len(examples) == len(patterns) >= 10
    for ex in examples:
        text, removed = strip_boilerplate(f"Prima frase.\n{ex}\nSeconda frase.", patterns)
        assert text == "Prima frase.\nSeconda frase.", ex
        assert removed == [ex]


@pytest.mark.parametrize(
    "line",
    [
        "Crediti: Xiaomi",
        "Segui Xiaomi Italia su Telegram, ricevi news e offerte per primo",
        "Leggi anche: Ferrari, la prima elettrica arriva a ottobre",
        "63 CONDIVISIONI",
        "A cura di Redazione Motori",
        "video suggerito",
        "Leggi su Motori.it",
        "***** l’articolo pubblicato è ritenuto affidabile e di qualità*****",
        "Visita il sito e gli articoli pubblicati cliccando sul seguente link",
        "Questo sito utilizza cookie tecnici e di profilazione. Continuando la navigazione accetti l’uso dei cookie.",
        "Condividi su WhatsApp",
        "Condividi questo articolo",
    ],
)
def test_corpus_boilerplate_lines_removed(line):
    _, removed = strip_boilerplate(line, boilerplate_patterns())
    assert removed == [line]


@pytest.mark.parametrize(
    "line",
    [
        "Dalla Cina al mondo, le auto elettriche di Xiaomi pronte al grande salto",
        "Piemonte-Michigan: l’asse industriale dell’auto guarda al futuro",
        "Il Suv elettrico per Torino?",
        "Benedetto Vigna col CEO di Leapmotor Zhu Jiangming",
        "Di preciso si parlerebbe di piccoli lotti di auto in diverse regioni.",
        "Foto e video del nuovo modello sono stati diffusi ieri dalla casa.",
        "Leggi e regolamenti europei cambiano il mercato.",
        "Segui il denaro, dicono gli analisti: i conti di Stellantis parlano chiaro.",
    ],
)
def test_prose_and_subheadings_are_kept(line):
    text, removed = strip_boilerplate(line, boilerplate_patterns())
    assert removed == [] and text == line


def test_decode_utf8_bom_cp1252_and_truncated():
    assert decode_bytes("Città più".encode()) == ("Città più", "utf-8")
    assert decode_bytes(b"\xef\xbb\xbf" + "Città".encode()) == ("Città", "utf-8-sig")
    assert decode_bytes("Città – perché “sì”".encode("cp1252")) == ("Città – perché “sì”", "cp1252")
    assert decode_bytes("Perché no".encode() + "è".encode()[:1]) == ("Perché no", "utf-8-truncated")


@pytest.mark.parametrize(
    "data, reason",
    [(b"", "empty"), (b"  \n\t\r\n ", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"), (b"abc\x00\x00\x01def" * 10, "binary")],
)
def test_decode_rejects(data, reason):
    with pytest.raises(RecordRejected) as exc:
        decode_bytes(data)
    assert exc.value.reason == reason


def test_normalize_text_newlines_and_spaces():
    assert normalize_text("a\r\nb\rc  \n\u200bd\u00a0e") == "a\nb\nc\nd e"


def test_derive_title_cuts_at_word_boundary():
    body = "Xiaomi venderà le sue auto elettriche anche al di fuori della Cina a partire dal 2027, accompagnando il debutto internazionale con un piano. Altro."
    title = derive_title(body)
    assert title.endswith("…") and len(title) <= 121 and body.startswith(title[:-1])
    assert derive_title("Breve titolo. Poi il resto.") == "Breve titolo."


def test_identify_language():
    assert identify_language("Ford avrebbe avviato contatti preliminari con Xiaomi per una joint venture negli Stati Uniti.")[0] == "it"
    assert identify_language("Ford has reportedly opened preliminary talks with Xiaomi about a joint venture in the United States.")[0] == "en"
    assert identify_language("ok") == (None, 0.0)


def test_normalize_record_keeps_invalid_date_article_and_flags_it():
    rec = RawRecord("x.txt", " date 2025-13-45 Stellantis ha annunciato un nuovo piano industriale per l'Italia.", "txt", "utf-8", has_header=True)
    article, sentences, rejects = normalize_record(rec, boilerplate_patterns(), TODAY)
    assert article["published"] is None and article["date_precision"] == "unknown"
    assert article["body"].startswith("Stellantis ha annunciato")
    assert "invalid_date" in article["flags"]
    assert [(r.reason, r.source_path) for r in rejects] == [("invalid_date", "x.txt")]
    assert len(sentences) == 1


def test_normalize_record_only_boilerplate_is_rejected():
    rec = RawRecord("y.txt", "Crediti: Xiaomi\n63 CONDIVISIONI\n", "txt", "utf-8", has_header=True)
    with pytest.raises(RecordRejected) as exc:
        normalize_record(rec, boilerplate_patterns(), TODAY)
    assert exc.value.reason == "no_text"


def test_article_id_is_stable_and_content_derived():
    rec = RawRecord("z.txt", " date 2025-02 Leapmotor cresce.", "txt", "utf-8", has_header=True)
    a1, _, _ = normalize_record(rec, boilerplate_patterns(), TODAY)
    a2, _, _ = normalize_record(rec, boilerplate_patterns(), TODAY)
    assert a1["article_id"] == a2["article_id"] == "a_" + __import__("hashlib").sha256(f"{a1['content_hash']}|z.txt".encode()).hexdigest()[:16]
    rec2 = RawRecord("z.txt", " date 2025-02 Leapmotor cresce ancora.", "txt", "utf-8", has_header=True)
    assert normalize_record(rec2, boilerplate_patterns(), TODAY)[0]["article_id"] != a1["article_id"]


# ---------------------------------------------------------------- fast paths give the same results

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from pipeline.text import split_sentences  # noqa: E402

TITLE_BITS = ["Ford avrebbe avviato contatti", ". ", "Il gruppo", " dott. Rossi", "\n", "\n\n", " ", "x" * 700, "«Sì.» ", "A. Un", "…"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(TITLE_BITS), min_size=1, max_size=12))
def test_derive_title_with_the_body_sentences_is_the_same(bits):
    body = "".join(bits).strip() or "x"
    assert derive_title(body, split_sentences(body)) == derive_title(body)


def test_derive_title_long_first_line_falls_back_to_the_prefix():
    body = "Parola " * 400 + "fine. Seconda frase."
    assert derive_title(body, split_sentences(body)) == derive_title(body)


def _one_by_one(text, patterns):
    kept, removed = [], []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and any(p.regex.fullmatch(stripped) for p in patterns):
            removed.append(stripped)
        else:
            kept.append(line)
    return kept, removed


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([e for e in (p.example for p in boilerplate_patterns()) if e] + ["Testo normale.", "di Marco", "DI MARCO ROSSI", "63 condivisioni x", ""]), max_size=8))
def test_combined_boilerplate_regex_equals_patterns_one_by_one(lines):
    patterns = boilerplate_patterns()
    text = "\n".join(lines)
    _, removed = strip_boilerplate(text, patterns)
    assert removed == _one_by_one(text, patterns)[1]


def test_boilerplate_with_group_reference_is_matched_one_by_one():
    import re

    from pipeline.reference import BoilerplatePattern

    patterns = (BoilerplatePattern("twice", re.compile(r"(\w+) \1", re.IGNORECASE), None), BoilerplatePattern("x", re.compile("Fine"), None))
    assert strip_boilerplate("ciao CIAO\nciao mondo\nFine\nfine", patterns) == ("ciao mondo\nfine", ["ciao CIAO", "Fine"])


def test_fast_language_identifier_equals_py3langid():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from pipeline.ingest.language import language_identifier

    reference = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    texts = ["", "Ciao", "Stellantis ha annunciato un nuovo piano per Mirafiori.", "Ford has opened talks with Xiaomi.", "日本語のテキスト", "ÀÈ 😀 " * 50, "a" * 1000]
    for text in texts:
        assert language_identifier().classify(text) == reference.classify(text)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_fast_feature_counts_equal_py3langid_walk(data):
    from py3langid.langid import visit_counts

    from pipeline.ingest.language import language_identifier

    ident = language_identifier()
    ids, counts = ident.feature_counts(data)
    expected = visit_counts(ident.tk_nextmove, ident._rowbase, ident.tk_output, data)
    assert list(zip(ids.tolist(), counts.tolist())) == list((expected or {}).items())


def test_model_trie_depth_is_the_window():
    from pipeline.ingest.language import MODEL_TRIE_DEPTH, language_identifier, trie_depth

    ident = language_identifier()
    assert trie_depth(ident._next, ident._row_base) <= MODEL_TRIE_DEPTH


def _walk_listing(raw_dir):
    """The first listing: os.walk, folders sorted, symbolic links to folders listed as files."""
    import os
    from pathlib import Path

    raw_dir = Path(raw_dir)
    for root, dirs, files in os.walk(raw_dir, followlinks=False):
        dirs.sort()
        for name in sorted(files + [d for d in dirs if os.path.islink(os.path.join(root, d))]):
            path = Path(root) / name
            yield path.relative_to(raw_dir).as_posix(), path


def test_list_raw_files_same_order_as_os_walk(tmp_path):
    from pipeline.ingest.readers import list_raw_files

    raw = tmp_path / "raw"
    for rel in ["z.txt", "a/x.txt", "a/b/y.txt", "B/q.csv", "c d/sp ace.txt", "à/è.txt", "a.txt"]:
        (raw / rel).parent.mkdir(parents=True, exist_ok=True)
        (raw / rel).write_text("x")
    (raw / "link").symlink_to(raw / "a")
    (raw / "a" / "broken").symlink_to(raw / "nowhere")
    (raw / "empty").mkdir()
    assert [(r, str(p)) for r, p in list_raw_files(raw)] == [(r, str(p)) for r, p in _walk_listing(raw)]
    assert [(r, str(p)) for r, p in list_raw_files(str(raw) + "/")] == [(r, str(p)) for r, p in _walk_listing(str(raw) + "/")]
    assert list(list_raw_files(tmp_path / "missing")) == []


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://www.example.it/2025/01/ford-xiaomi", "2025-01"),
        ("https://www.example.it/auto/2024/12/05/leapmotor.html", "2024-12-05"),
        ("https://www.example.it/news/2024-12-05-ferrari", "2024-12-05"),
        ("https://www.example.it/2025/01", "2025-01"),
        ("https://www.example.it/2025/13/x", None),  # no month 13
        ("https://www.example.it/p/123456/2024", None),  # a year alone is no date
        ("https://www.example.it/20250115/x", None),
        (None, None),
    ],
)
def test_url_date(url, expected):
    assert url_date(url) == expected


PAGE = (
    "<!DOCTYPE html><html lang='it'><head><meta charset='utf-8'><title>Stellantis e Leapmotor</title>"
    "<link rel='canonical' href='https://www.example.it/2025/03/stellantis-leapmotor'>{meta}</head><body><article>"
    "<h1>Stellantis e Leapmotor</h1><p>" + "Stellantis ha confermato l'intesa con Leapmotor per l'Europa. " * 6 + "</p>"
    "</article></body></html>"
)


@pytest.mark.parametrize(
    "meta, date",
    [
        ("", "2025-03"),  # only the canonical URL dates the page: a month, not March 1st
        ("<meta property='article:published_time' content='2025-03-14T09:00:00+01:00'>", "2025-03-14"),
    ],
)
def test_html_page_date_from_metadata_or_url(tmp_path, meta, date):
    page = tmp_path / "p.html"
    page.write_text(PAGE.format(meta=meta), encoding="utf-8")
    (record,) = read_path("p.html", page)
    assert record.date == date
    assert parse_date(record.date, TODAY).precision == ("month" if len(date) == 7 else "day")
