"""claims.rules.v1, detection: which sentences are claims (headings, captions, questions, calls to action out)."""

import pytest

from claims_fixture import claims


def texts(body: str, ents=()) -> list[str]:
    return [c["text"] for c in claims(body, ents)]


def test_plain_sentences_are_claims_with_their_offsets():
    body = "Ford ha chiuso il 2024 in utile. Le vendite sono salite del 5%."
    rows = claims(body)
    assert [(r["claim_id"], r["sentence_id"], r["start"], r["end"], r["text"]) for r in rows] == [
        ("a:0", 0, 0, 32, "Ford ha chiuso il 2024 in utile."),
        ("a:1", 1, 33, 63, "Le vendite sono salite del 5%."),
    ]


def test_heading_is_no_claim():
    body = "Il piano di Stellantis per l'Italia\n\nStellantis investirà due miliardi nel 2025."
    assert texts(body) == ["Stellantis investirà due miliardi nel 2025."]


def test_caption_line_is_no_claim():
    body = "Benedetto Vigna col CEO di Leapmotor Zhu Jiangming\n\nVigna ha visitato la sede di Leapmotor."
    assert texts(body) == ["Vigna ha visitato la sede di Leapmotor."]


def test_caption_opening_is_no_claim():
    assert texts("Nella foto, la nuova Panda. La Panda costa 25.000 euro.") == ["La Panda costa 25.000 euro."]


@pytest.mark.parametrize("question", ["Ma come la prenderà la Casa Bianca?", "Riuscirà il manager a riportare il gruppo alla crescita?", "E l’Italia?"])
def test_questions_are_no_claims(question):
    assert texts(f"Tesla ha venduto meno auto. {question}") == ["Tesla ha venduto meno auto."]


@pytest.mark.parametrize(
    "cta",
    [
        "Restiamo in attesa di saperne di più e nel frattempo teniamo le dita incrociate per il nostro paese!",
        "Diteci la vostra nei commenti.",
        "Vi terremo aggiornati.",
        "Noi, intanto, speriamo di poterla provare presto su strada.",
        "La sfida è appena cominciata, e noi la seguiremo da vicino.",
        "Lo scopriremo presto.",
        "Teniamo le dita incrociate.",
    ],
)
def test_calls_to_action_and_wishes_are_no_claims(cta):
    assert texts(f"Xiaomi venderà auto in Europa dal 2027. {cta}") == ["Xiaomi venderà auto in Europa dal 2027."]


def test_we_remind_that_is_a_claim():
    body = "Ricordiamo poi che Stellantis ha annunciato un accordo con Leapmotor."
    assert texts(body) == [body]


def test_first_person_inside_a_quote_is_a_claim():
    body = "«Stiamo costruendo nuove opportunità per le imprese», ha dichiarato Tronzano."
    assert texts(body) == [body]


def test_verbless_fragment_is_no_claim_but_a_number_keeps_it():
    body = "Obiettivo: una possibile partnership negli Stati Uniti. Duecentoquarantamila ordini in diciotto ore."
    assert texts(body) == ["Duecentoquarantamila ordini in diciotto ore."]


def test_signpost_is_no_claim():
    assert texts("Le ragioni sono diverse. Tesla ha perso quote in Germania.", [("Tesla", "org:tesla", "ORG")]) == [
        "Tesla ha perso quote in Germania."
    ]


def test_transitions_about_the_story_are_no_claims():
    body = (
        "L’episodio cade in un momento già teso. La reazione dei mercati è stata immediata. "
        "La strategia ha pochi precedenti. Non tutti gli investitori hanno sostenuto la proposta."
    )
    assert texts(body) == ["Non tutti gli investitori hanno sostenuto la proposta."]


def test_more_transitions_and_the_facts_that_look_like_them():
    body = (
        "La sorpresa della serata è arrivata alla fine. I tempi restano da definire. "
        "La battaglia delle citycar si annuncia affollata. Intanto i concorrenti accelerano. "
        "La presentazione seguirà un percorso in tre fasi. Il primo segnale era arrivato la settimana scorsa."
    )
    assert texts(body) == ["La presentazione seguirà un percorso in tre fasi.", "Il primo segnale era arrivato la settimana scorsa."]


def test_the_writers_framing_is_no_claim_but_a_checkable_comparison_is():
    body = (
        "La nuova iniezione di capitale arriva in un momento delicato. Il tempismo non è casuale. "
        "Il confronto con Waymo è inevitabile. La protesta arriva in uno dei momenti più difficili per l’industria. "
        "L’aumento arriva in un momento in cui le vendite sono calate del 10%. Il risultato è stato inferiore alle attese."
    )
    ents = [("Waymo", "org:waymo", "ORG")]
    assert texts(body, ents) == [
        "La protesta arriva in uno dei momenti più difficili per l’industria.",
        "L’aumento arriva in un momento in cui le vendite sono calate del 10%.",
        "Il risultato è stato inferiore alle attese.",
    ]


def test_a_present_tense_simplemma_reads_as_a_noun_keeps_a_short_sentence():
    body = (
        "Tesla taglia i prezzi in Cina. Volkswagen conferma il piano. La taglia media del mercato. "
        "Più fredda l’Acea. Sulla stessa linea i costruttori. Doccia fredda a Monaco di Baviera."
    )
    assert texts(body) == ["Tesla taglia i prezzi in Cina.", "Volkswagen conferma il piano."]


def test_quote_headline_line_is_no_claim():
    body = "I sindacati: «Così il sistema rischia il collasso»\n\nLa Fiom ha proclamato uno sciopero."
    assert texts(body) == ["La Fiom ha proclamato uno sciopero."]


def test_writers_superlative_judgement_is_no_claim():
    body = "Per il colosso tedesco la posta in gioco è altissima. Il mercato è cresciuto del 5%."
    assert texts(body) == ["Il mercato è cresciuto del 5%."]


def test_infinitive_alone_makes_no_sentence():
    assert texts("Trimestre da dimenticare per Mercedes-Benz. Mercedes ha perso il 20%.") == ["Mercedes ha perso il 20%."]


@pytest.mark.parametrize(
    "sentence",
    [
        "Resta da vedere se il piano funzionerà davvero.",
        "Sarebbe ora che la politica se ne occupasse.",
        "Personalmente vorrei che la politica smettesse di usare le cifre come bandiere.",
        "Mi piacerebbe vedere un piano industriale discusso davvero.",
    ],
)
def test_the_writers_wishes_and_wait_and_see_are_no_claims(sentence):
    assert texts("Stellantis ha presentato il piano. " + sentence) == ["Stellantis ha presentato il piano."]


def test_a_verbless_absence_is_a_claim():
    assert texts("Nessuna novità invece per lo stabilimento di Cassino.") == ["Nessuna novità invece per lo stabilimento di Cassino."]
