"""entities.kb_rules.v1: descriptions with a complement noun and a nationality after it (tiny KB, exact rows)."""
from __future__ import annotations

import pytest

from pipeline.extract.entities.kb_rules import make_kb_rules
from pipeline.text import split_sentences

from kb_fixture import HEADER, tiny_kb_extractor

KB = {
    "organizations.csv": HEADER
    + "org:ig-metall,IG Metall,ORG,,,DE,Francoforte,union,,,,\norg:fiom,Fiom,ORG,,,IT,Roma,union,,,,\n"
    + "org:tesla,Tesla,ORG,,,US,Austin,automaker,,,,\norg:ford,Ford,ORG,,,US,Dearborn,automaker,,,,\n"
    + "org:regione-piemonte,Regione Piemonte,ORG,,,IT,Torino,government,,,,\n",
    "people.csv": HEADER + "per:michele-de-palma,Michele De Palma,PER,De Palma,,IT,,union,org:fiom,,segretario generale,\n",
    "places.csv": HEADER + "loc:country-it,Italia,LOC,,stivale|nostro paese,IT,,country,,,,\n"
    + "loc:texas,Texas,LOC,,,US,,region,,,,\nloc:austin,Austin,LOC,,,US,,city,loc:texas,,,\n",
    "products.csv": HEADER,
}


@pytest.fixture(scope="module")
def extractor(tmp_path_factory):
    return tiny_kb_extractor(tmp_path_factory.mktemp("reference"), KB)


def found(ex, body: str) -> list[tuple[str, str]]:
    mentions, _ = ex.extract(body, split_sentences(body), "a1")
    return [(m["surface"], m["entity_id"]) for m in mentions]


def test_union_described_by_its_members_and_their_nationality(extractor):
    body = "La Fiom ha scioperato a Torino. Dura la reazione di IG Metall: il sindacato dei metalmeccanici tedeschi si opporrà ai tagli."
    assert ("sindacato dei metalmeccanici tedeschi", "org:ig-metall") in found(extractor, body)


def test_our_country_is_italy(extractor):
    assert found(extractor, "Nel nostro Paese le vendite sono calate.") == [("nostro Paese", "loc:country-it")]


def test_role_heads_ad_and_segretario_refer_back_to_their_person(extractor):
    body = "Michele De Palma ha parlato a Roma. Il segretario della Fiom ha chiesto un incontro."
    assert ("segretario della Fiom", "per:michele-de-palma") in found(extractor, body)


def test_a_first_name_is_no_country_name_from_pycountry():
    """pycountry's Italian name of Mauritius is "Maurizio"; with the full word lists it is read as a first name."""
    ex = make_kb_rules()
    got = found(ex, "Il segretario generale Maurizio Rossi guida la Fiom.")
    assert not any(eid == "loc:country-mu" for _, eid in got)


def test_bare_institution_head_takes_up_a_name_or_alias_starting_with_it():
    """"il ministero" after a ministry whose KB name is an acronym but whose alias starts with "Ministero"."""
    body = "Il MIIT ha convocato i costruttori cinesi. Il ministero, in una nota, ha chiesto di fermare gli sconti."
    assert ("ministero", "org:miit") in found(make_kb_rules(), body)


def test_bare_supplier_refers_back_to_the_last_supplier(tmp_path):
    kb = {
        **KB,
        "organizations.csv": KB["organizations.csv"]
        + "org:bmw,BMW,ORG,,,DE,Monaco,automaker,,,,\norg:continental,Continental,ORG,,,DE,Hannover,supplier,,,,\n",
    }
    ex = tiny_kb_extractor(tmp_path, kb)
    body = "BMW ha tagliato le stime per un difetto dei freni forniti da Continental. Il fornitore, dal canto suo, ha fatto sapere di collaborare con il cliente."
    assert ("fornitore", "org:continental") in found(ex, body)


def test_a_region_demonym_names_the_company_headquartered_there(tmp_path):
    # region demonyms live in entity_cues.yaml
    ex = tiny_kb_extractor(tmp_path, KB, ("entities_rules.yaml", "entity_cues.yaml"))
    body = "Tesla e Ford hanno tagliato i prezzi. Il costruttore texano ha perso quote."
    assert ("costruttore texano", "org:tesla") in found(ex, body)


def test_a_description_after_a_name_it_does_not_fit_is_resolved_on_its_own(extractor):
    # the comma makes "Ford" look like the description's name, but Ford is not of Austin: Tesla is
    got = found(extractor, "La notizia è stata diffusa da Ford, il costruttore di Austin ha deciso di tagliare i prezzi.")
    assert ("costruttore di Austin", "org:tesla") in got


def test_a_company_description_never_fits_an_organization_of_another_known_sector(extractor):
    body = "La Regione Piemonte ha festeggiato la nuova 500 ibrida. La casa torinese smentisce: l'elettrica resta."
    assert not any(surface == "casa torinese" for surface, _ in found(extractor, body))


def test_an_agency_tag_is_not_what_the_article_is_about(tmp_path):
    kb = dict(KB)
    kb["organizations.csv"] = KB["organizations.csv"] + "org:radiocor,Radiocor,ORG,,,IT,Milano,media,,,,\norg:stellantis,Stellantis,ORG,,,NL,,automaker,,,,\n"
    ex = tiny_kb_extractor(tmp_path, kb)
    body = "(Radiocor) - MILANO, 28 MAG - Stellantis ha un nuovo amministratore delegato. Lo ha annunciato oggi il gruppo."
    assert ("gruppo", "org:stellantis") in found(ex, body)


GROUP_KB = {
    "organizations.csv": HEADER
    + "org:geely-holding,Geely,ORG,Geely Holding,,CN,Hangzhou,automaker,,Li Shufu,,\n"
    + "org:geely-auto,Geely Auto,ORG,,,CN,Hangzhou,automaker,org:geely-holding,,,\n"
    + "org:zeekr,Zeekr,ORG,,,CN,,automaker,org:geely-auto,An Conghui,,\n",
    "people.csv": HEADER
    + "per:li-shufu,Li Shufu,PER,,,CN,,executive,org:geely-holding,,fondatore e presidente,\n"
    + "per:an-conghui,An Conghui,PER,,,CN,,executive,org:zeekr,,amministratore delegato,\n",
    "places.csv": HEADER,
    "products.csv": HEADER,
}


def test_a_role_of_a_group_is_the_groups_own_person_before_a_subsidiarys(tmp_path):
    ex = tiny_kb_extractor(tmp_path, GROUP_KB)
    body = ("La riorganizzazione è voluta dal fondatore Li Shufu. L'offerta su Zeekr è stata presentata da An Conghui. "
            "Il patron di Geely ha più volte sostenuto che il settore soffre di un eccesso di capacità.")
    assert ("patron di Geely", "per:li-shufu") in found(ex, body)
