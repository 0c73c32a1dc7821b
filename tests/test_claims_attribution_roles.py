"""claims.rules.v1, speakers named by a role: appositions ("X, numero uno della Fim, ha detto"), role descriptions
("il manager", "l'ad", "il sindacalista", "la ministra") that refer to the person introduced with that role, else to
the previous speaker or subject, else to the latest person who can hold the role."""
import re

import pytest

from pipeline.text import split_sentences

from claims_fixture import EXTRACTOR
from claims_fixture import claims as _claims

PEOPLE = [
    # KB people (the KB says what kind of person they are: Filosa an executive, Urso a politician)
    ("Antonio Filosa", "per:antonio-filosa", "PER"),
    ("Adolfo Urso", "per:adolfo-urso", "PER"),
    ("Giorgia Meloni", "per:giorgia-meloni", "PER"),
    ("Elon Musk", "per:elon-musk", "PER"),
    # names the KB does not know
    ("Ferdinando Uliano", "d_uliano", "PER"),
    ("Michele De Palma", "d_de-palma", "PER"),
    ("André Thierig", "d_thierig", "PER"),
    ("Marco Bentivogli", "d_bentivogli", "PER"),
    ("Marta Rossi", "d_rossi", "PER"),
    ("Ola Källenius", "d_kallenius", "PER"),
    ("François Provost", "d_provost", "PER"),
    ("Luca de Meo", "d_de-meo", "PER"),
    ("Katherina Reiche", "d_reiche", "PER"),
    ("Stellantis", "org:stellantis", "ORG"),
    ("Tesla", "org:tesla", "ORG"),
    ("Fim Cisl", "org:fim-cisl", "ORG"),
    ("Fim", "org:fim-cisl", "ORG"),
    ("Fiom", "org:fiom", "ORG"),
    ("Mercedes-Benz", "org:mercedes-benz", "ORG"),
    ("Legambiente", "org:legambiente", "ORG"),
    ("Mimit", "org:mimit", "ORG"),
    ("Renault", "org:renault", "ORG"),
]


def speakers(body: str, epithets: dict[str, str] | None = None) -> list[str | None]:
    """Speakers of `body`; `epithets` maps a description's surface to the entity the entity layer linked it to."""
    sentences = split_sentences(body)
    spans = [(surface, eid, typ, "kb_alias") for surface, eid, typ in PEOPLE] + [(s, eid, "PER", "epithet") for s, eid in (epithets or {}).items()]
    mentions, entities, taken = [], {}, set()
    for surface, eid, typ, method in sorted(spans, key=lambda x: -len(x[0])):
        for m in re.finditer(rf"\b{re.escape(surface)}\b", body):
            if any(p in taken for p in range(m.start(), m.end())):
                continue
            taken.update(range(m.start(), m.end()))
            entities[eid] = {"entity_id": eid, "name": eid, "type": typ}
            sid = next(i for i, s in enumerate(sentences) if s.start <= m.start() < s.end)
            mentions.append({"article_id": "a", "sentence_id": sid, "entity_id": eid, "start": m.start(), "end": m.end(), "surface": surface, "method": method})
    mentions.sort(key=lambda x: x["start"])
    return [r["speaker_entity_id"] for r in EXTRACTOR.extract(body, sentences, mentions, entities, "a")]


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        ("Marco Bentivogli, ex leader della Fim, ha detto che il piano è insufficiente.", "d_bentivogli"),
        ("Ferdinando Uliano, numero uno della Fim Cisl, ha detto che servono garanzie.", "d_uliano"),
        ("Ferdinando Uliano, segretario generale della Fim Cisl, ha chiesto garanzie sugli stabilimenti.", "d_uliano"),
        ("Marta Rossi, responsabile mobilità di Legambiente, ha criticato il piano del governo.", "d_rossi"),
        ("Ola Källenius, alla guida del gruppo dal 2019, ha ammesso che la Cina resta difficile.", "d_kallenius"),
        ("Ola Källenius, che guida il gruppo dal 2019, ha ammesso che la Cina resta difficile.", "d_kallenius"),
        ("«La Cina resta difficile», ha ammesso Ola Källenius, numero uno di Mercedes-Benz.", "d_kallenius"),
        ("«La Cina resta difficile», ha ammesso l’amministratore delegato di Mercedes-Benz, Ola Källenius.", "d_kallenius"),
        ("«La Cina resta difficile», ha ammesso il numero uno di Mercedes-Benz Ola Källenius.", "d_kallenius"),
        ("La Cina resta difficile, ha ammesso il numero uno della casa della Stella, Ola Källenius.", "d_kallenius"),
        ("Per il ceo Ola Källenius la Cina resta un mercato difficile.", "d_kallenius"),
        ("A parlare è stato Ola Källenius, numero uno di Mercedes-Benz: «La Cina resta difficile».", "d_kallenius"),
    ],
)
def test_appositions_and_inverted_roles(body, speaker):
    assert speakers("Mercedes-Benz ha presentato i conti del trimestre. " + body)[-1] == speaker


