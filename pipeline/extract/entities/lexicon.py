"""Word lists of the entity rules (lexicon/entities_rules.yaml merged with lexicon/entity_cues.yaml), folded once."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import ReferenceDataError
from pipeline.reference import load_yaml
from pipeline.text import fold

RULES_FILE = "lexicon/entities_rules.yaml"
CUES_FILE = "lexicon/entity_cues.yaml"

# entity_cues.yaml is written by another hand: accept the key names it may use for each list.
_CUE_KEYS = {
    "first_names": ("first_names", "given_names"),
    "family_names_first": ("east_asian_surnames", "family_names_first"),
    "person_roles": ("person_roles", "role_titles", "roles"),
    "honorifics": ("honorifics",),
    "org_heads": ("org_prefix_words", "org_heads"),
    "org_suffixes": ("org_suffix_words", "org_suffixes", "organization_suffixes"),
    "loc_cues": ("strong_place_cues", "place_cues", "weak_place_cues"),
    "weak_loc_cues": ("weak_place_cues",),
    "not_entities": ("capitalized_non_entities", "not_entities"),
}
# Head words too ambiguous to start a description: "ad" is mostly the preposition ("ad Hannover").
_HEADS_NEVER = frozenset({"ad", "a.d."})
_NATIONALITY_KEYS = ("nationality_adjectives", "compound_nationality_adjectives")


@dataclass(frozen=True)
class EpithetHead:
    """A head noun of a definite description ("gruppo", "casa", "amministratore delegato") and what it fits."""

    words: str
    type: str
    sectors: frozenset[str]
    roles: frozenset[str]
    bare: bool


@dataclass(frozen=True)
class Lexicon:
    """Every folded word list the entity rules use."""

    sentence_initial_common: frozenset[str]
    not_entities: frozenset[str]
    particles: frozenset[str]
    weak_particles: frozenset[str]
    honorifics: frozenset[str]
    person_roles: frozenset[str]
    title_words: frozenset[str]
    org_suffixes: frozenset[str]
    org_heads: frozenset[str]
    lowercase_org_heads: frozenset[str]
    lowercase_loc_heads: frozenset[str]
    not_entity_cues: frozenset[str]
    event_cues: frozenset[str]
    portfolio_roles: frozenset[str]
    title_phrases: frozenset[str]
    event_heads: frozenset[str]
    event_tails: frozenset[str]
    loc_heads: frozenset[str]
    loc_tails: frozenset[str]
    loc_cues: frozenset[str]
    weak_loc_cues: frozenset[str]
    org_cues: frozenset[str]
    product_cues: frozenset[str]
    product_variants: frozenset[str]
    maker_units: frozenset[str]
    subsidiary_units: frozenset[str]
    first_names: frozenset[str]
    family_names_first: frozenset[str]
    epithet_heads: dict[str, EpithetHead]
    sector_adjectives: dict[str, frozenset[str]]
    sector_nouns: dict[str, frozenset[str]]
    epithet_fillers: frozenset[str]
    nationality_adjectives: dict[str, frozenset[str]]
    continent_adjectives: dict[str, frozenset[str]]
    city_adjectives: dict[str, str]
    metonyms: dict[str, str]
    adjective_forms: dict[str, str] = field(default_factory=dict)  # irregular form -> masculine singular
    # KB product id -> bare model names usable only near the maker ("Panda", "500"), from entity_cues.yaml
    model_bare_forms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    max_cue_words: int = field(default=4)
    # per-process memo of derived lookups (adjective classes): not part of the word lists' identity
    memo: dict = field(default_factory=dict, compare=False, hash=False, repr=False)


def _words(value, name: str, source: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, dict):  # a mapping of lists ("it: [...], en: [...]") is read as their union
        out: list[str] = []
        for v in value.values():
            out.extend(_words(v, name, source))
        return out
    if not isinstance(value, list):
        raise ReferenceDataError(f"{source}: '{name}' must be a list of words, got {type(value).__name__}")
    return [str(v) for v in value if v is not None and str(v).strip()]


def _fold_set(values) -> frozenset[str]:
    return frozenset(_norm(v) for v in values)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", fold(str(text))).strip()


def _code_map(raw, name: str, source: str, upper: bool) -> dict[str, frozenset[str]]:
    """word -> set of codes: ISO2 country codes (upper) or KB sectors (lower)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ReferenceDataError(f"{source}: '{name}' must be a mapping word -> list of codes")
    out: dict[str, frozenset[str]] = {}
    for word, codes in raw.items():
        if isinstance(codes, str):
            codes = [codes]
        # YAML 1.1 reads an unquoted NO (Norway) as false: take it back as the country code
        out[_norm(word)] = frozenset(("NO" if c is False else str(c).strip().upper()) if upper else _norm(c) for c in codes or [])
    return out


