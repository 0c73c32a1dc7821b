"""claims.rules.v1, attribution in the phrasings of Italian news: reporting verbs, the journalistic conditional,
sources ("a detta di", "come riferisce"), documents ("in una nota"), unnamed and named sources ("fonti di X")."""
import pytest

from claims_fixture import claims as _claims

ENTS = [
    ("Oliver Blume", "per:oliver-blume", "PER"),
    ("Blume", "per:oliver-blume", "PER"),
    ("Volkswagen", "org:volkswagen", "ORG"),
    ("Elon Musk", "per:elon-musk", "PER"),
    ("Musk", "per:elon-musk", "PER"),
    ("Tesla", "org:tesla", "ORG"),
    ("Reuters", "org:reuters", "ORG"),
    ("Financial Times", "org:financial-times", "ORG"),
    ("Continental", "org:continental", "ORG"),
    ("Cina", "loc:cina", "LOC"),
    ("Pechino", "loc:pechino", "LOC"),
]
CONTEXT = "Volkswagen ha chiuso il trimestre con un utile in calo. "


def speakers(body: str) -> list[str | None]:
    return [r["speaker_entity_id"] for r in _claims(body, ENTS)]


@pytest.mark.parametrize(
    "verb",
    [
        "ha detto", "ha fatto sapere", "ha precisato", "ha ribadito", "ha assicurato", "ha ammesso", "ha osservato",
        "ha rimarcato", "ha puntualizzato", "ha tenuto a precisare", "ha commentato", "ha replicato", "ha risposto",
        "ha chiarito", "ha lasciato intendere", "ha sottolineato", "ha spiegato", "ha riconosciuto",
    ],
)
def test_present_perfect_reporting_verbs(verb):
    body = CONTEXT + f"Oliver Blume {verb} che la domanda in Cina resta debole."
    assert speakers(body) == [None, "per:oliver-blume"]


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        # the journalistic conditional reports someone's words: a rumor, but still theirs
        ("Elon Musk avrebbe detto ai dipendenti che il 2025 sarà un anno difficile.", "per:elon-musk"),
        ("Elon Musk avrebbe detto ai dipendenti riuniti ad Austin durante una riunione che il 2025 sarà difficile.", "per:elon-musk"),
        ("«Il 2025 sarà un anno difficile», avrebbe detto Elon Musk ai dipendenti.", "per:elon-musk"),
        ("Elon Musk avrebbe confidato ai collaboratori che il 2025 sarà un anno difficile.", "per:elon-musk"),
        ("Elon Musk avrebbe ammesso che il 2025 sarà un anno difficile.", "per:elon-musk"),
        ("Fonti vicine a Continental avrebbero lasciato intendere che i costi sono già coperti.", "org:continental"),
        ("Tesla avrebbe fatto sapere ai fornitori che gli ordini caleranno.", "org:tesla"),
        ("Elon Musk, numero uno di Tesla, avrebbe spiegato che i robotaxi arriveranno entro l’anno.", "per:elon-musk"),
        ("Elon Musk avrebbe assicurato agli investitori che i margini torneranno a crescere.", "per:elon-musk"),
        ("Elon Musk direbbe che il 2025 sarà un anno difficile.", "per:elon-musk"),
        # without what was said, the conditional reports an event, not a statement
        ("Elon Musk avrebbe comunicato la decisione ai fornitori.", None),
        ("Pechino avrebbe chiesto ai propri costruttori di sospendere gli investimenti.", None),
        ("Tesla avrebbe annunciato un nuovo modello per il mercato cinese.", None),
    ],
)
def test_journalistic_conditional(body, speaker):
    assert speakers(body)[-1] == speaker


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        ("A detta di Oliver Blume, la domanda in Cina resta debole.", "per:oliver-blume"),
        ("Come riferisce Reuters, la domanda in Cina resta debole.", "org:reuters"),
        ("Come spiega il ceo Oliver Blume, la domanda in Cina resta debole.", "per:oliver-blume"),
        ("Come riportato da Reuters, la domanda in Cina resta debole.", "org:reuters"),
        ("La domanda in Cina resta debole, secondo quanto riferisce Reuters.", "org:reuters"),
        ("La domanda in Cina resta debole, a quanto riferisce Reuters.", "org:reuters"),
        ("Secondo quanto scrive il Financial Times, la domanda in Cina resta debole.", "org:financial-times"),
        ("A quanto spiega Oliver Blume, la domanda in Cina resta debole.", "per:oliver-blume"),
        ("La domanda in Cina resta debole, riferisce Reuters.", "org:reuters"),
        ("La domanda in Cina resta debole, scrive il Financial Times.", "org:financial-times"),
        ("Nelle parole di Oliver Blume, la domanda in Cina resta debole.", "per:oliver-blume"),
        ("Stando a Reuters, la domanda in Cina resta debole.", "org:reuters"),
    ],
)
def test_named_sources(body, speaker):
    assert speakers(CONTEXT + body) == [None, speaker]


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        ("Volkswagen in una nota ha spiegato che la domanda in Cina resta debole.", "org:volkswagen"),
        ("In un comunicato, Volkswagen ha spiegato che la domanda in Cina resta debole.", "org:volkswagen"),
        ("In una nota, il gruppo ha precisato che la domanda in Cina resta debole.", "org:volkswagen"),
        ("«La domanda in Cina resta debole», si legge in una nota di Volkswagen.", "org:volkswagen"),
        ("La domanda in Cina resta debole, ha precisato l’azienda in una nota.", "org:volkswagen"),
        ("La domanda in Cina resta debole, fa sapere il gruppo.", "org:volkswagen"),
        # sources: the entity they are close to, or nobody
        ("Fonti di Volkswagen indicano che la domanda in Cina resta debole.", "org:volkswagen"),
        ("Fonti vicine a Volkswagen riferiscono che la domanda in Cina resta debole.", "org:volkswagen"),
        ("Fonti del gruppo hanno confermato che la domanda in Cina resta debole.", "org:volkswagen"),
        ("Fonti sindacali hanno confermato che la domanda in Cina resta debole.", None),
        ("Fonti anonime hanno riferito che la domanda in Cina resta debole.", None),
        ("La domanda in Cina resta debole, hanno riferito fonti sindacali.", None),
        ("La domanda in Cina resta debole, hanno riferito fonti vicine a Continental.", "org:continental"),
    ],
)
def test_documents_and_sources(body, speaker):
    assert speakers(CONTEXT + body)[-1] == speaker


