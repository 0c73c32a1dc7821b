"""KB alias matching: case, elisions, multiword and longest match, overlaps, brand+model ("Xiaomi SU7")."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import NamedTuple

from pipeline.extract.entities.anchors import ANCHOR_RE, Anchors, fold_text
from pipeline.extract.entities.kb import KnowledgeBase
from pipeline.extract.entities.lexicon import Lexicon

# The word right after a maker's name: a model may start with a digit or lowercase (Fiat 500, Peugeot e-208).
NEXT_WORD_RE = re.compile(r"[ \u00a0]([^\W_][\w.+-]*)")
DEFINITE_BEFORE_RE = re.compile(r"(?:^|[^\w'])(?:il|lo|la|l'|del|dello|della|dell'|al|allo|alla|all'|dal|dallo|dalla|dall'|nel|nello|nella|nell'|sul|sullo|sulla|sull'|col)\s*$")
# A model named by a number ("500", "208", "500 ibrida"), not a year: found after an article ("la 500").
NUMBERED_MODEL_RE = re.compile(r"^(?!(?:19|20)\d\d\b)\d{2,4}[a-z]{0,2}\b")
# The first two words of a multiword alias, joined by one separator ("ford motor", "mercedes-benz", "id.3").
TWO_WORDS_RE = re.compile(r"[^\W_]+[ .'&/-][^\W_]+")
NEXT_TOKEN_RE = re.compile(r"[^\W_]+")
NUMBER_GOES_ON_RE = re.compile(r"[.,]\d|\s*%")
ARTICLE_BEFORE_RE = re.compile(r"(?:^|[^\w'])(?:la|le|il|una|della|alla|dalla|nella|sulla|delle|alle|dalle|nelle|sulle|nuova|sua|l')\s*$")
# Products named without their maker in the news: "ha scritto su X", "un video su Weibo".
STANDALONE_PRODUCT_SECTORS = frozenset({"social_network"})
MAKER_SECTORS = frozenset({"automaker", "brand", "manufacturer", "carmaker", "motorcycle", "truck", "group", "tech", "electronics"})


@dataclass(frozen=True)
class AliasEntry:
    """One way of writing one KB entity."""

    folded: str
    entity_id: str
    method: str  # kb_alias | kb_epithet
    upper_at: tuple[int, ...]  # offsets (in the alias) that must be uppercase in the text
    ambiguous: bool  # one common word ("Panda", "Mali"): not trusted at the start of a sentence
    needs_maker: bool  # a bare model name ("Escape"): only with its maker in the article
    generated: bool  # a pycountry name form: a KB row's own alias wins over it
    order: int  # KB order: the first entity wins a tie
    maker: tuple[str, int] | None = None  # "Xiaomi SU7": (maker id, length of the maker's name) opening the alias


@dataclass(frozen=True)
class AliasIndex:
    """Aliases by their first capitalized word, lowercase-initial aliases as one regex, models by first word."""

    by_first: dict[str, tuple[tuple[str, int, tuple[AliasEntry, ...]], ...]]  # multiword aliases not keyed by two words
    single: dict[str, tuple[AliasEntry, ...]]  # one-word aliases
    by_two: dict[str, tuple[tuple[str, int, tuple[AliasEntry, ...]], ...]]  # multiword aliases by their first two words
    multi_keys: frozenset[str]  # first words that open a multiword alias
    lower: dict[str, tuple[AliasEntry, ...]]
    models: dict[str, tuple[tuple[str, int, tuple[AliasEntry, ...]], ...]]
    numbered: dict[str, tuple[AliasEntry, ...]]  # models named by a number ("500", "500 ibrida"): after an article
    makers: frozenset[str]  # entities some KB product descends from: only they open a brand+model span


class KbMatch(NamedTuple):
    """A span of the body matching one or more KB aliases (several entities may share an alias).

    A NamedTuple, not a frozen dataclass: dozens are built per article and tuples are cheaper to build.
    """

    start: int
    end: int
    entries: tuple[AliasEntry, ...]
    initial: bool = False
    maker_id: str | None = None  # brand+model: the maker whose name opens the span
    maker_end: int = 0


def build_alias_index(kb: KnowledgeBase, lexicon: Lexicon, is_common_word) -> AliasIndex:
    """Index every alias, epithet and generated name of the KB (once per process)."""
    by_first: dict[str, dict[str, list[AliasEntry]]] = {}
    single: dict[str, list[AliasEntry]] = {}
    by_two: dict[str, dict[str, list[AliasEntry]]] = {}
    lower: dict[str, list[AliasEntry]] = {}
    models: dict[str, dict[str, list[AliasEntry]]] = {}
    numbered: dict[str, list[AliasEntry]] = {}
    for order, e in enumerate(kb.entities.values()):
        maker_names = _maker_names(kb, e.id) if e.type == "PRODUCT" else ()
        maker_prefixes = _maker_prefixes(kb, e.id) if e.type == "PRODUCT" else ()
        forms = [(e.name, "kb_alias", False)] + [(a, "kb_alias", False) for a in e.aliases]
        forms += [(a, "kb_alias", True) for a in e.generated_aliases]
        forms += [(a, "kb_alias", False) for a in lexicon.model_bare_forms.get(e.id, ()) if a not in e.aliases]
        forms += [(a, "kb_epithet", False) for a in e.epithets]
        if maker_prefixes:
            forms += [(a, "kb_alias", False) for a in _without_maker(e, maker_prefixes) if a not in e.aliases]
        for text, method, generated in forms:
            text = re.sub(r"\s+", " ", text).strip()
            folded = fold_text(text)
            if len(folded) < 2 and not folded.isalpha():
                continue
            if folded in lexicon.not_entities and method == "kb_alias" and " " not in folded:
                continue  # "Smart" may be a brand, but "EV" or "Ultra" alone never name one
            if (generated or e.id.startswith("loc:country-")) and " " not in folded and folded in lexicon.first_names:
                continue  # pycountry's Italian "Maurizio" (Mauritius) is far more often a first name
            needs_maker = e.type == "PRODUCT" and e.sector not in STANDALONE_PRODUCT_SECTORS and not any(m in folded for m in maker_names)
            first = ANCHOR_RE.match(text)
            one_word = " " not in folded and "-" not in folded
            # A one-word name that is also a sentence opener ("Mentre") or a common noun used as a model
            # name ("Panda", "Edge") is not trusted at the start of a sentence.
            closed = folded in lexicon.sentence_initial_common or folded in lexicon.not_entities
            entry = AliasEntry(
                folded,
                e.id,
                method,
                _upper_offsets(text),
                ambiguous=one_word and (closed or (e.type == "PRODUCT" and is_common_word(folded))),
                needs_maker=needs_maker,
                generated=generated,
                order=order,
                maker=next(((mid, len(p)) for p, mid in maker_prefixes if folded.startswith(p + " ")), None),
            )
            if e.type == "PRODUCT":
                key = _first_word(folded)
                models.setdefault(key, {}).setdefault(folded, []).append(entry)
                if NUMBERED_MODEL_RE.match(folded):
                    numbered.setdefault(folded, []).append(entry)
            if method == "kb_epithet" or not first:
                # lowercase-initial ("ex Fiat", "casa di Maranello"): found by the epithet regex; a bare
                # number or lowercase model ("500", "e-208") only after its maker.
                if e.type != "PRODUCT" or method == "kb_epithet":
                    lower.setdefault(folded, []).append(entry)
                continue
            key = folded[: first.end()]
            two = TWO_WORDS_RE.match(folded)
            if len(key) == len(folded):
                single.setdefault(key, []).append(entry)
            elif two:
                by_two.setdefault(two.group(), {}).setdefault(folded, []).append(entry)
            else:
                by_first.setdefault(key, {}).setdefault(folded, []).append(entry)
            if " " in folded and key in lexicon.lowercase_org_heads:
                # "ministero delle Imprese": Italian writes the institution's head word in lowercase too, and
                # a long name's inner capitals as it likes ("del made in Italy"): no common phrase is that long
                upper_at = () if folded.count(" ") >= 4 else entry.upper_at[1:]
                lower.setdefault(folded, []).append(replace(entry, upper_at=upper_at))
    return AliasIndex(
        _sorted_groups(by_first),
        {k: tuple(sorted(v, key=lambda x: x.order)) for k, v in single.items()},
        _sorted_groups(by_two),
        frozenset(by_first) | frozenset(_first_word(k) for k in by_two),
        {k: tuple(v) for k, v in lower.items()},
        _sorted_groups(models),
        {k: tuple(v) for k, v in numbered.items()},
        frozenset(a for e in kb.entities.values() if e.type == "PRODUCT" for a in kb.ancestors(e.id)),
    )


def _first_word(folded: str) -> str:
    m = NEXT_TOKEN_RE.match(folded)
    return m.group() if m else folded


def _sorted_groups(d: dict[str, dict[str, list[AliasEntry]]]) -> dict:
    # Longest alias first: the longest match wins ("General Motors" before "General").
    return {
        key: tuple(sorted(((f, len(f), tuple(sorted(es, key=lambda x: x.order))) for f, es in groups.items()), key=lambda g: -g[1]))
        for key, groups in d.items()
    }


def _maker_names(kb: KnowledgeBase, entity_id: str) -> tuple[str, ...]:
    names = []
    for aid in kb.ancestors(entity_id):
        a = kb.entities.get(aid)
        if a:
            names.extend(fold_text(x) for x in (a.name, *a.aliases) if len(x) > 1)
    return tuple(names)


def _without_maker(e, maker_prefixes: tuple[tuple[str, str], ...]) -> list[str]:
    """'Fiat 500 elettrica' -> '500 elettrica': a model's name without its maker (used only near the maker)."""
    out = []
    for text in (e.name, *e.aliases):
        folded = fold_text(text)
        for prefix, _ in maker_prefixes:
            if folded.startswith(prefix + " ") and len(text) - len(prefix) > 3:
                out.append(text[len(prefix) + 1 :])
                break
    return out