def _epithet_heads(raw, source: str) -> dict[str, EpithetHead]:
    if not isinstance(raw, dict):
        raise ReferenceDataError(f"{source}: 'epithet_heads' must be a mapping head -> {{type, sectors, bare}}")
    out = {}
    for words, spec in raw.items():
        spec = spec or {}
        typ = str(spec.get("type", "ORG")).upper()
        out[_norm(words)] = EpithetHead(
            _norm(words),
            typ,
            frozenset(_norm(s) for s in spec.get("sectors") or []),
            frozenset(_norm(r) for r in spec.get("roles") or []),
            bool(spec.get("bare", False)),
        )
    return out


def _merge_cue_heads(heads: dict[str, EpithetHead], raw, typ: str, modifiers: frozenset[str]) -> None:
    """entity_cues.yaml heads ('head: [sectors]'): added as heads that need a modifier ("il partner cinese").

    Heads that carry their own modifier ("quotidiano britannico", "colosso dell'elettronica") are left
    out: the rules read the modifier after the head and would lose it inside a longer head.
    """
    if not isinstance(raw, dict):
        return
    for words, sectors in raw.items():
        key = _norm(words)
        if any(w.strip("'") in modifiers or w.endswith("'") for w in key.split()[1:]):
            continue
        sectors = frozenset(_norm(x) for x in (sectors or []) if str(x) != "any")
        if any(str(x) == "any" for x in (raw[words] or [])):
            sectors = frozenset()
        if key in heads or key in _HEADS_NEVER:  # entities_rules.yaml decides these
            continue
        if typ == "PER":
            # "il governatore", "il sindacalista": a person head fits whoever was given that role (or sector)
            heads[key] = EpithetHead(key, typ, sectors, frozenset({key}), True)
        else:
            heads[key] = EpithetHead(key, typ, sectors, frozenset(), False)


def _bare_forms(raw) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict):
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for pid, forms in raw.items():
        forms = forms if isinstance(forms, list) else [forms]
        out[str(pid)] = tuple(str(f) for f in forms if f is not None and str(f).strip())
    return out


def merged_words(rules: dict, name: str) -> list[str]:
    raw = rules.get(name)
    return [str(k) for k in raw] if isinstance(raw, dict) else _words(raw, name, RULES_FILE)


def _load_cues(reference_dir: Path | None) -> dict:
    # Optional: the rules work from entities_rules.yaml alone; entity_cues.yaml only adds words.
    try:
        data = load_yaml(CUES_FILE, reference_dir)
    except ReferenceDataError as exc:
        if "missing reference file" in str(exc):
            return {}
        raise
    return data if isinstance(data, dict) else {}


