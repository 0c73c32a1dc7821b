"""claims.rules.v1, attribution the reporting-verb rules alone miss: tags after a quote whose verb reports nothing
("ha tagliato corto X"), settings between the verb and its inverted subject ("a questo giornale"), a person
introduced right before a bare quote, trailing "secondo X", verdicts ("ne è convinto:"), and the morphology
underneath (names read as verbs, "parla" read as an infinitive, numbers whose separators split clauses)."""
import pytest

from claims_fixture import claims as _claims
from pipeline.extract.claims.morph import analyze_word, participle_reading
from pipeline.extract.claims.tokens import TOKEN_RE

ENTS = [
    ("Carlos Tavares", "per:carlos-tavares", "PER"),
    ("Giulia Ferraresi", "per:giulia-ferraresi", "PER"),
    ("Luca de Meo", "per:luca-de-meo", "PER"),
    ("Adolfo Urso", "per:adolfo-urso", "PER"),
    ("ministro", "per:adolfo-urso", "PER"),
    ("Renault", "org:renault", "ORG"),
    ("Xiaomi", "org:xiaomi", "ORG"),
    ("YU7", "prod:xiaomi-yu7", "PRODUCT"),
    ("Fiom", "org:fiom", "ORG"),
]


def speakers(body: str, ents=ENTS, parents: dict[str, str] | None = None) -> list[str | None]:
    return [r["speaker_entity_id"] for r in _claims(body, ents, parents=parents)]


@pytest.mark.parametrize(
    "tag",
    ["ha tagliato corto Carlos Tavares", "sorride Carlos Tavares", "è la replica di Carlos Tavares", "insiste Carlos Tavares"],
)
def test_a_quote_tag_names_its_speaker_whatever_the_verb(tag):
    assert speakers(f"«Non c'è alcun piano di chiusura», {tag}.") == ["per:carlos-tavares"]


def test_a_quote_tag_takes_the_name_after_the_role():
    assert speakers("«Non c'è alcun piano di chiusura» – è la replica del ministro Adolfo Urso.") == ["per:adolfo-urso"]


def test_a_quote_tag_is_no_tag_when_a_clause_follows_the_verb():
    body = "«Non c'è alcun piano di chiusura», ha sorriso ai sindacati, che hanno scritto a Carlos Tavares."
    assert speakers(body) == [None]


@pytest.mark.parametrize("setting", ["a questo giornale", "ai giornalisti", "alla stampa estera"])
def test_a_setting_of_common_nouns_between_the_verb_and_the_person(setting):
    assert speakers(f"«Il 2025 sarà un anno di transizione», spiega {setting} Giulia Ferraresi.") == ["per:giulia-ferraresi"]


def test_a_person_introduced_before_a_bare_quote_speaks_it():
    body = "Carlos Tavares è stato chiaro con i sindacati. «Lo stabilimento non chiuderà nei prossimi anni»."
    assert speakers(body) == [None, "per:carlos-tavares"]


def test_a_bare_quote_in_the_next_paragraph_is_not_the_introduced_persons():
    body = "Carlos Tavares ha visitato lo stabilimento.\n\n«Lo stabilimento non chiuderà nei prossimi anni»."
    assert speakers(body) == [None, None]


def test_a_name_simplemma_reads_as_a_verb_is_still_the_subject_a_dropped_speaker_refers_to():
    body = "Luca de Meo ha lasciato Renault. «È stata una decisione personale», ha spiegato."
    assert speakers(body) == [None, "per:luca-de-meo"]


def test_a_present_simplemma_reads_as_a_noun_still_gives_its_subject():
    body = "Giulia Ferraresi insegna economia a Torino. «Il 2025 sarà un anno di transizione», dice."
    assert speakers(body) == [None, "per:giulia-ferraresi"]


def test_trailing_secondo_after_a_comma_attributes_the_sentence():
    assert speakers("La YU7 ha ricevuto 240.000 ordini in 18 ore, secondo i dati diffusi da Xiaomi.") == ["org:xiaomi"]


def test_trailing_secondo_without_a_comma_only_sources_a_detail():
    assert speakers("La Fiom ha contato 240.000 ore di cassa integrazione nel 2024 secondo Xiaomi.") == [None]


def test_fare_notare_with_the_subject_between_verb_and_content():
    assert speakers("Fa notare Carlos Tavares che il mercato europeo è in forte difficoltà.") == ["per:carlos-tavares"]


@pytest.mark.parametrize(
    "body, speaker",
    [
        ("Carlos Tavares ne è convinto: il mercato europeo ripartirà nel 2026.", "per:carlos-tavares"),
        ("Ne è convinta Giulia Ferraresi, economista: il mercato europeo ripartirà nel 2026.", "per:giulia-ferraresi"),
    ],
)
def test_a_conviction_before_a_colon_is_a_verdict(body, speaker):
    assert speakers(body) == [speaker]


def test_parla_is_a_present_tense_not_an_infinitive_with_a_clitic():
    assert analyze_word("parla")[1] == "fin"
    assert analyze_word("parlarne")[1] == "inf"
    assert analyze_word("venderla")[1] == "inf"
    assert [r["text"] for r in _claims("La Fiom parla di un accordo insufficiente.", ENTS)] == ["La Fiom parla di un accordo insufficiente."]


def test_numbers_keep_their_separators_as_one_token():
    assert TOKEN_RE.findall("240.000,") == ["240.000", ","]
    assert TOKEN_RE.findall("(1,5%)") == ["(", "1,5%", ")"]
    assert TOKEN_RE.findall("2025.") == ["2025", "."]


GROUP_ENTS = [("Maserati", "org:maserati", "ORG"), ("Stellantis", "org:stellantis", "ORG"), ("Cox Automotive", "org:cox", "ORG"), ("General Motors", "org:gm", "ORG")]


def test_il_gruppo_of_a_brand_is_its_parent_when_the_article_names_it():
    body = (
        "Maserati ha chiuso l'anno con consegne in calo del 57%. Maserati resta però al centro dei piani di Stellantis. "
        "Il gruppo, da parte sua, assicura che i prossimi anni porteranno nuovi prodotti."
    )
    assert speakers(body, GROUP_ENTS, parents={"org:maserati": "org:stellantis"})[-1] == "org:stellantis"