def _maker_prefixes(kb: KnowledgeBase, entity_id: str) -> tuple[tuple[str, str], ...]:
    """(folded name, id) of the product's makers, longest name first: "xiaomi" opens "xiaomi su7"."""
    out = []
    for aid in kb.ancestors(entity_id):
        a = kb.entities.get(aid)
        if a:
            out.extend((fold_text(x), aid) for x in (a.name, *a.aliases) if len(x) > 1)
    return tuple(sorted(out, key=lambda t: -len(t[0])))


def _upper_offsets(text: str) -> tuple[int, ...]:
    # Only word-initial capitals are checked: "BYD" also matches "Byd", "Unione europea" also "Unione Europea".
    return tuple(m.start() for m in re.finditer(r"(?<![^\W_])[^\W\d_]", text) if text[m.start()].isupper())


def _boundary(folded: str, end: int) -> bool:
    return end >= len(folded) or not folded[end].isalnum()


def _case_ok(body: str, start: int, entry: AliasEntry) -> bool:
    for o in entry.upper_at:  # a plain loop: a generator in all() costs more for one or two offsets
        if not body[start + o].isupper():
            return False
    return True


def match_kb(body: str, folded: str, anchors: Anchors, index: AliasIndex, kb: KnowledgeBase, taken: list[tuple[int, int]]) -> list[KbMatch]:
    """Longest KB alias at each capitalized word (left to right, no overlaps), plus brand+model spans.

    `taken` are spans already claimed (lowercase-initial aliases found before): words inside them are skipped.
    Multiword aliases are looked up by the first two words of the text, so a frequent name ("Ford", with
    a dozen longer aliases) costs one dictionary lookup, not a dozen string comparisons.
    """
    out: list[KbMatch] = []
    single, multi_keys, by_two, by_first, makers = index.single, index.multi_keys, index.by_two, index.by_first, index.makers
    starts, ends, initial = anchors.starts, anchors.ends, anchors.initial
    size = len(folded)
    taken = sorted(taken)
    ti, nt = 0, len(taken)
    covered = -1
    for i, key in enumerate(anchors.folded):
        multi = key in multi_keys
        if not multi and key not in single:
            continue
        s = starts[i]
        if s < covered:
            continue
        while ti < nt and taken[ti][1] <= s:
            ti += 1
        if ti < nt and taken[ti][0] <= s:
            continue
        match = None
        if multi:
            e = ends[i]
            groups = ()
            if e < size - 1 and folded[e] in " .'&/-":
                two = NEXT_TOKEN_RE.match(folded, e + 1)
                if two:
                    groups = by_two.get(folded[s : two.end()], ())
            for ftext, n, entries in (*groups, *by_first.get(key, ())):
                if folded.startswith(ftext, s) and _boundary(folded, s + n):
                    entries = tuple(x for x in entries if _case_ok(body, s, x))
                    if entries:
                        match = KbMatch(s, s + n, entries, initial[i])
                        break
        if match is None:
            entries = single.get(key)
            if entries is None or (len(key) == 1 and _after_capitalized_word(body, s)):
                continue  # a one-letter name after a capitalized word is a numeral or a letter of it ("Carlo X")
            match = KbMatch(s, ends[i], entries, initial[i])
        for x in match.entries:
            if x.entity_id in makers:
                match = _brand_model(body, folded, match, index, kb) or match
                break
        out.append(match)
        covered = match.end
    return out