@pytest.mark.parametrize(
    ("body", "epithets", "speaker"),
    [
        # the role a person was introduced with, or a synonym of it ("nuovo amministratore delegato" -> "il nuovo ad")
        ("Renault ha nominato François Provost nuovo amministratore delegato. Luca de Meo lascerà il gruppo a luglio. "
         "Il nuovo ad ha spiegato che la strategia non cambierà.", {"nuovo ad": "d_de-meo"}, "d_provost"),
        ("L’amministratore delegato Antonio Filosa ha incontrato Ferdinando Uliano. Il ceo ha assicurato che nessuno stabilimento chiuderà.",
         {}, "per:antonio-filosa"),
        # a role only some can hold: a unionist, not the executive named last
        ("Ferdinando Uliano, segretario generale della Fim Cisl, ha chiesto garanzie. L’amministratore delegato Antonio Filosa ha risposto "
         "che il piano arriverà a ottobre. Il sindacalista ha replicato che i tempi sono troppo lunghi.", {"sindacalista": "per:antonio-filosa"}, "d_uliano"),
        ("Adolfo Urso ha incontrato Antonio Filosa al Mimit. Il manager ha spiegato che la produzione resterà in Italia.", {}, "per:antonio-filosa"),
        ("Adolfo Urso ha incontrato Antonio Filosa al Mimit. Il ministro ha spiegato che il governo sosterrà la filiera.", {}, "per:adolfo-urso"),
        # the previous speaker, named without a role the KB knows, over a person the KB calls an executive
        ("Elon Musk ha attaccato gli autori su X. Secondo il direttore dello stabilimento André Thierig, il danno è pesante. "
         "Il manager ha spiegato ai giornalisti: «Ogni giorno di fermo ci costa mille auto».", {"manager": "per:elon-musk"}, "d_thierig"),
        # the previous subject over a person named as an object
        ("Il segretario generale della Fiom Michele De Palma ha chiesto alla presidente del Consiglio Giorgia Meloni di convocare Stellantis. "
         "«Il governo deve convocare l’azienda», ha detto il leader delle tute blu della Cgil.", {}, "d_de-palma"),
        ("Katherina Reiche ha incontrato i costruttori a Berlino. La ministra ha ammesso che i fondi sono limitati.", {}, "d_reiche"),
        ("Marta Rossi, responsabile mobilità di Legambiente, ha criticato il piano. «È un passo indietro», ha detto la responsabile.", {}, "d_rossi"),
        ("«Il mercato è in difficoltà», ha detto Antonio Filosa. «Servono regole chiare», ha aggiunto il manager.", {}, "per:antonio-filosa"),
        ("Tesla ha consegnato meno auto. Elon Musk ha parlato agli investitori. Il ceo ha assicurato che il robotaxi arriverà.", {}, "per:elon-musk"),
        ("Ola Källenius, numero uno di Mercedes-Benz, ha presentato i conti. «La Cina resta difficile», ha ammesso l’ad del gruppo.", {}, "d_kallenius"),
        # a description right next to a name is that name's
        ("Elon Musk ha parlato agli investitori. Il manager André Thierig ha spiegato che la fabbrica riaprirà.", {"manager": "per:elon-musk"}, "d_thierig"),
    ],
)
def test_role_descriptions(body, epithets, speaker):
    assert speakers(body, epithets)[-1] == speaker


