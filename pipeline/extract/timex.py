"""PLACEHOLDER being replaced: timex.rules.v1."""
from __future__ import annotations

from pipeline.extract.registry import register


class TimexRulesExtractor:
    name = "timex.rules.v1"

    def __init__(self, reference_dir=None):
        self.reference_dir = reference_dir

    def extract(self, body, sentences, article_id, published, precision):
        return []


@register("timex.rules.v1")
def make_timex_rules(reference_dir=None) -> TimexRulesExtractor:
    return TimexRulesExtractor(reference_dir)
