"""Sentence splitting and tokenization for Italian: abbreviations, elisions, quotes, decimals, thousands."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.text import split_sentences, tokenize


def texts(body):
    return [body[s.start : s.end] for s in split_sentences(body)]


@pytest.mark.parametrize(
    "body, expected",
    [
        ("Xiaomi ha superato 300.000 consegne. Il gap è di 93,5 miliardi.", ["Xiaomi ha superato 300.000 consegne.", "Il gap è di 93,5 miliardi."]),
        ("Lo ha detto il dott. Rossi ieri. Poi è partito.", ["Lo ha detto il dott. Rossi ieri.", "Poi è partito."]),
        ("Fiat S.p.A. Torino è la sede. Nuova frase.", ["Fiat S.p.A. Torino è la sede.", "Nuova frase."]),
        ("Parla J. Farley. Ford conferma.", ["Parla J. Farley.", "Ford conferma."]),
        ("L’auto dell’anno è qui. L'azienda conferma.", ["L’auto dell’anno è qui.", "L'azienda conferma."]),
        ("«Siamo pronti», ha detto Vigna. Poi ha aggiunto: «Arriverà a ottobre.» Nessun commento.", ["«Siamo pronti», ha detto Vigna.", "Poi ha aggiunto: «Arriverà a ottobre.»", "Nessun commento."]),
        ("Ford ha smentito (“questa storia è completamente falsa”). Ma il quotidiano insiste.", ["Ford ha smentito (“questa storia è completamente falsa”).", "Ma il quotidiano insiste."]),
        ("Ma come la prenderà la Casa Bianca? Nessuno lo sa!", ["Ma come la prenderà la Casa Bianca?", "Nessuno lo sa!"]),
        ("Detroit Regional Partnership e… Stellantis. Fine.", ["Detroit Regional Partnership e… Stellantis.", "Fine."]),
        ("Ha detto \"sì\". Poi basta.", ["Ha detto \"sì\".", "Poi basta."]),
        ("vendite in calo. e poi minuscolo", ["vendite in calo. e poi minuscolo"]),
    ],
)
def test_split_sentences(body, expected):
    assert texts(body) == expected


def test_lines_are_sentences_and_paragraphs_and_headings():
    body = "Prima frase. Seconda frase.\n\nUn sottotitolo senza punto\nTerza frase."
    sents = split_sentences(body)
    assert [(body[s.start : s.end], s.paragraph, s.is_heading) for s in sents] == [
        ("Prima frase.", 0, False),
        ("Seconda frase.", 0, False),
        ("Un sottotitolo senza punto", 1, True),
        ("Terza frase.", 2, False),
    ]


def test_tokenize_elisions_numbers_and_compounds():
    toks = [t.text for t in tokenize("Dell’auto l'azienda vende 300.000 SU7 a 93,5 euro: joint-venture Ford-Xiaomi.")]
    assert toks == ["Dell’", "auto", "l'", "azienda", "vende", "300.000", "SU7", "a", "93,5", "euro", ":", "joint-venture", "Ford-Xiaomi", "."]


@given(st.text(alphabet=st.sampled_from(list("abcXYZ àè.,;!?«»“”\"'’\n 0123456789")), max_size=300))
def test_sentence_offsets_always_valid(body):
    prev_end = 0
    for s in split_sentences(body):
        assert 0 <= prev_end <= s.start < s.end <= len(body)
        assert body[s.start : s.end] == body[s.start : s.end].strip()
        prev_end = s.end


@given(st.text(max_size=200))
def test_token_offsets_always_valid(text):
    for t in tokenize(text):
        assert text[t.start : t.end] == t.text


def test_single_capital_then_sentence_opener_is_a_boundary():
    assert texts("Il suv è in classe A. Un portavoce ha confermato. Parla J. Farley oggi.") == [
        "Il suv è in classe A.",
        "Un portavoce ha confermato.",
        "Parla J. Farley oggi.",
    ]


# ---------------------------------------------------------------- the fast splitter == the first (regex search) one

import re  # noqa: E402

from pipeline.text import sentences as S  # noqa: E402

_OLD_NEXT_START = re.compile(r"\s+(?=[«“\"(\[–—-]?\s?[A-ZÀ-ÖØ-Þ0-9«“\"])")
_OLD_WORD_BEFORE = re.compile(r"([\w.’']+)$")
EDGE_ALPHABET = list("abXYÀÉ àè.,;!?…«»“”\"'’()[]–—-\t\u3000\u2003 0123456789_") + ["Dott.", "S.p.A.", "J.", "A.", "Un ", "e…", "Gen.", "..."]


def _old_split_line(line):
    """The splitter before it matched terminators and look-ahead in one regex and read words backwards."""
    spans, start = [], 0
    for m in S._TERMINATOR.finditer(line):
        nxt = _OLD_NEXT_START.match(line, m.end())
        if not nxt:
            continue
        term, term_start = m.group(), m.start()
        wm = _OLD_WORD_BEFORE.search(line, 0, term_start + (1 if term.startswith(".") else 0))
        word = wm.group(1) if wm else ""
        if S._is_boundary(line, term_start, term, line[::-1]) != _old_is_boundary(line, term_start, term, word):
            raise AssertionError("boundary decisions differ")
        if not _old_is_boundary(line, term_start, term, word):
            continue
        spans.append((start, m.end()))
        start = nxt.end()
    spans.append((start, len(line)))
    out = []
    for s, e in spans:
        while s < e and line[s].isspace():
            s += 1
        while e > s and line[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _old_is_boundary(line, term_start, term, word):
    if term.startswith(".") and not term.startswith(".."):
        bare = word.rstrip(".").lower()
        if bare in S.ABBREVIATIONS:
            return False
        if len(bare) == 1 and bare.isalpha() and word[:1].isupper() and not S._starts_with_function_word(line, term_start + len(term)):
            return False
        if S._ACRONYM_DOTS.match(word):
            return False
    if term.startswith(("…", "...")) and word.rstrip(".…").lower() in S._ELLIPSIS_GLUE:
        return False
    return True


@given(st.lists(st.sampled_from(EDGE_ALPHABET), max_size=80))
def test_split_line_equals_first_version(parts):
    line = "".join(parts)
    assert S._split_line(line) == _old_split_line(line)


@given(st.text(alphabet=st.sampled_from(EDGE_ALPHABET[:40]), max_size=60), st.integers(0, 60))
def test_word_before_equals_regex_search(line, end):
    end = min(end, len(line))
    m = _OLD_WORD_BEFORE.search(line, 0, end)
    assert S.word_before(line[::-1], end) == (m.group(1) if m else "")