def test_la_societa_is_the_organization_the_previous_sentence_is_about():
    body = (
        "Secondo Cox Automotive, le vendite di auto elettriche sono salite del 10%. Gli analisti di Cox Automotive "
        "prevedono un calo nel quarto trimestre. General Motors ha contabilizzato oneri per 1,6 miliardi di dollari. "
        "«Non ci aspettiamo una ripresa rapida della domanda», ha spiegato la società agli investitori."
    )
    assert speakers(body, GROUP_ENTS, parents={"org:maserati": "org:stellantis"})[-1] == "org:gm"


PARTICIPLE_ENTS = [("Audi", "org:audi", "ORG"), ("Forest", "loc:forest", "LOC")]


def test_a_feminine_participle_simplemma_reads_as_an_adjective_is_the_verbs():
    assert participle_reading("motivata") == "motivare"
    assert participle_reading("dichiarate") == "dichiarare"
    assert participle_reading("italiana") is None
    body = "Audi ha chiuso lo stabilimento di Forest. L'azienda l'ha motivata con il crollo della domanda."
    assert speakers(body, PARTICIPLE_ENTS) == [None, "org:audi"]


@pytest.mark.parametrize("obj", ["questa ricostruzione", "tali accuse", "i sospetti"])
def test_respingere_a_determined_object_is_a_denial_by_its_subject(obj):
    rows = _claims(f"Audi ha chiuso lo stabilimento di Forest. Audi ha sempre respinto {obj}.", PARTICIPLE_ENTS)
    assert (rows[-1]["speaker_entity_id"], rows[-1]["modality"]) == ("org:audi", "denial")


HEARSAY_ENTS = [("Bloomberg", "org:bloomberg", "ORG"), ("Apple", "org:apple", "ORG")]


def test_a_report_goes_on_in_the_conditional():
    body = (
        "Secondo quanto riportato da Bloomberg, Apple avrebbe deciso di chiudere il progetto dell'auto elettrica.\n\n"
        "La notizia sarebbe stata comunicata ai dipendenti nel corso di una riunione interna."
    )
    assert speakers(body, HEARSAY_ENTS) == ["org:bloomberg", "org:bloomberg"]


def test_a_conditional_with_its_own_unnamed_source_does_not_continue_the_report():
    body = (
        "Secondo quanto riportato da Bloomberg, Apple avrebbe deciso di chiudere il progetto dell'auto elettrica. "
        "Secondo fonti vicine al dossier, il progetto sarebbe costato oltre 10 miliardi di dollari."
    )
    assert speakers(body, HEARSAY_ENTS) == ["org:bloomberg", None]


def test_an_indicative_sentence_after_the_report_is_the_writers():
    body = (
        "Secondo quanto riportato da Bloomberg, Apple avrebbe deciso di chiudere il progetto dell'auto elettrica. "
        "Il progetto era nato nel 2014 a Cupertino."
    )
    assert speakers(body, HEARSAY_ENTS) == ["org:bloomberg", None]


URSO_ENTS = [("Adolfo Urso", "per:adolfo-urso", "PER"), ("ministro", "per:adolfo-urso", "PER"), ("Fiom", "org:fiom", "ORG"), ("Carlos Tavares", "per:carlos-tavares", "PER")]


def test_a_verbless_pointer_gives_the_sentence_before_its_speaker():
    assert speakers("Il tavolo sarà convocato a gennaio. Parola del ministro Adolfo Urso.", URSO_ENTS) == ["per:adolfo-urso"]


def test_questa_la_posizione_di_points_back_to_a_quote():
    body = "«Lo stabilimento non chiuderà nei prossimi anni». Questa la posizione di Carlos Tavares."
    assert speakers(body, URSO_ENTS) == ["per:carlos-tavares"]


def test_a_cleft_with_essere_first():
    body = "È stato lo stesso Carlos Tavares a spiegare che lo stabilimento non chiuderà."
    assert speakers(body, URSO_ENTS) == ["per:carlos-tavares"]


def test_non_escludere_still_reports():
    assert speakers("Carlos Tavares non ha escluso che lo stabilimento possa chiudere nel 2026.", URSO_ENTS) == ["per:carlos-tavares"]


def test_an_inserted_tag_with_a_bare_name():
    assert speakers("Il tavolo, ha assicurato Adolfo Urso, sarà convocato a gennaio.", URSO_ENTS) == ["per:adolfo-urso"]


def test_a_quote_tag_names_an_organization_too():
    assert speakers("«L'accordo è insufficiente», attacca la Fiom.", URSO_ENTS) == ["org:fiom"]


def test_a_source_put_first_with_da():
    ents = [("Stellantis", "org:stellantis", "ORG")]
    assert speakers("Da Stellantis fanno sapere che la domanda resta debole.", ents) == ["org:stellantis"]


def test_a_quote_of_two_sentences_after_a_tagged_one_keeps_the_speaker():
    body = "«Il mercato è fermo», ha detto Carlos Tavares. «Non possiamo aspettare oltre. Servono decisioni rapide»."
    assert speakers(body, URSO_ENTS) == ["per:carlos-tavares"] * 3


def test_lazienda_of_a_story_is_not_the_newspaper_that_reports_it():
    ents = [("Bloomberg", "org:bloomberg", "ORG"), ("Apple", "org:apple", "ORG")]
    body = (
        "Secondo Bloomberg, Apple avrebbe chiuso il progetto dell'auto elettrica. Bloomberg cita fonti interne. "
        "L'azienda ha spiegato ai dipendenti che il team passerà all'intelligenza artificiale."
    )
    assert speakers(body, ents)[-1] == "org:apple"


FORECAST_ENTS = [("Ferrari", "org:ferrari", "ORG"), ("Maranello", "loc:maranello", "LOC"), ("Fim Cisl", "org:fim-cisl", "ORG"),
                 ("Roberto Cingolani", "per:roberto-cingolani", "PER"), ("Leonardo", "org:leonardo", "ORG"), ("Iveco", "org:iveco", "ORG")]


def test_a_named_subject_forecasting_speaks_a_plan_does_not():
    assert speakers("Per il 2025 Maranello prevede ricavi superiori a 7 miliardi di euro. Il piano prevede 2.000 uscite volontarie.", FORECAST_ENTS) == ["loc:maranello", None]


