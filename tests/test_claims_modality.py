"""claims.rules.v1, modality: one test per cue (journalistic conditional, possibility, hearsay, denial, plan)."""

import pytest

from claims_fixture import claims


def modality(body: str) -> tuple[str, str | None]:
    (row,) = claims(body)
    return row["modality"], row["modality_cue"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Ford ha chiuso il trimestre in utile.", ("fact", None)),
        # journalistic conditional: compound, essere/stare, progressive
        ("Ford avrebbe avviato contatti preliminari con Xiaomi.", ("rumor", "avrebbe avviato")),
        ("Xiaomi starebbe preparando un team dedicato alla vendita all’estero.", ("rumor", "starebbe preparando")),
        ("Alla base dell’addio ci sarebbero divergenze profonde.", ("rumor", "sarebbero")),
        ("Tra i nomi che circolano ci sarebbero quelli di due manager.", ("rumor", "sarebbero")),
        # conditional of possibility
        ("L’auto elettrica di Xiaomi potrebbe debuttare presto in Europa.", ("speculation", "potrebbe debuttare")),
        ("Se le immagini venissero confermate, l’incontro sembrerebbe arrivare dopo l’annuncio.", ("speculation", "sembrerebbe arrivare")),
        ("Per la Fiom, senza la gigafactory i posti a rischio sarebbero centinaia.", ("speculation", "sarebbero")),
        ("Non è escluso che Xiaomi decida di accelerare.", ("speculation", "Non è escluso")),
        ("Forse la fabbrica riaprirà.", ("speculation", "Forse")),
        # hearsay
        ("Secondo indiscrezioni, le trattative sono a buon punto.", ("rumor", "Secondo indiscrezioni")),
        ("Stando a diverse fonti, Pechino ha chiesto di congelare gli investimenti.", ("rumor", "Stando a diverse")),
        ("Stando all’accordo, i futuri modelli adotteranno lo standard cinese.", ("plan", "adotteranno")),
        ("Ford ha annunciato il taglio di 4.000 posti entro la fine del 2027.", ("fact", None)),
        ("Ford non esclude ulteriori misure.", ("speculation", "non esclude")),
        ("Secondo quanto riportato dal Nikkei, Honda ha proposto una controllata.", ("rumor", "Secondo quanto riportato")),
        ("Diversi quotidiani avevano scritto che Nissan voleva ritirarsi.", ("rumor", "scritto")),
        # denial
        ("Ford ha smentito seccamente la ricostruzione.", ("denial", "smentito")),
        ("Un portavoce ha definito la notizia completamente falsa.", ("denial", "completamente falsa")),
        ("Il gruppo ha respinto la ricostruzione.", ("denial", "respinto")),
        ("Dalla sede di Wuhan era arrivata una secca smentita.", ("denial", "smentita")),
        ("La ministra ha più volte negato che lo Stato intenda entrare nel capitale.", ("denial", "negato")),
        ("Un portavoce del gruppo ha respinto ogni paragone con la crisi di Evergrande.", ("denial", "respinto")),
        ("Il gruppo ha respinto l’idea che la rinuncia sia una bocciatura.", ("denial", "respinto")),
        ("Gli attivisti hanno preso le distanze dall’incendio.", ("denial", "preso le distanze")),
        ("«Non abbiamo nulla a che fare con l’attacco», ha dichiarato una portavoce.", ("denial", "nulla a che fare")),
        # plan
        ("Xiaomi venderà le sue auto fuori dalla Cina a partire dal 2027.", ("plan", "venderà")),
        ("Il gruppo punta a ricavi per 9 miliardi al 2030.", ("plan", "punta a")),
        ("Stellantis intende aprire un nuovo impianto.", ("plan", "intende")),
        ("La scelta del successore è attesa entro giugno.", ("plan", "è attesa")),
        ("L’intesa prevede il taglio di 35 mila posti.", ("plan", "prevede")),
        ("L’azienda ha fatto sapere di essere pronta a tutelarsi in tribunale.", ("plan", "di essere pronta a")),
        ("Pechino si è detta disponibile a creare un canale preferenziale.", ("plan", "disponibile a")),
        ("Musk si è detto fiducioso di poter allargare l’area coperta.", ("plan", "fiducioso di poter")),
        ("La T03 è proposta a partire da 18.900 euro.", ("fact", None)),
    ],
)
def test_modality_cue(sentence, expected):
    assert modality(sentence) == expected


def test_conditional_in_a_reported_warning_does_not_make_a_rumor():
    body = "John Moolenaar ha avvertito che l’accordo renderebbe gli Stati Uniti “ancora più dipendenti dalla Cina”."
    assert modality(body) == ("fact", None)


