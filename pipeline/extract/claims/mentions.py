"""Entity mentions of a sentence in token indices, and how a mention resolves to an entity."""
from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

from pipeline.extract.claims.lexicon import Lexicon
from pipeline.extract.claims.tokens import Tokens

OF_WORDS = frozenset("di del della dello dell' dei degli delle".split())
LEADER_ROLE_TAILS = frozenset({"uno", "delegato", "delegata"})
INDEFINITE_ARTICLES = frozenset({"un", "una", "uno", "un'"})
VOICE_OF_ORG = frozenset({"portavoce", "nota", "comunicato", "stampa"})
TYPE_PREFERENCE = {"PER": 0, "ORG": 1, "PRODUCT": 2, "EVENT": 3, "LOC": 4}


class Mention(NamedTuple):
    """An entity mention of the sentence, in token indices [first, last]."""

    first: int
    last: int
    entity_id: str
    type: str


class Context(NamedTuple):
    """What earlier sentences leave for this one (a tuple: one is made per sentence)."""

    speaker: str | None = None  # speaker of the previous sentence
    previous: tuple | None = None  # (tokens, roles, mentions) of the previous sentence: its subject, when needed
    last_per: str | None = None  # the last person named
    recent_per: tuple = ()  # persons named so far, the most recent first (a few)
    org_scores: dict | None = None  # organization -> how much the article is about it so far ("il gruppo", "la società")
    role_per: dict | None = None  # role word -> person introduced with it ("il presidente"); the article's tally
    leaders: dict | None = None  # organization -> a person of the article it is parent of
    types: dict | None = None  # entity_id -> type, for the article's entities
    employers: dict | None = None  # person -> the organization they belong to (KB parent)
    per_sectors: dict | None = None  # person -> kinds of person (executive, politician, unionist, ...); the article's tally
    described: dict | None = None  # noun -> organization it was put in apposition to ("X, la procura del lavoro"); the tally
    surnames: dict | None = None  # lowercased last word of a person's name -> the person, for names the entity layer missed
    parents: dict | None = None  # organization -> its KB parent organization ("il gruppo" of a brand is its parent)


def token_mentions(t: Tokens, mentions: list[dict], types: dict[str, str]) -> list[Mention]:
    """Mentions (body offsets) -> token spans of this sentence, sorted by position."""
    if not mentions:
        return []
    out = []
    starts, n = t.starts, len(t.toks)
    for m in mentions:
        i = bisect_right(starts, m["start"]) - 1  # Tokens.index_at, inlined
        if i < 0:
            i = 0
        k = bisect_right(starts, m["end"] - 1) - 1
        if i < n and k >= i:
            eid = m["entity_id"]
            out.append(Mention(i, k, eid, types.get(eid, "")))
    out.sort()
    return out


def choose(cands: list[Mention]) -> Mention | None:
    """A person wins over an organization, an organization over a place; then the leftmost."""
    if not cands:
        return None
    return min(cands, key=lambda m: (TYPE_PREFERENCE.get(m.type, 3), m.first))


def named_first(t: Tokens, cands: list[Mention]) -> list[Mention]:
    """Of two people, one written by name and one by a description ("L'assessore regionale ..., Francesco Cupparo,"
    with the description linked to someone else), only the named one is a candidate; a person right after an
    organization and "di" only says who leads it ("La Fismic di Roberto Di Maulo ha espresso ...": the Fismic)."""
    orgs_end = {m.last for m in cands if m.type == "ORG"}
    if orgs_end:
        cands = [m for m in cands if not (m.type == "PER" and m.first >= 2 and t.toks[m.first - 1] == "di" and m.first - 2 in orgs_end)]
    persons = {m.entity_id for m in cands if m.type == "PER"}
    if len(persons) > 1:
        named = [m for m in cands if m.type == "PER" and t.capital(m.first)]
        if named and len({m.entity_id for m in named}) < len(persons):
            return named
    return cands


def led_by_role(t: Tokens, m: Mention, lex: Lexicon) -> bool:
    """True for an organization named as the employer of a role: "il numero uno di Xiaomi", "il titolare del Mimit"
    (a spokesperson speaks for the organization itself: "un portavoce di Volkswagen" stays Volkswagen)."""
    j = m.first - 1
    if j < 1 or t.toks[j] not in OF_WORDS:
        return False
    role = t.toks[j - 1]
    if j >= 2 and t.toks[j - 2] in INDEFINITE_ARTICLES:
        return False  # "un analista di Mediobanca", "un dirigente di Stellantis": someone unnamed speaking for it
    return role not in VOICE_OF_ORG and (role in lex.person_heads or role in LEADER_ROLE_TAILS)


def resolve_mention(t: Tokens, cands: list[Mention], lex: Lexicon, ctx: Context) -> str | None:
    """The entity of the best candidate; an organization named as a role's employer gives the person in the role."""
    m = choose(named_first(t, cands))
    if m is None:
        return None
    if m.type != "PER" and led_by_role(t, m, lex):  # "il numero uno di Xiaomi": Xiaomi's person, not Xiaomi
        return (ctx.leaders or {}).get(m.entity_id) or (ctx.role_per or {}).get(t.toks[m.first - 2]) or ctx.last_per or m.entity_id
    return m.entity_id


def mentions_forward(t: Tokens, ments: list[Mention], k: int, skip: frozenset[str], limit: int = 8) -> list[Mention]:
    """Adjacent mentions found walking right from token k over `skip` words, up to a stop word or punctuation."""
    found: list[Mention] = []
    starts = {m.first: m for m in ments}
    end = min(len(t.toks), k + limit)
    while k < end:
        m = starts.get(k)
        if m:
            found.append(m)
            k = m.last + 1
            end = min(len(t.toks), max(end, k + 4))
            continue
        tok = t.toks[k]
        if tok in ("(", ")") or (tok in skip and not t.quoted[k]):
            k += 1
            continue
        break
    return found