def test_ne_ne_negates_a_reporting_verb():
    assert speakers("Ferrari ha chiuso l'anno. Né l'azienda né il governo avevano voluto commentare.", FORECAST_ENTS) == [None, None]


def test_a_source_phrase_over_a_time_setting():
    assert speakers("Secondo i dati diffusi nei giorni scorsi dalla Fim Cisl, nel 2024 sono uscite 26 mila vetture.", FORECAST_ENTS) == ["org:fim-cisl"]


DOC_ENTS = [("Iveco", "org:iveco", "ORG"), ("Tata Motors", "org:tata-motors", "ORG"), ("Pirelli", "org:pirelli", "ORG"), ("Akio Toyoda", "per:akio-toyoda", "PER")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Nella nota si sottolinea che le due attività sono complementari.",
        "Secondo quanto riportato nel comunicato, Tata Motors offrirà 14,1 euro per azione.",
    ],
)
def test_a_document_without_owner_is_the_previous_subjects(sentence):
    rows = _claims("Iveco ha diffuso un comunicato ieri sera. " + sentence, DOC_ENTS)
    assert rows[-1]["speaker_entity_id"] == "org:iveco"


def test_an_occasion_between_the_verb_and_the_inverted_speaker():
    body = "«Vogliamo trasformare l'elettrolita in un prodotto», aveva detto in quell'occasione il presidente Akio Toyoda."
    assert speakers(body, DOC_ENTS) == ["per:akio-toyoda"]


def test_prendere_atto_reports():
    body = "Pirelli, in una breve nota, ha preso atto della decisione del governo."
    assert speakers(body, DOC_ENTS) == ["org:pirelli"]


def test_a_detta_dello_stesso_trailing():
    body = "Il mercato europeo è in difficoltà, a detta dello stesso Carlos Tavares."
    assert speakers(body, URSO_ENTS) == ["per:carlos-tavares"]


Q_ENTS = [("Oliver Blume", "per:oliver-blume", "PER"), ("Wolfsburg", "loc:wolfsburg", "LOC"), ("Uilm", "org:uilm", "ORG"),
          ("Basilicata", "loc:basilicata", "LOC"), ("Porsche", "org:porsche", "ORG"), ("Toyota", "org:toyota", "ORG")]


def test_per_a_role_of_a_place_then_the_person_after_the_comma():
    body = "Per il numero uno di Wolfsburg, Oliver Blume, la joint venture è «il modo più rapido per crescere»."
    assert speakers(body, Q_ENTS) == ["per:oliver-blume"]


def test_a_quote_tag_over_the_branchs_place():
    body = "«Senza volumi veri i modelli restano cartelloni pubblicitari», attacca la Uilm Basilicata."
    assert speakers(body, Q_ENTS) == ["org:uilm"]


def test_a_spokesperson_of_a_described_company():
    body = "Porsche chiude la fabbrica di batterie. «Non siamo riusciti a raggiungere la scala necessaria», ha spiegato un portavoce della casa."
    assert speakers(body, Q_ENTS)[-1] == "org:porsche"


def test_documents_filed_by_a_described_company():
    body = "Toyota ha tenuto l'assemblea. Secondo i documenti depositati oggi dal gruppo, il presidente ha ottenuto il 72% dei voti."
    assert speakers(body, Q_ENTS)[-1] == "org:toyota"


def test_a_present_in_ste_is_no_strong_participle():
    assert analyze_word("insiste") == ("insistere", "fin")
    assert analyze_word("esiste")[1] == "fin"
    assert speakers("Adolfo Urso insiste: gli incentivi arriveranno entro l'estate.") == ["per:adolfo-urso"]


@pytest.mark.parametrize(
    "body",
    [
        "Critici i sindacati, in particolare la Fiom, per la quale il piano di Renault è insufficiente.",
        "Di diverso avviso la Fiom, secondo la quale il piano di Renault è insufficiente.",
    ],
)
def test_per_il_quale_sources_the_entity_named_before(body):
    assert speakers(body) == ["org:fiom"]


def test_per_a_person_then_an_impersonal_verb_is_the_persons_view():
    assert speakers("Per Adolfo Urso si tratta di «un passo avanti decisivo».") == ["per:adolfo-urso"]
    assert speakers("Per Renault si tratta di un investimento da 2 miliardi di euro.") == [None]


def test_a_bare_quote_then_a_verdict_on_it_names_the_speaker():
    body = "«Non chiuderemo nessuno stabilimento in Francia». Carlos Tavares è stato categorico."
    assert speakers(body) == ["per:carlos-tavares", None]
    assert speakers("«Non chiuderemo nessuno stabilimento in Francia». Renault ha chiuso il 2024 in utile.") == [None, None]


def test_a_cleft_of_riportare_names_its_source():
    ents = ENTS + [("Bloomberg", "org:bloomberg", "ORG")]
    assert speakers("A riportarlo è Bloomberg, secondo cui Renault starebbe trattando con Xiaomi.", ents) == ["org:bloomberg"]


STELLANTIS_ENTS = ENTS + [("Stellantis", "org:stellantis", "ORG"), ("Italia", "loc:country-it", "LOC"), ("Paolo Cavallo", "per:paolo-cavallo", "PER")]


@pytest.mark.parametrize(
    "body",
    [
        "Gli investimenti in Italia restano confermati, precisa Stellantis in una nota.",
        "Gli investimenti in Italia restano confermati: lo precisa Stellantis in una nota.",
    ],
)
def test_a_homograph_before_a_name_or_after_lo_is_the_verb(body):
    assert speakers(body, STELLANTIS_ENTS) == ["org:stellantis"]


def test_a_date_precisa_stays_an_adjective():
    assert speakers("Stellantis non ha fissato una data precisa per il lancio in Italia.", STELLANTIS_ENTS) == [None]


def test_the_document_before_si_legge_is_whose():
    body = "Stellantis ha diffuso una nota nel pomeriggio. Nel comunicato si legge che gli investimenti in Italia restano confermati."
    assert speakers(body, STELLANTIS_ENTS)[-1] == "org:stellantis"


