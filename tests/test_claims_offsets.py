"""claims.rules.v1 properties: valid offsets and well-formed rows for arbitrary bodies (hypothesis)."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.claims.rules import make_claim_rules
from pipeline.extract.claims.threads import build_claim_threads
from pipeline.schema import CLAIMS, MODALITIES
from pipeline.text import split_sentences

EXTRACTOR = make_claim_rules()
NAMES = {"Ford": ("org:ford", "ORG"), "Jim Farley": ("per:jim-farley", "PER"), "Cina": ("loc:cina", "LOC"), "Xiaomi": ("org:xiaomi", "ORG")}
PIECES = [
    "Ford", "Jim Farley", "Cina", "Xiaomi", "avrebbe avviato", "potrebbe", "ha detto", "ha smentito", "venderà", "entro il 2030",
    "secondo", "che", "non", "«", "»", "“", "”", '"', ",", ".", "?", "!", ":", ";", "(", ")", " – ", "l’", "dell'", "\n", "\n\n",
    "Restiamo in attesa", "Secondo indiscrezioni", "il gruppo", "la società", "93,5", "300.000", "è", "sarebbero", "İ", "\u00a0", "\t",
]
body_st = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=60).map(" ".join)


def mentions_for(body, sentences):
    out, ents = [], {}
    for name, (eid, typ) in NAMES.items():
        for m in re.finditer(re.escape(name), body):
            sid = next((i for i, s in enumerate(sentences) if s.start <= m.start() < s.end), None)
            if sid is not None and m.end() <= sentences[sid].end:
                ents[eid] = {"entity_id": eid, "name": name, "type": typ}
                out.append({"article_id": "a", "sentence_id": sid, "entity_id": eid, "start": m.start(), "end": m.end(), "surface": name, "method": "kb_alias"})
    return out, ents


@settings(max_examples=300, deadline=None)
@given(body_st)
def test_claim_rows_are_well_formed(body):
    sentences = split_sentences(body)
    mentions, ents = mentions_for(body, sentences)
    rows = EXTRACTOR.extract(body, sentences, mentions, ents, "a")
    assert len({r["claim_id"] for r in rows}) == len(rows)
    for r in rows:
        assert set(r) == set(CLAIMS.column_names)
        s = sentences[r["sentence_id"]]
        assert (r["start"], r["end"]) == (s.start, s.end)
        assert body[r["start"] : r["end"]] == r["text"]
        assert r["claim_id"] == f"a:{r['sentence_id']}"
        assert r["modality"] in MODALITIES
        assert r["quote"] is None or (r["quote"] and r["quote"] in r["text"])
        assert r["speaker_entity_id"] is None or r["speaker_entity_id"] in ents
        assert (r["speaker"] is None) == (r["speaker_entity_id"] is None)
        assert set(r["subject_entity_ids"]) <= set(ents)
        assert r["modality_cue"] is None or r["modality_cue"] in body
    build_claim_threads(rows, {"a": None})
