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