@pytest.mark.parametrize(
    "body, speaker",
    [
        ("Paolo Cavallo, economista, è convinto che i dazi danneggeranno l'Italia.", "per:paolo-cavallo"),
        ("Stellantis è convinta che il mercato europeo ripartirà nel 2026.", "org:stellantis"),
        ("È certo che il mercato europeo ripartirà nel 2026.", None),
        ("Paolo Cavallo invita alla prudenza: i dazi danneggeranno l'Italia.", "per:paolo-cavallo"),
        ("Paolo Cavallo ha elencato i dazi in vigore: in Italia sono tre.", None),
    ],
)
def test_conviction_before_che_and_warnings_before_a_colon_are_views(body, speaker):
    assert speakers(body, STELLANTIS_ENTS) == [speaker]


ANALYST_ENTS = ENTS + [("Bernstein", "org:bernstein", "ORG"), ("Goldman Sachs", "org:goldman-sachs", "ORG"), ("Tesla", "org:tesla", "ORG")]


@pytest.mark.parametrize(
    "body, speaker",
    [
        ("Per gli analisti di Bernstein, le vendite di Tesla caleranno del 10% nel 2025.", "org:bernstein"),
        ("Le vendite di Tesla caleranno del 10%, scrivono gli analisti di Goldman Sachs in un report.", "org:goldman-sachs"),
        ("Per gli analisti, le vendite di Tesla caleranno del 10% nel 2025.", None),
    ],
)
def test_analysts_of_a_bank_speak_for_it(body, speaker):
    assert speakers(body, ANALYST_ENTS) == [speaker]


@pytest.mark.parametrize(
    "body, speaker",
    [
        ("Adolfo Urso è intervenuto in aula. Renault, ha garantito, farà la sua parte.", "per:adolfo-urso"),
        ("Adolfo Urso ha colto l'occasione per ribadire che Renault farà la sua parte.", "per:adolfo-urso"),
        ("Adolfo Urso ha convocato Renault per spiegare il piano.", None),
        ("Adolfo Urso ha rotto il silenzio: Renault farà la sua parte.", "per:adolfo-urso"),
    ],
)
def test_inserted_tags_purposes_and_broken_silences(body, speaker):
    assert speakers(body)[-1] == speaker


def test_e_ancora_goes_on_with_the_quote_before():
    body = "«Non chiuderemo nessuno stabilimento», ha detto Carlos Tavares. E ancora: «Investiremo due miliardi in Francia»."
    assert speakers(body) == ["per:carlos-tavares", "per:carlos-tavares"]


def test_words_quoted_after_the_verb_are_the_subjects():
    body = "John Elkann ha ringraziato Carlos Tavares per «gli anni di dedizione» al gruppo."
    ents = ENTS + [("John Elkann", "per:john-elkann", "PER")]
    assert speakers(body, ents) == ["per:john-elkann"]
    assert speakers("Xiaomi ha lanciato in Europa la nuova «YU7 Max Performance Edition».") == [None]


@pytest.mark.parametrize(
    "body, speaker",
    [
        ("Più cauto Adolfo Urso, ministro: per il ministro il piano di Renault può essere l'occasione per ripartire.", "per:adolfo-urso"),
        ("Resta aperto il nodo dell'energia, che secondo la Fiom penalizza gli stabilimenti di Renault.", "org:fiom"),
        ("Renault ha presentato il piano. L'obiettivo indicato dal gruppo è arrivare a 100.000 vetture l'anno.", "org:renault"),
        ("Renault ha tagliato i prezzi. La guerra dei prezzi lanciata da Renault ha compresso i margini.", None),
        ("Renault ha venduto meno auto. Più scettici altri osservatori, secondo cui le posizioni di Carlos Tavares pesano sulle vendite.", None),
    ],
)
def test_clause_openers_after_colons_and_relatives(body, speaker):
    assert speakers(body)[-1] == speaker


def test_l_ex_ad_refers_back_like_l_ad():
    body = "Carlos Tavares ha lasciato Renault a dicembre. L'ex ad ha spiegato che non ci sono state divergenze."
    assert speakers(body)[-1] == "per:carlos-tavares"


SOURCE_ENTS = ENTS + [
    ("Motus-E", "org:motus-e", "ORG"), ("Rhodium Group", "org:rhodium", "ORG"), ("Mediobanca", "org:mediobanca", "ORG"),
    ("ACEA", "org:acea", "ORG"), ("Leapmotor", "org:leapmotor", "ORG"), ("Italia", "loc:country-it", "LOC"),
]


@pytest.mark.parametrize(
    "body, speaker",
    [
        ("Secondo l'ultimo censimento di Motus-E, in Italia erano installati 50.678 punti di ricarica.", "org:motus-e"),
        ("Secondo le stime del centro studi Rhodium Group, sono necessari dazi vicini al 50%.", "org:rhodium"),
        ("Per gli analisti di Mediobanca le vendite di Renault caleranno del 10% nel 2025.", "org:mediobanca"),
        ("L'associazione europea dei costruttori ACEA giudica insufficienti gli obiettivi.", "org:acea"),
        ("Carlos Tavares ha indicato per il 2030 ricavi per circa 9 miliardi.", "per:carlos-tavares"),
        ("Entro la fine del 2025 Leapmotor prevede di ampliare la rete fino a 500 punti vendita.", None),
        ("Per ridurre l'esposizione ai dazi, Leapmotor produce in Europa anche il suv B10.", None),
    ],
)
def test_sources_described_before_their_name_and_what_is_no_source(body, speaker):
    assert speakers(body, SOURCE_ENTS) == [speaker]


def test_a_coordinated_verb_shares_the_subject_of_the_first():
    body = "Carlos Tavares ha presentato la YU7. La versione d'ingresso monta una batteria da 96 kWh e promette 835 km."
    assert speakers(body)[-1] is None


def test_a_description_after_da_is_not_the_previous_speaker():
    body = "La Fiom ha definito il click day «una lotteria». Dal ministero replicano che la piattaforma ha retto."
    assert speakers(body)[-1] != "org:fiom"


COLON_ENTS = ENTS + [("Transport & Environment", "org:t-e", "ORG"), ("Stellantis", "org:stellantis", "ORG"), ("Henri de Castries", "per:de-castries", "PER"), ("sindacalista", "per:de-castries", "PER")]


