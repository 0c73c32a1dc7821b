"""PLACEHOLDER being replaced: entities.kb_rules.v1."""
from __future__ import annotations

from pipeline.extract.registry import register


class KbRulesExtractor:
    name = "entities.kb_rules.v1"

    def __init__(self, reference_dir=None):
        self.reference_dir = reference_dir

    def extract(self, body, sentences, article_id):
        return [], []


@register("entities.kb_rules.v1")
def make_kb_rules(reference_dir=None) -> KbRulesExtractor:
    return KbRulesExtractor(reference_dir)
