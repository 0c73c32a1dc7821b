"""Shared fixture for the claims tests: run claims.rules.v1 on a body with hand-marked entity mentions."""
import re

from pipeline.extract.claims.rules import make_claim_rules
from pipeline.text import split_sentences

EXTRACTOR = make_claim_rules()


def claims(body: str, ents=(), parents: dict[str, str] | None = None, named: bool = False) -> list[dict]:
    """Claims of `body`; `ents` are (surface, entity_id, type) marked wherever the surface occurs (longest first);
    `parents` gives entities their KB parent_id; `named` names each entity by its surface (else by its id's slug)."""
    sentences = split_sentences(body)
    spans = sorted(((m.start(), m.end(), eid, typ) for surface, eid, typ in ents for m in re.finditer(rf"\b{re.escape(surface)}\b", body)), key=lambda x: (x[0], -x[1]))
    mentions, entities, last = [], {}, -1
    for start, end, eid, typ in spans:
        if start < last:
            continue
        last = end
        name = body[start:end] if named else eid.split(":", 1)[1]
        entities.setdefault(eid, {"entity_id": eid, "name": name, "type": typ, "parent_id": (parents or {}).get(eid)})
        sid = next(i for i, s in enumerate(sentences) if s.start <= start < s.end)
        mentions.append({"article_id": "a", "sentence_id": sid, "entity_id": eid, "start": start, "end": end, "surface": body[start:end], "method": "kb_alias"})
    return EXTRACTOR.extract(body, sentences, mentions, entities, "a")