@pytest.mark.parametrize(
    "body, speaker",
    [
        ("Di segno opposto la reazione di Transport & Environment: secondo l'organizzazione, la revisione «premia chi è rimasto indietro».", "org:t-e"),
        ("Henri de Castries ha ringraziato Carlos Tavares. Più duro Adolfo Urso, ministro: per il sindacalista le dimissioni confermano «il fallimento».", "per:adolfo-urso"),
        ("Stellantis ha annunciato le dimissioni di Carlos Tavares. Il comunicato diffuso domenica parla di «visioni differenti» nel gruppo.", "org:stellantis"),
    ],
)
def test_descriptions_after_a_colon_and_documents_as_subjects(body, speaker):
    assert speakers(body, COLON_ENTS)[-1] == speaker


TAIL_ENTS = ENTS + [("Stellantis", "org:stellantis", "ORG"), ("Michele De Palma", "per:michele-de-palma", "PER"), ("Melfi", "loc:melfi", "LOC")]


@pytest.mark.parametrize(
    "body, speaker",
    [
        ("Nessuno stabilimento chiuderà: è la rassicurazione arrivata da Stellantis.", "org:stellantis"),
        ("Senza nuovi modelli Melfi rischia la chiusura: è l'allarme lanciato da Michele De Palma.", "per:michele-de-palma"),
        ("L'allarme arriva da Michele De Palma: senza nuovi modelli Melfi rischia la chiusura.", "per:michele-de-palma"),
        ("«Serve un piano serio per Melfi», è il commento a caldo di Michele De Palma.", "per:michele-de-palma"),
        ("Il motivo è semplice: la domanda di Stellantis è in calo a Melfi.", None),
    ],
)
def test_a_colons_tail_or_head_names_who_said_it(body, speaker):
    assert speakers(body, TAIL_ENTS) == [speaker]


def test_a_role_given_before_the_name_after_secondo_is_the_names():
    body = "Carlos Tavares ha presentato la nuova Renault 5. Secondo il responsabile del design Renault, Luca de Meo, l'auto piacerà ai giovani."
    assert speakers(body)[-1] == "per:luca-de-meo"


def test_a_view_of_and_rilanciare_before_a_colon():
    assert speakers("Secondo la visione di Carlos Tavares, le auto elettriche non supereranno il 30% del mercato.") == ["per:carlos-tavares"]
    assert speakers("Su X, Carlos Tavares ha rilanciato: Renault arriverà in Cina l'anno prossimo.") == ["per:carlos-tavares"]
    assert speakers("La Borsa ha rilanciato il titolo di Renault dopo i conti.") == [None]


def test_a_dropped_singular_subject_after_a_sentence_about_nothing_is_the_last_person():
    body = "Carlos Tavares guida Renault dal 2020. L'occasione è la presentazione dei conti. «Cinque anni fa ci davano per spacciati», ricorda."
    assert speakers(body)[-1] == "per:carlos-tavares"
    plural = "Carlos Tavares guida Renault dal 2020. La protesta è tesa. La protesta, hanno tenuto a precisare, resterà pacifica."
    assert speakers(plural)[-1] is None


@pytest.mark.parametrize(
    "body",
    [
        "Renault ha presentato la gamma. La gamma comprende la Clio e la Captur, alle quali si aggiunge ora la Renault 5.",
        "Renault ha presentato la gamma. Sarà il mercato, più di qualsiasi prospetto, a dire se la scommessa di Renault è vinta.",
        "Renault ha venduto meno auto. Il mercato rallenta, fa notare chi segue il titolo di Renault da anni.",
    ],
)
def test_reflexives_questions_and_chi_say_nothing_for_anyone(body):
    assert speakers(body)[-1] is None


INTL_ENTS = ENTS + [
    ("Acea", "org:acea", "ORG"), ("McKinsey", "org:mckinsey", "ORG"), ("S&P Global Mobility", "org:sp", "ORG"),
    ("Devendra Fadnavis", "per:fadnavis", "PER"), ("Wang Chuanfu", "per:wang-chuanfu", "PER"), ("BYD", "org:byd", "ORG"),
]


@pytest.mark.parametrize(
    "body, speaker",
    [
        ("Luca de Meo, che fino a dicembre ha presieduto l'Acea, l'associazione dei costruttori, aveva avvertito che i limiti avrebbero portato multe.", "per:luca-de-meo"),
        ("S&P Global Mobility ha tagliato le previsioni. McKinsey, dal canto suo, invita a non confondere la tendenza con la congiuntura.", "org:mckinsey"),
        ("Devendra Fadnavis ha incontrato i vertici di Tesla. Il politico ha ricordato che lo Stato ha già offerto terreni.", "per:fadnavis"),
    ],
)
def test_relatives_presents_in_ita_politicians_and_family_names_first(body, speaker):
    assert speakers(body, INTL_ENTS)[-1] == speaker


def test_a_present_in_ita_is_no_participle():
    assert analyze_word("invita") == ("invitare", "fin")
    assert analyze_word("annunciata")[1] == "part"


def test_a_family_name_first_is_the_person_so_named():
    from claims_fixture import EXTRACTOR
    from pipeline.text import split_sentences

    body = "Wang Chuanfu ha presentato i conti. «La nostra priorità è l'estero», ha dichiarato Wang ai giornalisti."
    mentions = [{"article_id": "a", "sentence_id": 0, "entity_id": "per:wang-chuanfu", "start": 0, "end": 12, "surface": "Wang Chuanfu", "method": "kb_alias"}]
    entities = {"per:wang-chuanfu": {"entity_id": "per:wang-chuanfu", "name": "Wang Chuanfu", "type": "PER"}}
    rows = EXTRACTOR.extract(body, split_sentences(body), mentions, entities, "a")
    assert rows[-1]["speaker_entity_id"] == "per:wang-chuanfu"


@pytest.mark.parametrize(
    "body",
    [
        "Carlos Tavares ha visitato Renault. Ho chiesto a un ingegnere di Renault se convenga aspettare prima di comprare.",
        "Carlos Tavares ha visitato Renault. Chi scrive ha seguito la presentazione: la sensazione è che Renault abbia voluto guadagnare tempo.",
    ],
)
def test_the_writer_in_the_first_person_is_nobody_quoted(body):
    assert speakers(body)[-1] is None


