"""entities.spacy_model.v1: KB rules plus a spaCy Italian model (installed by the user) for names the KB lacks."""
from __future__ import annotations

import os
from pathlib import Path

from pipeline.errors import BackendUnavailableError
from pipeline.extract.entities.kb_rules import ArticleText, Resources, find_entity_spans, load_resources, to_rows
from pipeline.extract.entities.spans import EntityFacts, Span, discovered_id
from pipeline.extract.registry import register
from pipeline.text import Sentence

NAME = "entities.spacy_model.v1"
MODEL_ENV = "PIPELINE_SPACY_MODEL"
# Tried in order; only packages (or paths) already installed are loaded: nothing is ever downloaded.
DEFAULT_MODELS = ("it_core_news_lg", "it_core_news_md", "it_core_news_sm")
# spaCy labels -> our types; MISC (works, events, products mixed) has no reliable type and is skipped.
LABELS = {"PER": "PER", "PERSON": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC", "FAC": "LOC", "PRODUCT": "PRODUCT", "EVENT": "EVENT"}
MODEL_CONFIDENCE = 0.7
# Components the NER does not need: excluding them keeps the model fast.
EXCLUDE = ["parser", "lemmatizer", "morphologizer", "tagger", "attribute_ruler", "senter"]


def load_model(names: tuple[str, ...] | None = None):
    """The first installed spaCy model among `names` (or $PIPELINE_SPACY_MODEL), else BackendUnavailableError."""
    try:
        import spacy
    except ImportError as exc:  # spaCy itself is optional for this backend
        raise BackendUnavailableError(f"{NAME} needs spaCy: pip install spacy it_core_news_lg") from exc
    wanted = (os.environ[MODEL_ENV],) if os.environ.get(MODEL_ENV) else (names or DEFAULT_MODELS)
    for name in wanted:
        if Path(name).is_dir() or spacy.util.is_package(name):
            return spacy.load(name, exclude=EXCLUDE)
    raise BackendUnavailableError(
        f"{NAME} needs an Italian spaCy model, and none of {', '.join(wanted)} is installed. "
        f"Install one (e.g. `pip install it_core_news_lg` or `python -m spacy download it_core_news_lg`), "
        f"or set {MODEL_ENV} to an installed model name or folder; the default extractor entities.kb_rules.v1 needs no model."
    )


def discover_with_model(nlp):
    """A discovery step (see kb_rules.Discover) that takes the model's entities the KB did not match."""

    def discover(text: ArticleText, kb_spans: list[Span], res: Resources) -> tuple[list[Span], list[Span], dict[str, EntityFacts]]:
        taken = sorted((s.start, s.end) for s in kb_spans)
        spans: list[Span] = []
        facts: dict[str, EntityFacts] = {}
        for ent in nlp(text.body).ents:
            typ = LABELS.get(ent.label_)
            if typ is None or any(a < ent.end_char and ent.start_char < b for a, b in taken):
                continue
            name = ent.text.strip()
            if not name:
                continue
            eid = discovered_id(name)
            facts.setdefault(eid, EntityFacts(eid, name, typ, "model"))
            spans.append(Span(ent.start_char, ent.start_char + len(ent.text.rstrip()), eid, "model", MODEL_CONFIDENCE))
        return kb_spans, spans, facts

    return discover


class SpacyModelExtractor:
    """KB matching and epithets as in kb_rules.v1; names missing from the KB come from the spaCy model."""

    name = NAME

    def __init__(self, reference_dir: Path | None = None, nlp=None, resources: Resources | None = None):
        self.nlp = nlp if nlp is not None else load_model()
        self.res = resources or load_resources(reference_dir)
        self._discover = discover_with_model(self.nlp)

    def extract(self, body: str, sentences: list[Sentence], article_id: str) -> tuple[list[dict], list[dict]]:
        spans, facts = find_entity_spans(body, sentences, self.res, discover=self._discover)
        return to_rows(article_id, body, sentences, spans, facts)


@register(NAME)
def make_spacy_model(reference_dir: Path | None = None) -> SpacyModelExtractor:
    return SpacyModelExtractor(reference_dir)
