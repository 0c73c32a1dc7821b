"""claims.rules.v1, attribution: direct quotes in « » “ ” " ", speakers from reporting verbs, sources and context."""
import re

import pytest

from pipeline.text import split_sentences

from claims_fixture import EXTRACTOR
from claims_fixture import claims as _claims

ENTS = [
    ("Andrea Tronzano", "per:andrea-tronzano", "PER"),
    ("Tronzano", "per:andrea-tronzano", "PER"),
    ("Jim Farley", "per:jim-farley", "PER"),
    ("Farley", "per:jim-farley", "PER"),
    ("Ford", "org:ford", "ORG"),
    ("Xiaomi", "org:xiaomi", "ORG"),
    ("Financial Times", "org:financial-times", "ORG"),
    ("Ed Kim", "per:ed-kim", "PER"),
    ("AutoPacific", "org:autopacific", "ORG"),
    ("Cina", "loc:cina", "LOC"),
    ("Commissione Cina della Camera", "org:commissione-cina", "ORG"),
    ("John Moolenaar", "per:john-moolenaar", "PER"),
    ("Pierpaolo Antonioli", "per:pierpaolo-antonioli", "PER"),
    ("Dumarey Automotive", "org:dumarey", "ORG"),
    ("Donald Trump", "per:donald-trump", "PER"),
    ("Lei Jun", "per:lei-jun", "PER"),
    ("Bloomberg", "org:bloomberg", "ORG"),
    ("Stellantis", "org:stellantis", "ORG"),
    ("Adolfo Urso", "per:adolfo-urso", "PER"),
    ("Mimit", "org:mimit", "ORG"),
]


def claims(body: str, ents=ENTS) -> list[dict]:
    return _claims(body, ents)


def attribution(body: str) -> list[tuple[str | None, str | None]]:
    return [(r["speaker_entity_id"], r["quote"]) for r in claims(body)]


@pytest.mark.parametrize(
    ("body", "quote"),
    [
        ("«Siamo pronti a crescere», ha detto Farley.", "Siamo pronti a crescere"),
        ("“Siamo pronti a crescere”, ha detto Farley.", "Siamo pronti a crescere"),
        ('"Siamo pronti a crescere", ha detto Farley.', "Siamo pronti a crescere"),
        ("Farley ha detto: «Siamo pronti a crescere».", "Siamo pronti a crescere"),
    ],
)
def test_quote_styles_give_the_quoted_words_only(body, quote):
    assert attribution(body) == [("per:jim-farley", quote)]


def test_multi_sentence_quote_is_split_by_sentence_with_one_speaker():
    body = "«Siamo pronti. Vogliamo crescere in Europa», ha dichiarato Tronzano."
    assert attribution(body) == [
        ("per:andrea-tronzano", "Siamo pronti."),
        ("per:andrea-tronzano", "Vogliamo crescere in Europa"),
    ]


def test_speaker_before_the_quote_with_an_apposition():
    body = "John Moolenaar, presidente della Commissione Cina della Camera, ha avvertito che l’accordo renderebbe gli Stati Uniti “ancora più dipendenti”."
    assert attribution(body) == [("per:john-moolenaar", "ancora più dipendenti")]


def test_speaker_named_after_the_quote():
    body = "«Stiamo costruendo nuove opportunità per le imprese», ha dichiarato Tronzano."
    assert attribution(body) == [("per:andrea-tronzano", "Stiamo costruendo nuove opportunità per le imprese")]


def test_speaker_of_the_previous_sentence_continues_a_dropped_subject():
    body = "Farley ha importato una SU7 di Xiaomi. E in più occasioni ha definito i costruttori cinesi una “minaccia esistenziale”."
    assert attribution(body) == [(None, None), ("per:jim-farley", "minaccia esistenziale")]