SESSION13_ENTS = ENTS + [
    ("Elon Musk", "per:elon-musk", "PER"), ("Tesla", "org:tesla", "ORG"), ("Financial Times", "org:ft", "ORG"),
    ("Bloomberg", "org:bloomberg", "ORG"), ("Uilm", "org:uilm", "ORG"), ("Stella Li", "per:stella-li", "PER"), ("BYD", "org:byd", "ORG"),
    ("Lee Jae-myung", "per:lee", "PER"), ("Cho Hyun", "per:cho", "PER"), ("Commissione europea", "org:ec", "ORG"), ("Cina", "loc:cina", "LOC"),
    ("Tiziana Magnacca", "per:magnacca", "PER"), ("Marco Marsilio", "per:marsilio", "PER"), ("assessora", "per:marsilio", "PER"),
]


@pytest.mark.parametrize(
    "body, speaker",
    [
        # a tag after a whole clause with commas of its own
        ("Musk guarda oltre. Il Cybercab, la due posti mostrata nel 2024, entrerà in produzione nel 2026, ha ripetuto Elon Musk, con un prezzo inferiore ai 30.000 dollari.", "per:elon-musk"),
        # "a margine di un incontro" is a setting, not the subject: the one named before
        ("Stella Li ha assicurato che BYD non farà una guerra dei prezzi. «Non vendiamo auto a basso costo», ha detto a margine di un incontro con i concessionari.", "per:stella-li"),
        # rumours with their outlet named are the outlet's
        ("Ferrari ha alzato i prezzi. Secondo indiscrezioni raccolte dal Financial Times, altri marchi starebbero valutando misure analoghe.", "org:ft"),
        ("Filosa è il nuovo ceo. Secondo indiscrezioni di Bloomberg, il nuovo ceo starebbe già lavorando a una revisione dei target.", "org:bloomberg"),
        # agreeing openings
        ("La Fiom ha criticato i turni ridotti. Sulla stessa linea i delegati della Uilm, che da mesi chiedono nuove assunzioni.", "org:uilm"),
        ("La Fiom ha criticato i turni ridotti. Dello stesso avviso anche la Uilm, che chiede un incontro urgente al ministero.", "org:uilm"),
        ("Marco Marsilio ha ricevuto i delegati. Sulla stessa linea l'assessora alle Attività produttive Tiziana Magnacca, che promette fondi ai Comuni.", "per:magnacca"),
        # an inserted verb after a colon: the subject before the colon, not the last person named
        ("Il ministro Cho Hyun è volato a Washington. Lee Jae-myung non ha nascosto l'irritazione: le aziende, ha avvertito, saranno molto esitanti a investire.", "per:lee"),
        # "a suo dire" in a sentence with its own subject
        ("La Cina ha protestato. La Commissione europea ha giustificato le misure con i sussidi pubblici che, a suo dire, distorcono la concorrenza.", "org:ec"),
    ],
)
def test_tags_after_clauses_sidelines_named_rumours_and_agreeing_openings(body, speaker):
    assert speakers(body, SESSION13_ENTS)[-1] == speaker


def test_rumours_from_unnamed_press_stay_the_writers():
    body = "Ferrari ha alzato i prezzi. Secondo indiscrezioni della stampa tedesca, altri marchi starebbero valutando misure analoghe."
    assert speakers(body, SESSION13_ENTS)[-1] is None


@pytest.mark.parametrize(
    "body, speaker",
    [
        ("La Fiom ha criticato Renault. Luca de Meo, ospite a Torino, punta il dito contro le regole europee sulle emissioni.", "per:luca-de-meo"),
        ("Renault e Xiaomi trattano sui prezzi. Un accordo potrebbe arrivare entro luglio, ma nessuna delle due parti lo ha confermato.", None),
        ("Per il 2030 Renault punta a ricavi di 9 miliardi. Più di un analista ha fatto notare che gli obiettivi erano inferiori alle attese.", None),
    ],
)
def test_pointing_the_finger_speaks_and_nobody_named_is_nobody(body, speaker):
    assert speakers(body)[-1] == speaker


@pytest.mark.parametrize(
    "body, people, speaker",
    [
        # a surname the entity layer missed, opening the sentence before an insertion
        ("BYD costruirà una fabbrica in Turchia, ha annunciato Wang Chuanfu. «La Turchia diventerà un hub», ha dichiarato Luca de Meo. "
         "Wang, da parte sua, ha parlato di «un passo fondamentale» per la strategia globale del gruppo.",
         ["Wang Chuanfu", "Luca de Meo"], "per:wang-chuanfu"),
        # a surname simplemma reads as a verb ("minto")
        ("A illustrare i conti è stato Duncan Minto, il direttore finanziario. «Il mercato è diventato più difficile», ha detto Luca de Meo. "
         "Minto ha precisato che la revisione non ha nulla a che vedere con il cambio al vertice.",
         ["Duncan Minto", "Luca de Meo"], "per:duncan-minto"),
    ],
)
def test_a_surname_of_the_article_opening_the_sentence(body, people, speaker):
    ents = [(name, "per:" + name.lower().replace(" ", "-"), "PER") for name in people]
    assert [r["speaker_entity_id"] for r in _claims(body, ents, named=True)][-1] == speaker


def test_a_long_title_before_the_name_and_new_political_titles():
    ents = ENTS + [("Ebba Busch", "per:ebba-busch", "PER"), ("Paolo Cerruti", "per:cerruti", "PER")]
    body = ("Northvolt fu fondata da Paolo Cerruti. «Non è compito dello Stato possedere fabbriche di batterie», aveva ribadito "
            "la vicepremier e ministra dell’Energia e dell’Industria Ebba Busch, che ora promette sostegno ai lavoratori.")
    assert speakers(body, ents)[-1] == "per:ebba-busch"


def test_vicepremier_and_court_roles_are_person_descriptions():
    from pipeline.extract.claims.lexicon import load_lexicon

    lex = load_lexicon()
    assert {"vicepremier", "eurodeputato", "curatore", "giudice", "legale"} <= lex.person_heads
    assert "vicepremier" in lex.person_roles["per:matteo-salvini"]


