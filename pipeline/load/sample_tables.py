"""Deterministic sample tables (every table, extraction included) to exercise the warehouse and notebooks at any size."""
from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import defaultdict
from pathlib import Path

from pipeline import io
from pipeline.schema import to_arrow

# (entity_id, name, type): a small world so that mentions, co-occurrences and threads repeat.
SAMPLE_ENTITIES = (
    ("Q_ford", "Ford", "ORG"), ("Q_xiaomi", "Xiaomi", "ORG"), ("Q_ferrari", "Ferrari", "ORG"),
    ("Q_stellantis", "Stellantis", "ORG"), ("Q_byd", "BYD", "ORG"), ("Q_tesla", "Tesla", "ORG"),
    ("Q_vw", "Volkswagen", "ORG"), ("Q_renault", "Renault", "ORG"), ("Q_catl", "CATL", "ORG"),
    ("Q_leapmotor", "Leapmotor", "ORG"), ("Q_geely", "Geely", "ORG"), ("Q_bmw", "BMW", "ORG"),
    ("Q_farley", "Jim Farley", "PER"), ("Q_vigna", "Benedetto Vigna", "PER"), ("Q_musk", "Elon Musk", "PER"),
    ("Q_lei", "Lei Jun", "PER"), ("Q_filosa", "Antonio Filosa", "PER"), ("Q_urso", "Adolfo Urso", "PER"),
    ("Q_su7", "Xiaomi SU7", "PRODUCT"), ("Q_500e", "Fiat 500e", "PRODUCT"), ("Q_model_y", "Tesla Model Y", "PRODUCT"),
    ("Q_mustang", "Ford Mustang Mach-E", "PRODUCT"), ("Q_italy", "Italia", "LOC"), ("Q_china", "Cina", "LOC"),
    ("Q_mirafiori", "Mirafiori", "LOC"), ("Q_europe", "Europa", "LOC"), ("Q_salone", "Salone di Ginevra", "EVENT"),
)
_BY_TYPE: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
for _e in SAMPLE_ENTITIES:
    _BY_TYPE[_e[2]].append(_e)

# (template, modality, cue, predicate, speaker slot): {A},{B} ORG, {P} PER, {M} PRODUCT, {L} LOC, {N} number.
_TEMPLATES = (
    ("{A} avrebbe avviato contatti con {B} per una joint venture in {L}.", "rumor", "avrebbe avviato", "avviare", None),
    ("Secondo indiscrezioni {A} potrebbe investire {N} miliardi di euro in {L}.", "speculation", "potrebbe", "investire", None),
    ("{A} ha confermato l'accordo con {B} per la produzione in {L}.", "fact", "ha confermato", "avviare", None),
    ("«Le voci su {B} sono completamente false», ha dichiarato {P} di {A}.", "denial", "completamente false", "avviare", "P"),
    ("{P} ha annunciato che {A} venderà {N} mila auto entro il 2030.", "plan", "entro il 2030", "vendere", "P"),
    ("La {M} offre un'autonomia di {N}0 km con una ricarica.", "fact", None, "offrire", None),
    ("{A} ha registrato un fatturato di {N},5 miliardi di dollari nel trimestre.", "fact", None, "registrare", None),
    ("Il mercato europeo dell'auto elettrica continua a crescere.", None, None, None, None),
    ("Gli analisti restano cauti sulle prospettive del settore.", None, None, None, None),
)
# predicate -> (unit, value of the number as written, counted noun)
_UNITS = {
    "investire": ("EUR", lambda n: n * 1e9, None),
    "vendere": ("count", lambda n: n * 1e3, "auto"),
    "offrire": ("km", lambda n: n * 10.0, None),
    "registrare": ("USD", lambda n: (n + 0.5) * 1e9, None),
}
_START = dt.date(2022, 1, 1)