@pytest.mark.parametrize(
    "body",
    [
        # an unnamed speaker after the quote or the verb is nobody, not the subject of the previous sentence
        "«È un colpo pesante per tutto il settore», commenta un gestore di un fondo tedesco.",
        "«È un colpo pesante per tutto il settore», osservano alcuni analisti.",
        "«È un colpo pesante per tutto il settore», ha detto una fonte del settore.",
        "«È un colpo pesante per tutto il settore», spiegano diversi esperti.",
        "Più cauti altri osservatori, secondo cui il vero banco di prova sarà la Cina.",
        "Più prudenti alcuni analisti, secondo i quali il vero banco di prova sarà la Cina.",
    ],
)
def test_unnamed_speakers_stop_the_previous_one(body):
    assert speakers("«Il 2025 sarà difficile», ha detto Oliver Blume. " + body) == ["per:oliver-blume", None]


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        # an estimate is the estimator's
        ("Il 13 maggio Volkswagen aveva stimato in 650 milioni di euro l’impatto dei dazi.", "org:volkswagen"),
        ("Il gruppo ha stimato che l’impatto dei dazi sarà di 1,5 miliardi di euro.", "org:volkswagen"),
        ("Volkswagen stimava a inizio anno un impatto dei dazi di 1,5 miliardi di euro.", "org:volkswagen"),
        # the top management of the company
        ("Il prezzo sarà comunicato più avanti, ma stando ai vertici del gruppo la soglia dei 20.000 euro sarà rispettata.", "org:volkswagen"),
        ("Secondo i vertici di Volkswagen, la soglia dei 20.000 euro sarà rispettata.", "org:volkswagen"),
    ],
)
def test_estimates_and_top_management(body, speaker):
    assert speakers(CONTEXT + body)[-1] == speaker


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        # the company's own sources and documents
        ("Fonti aziendali hanno assicurato che le attività italiane non subiranno conseguenze.", "org:volkswagen"),
        ("Secondo fonti aziendali, le attività italiane non subiranno conseguenze.", "org:volkswagen"),
        ("Stando al prospetto, circa il 90% dei proventi servirà a finanziare la fabbrica.", "org:volkswagen"),
        ("Secondo il documento, circa il 90% dei proventi servirà a finanziare la fabbrica.", "org:volkswagen"),
        ("Stando al prospetto di Tesla, circa il 90% dei proventi servirà a finanziare la fabbrica.", "org:tesla"),
        # nobody named: an unnamed group, a place that only completes a noun
        ("A Wolfsburg alcuni comitati di residenti contestano il progetto, denunciando i rischi per le falde.", None),
        ("Poche settimane dopo la motorizzazione della Cina aveva sospeso i permessi, accusando la società di ritardi.", None),
        ("La motorizzazione della Cina ha dichiarato che i permessi restano sospesi.", None),
    ],
)
def test_company_sources_documents_and_unnamed_subjects(body, speaker):
    assert speakers(CONTEXT + body)[-1] == speaker