def test_the_news_then_its_source_pointing_back_with_a_clitic():
    body = "Renault taglierà circa 3.000 posti di lavoro in Francia. Lo ha annunciato oggi Luca de Meo in una nota ai dipendenti."
    assert speakers(body) == ["per:luca-de-meo", "per:luca-de-meo"]
    # a sentence with a source of its own keeps it
    body = "Secondo la Fiom, Renault taglierà circa 3.000 posti di lavoro in Francia. Lo ha confermato oggi Luca de Meo ai sindacati."
    assert speakers(body) == ["org:fiom", "per:luca-de-meo"]
    # a new paragraph breaks the link
    body = "Renault taglierà circa 3.000 posti di lavoro in Francia.\n\nLo ha annunciato oggi Luca de Meo in una nota ai dipendenti."
    assert speakers(body)[0] is None


FINANCE_ENTS = ENTS + [
    ("Iveco Group", "org:iveco", "ORG"), ("Suzanne Heywood", "per:heywood", "PER"), ("Barclays", "org:barclays", "ORG"),
    ("Tata", "org:tata", "ORG"),
]


@pytest.mark.parametrize(
    "body, speaker",
    [
        ("Tata ha presentato l'offerta. Soddisfatta anche la presidente di Iveco Group, Suzanne Heywood, secondo cui l’operazione “valorizza entrambe le anime del gruppo”.", "per:heywood"),
        ("Il titolo è crollato. Più scettici gli analisti di Barclays, che mantengono una raccomandazione equal weight e ritengono che la valutazione sconti già il successo.", "org:barclays"),
    ],
)
def test_a_name_in_apposition_before_secondo_cui_and_coordinated_relatives(body, speaker):
    assert speakers(body, FINANCE_ENTS)[-1] == speaker


def test_a_regional_president_is_il_governatore_and_foreign_first_names_are_known():
    from pipeline.extract.claims.lexicon import load_lexicon
    from pipeline.extract.entities.lexicon import load_lexicon as load_entity_lexicon

    assert "governatore" in load_lexicon().person_roles["per:vito-bardi"]
    first = {n.lower() for n in load_entity_lexicon().first_names}
    assert {"suzanne", "duncan", "håkan", "renaud"} <= first


MARKET_ENTS = ENTS + [
    ("Kepler Cheuvreux", "org:kepler", "ORG"), ("Mediobanca", "org:mediobanca", "ORG"), ("Goldman Sachs", "org:goldman", "ORG"),
    ("AlixPartners", "org:alix", "ORG"), ("Sinochem", "org:sinochem", "ORG"), ("Tesla", "org:tesla", "ORG"),
]


@pytest.mark.parametrize(
    "body, speaker",
    [
        # an unnamed analyst of a bank speaks for the bank, not for the last person named
        ("Kepler Cheuvreux ha tagliato le stime. «È una risposta che dimostra il potere di prezzo del marchio», commenta un analista di Mediobanca.", "org:mediobanca"),
        # a description leading to a name: the name
        ("Goldman Sachs ha alzato il target. Secondo la società di consulenza AlixPartners, delle 129 marche elettriche cinesi solo 15 saranno redditizie nel 2030.", "org:alix"),
        # contesting an account is saying something
        ("Il consiglio ha deciso. Sinochem, che detiene circa il 37% del capitale, ha contestato la ricostruzione.", "org:sinochem"),
        # giving up saying something says nothing
        ("Tesla ha presentato i conti. La società ha però rinunciato a confermare le stime di crescita dei volumi per il 2025.", None),
    ],
)
def test_market_news_voices(body, speaker):
    assert speakers(body, MARKET_ENTS)[-1] == speaker


@pytest.mark.parametrize(
    "body, speaker",
    [
        ("Renault ha presentato la nuova 5. Stando ai dati comunicati, l’auto avrà una batteria da 52 kWh e 410 km di autonomia.", "org:renault"),
        ("Renault ha presentato la nuova 5. Secondo l'osservatorio di Xiaomi, il prezzo medio delle elettriche usate è sceso del 10%.", "org:xiaomi"),
        ("Renault ha presentato la nuova 5. Secondo i dati ufficiali, il prezzo medio delle elettriche usate è sceso del 10%.", None),
    ],
)
def test_declared_figures_and_observatories(body, speaker):
    assert speakers(body)[-1] == speaker


VOICE_ENTS = ENTS + [("John Elkann", "per:john-elkann", "PER"), ("Sky TG24", "org:sky-tg24", "ORG"), ("Benedetto Vigna", "per:vigna", "PER"),
                     ("Carlo Calenda", "per:calenda", "PER"), ("Ferrari", "org:ferrari", "ORG"), ("Elon Musk", "per:elon-musk", "PER")]


@pytest.mark.parametrize(
    "body, speaker",
    [
        ("Stellantis ha chiuso il trimestre. John Elkann ai microfoni di Sky TG24: «Non venderemo Maserati».", "per:john-elkann"),
        ("Il tavolo si è chiuso. «Nessuno stabilimento chiuderà», ha scandito il ministro Adolfo Urso al termine dell'incontro.", "per:adolfo-urso"),
        ("Ferrari ha presentato la Elettrica. Sulla domanda Benedetto Vigna si mostra ottimista: crescerà nel 2026.", "per:vigna"),
        ("Il fondo è stato tagliato. «Questa non è politica industriale, è un disastro», ha attaccato Carlo Calenda in aula.", "per:calenda"),
        # "noto come" is known as, nobody notes anything; insisting on a topic says nothing
        ("Elon Musk guida il Dipartimento per l'efficienza governativa, noto come Doge, da gennaio 2025.", None),
        ("Ferrari ha presentato la Elettrica. Benedetto Vigna ha insistito sul tema del suono, da sempre delicato per il marchio.", None),
    ],
)
def test_more_verbs_of_saying_and_settings_before_a_colon(body, speaker):
    assert speakers(body, VOICE_ENTS)[-1] == speaker


URSO_ENTS = ENTS + [("Fiom", "org:fiom", "ORG")]


