"""Metonymy: a capital that acts stands for its institution; a capital after a preposition stays a place."""
from __future__ import annotations

import pytest

from pipeline.extract.entities.metonyms import is_verb_form, resolve_metonyms
from pipeline.extract.entities.spans import Span
from pipeline.extract.numbers import fold_text

METONYMS = {"loc:bruxelles": "org:commissione-europea", "loc:roma": "org:governo-italiano"}


def linked(text: str) -> list[tuple[str, str, str]]:
    folded = fold_text(text)
    spans = []
    for name, eid in (("Bruxelles", "loc:bruxelles"), ("Roma", "loc:roma"), ("Torino", "loc:torino")):
        start = text.find(name)
        if start >= 0:
            spans.append(Span(start, start + len(name), eid, "kb_alias", 0.9))
    return [(text[s.start : s.end], s.entity_id, s.method) for s in resolve_metonyms(spans, folded, METONYMS)]


@pytest.mark.parametrize(
    "text, entity",
    [
        ("Bruxelles ha aperto un’indagine sui sussidi.", "org:commissione-europea"),
        ("Bruxelles, però, non cambia linea.", "org:commissione-europea"),
        ("Bruxelles non intende rinviare il 2035.", "org:commissione-europea"),
        ("Secondo Bruxelles il piano è solido.", "org:commissione-europea"),
        ("Il vertice si terrà a Bruxelles la prossima settimana.", "loc:bruxelles"),
        ("La Roma ha vinto.", "loc:roma"),
        ("Il salone di Bruxelles apre domani.", "loc:bruxelles"),
        ("Bruxelles, capitale del Belgio, ospita il vertice.", "loc:bruxelles"),
    ],
)
def test_acting_capital_is_its_institution(text, entity):
    assert linked(text)[0][1] == entity


def test_only_listed_cities_and_verbs():
    assert linked("Torino ha chiesto un incontro.") == [("Torino", "loc:torino", "kb_alias")]
    assert [is_verb_form(w) for w in ("ha", "chiede", "è", "intanto", "dazi")] == [True, True, True, False, False]


SEATS = {"loc:maranello": "org:ferrari"}


def seat(text: str) -> str:
    start = text.find("Maranello")
    span = Span(start, start + len("Maranello"), "loc:maranello", "kb_alias", 0.9)
    return resolve_metonyms([span], fold_text(text), SEATS)[0].entity_id


@pytest.mark.parametrize(
    "text, entity",
    [
        ("Maranello conferma che la prima elettrica arriverà nel 2025.", "org:ferrari"),
        ("Da Maranello fanno sapere che la prima elettrica arriverà nel 2025.", "org:ferrari"),
        ("Intanto, da Maranello confermano il debutto.", "org:ferrari"),
        ("L’auto è partita da Maranello verso Modena.", "loc:maranello"),
        ("Il corteo da Maranello arriva a Modena.", "loc:maranello"),
    ],
)
def test_a_company_seat_that_speaks_is_the_company(text, entity):
    assert seat(text) == entity
