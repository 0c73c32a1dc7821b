"""entities.kb_rules.v1 on tiny inline texts and a tiny KB: one test per rule, exact rows."""
from __future__ import annotations

import pytest

from pipeline.extract.entities.kb_rules import KbRulesExtractor, make_kb_rules
from pipeline.extract.entities.spans import discovered_id
from pipeline.extract.registry import get_extractor
from pipeline.schema import ENTITIES, MENTIONS
from pipeline.text import split_sentences

from kb_fixture import HEADER, tiny_kb_extractor

KB = {
    "organizations.csv": HEADER
    + """org:ford,Ford,ORG,Ford Motor Company,,US,Dearborn,automaker,,Jim Farley,,Q44294
org:xiaomi,Xiaomi,ORG,Xiaomi Auto,casa di lei jun,CN,Pechino,electronics,,Lei Jun,,
org:financial-times,Financial Times,ORG,FT,,GB,Londra,media,,,,
org:stellantis,Stellantis,ORG,,ex fiat,NL,Hoofddorp,automaker,,Antonio Filosa,,
org:fiat,Fiat,ORG,,,IT,Torino,brand,org:stellantis,,,
org:ferrari,Ferrari,ORG,Cavallino Rampante,casa di maranello,IT,Maranello,automaker,,Benedetto Vigna,,
org:rivian,Rivian,ORG,,,US,Irvine,automaker,,,,
org:leapmotor,Leapmotor,ORG,,,CN,Hangzhou,automaker,,,,
org:byd,BYD,ORG,Byd,,CN,Shenzhen,automaker,,Wang Chuanfu,,
org:mimit,Ministero delle Imprese e del Made in Italy,ORG,Mimit|Ministero delle Imprese,,IT,Roma,government,,Adolfo Urso,,
""",
    "people.csv": HEADER
    + """per:jim-farley,Jim Farley,PER,,,US,,executive,org:ford,,amministratore delegato,
per:lei-jun,Lei Jun,PER,,,CN,,executive,org:xiaomi,,fondatore,
per:luca-de-meo,Luca de Meo,PER,de Meo,,IT,,executive,,,amministratore delegato,
per:adolfo-urso,Adolfo Urso,PER,Urso,,IT,,politician,org:mimit,,ministro delle Imprese,
""",
    "places.csv": HEADER
    + """loc:country-us,Stati Uniti,LOC,Usa|USA,,US,,country,,,,
loc:pechino,Pechino,LOC,,,CN,,city,,,,
loc:torino,Torino,LOC,,,IT,,city,,,,
loc:mirafiori,Mirafiori,LOC,,,IT,,plant,loc:torino,,,
""",
    "products.csv": HEADER
    + """prod:xiaomi-su7,Xiaomi SU7,PRODUCT,SU7,,CN,,car_model,org:xiaomi,,,
prod:ford-escape,Ford Escape,PRODUCT,Escape,,US,,car_model,org:ford,,,
prod:fiat-500,Fiat 500,PRODUCT,500,,IT,,car_model,org:fiat,,,
prod:byd-seagull,BYD Seagull,PRODUCT,,,CN,,car_model,org:byd,,,
prod:x-social,X,PRODUCT,Twitter,,US,,social_network,,,,
""",
}


@pytest.fixture(scope="module")
def extractor(tmp_path_factory) -> KbRulesExtractor:
    return tiny_kb_extractor(tmp_path_factory.mktemp("reference"), KB)


def run(ex, body: str, article_id: str = "a1"):
    mentions, entities = ex.extract(body, split_sentences(body), article_id)
    return mentions, {e["entity_id"]: e for e in entities}


def found(ex, body: str) -> list[tuple[str, str, str]]:
    """(surface, entity_id, method) of every mention, in text order."""
    return [(m["surface"], m["entity_id"], m["method"]) for m in run(ex, body)[0]]


# ---- contract