def load_lexicon(reference_dir: Path | None = None) -> Lexicon:
    """Read and fold the word lists; ReferenceDataError names the file and list that is malformed."""
    rules = load_yaml(RULES_FILE, reference_dir)
    if not isinstance(rules, dict):
        raise ReferenceDataError(f"{RULES_FILE} must be a mapping of lists")
    cues = _load_cues(reference_dir)

    def merged(name: str) -> list[str]:
        words = _words(rules.get(name), name, RULES_FILE)
        for key in _CUE_KEYS.get(name, ()):
            words.extend(_words(cues.get(key), key, CUES_FILE))
        return words

    regions = _code_map(rules.get("region_codes"), "region_codes", RULES_FILE, upper=True)
    regions = {k.upper(): v for k, v in regions.items()}
    nationality = _code_map(rules.get("nationality_adjectives"), "nationality_adjectives", RULES_FILE, upper=True)
    for key in _NATIONALITY_KEYS:
        raw = cues.get(key)
        if isinstance(raw, dict):
            for word, codes in _code_map(raw, key, CUES_FILE, upper=True).items():
                expanded: set[str] = set()
                for c in codes:  # region codes (EU, ASIA) stand for their countries
                    expanded |= regions.get(c, {c} if len(c) == 2 and c.isalpha() else set())
                if expanded:
                    nationality.setdefault(word, frozenset(expanded))
    forms = {_norm(k): _norm(v) for k, v in (cues.get("nationality_adjectives_irregular_forms") or {}).items()}
    heads = _epithet_heads(rules.get("epithet_heads") or {}, RULES_FILE)
    sector_adj = _code_map(rules.get("sector_adjectives"), "sector_adjectives", RULES_FILE, upper=False)
    sector_nouns = _code_map(rules.get("sector_nouns"), "sector_nouns", RULES_FILE, upper=False)
    modifiers = frozenset(nationality) | frozenset(sector_adj) | frozenset(sector_nouns) | frozenset(_fold_set(merged_words(rules, "city_adjectives")))
    _merge_cue_heads(heads, cues.get("epithet_heads"), "ORG", modifiers)
    _merge_cue_heads(heads, cues.get("person_epithet_heads"), "PER", modifiers)
    cities = {_norm(k): str(v) for k, v in (rules.get("city_adjectives") or {}).items()}
    for k, v in (cues.get("city_adjectives") or {}).items():
        cities.setdefault(_norm(k), str(v))
    for k, v in (cues.get("region_adjectives") or {}).items():  # "il costruttore texano": headquarters in Texas
        cities.setdefault(_norm(k), str(v))
    not_place = _fold_set(_words(rules.get("not_place_cues"), "not_place_cues", RULES_FILE))
    roles = _fold_set(merged("person_roles"))
    org_cues = _fold_set(merged("org_cues"))
    loc_cues = _fold_set(merged("loc_cues")) - not_place
    product_cues = _fold_set(merged("product_cues"))
    longest = max((len(p.split()) for p in roles | org_cues | loc_cues | product_cues), default=1)
    return Lexicon(
        sentence_initial_common=_fold_set(merged("sentence_initial_common")),
        not_entities=_fold_set(merged("not_entities")),
        particles=_fold_set(merged("particles")),
        weak_particles=_fold_set(merged("weak_particles")),
        honorifics=_fold_set(w.rstrip(".") for w in merged("honorifics")),
        person_roles=roles,
        title_words=_fold_set(merged("title_words")),
        org_suffixes=_fold_set(w.rstrip(".") if w.count(".") == 1 else w for w in merged("org_suffixes")),
        org_heads=_fold_set(merged("org_heads")),
        lowercase_org_heads=_fold_set(merged("lowercase_org_heads")),
        lowercase_loc_heads=_fold_set(merged("lowercase_loc_heads")),
        not_entity_cues=_fold_set(merged("not_entity_cues")),
        event_cues=_fold_set(merged("event_cues")),
        portfolio_roles=_fold_set(merged("portfolio_roles")),
        title_phrases=_fold_set(merged("title_phrases")),
        event_heads=_fold_set(merged("event_heads")),
        event_tails=_fold_set(merged("event_tails")),
        loc_heads=_fold_set(merged("loc_heads")),
        loc_tails=_fold_set(merged("loc_tails")),
        loc_cues=loc_cues,
        weak_loc_cues=_fold_set(merged("weak_loc_cues")) - not_place,
        org_cues=org_cues,
        product_cues=product_cues,
        product_variants=_fold_set(merged("product_variants")),
        maker_units=_fold_set(merged("maker_units")),
        subsidiary_units=_fold_set(merged("subsidiary_units")),
        first_names=_fold_set(merged("first_names")),
        family_names_first=_fold_set(merged("family_names_first")),
        epithet_heads=heads,
        sector_adjectives=sector_adj,
        sector_nouns=sector_nouns,
        epithet_fillers=_fold_set(merged("epithet_fillers")),
        nationality_adjectives=nationality,
        continent_adjectives=_code_map(rules.get("continent_adjectives"), "continent_adjectives", RULES_FILE, upper=True),
        city_adjectives=cities,
        metonyms={str(k): str(v) for k, v in (rules.get("metonyms") or {}).items()},
        adjective_forms=forms,
        model_bare_forms=_bare_forms(cues.get("model_bare_forms_need_maker_context")),
        max_cue_words=min(longest, 6),
    )