def test_gerund_shares_the_subject_of_the_previous_sentence():
    body = "Farley ha definito i rivali una minaccia. Sottolineando come la loro capacità sia tale da poter “mettere fuori mercato” molti concorrenti."
    assert attribution(body)[1] == ("per:jim-farley", "mettere fuori mercato")


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        ("Lo rivela il Financial Times, secondo cui Ford valuta una joint venture.", "org:financial-times"),
        ("Secondo Ed Kim, presidente di AutoPacific, Ford ha abbandonato modelli cruciali.", "per:ed-kim"),
        ("Stando a Bloomberg, Ford ha sospeso il progetto.", "org:bloomberg"),
        ("Per Pierpaolo Antonioli (Dumarey Automotive), «le sfide globali sono opportunità».", "per:pierpaolo-antonioli"),
        ("Donald Trump si è detto favorevole a investimenti cinesi negli Stati Uniti.", "per:donald-trump"),
        ("Ford ha smentito seccamente la ricostruzione.", "org:ford"),
        ("Xiaomi ha annunciato un piano di 10.000 negozi entro il 2030.", "org:xiaomi"),
        ("Come comunicato da Stellantis con una nota, il manager ha lasciato.", "org:stellantis"),
        ("Il governo, ha ricordato Adolfo Urso, metterà a disposizione un miliardo.", "per:adolfo-urso"),
        ("Il governo, ha ricordato il titolare del Mimit, metterà a disposizione un miliardo.", "per:adolfo-urso"),
        ("Ma il quotidiano britannico Financial Times ha pubblicato l’indiscrezione citando quattro fonti.", "org:financial-times"),
    ],
)
def test_speaker_cues(body, speaker):
    context = "Adolfo Urso ha incontrato i sindacati. "
    rows = claims(context + body)
    assert rows[-1]["speaker_entity_id"] == speaker


@pytest.mark.parametrize(
    "body",
    [
        "Xiaomi non ha risposto alle richieste di commento.",
        "Stellantis, per ora, non ha commentato le indiscrezioni.",
        "L’azienda ha lanciato anche la “dream car” SU7 Ultra.",
        "Il 6 febbraio, secondo fonti vicine al dossier, Farley avrebbe comunicato la decisione a Xiaomi.",
        "Nel 2024 la produzione è scesa sotto quota 500 mila veicoli secondo le stime di Bloomberg.",
    ],
)
def test_no_speaker(body):
    assert claims(body)[-1]["speaker_entity_id"] is None


def test_epithet_speaker_resolves_to_the_organization_the_article_is_about():
    body = "Stellantis ha chiuso il 2024 in calo. Stellantis ha venduto meno auto in Europa. Il gruppo ha spiegato che il calo è temporaneo."
    assert claims(body)[-1]["speaker_entity_id"] == "org:stellantis"


def test_speaker_is_the_canonical_name_and_no_subject_unless_an_organization():
    (row,) = claims("«Ford venderà in Europa», ha detto Farley.")
    assert (row["speaker"], row["speaker_entity_id"], row["subject_entity_ids"]) == ("jim-farley", "per:jim-farley", ["org:ford"])
    (row,) = claims("Ford ha annunciato che venderà auto in Cina.")
    assert (row["speaker_entity_id"], row["subject_entity_ids"]) == ("org:ford", ["org:ford", "loc:cina"])


@pytest.mark.parametrize(
    ("body", "speakers"),
    [
        ("A dirlo è Ed Kim, presidente di AutoPacific.", ["per:ed-kim"]),
        ("A rivelarlo è stato il Financial Times.", ["org:financial-times"]),
        ("«Il mercato europeo è in crisi». Lo ha detto Farley a Bloomberg.", ["per:jim-farley", "per:jim-farley"]),
        ("Stellantis, interpellata da Bloomberg, ha risposto che non commenta le indiscrezioni.", ["org:stellantis"]),
    ],
)
def test_cleft_and_pointing_back(body, speakers):
    assert [r["speaker_entity_id"] for r in claims(body)] == speakers