def _after_capitalized_word(body: str, pos: int) -> bool:
    """True when the word right before `pos` (one space away) starts with a capital: "Carlo X", "Model X"."""
    if pos < 2 or body[pos - 1] != " ":
        return False
    k = pos - 2
    while k > 0 and body[k - 1].isalpha():
        k -= 1
    return body[k].isupper() and body[k : pos - 1].isalpha()


def _brand_model(body: str, folded: str, match: KbMatch, index: AliasIndex, kb: KnowledgeBase) -> KbMatch | None:
    """'Xiaomi SU7', 'Fiat 500': a maker's name followed by one of its models is the model, made by the maker."""
    makers = [e.entity_id for e in match.entries if kb.entities[e.entity_id].type == "ORG"]
    if not makers:
        return None
    m = NEXT_WORD_RE.match(body, match.end)
    if not m:
        return None
    pos = m.start(1)
    groups = index.models.get(_first_word(folded[pos : m.end(1)]))
    if not groups:
        return None
    for ftext, n, entries in groups:
        if not (folded.startswith(ftext, pos) and _boundary(folded, pos + n)):
            continue
        for maker in makers:
            fits = tuple(e for e in entries if maker in kb.ancestors(e.entity_id))
            if fits:
                return KbMatch(match.start, pos + n, fits, match.initial, maker, match.end)
    return None