def test_rows_follow_the_contract(extractor):
    body = "Ford valuta una joint venture con Xiaomi negli Stati Uniti.\nIl gruppo americano ha smentito."
    mentions, entities = run(extractor, body)
    assert extractor.name == "entities.kb_rules.v1"
    for m in mentions:
        assert set(m) == set(MENTIONS.column_names)
        assert body[m["start"] : m["end"]] == m["surface"]
    assert [m["sentence_id"] for m in mentions] == [0, 0, 0, 1]
    assert set(entities) == {m["entity_id"] for m in mentions}
    for e in entities.values():
        assert set(e) == set(ENTITIES.column_names) - {"n_articles", "n_mentions"}
    assert entities["org:ford"] == {
        "entity_id": "org:ford",
        "name": "Ford",
        "type": "ORG",
        "aliases": ["Ford Motor Company"],
        "origin": "kb",
        "wikidata_id": "Q44294",
        "country": "US",
        "parent_id": None,
    }


def test_registered_under_versioned_name():
    assert get_extractor("entities.kb_rules.v1") is make_kb_rules


# ---- matching (issue 3, item 2)


def test_case_all_capitals_match_but_lowercase_words_do_not(extractor):
    assert found(extractor, "Anche Byd e STELLANTIS crescono, mentre la ford non c'entra.") == [
        ("Byd", "org:byd", "kb_alias"),
        ("STELLANTIS", "org:stellantis", "kb_alias"),
    ]


def test_elisions_and_country_names_from_pycountry(extractor):
    assert found(extractor, "L’export dell’Italia verso la Germania cresce.") == [
        ("Italia", "loc:country-it", "kb_alias"),
        ("Germania", "loc:country-de", "kb_alias"),
    ]


def test_longest_multiword_alias_wins(extractor):
    assert found(extractor, "La Ford Motor Company ha confermato.") == [("Ford Motor Company", "org:ford", "kb_alias")]


def test_brand_and_model_is_the_model_made_by_the_brand(extractor):
    mentions, entities = run(extractor, "La nuova Xiaomi SU7 costa meno.")
    assert [(m["surface"], m["entity_id"]) for m in mentions] == [("Xiaomi SU7", "prod:xiaomi-su7")]
    assert entities["prod:xiaomi-su7"]["parent_id"] == "org:xiaomi"


def test_bare_model_name_needs_its_maker_in_the_article(extractor):
    assert found(extractor, "Una fuga (escape) e un Escape room.") == []
    assert ("Escape", "prod:ford-escape", "kb_alias") in found(extractor, "Ford ha abbandonato modelli come Escape.")


def test_model_named_by_a_number_after_an_article(extractor):
    got = found(extractor, "Stellantis produrrà la 500 a Mirafiori, ma non 500 unità.")
    assert got == [("Stellantis", "org:stellantis", "kb_alias"), ("500", "prod:fiat-500", "kb_alias"), ("Mirafiori", "loc:mirafiori", "kb_alias")]


def test_institution_written_with_lowercase_head(extractor):
    assert found(extractor, "Domani al ministero delle Imprese si decide.") == [("ministero delle Imprese", "org:mimit", "kb_alias")]
    # a long name keeps matching whatever the case of its inner words; a short one keeps its capitals
    got = found(extractor, "Convocato al ministero delle Imprese e del made in Italy il tavolo.")
    assert got == [("ministero delle Imprese e del made in Italy", "org:mimit", "kb_alias")]
    assert found(extractor, "Domani al ministero delle imprese si decide.") == []


# ---- discovery (item 3)


def test_discovered_person_with_particle_has_a_stable_id(extractor):
    first = found(extractor, "Il consiglio guidato da Henri de Castries ha deciso.")
    second = run(extractor, "Secondo Henri de Castries la scelta è giusta.", "a2")[0]
    eid = discovered_id("Henri de Castries")
    assert first == [("Henri de Castries", eid, "discovered")]
    assert [m["entity_id"] for m in second] == [eid] and eid.startswith("d_")