@pytest.mark.parametrize(
    ("body", "speakers"),
    [
        # an unnamed spokesperson is nobody, and stops the previous speaker from carrying over
        ("Farley ha parlato ai giornalisti. «Le stazioni non sono compatibili», ha confermato un portavoce.", [None, None]),
        # a parenthetical reporting verb with its subject after it
        ("La premier Giorgia Meloni ha parlato di una misura sbagliata. Il governo, ha assicurato la premier, lavorerà per un accordo.", ["per:giorgia-meloni", "per:giorgia-meloni"]),
        # the subject of the clause before a colon that opens a quote
        ("Adolfo Urso è stato chiaro: «Non ci saranno altri incentivi».", ["per:adolfo-urso"]),
        # a reporting noun before the verb
        ("Durissimo il commento di Farley: «Il sistema rischia il collasso».", ["per:jim-farley"]),
    ],
)
def test_more_attributions(body, speakers):
    ents = ENTS + [("Giorgia Meloni", "per:giorgia-meloni", "PER")]
    assert [r["speaker_entity_id"] for r in claims(body, ents)] == speakers


def test_company_led_by_a_person_speaks_for_itself():
    body = "L’azienda guidata da Lei Jun ha dichiarato 50.000 ordini."
    sentences = split_sentences(body)
    start = body.index("Lei Jun")
    mentions = [{"article_id": "a", "sentence_id": 0, "entity_id": "per:lei-jun", "start": start, "end": start + 7, "surface": "Lei Jun", "method": "kb_alias"}]
    entities = {"per:lei-jun": {"entity_id": "per:lei-jun", "name": "Lei Jun", "type": "PER", "parent_id": "org:xiaomi"}}
    (row,) = EXTRACTOR.extract(body, sentences, mentions, entities, "a")
    assert row["speaker_entity_id"] is None  # the KB parent is no entity of this article: no name to give
    entities["org:xiaomi"] = {"entity_id": "org:xiaomi", "name": "Xiaomi", "type": "ORG"}
    (row,) = EXTRACTOR.extract(body, sentences, mentions, entities, "a")
    assert (row["speaker"], row["speaker_entity_id"]) == ("Xiaomi", "org:xiaomi")


def claims_with(body: str, spans: list[tuple[str, str, str, str]]) -> list[dict]:
    """Claims of `body` with explicit mentions (surface, entity_id, type, method) at every occurrence, overlaps kept."""
    sentences = split_sentences(body)
    mentions, entities = [], {}
    for surface, eid, typ, method in spans:
        for m in re.finditer(re.escape(surface), body):
            entities[eid] = {"entity_id": eid, "name": eid.split(":", 1)[1], "type": typ}
            sid = next(i for i, s in enumerate(sentences) if s.start <= m.start() < s.end)
            mentions.append({"article_id": "a", "sentence_id": sid, "entity_id": eid, "start": m.start(), "end": m.end(), "surface": surface, "method": method})
    mentions.sort(key=lambda m: m["start"])
    return EXTRACTOR.extract(body, sentences, mentions, entities, "a")


def test_gerund_after_a_comma_is_no_inserted_reporting_clause():
    # ", indicando una forchetta tra il 5,5% e il 7%" describes the cut: the article asserts it, Ford says nothing
    body = "Ford ha tagliato le previsioni sul margine, indicando una forchetta tra il 5,5% e il 7%."
    assert [r["speaker_entity_id"] for r in claims(body)] == [None]


def test_outermost_of_mentions_ending_together_is_the_subject():
    # "il gruppo di Yokohama" (Nissan) contains the place "Yokohama": the description speaks, not the topic company
    body = "Honda ha presentato il piano di fusione con Nissan.\n\nIl gruppo di Yokohama ha smentito, precisando che nessuna decisione era stata presa."
    spans = [("Honda", "org:honda", "ORG", "kb_alias"), ("Nissan", "org:nissan", "ORG", "kb_alias"),
             ("gruppo di Yokohama", "org:nissan", "ORG", "epithet"), ("Yokohama", "loc:yokohama", "LOC", "kb_alias")]
    assert [r["speaker_entity_id"] for r in claims_with(body, spans)][-1] == "org:nissan"


