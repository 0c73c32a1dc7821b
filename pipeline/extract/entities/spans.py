"""Small value types shared by the entity rules: a found span and what an article knows about an entity."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from pipeline.extract.entities.anchors import fold_text

DISCOVERED_PREFIX = "d_"
_SPACES_RE = re.compile(r"\s+")
# Leading article of a name, dropped from the key so "la Vehicle Valley" and "Vehicle Valley" are one entity.
_KEY_ARTICLE_RE = re.compile(r"^(?:il|lo|la|i|gli|le|l')\s+")


class Span(NamedTuple):
    """A mention found by a rule: [start, end) in the body, the entity key it refers to, how, how sure."""

    start: int
    end: int
    entity_id: str
    method: str
    confidence: float


@dataclass
class EntityFacts:
    """What the rules know about one entity in one article (KB attributes or evidence from the text)."""

    entity_id: str
    name: str
    type: str
    origin: str  # kb | discovered | model
    sector: str | None = None
    country: str | None = None
    hq_city: str | None = None  # folded
    hq_regions: tuple[str, ...] = ()  # folded names of the places the headquarters city lies in ("texas")
    leader: str | None = None  # folded
    parent_id: str | None = None
    roles: set[str] = field(default_factory=set)  # folded role words (KB role, or cues seen in the text)
    role_text: str | None = None  # the KB role as written, folded ("ministro delle imprese e del made in italy")
    affiliations: set[str] = field(default_factory=set)  # entity ids of organizations the person works for
    aliases: tuple[str, ...] = ()
    wikidata_id: str | None = None


@lru_cache(maxsize=16384)  # pure: names repeat within and across articles
def normalize_name(name: str) -> str:
    """The key a discovered name is known by: folded, spaces collapsed, no leading article."""
    return _KEY_ARTICLE_RE.sub("", _SPACES_RE.sub(" ", fold_text(name)).strip())


@lru_cache(maxsize=16384)
def discovered_id(name: str) -> str:
    """'d_' + a short stable hash of the normalized name: the same name is the same entity in every article."""
    return DISCOVERED_PREFIX + hashlib.sha1(normalize_name(name).encode("utf-8")).hexdigest()[:12]