def test_a_name_after_the_comma_of_a_described_source_is_not_the_source():
    body = ("L’amministratore delegato Antonio Filosa ha preso il posto di Carlos Tavares. "
            "Secondo il presidente, Filosa conosce a fondo l’azienda e il settore.")
    # the entity layer linked "il presidente" to the group's chairman: the name after the comma is the topic
    PEOPLE.append(("John Elkann", "per:john-elkann", "PER"))
    try:
        assert speakers(body, {"presidente": "per:john-elkann"})[-1] == "per:john-elkann"
    finally:
        PEOPLE.pop()


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        # a cleft with an insertion before essere, and "ad" before a vowel
        ("Ad annunciarlo, il 20 maggio, è stato l’amministratore delegato Ola Källenius.", "d_kallenius"),
        ("A confermarlo è stato Ola Källenius durante la conference call.", "d_kallenius"),
        ("A parlare è stato Ola Källenius, numero uno di Mercedes-Benz.", "d_kallenius"),
        # a source named after its role and a role adjective
        ("Stando alla direttrice finanziaria Marta Rossi, la scelta permetterà di risparmiare due miliardi.", "d_rossi"),
        ("Secondo il direttore commerciale Marta Rossi, la scelta permetterà di risparmiare due miliardi.", "d_rossi"),
        # roles beyond business: a diplomat, a designer
        ("«Verificheremo i fatti», ha detto Katherina Reiche. La diplomatica ha aggiunto che l’ambasciata collabora con le autorità.", "d_reiche"),
        ("Marta Rossi ha disegnato la nuova berlina. La designer ha spiegato che le linee richiamano gli anni Sessanta.", "d_rossi"),
        # naming something as something else reports a judgement
        ("Ola Källenius ha più volte definito l’impianto il più grande investimento della storia del gruppo.", "d_kallenius"),
    ],
)
def test_clefts_role_sources_and_other_roles(body, speaker):
    assert speakers("Mercedes-Benz ha presentato i conti del trimestre. " + body)[-1] == speaker


@pytest.mark.parametrize(
    "body",
    [
        "Ola Källenius ha definito i dettagli del piano con i sindacati.",
        "Ola Källenius ha definito il piano e le tappe della ristrutturazione.",
    ],
)
def test_defining_details_reports_nothing(body):
    assert speakers(body) == [None]


@pytest.mark.parametrize(
    "opener",
    ["A suo dire", "A suo avviso", "A suo parere", "Secondo lui", "Per lui"],
)
def test_sources_named_by_a_pronoun_are_the_previous_speaker(opener):
    body = f"L’amministratore delegato Antonio Filosa ha annunciato nuovi tagli in Europa. {opener}, il calo è dovuto ai dazi americani."
    assert speakers(body) == ["per:antonio-filosa", "per:antonio-filosa"]


def test_cfo_is_the_person_introduced_as_financial_director():
    body = ("Il direttore finanziario Marta Rossi ha presentato i conti. Antonio Filosa ha parlato di un anno difficile. "
            "Il cfo ha spiegato che il calo è dovuto ai dazi.")
    assert speakers(body)[-1] == "d_rossi"


def test_a_premier_is_no_minister_for_il_ministro():
    from pipeline.extract.claims.lexicon import load_lexicon

    lex = load_lexicon()
    assert "ministro" not in lex.person_roles["per:li-qiang"]
    assert "ministro" in lex.person_roles["per:adolfo-urso"]


LOCAL_ENTS = [
    ("Stellantis", "org:stellantis", "ORG"), ("Fim Cisl", "org:fim-cisl", "ORG"), ("Fiom", "org:fiom", "ORG"),
    ("Fismic", "org:fismic", "ORG"), ("Roberto Di Maulo", "per:di-maulo", "PER"), ("Vito Bardi", "per:vito-bardi", "PER"),
    ("assessore regionale", "per:vito-bardi", "PER"), ("Francesco Cupparo", "per:cupparo", "PER"), ("Veneto", "loc:veneto", "LOC"),
    ("Marco Lomio", "per:lomio", "PER"), ("Uilm", "org:uilm", "ORG"), ("Acc", "org:acc", "ORG"), ("Yann Vincent", "per:yann-vincent", "PER"),
]


def local_speakers(body: str) -> list[str | None]:
    return [r["speaker_entity_id"] for r in _claims(body, LOCAL_ENTS)]


@pytest.mark.parametrize(
    "body, speaker",
    [
        ("L'assessore regionale alle Attività produttive, Francesco Cupparo, assicura che la giunta «farà la sua parte».", "per:cupparo"),
        ("La Fismic di Roberto Di Maulo ha espresso soddisfazione per la conferma di tutti i siti.", "org:fismic"),
        ("Il piano piace alla Fim Cisl. Non la pensa così Marco Lomio, segretario generale della Uilm.", "per:lomio"),
        ("Per la Fiom lucana la strada è obbligata: servono nuovi modelli ad alto volume.", "org:fiom"),
        ("A spiegare la scelta è stato l'amministratore delegato di Acc, Yann Vincent, secondo cui la domanda rallenta.", "per:yann-vincent"),
        ("In caso contrario, avvertono i delegati della Fiom, la vertenza è destinata ad allungarsi.", "org:fiom"),
        ("La Fiom ha chiesto un incontro. Nello stabilimento, denuncia il sindacato, si lavora pochi giorni al mese.", "org:fiom"),
    ],
)
def test_local_news_voices(body, speaker):
    assert local_speakers(body)[-1] == speaker