def test_reporting_noun_framing_the_sentence_gives_the_main_subject():
    # "In una lettera al governo, X ha chiesto investimenti": no "chiedere di", but the letter is X's
    body = "In una lettera al governo tedesco, Farley ha chiesto investimenti pubblici nelle infrastrutture di ricarica."
    assert [r["speaker_entity_id"] for r in claims(body)] == ["per:jim-farley"]
    # the same with the subject named by a description ("il manager": the person last introduced)
    body = "«Manca un’agenda politica chiara per la mobilità elettrica», ha dichiarato Jim Farley. In una lettera al governo tedesco, il manager ha chiesto investimenti pubblici nelle infrastrutture."
    assert [r["speaker_entity_id"] for r in claims(body)] == ["per:jim-farley", "per:jim-farley"]


def test_document_of_a_described_organization():
    # "si legge nella nota della casa": the organization the description refers to, not the previous speaker
    body = "Ford ha presentato i conti del trimestre a Detroit.\n\n«Il nome del modello resterà invariato in tutti i mercati europei», si legge nella nota della casa."
    assert [r["speaker_entity_id"] for r in claims(body)][-1] == "org:ford"


def test_bare_description_names_the_article_topic_not_the_last_company():
    # the entity layer resolves "La società" by recency (Ford); a bare description as speaker is the article's company
    body = ("Stellantis ha chiuso il 2024 con ricavi in calo del 17% e consegne in forte riduzione.\n\n"
            "Il primo segnale era arrivato a giugno, quando Ford ha cancellato un ordine da 2 miliardi di euro. "
            "La società ha annunciato il taglio di 1.600 posti di lavoro in Europa.")
    spans = [("Stellantis", "org:stellantis", "ORG", "kb_alias"), ("Ford", "org:ford", "ORG", "kb_alias"), ("La società", "org:ford", "ORG", "epithet")]
    assert [r["speaker_entity_id"] for r in claims_with(body, spans)][-1] == "org:stellantis"


# ---- descriptions with a name, passives, settings that are no subjects

NAMED_ENTS = [
    ("Stéphane Séjourné", "per:stephane-sejourne", "PER"),
    ("Wopke Hoekstra", "per:wopke-hoekstra", "PER"),
    ("Iss", "org:iss", "ORG"),
    ("Glass Lewis", "org:glass-lewis", "ORG"),
    ("Tesla", "org:tesla", "ORG"),
    ("Italia", "loc:italia", "LOC"),
    ("Unrae", "org:unrae", "ORG"),
    ("IG Metall", "org:ig-metall", "ORG"),
    ("Daniela Cavallo", "per:daniela-cavallo", "PER"),
]


def speakers(body: str) -> list[str | None]:
    return [r["speaker_entity_id"] for r in claims(body, NAMED_ENTS)]


def test_passive_agent_named_after_its_role_words():
    body = (
        "«Manteniamo la rotta», ha dichiarato Wopke Hoekstra. "
        "È stato illustrato dal vicepresidente esecutivo Stéphane Séjourné anche un programma da 1,8 miliardi di euro."
    )
    assert speakers(body) == ["per:wopke-hoekstra", "per:stephane-sejourne"]


def test_passive_agent_description_followed_by_its_names():
    body = "Il piano di Tesla è stato bocciato dalle società di consulenza Iss e Glass Lewis, che avevano raccomandato di respingerlo."
    assert speakers(body) == ["org:iss"]


def test_verb_read_as_finite_after_stata_is_passive_without_a_named_agent():
    body = (
        "La presidente Daniela Cavallo ha avvertito che i lavoratori non accetteranno nuovi sacrifici. "
        "È stata invece accolta con sollievo dai mercati la conferma della guidance."
    )
    assert speakers(body) == ["per:daniela-cavallo", None]


def test_place_after_a_preposition_is_the_setting_not_the_speaker():
    assert speakers("In Italia i sindacati chiedono certezze sugli stabilimenti del gruppo.") == [None]


def test_rilevare_che_reports():
    assert speakers("L’Unrae ha rilevato che in Italia le elettriche valgono appena il 5% delle immatricolazioni.") == ["org:unrae"]


def test_chiedere_garanzie_reports_a_demand():
    assert speakers("Il sindacato IG Metall ha chiesto garanzie sugli stabilimenti tedeschi.") == ["org:ig-metall"]