def test_discovered_entity_row(extractor):
    _, entities = run(extractor, "Lo ha detto Mikael Kubu, curatore fallimentare.")
    (e,) = entities.values()
    assert e == {
        "entity_id": discovered_id("Mikael Kubu"),
        "name": "Mikael Kubu",
        "type": "PER",
        "aliases": [],
        "origin": "discovered",
        "wikidata_id": None,
        "country": None,
        "parent_id": None,
    }


def test_sentence_initial_common_words_are_not_names(extractor):
    assert found(extractor, "Praticamente nessuno lo sapeva. Proprio Ford ha smentito. Insomma, Global è solo uno slogan.") == [
        ("Ford", "org:ford", "kb_alias")
    ]


def test_generic_capitalized_words_and_months_are_not_names(extractor):
    assert found(extractor, "Il debutto Global della variante Ultra è previsto a Gennaio con il SUV.") == []


def test_title_case_heading_is_skipped(extractor):
    assert found(extractor, "Le Voci Della Missione Americana In Michigan\nIl testo.") == []


@pytest.mark.parametrize(
    "text, name, typ",
    [
        ("Lo ha detto l’assessore Andrea Tronzano ieri.", "Andrea Tronzano", "PER"),
        ("Secondo Ed Kim, presidente della società, il mercato rallenta.", "Ed Kim", "PER"),
        ("Ha parlato Zhu Jiangming durante la visita.", "Zhu Jiangming", "PER"),
        ("Ne ha parlato la presidente di Vehicle Valley.", "Vehicle Valley", "ORG"),
        ("Erano presenti manager di Comerica Bank e altri.", "Comerica Bank", "ORG"),
        ("La società di consulenza AutoPacific prevede un calo.", "AutoPacific", "ORG"),
        ("Gli incontri si sono tenuti nella contea di Oakland.", "contea di Oakland", "LOC"),
        ("Ford ha abbandonato modelli cruciali come Bronco ed Explorer.", "Explorer", "PRODUCT"),
        ("Il presidente della Commissione Cina della Camera ha parlato.", "Commissione Cina della Camera", "ORG"),
        ("La produzione è partita ad Arnstadt in Germania.", "Arnstadt", "LOC"),
        ("Ha parlato la presidente Ursula von der Leyen a Strasburgo.", "Ursula von der Leyen", "PER"),
        ("Il colosso di Ningde controlla il 37% del mercato.", "Ningde", "LOC"),
        ("La Ferrari ha vinto il premio Compasso d’Oro.", "Compasso d’Oro", "EVENT"),
        ("È arrivata la nuova Ioniq 9, il SUV più grande.", "Ioniq 9", "PRODUCT"),
        ("Hyundai ha aperto la Metaplant America in Georgia.", "Metaplant America", "ORG"),
        ("Il ministro degli Esteri Péter Szijjártó ha firmato.", "Péter Szijjártó", "PER"),
        ("Il gruppo ha chiuso l’ex stabilimento Olivetti di Scarmagno.", "Olivetti", "ORG"),
    ],
)
def test_discovered_names_are_typed_from_evidence(extractor, text, name, typ):
    _, entities = run(extractor, text)
    assert {e["name"]: e["type"] for e in entities.values() if e["origin"] == "discovered"}.get(name) == typ


def test_plans_and_portfolios_are_not_entities(extractor):
    assert found(extractor, "Il rilancio con il piano Renaulution è servito.") == []
    assert [e["name"] for e in run(extractor, "Ne ha parlato il ministro delle Imprese Adolfo Urso.")[1].values()] == ["Adolfo Urso"]


def test_hyphenated_place_is_not_a_first_name(extractor):
    _, entities = run(extractor, "La fabbrica di Billy-Berclau resta aperta.")
    assert [(e["name"], e["type"]) for e in entities.values()] == [("Billy-Berclau", "LOC")]