@dataclass(frozen=True)
class PhraseIndex:
    """Lowercase phrases by first word: KB aliases/epithets ('kb'), numbered models ('num'), epithet heads ('head')."""

    by_first: dict[bytes, tuple[tuple[str, str], ...]]  # first word (UTF-8) -> ((phrase, kind), ...), longest first
    first_words: frozenset[bytes]
    # first word -> regex finding it as a whole word (a literal first, so the engine searches like str.find)
    finders: dict[bytes, re.Pattern]
    # first word whose phrases all have more words -> the second words they need ("joint" -> "venture")
    needs_next: dict[bytes, frozenset[bytes]]
    # first words and every second word some first word needs: one set intersection per text answers both
    probe: frozenset[bytes] = frozenset()


def build_phrase_index(index: AliasIndex, heads: list[str]) -> PhraseIndex:
    """Index every lowercase phrase the rules look for (once per process)."""
    groups: dict[bytes, dict[str, str]] = {}
    for kind, phrases in (("num", index.numbered), ("kb", index.lower), ("head", [fold_text(h) for h in heads])):
        for phrase in phrases:
            words = _phrase_split(phrase)
            if words:
                groups.setdefault(words[0], {}).setdefault(phrase, kind)  # the first kind listed wins a tie
    by_first = {w: tuple(sorted(g.items(), key=lambda kv: -len(kv[0]))) for w, g in groups.items()}
    finders = {w: re.compile(_whole_word(w.decode("utf-8"))) for w in by_first}
    needs_next = {}
    for w, options in by_first.items():
        seconds = [_phrase_split(p)[1:2] for p, _ in options]
        if all(seconds):
            needs_next[w] = frozenset(x[0] for x in seconds)
    probe = frozenset(by_first).union(*needs_next.values())
    return PhraseIndex(by_first, frozenset(by_first), finders, needs_next, probe)


