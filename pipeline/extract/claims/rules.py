"""PLACEHOLDER being replaced: claims.rules.v1."""
from __future__ import annotations

from pipeline.extract.registry import register


class ClaimRulesExtractor:
    name = "claims.rules.v1"

    def __init__(self, reference_dir=None):
        self.reference_dir = reference_dir

    def extract(self, body, sentences, mentions, entities, article_id):
        return []


@register("claims.rules.v1")
def make_claim_rules(reference_dir=None) -> ClaimRulesExtractor:
    return ClaimRulesExtractor(reference_dir)
