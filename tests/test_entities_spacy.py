"""entities.spacy_model.v1: a clear error without a model; with one, KB names stay KB and the rest come from the model."""
from __future__ import annotations

import pytest

from pipeline.errors import BackendUnavailableError
from pipeline.extract.entities.kb_rules import load_resources
from pipeline.extract.entities.spacy_model import MODEL_ENV, SpacyModelExtractor, load_model
from pipeline.extract.entities.spans import discovered_id
from pipeline.extract.registry import get_extractor
from pipeline.text import split_sentences

spacy = pytest.importorskip("spacy")


def test_missing_model_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(MODEL_ENV, "it_core_news_does_not_exist")
    with pytest.raises(BackendUnavailableError, match="needs an Italian spaCy model.*it_core_news_does_not_exist.*entities.kb_rules.v1"):
        load_model()


def test_registered_factory_raises_without_model(monkeypatch):
    monkeypatch.setenv(MODEL_ENV, "it_core_news_does_not_exist")
    with pytest.raises(BackendUnavailableError):
        get_extractor("entities.spacy_model.v1")(None)


def test_model_entities_fill_what_the_kb_lacks():
    # a stand-in for a trained model: spaCy's blank Italian pipeline with an entity ruler
    nlp = spacy.blank("it")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PER", "pattern": "Mikael Kubu"},
            {"label": "ORG", "pattern": "Ford"},  # the KB has Ford: the KB match wins
            {"label": "MISC", "pattern": "Renaulution"},  # no reliable type: skipped
        ]
    )
    ex = SpacyModelExtractor(nlp=nlp, resources=load_resources())
    body = "Ford e Mikael Kubu parlano del piano Renaulution. Il gruppo americano tace."
    mentions, entities = ex.extract(body, split_sentences(body), "a1")
    got = [(m["surface"], m["entity_id"], m["method"]) for m in mentions]
    assert got == [
        ("Ford", "org:ford", "kb_alias"),
        ("Mikael Kubu", discovered_id("Mikael Kubu"), "model"),
        ("gruppo americano", "org:ford", "epithet"),
    ]
    kubu = {e["entity_id"]: e for e in entities}[discovered_id("Mikael Kubu")]
    assert (kubu["type"], kubu["origin"]) == ("PER", "model")
    assert ex.name == "entities.spacy_model.v1"
