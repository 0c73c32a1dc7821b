"""Apply every extractor to one article: mentions, claims, quantities, time expressions."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.config import DEFAULT_EXTRACTORS
from pipeline.extract.registry import get_extractor
from pipeline.text.sentences import split_sentences

OUTPUT_TABLES = ("mentions", "claims", "quantities", "time_expressions")


@dataclass(frozen=True)
class ArticleInput:
    """What the extractors need of an article."""

    article_id: str
    body: str
    published: dt.date | None = None
    date_precision: str = "unknown"
    language: str | None = "it"


@dataclass
class ArticleExtraction:
    """Rows extracted from one article, per output table, plus the entities its mentions point at."""

    article_id: str
    mentions: list[dict] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)
    quantities: list[dict] = field(default_factory=list)
    time_expressions: list[dict] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Extractors:
    """One instance of each extractor, loaded once per process."""

    entities: object
    claims: object
    quantities: object
    timex: object

    @property
    def names(self) -> dict[str, str]:
        return {k: getattr(self, k).name for k in ("entities", "claims", "quantities", "timex")}


@lru_cache(maxsize=4)
def load_extractors(names: tuple[tuple[str, str], ...] = tuple(DEFAULT_EXTRACTORS.items()), reference_dir: Path | None = None) -> Extractors:
    """Build the extractors registered under `names` (cached per process: KB loading is the slow part)."""
    chosen = dict(names)
    return Extractors(**{kind: get_extractor(chosen[kind])(reference_dir) for kind in ("entities", "claims", "quantities", "timex")})


def extract_article(article: ArticleInput, ex: Extractors) -> ArticleExtraction:
    """Pure: one article -> its rows in every extraction table (claim ids attached to numbers and dates)."""
    body = article.body
    sentences = split_sentences(body)
    mentions, entities = ex.entities.extract(body, sentences, article.article_id)
    entity_by_id = {e["entity_id"]: e for e in entities}
    claims = ex.claims.extract(body, sentences, mentions, entity_by_id, article.article_id)
    quantities = _outside_names(ex.quantities.extract(body, sentences, article.article_id), mentions)
    times = ex.timex.extract(body, sentences, article.article_id, article.published, article.date_precision)
    claim_by_sentence = {c["sentence_id"]: c["claim_id"] for c in claims}
    for row in quantities:
        row["claim_id"] = claim_by_sentence.get(row.get("sentence_id"))
    for row in times:
        row["claim_id"] = claim_by_sentence.get(row.get("sentence_id"))
    return ArticleExtraction(article.article_id, mentions, claims, quantities, times, entities)


def _outside_names(quantities: list[dict], mentions: list[dict]) -> list[dict]:
    """Numbers that are part of a name are no quantities ("la casa dei quattro anelli", "Tre Valli")."""
    spans = [(m["start"], m["end"]) for m in mentions]
    return [q for q in quantities if not any(s <= q["start"] and q["end"] <= e for s, e in spans)]
