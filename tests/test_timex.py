"""timex.rules.v1: one test per rule on tiny fixtures, and properties of offsets and values (hypothesis)."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.registry import get_extractor
from pipeline.extract.timex import make_timex_rules
from pipeline.schema import TIME_EXPRESSIONS
from pipeline.text import split_sentences

EXTRACTOR = make_timex_rules()
VALUE_RE = re.compile(r"^\d{4}(?:-Q[1-4]|-\d{2}(?:-\d{2})?)?$")


def rows(text: str, published: dt.date | None = None, precision: str = "unknown") -> list[dict]:
    return EXTRACTOR.extract(text, split_sentences(text), "a_test", published, precision)


def values(text: str, published: dt.date | None = None, precision: str = "unknown") -> list[tuple]:
    """(surface, value, value_end, granularity, anchor) of every row."""
    return [(r["surface"], r["value"], r["value_end"], r["granularity"], r["anchor"]) for r in rows(text, published, precision)]


DEC_2024 = (dt.date(2024, 12, 1), "month")
FEB_2025 = (dt.date(2025, 2, 1), "month")
SEP_24_2025 = (dt.date(2025, 9, 24), "day")


def test_registered_under_versioned_name_with_contract_columns():
    ex = get_extractor("timex.rules.v1")(None)
    assert ex.name == "timex.rules.v1"
    out = ex.extract("Arriverà nel 2027.", split_sentences("Arriverà nel 2027."), "a1", None, "unknown")
    assert set(out[0]) == set(TIME_EXPRESSIONS.column_names)
    assert out[0]["article_id"] == "a1" and out[0]["sentence_id"] == 0


# ---- years ---------------------------------------------------------------------------------------


def test_years_with_their_cue_words():
    assert values("Xiaomi è entrata nel settore nel 2024 e venderà entro il 2030, a partire dal 2027; fondata nel 2015.") == [
        ("nel 2024", "2024", None, "year", "absolute"),
        ("entro il 2030", "2030", None, "year", "absolute"),
        ("a partire dal 2027", "2027", None, "year", "absolute"),
        ("nel 2015", "2015", None, "year", "absolute"),
    ]
    assert values("A fine 2024 il confronto era positivo.")[0][:2] == ("A fine 2024", "2024")


def test_year_ranges_and_lists():
    assert values("Tra il 2028 e il 2030 e dal 2025 al 2027, poi 2031-2035.") == [
        ("Tra il 2028 e il 2030", "2028", "2030", "year", "absolute"),
        ("dal 2025 al 2027", "2025", "2027", "year", "absolute"),
        ("2031-2035", "2031", "2035", "year", "absolute"),
    ]
    # "per il 2025 e il 2026" is two years, not a range
    assert [v[1] for v in values("L'aumento previsto per il 2025 e il 2026.")] == ["2025", "2026"]


def test_decades_amounts_and_codes_are_not_years():
    assert values("Gli anni 2000 e gli anni '90; costa 2000 euro; la SU7 2024X; il 3.2024.") == []


# ---- months, days, intervals ---------------------------------------------------------------------


def test_month_without_year_is_the_most_recent_past_one():
    assert values("Le parole risalgono a luglio.", *DEC_2024) == [("a luglio", "2024-07", None, "month", "relative")]
    # a month after the publish month, with no future cue, is last year's
    assert values("Lo aveva detto a ottobre.", *FEB_2025)[0][1] == "2024-10"


def test_month_with_future_cue_or_tense_is_the_next_one():
    assert values("La prima Ferrari elettrica arriverà già a ottobre.", *FEB_2025)[0][1] == "2025-10"
    assert values("La scelta è attesa entro giugno.", *DEC_2024)[0][1] == "2025-06"
    assert values("Le prime consegne sono previste a marzo.", dt.date(2025, 2, 26), "day")[0][1] == "2025-03"


def test_month_of_this_last_next_year():
    assert values("Avvistata a luglio di quest’anno.", *DEC_2024)[0][:2] == ("a luglio di quest’anno", "2024-07")
    assert values("Arriverà ad ottobre di quest'anno.", *FEB_2025)[0][1] == "2025-10"
    assert values("La scelta è attesa entro giugno del prossimo anno.", *DEC_2024)[0][1] == "2025-06"
    assert values("Era successo a marzo dello scorso anno.", *DEC_2024)[0][1] == "2023-03"


def test_month_with_year():
    assert values("Guidava il gruppo dal gennaio 2021 e da marzo del 2024.") == [
        ("dal gennaio 2021", "2021-01", None, "month", "absolute"),
        ("da marzo del 2024", "2024-03", None, "month", "absolute"),
    ]


def test_month_ranges():
    assert values("Tra gennaio e settembre la produzione è calata.", dt.date(2024, 12, 18), "day") == [
        ("Tra gennaio e settembre", "2024-01", "2024-09", "month", "relative")
    ]


def test_days():
    assert values("La missione è proseguita il 24 aprile.") == [("il 24 aprile", None, None, "day", "unresolved")]
    assert values("La missione è proseguita il 24 aprile.", dt.date(2025, 5, 2), "day")[0][1] == "2025-04-24"
    assert values("L’11 ottobre era stato ascoltato.", dt.date(2024, 12, 2), "day")[0][:2] == ("L’11 ottobre", "2024-10-11")
    assert values("Dal 1° gennaio 2025 e lunedì 3 marzo 2025, o il 24/04/2025.") == [
        ("Dal 1° gennaio 2025", "2025-01-01", None, "day", "absolute"),
        ("lunedì 3 marzo 2025", "2025-03-03", None, "day", "absolute"),
        ("il 24/04/2025", "2025-04-24", None, "day", "absolute"),
    ]
    # "primo" before a month is its first day; before "trimestre" it stays a quarter
    got = values("Il titolo è crollato il primo novembre, nel primo trimestre.", dt.date(2024, 1, 30), "day")
    assert [v[:2] for v in got] == [("il primo novembre", "2023-11-01"), ("nel primo trimestre", "2024-Q1")]


def test_day_intervals():
    assert values("Un incontro tenutosi fra il 14 e il 15 febbraio scorsi.", *FEB_2025) == [
        ("fra il 14 e il 15 febbraio scorsi", "2025-02-14", "2025-02-15", "day", "relative")
    ]


@pytest.mark.parametrize(
    "text, published, value",
    [
        ("Già nel secondo semestre il flusso di cassa dovrebbe migliorare.", dt.date(2025, 7, 30), "2025"),
        ("Nel secondo semestre i ricavi sono calati.", dt.date(2025, 2, 10), "2024"),  # last year's results
        ("Nel secondo semestre i ricavi cresceranno.", dt.date(2025, 2, 10), "2025"),
        ("Nella seconda metà dell’anno i ricavi cresceranno.", dt.date(2025, 2, 10), "2025"),
        ("Nella seconda metà della gara ha perso.", dt.date(2025, 2, 10), None),  # no date
    ],
)
def test_half_years_without_a_year(text, published, value):
    got = values(text, published, "day")
    assert ([v[1] for v in got] or [None]) == [value]


def test_participle_of_a_future_passive_is_future():
    body = "L’azienda ha confermato che le consegne saranno comunicate all’inizio di gennaio."
    assert values(body, dt.date(2025, 11, 7), "day")[0][:2] == ("all’inizio di gennaio", "2026-01")
    assert values("I dati sono stati comunicati a gennaio.", dt.date(2025, 11, 7), "day")[0][:2] == ("a gennaio", "2025-01")


def test_past_participle_beats_a_later_future_verb():
    text = "Il modello è stato presentato il 15 settembre e arriverà nelle concessionarie a gennaio."
    assert [v[1] for v in values(text, dt.date(2025, 2, 20), "day")] == ["2024-09-15", "2026-01"]


# ---- quarters, halves ----------------------------------------------------------------------------


def test_quarters():
    assert values("Nel quarto trimestre del 2024 e nel Q3 2025, poi nel 1° trimestre 2026.") == [
        ("Nel quarto trimestre del 2024", "2024-Q4", None, "quarter", "absolute"),
        ("nel Q3 2025", "2025-Q3", None, "quarter", "absolute"),
        ("nel 1° trimestre 2026", "2026-Q1", None, "quarter", "absolute"),
    ]
    assert values("Nel terzo trimestre le consegne sono calate.", dt.date(2024, 12, 21), "day")[0][1] == "2024-Q3"
    assert values("Il primo trimestre dell'anno è stato debole.", dt.date(2024, 12, 21), "day")[0][1] == "2024-Q1"


def test_half_years_and_seasons_give_the_year():
    assert [v[1:4] for v in values("Nel primo semestre 2025, nella seconda metà del 2026 e nell'estate 2027.")] == [
        ("2025", None, "year"),
        ("2026", None, "year"),
        ("2027", None, "year"),
    ]


# ---- relative expressions ------------------------------------------------------------------------


def test_relative_years():
    assert [v[1] for v in values("Quest'anno più dell'anno scorso, meno dell'anno prossimo; lo scorso anno e il prossimo anno.", *FEB_2025)] == [
        "2025", "2024", "2026", "2024", "2026"
    ]
    assert values("Quest'anno andrà meglio.") == [("Quest'anno", None, None, "year", "unresolved")]
    assert values("Entro fine anno.", *FEB_2025)[0][1] == "2025"


def test_year_before_the_last_one_mentioned():
    assert values("A fine 2024 il confronto con l’anno precedente era positivo.", *FEB_2025)[1][:2] == ("l’anno precedente", "2023")


def test_today_yesterday_tomorrow_need_a_day_precise_publish_date():
    assert [v[:2] for v in values("Lo ha detto ieri sera; oggi la nota; domani il voto.", *SEP_24_2025)] == [
        ("ieri", "2025-09-23"),
        ("oggi", "2025-09-24"),
        ("domani", "2025-09-25"),
    ]
    assert [v[1] for v in values("Lo ha detto ieri.", *FEB_2025)] == [None]
    assert values("Il keynote odierno.", *SEP_24_2025)[0][:2] == ("odierno", "2025-09-24")
    assert values("Stamattina il titolo ha aperto in calo.", dt.date(2024, 12, 2), "day")[0][:2] == ("Stamattina", "2024-12-02")


def test_generic_today_and_tomorrow_are_skipped():
    assert values("Le Ferrari elettriche di domani e le auto di oggi.", *SEP_24_2025) == []


def test_months_relative():
    assert [v[1] for v in values("Il mese scorso e il prossimo mese.", *FEB_2025)] == ["2025-01", "2025-03"]


def test_weekdays():
    assert values("Lunedì scorso ha parlato.", dt.date(2025, 9, 24), "day")[0][1] == "2025-09-22"
    assert values("Ogni lunedì c'è riunione.", dt.date(2025, 9, 24), "day") == []


# ---- not time expressions ------------------------------------------------------------------------


def test_vague_periods_and_durations_are_not_extracted():
    text = "Negli ultimi anni, nei prossimi mesi e da mesi; in pochi anni, per cinque anni, in 15 mesi; in futuro."
    assert values(text, *FEB_2025) == []


# ---- offsets and values on random text -----------------------------------------------------------

FRAGMENTS = [
    "nel 2024", "entro il", "2030", "a luglio", "di quest’anno", "il 24 aprile", "fra il 14 e il 15 febbraio",
    "scorsi", "quarto trimestre del 2024", "Q3", "oggi", "ieri", "domani", "l'anno scorso", "fine 2024", "a",
    "partire dal", "2027", "lunedì", "3", "marzo", "1°", "gennaio", "anni", "'90", "2000 euro", "1.500", "e", ",",
    ".", "\n", "«", "’", "tra", "gennaio e settembre", "odierno", "primo semestre", "dell’anno", "2025-2026",
    "24/04/2025", "il", "del", "ottobre", "Aprile", "\u00a0", "İ", "Q5", "31", "febbraio", "30",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(FRAGMENTS), max_size=40),
    st.lists(st.sampled_from([" ", "", "  ", "\n"]), min_size=40, max_size=40),
    st.sampled_from([(None, "unknown"), (dt.date(2025, 2, 1), "month"), (dt.date(2024, 12, 31), "day"), (dt.date(2024, 1, 1), "year")]),
)
def test_offsets_and_values_hold_on_random_text(parts, seps, publish):
    text = "".join(p + s for p, s in zip(parts, seps))
    sentences = split_sentences(text)
    out = EXTRACTOR.extract(text, sentences, "a_x", *publish)
    last_end = 0
    for r in out:
        assert text[r["start"] : r["end"]] == r["surface"] and r["surface"]
        assert r["start"] >= last_end
        last_end = r["end"]
        assert r["granularity"] in ("year", "quarter", "month", "day")
        assert r["anchor"] in ("absolute", "relative", "unresolved")
        assert (r["value"] is None) == (r["anchor"] == "unresolved")
        for v in (r["value"], r["value_end"]):
            assert v is None or VALUE_RE.match(v)
        assert r["value_end"] is None or r["value_end"] > r["value"]
        assert 0 <= r["sentence_id"] < len(sentences)


def test_ago_counts_back_from_the_publish_date():
    assert values("Appena una settimana fa i sindacati avevano protestato.", *SEP_24_2025) == [
        ("una settimana fa", "2025-09-17", None, "day", "relative")
    ]
    assert values("Due anni fa la fabbrica era chiusa; tre mesi fa ha riaperto e 10 giorni fa ha assunto.", *SEP_24_2025) == [
        ("Due anni fa", "2023", None, "year", "relative"),
        ("tre mesi fa", "2025-06", None, "month", "relative"),
        ("10 giorni fa", "2025-09-14", None, "day", "relative"),
    ]
    # the publish date must be known to the expression's granularity; "per un anno fa" is "for a year, (s)he does"
    assert values("Tre giorni fa ha firmato.", *DEC_2024) == [("Tre giorni fa", None, None, "day", "unresolved")]
    assert values("Per un anno fa il pendolare tra Torino e Milano.", *SEP_24_2025) == []


def test_parts_of_a_year_name_the_year_and_three_months_its_quarter():
    assert values("Nei primi nove mesi dell’anno le vendite sono salite.", *SEP_24_2025) == [
        ("primi nove mesi dell’anno", "2025", None, "year", "relative")
    ]
    assert values("Negli ultimi tre mesi del 2024 il calo è stato netto.", *SEP_24_2025) == [
        ("ultimi tre mesi del 2024", "2024-Q4", None, "quarter", "absolute")
    ]
    assert values("Nei primi tre mesi dell’anno le vendite sono salite.", *SEP_24_2025) == [
        ("primi tre mesi dell’anno", "2025-Q1", None, "quarter", "relative")
    ]
    assert values("Negli ultimi anni il mercato è cambiato.", *SEP_24_2025) == []


def test_a_day_month_near_the_publish_date_is_not_a_year_away():
    # the tense says past, but the 17th of the same month or a date a day later is this year's
    assert values("Il tavolo è già convocato per il 17 dicembre.", dt.date(2024, 12, 2), "day") == [
        ("per il 17 dicembre", "2024-12-17", None, "day", "relative")
    ]
    assert values("Venerdì 27 giugno è stato il giorno delle prime consegne.", dt.date(2025, 6, 26), "day")[0][1] == "2025-06-27"
    # a weekday written with the date picks the year it fits: 20 January was a Monday in 2025, not in 2024
    assert values("Lunedì 20 gennaio il modello era stato presentato.", dt.date(2025, 12, 5), "day")[0][1] == "2025-01-20"
    assert values("Il modello era stato presentato il 20 gennaio.", dt.date(2024, 12, 5), "day")[0][1] == "2024-01-20"


def test_a_quarter_just_ended_and_one_of_this_year():
    assert values("Tesla presenterà i conti del primo trimestre.", dt.date(2024, 4, 6), "day")[0][1] == "2024-Q1"
    assert values("La prima elettrica sarà presentata nel quarto trimestre dell’anno.", dt.date(2025, 2, 4), "day")[0][1] == "2025-Q4"


def test_the_day_of_a_sitting_is_a_date_and_the_cars_of_today_an_era():
    assert [v[1] for v in values("Il titolo ha chiuso la seduta di oggi in calo.", dt.date(2024, 12, 2), "day")] == ["2024-12-02"]
    assert values("Le auto di oggi sono più care.", dt.date(2024, 12, 2), "day") == []


@pytest.mark.parametrize(
    ("text", "published", "value"),
    [
        ("L'associazione presenterà a inizio anno un nuovo censimento.", dt.date(2025, 11, 10), "2026"),
        ("L'associazione presenterà a inizio anno un nuovo censimento.", dt.date(2025, 5, 10), "2025"),
        ("A fine anno le vendite erano calate del 3%.", dt.date(2025, 2, 10), "2024"),
        ("A fine anno le vendite cresceranno del 3%.", dt.date(2025, 2, 10), "2025"),
    ],
)
def test_the_turn_of_the_year_by_tense(text, published, value):
    assert [r["value"] for r in rows(text, published, "day")] == [value]


def test_the_year_before_after_a_preposition():
    text = "Nel 2024 Maserati ha consegnato 11.000 auto, meno della metà rispetto all'anno precedente."
    assert [r["value"] for r in rows(text, dt.date(2025, 3, 1), "day")] == ["2024", "2023"]


def test_the_end_or_start_of_the_month_is_the_publish_month_and_fino_a_looks_ahead():
    assert values("La sentenza è attesa entro la fine del mese.", dt.date(2023, 10, 20), "day") == [
        ("entro la fine del mese", "2023-10", None, "month", "relative")
    ]
    assert values("La cassa integrazione è stata prorogata fino a marzo.", dt.date(2025, 1, 9), "day")[0][1] == "2025-03"


def test_a_month_range_shaped_like_a_quarter_is_that_quarter():
    assert values("Tra luglio e settembre le consegne sono calate.", dt.date(2024, 10, 30), "day")[0][:4] == ("Tra luglio e settembre", "2024-Q3", None, "quarter")
    assert values("Tra gennaio e settembre le consegne sono calate.", dt.date(2024, 10, 30), "day")[0][1:4] == ("2024-01", "2024-09", "month")


def test_participles_of_reporting_look_back_and_intentions_look_ahead():
    # "indicato a febbraio" in July is last February; "intendono verificare ... a gennaio" in December is next January
    assert values("Il margine è atteso al 6,5%, contro il 7% indicato a febbraio.", dt.date(2025, 7, 16), "day")[0][1] == "2025-02"
    assert values("I sindacati, convocati di nuovo a gennaio, intendono verificare gli impegni.", dt.date(2024, 12, 18), "day")[0][1] == "2025-01"
