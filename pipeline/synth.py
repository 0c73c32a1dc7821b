"""Deterministic synthetic corpus of Italian auto-industry news in every input format (for benchmarks and tests)."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import bisect
import html
import io
import itertools
import json
import random
from collections import Counter, deque
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.config import REFERENCE_DIR

# Share of articles written in each input format (txt is the corpus format, html is the slowest to ingest).
FORMAT_WEIGHTS = (("txt", 0.62), ("jsonl", 0.20), ("csv", 0.13), ("html", 0.05))
RECORDS_PER_FILE = 250  # records per .jsonl / .csv file
CHUNK_ARTICLES = 1000  # articles per generator task; each chunk has its own seeded random stream
FILES_PER_FOLDER = 1000
EXACT_DUPLICATE_RATE = 0.02
NEAR_DUPLICATE_RATE = 0.03
RECENT_POOL = 64  # duplicates copy one of the last RECENT_POOL articles, so memory stays flat
BODY_CHARS = (2000, 3800)  # target length of an article body, like real news
FIRST_DATE = dt.date(2023, 1, 1)
DATE_SPAN_DAYS = 1400  # up to late 2026: every date is in the past of the build

# ---------------------------------------------------------------------------------------------
# Built-in cast, used for every family the knowledge base (data/reference/kb/*.csv) does not fill.
# ---------------------------------------------------------------------------------------------
MAKERS = (
    ("Stellantis", ("il gruppo Stellantis",)), ("Ferrari", ("Cavallino Rampante",)), ("Volkswagen", ("VW", "gruppo Volkswagen")),
    ("BYD", ()), ("Tesla", ()), ("Renault", ("gruppo Renault",)), ("Toyota", ()), ("Ford", ("Ford Motor",)),
    ("General Motors", ("GM",)), ("Xiaomi", ()), ("Leapmotor", ()), ("Geely", ()), ("Volvo Cars", ("Volvo",)), ("BMW", ()),
    ("Mercedes-Benz", ("Mercedes",)), ("Hyundai", ()), ("Kia", ()), ("Nio", ()), ("Xpeng", ()), ("Lamborghini", ()),
    ("Maserati", ()), ("Alfa Romeo", ()), ("Fiat", ()), ("Lancia", ()), ("Audi", ()), ("Porsche", ()), ("Polestar", ()),
    ("Rivian", ()), ("SAIC", ("Saic Motor",)), ("Chery", ()), ("Nissan", ()), ("Dacia", ()), ("Peugeot", ()), ("Jeep", ()),
)
EXECUTIVES = (
    ("Antonio Filosa", "amministratore delegato", "Stellantis"), ("John Elkann", "presidente", "Stellantis"),
    ("Benedetto Vigna", "amministratore delegato", "Ferrari"), ("Elon Musk", "amministratore delegato", "Tesla"),
    ("Jim Farley", "amministratore delegato", "Ford"), ("Mary Barra", "amministratrice delegata", "General Motors"),
    ("Oliver Blume", "amministratore delegato", "Volkswagen"), ("Wang Chuanfu", "fondatore e presidente", "BYD"),
    ("Lei Jun", "fondatore e amministratore delegato", "Xiaomi"), ("Zhu Jiangming", "fondatore e presidente", "Leapmotor"),
    ("François Provost", "amministratore delegato", "Renault"), ("Akio Toyoda", "presidente", "Toyota"),
    ("Ola Källenius", "amministratore delegato", "Mercedes-Benz"), ("Oliver Zipse", "amministratore delegato", "BMW"),
    ("Li Shufu", "presidente", "Geely"), ("Santo Ficili", "amministratore delegato", "Alfa Romeo"),
    ("Olivier François", "amministratore delegato", "Fiat"), ("Håkan Samuelsson", "amministratore delegato", "Volvo Cars"),
    ("Stephan Winkelmann", "presidente e amministratore delegato", "Lamborghini"), ("José Muñoz", "amministratore delegato", "Hyundai"),
)
POLITICIANS = (
    ("Adolfo Urso", "ministro delle Imprese e del Made in Italy"), ("Giorgia Meloni", "presidente del Consiglio"),
    ("Ursula von der Leyen", "presidente della Commissione europea"), ("Donald Trump", "presidente degli Stati Uniti"),
    ("Stéphane Séjourné", "commissario europeo all’Industria"), ("Matteo Salvini", "ministro delle Infrastrutture"),
    ("Alberto Cirio", "presidente della Regione Piemonte"), ("Emmanuel Macron", "presidente francese"),
)
PLANTS = ("Mirafiori", "Melfi", "Cassino", "Pomigliano d’Arco", "Termoli", "Atessa", "Modena", "Maranello", "Kragujevac", "Tychy", "Saragozza", "Wolfsburg", "Zwickau", "Hangzhou", "Shenzhen", "Dearborn", "Berlino", "Debrecen")
CITIES = ("Torino", "Milano", "Roma", "Napoli", "Bologna", "Parigi", "Bruxelles", "Berlino", "Monaco di Baviera", "Stoccarda", "Pechino", "Shanghai", "Detroit", "Tokyo", "Madrid", "Ginevra")
COUNTRIES = ("Italia", "Francia", "Germania", "Spagna", "Cina", "Stati Uniti", "Ungheria", "Serbia", "Polonia", "Messico", "Giappone", "Corea del Sud", "Regno Unito", "Turchia", "Marocco", "Brasile")
MODELS = (
    ("Fiat 500e", "Fiat"), ("Fiat Grande Panda", "Fiat"), ("Jeep Avenger", "Jeep"), ("Alfa Romeo Junior", "Alfa Romeo"),
    ("Tesla Model Y", "Tesla"), ("Tesla Model 3", "Tesla"), ("BYD Dolphin", "BYD"), ("BYD Seal", "BYD"), ("BYD Atto 3", "BYD"),
    ("Xiaomi SU7", "Xiaomi"), ("Xiaomi YU7", "Xiaomi"), ("Leapmotor T03", "Leapmotor"), ("Leapmotor B10", "Leapmotor"),
    ("Renault 5 E-Tech", "Renault"), ("Volkswagen ID.3", "Volkswagen"), ("Volkswagen ID.4", "Volkswagen"), ("Ferrari Elettrica", "Ferrari"),
    ("Maserati GranTurismo Folgore", "Maserati"), ("Lancia Ypsilon", "Lancia"), ("Dacia Spring", "Dacia"), ("Peugeot e-208", "Peugeot"),
    ("Volvo EX30", "Volvo Cars"), ("Kia EV3", "Kia"), ("Hyundai Inster", "Hyundai"), ("BMW iX3", "BMW"), ("Nio ET5", "Nio"),
)
MEDIA = ("Financial Times", "Bloomberg", "Reuters", "Il Sole 24 Ore", "Automotive News Europe", "Handelsblatt", "Wall Street Journal", "Corriere della Sera", "la Repubblica", "Nikkei Asia", "South China Morning Post", "Les Echos")
ORGS = ("ACEA", "UNRAE", "Motus-E", "ANFIA", "Commissione europea", "Fim Cisl", "Fiom Cgil", "Uilm", "CATL", "Northvolt", "ACC", "Dataforce", "JATO Dynamics", "Confindustria")
EVENTS = ("Salone di Ginevra", "Salone di Parigi", "IAA Mobility", "Salone di Pechino", "Auto Shanghai", "CES di Las Vegas", "Goodwood Festival of Speed", "Salone di Torino")
FIRST_NAMES = ("Marco", "Giulia", "Luca", "Francesca", "Alessandro", "Chiara", "Davide", "Sara", "Matteo", "Elena", "Paolo", "Federica")
LAST_NAMES = ("Rossi", "Bianchi", "Ferrari", "Russo", "Esposito", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo")
SITES = ("motori24", "autonews", "quattroruote-blog", "ev-italia", "mobilita-oggi", "drivenews")

# ---------------------------------------------------------------------------------------------
# Sentence parts. Slots are filled lazily per sentence (see _Slots); {M} is the article's carmaker.
# ---------------------------------------------------------------------------------------------
FACTS = (
    "{M} ha chiuso il {PERIOD} con {UNITS} veicoli consegnati, in crescita del {PCT} rispetto allo stesso periodo dell’anno precedente.",
    "Nel {PERIOD} le immatricolazioni di auto elettriche in {CTRY} sono salite a {UNITS} unità, pari a una quota del {PCT}.",
    "La {MOD} ha superato quota {UNITS} consegne in appena {DUR}, un traguardo notevole per un marchio arrivato da poco sul mercato.",
    "{M} ha registrato ricavi per {MONEY} nel {PERIOD}, mentre il margine operativo si è fermato al {PCT}.",
    "Lo stabilimento di {PLANT} ha prodotto {UNITS} vetture nel {PERIOD}, secondo i dati diffusi da {ORG}.",
    "La batteria da {KWH} garantisce un’autonomia di {KM} nel ciclo WLTP e si ricarica dal 10 all’80% in {MINUTES}.",
    "Il listino della {MOD} parte da {PRICE}, incentivi esclusi.",
    "{ORG} ha calcolato che il mercato europeo dell’auto elettrica è cresciuto del {PCT} nel {PERIOD}.",
    "Il {DAY} {M} ha presentato a {CITY} la nuova {MOD}, con una potenza di {KW} e un’architettura a {VOLT}.",
    "In {CTRY} {M} impiega {WORKERS} dipendenti distribuiti in {SMALL} stabilimenti.",
    "{M} controlla il {PCT} di {M2} dopo un investimento da {MONEY}.",
    "Le azioni di {M} hanno chiuso la seduta in rialzo del {PCT} alla Borsa di Milano.",
    "Nel {PERIOD} {M} ha venduto in Europa {UNITS} auto, il {PCT} delle quali elettriche.",
    "L’accordo, firmato il {DAY}, vale complessivamente {MONEY} e riguarda la fornitura di celle da parte di {ORG}.",
    "La gigafactory avrà una capacità produttiva di {KWH} all’anno e darà lavoro a {WORKERS} persone.",
    "I sindacati di {ORG} hanno proclamato {SMALL_WORD} ore di sciopero nello stabilimento di {PLANT}.",
    "{P}, {R} di {M}, ha incontrato {G} a {CITY} il {DAY}.",
    "Le consegne della {MOD} sono iniziate a {MONTH} in {CTRY} e nei principali mercati europei.",
)
RUMORS = (
    "Secondo indiscrezioni riportate da {MEDIA}, {M} avrebbe avviato contatti preliminari con {M2} per una possibile joint venture in {CTRY}.",
    "{M} starebbe valutando la produzione della {MOD} nello stabilimento di {PLANT}, secondo quanto riferito da fonti vicine al dossier.",
    "Stando a quanto scrive {MEDIA}, i vertici di {M} e {M2} si sarebbero incontrati a {CITY} il {DAY}.",
    "Le discussioni sarebbero ancora a uno stadio iniziale, ma l’accordo potrebbe valere fino a {MONEY}.",
    "{M} avrebbe già individuato un sito in {CTRY} per la nuova fabbrica di batterie, secondo {MEDIA}.",
    "Secondo fonti sindacali, {M} avrebbe intenzione di ridurre di {WORKERS} unità l’organico di {PLANT}.",
    "Sarebbero in corso trattative tra {M} e {ORG} per la fornitura di batterie LFP a partire dal {YEAR}.",
    "Secondo alcuni media cinesi, {P} avrebbe visitato la sede di {M2} a {CITY} nei giorni scorsi.",
)
SPECULATIONS = (
    "Non è escluso che {M} possa portare in Europa la {MOD} già nel {YEAR}.",
    "L’intesa potrebbe aprire a {M2} le porte del mercato europeo, evitando i dazi introdotti dalla {ORG_EU}.",
    "Gli analisti ritengono che il prezzo della {MOD} potrebbe scendere sotto i {PRICE}.",
    "Se le immagini venissero confermate, l’incontro arriverebbe pochi giorni dopo la presentazione della {MOD}.",
    "Resta da capire se {M} potrebbe decidere di produrre in {CTRY} anche il nuovo SUV compatto.",
    "Una partnership con {M2} potrebbe rafforzare la posizione di {M} nel segmento delle utilitarie elettriche.",
    "Non si può escludere un rinvio del debutto della {MOD} al {YEAR}.",
)
DENIALS = (
    "{M} ha smentito seccamente la ricostruzione: {QOPEN}questa storia è completamente falsa{QCLOSE}.",
    "Un portavoce di {M} ha negato qualsiasi trattativa con {M2}, definendo le indiscrezioni {QOPEN}prive di fondamento{QCLOSE}.",
    "{P} ha escluso la chiusura dello stabilimento di {PLANT}: {QOPEN}non c’è alcun piano in questo senso{QCLOSE}.",
    "{M2} non ha risposto alle richieste di commento, mentre {M} ha smentito la notizia.",
    "Dal quartier generale di {M} arriva una secca smentita: {QOPEN}nessun accordo è sul tavolo{QCLOSE}.",
)
PLANS = (
    "{M} venderà le sue auto elettriche anche al di fuori {CTRY_OWN} a partire dal {YEAR}.",
    "Entro il {YEAR} {M} punta a lanciare {SMALL} nuovi modelli elettrici e ad aprire {STORES} punti vendita.",
    "La produzione della {MOD} a {PLANT} partirà nel {PERIOD_FUT}, con un investimento di {MONEY}.",
    "{M} investirà {MONEY} nei prossimi {YEARS} per la transizione elettrica.",
    "Il nuovo piano industriale prevede di raggiungere il {PCT} di vendite elettriche entro il {YEAR}.",
    "{M} aprirà a {CITY} un centro di ricerca sulle batterie allo stato solido entro la fine del {YEAR}.",
    "Dal {YEAR} tutte le nuove {M} saranno prodotte su piattaforme a {VOLT}.",
    "Il governo stanzierà {MONEY} per gli incentivi all’acquisto di auto elettriche nel {YEAR}.",
)
QUOTES = (
    "{QOPEN}Siamo pronti a competere con chiunque sul mercato europeo{QCLOSE}, ha dichiarato {P}, {R} di {M}.",
    "{QOPEN}Il mercato elettrico sta rallentando, ma non cambieremo strategia{QCLOSE}, ha spiegato {PS} durante la conferenza con gli analisti.",
    "{G}, {GR}, ha avvertito che l’accordo renderebbe l’Europa {QOPEN}ancora più dipendente dalla Cina{QCLOSE}.",
    "{QOPEN}Stiamo costruendo, tassello dopo tassello, nuove opportunità per la filiera{QCLOSE}, ha detto {G}.",
    "Per {P}, {QOPEN}le sfide globali sono opportunità se affrontate con innovazione{QCLOSE}.",
    "{QOPEN}Nei prossimi mesi presenteremo la nuova {MOD}{QCLOSE}, ha annunciato {PS} a margine del {EVT}.",
    "{PS} ha sottolineato che {QOPEN}i dazi non risolvono il problema della competitività{QCLOSE}.",
    "{QOPEN}Abbiamo ordini per i prossimi {DUR}{QCLOSE}, ha aggiunto {PS}.",
)
CONTEXT = (
    "L’ipotesi di una collaborazione con aziende cinesi è però politicamente esplosiva.",
    "Una posizione che riflette le crescenti tensioni tra sicurezza nazionale, politica industriale e transizione elettrica.",
    "Il settore attraversa una fase delicata, tra domanda debole, prezzi in calo e nuovi concorrenti asiatici.",
    "A pesare sono soprattutto i costi dell’energia e la concorrenza dei costruttori cinesi.",
    "La vicenda sarà seguita con attenzione anche a {CITY}, dove il tema dei dazi è al centro del dibattito.",
    "Per il marchio si tratta di un passaggio cruciale, dopo un {PYEAR} chiuso sotto le attese.",
    "Resta aperto il nodo delle infrastrutture di ricarica, ancora insufficienti in molte regioni.",
    "La concorrenza nel segmento delle compatte elettriche è sempre più agguerrita.",
    "Il confronto con l’anno precedente, in termini di veicoli venduti, segnava un incremento superiore al {PCT}.",
    "Ma come la prenderanno i mercati?",
)
# Openers go only before sentences that start with a name or an article ("Intanto, Stellantis ...", "Inoltre, la ...").
OPENER_OK = ("{M}", "{M2}", "{P}", "{G}", "Il ", "La ", "Le ", "Lo ", "I ", "L’", "Nel ", "Entro ", "Dal ", "In ", "Un ", "Una ", "Gli ")
OPENERS = ("", "", "", "", "Intanto, ", "Nel frattempo, ", "Come noto, ", "Inoltre, ", "D’altra parte, ", "Non a caso, ", "Secondo gli analisti, ", "Proprio per questo, ")
TAILS = (", secondo quanto riportato da {MEDIA}", ", come confermato da una nota ufficiale", ", in linea con le attese degli analisti", ", stando ai dati di {ORG}")
HEADINGS = (
    "{M} e {M2}, le tappe dell’accordo", "Cosa cambia per gli stabilimenti italiani", "I numeri della {MOD}",
    "Il nodo dei dazi", "Le reazioni dei sindacati", "Dalla Cina all’Europa", "Il piano per il {YEAR}",
    "Prezzi e autonomia", "La posizione del governo", "Quale potrebbe essere il senso dell’incontro",
)
TITLES = (
    "{M}, accordo con {M2} per la produzione in {CTRY}", "{M} avrebbe avviato contatti con {M2}", "{M}, vendite in crescita del {PCT} nel {PERIOD}",
    "La {MOD} arriva in Europa: prezzi e autonomia", "{M} smentisce: nessuna trattativa con {M2}", "{M} investe {MONEY} nell’elettrico",
    "Stabilimento di {PLANT}, cosa succede ora", "{P}: «pronti a competere in Europa»", "Auto elettriche, il mercato in {CTRY} nel {PERIOD}",
)
QUOTE_MARKS = (("«", "»"), ("“", "”"), ('"', '"'))
# (share of the story's sentences) the article draws from each pool; varied per article in _compose_body.
POOLS = (("fact", FACTS, 0.34), ("rumor", RUMORS, 0.14), ("speculation", SPECULATIONS, 0.1), ("denial", DENIALS, 0.06), ("plan", PLANS, 0.14), ("quote", QUOTES, 0.12), ("context", CONTEXT, 0.10))
NUMBER_WORDS = ("due", "tre", "quattro", "cinque", "sei", "sette", "otto", "dieci", "dodici", "quindici")
MONTHS = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre")
QUARTERS = ("primo trimestre", "secondo trimestre", "terzo trimestre", "quarto trimestre")


@dataclass(frozen=True)
class Vocabulary:
    """Names the generator draws from: KB names where the KB has them, the built-in lists otherwise."""

    makers: tuple[tuple[str, tuple[str, ...]], ...]
    executives: tuple[tuple[str, str, str], ...]
    politicians: tuple[tuple[str, str], ...]
    models: tuple[tuple[str, str], ...]
    plants: tuple[str, ...]
    cities: tuple[str, ...]
    countries: tuple[str, ...]
    media: tuple[str, ...]
    orgs: tuple[str, ...]
    events: tuple[str, ...]


@dataclass
class SynthArticle:
    """One generated article before it is written in some format."""

    title: str
    paragraphs: list[str]
    published: dt.date | None
    precision: str  # day / month / unknown: how much of the date the source gives
    url: str
    boilerplate: list[tuple[int, str]] = field(default_factory=list)  # (insert before paragraph i, line)

    def lines(self) -> list[str]:
        """Paragraphs with the boilerplate lines inserted, as blocks separated by blank lines."""
        extra: dict[int, list[str]] = {}
        for i, line in self.boilerplate:
            extra.setdefault(i, []).append(line)
        out = []
        for i, p in enumerate(self.paragraphs):
            out.extend(extra.get(i, []))
            out.append(p)
        out.extend(extra.get(len(self.paragraphs), []))
        return out


def load_vocabulary(reference_dir: Path | None = None) -> Vocabulary:
    """Read data/reference/kb/*.csv (sorted, so the corpus does not depend on file order) over the built-in lists."""
    rows = _kb_rows(Path(reference_dir or REFERENCE_DIR) / "kb")
    by_id = {r["id"]: r for r in rows}
    name = lambda i: by_id.get(i, {}).get("name") or None  # noqa: E731
    sector = lambda r: (r.get("sector") or "").strip().lower()  # noqa: E731
    aliases = lambda r: tuple(a.strip() for a in (r.get("aliases") or "").split("|") if a.strip())  # noqa: E731
    makers = tuple((r["name"], aliases(r)) for r in rows if r.get("type") == "ORG" and sector(r) in ("automaker", "brand"))
    execs = tuple(
        (r["name"], r.get("role") or "amministratore delegato", name(r.get("parent_id", "")))
        for r in rows
        if r.get("type") == "PER" and sector(r) == "executive" and name(r.get("parent_id", ""))
    )
    pols = tuple((r["name"], r.get("role") or "ministro") for r in rows if r.get("type") == "PER" and sector(r) in ("politician", "government") and r.get("role"))
    models = tuple((r["name"], name(r.get("parent_id", ""))) for r in rows if r.get("type") == "PRODUCT" and name(r.get("parent_id", "")))
    locs = lambda *s: tuple(r["name"] for r in rows if r.get("type") == "LOC" and sector(r) in s)  # noqa: E731
    orgs = lambda *s: tuple(r["name"] for r in rows if r.get("type") == "ORG" and sector(r) in s)  # noqa: E731
    events = tuple(r["name"] for r in rows if r.get("type") == "EVENT")
    return Vocabulary(
        makers=_enough(makers, MAKERS),
        executives=_enough(execs, EXECUTIVES),
        politicians=_enough(pols, POLITICIANS),
        models=_enough(models, MODELS),
        plants=_enough(locs("plant"), PLANTS),
        cities=_enough(locs("city"), CITIES),
        countries=_enough(locs("country"), COUNTRIES),
        media=_enough(orgs("media"), MEDIA),
        orgs=_enough(orgs("union", "trade_body", "battery", "supplier", "agency", "consultancy"), ORGS),
        events=_enough(events, EVENTS),
    )


def _kb_rows(kb_dir: Path) -> list[dict]:
    rows = []
    for path in sorted(kb_dir.glob("*.csv")) if kb_dir.is_dir() else ():
        with path.open(encoding="utf-8", newline="") as fh:
            rows.extend(r for r in csv.DictReader(fh) if r.get("id") and r.get("name"))
    return sorted(rows, key=lambda r: r["id"])


def _enough(found: tuple, builtin: tuple, minimum: int = 4) -> tuple:
    # A thin KB family would make every article mention the same three names: fall back to the built-in list.
    return found if len(found) >= minimum else builtin


class _Slots(dict):
    """Template slots: the article's cast is fixed, numbers and dates are drawn afresh for each use."""

    def __init__(self, rng: random.Random, vocab: Vocabulary, cast: dict, published: dt.date):
        super().__init__(cast)
        self.rnd, self.vocab, self.published = rng.random, vocab, published

    def __missing__(self, key: str) -> str:
        forms = SLOT_FORMS[key]
        rnd = self.rnd
        return forms[int(rnd() * len(forms))](rnd, self.vocab, self.published.year)


def _pick(rnd, seq):
    """rng.choice without its rejection sampling: ~4x faster, and the corpus only needs to be deterministic."""
    return seq[int(rnd() * len(seq))]


def _int(rnd, lo: int, hi: int) -> int:
    """rng.randint(lo, hi), fast (see _pick)."""
    return lo + int(rnd() * (hi - lo + 1))


def _it_int(n: int) -> str:
    """300000 -> '300.000' (Italian thousands separator)."""
    return f"{n:,}".replace(",", ".")


_EUR = ("euro", "euro", "euro", "dollari", "yuan")
# Each slot: alternative forms (functions of the random source, vocabulary and publish year), one drawn per use.
SLOT_FORMS = {
    "UNITS": (lambda r, v, y: _it_int(_int(r, 1200, 9900)), lambda r, v, y: _it_int(_int(r, 10, 990) * 1000), lambda r, v, y: _it_int(_int(r, 1, 60) * 5000)),
    "PCT": (lambda r, v, y: f"{_int(r, 2, 60)}%", lambda r, v, y: f"{_int(r, 1, 40)},{_int(r, 1, 9)}%", lambda r, v, y: f"{_int(r, 2, 30)} per cento"),
    "MONEY": (
        lambda r, v, y: f"{_int(r, 1, 9)},{_int(r, 1, 9)} miliardi di {_pick(r, _EUR)}",
        lambda r, v, y: f"{_int(r, 20, 950)} milioni di {_pick(r, _EUR)}",
        lambda r, v, y: f"{_int(r, 2, 99)},{_int(r, 1, 9)} miliardi di {_pick(r, _EUR)}",
        lambda r, v, y: f"{_int(r, 1, 30)} miliardi di {_pick(r, _EUR)}",
    ),
    "PRICE": (
        lambda r, v, y: f"{_it_int(_int(r, 18, 79) * 1000)} euro", lambda r, v, y: f"{_int(r, 19, 49)},{_int(r, 1, 9)} mila euro",
        lambda r, v, y: f"€ {_it_int(_int(r, 20, 60) * 1000)}", lambda r, v, y: f"{_int(r, 25, 45)}.900 euro",
    ),
    "PERIOD": (
        lambda r, v, y: f"{_pick(r, QUARTERS)} del {y - _int(r, 0, 1)}", lambda r, v, y: f"primo semestre del {y}",
        lambda r, v, y: f"mese di {_pick(r, MONTHS)}", lambda r, v, y: f"{y - 1}",
    ),
    "PERIOD_FUT": (lambda r, v, y: f"{_pick(r, QUARTERS)} del {y + _int(r, 1, 2)}", lambda r, v, y: f"secondo semestre del {y + 1}", lambda r, v, y: f"{y + _int(r, 1, 3)}"),
    "YEAR": (lambda r, v, y: str(y + _int(r, 1, 5)),),
    "PYEAR": (lambda r, v, y: str(y - 1),),
    "DAY": (lambda r, v, y: f"{_int(r, 2, 28)} {_pick(r, MONTHS)}",),
    "MONTH": (lambda r, v, y: _pick(r, MONTHS),),
    "DUR": (lambda r, v, y: f"{_int(r, 2, 24)} mesi", lambda r, v, y: f"{_pick(r, NUMBER_WORDS)} anni", lambda r, v, y: f"{_pick(r, NUMBER_WORDS)} settimane", lambda r, v, y: "tre minuti"),
    "YEARS": (lambda r, v, y: f"{_pick(r, NUMBER_WORDS)} anni",),
    "MINUTES": (lambda r, v, y: f"{_int(r, 15, 40)} minuti",),
    "KWH": (lambda r, v, y: f"{_int(r, 40, 110)} kWh", lambda r, v, y: f"{_int(r, 8, 60)} GWh"),
    "KM": (lambda r, v, y: f"{_int(r, 250, 750)} km",),
    "KW": (lambda r, v, y: f"{_int(r, 80, 580)} kW", lambda r, v, y: f"{_int(r, 110, 900)} cv"),
    "VOLT": (lambda r, v, y: "800 volt", lambda r, v, y: "400 V", lambda r, v, y: "800 V"),
    "WORKERS": (lambda r, v, y: _it_int(_int(r, 3, 250) * 100),),
    "STORES": (lambda r, v, y: _it_int(_int(r, 2, 120) * 100),),
    "SMALL": (lambda r, v, y: str(_int(r, 2, 12)),),
    "SMALL_WORD": (lambda r, v, y: _pick(r, NUMBER_WORDS),),
    "CTRY": (lambda r, v, y: _pick(r, v.countries),),
    "CITY": (lambda r, v, y: _pick(r, v.cities),),
    "ORG": (lambda r, v, y: _pick(r, v.orgs),),
    "MEDIA": (lambda r, v, y: _pick(r, v.media),),
    "EVT": (lambda r, v, y: _pick(r, v.events),),
    "ORG_EU": (lambda r, v, y: "Commissione europea",),
}


def _cast(rng: random.Random, vocab: Vocabulary) -> dict:
    """The article's protagonists, chosen once so that the story is about the same few names."""
    maker, aliases = rng.choice(vocab.makers)
    partner = rng.choice([m for m, _ in vocab.makers if m != maker] or [maker])
    execs = [e for e in vocab.executives if e[2] == maker] or list(vocab.executives)
    person, role, company = rng.choice(execs)
    if company != maker:
        maker = company  # keep the executive and the company together
    models = [m for m, mk in vocab.models if mk == maker] or [m for m, _ in vocab.models]
    pol, pol_role = rng.choice(vocab.politicians)
    qopen, qclose = rng.choice(QUOTE_MARKS)
    return {
        "M": maker, "M_ALIAS": rng.choice(aliases) if aliases else maker, "M2": partner, "P": person, "PS": person.split()[-1],
        "R": role, "G": pol, "GR": pol_role, "MOD": rng.choice(models), "PLANT": rng.choice(vocab.plants),
        "CTRY_OWN": rng.choice(("della Cina", "dell’Europa", "dell’Italia")), "QOPEN": qopen, "QCLOSE": qclose,
    }


def _sentence(rng: random.Random, pool: tuple[str, ...], slots: _Slots, used: set) -> str:
    rnd = slots.rnd
    i = int(rnd() * len(pool))
    if (id(pool), i) in used:  # one retry keeps repetitions rare without an unbounded loop
        i = int(rnd() * len(pool))
    used.add((id(pool), i))
    template = pool[i]
    text = template.format_map(slots)
    if text[-1] == "." and text[-2] not in "”»\"" and rnd() < 0.15:
        text = text[:-1] + _pick(rnd, TAILS).format_map(slots) + "."
    if template.startswith(OPENER_OK):
        opener = _pick(rnd, OPENERS)
        if opener:
            text = opener + (text if template[0] == "{" else text[0].lower() + text[1:])
    return text


def _compose_body(rng: random.Random, vocab: Vocabulary, slots: _Slots) -> tuple[list[str], int]:
    """Paragraphs of 2-4 sentences (and a few subheadings) until the body reaches its target length."""
    rnd = slots.rnd
    weights = [w * (0.3 + 1.4 * rnd()) for _, _, w in POOLS]
    cum = list(itertools.accumulate(weights))
    target = _int(rnd, *BODY_CHARS)
    paragraphs, size, used, headings = [], 0, set(), set()
    while size < target:
        if paragraphs and rnd() < 0.12:
            heading = _pick(rnd, HEADINGS)
            if heading not in headings:
                headings.add(heading)
                paragraphs.append(heading.format_map(slots))
                size += len(paragraphs[-1])
        sentences = []
        for _ in range(_int(rnd, 2, 4)):
            pool = POOLS[bisect.bisect(cum, rnd() * cum[-1])][1]
            sentences.append(_sentence(rng, pool, slots, used))
        para = " ".join(sentences)
        paragraphs.append(para)
        size += len(para) + 2
    return paragraphs, len(paragraphs)


def _boilerplate(rng: random.Random, n_paragraphs: int, slots: _Slots) -> list[tuple[int, str]]:
    """Web boilerplate lines and where they go (the ingest stage must remove every one of them)."""
    lines = []
    pick = lambda: rng.randint(1, max(1, n_paragraphs - 1))  # noqa: E731
    if rng.random() < 0.5:
        lines.append((1, f"{rng.choice(('Crediti', 'Foto', 'Credits'))}: {slots['M']}"))
    if rng.random() < 0.35:
        lines.append((pick(), f"Segui {slots['M']} Italia su Telegram, ricevi news e offerte per primo"))
    if rng.random() < 0.4:
        lines.append((pick(), f"Leggi anche: {rng.choice(TITLES).format_map(slots)}"))
    if rng.random() < 0.3:
        lines.append((0 if rng.random() < 0.5 else 1, f"{rng.randint(3, 999)} CONDIVISIONI"))
    if rng.random() < 0.15:
        lines.append((pick(), "video suggerito"))
    if rng.random() < 0.2:
        lines.append((n_paragraphs, f"A cura di {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"))
    if rng.random() < 0.15:
        lines.append((n_paragraphs, "***** l’articolo pubblicato è ritenuto affidabile e di qualità*****"))
    if rng.random() < 0.2:
        lines.append((n_paragraphs, rng.choice(("© RIPRODUZIONE RISERVATA", "Leggi su Motori24", "Tempo di lettura: 3 minuti"))))
    return lines


def compose_article(rng: random.Random, vocab: Vocabulary, number: int) -> SynthArticle:
    """Pure given the generator state: one new article."""
    published = FIRST_DATE + dt.timedelta(days=rng.randrange(DATE_SPAN_DAYS))
    slots = _Slots(rng, vocab, _cast(rng, vocab), published)
    paragraphs, n = _compose_body(rng, vocab, slots)
    title = rng.choice(TITLES).format_map(slots)
    precision = rng.choices(("day", "month", "unknown"), weights=(0.7, 0.15, 0.15))[0]
    slug = hashlib.blake2s(f"{number}|{title}".encode(), digest_size=5).hexdigest()
    url = f"https://www.{rng.choice(SITES)}.it/{published:%Y/%m}/{slug}"
    return SynthArticle(title, paragraphs, published, precision, url, _boilerplate(rng, n, slots))


def _near_duplicate(rng: random.Random, vocab: Vocabulary, art: SynthArticle, number: int) -> SynthArticle:
    """The same story republished: one sentence rewritten, a number changed, other boilerplate."""
    paragraphs = list(art.paragraphs)
    i = rng.randrange(len(paragraphs))
    slots = _Slots(rng, vocab, _cast(rng, vocab), art.published or FIRST_DATE)
    paragraphs[i] = paragraphs[i] + " " + _sentence(rng, CONTEXT, slots, set())
    slug = hashlib.blake2s(f"near|{number}".encode(), digest_size=5).hexdigest()
    return replace(art, paragraphs=paragraphs, boilerplate=_boilerplate(rng, len(paragraphs), slots), url=art.url + f"-{slug}")


def _txt(art: SynthArticle) -> str:
    body = "\n\n".join(art.lines())
    if art.precision == "day":
        return f" date {art.published.isoformat()} {body}\n"
    if art.precision == "month":
        return f" date {art.published:%Y-%m} {body}\n"
    return body + "\n"


def _field_date(rng: random.Random, art: SynthArticle) -> str:
    if art.precision == "unknown":
        return ""
    if art.precision == "month":
        return f"{art.published:%Y-%m}"
    d = art.published
    return rng.choice((d.isoformat(), f"{d.isoformat()}T{rng.randint(6, 22):02d}:{rng.randint(0, 59):02d}:00+01:00", f"{d:%d/%m/%Y}"))


def _html(art: SynthArticle) -> str:
    esc = html.escape
    meta = f'<meta property="article:published_time" content="{art.published.isoformat()}T08:00:00+01:00">' if art.precision != "unknown" else ""
    blocks = []
    for line in art.lines():
        tag = "h2" if not line.endswith((".", "?", "!", "»", "”", '"')) and len(line) < 90 else "p"
        blocks.append(f"<{tag}>{esc(line)}</{tag}>")
    return (
        "<!DOCTYPE html>\n<html lang=\"it\"><head><meta charset=\"utf-8\">"
        f"<title>{esc(art.title)}</title>{meta}<link rel=\"canonical\" href=\"{esc(art.url)}\"></head>\n<body>\n"
        "<header><nav><a href=\"/\">Home</a> | <a href=\"/auto\">Auto</a> | <a href=\"/elettriche\">Elettriche</a> | <a href=\"/mercato\">Mercato</a></nav></header>\n"
        f"<main><article><h1>{esc(art.title)}</h1>\n" + "\n".join(blocks) + "\n</article></main>\n"
        "<aside><h3>Più letti</h3><ul><li><a href=\"/a\">Incentivi auto, cosa cambia</a></li><li><a href=\"/b\">Le auto più vendute del mese</a></li></ul></aside>\n"
        "<footer><p>© RIPRODUZIONE RISERVATA - P.IVA 01234567890</p><p>Questo sito usa cookie: accetta o rifiuta nelle impostazioni</p></footer>\n</body></html>\n"
    )


class _RecordFiles:
    """Buffers records of one multi-record format and writes them RECORDS_PER_FILE at a time."""

    def __init__(self, folder: Path, fmt: str, prefix: str):
        self.folder, self.fmt, self.prefix, self.rows, self.n_files = folder, fmt, prefix, [], 0

    def add(self, row: dict) -> None:
        self.rows.append(row)
        if len(self.rows) >= RECORDS_PER_FILE:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{self.prefix}-{self.n_files:02d}.{self.fmt}"
        if self.fmt == "jsonl":
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in self.rows), encoding="utf-8")
        else:
            buf = io.StringIO()
            # Italian column names in every other file: the readers accept both.
            header = ("titolo", "testo", "data", "link") if self.n_files % 2 else ("title", "text", "date", "url")
            w = csv.writer(buf, lineterminator="\n")
            w.writerow(header)
            w.writerows([r["title"], r["text"], r["date"], r["url"]] for r in self.rows)
            path.write_text(buf.getvalue(), encoding="utf-8")
        self.rows, self.n_files = [], self.n_files + 1


def write_synthetic_corpus(n: int, seed: int, out: Path, workers: int | None = None) -> dict:
    """Write n articles under out/synth-s<seed>/ in txt, jsonl, csv and html; byte-identical for any `workers`."""
    from pipeline.engines.local import default_workers, map_ordered

    root = Path(out) / f"synth-s{seed}"
    vocab = load_vocabulary()
    tasks = ((seed, c, range(c * CHUNK_ARTICLES, min(n, (c + 1) * CHUNK_ARTICLES)), root, vocab) for c in range(-(-n // CHUNK_ARTICLES)))
    totals: Counter = Counter()
    for counts in map_ordered(_write_chunk, tasks, workers or default_workers()):
        totals.update(counts)
    return {
        "articles": n,
        "files": totals["files"],
        "chars": totals["chars"],
        "formats": {f: totals[f] for f, _ in FORMAT_WEIGHTS},
        "exact_duplicates": totals["exact_duplicates"],
        "near_duplicates": totals["near_duplicates"],
        "folder": str(root),
    }


def _write_chunk(args: tuple[int, int, range, Path, Vocabulary]) -> Counter:
    """Write one chunk of articles; its own random stream (seed, chunk) keeps the output independent of scheduling."""
    seed, chunk, numbers, root, vocab = args
    rng = random.Random(f"{seed}/{chunk}")
    records = {fmt: _RecordFiles(root / fmt, fmt, f"batch-{chunk:05d}") for fmt in ("jsonl", "csv")}
    recent: deque[SynthArticle] = deque(maxlen=RECENT_POOL)
    formats, weights = zip(*FORMAT_WEIGHTS)
    counts: Counter = Counter()
    for k in numbers:
        roll = rng.random()
        if recent and roll < EXACT_DUPLICATE_RATE:
            art = replace(rng.choice(recent), boilerplate=[])  # same body, other page furniture
            counts["exact_duplicates"] += 1
        elif recent and roll < EXACT_DUPLICATE_RATE + NEAR_DUPLICATE_RATE:
            art = _near_duplicate(rng, vocab, rng.choice(recent), k)
            counts["near_duplicates"] += 1
        else:
            art = compose_article(rng, vocab, k)
            recent.append(art)
        fmt = rng.choices(formats, weights=weights)[0]
        counts[fmt] += 1
        if fmt in records:
            text = "\n\n".join(art.lines())
            counts["chars"] += len(text)
            records[fmt].add({"title": art.title, "text": text, "date": _field_date(rng, art), "url": art.url})
            continue
        folder = root / fmt / f"{k // FILES_PER_FOLDER:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        content = _txt(art) if fmt == "txt" else _html(art)
        (folder / f"{k:07d}.{fmt}").write_text(content, encoding="utf-8")
        counts["chars"] += len(content)
        counts["files"] += 1
    for r in records.values():
        r.flush()
        counts["files"] += r.n_files
    return counts
