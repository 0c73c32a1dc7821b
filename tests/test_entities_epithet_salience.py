"""entities.kb_rules.v1, epithets: topic salience, group and member, name-bound heads, descriptions reused after a name."""
from __future__ import annotations

import pytest

from pipeline.extract.entities.kb_rules import KbRulesExtractor
from pipeline.text import split_sentences

from kb_fixture import HEADER, tiny_kb_extractor

KB = {
    "organizations.csv": HEADER
    + """org:volkswagen,Volkswagen,ORG,VW,gruppo di wolfsburg,DE,Wolfsburg,automaker,,Oliver Blume,,
org:porsche,Porsche,ORG,,,DE,Stoccarda,brand,org:volkswagen,,,
org:stellantis,Stellantis,ORG,,,NL,Hoofddorp,automaker,,,,
org:fiat,Fiat,ORG,,,IT,Torino,brand,org:stellantis,,,
org:bmw,BMW,ORG,Bmw,,DE,Monaco di Baviera,automaker,,,,
org:renault,Renault,ORG,,,FR,Boulogne-Billancourt,automaker,,François Provost,,
org:kering,Kering,ORG,,,FR,Parigi,luxury,,Luca de Meo,,
org:commissione-europea,Commissione europea,ORG,Commissione Ue,,EU,Bruxelles,government,,,,
org:mimit,Ministero delle Imprese,ORG,Mimit,,IT,Roma,government,org:governo-italiano,Adolfo Urso,,
org:acea,ACEA,ORG,Acea,,BE,Bruxelles,trade_body,,,,
org:governo-italiano,Governo italiano,ORG,Governo Meloni,,IT,Roma,government,,Giorgia Meloni,,
org:governo-cinese,Governo cinese,ORG,,,CN,Pechino,government,,,,
org:governo-giapponese,Governo giapponese,ORG,,,JP,Tokyo,government,,,,
org:mofcom,Ministero del Commercio cinese,ORG,Mofcom,,CN,Pechino,government,org:governo-cinese,,,
org:hyundai,Hyundai,ORG,,,KR,Seul,automaker,,,,
org:reuters,Reuters,ORG,,,GB,Londra,media,,,,
""",
    "people.csv": HEADER
    + """per:francois-provost,François Provost,PER,Provost,,FR,,executive,org:renault,,amministratore delegato,
per:luca-de-meo,Luca de Meo,PER,de Meo,,IT,,executive,org:kering,,amministratore delegato di Kering (ex Renault),
per:carlos-tavares,Carlos Tavares,PER,Tavares,,PT,,executive,,,amministratore delegato,
per:adolfo-urso,Adolfo Urso,PER,Urso,,IT,,politician,org:mimit,,ministro delle Imprese,
""",
    "places.csv": HEADER + "loc:bruxelles,Bruxelles,LOC,,,BE,,city,,,,\nloc:tokyo,Tokyo,LOC,,,JP,,city,,,,\n",
    "products.csv": HEADER,
}


@pytest.fixture(scope="module")
def extractor(tmp_path_factory) -> KbRulesExtractor:
    return tiny_kb_extractor(tmp_path_factory.mktemp("reference"), KB)


def epithets(ex, body: str) -> list[tuple[str, str]]:
    """(surface, entity_id) of every description linked by the epithet rules, in text order."""
    mentions, _ = ex.extract(body, split_sentences(body), "a1")
    return [(m["surface"], m["entity_id"]) for m in mentions if m["method"] == "epithet"]


def test_description_fitting_a_member_and_its_group_means_the_group_the_article_is_about(extractor):
    body = (
        "Volkswagen chiude il trimestre in rosso. A pesare sono i conti di Porsche. "
        "Il costruttore tedesco ha spiegato che i tagli proseguono."
    )
    assert epithets(extractor, body) == [("costruttore tedesco", "org:volkswagen")]


def test_description_fitting_an_unrelated_nearer_organization_keeps_recency(extractor):
    body = (
        "Volkswagen chiude il trimestre in rosso. Anche Bmw ha rivisto le stime. "
        "Il costruttore tedesco ha spiegato che i tagli proseguono."
    )
    assert epithets(extractor, body) == [("costruttore tedesco", "org:bmw")]


def test_bare_description_means_the_most_salient_organization(extractor):
    body = (
        "Volkswagen chiude il trimestre in rosso. Volkswagen taglia i costi. Il manager guida anche Porsche. "
        "L’azienda ha confermato le stime."
    )
    assert epithets(extractor, body)[-1] == ("azienda", "org:volkswagen")