def write_sample_tables(out_dir: Path, n_articles: int = 200, seed: int = 1) -> dict[str, int]:
    """Write all nine tables for `n_articles` synthetic articles (3% duplicates, mixed date precisions); returns row counts."""
    rng = random.Random(seed)
    rows: dict[str, list[dict]] = defaultdict(list)
    used: set[str] = set()
    claims_for_threads: list[dict] = []
    for i in range(n_articles):
        if i > 10 and rng.random() < 0.03:
            _add_duplicate(rows, rng, i)
            continue
        article = _article(rng, i)
        sentences, mentions, claims, quantities = _body(rng, article["article_id"], used)
        body = " ".join(s for s, _ in sentences)
        article.update(body=body, content_hash=hashlib.sha256(body.encode()).hexdigest(), n_chars=len(body), n_sentences=len(sentences))
        rows["articles"].append(article)
        offset = 0
        for sid, (text, _) in enumerate(sentences):
            rows["sentences"].append({"article_id": article["article_id"], "sentence_id": sid, "start": offset, "end": offset + len(text), "paragraph": sid // 3, "is_heading": False})
            offset += len(text) + 1
        rows["mentions"] += mentions
        rows["claims"] += claims
        rows["quantities"] += quantities
        claims_for_threads += [dict(c, published=article["published"]) for c in claims]
    for n in range(max(1, n_articles // 50)):
        rows["rejects"].append({"source_path": f"bad/{n:05d}.txt", "reason": ("empty", "binary", "undecodable")[n % 3], "detail": "sample reject"})
    rows["entities"] = _entities(rows["mentions"], used)
    rows["claim_threads"] = _threads(claims_for_threads)
    for name, table_rows in rows.items():
        io.write_table(out_dir, name, to_arrow(name, table_rows))
    for name in ("time_expressions",):
        io.write_table(out_dir, name, to_arrow(name, []))
    return {name: len(r) for name, r in rows.items()}


def _article(rng: random.Random, i: int) -> dict:
    day = _START + dt.timedelta(days=rng.randrange(0, 4 * 365))
    precision = rng.choices(("day", "month", "year", "unknown"), (70, 15, 5, 10))[0]
    published = {"day": day, "month": day.replace(day=1), "year": day.replace(month=1, day=1), "unknown": None}[precision]
    return {
        "article_id": f"a_{i:016x}", "source_path": f"sample/{i:07d}.txt", "title": f"Articolo di esempio {i}",
        "title_derived": False, "published": published, "date_precision": precision,
        "language": "en" if rng.random() < 0.02 else "it", "language_score": 0.99, "duplicate_of": None,
        "duplicate_kind": None, "encoding": "utf-8", "source_format": "txt", "url": None,
        "boilerplate_removed": 0, "flags": [],
    }


def _add_duplicate(rows: dict, rng: random.Random, i: int) -> None:
    original = rng.choice(rows["articles"][: max(1, len(rows["articles"]))])
    while original["duplicate_of"]:
        original = rng.choice(rows["articles"])
    rows["articles"].append(dict(original, article_id=f"a_{i:016x}", source_path=f"sample/{i:07d}.txt", duplicate_of=original["article_id"], duplicate_kind=rng.choice(("exact", "near"))))


def _body(rng: random.Random, article_id: str, used: set[str]) -> tuple[list, list, list, list]:
    sentences, mentions, claims, quantities = [], [], [], []
    offset = 0
    # A few entities per article, Zipf-like, so that rank-frequency and co-occurrence look realistic.
    orgs = _zipf_pick(rng, _BY_TYPE["ORG"], 3)
    for sid in range(rng.randint(3, 9)):
        template, modality, cue, predicate, speaker_slot = rng.choice(_TEMPLATES)
        slots = {"A": orgs[0], "B": orgs[1], "P": rng.choice(_BY_TYPE["PER"]), "M": rng.choice(_BY_TYPE["PRODUCT"]), "L": rng.choice(_BY_TYPE["LOC"])}
        number = str(rng.randint(2, 90))
        text, spans = _fill(template, slots, number)
        for key, (start, end) in spans.items():
            if key == "N":
                continue
            eid, name, _ = slots[key]
            used.add(eid)
            mentions.append({"article_id": article_id, "sentence_id": sid, "entity_id": eid, "start": offset + start, "end": offset + end, "surface": name, "method": "kb_alias", "confidence": 0.9})
        if modality:
            speaker = slots[speaker_slot] if speaker_slot else None
            subjects = sorted({slots[k][0] for k in spans if k not in ("N", speaker_slot)})
            claims.append({"claim_id": f"{article_id}:{sid}", "article_id": article_id, "sentence_id": sid, "start": offset, "end": offset + len(text), "text": text, "modality": modality, "modality_cue": cue, "speaker": speaker[1] if speaker else None, "speaker_entity_id": speaker[0] if speaker else None, "quote": text[1 : text.index("»")] if "«" in text else None, "subject_entity_ids": subjects, "predicate": predicate, "negated": False})
        if "N" in spans and predicate in _UNITS:
            unit, value, counted = _UNITS[predicate]
            start, end = spans["N"]
            surface = text[start:end]
            quantities.append({"article_id": article_id, "claim_id": f"{article_id}:{sid}" if modality else None, "sentence_id": sid, "start": offset + start, "end": offset + end, "surface": surface, "value": value(int(number)), "value_max": None, "unit": unit, "counted": counted, "qualifier": None})
        sentences.append((text, sid))
        offset += len(text) + 1
    return sentences, mentions, claims, quantities


def _zipf_pick(rng: random.Random, pool: list, k: int) -> list:
    weights = [1 / (r + 1) for r in range(len(pool))]
    picked: list = []
    while len(picked) < k:
        e = rng.choices(pool, weights)[0]
        if e not in picked:
            picked.append(e)
    return picked


def _fill(template: str, slots: dict, number: str) -> tuple[str, dict[str, tuple[int, int]]]:
    """Fill {X} slots left to right, recording the span of each (the number span covers its unit words)."""
    out, spans, i = [], {}, 0
    while i < len(template):
        if template[i] == "{" and template[i + 2] == "}":
            key = template[i + 1]
            value = number if key == "N" else slots[key][1]
            start = sum(len(s) for s in out)
            out.append(value)
            spans[key] = (start, start + len(value))
            i += 3
        else:
            out.append(template[i])
            i += 1
    text = "".join(out)
    if "N" in spans:  # extend the number over its unit words ("12 miliardi di euro")
        start, end = spans["N"]
        rest = text[end:]
        for unit in ("0 km", ",5 miliardi di dollari", " miliardi di euro", " mila auto"):
            if rest.startswith(unit):
                spans["N"] = (start, end + len(unit))
                break
    return text, spans


def _entities(mentions: list[dict], used: set[str]) -> list[dict]:
    n_mentions: dict[str, int] = defaultdict(int)
    arts: dict[str, set] = defaultdict(set)
    for m in mentions:
        n_mentions[m["entity_id"]] += 1
        arts[m["entity_id"]].add(m["article_id"])
    return [
        {"entity_id": eid, "name": name, "type": etype, "aliases": [name, name.lower()], "origin": "kb", "wikidata_id": None, "country": None, "parent_id": None, "n_articles": len(arts[eid]), "n_mentions": n_mentions[eid]}
        for eid, name, etype in SAMPLE_ENTITIES
        if eid in used
    ]


def _threads(claims: list[dict]) -> list[dict]:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for c in claims:
        if c["predicate"] == "avviare" and c["subject_entity_ids"]:
            groups[(tuple(c["subject_entity_ids"]), c["predicate"])].append(c)
    rows = []
    for (entity_ids, predicate), members in groups.items():
        if len(members) < 2:
            continue
        members.sort(key=lambda c: (c["published"] is None, c["published"] or _START, c["claim_id"]))
        modalities = {c["modality"] for c in members}
        status = "denied" if "denial" in modalities else "confirmed" if "fact" in modalities else "open"
        thread_id = "t_" + hashlib.sha256("|".join(entity_ids).encode()).hexdigest()[:12]
        for pos, c in enumerate(members[:12]):
            rows.append({"thread_id": thread_id, "claim_id": c["claim_id"], "article_id": c["article_id"], "position": pos, "published": c["published"], "modality": c["modality"], "entity_ids": list(entity_ids), "predicate": predicate, "thread_status": status})
    return rows
