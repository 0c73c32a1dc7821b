"""entities.kb_rules.v1: offices, portfolios and unknown multiword names (tiny KB, exact rows)."""
from __future__ import annotations

import pytest

from pipeline.text import split_sentences

from kb_fixture import HEADER, tiny_kb_extractor

KB = {
    "organizations.csv": HEADER + "org:commissione-cina-camera,Commissione Cina della Camera,ORG,,,US,,government,,,,\n",
    "people.csv": HEADER + "per:giorgia-meloni,Giorgia Meloni,PER,Meloni,,IT,,politician,,,presidente del Consiglio,\n",
    "places.csv": HEADER + "loc:cina,Cina,LOC,,,CN,,country,,,,\n",
    "products.csv": HEADER,
}


@pytest.fixture(scope="module")
def extractor(tmp_path_factory):
    return tiny_kb_extractor(tmp_path_factory.mktemp("reference"), KB)


def entities(ex, body: str) -> dict[str, tuple[str, str]]:
    mentions, rows = ex.extract(body, split_sentences(body), "a1")
    by_id = {e["entity_id"]: e for e in rows}
    return {m["surface"]: (by_id[m["entity_id"]]["name"], by_id[m["entity_id"]]["type"]) for m in mentions}


def test_an_office_before_a_known_person_is_no_institution(extractor):
    got = entities(extractor, "Il sindacato ha scritto alla presidente del Consiglio Giorgia Meloni per chiedere un incontro.")
    assert got["Giorgia Meloni"] == ("Giorgia Meloni", "PER")
    assert not any("Consiglio" in s and s != "presidente del Consiglio" for s in got)
    # an institution head still takes in the KB names after it
    got = entities(extractor, "La Commissione Cina della Camera ha chiesto chiarimenti.")
    assert got == {"Commissione Cina della Camera": ("Commissione Cina della Camera", "ORG")}


def test_capitalized_office_and_portfolio_words_are_no_organizations(extractor):
    got = entities(extractor, "Lo ha detto Margrethe Vestager, responsabile della Concorrenza, a margine del vertice.")
    assert "Concorrenza" not in got and got["Margrethe Vestager"][1] == "PER"
    got = entities(extractor, "Il decreto è stato firmato dal presidente della Repubblica dopo il voto.")
    assert "Repubblica" not in got


def test_unknown_name_ending_in_a_dictionary_word_is_no_person(extractor):
    got = entities(extractor, "Il prezzo offerto è di 26 dollari per ogni American Depositary Share quotata.")
    assert got.get("American Depositary Share", (None, "ORG"))[1] == "ORG"
    got = entities(extractor, "Ne ha parlato Kenth Öhlin durante la presentazione.")
    assert got["Kenth Öhlin"] == ("Kenth Öhlin", "PER")


@pytest.mark.parametrize(
    ("body", "surface"),
    [
        ("La sede di viale Ciro Menotti resterà aperta.", "viale Ciro Menotti"),
        ("Il corteo è partito da corso Vittorio Emanuele.", "corso Vittorio Emanuele"),
        ("I lavoratori hanno manifestato in piazza del Popolo.", "piazza del Popolo"),
    ],
)
def test_a_street_is_a_place_not_a_person(extractor, body, surface):
    assert entities(extractor, body)[surface] == (surface, "LOC")


def test_via_before_a_name_is_no_street(extractor):
    got = entities(extractor, "L'annuncio è arrivato via Telegram da Giorgia Meloni.")
    assert not any(s.startswith("via") for s in got)