def test_bare_description_keeps_the_organization_its_own_sentence_just_named(extractor):
    body = "Volkswagen chiude il trimestre in rosso. Volkswagen taglia i costi. Porsche rinvia due modelli e l’azienda ha spiegato il motivo."
    assert epithets(extractor, body) == [("azienda", "org:porsche")]


def test_la_commissione_refers_back_to_the_commissione_europea(extractor):
    body = "La Commissione europea ha presentato il pacchetto. Secondo la Commissione, la modifica darà flessibilità."
    assert epithets(extractor, body) == [("Commissione", "org:commissione-europea")]


def test_la_commissione_never_means_another_government_body(extractor):
    body = "Il Mimit ha convocato il tavolo. La Commissione ha rinviato il voto."
    assert epithets(extractor, body) == []


def test_description_used_before_next_to_a_name_refers_to_that_name(extractor):
    body = (
        "Renault ha nominato François Provost nuovo amministratore delegato. Prende il posto di Luca de Meo. "
        "Secondo il nuovo amministratore delegato, il gruppo è solido."
    )
    assert ("nuovo amministratore delegato", "per:francois-provost") in epithets(extractor, body)


def test_former_title_used_before_a_name_is_not_reused(extractor):
    body = (
        "L’ex amministratore delegato Carlos Tavares ha lasciato. Renault ha nominato François Provost. "
        "L’amministratore delegato ha parlato ai dipendenti."
    )
    assert epithets(extractor, body)[-1] == ("amministratore delegato", "per:francois-provost")


def test_association_of_carmakers_is_the_trade_body(extractor):
    body = "Secondo l’Acea, il mercato cresce. L’associazione dei costruttori europei ha chiesto interventi rapidi."
    assert epithets(extractor, body) == [("associazione dei costruttori europei", "org:acea")]  # the nationality after the complement belongs to it


def test_government_qualified_by_nationality_is_that_country_s_government(extractor):
    body = "Il Mofcom ha annunciato nuove licenze. Il governo cinese ha fatto sapere che adotterà contromisure."
    assert epithets(extractor, body) == [("governo cinese", "org:governo-cinese")]


def test_bare_government_is_the_one_of_the_minister_named_before(extractor):
    body = "Il ministro Adolfo Urso ha convocato il tavolo. Il governo, ha ricordato Urso, metterà a disposizione nuove risorse."
    assert ("governo", "org:governo-italiano") in epithets(extractor, body)


def test_bare_government_after_its_seat_in_the_same_sentence(extractor):
    body = "Tokyo segue la vicenda con attenzione: il governo ha fatto sapere di essere pronto a sostenere l’indotto."
    assert epithets(extractor, body) == [("governo", "org:governo-giapponese")]


def test_bare_government_without_a_clue_is_left_unlinked(extractor):
    body = "Hyundai ha aperto una fabbrica in Georgia. Il governo ha salutato l’investimento."
    assert epithets(extractor, body) == []


def test_bare_description_after_a_sentence_opened_by_another_organization(extractor):
    body = (
        "Volkswagen chiude il trimestre in rosso. Volkswagen taglia i costi. Hyundai ha aperto una fabbrica in Georgia. "
        "Lo ha confermato all’agenzia Reuters un portavoce della società."
    )
    assert epithets(extractor, body) == [("società", "org:hyundai")]


def test_bare_description_after_a_sentence_opened_by_the_nearer_organization(extractor):
    body = (
        "Volkswagen chiude il trimestre in rosso. Volkswagen taglia i costi. Hyundai ha aperto una fabbrica in Georgia. "
        "Secondo l’azienda, il mercato americano resta solido."
    )
    assert epithets(extractor, body) == [("azienda", "org:hyundai")]


def test_sentence_opening_adverb_keeps_the_name_the_subject(extractor):
    body = (
        "Volkswagen chiude il trimestre in rosso. Volkswagen taglia i costi. Anche Hyundai ha rivisto le stime. "
        "Il gruppo ha spiegato che la domanda resta debole."
    )
    assert epithets(extractor, body) == [("gruppo", "org:hyundai")]


def test_description_in_a_paragraph_about_the_nearer_organization(extractor):
    body = (
        "Volkswagen chiude il trimestre in rosso. Volkswagen taglia i costi.\n\n"
        "Più drastica Bmw. Il manager ha annunciato una pausa produttiva. "
        "Ha spiegato che il gruppo sta ancora valutando gli effetti dei dazi."
    )
    assert epithets(extractor, body)[-1] == ("gruppo", "org:bmw")


def test_brand_description_after_a_brand_keeps_the_brand(extractor):
    body = "Stellantis chiude il trimestre. Stellantis taglia i costi. Cresce Fiat in Italia. Le vendite del marchio salgono del 10%."
    assert epithets(extractor, body)[-1] == ("marchio", "org:fiat")
