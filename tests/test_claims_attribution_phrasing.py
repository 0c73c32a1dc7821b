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