def test_maker_followed_by_unknown_model_is_a_product_of_the_maker(extractor):
    mentions, entities = run(extractor, "Leapmotor T03 arriva in autunno.")
    eid = discovered_id("Leapmotor T03")
    assert [(m["surface"], m["entity_id"]) for m in mentions] == [("Leapmotor T03", eid)]
    assert (entities[eid]["type"], entities[eid]["parent_id"]) == ("PRODUCT", "org:leapmotor")


def test_maker_units_stay_the_maker_and_regions_are_subsidiaries(extractor):
    mentions, entities = run(extractor, "Xiaomi Group e Ford Europe crescono.")
    eid = discovered_id("Ford Europe")
    assert [(m["surface"], m["entity_id"]) for m in mentions] == [("Xiaomi Group", "org:xiaomi"), ("Ford Europe", eid)]
    assert (entities[eid]["type"], entities[eid]["parent_id"]) == ("ORG", "org:ford")


# ---- partial names and acronyms (item 4)


def test_surname_after_full_name_of_a_kb_person(extractor):
    got = found(extractor, "L’amministratore delegato Jim Farley è cauto. Farley ha importato una SU7.")
    assert ("Farley", "per:jim-farley", "partial_name") in got


def test_surname_after_full_name_of_a_discovered_person(extractor):
    eid = discovered_id("Andrea Tronzano")
    assert found(extractor, "Guida la missione l’assessore Andrea Tronzano. «Siamo pronti», ha dichiarato Tronzano.") == [
        ("Andrea Tronzano", eid, "discovered"),
        ("Tronzano", eid, "partial_name"),
    ]


def test_acronym_introduced_in_brackets(extractor):
    eid = discovered_id("Automotive Cells Company")
    assert found(extractor, "La Automotive Cells Company (ACC) frena. Secondo ACC la domanda è debole.") == [
        ("Automotive Cells Company", eid, "discovered"),
        ("ACC", eid, "acronym"),
        ("ACC", eid, "acronym"),
    ]


# ---- epithets (item 5)


def test_nationality_epithet_resolves_to_last_fitting_entity(extractor):
    got = found(extractor, "Ford avrebbe parlato con Xiaomi. Lo rivela il Financial Times, secondo cui il gruppo americano valuta l’ipotesi.")
    assert ("gruppo americano", "org:ford", "epithet") in got


def test_kb_epithet_with_leader(extractor):
    got = found(extractor, "Xiaomi cresce: la casa di Lei Jun venderà all’estero.")
    assert got == [("Xiaomi", "org:xiaomi", "kb_alias"), ("casa di Lei Jun", "org:xiaomi", "kb_epithet"), ("Lei Jun", "per:lei-jun", "kb_alias")]


def test_headquarters_epithet_even_without_the_name(extractor):
    assert found(extractor, "Il colosso di Pechino venderà le sue auto anche da noi.") == [
        ("colosso di Pechino", "org:xiaomi", "epithet"),
        ("Pechino", "loc:pechino", "kb_alias"),
    ]


def test_recency_picks_the_latest_american_maker(extractor):
    got = found(extractor, "Ford ha un piano. La delegazione ha incontrato Rivian. Il costruttore americano sviluppa la R3.")
    assert ("Il costruttore americano", "org:rivian", "epithet") not in got  # the surface starts after the article
    assert ("costruttore americano", "org:rivian", "epithet") in got


def test_media_epithet(extractor):
    got = found(extractor, "Lo scrive il Financial Times. Ma il quotidiano britannico non cita fonti.")
    assert ("quotidiano britannico", "org:financial-times", "epithet") in got


def test_stable_epithets_from_the_kb(extractor):
    got = found(extractor, "La ex Fiat tratta. Altri modelli del Cavallino Rampante arriveranno.")
    assert got == [("ex Fiat", "org:stellantis", "kb_epithet"), ("Cavallino Rampante", "org:ferrari", "kb_alias")]


def test_appositive_description(extractor):
    got = found(extractor, "Ford tratta con Xiaomi, colosso cinese dell’elettronica di consumo.")
    assert ("colosso cinese dell’elettronica", "org:xiaomi", "epithet") in got