def _whole_word(word: str) -> str:
    n = len(word)
    return re.escape(word) + rf"(?<![^\W_].{{{n}}})" if n else "(?!x)x"


# Finding a few hundred phrases with one alternation regex costs more than the whole entity budget;
# splitting the text into a set of words (C speed on bytes) tells which first words occur at all.
_MULTIBYTE_SEPARATORS = ("«", "»", "“", "”", "„", "–", "—", "…")
_SEPARATOR_BYTES = b"'.,;:!?()[]\"/*"
_ASCII_SEPARATORS = bytes.maketrans(_SEPARATOR_BYTES, b" " * len(_SEPARATOR_BYTES))


def _phrase_split(text: str) -> list[bytes]:
    for ch in _MULTIBYTE_SEPARATORS:
        if ch in text:
            text = text.replace(ch, " ")
    return text.encode("utf-8").translate(_ASCII_SEPARATORS).split()


def find_phrases(folded: str, phrases: PhraseIndex) -> list[tuple[int, int, str, str]]:
    """Non-overlapping (start, end, phrase, kind) hits of the indexed phrases in a folded text, leftmost-longest."""
    # the words of the text that open a phrase or that a phrase needs second (no set of all words is built)
    words = phrases.probe.intersection(_phrase_split(folded))
    present = phrases.first_words.intersection(words)
    if not present:
        return []
    hits: list[tuple[int, int, str, str]] = []
    for w in present:
        need = phrases.needs_next.get(w)
        if need is not None and need.isdisjoint(words):
            continue  # "quattro" is here, but not "anelli": no phrase can match, no need to scan the text
        options = phrases.by_first[w]
        for m in phrases.finders[w].finditer(folded):
            pos = m.start()
            for phrase, kind in options:
                end = pos + len(phrase)
                if folded.startswith(phrase, pos) and _boundary(folded, end):
                    hits.append((pos, end, phrase, kind))
                    break
    hits.sort(key=lambda h: (h[0], -h[1]))
    out: list[tuple[int, int, str, str]] = []
    for h in hits:
        if not out or h[0] >= out[-1][1]:
            out.append(h)
    return out


def match_lower(body: str, folded: str, phrases: PhraseIndex, index: AliasIndex) -> tuple[list[KbMatch], list[tuple[int, int]]]:
    """KB matches of lowercase-initial aliases/epithets and numbered models, and the spans of epithet heads."""
    kb_matches: list[KbMatch] = []
    heads: list[tuple[int, int]] = []
    for s, e, phrase, kind in find_phrases(folded, phrases):
        if kind == "head":
            heads.append((s, e))
        elif kind == "num":
            # "la 500", not "le 500.000 consegne" nor "il 500%"
            if ARTICLE_BEFORE_RE.search(folded, max(0, s - 8), s) and not NUMBER_GOES_ON_RE.match(folded, e):
                kb_matches.append(KbMatch(s, e, index.numbered[phrase]))
        else:
            # a one-word epithet ("tridente", "dragone") only after a definite article: "il Tridente"
            definite = " " in phrase or bool(DEFINITE_BEFORE_RE.search(folded, max(0, s - 8), s))
            ok = tuple(
                x for x in index.lower.get(phrase, ()) if (x.method == "kb_epithet" and definite) or (x.method != "kb_epithet" and _case_ok(body, s, x))
            )
            if ok:  # a case mismatch ("ex fiat" for the alias "ex Fiat") is no match
                kb_matches.append(KbMatch(s, e, ok))
    return kb_matches, heads


# The complement of an epithet names an entity of its own: "casa di Elon Musk" also mentions Elon Musk.
_COMPLEMENT_IN_EPITHET_RE = re.compile(r".* (?:di|del|dello|della|dei|degli|delle|da) |.* dell'")


def claimed_span(match: KbMatch, folded: str) -> tuple[int, int]:
    """The part of a lowercase-initial KB match that no capitalized name inside may also match."""
    if all(e.method == "kb_epithet" for e in match.entries):
        m = _COMPLEMENT_IN_EPITHET_RE.match(folded, match.start, match.end)
        if m:
            return match.start, m.end()
    return match.start, match.end
