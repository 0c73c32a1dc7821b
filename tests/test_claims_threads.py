"""claims.rules.v1 threads: a rumor followed to its confirmation or denial across articles."""
import datetime as dt
import re

from pipeline.extract.claims.rules import make_claim_rules
from pipeline.extract.claims.threads import build_claim_threads, thread_status
from pipeline.text import split_sentences

EXTRACTOR = make_claim_rules()
XIAOMI = [("Xiaomi", "org:xiaomi", "ORG"), ("Cina", "loc:cina", "LOC"), ("Lei Jun", "per:lei-jun", "PER")]
RUMOR = (
    "Secondo quanto riportato dalle ultime indiscrezioni, Xiaomi starebbe preparando un team dedicato alla vendita "
    "all’estero, fuori dai confini della Cina. Lei Jun ha presentato una nuova versione dello smartphone."
)
CONFIRMATION = "Ora è arrivata la conferma ufficiale: Xiaomi venderà le sue auto elettriche anche al di fuori della Cina a partire dal 2027."


def claims(body: str, article_id: str, ents=XIAOMI) -> list[dict]:
    sentences = split_sentences(body)
    mentions, entities = [], {}
    for surface, eid, typ in ents:
        entities[eid] = {"entity_id": eid, "name": eid.split(":", 1)[1], "type": typ}
        for m in re.finditer(re.escape(surface), body):
            sid = next(i for i, s in enumerate(sentences) if s.start <= m.start() < s.end)
            mentions.append({"article_id": article_id, "sentence_id": sid, "entity_id": eid, "start": m.start(), "end": m.end(), "surface": surface, "method": "kb_alias"})
    return EXTRACTOR.extract(body, sentences, mentions, entities, article_id)


def test_rumor_is_confirmed_by_a_later_article():
    rows = claims(CONFIRMATION, "b") + claims(RUMOR, "a")  # input order does not matter
    published = {"a": dt.date(2024, 12, 1), "b": dt.date(2025, 9, 24)}
    threads = build_claim_threads(rows, published)
    assert [(t["claim_id"], t["position"], t["published"], t["modality"], t["entity_ids"], t["predicate"], t["thread_status"]) for t in threads] == [
        ("a:0", 0, dt.date(2024, 12, 1), "rumor", ["org:xiaomi"], "espandere", "confirmed"),
        ("b:0", 1, dt.date(2025, 9, 24), "plan", ["org:xiaomi"], "espandere", "confirmed"),
    ]
    assert len({t["thread_id"] for t in threads}) == 1


def test_unknown_dates_go_last_and_a_lone_rumor_opens_no_thread():
    rows = claims(CONFIRMATION, "b") + claims(RUMOR, "a")
    threads = build_claim_threads(rows, {"a": None, "b": dt.date(2025, 9, 24)})
    assert [(t["claim_id"], t["position"], t["thread_status"]) for t in threads] == [("b:0", 0, "open"), ("a:0", 1, "open")]
    assert build_claim_threads(claims(RUMOR, "a"), {"a": None}) == []


def test_denial_in_the_same_article_answers_the_rumor():
    body = "Ford avrebbe avviato colloqui con Xiaomi per una joint venture. Ford ha smentito seccamente la ricostruzione."
    rows = claims(body, "c", [("Ford", "org:ford", "ORG"), ("Xiaomi", "org:xiaomi", "ORG")])
    threads = build_claim_threads(rows, {"c": dt.date(2026, 1, 31)})
    assert [(t["claim_id"], t["modality"], t["predicate"], t["thread_status"]) for t in threads] == [
        ("c:0", "rumor", "accordo", "denied"),
        ("c:1", "denial", "accordo", "denied"),
    ]


def test_a_claim_about_other_partners_stays_out():
    body = "Ford avrebbe avviato colloqui con Xiaomi per una joint venture. Ford ha firmato un accordo con CATL per le batterie."
    rows = claims(body, "c", [("Ford", "org:ford", "ORG"), ("Xiaomi", "org:xiaomi", "ORG"), ("CATL", "org:catl", "ORG")])
    assert build_claim_threads(rows, {"c": None}) == []


def test_thread_status_rules():
    def status(*mods):
        return thread_status([{"article_id": f"x{i}", "modality": m, "negated": False} for i, m in enumerate(mods)])

    assert status("rumor", "speculation") == "open"
    assert status("rumor", "plan") == "confirmed"
    assert status("rumor", "fact", "denial") == "denied"
    assert status("plan", "plan") == "plan"
    assert status("fact", "fact") == "confirmed"


def test_threads_from_a_chunked_arrow_table_with_gaps():
    """The stage's columnar path: claims in several Arrow chunks, sentence ids missing (read from the claim id),
    null modality and subjects, place ids that link nothing; the earliest compatible thread wins."""
    import pyarrow as pa

    from pipeline.extract.claims.threads import THREAD_COLUMNS, claim_threads_table
    from pipeline.schema import TABLES

    def claim(cid, mod, subjects, pred="accordo"):
        return {"claim_id": cid, "article_id": cid.split(":")[0], "sentence_id": None, "modality": mod,
                "subject_entity_ids": subjects, "predicate": pred, "negated": False, "speaker_entity_id": None}

    rows = [
        claim("a:0", "rumor", ["org:ford", "org:xiaomi"]),
        claim("a:1", None, None),
        claim("b:2", "fact", ["org:ford", "org:xiaomi", "loc:cina"]),
        claim("b:3", "fact", ["org:ford", "org:catl"]),
        claim("c:0", "plan", ["org:xiaomi"]),
        claim("c:1", "fact", ["loc:cina"]),
    ]
    schema = pa.schema([TABLES["claims"].schema.field(c) for c in THREAD_COLUMNS])
    table = pa.concat_tables([pa.Table.from_pylist(rows[:3], schema=schema), pa.Table.from_pylist(rows[3:], schema=schema)])
    published = {"a": dt.date(2024, 12, 1), "b": dt.date(2025, 9, 24), "c": dt.date(2025, 10, 1)}
    got = claim_threads_table(table, published).to_pylist()
    assert [(t["claim_id"], t["position"], t["entity_ids"], t["thread_status"]) for t in got] == [
        ("a:0", 0, ["org:xiaomi"], "confirmed"),  # shared by every claim of the thread
        ("b:2", 1, ["org:xiaomi"], "confirmed"),
        ("c:0", 2, ["org:xiaomi"], "confirmed"),
    ]
    assert got == build_claim_threads(rows, published)