def test_role_description_before_the_name(extractor):
    got = found(extractor, "Parla l’amministratore delegato di Ford, Jim Farley.")
    assert ("amministratore delegato di Ford", "per:jim-farley", "epithet") in got


def test_description_that_nothing_fits_is_dropped(extractor):
    assert found(extractor, "Il gruppo tedesco ha chiuso l’anno in utile.") == []


def test_plant_described_by_its_town(extractor):
    got = found(extractor, "A Mirafiori si lavora. Lo stabilimento torinese produrrà di più.")
    assert ("stabilimento torinese", "loc:mirafiori", "epithet") in got


def test_decades_and_legal_terms_are_no_entities(extractor):
    got = found(extractor, "Negli anni Novanta la Twingo nacque a Flins. Marelli ha chiesto il Chapter 11 in America.")
    assert not [s for s, _, _ in got if s in ("Novanta", "Chapter", "Chapter 11")]


def test_a_bare_model_name_needs_its_maker_named_anywhere_even_through_case_variant_aliases(extractor):
    # "BYD" and its alias "Byd" fold alike: still one firm mention of the maker
    body = "BYD taglia i prezzi. Con la promozione la citycar elettrica Seagull parte da 55.000 yuan."
    assert ("Seagull", "prod:byd-seagull", "kb_alias") in found(extractor, body)
    alone = found(extractor, "Con la promozione la citycar Seagull parte da 55.000 yuan.")
    assert not [m for m in alone if m[1] == "prod:byd-seagull"]  # no maker in the article: not the KB's model


def test_a_social_network_needs_no_maker_but_a_model_name_does(extractor):
    assert ("X", "prod:x-social", "kb_alias") in found(extractor, "Il ceo ha scritto su X che la fabbrica riaprirà.")
    assert all(m[1] != "prod:x-social" for m in found(extractor, "Re Carlo X visitò Parigi."))  # a regnal numeral
    assert all(m[1] != "prod:ford-escape" for m in found(extractor, "La citycar Escape costa poco."))


def test_a_role_in_apposition_after_a_persons_name_is_an_epithet_of_that_person(extractor):
    got = found(extractor, "Jim Farley, numero uno di Ford, ha spiegato che i conti tengono.")
    assert ("numero uno di Ford", "per:jim-farley", "epithet") in got
    got = found(extractor, "Lo ha detto Jim Farley, presidente e amministratore delegato di Ford.")
    assert ("presidente e amministratore delegato di Ford", "per:jim-farley", "epithet") in got
    # the phrase stops at a relative pronoun and before a dangling preposition; no role, no apposition
    got = found(extractor, "Jim Farley, amministratore delegato di Ford che guida il gruppo da anni, è ottimista.")
    assert ("amministratore delegato di Ford", "per:jim-farley", "epithet") in got
    assert [m for m in found(extractor, "Jim Farley, come sempre, è ottimista.") if m[2] == "epithet"] == []


def test_a_name_inside_a_longer_name_of_the_same_entity_is_one_mention(extractor):
    got = found(extractor, "Lo ha detto Luca de Meo ai giornalisti. Poi de Meo è ripartito.")
    assert [m[0] for m in got if m[1] == "per:luca-de-meo"] == ["Luca de Meo", "de Meo"]


def test_a_person_description_with_two_roles_keeps_both(extractor):
    got = found(extractor, "Jim Farley ha parlato a Detroit. L’amministratore delegato e presidente ha poi aggiunto altro.")
    assert [m for m in got if m[1] == "per:jim-farley" and m[2] == "epithet"][0][0].endswith("amministratore delegato e presidente")



def test_a_datelines_month_abbreviation_is_no_entity(extractor):
    mentions, entities = run(extractor, "TORINO, 25 NOV - La Fiat ha avviato la produzione. Lo riferisce la Fim Cisl.")
    assert "NOV" not in {m["surface"] for m in mentions}