@pytest.mark.parametrize(
    "sentence, speaker",
    [
        ("Nessuno stabilimento chiuderà, è la promessa del ministro Adolfo Urso.", "per:adolfo-urso"),
        ("Questa la promessa del ministro Adolfo Urso: nessuno stabilimento chiuderà.", "per:adolfo-urso"),
        ("A sentire il ministro Adolfo Urso, nessuno stabilimento chiuderà.", "per:adolfo-urso"),
        ("«Nessuno stabilimento chiuderà»: così Adolfo Urso dopo l'incontro.", "per:adolfo-urso"),
        ("Nessuno stabilimento chiuderà: a garantirlo è il ministro Adolfo Urso.", "per:adolfo-urso"),
        ("Ottimista il ministro Adolfo Urso: gli incentivi arriveranno entro l'estate.", "per:adolfo-urso"),
        ("Critica la Fiom: gli incentivi non bastano a salvare Mirafiori.", "org:fiom"),
    ],
)
def test_pointers_tails_clefts_and_verdicts_around_colons_and_commas(sentence, speaker):
    assert speakers("Il tavolo sull'auto è convocato per lunedì. " + sentence, URSO_ENTS)[-1] == speaker


@pytest.mark.parametrize(
    "sentence, speaker",
    [
        ("La produzione non ripartirà prima di maggio, sostiene Luca de Meo della Renault.", "per:luca-de-meo"),
        ("La produzione non ripartirà prima di maggio, almeno secondo Luca de Meo.", "per:luca-de-meo"),
        # an organization's view with "si tratta" is the writer's framing (three writers)
        ("Per Renault si tratta del secondo anno consecutivo di flessione delle vendite.", None),
    ],
)
def test_closing_tags_with_a_bare_name_and_hedged_sources(sentence, speaker):
    assert speakers("Lo stabilimento di Flins si ferma per tre settimane. " + sentence)[-1] == speaker


CHINA_ENTS = ENTS + [("Péter Szijjártó", "per:szijjarto", "PER"), ("LatePost", "org:latepost", "ORG"), ("Bloomberg", "org:bloomberg", "ORG"),
                     ("Bruxelles", "loc:bruxelles", "LOC"), ("Cui Dongshu", "per:cui-dongshu", "PER")]


@pytest.mark.parametrize(
    "body, speaker",
    [
        ("BYD apre a Szeged. Per il ministro degli Esteri ungherese Péter Szijjártó, l’investimento conferma il ruolo dell'Ungheria.", "per:szijjarto"),
        ("Nio taglia i costi. Secondo un’inchiesta di LatePost, la dirigenza avrebbe chiesto di ridurre i costi del 10%.", "org:latepost"),
        ("Pechino frena. Secondo un’indiscrezione pubblicata da Bloomberg, il ministero avrebbe chiesto di sospendere gli investimenti.", "org:bloomberg"),
        ("Cui Dongshu ha commentato i dati. Secondo i suoi calcoli, nel 2024 gli impianti hanno lavorato al 50% delle possibilità.", "per:cui-dongshu"),
        # rumours gathered in a city are nobody's
        ("Il piano arriva oggi. Secondo indiscrezioni raccolte a Bruxelles, il piano concederebbe tre anni ai costruttori.", None),
    ],
)
def test_named_reports_and_places_where_rumours_are_gathered(body, speaker):
    assert speakers(body, CHINA_ENTS)[-1] == speaker


def test_a_closing_tag_before_a_colon_with_a_surname_of_two_words():
    body = ("Michele De Palma ha parlato in piazza. La mobilitazione non si fermerà qui, assicura De Palma: "
            "se non arriveranno risposte, nuove iniziative di protesta potrebbero essere proclamate.")
    assert [r["speaker_entity_id"] for r in _claims(body, [("Michele De Palma", "per:michele-de-palma", "PER")], named=True)][-1] == "per:michele-de-palma"


NARRATIVE_ENTS = ENTS + [("Commissione europea", "org:ec", "ORG"), ("Jim Farley", "per:jim-farley", "PER"), ("Dearborn", "loc:dearborn", "LOC")]


@pytest.mark.parametrize(
    "body, speaker",
    [
        # words in quotes after a sentence about an organization: the person the story follows
        ("Luca de Meo ha trattato a lungo con Bruxelles. Mercoledì la Commissione europea ha presentato il piano d'azione per l'auto. "
         "«È un passo nella direzione giusta, lo riconosco», ammette.", "per:luca-de-meo"),
        ("Luca de Meo ha presentato i conti. «Il 2024 è stato il nostro anno migliore da molto tempo», premette il manager.", "per:luca-de-meo"),
        # a person introduced by a present in -e simplemma reads as a noun ("parte"), then a bare quote
        ("Jim Farley ha aperto le colonnine. Luca de Meo parte dai costi. «Sviluppare da zero un nuovo motore richiede anni di lavoro».", "per:luca-de-meo"),
        # "il manager di Dearborn" is a person, not the town
        ("Jim Farley ha aperto le colonnine. «Vogliamo che i clienti possano ricaricare ovunque», ha scritto il manager di Dearborn.", "per:jim-farley"),
    ],
)
def test_narrative_interviews_and_managers_of_a_town(body, speaker):
    assert speakers(body, NARRATIVE_ENTS)[-1] == speaker


RELATIVE_ENTS = ENTS + [("ACEA", "org:acea", "ORG"), ("Benedetto Vigna", "per:vigna", "PER"), ("Enzo Ferrari", "per:enzo-ferrari", "PER")]


@pytest.mark.parametrize(
    "body, speaker",
    [
        # a relative with a subject of its own: that subject speaks, not the antecedent
        ("Le multe potevano arrivare a 15 miliardi. Una cifra che l'ACEA aveva definito «insostenibile per l'industria europea».", "org:acea"),
        # what follows a gerund is its object ("citando una delle massime"), not someone unnamed
        ("Benedetto Vigna ha difeso la scelta. «Continueremo a consegnare meno auto di quante il mercato ne chieda», ha ripetuto, "
         "citando una delle massime di Enzo Ferrari.", "per:vigna"),
    ],
)
def test_relatives_with_their_own_subject_and_gerund_objects(body, speaker):
    assert speakers(body, RELATIVE_ENTS)[-1] == speaker