def test_a_company_description_is_no_union_and_a_plan_of_a_group_forecasts_nothing():
    body = "Stellantis ha aperto le uscite. La Fim Cisl parla di mille uscite. L'azienda non ha fornito numeri, ma precisa che si tratta di adesioni volontarie."
    assert local_speakers(body)[-1] == "org:stellantis"
    assert local_speakers("Stellantis ha presentato il piano. Il piano del gruppo prevede per Melfi cinque nuovi modelli.")[-1] is None
    assert local_speakers("Stellantis ha presentato il piano. Per Cassino il gruppo conferma le future Alfa Romeo Stelvio e Giulia.")[-1] == "org:stellantis"


def test_a_ministry_on_a_street_is_no_region():
    assert local_speakers("Dal dicastero di via Veneto fanno sapere che i fondi non andranno persi.") == [None]


def test_a_prime_minister_and_a_minister_with_his_portfolio_before_the_name():
    import re as _re

    from claims_fixture import EXTRACTOR
    from pipeline.text import split_sentences

    body = ("La premier ha firmato a Pechino con il primo ministro Li Qiang un piano d'azione. "
            "Il ministro delle Imprese e del made in Italy Adolfo Urso lo ripete spesso: serve un secondo costruttore. "
            "«Stiamo parlando con diverse case automobilistiche», ha confermato il ministro, senza fare nomi.")
    sentences = split_sentences(body)
    spans = [("Li Qiang", "per:li-qiang", "kb_alias"), ("Adolfo Urso", "per:adolfo-urso", "kb_alias"), ("ministro, senza", "per:adolfo-urso", "epithet")]
    mentions = []
    for surface, eid, method in spans:
        hit = _re.search(_re.escape(surface), body)
        start, end = hit.start(), hit.start() + len(surface.split(",")[0])
        sid = next(i for i, s in enumerate(sentences) if s.start <= start < s.end)
        mentions.append({"article_id": "a", "sentence_id": sid, "entity_id": eid, "start": start, "end": end, "surface": body[start:end], "method": method})
    entities = {eid: {"entity_id": eid, "name": eid, "type": "PER"} for eid in ("per:li-qiang", "per:adolfo-urso")}
    rows = EXTRACTOR.extract(body, sentences, mentions, entities, "a")
    assert rows[-1]["speaker_entity_id"] == "per:adolfo-urso"


INSTITUTION_ENTS = [
    ("Adolfo Urso", "per:adolfo-urso", "PER"), ("Stellantis", "org:stellantis", "ORG"), ("Carlos Tavares", "per:carlos-tavares", "PER"),
    ("Transport & Environment", "org:transport-environment", "ORG"), ("ACEA", "org:acea", "ORG"), ("Senato", "org:senato", "ORG"),
    ("Mimit", "org:mimit", "ORG"),
]


@pytest.mark.parametrize(
    "body, speaker",
    [
        # "il ministero": the ministry the article names (not the company it names more)
        ("Il Mimit ha scritto a Stellantis. Stellantis ha risposto. Il ministero, però, nega che ci sia stata una vera trattativa con Stellantis.", "org:mimit"),
        # "Per" + a description of an institution with its modifiers
        ("L'ACEA ha accolto la proposta. Transport & Environment l'ha criticata. Per l'organizzazione ambientalista la revisione regala tempo ai costruttori.", "org:transport-environment"),
        # a gerund's object is not its subject
        ("Carlos Tavares ha parlato al Senato. «Senza incentivi il mercato non si muove», ha detto, invitando l'esecutivo a seguire l'esempio di altri Paesi.", "per:carlos-tavares"),
    ],
)
def test_institutions_by_description_and_gerund_objects(body, speaker):
    from claims_fixture import claims as fixture_claims

    parents = {"per:adolfo-urso": "org:mimit"}
    assert [r["speaker_entity_id"] for r in fixture_claims(body, INSTITUTION_ENTS, parents=parents)][-1] == speaker