def test_future_in_the_past_of_reported_speech_is_no_rumor():
    assert modality("Il gruppo ha assicurato che la produzione sarebbe partita nei tempi.") == ("fact", None)


def test_negated_denial_is_no_denial():
    assert modality("Xiaomi non ha smentito le indiscrezioni.") == ("fact", None)


def test_the_noun_indiscrezioni_alone_is_no_hearsay():
    assert modality("Stellantis, per ora, non ha commentato le indiscrezioni.") == ("fact", None)


def test_simple_conditional_is_a_rumor_only_in_an_article_that_reports_hearsay():
    consequence = "Con la produzione in loco verrebbero evitati i dazi."
    assert claims(consequence)[0]["modality"] == "speculation"
    rumor_article = "Secondo indiscrezioni, Xiaomi aprirà in Europa. Con la produzione in loco verrebbero evitati i dazi."
    assert claims(rumor_article)[1]["modality"] == "rumor"


def test_denial_beats_rumor_in_the_same_sentence():
    body = "Le discussioni sarebbero a uno stadio iniziale e Ford ha smentito la ricostruzione (“questa storia è completamente falsa”)."
    assert modality(body) == ("denial", "smentito")


def test_negated_flag_and_predicate():
    (row,) = claims("Nuove EV a basso costo non arriveranno prima del 2027.")
    assert (row["modality"], row["negated"], row["predicate"]) == ("plan", True, "arrivare")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Il mercato sembra aver toccato il fondo.", ("speculation", "sembra")),
        ("Il gruppo rischia di perdere un miliardo.", ("speculation", "rischia di")),
        ("«Vogliamo portare ai clienti europei tecnologia accessibile», ha detto il manager.", ("plan", "Vogliamo portare")),
        ("La holding sarà quotata a partire da agosto 2026.", ("plan", "sarà")),
        ("La T03 costa a partire da 18.900 euro, mentre la B10 arriva a partire dal 2026.", ("plan", "a partire dal 2026")),
    ],
)
def test_more_cues(sentence, expected):
    assert modality(sentence) == expected


def test_a_plan_in_a_relative_clause_is_not_the_claims_own():
    body = "L’operazione rientra nella strategia voluta dal fondatore Li Shufu, che punta a ridurre le sovrapposizioni."
    assert modality(body) == ("fact", None)
    assert modality("Il fondatore Li Shufu punta a ridurre le sovrapposizioni tra i marchi.") == ("plan", "punta a")


@pytest.mark.parametrize(
    "body",
    [
        "Ulteriori svalutazioni, ha precisato la casa, non sono escluse.",
        "«Non ci aspettiamo che la domanda torni ai livelli previsti», ha spiegato la società.",
        "Gli analisti della società si aspettano un calo marcato già nel quarto trimestre.",
        "Per il 2025 gli analisti prevedono una crescita moderata del mercato.",
    ],
)
def test_expectations_and_open_possibilities_are_speculation(body):
    assert modality(body)[0] == "speculation"


def test_a_compound_conditional_after_a_present_reporting_verb_is_a_rumor():
    assert modality("Il Financial Times aggiunge che il rapporto tra Ford e Xiaomi si sarebbe logorato a settembre.")[0] == "rumor"
    assert modality("Il Financial Times ha aggiunto che la produzione sarebbe partita a settembre.")[0] == "fact"


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Più cauti altri osservatori, per i quali Ford potrebbe aver cambiato le priorità.", "speculation"),
        ("Più cauti altri osservatori, secondo cui Ford potrebbe aver cambiato le priorità.", "speculation"),
        ("Più cauti altri osservatori, secondo cui la vera sfida sarà la rete di vendita.", "fact"),
    ],
)
def test_a_conditional_in_a_sources_relative_clause_is_the_claims(sentence, expected):
    assert modality(sentence)[0] == expected


def test_negated_with_nemmeno_and_denials_by_name_calling():
    assert modality("Ford non ha confermato i numeri, ma non li ha nemmeno smentiti.")[0] == "fact"
    assert modality("«Reuters sta mentendo di nuovo», ha scritto Elon Musk su X.")[0] == "denial"


@pytest.mark.parametrize(
    "sentence",
    [
        "Secondo quanto trapela, Ford dovrebbe presentare il nuovo piano dopo l'estate.",
        "Nelle scorse settimane era circolata la voce di uno stop definitivo della Ford Fiesta.",
    ],
)
def test_leaks_and_circulating_voices_are_hearsay(sentence):
    assert modality(sentence)[0] == "rumor"
