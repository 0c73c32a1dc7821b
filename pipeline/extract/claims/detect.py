"""Which sentences are claims: no headings, captions, questions, calls to action, wishes, signposts or verbless fragments."""
from __future__ import annotations

import re

from pipeline.extract.claims.clauses import MAIN
from pipeline.extract.claims.lexicon import Lexicon
from pipeline.extract.claims.morph import present_verb_reading
from pipeline.extract.claims.tokens import QUOTE_MARKS, Tokens
from pipeline.text import Sentence

TRAILING_CLOSERS = " \t)]»”\"'’"
# An infinitive alone does not make a sentence ("Trimestre da dimenticare per Mercedes-Benz.").
VERB_FORMS = frozenset({"fin", "cond", "fut", "ger"})
MAX_OPENERS = 4
# Phrase cues that hold a verb simplemma may read as a noun ("Li Shufu punta a ridurre i marchi").
VERB_PHRASE_CATEGORIES = frozenset({"plan", "denial"})
# What comes before a noun or an adjective, not before a verb.
NOT_BEFORE_VERB = frozenset(
    "il lo la i gli le l' un una uno un' più meno molto così tanto troppo assai stessa stesso stesse stessi nuova "
    "nuovo questa questo quella quello sua suo ogni prima ultima".split()
)
# What follows a verb and not a noun: "taglia i prezzi" (a verb), "la taglia media" (a noun).
AFTER_VERB = frozenset(
    "il lo la i gli le l' un una uno un' sul sullo sulla sui sugli sulle sull' al allo alla ai agli alle all' "
    "nel nello nella nei negli nelle nell' in a ad su per con anche ancora già".split()
)
# A number written in words makes a verbless sentence checkable ("Duecentoquarantamila ordini in diciotto ore.").
NUMBER_WORD_RE = re.compile(r"mila|mille|milion|miliard|cento|dieci|venti|trenta|quaranta|cinquanta|sessanta|settanta|ottanta|novanta|\d|%|€|\$")
FIRST_PERSON_PLURAL = ("iamo", "remo")
NEGATIVE_OPENERS = frozenset({"nessun", "nessuna", "nessuno", "niente", "nulla"})
CLOSING_QUOTES = frozenset("»”\"")
FINAL_STOPS = frozenset(".!?…")
HEADLINE_MAX_CHARS = 160
SUPERLATIVE_RE = re.compile(r"\w{3,}issim[oaie]\b")
SIGNPOST_MAX_WORDS = 10
# Only short sentences are judged verbless: in a long one a verb simplemma reads as a noun ("passa") is likelier.
FRAGMENT_MAX_TOKENS = 16
FRAMING_MAX_TOKENS = 16


def claim_exclusion(
    body: str, s: Sentence, t: Tokens, roles: list[str], phrases: list[tuple[int, int, str, str]], has_entities: bool, lex: Lexicon,
    answer: bool = False,
) -> str | None:
    """Why sentence `s` is no claim (heading, question, caption, call_to_action, signpost, fragment), or None.
    In an interview's `answer` the first person plural is the interviewee's, not the writer's."""
    if s.is_heading:
        return "heading"
    text = body[s.start : s.end].rstrip(TRAILING_CLOSERS)
    if text.endswith("?"):
        return "question"
    if _quote_headline(body, s, text):
        return "heading"
    if not t.toks:
        return "fragment"
    first = _first_content(t, lex)
    if first is not None:
        if first == 0 and any(i == 0 and cat == "caption" for i, _, cat, _ in phrases):
            return "caption"
        if any(i == first and cat == "cta" for i, _, cat, _ in phrases):
            return "call_to_action"
    if not answer and _writer_speaks(t, roles):
        return "call_to_action"
    if not has_entities and _is_signpost(t, lex):
        return "signpost"
    if (
        len(t.toks) <= FRAGMENT_MAX_TOKENS
        and not any(f in VERB_FORMS for f in t.forms)
        and not NUMBER_WORD_RE.search(body, s.start, s.end)
        and not any(cat in VERB_PHRASE_CATEGORIES for _, _, cat, _ in phrases)  # "punta a", read as a noun alone
        and not _noun_read_verb(t)
        and t.toks[0] not in NEGATIVE_OPENERS  # "Nessuna novità per Cassino.": a checkable absence
    ):
        return "fragment"
    if _is_evaluation(t, roles, body, s) or _is_framing(t, roles, body, s, lex):
        return "evaluation"
    return None


def _noun_read_verb(t: Tokens) -> bool:
    """A word simplemma reads as a noun that is a present tense here: after the subject, before an article or a
    preposition ("Tesla taglia i prezzi", "Volkswagen conferma il piano", "Stellantis punta sull'Italia"), or right
    after a name ("Giulia Ferraresi insegna economia")."""
    for i in range(1, len(t.toks) - 1):
        tok = t.toks[i]
        if (
            t.forms[i] is None
            and (t.toks[i + 1] in AFTER_VERB or t.capital(i - 1))
            and t.lemmas[i] == tok  # "fredda" (freddo) and "dura" (duro) are adjectives
            and t.toks[i - 1] not in NOT_BEFORE_VERB  # "Sulla stessa linea i costruttori", "Più dura la reazione"
            and present_verb_reading(tok)
        ):
            return True
    return False