def test_adverb_inside_the_verb_group():
    assert speakers("Tesla ha intanto confermato che le consegne saranno comunicate a gennaio.") == ["org:tesla"]


ROLE_ENTS = [
    ("Ford Europa", "org:ford", "ORG"),
    ("Ford", "org:ford", "ORG"),
    ("Martin Sander", "per:martin-sander", "PER"),
    ("Jim Farley", "per:jim-farley", "PER"),
    ("Stellantis", "org:stellantis", "ORG"),
    ("Antonio Filosa", "per:antonio-filosa", "PER"),
    ("Renault", "org:renault", "ORG"),
    ("Confindustria", "org:confindustria", "ORG"),
]


def test_inverted_role_of_an_organization_then_the_person_after_the_comma():
    body = "«È una scelta dolorosa ma necessaria», ha spiegato il presidente di Ford Europa, Martin Sander."
    assert [r["speaker_entity_id"] for r in claims(body, ROLE_ENTS)] == ["per:martin-sander"]


def _with_parents(body: str, ents, parents: dict[str, str]) -> list[str | None]:
    """Speakers of `body` when the entities carry their KB parent (a person's employer)."""
    sentences = split_sentences(body)
    mentions, entities = [], {}
    for surface, eid, typ in ents:
        for m in re.finditer(rf"\b{re.escape(surface)}\b", body):
            if any(x["start"] <= m.start() < x["end"] for x in mentions):
                continue
            entities[eid] = {"entity_id": eid, "name": eid, "type": typ, "parent_id": parents.get(eid)}
            sid = next(i for i, s in enumerate(sentences) if s.start <= m.start() < s.end)
            mentions.append({"article_id": "a", "sentence_id": sid, "entity_id": eid, "start": m.start(), "end": m.end(), "surface": surface, "method": "kb_alias"})
    mentions.sort(key=lambda x: x["start"])
    return [r["speaker_entity_id"] for r in EXTRACTOR.extract(body, sentences, mentions, entities, "a")]


def test_role_of_an_organization_whose_person_the_article_does_not_name_is_the_organization():
    body = (
        "L’amministratore delegato Antonio Filosa ha parlato di un anno di transizione per Stellantis. "
        "L’amministratore delegato di Renault ha spiegato che i margini resteranno stabili. "
        "Il presidente di Confindustria ha dichiarato che servono incentivi."
    )
    got = _with_parents(body, ROLE_ENTS, {"per:antonio-filosa": "org:stellantis"})
    assert got == ["per:antonio-filosa", "org:renault", "org:confindustria"]


def test_minister_named_by_portfolio_is_not_the_last_person_named():
    body = (
        "L’amministratore delegato Antonio Filosa ha parlato di un anno di transizione per Stellantis. "
        "Il ministro dell’Economia ha assicurato che le risorse ci sono."
    )
    assert [r["speaker_entity_id"] for r in claims(body, ROLE_ENTS)] == ["per:antonio-filosa", None]


def test_agent_of_a_participle_apposition_is_not_the_subject():
    body = "Il gruppo di Gerlingen, guidato dall’amministratore delegato Stefan Hartung, motiva i tagli con il calo della domanda."
    spans = [("gruppo di Gerlingen", "org:bosch", "ORG", "epithet"), ("Stefan Hartung", "per:stefan-hartung", "PER", "kb_alias")]
    assert [r["speaker_entity_id"] for r in claims_with(body, spans)] == ["org:bosch"]


def test_per_source_without_comma_before_a_new_subject():
    body = "Per la Commissione europea l’investimento rafforzerà la sicurezza degli approvvigionamenti."
    assert [r["speaker_entity_id"] for r in claims_with(body, [("Commissione europea", "org:commissione-europea", "ORG", "kb_alias")])] == [
        "org:commissione-europea"
    ]


def test_asking_someone_and_pointing_to_a_goal_report():
    body = (
        "Il segretario della Fiom Michele De Palma ha chiesto alla presidente del Consiglio di convocare l’azienda. "
        "Adolfo Urso ha più volte indicato l’obiettivo di un milione di veicoli l’anno."
    )
    spans = [("Michele De Palma", "per:michele-de-palma", "PER", "kb_alias"), ("Adolfo Urso", "per:adolfo-urso", "PER", "kb_alias")]
    assert [r["speaker_entity_id"] for r in claims_with(body, spans)] == ["per:michele-de-palma", "per:adolfo-urso"]