def test_a_bare_quote_then_with_these_words_a_speaker():
    body = CONTEXT + "«Questa decisione ci permetterà di rafforzare la nostra struttura finanziaria». Con queste parole Oliver Blume ha annunciato la richiesta."
    assert speakers(body) == [None, "per:oliver-blume", "per:oliver-blume"]


def test_pointing_to_causes_reports_but_a_range_does_not():
    assert speakers(CONTEXT + "La società ha indicato tra le cause le svalutazioni degli impianti.")[-1] == "org:volkswagen"
    assert speakers("Volkswagen ha tagliato le stime, indicando una forchetta tra il 5,5% e il 7%.") == [None]


UNION = [("Michele De Palma", "per:michele-de-palma", "PER"), ("Fiom", "org:fiom", "ORG"), ("Stellantis", "org:stellantis", "ORG"),
         ("Ferdinando Uliano", "per:ferdinando-uliano", "PER"), ("Fim Cisl", "org:fim-cisl", "ORG"), ("Mirafiori", "loc:mirafiori", "LOC")]
PLAN = "Stellantis ha presentato il nuovo piano per l’Italia. "


def union_speakers(body: str) -> list[str | None]:
    return [r["speaker_entity_id"] for r in _claims(PLAN + body, UNION)]


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        # verbless attributions
        ("«Il piano è del tutto insufficiente». Così Ferdinando Uliano, segretario della Fim Cisl.", "per:ferdinando-uliano"),
        ("«Il piano è del tutto insufficiente». Parola di Ferdinando Uliano.", "per:ferdinando-uliano"),
        ("Più cauto Michele De Palma, numero uno della Fiom: «Aspettiamo i fatti su Mirafiori».", "per:michele-de-palma"),
        ("Di diverso avviso Michele De Palma, secondo cui il piano non garantisce l’occupazione.", "per:michele-de-palma"),
        ("Il piano, per Michele De Palma, è insufficiente.", "per:michele-de-palma"),
        ("Il piano, a detta di Michele De Palma, è insufficiente.", "per:michele-de-palma"),
        # present tense that is also a noun or adjective, when only the verb fits
        ("L’azienda precisa che gli stabilimenti italiani non sono coinvolti.", "org:stellantis"),
        ("L’azienda, in una nota, precisa che gli stabilimenti italiani non sono coinvolti.", "org:stellantis"),
        ("Michele De Palma replica che senza garanzie la Fiom tornerà in piazza.", "per:michele-de-palma"),
        ("«Nessuno stabilimento chiuderà», replica il gruppo.", "org:stellantis"),
        ("Michele De Palma denuncia che mancano le garanzie su Mirafiori.", "per:michele-de-palma"),
        ("Michele De Palma teme che il piano sia insufficiente.", "per:michele-de-palma"),
        # reporting tags closing the sentence, documents without an owner
        ("Nessuno stabilimento italiano sarà chiuso, precisa una nota del gruppo.", "org:stellantis"),
        ("Nessuno stabilimento italiano sarà chiuso, si legge nel comunicato.", "org:stellantis"),
        ("Nessuno stabilimento italiano sarà chiuso, assicurano dal gruppo.", "org:stellantis"),
        ("Nessuno stabilimento italiano sarà chiuso, assicurano da Stellantis.", "org:stellantis"),
        ("Dal gruppo assicurano che nessuno stabilimento italiano sarà chiuso.", "org:stellantis"),
    ],
)
def test_verbless_homographs_and_closing_tags(body, speaker):
    assert union_speakers(body)[-1] == speaker


