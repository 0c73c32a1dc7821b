"""Exact and near-duplicate detection: duplicate_of points at the earliest copy."""
import datetime as dt

from pipeline.ingest.dedup import DedupKey, find_duplicates, minhash_signature

STORY = (
    "Xiaomi venderà le sue auto elettriche anche al di fuori della Cina a partire dal 2027, accompagnando il debutto "
    "internazionale con un piano di espansione commerciale senza precedenti. L'annuncio è stato dato nel corso del keynote "
    "da Xu Fei, vicepresidente e Chief Marketing Officer del colosso di Pechino, che ha tracciato un bilancio dei primi "
    "risultati della gamma. La berlina sportiva SU7 ha già superato quota 300.000 consegne in appena 15 mesi."
)
EDITED = STORY.replace("senza precedenti", "mai visto prima").replace("appena 15 mesi", "soli 15 mesi")
OTHER = "Stellantis e Leapmotor hanno firmato un accordo da 1,5 miliardi di euro per la distribuzione dei veicoli elettrici in Europa e in altri mercati."


def key(aid, body, date, path):
    import hashlib

    return DedupKey(aid, hashlib.sha256(body.encode()).hexdigest(), date, path, minhash_signature(body))


def test_exact_copy_points_to_earliest():
    keys = [key("b", STORY, dt.date(2025, 9, 25), "b.txt"), key("a", STORY, dt.date(2025, 9, 24), "z.txt")]
    assert find_duplicates(keys) == {"b": ("a", "exact")}


def test_near_duplicate_detected_and_unrelated_kept():
    keys = [key("orig", STORY, dt.date(2025, 9, 24), "a.txt"), key("copy", EDITED, dt.date(2025, 9, 26), "b.txt"), key("other", OTHER, None, "c.txt")]
    assert find_duplicates(keys) == {"copy": ("orig", "near")}


def test_unknown_dates_sort_after_known_then_by_path():
    keys = [key("x", STORY, None, "a.txt"), key("y", STORY, None, "b.txt"), key("z", STORY, dt.date(2020, 1, 1), "c.txt")]
    assert find_duplicates(keys) == {"x": ("z", "exact"), "y": ("z", "exact")}


def test_short_texts_only_exact():
    assert minhash_signature("Troppo breve.") is None
