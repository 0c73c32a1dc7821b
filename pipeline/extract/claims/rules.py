"""claims.rules.v1: one claim per asserting sentence, with speaker, quote, modality, subjects and predicate."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.extract.claims.clauses import clause_roles, match_phrases
from pipeline.extract.claims.detect import claim_exclusion
from pipeline.extract.claims.interview import answer_words, find_interview, interviewee
from pipeline.extract.claims.lexicon import Lexicon, load_lexicon
from pipeline.extract.claims.mentions import OF_WORDS, Context, Mention, led_by_role, token_mentions
from pipeline.extract.claims.modality import Signals, collect_signals, decide_modality
from pipeline.extract.claims.morph import participle_reading
from pipeline.extract.claims.predicate import find_predicate
from pipeline.extract.claims.quotes import MIN_STATEMENT_WORDS, find_quote_spans, sentence_quote, spans_in
from pipeline.extract.claims.speakers import CLAUSE_PUNCT, VERDICT_WORDS, find_speaker
from pipeline.extract.claims.subjects import FINITE_FORMS, epithet_entity, main_subject, person_by_role, role_key
from pipeline.extract.claims.tokens import PUNCT, OPEN_QUOTES, QUOTE_MARKS, Tokens, tokenize_sentence
from pipeline.extract.registry import register
from pipeline.text import Sentence

# Words between a name and its role ("François Provost nuovo amministratore delegato", "Xu Fei, vicepresidente").
ROLE_GAP = frozenset({",", "nuovo", "nuova", "ex", "attuale", "storico", "storica", "il", "la", "l'"})
# Participles that name a role: "presieduto da John Elkann" makes him "il presidente".
ROLE_VERBS = {"presiedere": "presidente", "fondare": "fondatore", "dirigere": "direttore"}
DEFINITE_ARTICLES = frozenset("il lo la l' i gli le".split())
# How many persons named before a role description may be what it refers to ("il manager", "la ministra").
RECENT_PERSONS = 6
# Sentence openers that refer to what was just said: "Lo ha detto Tavares", "Così il ministro".
POINTING_BACK = frozenset({"lo", "l'", "così", "parole", "parola"})
CLITIC_POINTERS = ("lo ", "l'ha", "l'hanno", "l'aveva", "è quanto ", "e' quanto ")
# A noun-or-verb form closing the sentence after a comma with an article after it is the reporting verb.
TAG_ARTICLES = frozenset("il lo la l' i gli le un una uno un'".split())
CLOSING_TAG_TOKENS = 9
POINTING_BACK_PHRASES = (
    "con queste parole", "con tali parole", "queste le parole", "queste parole", "con queste dichiarazioni", "questa la posizione",
    "questo il parere", "questo il pensiero", "questa la linea", "questa la tesi", "questa l'opinione", "questa la replica",
    "questo il commento", "è quanto", "e' quanto",
)
# Determiners (plain and with a preposition) in front of a description ("dell'azienda", "la società").
DETERMINER_WORDS = frozenset(
    "il lo la l' i gli le del dello della dell' dei degli delle dal dallo dalla dall' dai dagli dalle al allo alla all' nel nello nella nell' sul sulla".split()
)
BARE_SPLIT = re.compile(r"\s+|(?<=')")
# How a speaker was found when it is a source outside the claim (so it is no subject of the claim).
EXTERNAL_SOURCE = frozenset({"source", "inverted", "colon", "per", "agent", "noun"})


@dataclass(slots=True)
class _Draft:
    """What pass 1 learns about one sentence; pass 2 turns the claims among them into rows."""

    sid: int
    sentence: Sentence
    exclusion: str | None
    speaker: str | None
    how: str | None
    quote: str | None
    opens_with_quote: bool
    points_back: bool  # opens with "Lo" / "Così": attributes what the previous sentence said
    signals: Signals | None
    predicate: str | None
    negated: bool
    mentions: list[Mention]
    introduces: str | None = None  # the person subject of a sentence a bare quote follows ("X è stato chiaro. «...»")
    sourced: bool = False  # names a source of its own, even an unnamed one ("secondo indiscrezioni", "fonti vicine")
    verdict: str | None = None  # the person a verdict sentence after a bare quote names ("«...». X è stato categorico.")
    clitic_pointer: bool = False  # opens with "Lo ha annunciato", "È quanto sostiene": the sentence before is what was said


class ClaimRulesExtractor:
    """Rule-based claims in Italian news: detection, speaker and quote attribution, modality, predicate."""

    name = "claims.rules.v1"

    def __init__(self, reference_dir: Path | None = None):
        self.lexicon = load_lexicon(reference_dir)

    def extract(self, body: str, sentences: list[Sentence], mentions: list[dict], entities_by_id: dict, article_id: str) -> list[dict]:
        return extract_claims(body, sentences, mentions, entities_by_id, article_id, self.lexicon)


@register("claims.rules.v1")
def make_claim_rules(reference_dir: Path | None = None) -> ClaimRulesExtractor:
    return ClaimRulesExtractor(reference_dir)


def extract_claims(body: str, sentences: list[Sentence], mentions: list[dict], entities_by_id: dict, article_id: str, lex: Lexicon) -> list[dict]:
    """Pure: one article -> its claim rows (keys of schema.CLAIMS)."""
    types = {eid: (e.get("type") or "") for eid, e in entities_by_id.items()}
    names = {eid: e.get("name") for eid, e in entities_by_id.items()}
    by_sentence = _mentions_by_sentence(mentions, sentences)
    quote_spans = find_quote_spans(body)
    drafts: list[_Draft] = []
    ctx = Context(
        org_scores={}, role_per={}, leaders=_leaders(entities_by_id), types=types, employers=_kb_parents(entities_by_id, "PER"),
        per_sectors=_sectors(entities_by_id, lex), described={}, surnames=_surnames(entities_by_id), parents=_kb_parents(entities_by_id, "ORG"),
    )
    interview = find_interview(body)
    answerer = interviewee(interview, mentions, types) if interview.questions else None
    for sid, s in enumerate(sentences):
        clipped = spans_in(quote_spans, s.start, s.end)
        if s.is_heading:  # no claim; its entities still tell what the article is about
            drafts.append(_Draft(sid, s, "heading", None, None, None, False, False, None, None, False, []))
            heading_mentions = [Mention(0, 0, m["entity_id"], types.get(m["entity_id"], "")) for m in by_sentence.get(sid, [])]
            ctx = _remember(ctx, None, heading_mentions, ctx.speaker, None, s.paragraph, lex)
            continue
        t = tokenize_sentence(body, s.start, s.end, lex.word_info, lex.lemma_overrides, clipped)
        if not lex.verb_homographs.keys().isdisjoint(t.toks):
            _read_homographs(t, lex)
        if not AUXILIARIES.isdisjoint(t.toks):
            _read_participles(t)
        ments = token_mentions(t, _bare_descriptions(by_sentence.get(sid, []), ctx, lex, types), types)
        _unverb_names(t, ments)
        if t.toks and t.forms[0] is not None and t.capital(0) and t.toks[0] in (ctx.surnames or ()):
            t.forms[0] = None  # "Minto ha precisato": the surname of a person of the article, not a verb ("minto")
        roles, hypothetical = clause_roles(t)
        phrases = match_phrases(t, lex.phrases)
        answer = interview.is_answer(s.start)
        if interview.is_question(s.start):
            exclusion = "question"  # the interviewer's question or prompt
        else:
            exclusion = claim_exclusion(body, s, t, roles, phrases, bool(ments), lex, answer)
        speaker, how = find_speaker(t, roles, phrases, ments, lex, ctx)
        if answer and speaker is None and how != "unnamed" and answerer:
            speaker, how = answerer, "interview"  # "In Italia siamo intorno al 5%": the interviewee answering
        if how == "subject" and t.has_quotes and all(q or tok in PUNCT for tok, q in zip(t.toks, t.quoted)):
            # «Xiaomi non si tirerà indietro». — a bare quote: the subject inside it is not who speaks; the
            # sentence before or after names the speaker ("Lo ha scritto il fondatore Lei Jun")
            speaker, how = None, None
        signals = collect_signals(body, t, roles, hypothetical, phrases, lex) if exclusion is None else None
        predicate, negated = find_predicate(t, roles, phrases, lex) if exclusion is None else (None, False)
        quote = sentence_quote(body, clipped)
        if quote is None and answer and answerer and speaker == answerer:
            quote = answer_words(body[s.start : s.end])  # an interview's answer is the interviewee's own words, marks or not
        opens = bool(t.toks) and (t.toks[0] in OPEN_QUOTES or t.toks[0] == '"' or t.quoted[0] or _goes_on_quoting(t))
        points_back = bool(t.toks) and (t.toks[0] in POINTING_BACK or t.low.startswith(POINTING_BACK_PHRASES))
        introduces = _introduced_person(body, s, t, roles, ments, types) if speaker is None else None
        sourced = how is not None or (speaker is None and any(cat in OWN_SOURCE_CUES for _, _, cat, _ in phrases))
        verdict = _verdict_person(t, roles, ments, types) if speaker is None else None
        drafts.append(
            _Draft(sid, s, exclusion, speaker, how, quote, opens, points_back, signals, predicate, negated, ments, introduces, sourced, verdict,
                   points_back and t.low.startswith(CLITIC_POINTERS))
        )
        ctx = _remember(ctx, t, ments, speaker, (t, roles, ments), s.paragraph, lex)
    _share_quote_speakers(drafts, quote_spans)
    _continue_hearsay(drafts, types)
    article_reportive = any(d.signals is not None and d.signals.reportive for d in drafts)
    return [_row(d, body, article_id, types, names, article_reportive) for d in drafts if d.exclusion is None]


# Auxiliaries a participle follows ("l'ha motivata", "è stata dichiarata").
AUXILIARIES = frozenset(
    "ha hanno aveva avevano avrebbe avrebbero avrà avranno abbia abbiano è sono era erano sarà saranno sarebbe "
    "sarebbero stato stata stati state".split()
)


def _read_participles(t: Tokens) -> None:
    """A feminine or plural participle right after an auxiliary, read by simplemma as an adjective, is the verb's
    participle: "L'azienda l'ha motivata con ..." (motivare), "è stata dichiarata" (dichiarare)."""
    toks = t.toks
    for i in [k + 1 for k, tok in enumerate(toks) if tok in AUXILIARIES and k + 1 < len(toks)]:
        if t.forms[i] is None and not t.quoted[i]:
            verb = participle_reading(t.toks[i])
            if verb is not None:
                t.lemmas[i], t.forms[i] = verb, "part"


def _read_homographs(t: Tokens, lex: Lexicon) -> None:
    """"L'azienda precisa che ...", "«...», replica il gruppo": a noun-or-verb form read as the present-tense verb
    where only the verb fits (tokens are this sentence's own lists)."""
    n = len(t.toks)
    for i, tok in enumerate(t.toks):
        verb = lex.verb_homographs.get(tok)
        if verb is None or t.quoted[i]:
            continue
        nxt = t.toks[i + 1] if i + 1 < n else ""
        after_quote = i >= 2 and t.toks[i - 1] == "," and (t.toks[i - 2] in QUOTE_MARKS or t.quoted[i - 2])
        # ", precisa una nota del gruppo.", ", precisa Stellantis in una nota."
        closing = i and t.toks[i - 1] == "," and (nxt in TAG_ARTICLES or (i + 1 < n and t.capital(i + 1))) and n - i <= CLOSING_TAG_TOKENS
        clitic = i and t.toks[i - 1] in ("lo", "l'")  # "lo precisa Stellantis", "l'azienda lo conferma"
        # "il gruppo conferma le future Alfa": after a description as subject; ", denuncia il sindacato,": inserted
        described = i >= 2 and t.toks[i - 2] in TAG_ARTICLES and (t.toks[i - 1] in lex.org_heads or t.toks[i - 1] in lex.person_heads)
        inserted = i and t.toks[i - 1] == "," and nxt in TAG_ARTICLES and "," in t.toks[i + 2 : i + 6]
        needed = not lex.reporting_needs_next.get(verb, {"che"}).isdisjoint(t.toks[i + 1 : i + 3])  # "punta il dito"
        if nxt in ("che", ":") or after_quote or closing or clitic or described or inserted or needed:
            t.lemmas[i], t.forms[i] = verb, "fin"


def _unverb_names(t: Tokens, ments: list[Mention]) -> None:
    """A capitalized word inside a name is no verb ("Luca de Meo": simplemma reads "luca" as a verb form)."""
    forms = t.forms
    for m in ments:
        for x in range(m.first, m.last + 1):
            if forms[x] is not None and t.capital(x):
                forms[x] = None


def _bare_descriptions(mentions: list[dict], ctx: Context, lex: Lexicon, types: dict[str, str]) -> list[dict]:
    """A bare description the entity layer resolved by recency ("la società", "dell'azienda") names the organization
    the article is about, not the last one named ("BMW ha cancellato un ordine ... La società ha annunciato"); a bare
    role ("il manager", "il nuovo ad") the person that role and the sentences before point to (person_by_role), who
    may be a name the knowledge base knows nothing about."""
    if not any(m.get("method") == "epithet" for m in mentions):
        return mentions
    out = []
    for m in mentions:
        if m.get("method") == "epithet":
            words = BARE_SPLIT.split(m["surface"].lower().replace("\u2019", "'"))
            words = [w for w in words if w and w not in DETERMINER_WORDS and w not in ROLE_GAP]
            found = None
            if len(words) == 1 and words[0] in lex.org_heads and ctx.org_scores:
                found = epithet_entity(words[0], lex, ctx)
            elif len(words) == 1 and words[0] in lex.person_heads and types.get(m["entity_id"]) == "PER":
                found = _next_to_person(m, mentions, types)
                key = role_key(words[0], lex)
                if found is None and (key in (ctx.role_per or {}) or key not in lex.person_roles.get(m["entity_id"], ())):
                    found = person_by_role(words[0], lex, ctx)  # the entity layer's pick holds the role by the KB: kept
            if found and found != m["entity_id"]:
                m = {**m, "entity_id": found}
        out.append(m)
    return out


def _next_to_person(m: dict, mentions: list[dict], types: dict[str, str]) -> str | None:
    """A description right before a person's name ("il manager Mario Rossi") is theirs (but after a comma the name
    may start a clause of its own: "Secondo il presidente, Filosa conosce l'azienda")."""
    return next(
        (
            x["entity_id"]
            for x in mentions
            if x is not m and types.get(x["entity_id"]) == "PER" and x["start"] - m["end"] == 1
        ),
        None,
    )


def _mentions_by_sentence(mentions: list[dict], sentences: list[Sentence]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for m in mentions:
        sid = m.get("sentence_id")
        if sid is None or not (0 <= sid < len(sentences)) or not (sentences[sid].start <= m["start"] < sentences[sid].end):
            sid = next((i for i, s in enumerate(sentences) if s.start <= m["start"] < s.end), None)
        if sid is not None:
            out.setdefault(sid, []).append(m)
    return out


def _leaders(entities_by_id: dict) -> dict[str, str]:
    """Organization -> a person of the article whose parent it is (KB: executive -> company they lead)."""
    out: dict[str, str] = {}
    for eid, e in entities_by_id.items():
        if e.get("type") == "PER" and e.get("parent_id"):
            out.setdefault(e["parent_id"], eid)
    return out


def _sectors(entities_by_id: dict, lex: Lexicon) -> dict[str, frozenset[str]]:
    """Person -> the kinds of person the KB says they are ("executive", "unionist"); the text adds the rest."""
    return {eid: frozenset({lex.person_sectors[eid]}) for eid, e in entities_by_id.items() if e.get("type") == "PER" and eid in lex.person_sectors}


def _surnames(entities_by_id: dict) -> dict[str, str]:
    """Lowercased last word of each person's name -> the person (a surname two people share names neither); also
    the first word of a two-word name, the family name in Chinese and Korean order ("ha dichiarato Wang")."""
    out: dict[str, str | None] = {}
    for eid, e in entities_by_id.items():
        if e.get("type") == "PER" and e.get("name") and " " in e["name"]:
            words = e["name"].lower().split()
            for word in {words[-1], words[0]} if len(words) == 2 else {words[-1]}:
                out[word] = None if word in out and out[word] != eid else eid
    return {k: v for k, v in out.items() if v}


def _kb_parents(entities_by_id: dict, typ: str) -> dict[str, str]:
    """Entity of type `typ` -> its KB parent: a person's employer, an organization's group (Maserati -> Stellantis)."""
    return {eid: e["parent_id"] for eid, e in entities_by_id.items() if e.get("type") == typ and e.get("parent_id")}


def _remember(ctx: Context, t: Tokens | None, ments: list[Mention], speaker: str | None, previous: tuple | None, paragraph: int, lex: Lexicon) -> Context:
    """The context the next sentence sees; ctx.org_scores and ctx.role_per are the article's running tallies."""
    scores = ctx.org_scores
    for m in ments:
        if m.type == "ORG" and (t is None or not led_by_role(t, m, lex)):  # "il ministro delle Imprese" is about the minister
            scores[m.entity_id] = scores.get(m.entity_id, 0) + (3 if paragraph == 0 else 1)  # the opening tells the topic
            if t is not None:
                noun = _apposed_noun(t, m, lex)
                if noun:
                    ctx.described.setdefault(noun, m.entity_id)
        elif m.type == "PER" and t is not None:
            for role in _roles_of(t, m, lex):
                ctx.role_per[role_key(role, lex)] = m.entity_id
                sectors = lex.role_sectors.get(role)
                if sectors and m.entity_id not in ctx.per_sectors:  # the KB's sector, when known, says more
                    ctx.per_sectors[m.entity_id] = sectors
    persons = [m.entity_id for m in reversed(ments) if m.type == "PER"]
    last_per = persons[0] if persons else ctx.last_per
    recent = tuple(dict.fromkeys((*persons, *ctx.recent_per)))[:RECENT_PERSONS] if persons else ctx.recent_per
    return Context(speaker, previous, last_per, recent, *ctx[4:])  # ctx._replace, without its per-call overhead


def _apposed_noun(t: Tokens, m: Mention, lex: Lexicon) -> str | None:
    """The head noun of a definite description put in apposition right after an organization's name ("il Ministério
    Público do Trabalho, la procura del lavoro brasiliana,"): later "la procura" is that organization. Generic heads
    ("la società") keep referring to the article's topic."""
    k = m.last + 1
    if k + 2 < len(t.toks) and t.toks[k] == "," and t.toks[k + 1] in DEFINITE_ARTICLES and not t.quoted[k + 2]:
        noun = t.toks[k + 2]
        if t.forms[k + 2] is None and noun.isalpha() and noun not in lex.org_heads and noun not in lex.person_heads and not t.capital(k + 2):
            return noun
    return None


PORTFOLIO_REACH = 10


def _portfolio_role(t: Tokens, m: Mention, lex: Lexicon) -> list[str]:
    """The role word opening "ministro delle Imprese e del made in Italy" right before the name, over its portfolio."""
    for k in range(m.first - 2, max(-1, m.first - PORTFOLIO_REACH), -1):
        tok = t.toks[k]
        if tok in CLAUSE_PUNCT or tok == ")" or t.quoted[k] or t.forms[k] in FINITE_FORMS:
            return []
        if tok in lex.person_heads and t.toks[k + 1] in OF_WORDS:
            return [tok]
    return []


def _roles_of(t: Tokens, m: Mention, lex: Lexicon) -> list[str]:
    """Role words a person is introduced with: "il presidente John Elkann", "Xu Fei, vicepresidente di ...",
    "ha nominato François Provost nuovo amministratore delegato", "presieduto da John Elkann"."""
    before = t.toks[max(0, m.first - 3) : m.first]
    if "ex" in before:  # "l'ex amministratore delegato Luca de Meo" no longer holds the role
        return []
    roles = [tok for tok in before if tok in lex.person_heads]
    if not roles:  # "il ministro delle Imprese e del made in Italy Adolfo Urso": a role with its portfolio before the name
        roles = _portfolio_role(t, m, lex)
    if "ministro" in roles and m.first >= 2 and t.toks[m.first - 2] == "primo":
        roles = ["premier" if r == "ministro" else r for r in roles]  # "il primo ministro Li Qiang" is no "il ministro"
    k = m.last + 1
    while k < len(t.toks) and k <= m.last + 3 and t.toks[k] in ROLE_GAP:
        k += 1
    if k < len(t.toks) and t.toks[k] in lex.person_heads:
        roles.append(t.toks[k])
    if m.first >= 2 and t.toks[m.first - 1] in ("da", "dal", "dallo") and t.lemmas[m.first - 2] in ROLE_VERBS:
        roles.append(ROLE_VERBS[t.lemmas[m.first - 2]])
    return roles


def _share_quote_speakers(drafts: list[_Draft], quote_spans: list[tuple[int, int]]) -> None:
    """A quote running over several sentences has one speaker; a sentence that is a bare quote continues the previous speaker."""
    _share_within_quotes(drafts, quote_spans)
    for d, nxt in zip(drafts, drafts[1:]):  # «...». Lo ha detto Tavares. — a bare quote attributed by what follows
        if d.speaker is None and d.how is None and nxt.verdict and d.exclusion is None and d.opens_with_quote and _is_statement(d.quote):
            if d.sentence.paragraph == nxt.sentence.paragraph:  # «...». Carlos Tavares è stato categorico.
                d.speaker, d.how = nxt.verdict, "continued"
        if d.speaker is None and d.how is None and nxt.speaker and nxt.points_back and d.exclusion is None:
            same_paragraph = d.sentence.paragraph == nxt.sentence.paragraph
            verbless = nxt.exclusion == "fragment" and same_paragraph
            # "Carlos Tavares lascia la guida di Stellantis. Lo ha comunicato il gruppo in una nota.": the news, then its source
            clitic = same_paragraph and nxt.how == "inverted" and nxt.clitic_pointer
            if (d.opens_with_quote and _is_statement(d.quote)) or verbless or (clitic and not d.sourced):
                d.speaker, d.how = nxt.speaker, "continued"  # "Il tavolo si terrà a gennaio. Parola del ministro Urso."
    for prev, d in zip(drafts, drafts[1:]):
        # a bare quote goes on with the previous sentence's speaker, also when it opens the next paragraph
        # ("X ha parlato di un passo avanti.\n\n«Ora servono garanzie»."); a heading between them breaks the chain
        if d.speaker is None and d.how is None and d.opens_with_quote and prev.exclusion != "heading" and _is_statement(d.quote):
            if prev.speaker:
                d.speaker, d.how = prev.speaker, "continued"
            elif prev.introduces and prev.sentence.paragraph == d.sentence.paragraph:
                d.speaker, d.how = prev.introduces, "introduced"
    _share_within_quotes(drafts, quote_spans)  # «...», ha detto X. «A. B.»: B takes the speaker A continued


def _share_within_quotes(drafts: list[_Draft], quote_spans: list[tuple[int, int]]) -> None:
    for qs, qe in quote_spans:
        covered = [d for d in drafts if d.sentence.start < qe and qs < d.sentence.end]
        if len(covered) < 2:
            continue
        speaker = next((d for d in reversed(covered) if d.speaker), None)
        if speaker:
            for d in covered:
                if d.speaker is None:
                    d.speaker, d.how = speaker.speaker, "quote"


OWN_SOURCE_CUES = frozenset({"hearsay", "source", "pronoun_source"})


def _continue_hearsay(drafts: list[_Draft], types: dict[str, str]) -> None:
    """A report goes on in the conditional: "Secondo Bloomberg, Apple avrebbe chiuso il progetto. La notizia sarebbe
    stata comunicata ai dipendenti ..." — a sentence in the journalistic conditional with no speaker of its own
    continues the organization that the sentence right before reported, in the same or the next paragraph."""
    for prev, d in zip(drafts, drafts[1:]):
        if (
            d.speaker is None and not d.sourced and d.exclusion is None and d.signals is not None
            and (d.signals.reportive or d.signals.simple_conditional)
            and prev.speaker and prev.exclusion != "heading" and types.get(prev.speaker) == "ORG"
            and d.sentence.paragraph - prev.sentence.paragraph <= 1
        ):
            d.speaker, d.how = prev.speaker, "continued"


def _introduced_person(body: str, s: Sentence, t: Tokens, roles: list[str], ments: list[Mention], types: dict[str, str]) -> str | None:
    """The person subject of a sentence right before an opening quote, who speaks the quote when nobody else is
    named: "Carlos Tavares è stato chiaro con i sindacati. «Lo stabilimento non chiuderà»."."""
    if t.has_quotes or not any(m.type == "PER" for m in ments) or body[s.end : s.end + 3].lstrip()[:1] not in OPEN_QUOTES:
        return None
    return _person_subject(t, roles, ments, types)


# Words that carry a speaker's quoting on into a new sentence: "E ancora: «...»", "Poi: «...»".
GOING_ON = frozenset({"e", "ed", "ancora", "poi", "inoltre", "infine"})


def _goes_on_quoting(t: Tokens) -> bool:
    k = 0
    while k < len(t.toks) and t.toks[k] in GOING_ON:
        k += 1
    return 0 < k < len(t.toks) - 1 and t.toks[k] == ":" and (t.toks[k + 1] in OPEN_QUOTES or t.toks[k + 1] == '"')


def _verdict_person(t: Tokens, roles: list[str], ments: list[Mention], types: dict[str, str]) -> str | None:
    """The person subject of a verdict on words just quoted: "«...». Carlos Tavares è stato categorico."."""
    if t.has_quotes or VERDICT_WORDS.isdisjoint(t.toks) or "essere" not in t.lemmas or not any(m.type == "PER" for m in ments):
        return None
    return _person_subject(t, roles, ments, types)


def _person_subject(t: Tokens, roles: list[str], ments: list[Mention], types: dict[str, str]) -> str | None:
    subject = main_subject(t, roles, ments)
    return subject if types.get(subject) == "PER" else None


def _is_statement(quote: str | None) -> bool:
    return bool(quote) and len(quote.split()) >= MIN_STATEMENT_WORDS


def _row(d: _Draft, body: str, article_id: str, types: dict[str, str], names: dict[str, str], article_reportive: bool) -> dict:
    modality, cue = decide_modality(d.signals, article_reportive) if d.signals else ("fact", None)
    subjects: list[str] = []
    counts: dict[str, int] = {}
    for m in d.mentions:
        counts[m.entity_id] = counts.get(m.entity_id, 0) + 1
        if m.entity_id not in subjects:
            subjects.append(m.entity_id)
    if d.speaker and counts.get(d.speaker, 0) < 2 and (d.how in EXTERNAL_SOURCE or types.get(d.speaker) == "PER"):
        subjects = [e for e in subjects if e != d.speaker]
    s = d.sentence
    return {
        "claim_id": f"{article_id}:{d.sid}",
        "article_id": article_id,
        "sentence_id": d.sid,
        "start": s.start,
        "end": s.end,
        "text": body[s.start : s.end],
        "modality": modality,
        "modality_cue": cue,
        "speaker": names.get(d.speaker) if d.speaker else None,
        "speaker_entity_id": d.speaker if names.get(d.speaker) else None,
        "quote": d.quote,
        "subject_entity_ids": subjects,
        "predicate": d.predicate,
        "negated": d.negated,
    }