@pytest.mark.parametrize(
    "body",
    [
        "La data precisa della presentazione non è ancora stata fissata.",
        "La conferma della data è arrivata ieri da Torino.",
    ],
)
def test_nouns_and_objects_are_no_reporting(body):
    assert union_speakers(body)[-1] is None


def test_a_request_with_its_object_is_the_requesters():
    # 13 of the 15 annotated "X ha chiesto un/una/il ..." sentences of eleven writers name X as the speaker
    assert union_speakers("La Fiom, che ha scioperato a ottobre, chiede un tavolo specifico su Mirafiori.")[-1] == "org:fiom"


def test_a_quote_paragraph_goes_on_with_the_last_speaker():
    body = "Michele De Palma ha parlato di un passo avanti.\n\n«Ora però servono garanzie su Mirafiori e un calendario preciso»."
    assert union_speakers(body) == [None, "per:michele-de-palma", "per:michele-de-palma"]


def test_the_document_of_the_sentence_before():
    body = ("Sabato la Fiom è intervenuta con una nota. «La concorrenza disordinata danneggia Stellantis e tutta la filiera», si legge nel documento.")
    assert union_speakers(body)[-1] == "org:fiom"


PROCURA = [("Ministério Público do Trabalho", "org:mpt", "ORG"), ("BYD", "org:byd", "ORG"), ("Camaçari", "loc:camacari", "LOC")]


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        # a description put in apposition to a name refers to it later
        ("Ad alcuni operai, sempre stando alla procura, sarebbe stato trattenuto il passaporto.", "org:mpt"),
        ("La procura ha spiegato che gli operai lavoravano senza giorni di riposo.", "org:mpt"),
        ("Secondo la procura, gli operai lavoravano senza giorni di riposo.", "org:mpt"),
        ("Stando alla società, gli operai erano stati assunti da un appaltatore.", "org:byd"),
        # a guess of the writer about what someone may do reports nobody
        ("Non è escluso che la procura chieda a BYD un risarcimento per danni morali.", None),
    ],
)
def test_apposed_descriptions_and_guesses(body, speaker):
    intro = ("BYD costruisce a Camaçari la sua prima fabbrica in America Latina. Il Ministério Público do Trabalho, "
             "la procura del lavoro brasiliana, ha reso noti i risultati dell’ispezione. ")
    assert [r["speaker_entity_id"] for r in _claims(intro + body, PROCURA)][-1] == speaker


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        ("«La domanda resta debole», ha detto a Reuters Oliver Blume.", "per:oliver-blume"),
        ("Oliver Blume ha detto a Reuters che la domanda resta debole.", "per:oliver-blume"),
        ("La domanda resta debole, ha spiegato a Reuters un portavoce.", None),
        ("È quanto ha dichiarato Oliver Blume in conferenza stampa.", "per:oliver-blume"),
        ("Lo riferisce Reuters citando fonti interne al gruppo.", "org:reuters"),
        ("La notizia è stata confermata dall’amministratore delegato Oliver Blume.", "per:oliver-blume"),
    ],
)
def test_settings_and_what_was_said(body, speaker):
    assert speakers(CONTEXT + body)[-1] == speaker