def _quote_headline(body: str, s: Sentence, text: str) -> bool:
    """A whole line ending in a closing quote with no final stop: a subheading ("I sindacati: «Così il sistema
    rischia il collasso»"), which the splitter does not flag because the quote mark counts as final punctuation."""
    line_start = body.rfind("\n", 0, s.start) + 1
    line_end = body.find("\n", s.end)
    line_end = len(body) if line_end < 0 else line_end
    whole_line = not body[line_start : s.start].strip() and not body[s.end : line_end].strip()
    raw = body[s.start : s.end].rstrip()
    return whole_line and raw[-1:] in CLOSING_QUOTES and text[-1:] not in FINAL_STOPS and len(raw) <= HEADLINE_MAX_CHARS


def _is_evaluation(t: Tokens, roles: list[str], body: str, s: Sentence) -> bool:
    """The writer's judgement: essere with an absolute superlative and nothing to check ("la posta in gioco è
    altissima", "è un colpo pesantissimo")."""
    if "issim" not in t.low or not SUPERLATIVE_RE.search(t.low) or t.has_quotes or NUMBER_WORD_RE.search(body, s.start, s.end):
        return False
    main = _main_verb(t, roles)
    return main is not None and t.lemmas[main] == "essere"


def _main_verb(t: Tokens, roles: list[str]) -> int | None:
    """Index of the first finite, conditional or future verb of the main clause."""
    return next((i for i, f in enumerate(t.forms) if f in ("fin", "cond", "fut") and roles[i] == MAIN), None)


def _is_framing(t: Tokens, roles: list[str], body: str, s: Sentence, lex: Lexicon) -> bool:
    """The writer framing the story in a short sentence with nothing to check: "La mossa arriva in un momento
    delicato", "Il tempismo non è casuale" (no number, no quote)."""
    if t.has_quotes or len(t.toks) > FRAMING_MAX_TOKENS or NUMBER_WORD_RE.search(body, s.start, s.end):
        return False
    main = _main_verb(t, roles)
    if main is None:
        return False
    lemma, rest = t.lemmas[main], t.toks[main + 1 :]
    if lemma in lex.framing_verbs:
        # "arriva in un momento (delicato)", "cade in una fase già tesa"; not "in uno dei momenti più difficili
        # per l'industria", a comparison that can be checked
        return len(rest) >= 3 and rest[0] == "in" and rest[1] in ("un", "una") and any(
            w in lex.framing_settings for w in rest[2:4]
        )
    if lemma == "essere":
        words = [w for w in rest if w[0].isalnum()]
        return bool(words) and words[-1] in lex.evaluative_adjectives
    return False


def _first_content(t: Tokens, lex: Lexicon) -> int | None:
    """Index of the first token after sentence openers ("E", "Ma", "Nel frattempo,"); None if the sentence opens a quote."""
    for i, tok in enumerate(t.toks[: MAX_OPENERS + 1]):
        if tok in QUOTE_MARKS or t.quoted[i]:
            return None
        if tok not in lex.cta_openers or i == MAX_OPENERS:
            return i
    return None


def _writer_speaks(t: Tokens, roles: list[str]) -> bool:
    """The writer in the first person plural outside quotes ("Teniamo le dita incrociate", "noi la seguiremo", "Lo
    scopriremo presto"), unless it only introduces a fact ("Ricordiamo che Stellantis ha ..."), or wishing in the
    singular near the sentence's start ("Personalmente vorrei che ...", "Mi piacerebbe vedere ...")."""
    low = t.low
    if _writer_wishes(t):
        return True
    if "iamo" not in low and "remo" not in low and "noi" not in low and "vi " not in low:
        return False
    for i, tok in enumerate(t.toks):
        if t.quoted[i]:
            continue
        if tok == "noi" or (tok == "vi" and i + 1 < len(t.toks) and t.forms[i + 1] == "fut"):
            return True
        if tok.endswith(FIRST_PERSON_PLURAL) and t.forms[i] in ("fin", "fut") and roles[i] == MAIN and t.lemmas[i] != "avere":
            return "che" not in t.toks[i + 1 :]
    return False


# The writer's own wishes in the first person singular: "Personalmente vorrei che ...", "Mi piacerebbe vedere ...".
WISH_WORDS = frozenset({"vorrei", "spero", "auspico", "personalmente"})
WISH_AFTER_MI = frozenset({"piacerebbe", "auguro"})


def _writer_wishes(t: Tokens) -> bool:
    head = t.toks[:6]
    if WISH_WORDS.isdisjoint(head) and "mi" not in head:
        return False  # most sentences
    for i, tok in enumerate(head):
        if t.quoted[i]:
            return False
        if tok in WISH_WORDS or (tok in WISH_AFTER_MI and i and t.toks[i - 1] == "mi"):
            return True
    return False


def _is_signpost(t: Tokens, lex: Lexicon) -> bool:
    """A short sentence about the story itself ("Le ragioni sono diverse.", "Il vero problema sono i tempi di consegna.")."""
    words = [i for i, tok in enumerate(t.toks) if tok[0].isalpha()]
    if len(words) > SIGNPOST_MAX_WORDS or any(t.capital(i) for i in words[1:]):
        return False
    verb = next((i for i in words if t.forms[i] in ("fin", "fut", "cond")), None)
    if verb is None:
        return False
    return any(t.lemmas[i] in lex.signpost_heads for i in words if i < verb)
