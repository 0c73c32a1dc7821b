"""PLACEHOLDER being replaced: quantities.rules.v1."""
from __future__ import annotations

from pipeline.extract.registry import register


class QuantityRulesExtractor:
    name = "quantities.rules.v1"

    def __init__(self, reference_dir=None):
        self.reference_dir = reference_dir

    def extract(self, body, sentences, article_id):
        return []


@register("quantities.rules.v1")
def make_quantity_rules(reference_dir=None) -> QuantityRulesExtractor:
    return QuantityRulesExtractor(reference_dir)