def test_relative_clause_over_a_setting():
    body = "Tesla ha presentato il nuovo logo. Tra i commenti più ripresi c’è stato quello di Elon Musk, che su X aveva chiesto a Tesla di spiegare la scelta."
    assert speakers(body)[-1] == "per:elon-musk"


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        ("Il prezzo sarà comunicato più avanti, ma stando a Reuters la soglia dei 20.000 euro sarà rispettata.", "org:reuters"),
        # a source after the sentence's last comma, ending it, asserts the whole sentence
        ("Tesla ha registrato ricavi in calo, mentre il margine si è fermato al 18%, stando ai dati di Reuters.", "org:reuters"),
        ("L’ipotesi di una collaborazione con Tesla è però politicamente esplosiva, stando ai dati di Reuters.", "org:reuters"),
        # without the comma it only sources a detail
        ("Tesla ha registrato ricavi in calo e un margine del 18% stando ai dati di Reuters.", None),
    ],
)
def test_sources_open_their_clause_or_trail_it(body, speaker):
    assert speakers(body)[-1] == speaker


@pytest.mark.parametrize(
    ("body", "speakers_after"),
    [
        ("«La domanda resta debole» – ha detto Oliver Blume – «anche in Europa e negli Stati Uniti».", ["per:oliver-blume"]),
        ("«La domanda in Cina resta debole». Lo ha assicurato Oliver Blume.", ["per:oliver-blume", "per:oliver-blume"]),
        ("È l’analisi di Oliver Blume: la domanda in Cina resta debole.", ["per:oliver-blume"]),
        ("Questa la posizione di Oliver Blume: la domanda in Cina resta debole.", ["per:oliver-blume"]),
        ("A garantirlo è il numero uno del gruppo, Oliver Blume.", ["per:oliver-blume"]),
        ("Ne è convinto Oliver Blume, secondo cui la domanda in Cina resta debole.", ["per:oliver-blume"]),
    ],
)
def test_dashes_clitics_and_nominal_attributions(body, speakers_after):
    assert speakers(CONTEXT + body)[1:] == speakers_after


def test_a_name_the_entity_layer_missed_after_the_verb_is_not_the_previous_subject():
    assert speakers(CONTEXT + "«La domanda in Cina resta debole», assicura Provost.")[-1] is None


def test_a_surname_the_entity_layer_missed_is_the_person_of_the_article_so_named():
    from pipeline.text import split_sentences

    from claims_fixture import EXTRACTOR

    body = "Oliver Blume ha presentato i conti. «La domanda in Cina resta debole», ha aggiunto Blume."
    sentences = split_sentences(body)
    # only the full name is marked: the surname alone is left to the claims layer
    mentions = [{"article_id": "a", "sentence_id": 0, "entity_id": "per:oliver-blume", "start": 0, "end": 12, "surface": "Oliver Blume", "method": "kb_alias"}]
    entities = {"per:oliver-blume": {"entity_id": "per:oliver-blume", "name": "Oliver Blume", "type": "PER"}}
    rows = EXTRACTOR.extract(body, sentences, mentions, entities, "a")
    assert rows[-1]["speaker_entity_id"] == "per:oliver-blume"


@pytest.mark.parametrize(
    "body",
    [
        "Michele De Palma è stato netto: il piano è insufficiente per Mirafiori.",
        "Michele De Palma non usa giri di parole: «Il piano è insufficiente».",
        "Michele De Palma è stato chiaro: senza garanzie su Mirafiori la Fiom tornerà in piazza.",
    ],
)
def test_a_verdict_announced_before_a_colon(body):
    assert union_speakers(body)[-1] == "per:michele-de-palma"


def test_a_colon_without_a_verdict_attributes_nothing():
    assert union_speakers("Stellantis ha un problema: le vendite calano in Europa e negli Stati Uniti.")[-1] is None
