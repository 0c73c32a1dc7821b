"""Italian word lists for claims (data/reference/lexicon/claims.yaml), compiled once per reference dir."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.errors import ReferenceDataError
from pipeline.reference import load_yaml

LEXICON_FILE = "lexicon/claims.yaml"
# Same token shape as tokenize_sentence (pipeline/extract/claims/tokens.py) so phrases align with sentences.
_PHRASE_TOKEN = re.compile(r"[^\s,;:()\[\]«»“”\"–—?!.…']+'?|[,;:()\[\]«»“”\"–—?!.…']")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})


@dataclass(frozen=True)
class PhraseSet:
    """Phrases of several categories, indexed by an anchor token (their longest literal word, so that common
    first words like "il" or "a" do not trigger checks) for a single dict lookup per token.

    Each entry: (tokens, anchor position in tokens, category, phrase text, whether every token is a literal)."""

    by_anchor: dict[str, tuple[tuple[tuple[str, ...], int, str, str, bool], ...]]
    anchors: frozenset[str]


@dataclass(frozen=True)
class Lexicon:
    """Everything the claim rules read from claims.yaml (and, from the KB, what kind of person each person is)."""

    reporting_verbs: frozenset[str]
    reporting_needs_next: dict[str, frozenset[str]]
    reporting_not_next: dict[str, frozenset[str]]
    reporting_nouns: frozenset[str]
    lemma_overrides: dict[str, str]
    role_words: frozenset[str]
    person_heads: frozenset[str]
    org_heads: frozenset[str]
    verb_homographs: dict[str, str]  # "precisa" -> "precisare": a verb only in context (claims.rules._read_homographs)
    role_synonyms: dict[str, str]  # role word -> the role it names ("ad" -> "amministratore")
    role_sectors: dict[str, frozenset[str]]  # role word -> kinds of person who hold it (KB sectors)
    media_nouns: frozenset[str]
    media_verbs: frozenset[str]
    phrases: PhraseSet  # categories: hearsay speculation denial plan source pronoun_source cta caption, and "pred:<class>"
    denial_verbs: frozenset[str]
    denial_object_verbs: frozenset[str]
    denial_objects: frozenset[str]
    plan_verbs: frozenset[str]
    signpost_heads: frozenset[str]
    framing_verbs: frozenset[str]
    framing_settings: frozenset[str]
    evaluative_adjectives: frozenset[str]
    cta_openers: frozenset[str]
    predicate_words: dict[str, str]  # one-word lemma or form -> predicate class
    predicate_order: dict[str, int]  # earlier classes win when several match
    weak_predicates: frozenset[str]
    person_sectors: dict[str, str] = field(default_factory=dict)  # KB person id -> sector (executive, politician, unionist, ...)
    person_roles: dict[str, frozenset[str]] = field(default_factory=dict)  # KB person id -> role keys of their KB role
    non_company_orgs: frozenset[str] = frozenset()  # KB ids of media, unions, governments...: no "azienda" of a story
    institution_heads: dict[str, frozenset[str]] = field(default_factory=dict)  # "il ministero" -> kinds of organization
    org_kinds: dict[str, str] = field(default_factory=dict)  # KB org id -> kind ("ministry", "government", "union", ...)
    verb_cue_lemmas: frozenset[str] = frozenset()  # lemmas that can make a verb a modality cue (besides cond/fut)
    word_info: dict = field(default_factory=dict, compare=False, hash=False)  # token -> (lemma, form), filled as met


def phrase_tokens(text: str) -> tuple[str, ...]:
    """A phrase as the tuple of lowercased tokens the matcher compares."""
    return tuple(_PHRASE_TOKEN.findall(text.translate(_APOSTROPHES).lower()))


def build_phrase_set(groups: dict[str, list[str]]) -> PhraseSet:
    """Phrases by category -> PhraseSet (longest phrases first, so the most specific cue wins)."""
    index: dict[str, list] = {}
    for category, phrases in groups.items():
        for phrase in phrases or []:
            toks = phrase_tokens(str(phrase))
            if toks:
                special = [tok.startswith("<") or tok.endswith("*") for tok in toks]
                anchor = max((k for k in range(len(toks)) if not special[k]), key=lambda k: (len(toks[k]), k))
                index.setdefault(toks[anchor], []).append((toks, anchor, category, str(phrase), not any(special)))
    return PhraseSet({k: tuple(v) for k, v in index.items()}, frozenset(index))


def _word_map(data: dict | None) -> dict[str, frozenset[str]]:
    return {str(k).lower(): frozenset(str(x).lower() for x in v or []) for k, v in (data or {}).items()}


def _sectors_by_word(data: dict | None) -> dict[str, frozenset[str]]:
    """{sector: [role words]} -> {role word: sectors}."""
    out: dict[str, set[str]] = {}
    for sector, ws in (data or {}).items():
        for w in ws or []:
            out.setdefault(str(w).lower(), set()).add(str(sector))
    return {w: frozenset(v) for w, v in out.items()}


# KB sectors of organizations that are no company: "l'azienda" or "il gruppo" of a story is none of them.
NON_COMPANY_SECTORS = frozenset({"media", "government", "union", "trade_body", "party", "university", "exchange", "supranational", "ngo", "sector"})


def _kb_facts(reference_dir: Path | None, synonyms: dict[str, str]) -> tuple[dict[str, str], dict[str, frozenset[str]], frozenset[str], dict[str, str]]:
    """KB person id -> sector, and -> the role words of their KB role (as role keys), for "il sindacalista" /
    "il presidente" to tell people apart; plus the ids of organizations that are no company (no "azienda" of a story
    is its newspaper or a union), and each organization's kind for "il ministero" / "il sindacato"; empty without a
    valid KB (the entity stage reports its errors)."""
    from pipeline.extract.entities.kb import read_kb_rows  # the one KB reader (rows validated, stripped)

    try:
        rows, _ = read_kb_rows(reference_dir)
    except ReferenceDataError:
        return {}, {}, frozenset(), {}
    # a ministry is a government office of its own: "il ministero" is no "governo"
    org_kinds = {e.id: "ministry" if e.sector == "government" and e.name.lower().startswith(("ministero", "dicastero")) else e.sector
                 for e in rows if e.type == "ORG" and e.sector}
    sectors: dict[str, str] = {}
    roles: dict[str, frozenset[str]] = {}
    no_company = frozenset(e.id for e in rows if e.type == "ORG" and e.sector in NON_COMPANY_SECTORS)
    for e in rows:
        if e.type != "PER":
            continue
        if e.sector:
            sectors[e.id] = e.sector
        role = (e.role or "").translate(_APOSTROPHES).lower().replace("primo ministro", "premier")  # no "il ministro"
        words = _PHRASE_TOKEN.findall(role)
        if words and words[0] != "ex":
            if "presidente" in words and "regione" in words:
                words.append("governatore")  # a regional president is "il governatore" in the press
            roles[e.id] = frozenset(synonyms.get(w, w) for w in words)
    return sectors, roles, no_company, org_kinds


def _class_words(classes: dict[str, list[str]]) -> dict[str, str]:
    """One-word members of the predicate classes -> class (the first class listing a word keeps it)."""
    out: dict[str, str] = {}
    for cls, members in classes.items():
        for member in members:
            toks = phrase_tokens(member)
            if len(toks) == 1:
                out.setdefault(toks[0], cls)
    return out


@lru_cache(maxsize=4)
def load_lexicon(reference_dir: Path | None = None) -> Lexicon:
    """Parse claims.yaml once per process and reference dir."""
    data = load_yaml(LEXICON_FILE, reference_dir)
    classes = {str(c): [str(w) for w in ws or []] for c, ws in (data.get("predicate_classes") or {}).items()}
    words = lambda key: frozenset(str(w).lower() for w in data.get(key) or [])  # noqa: E731
    synonyms = {str(w).lower(): str(k).lower() for k, ws in (data.get("role_synonyms") or {}).items() for w in ws or []}
    person_sectors, person_roles, non_company_orgs, org_kinds = _kb_facts(reference_dir, synonyms)
    return Lexicon(
        reporting_verbs=words("reporting_verbs"),
        reporting_needs_next=_word_map(data.get("reporting_needs_next")),
        reporting_not_next=_word_map(data.get("reporting_not_next")),
        reporting_nouns=words("reporting_nouns"),
        lemma_overrides={str(k).lower(): str(v).lower() for k, v in (data.get("lemma_overrides") or {}).items()},
        role_words=words("role_words"),
        person_heads=words("person_heads"),
        org_heads=words("org_heads"),
        verb_homographs={str(k).lower(): str(v).lower() for k, v in (data.get("verb_homographs") or {}).items()},
        role_synonyms=synonyms,
        role_sectors=_sectors_by_word(data.get("role_sectors")),
        media_nouns=words("media_nouns"),
        media_verbs=words("media_verbs"),
        phrases=build_phrase_set(
            {
                **{k: data.get(k) for k in ("hearsay", "speculation", "denial", "plan", "target")},
                "source": data.get("source_intros"),
                "pronoun_source": data.get("pronoun_sources"),
                "cta": data.get("call_to_action"),
                "caption": data.get("captions"),
                **{f"pred:{c}": [w for w in ws if len(phrase_tokens(w)) > 1] for c, ws in classes.items()},
            }
        ),
        denial_verbs=words("denial_verbs"),
        denial_object_verbs=words("denial_object_verbs"),
        denial_objects=words("denial_objects"),
        plan_verbs=words("plan_verbs"),
        signpost_heads=words("signpost_heads"),
        framing_verbs=words("framing_verbs"),
        framing_settings=words("framing_settings"),
        evaluative_adjectives=words("evaluative_adjectives"),
        cta_openers=words("cta_openers"),
        predicate_words=_class_words(classes),
        predicate_order={c: i for i, c in enumerate(classes)},
        weak_predicates=words("weak_predicates"),
        person_sectors=person_sectors,
        person_roles=person_roles,
        non_company_orgs=non_company_orgs,
        institution_heads=_word_map(data.get("institution_heads")),
        org_kinds=org_kinds,
        verb_cue_lemmas=words("denial_verbs") | words("denial_object_verbs") | words("plan_verbs") | words("media_verbs") | {"volere", "sembrare", "parere"},
    )