def test_description_after_a_colon_takes_up_the_name_before_it():
    body = "Dura la reazione di IG Metall: il sindacato dei metalmeccanici tedeschi ha annunciato che si opporrà ai tagli."
    assert [r["speaker_entity_id"] for r in claims_with(body, [("IG Metall", "org:ig-metall", "ORG", "kb_alias")])] == ["org:ig-metall"]


def test_description_over_a_short_parenthesis_and_sources_past_their_role_words():
    body = (
        "BMW ha tagliato le stime. L’azienda, dal canto suo, ha fatto sapere di lavorare con i fornitori. "
        "Secondo il direttore dello stabilimento André Thierig, il danno economico è alto."
    )
    spans = [("BMW", "org:bmw", "ORG", "kb_alias"), ("André Thierig", "per:andre-thierig", "PER", "discovered")]
    assert [r["speaker_entity_id"] for r in claims_with(body, spans)] == [None, "org:bmw", "per:andre-thierig"]


def test_bare_quote_speaks_through_the_name_after_it_past_a_setting():
    body = "«Qualunque cosa accada, Xiaomi non si tirerà indietro». Lo ha scritto su Weibo il fondatore Lei Jun."
    spans = [("Xiaomi", "org:xiaomi", "ORG", "kb_alias"), ("Weibo", "org:weibo", "ORG", "discovered"), ("Lei Jun", "per:lei-jun", "PER", "kb_alias")]
    assert [r["speaker_entity_id"] for r in claims_with(body, spans)] == ["per:lei-jun", "per:lei-jun"]


def test_defending_a_choice_reports():
    body = "L’amministratore delegato Oliver Zipse aveva difeso la scelta di restare tecnologicamente aperti."
    assert [r["speaker_entity_id"] for r in claims_with(body, [("Oliver Zipse", "per:oliver-zipse", "PER", "kb_alias")])] == ["per:oliver-zipse"]


def test_a_spokesperson_of_a_named_company_is_the_company():
    body = "La berlina SU7 era in modalità assistita. «La sicurezza resta la nostra priorità», ha ribadito in serata un portavoce di Xiaomi."
    spans = [("SU7", "prod:xiaomi-su7", "PRODUCT", "kb_alias"), ("Xiaomi", "org:xiaomi", "ORG", "kb_alias")]
    assert claims_with(body, spans)[-1]["speaker_entity_id"] == "org:xiaomi"
    assert claims_with("«Nessun commento», ha detto un portavoce.", [])[0]["speaker_entity_id"] is None


def test_condemning_and_publishing_an_editorial_report():
    body = (
        "Il ministro Robert Habeck ha condannato l’attacco alla fabbrica. "
        "Il Quotidiano del Popolo ha pubblicato un commento molto duro sulla guerra dei prezzi."
    )
    spans = [("Robert Habeck", "per:robert-habeck", "PER", "kb_alias"), ("Quotidiano del Popolo", "org:people-daily", "ORG", "kb_alias")]
    assert [r["speaker_entity_id"] for r in claims_with(body, spans)] == ["per:robert-habeck", "org:people-daily"]


def test_inverted_role_with_an_organization_complement_before_the_name():
    body = (
        "«Mi rammarico profondamente della decisione degli Stati Uniti», aveva dichiarato a caldo "
        "la presidente della Commissione europea Ursula von der Leyen, ricordando che i dazi sono tasse."
    )
    spans = [("Stati Uniti", "loc:stati-uniti", "LOC", "kb_alias"), ("Commissione europea", "org:commissione-europea", "ORG", "kb_alias"),
             ("Ursula von der Leyen", "per:ursula-von-der-leyen", "PER", "kb_alias")]
    assert [r["speaker_entity_id"] for r in claims_with(body, spans)] == ["per:ursula-von-der-leyen"]
