"""quantities.rules.v1 and the Italian number parser: one test per rule, and properties (hypothesis)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.numbers import parse_digits, parse_number, parse_number_word
from pipeline.extract.quantities import make_quantity_rules
from pipeline.extract.registry import get_extractor
from pipeline.schema import QUANTITIES
from pipeline.text import split_sentences

EXTRACTOR = make_quantity_rules()


def rows(text: str) -> list[dict]:
    return EXTRACTOR.extract(text, split_sentences(text), "a_test")


def found(text: str) -> list[tuple]:
    """(surface, value, unit) of every row."""
    return [(r["surface"], r["value"], r["unit"]) for r in rows(text)]


# ---- the number parser ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("300.000", 300_000),
        ("93,5", 93.5),
        ("1,5 miliardi", 1_500_000_000),
        ("93,5 miliardi", 93_500_000_000),
        ("29,9 mila", 29_900),
        ("10 mila", 10_000),
        ("25mila", 25_000),
        ("1.000.000,25", 1_000_000.25),
        ("20%", 20),
        ("tre", 3),
        ("dieci", 10),
        ("venti", 20),
        ("ventitré", 23),
        ("centottanta", 180),
        ("duecentomila", 200_000),
        ("un paio", 2),
        ("una decina", 10),
        ("mezzo milione", 500_000),
        ("un milione e mezzo", 1_500_000),
        ("tre milioni", 3_000_000),
        ("2 mln", 2_000_000),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("text", ["centinaia", "migliaia", "uno", "zero", "mila", "terzo", "prima", "centro", "trento"])
def test_parse_number_rejects_vague_words_articles_and_ordinals(text):
    assert parse_number(text) is None


def test_number_words_reject_non_numerals():
    assert parse_number_word("tretrenta") is None
    assert parse_number_word("ventuno") == 21


def _it_thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@given(st.integers(min_value=0, max_value=10**12))
def test_digits_roundtrip_italian_thousands(n):
    text = _it_thousands(n)
    assert parse_digits(text) == n
    assert parse_number(text) == n


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_decimal_comma_roundtrip(whole, cents):
    text = f"{_it_thousands(whole)},{cents:02d}"
    assert parse_number(text) == pytest.approx(whole + cents / 100, rel=1e-12)


@given(st.decimals(min_value=1, max_value=999, places=1), st.sampled_from([("mila", 1e3), ("milioni", 1e6), ("miliardi", 1e9)]))
def test_scaled_roundtrip(d, scale):
    word, factor = scale
    text = f"{str(d).replace('.', ',')} {word}"
    assert parse_number(text) == pytest.approx(float(d) * factor, rel=1e-9)


UNITS_IT = ["", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove", "dieci", "undici", "dodici",
            "tredici", "quattordici", "quindici", "sedici", "diciassette", "diciotto", "diciannove"]
TENS_IT = ["", "", "venti", "trenta", "quaranta", "cinquanta", "sessanta", "settanta", "ottanta", "novanta"]


def _below_thousand(n: int) -> str:
    # Reference spelling of Italian cardinals: vowel elision before uno/otto, accented tré at the end.
    hundreds, rest = divmod(n, 100)
    head = "" if hundreds == 0 else "cento" if hundreds == 1 else UNITS_IT[hundreds] + "cento"
    if rest < 20:
        tail = UNITS_IT[rest]
    else:
        tens, unit = divmod(rest, 10)
        t = TENS_IT[tens]
        if unit in (1, 8):
            t = t[:-1]
        tail = t + ("tré" if unit == 3 else UNITS_IT[unit])
    if head and tail.startswith("o"):  # centottanta, centotto
        head = head[:-1]
    return head + tail


def to_italian_words(n: int) -> str:
    thousands, rest = divmod(n, 1000)
    head = "" if thousands == 0 else "mille" if thousands == 1 else _below_thousand(thousands) + "mila"
    return head + (_below_thousand(rest) if rest else "")


@given(st.integers(min_value=2, max_value=999_999))
def test_written_numbers_roundtrip(n):
    assert parse_number(to_italian_words(n)) == n


# ---- the extractor: contract ---------------------------------------------------------------------


def test_registered_under_versioned_name_with_contract_columns():
    ex = get_extractor("quantities.rules.v1")(None)
    assert ex.name == "quantities.rules.v1"
    out = ex.extract("Sono state consegnate 300.000 auto.", split_sentences("Sono state consegnate 300.000 auto."), "a1")
    assert set(out[0]) == set(QUANTITIES.column_names)
    assert out[0]["article_id"] == "a1" and out[0]["sentence_id"] == 0 and out[0]["claim_id"] is None


# ---- the extractor: one test per rule ------------------------------------------------------------


def test_counts_with_the_counted_noun():
    assert [(r["surface"], r["value"], r["unit"], r["counted"]) for r in rows("Ha superato quota 300.000 consegne in 15 mesi.")] == [
        ("300.000 consegne", 300000.0, "count", "consegne"),
        ("15 mesi", 15.0, "month", None),
    ]
    assert rows("Il Michigan conta oltre 950 impianti produttivi.")[0]["counted"] == "impianti"
    assert rows("Presenterà tre nuovi modelli.")[0]["counted"] == "modelli"
    assert rows("Ha venduto 2 milioni di auto.")[0]["counted"] == "auto"


def test_currencies_after_and_before_the_number():
    assert found("Un gap di 93,5 miliardi di dollari.") == [("93,5 miliardi di dollari", 93_500_000_000.0, "USD")]
    assert found("Un accordo da 1,5 miliardi di euro.") == [("1,5 miliardi di euro", 1_500_000_000.0, "EUR")]
    assert found("Costa 29,9 mila dollari.") == [("29,9 mila dollari", 29_900.0, "USD")]
    assert found("Parte da € 25.000 e arriva a 32.900 €.") == [("€ 25.000", 25000.0, "EUR"), ("32.900 €", 32900.0, "EUR")]
    assert found("Il prezzo è di $40.000.") == [("$40.000", 40000.0, "USD")]


@pytest.mark.parametrize(
    "text, unit",
    [
        ("500 milioni di yuan", "CNY"),
        ("500 milioni di renminbi", "CNY"),
        ("30.000 sterline", "GBP"),
        ("10 miliardi di yen", "JPY"),
        ("5 miliardi di corone svedesi", "SEK"),
        ("100 milioni di fiorini", "HUF"),
        ("2.000 miliardi di won", "KRW"),
        ("45.000 franchi svizzeri", "CHF"),
        ("800 milioni di rupie", "INR"),
        ("50 milioni di dollari australiani", "AUD"),
        ("5,5 miliardi di real", "BRL"),
        ("2 miliardi di reais", "BRL"),
        ("HK$ 306,2", "HKD"),
        ("R$ 150 mila", "BRL"),
        ("US$ 25.000", "USD"),
    ],
)
def test_currency_names_to_iso_4217(text, unit):
    assert [r["unit"] for r in rows(f"Vale {text}.")] == [unit]


def test_percentages():
    assert found("Calo del 20% e margine del 7 per cento, più 2 punti percentuali.") == [
        ("20%", 20.0, "%"),
        ("7 per cento", 7.0, "%"),
        ("2 punti percentuali", 2.0, "%"),
    ]


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("tre minuti", 3, "minute"),
        ("24 ore", 24, "hour"),
        ("sette giorni", 7, "day"),
        ("due settimane", 2, "week"),
        ("15 mesi", 15, "month"),
        ("per cinque anni", 5, "year"),
        ("un paio d'anni", 2, "year"),
        ("un paio d’anni", 2, "year"),
        ("oltre un anno", 1, "year"),
        ("più di una settimana", 1, "week"),
        ("30 secondi", 0.5, "minute"),
    ],
)
def test_durations(text, value, unit):
    assert [(r["value"], r["unit"]) for r in rows(f"Ci vorranno {text}.")] == [(pytest.approx(value), unit)]


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("500 km", 500, "km"),
        ("300 km/h", 300, "km/h"),
        ("150 kW", 150, "kW"),
        ("75 kWh", 75, "kWh"),
        ("800 V", 800, "V"),
        ("800V", 800, "V"),
        ("2.890 mm", 2890, "mm"),
        ("20 pollici", 20, "inch"),
        ("450 kg", 450, "kg"),
        ("408 CV", 408, "cv"),
        ("50 GWh", 50_000_000, "kWh"),
        ("2 MW", 2000, "kW"),
        ("3 MWh", 3000, "kWh"),
        ("2 tonnellate", 2000, "kg"),
        ("4,7 metri", 4700, "mm"),
        ("100 miglia", 160.9344, "km"),
    ],
)
def test_measures_converted_to_contract_units(text, value, unit):
    assert [(r["value"], r["unit"]) for r in rows(f"Il dato è {text}.")] == [(pytest.approx(value), unit)]


@pytest.mark.parametrize(
    "text, qualifier",
    [
        ("oltre 950 impianti", "oltre"),
        ("circa 4.000 dipendenti", "circa"),
        ("quasi il 10%", "quasi"),
        ("fino a 11.000 euro", "fino a"),
        ("fino al 30%", "fino a"),
        ("almeno 3 anni", "almeno"),
        ("più di 4 miliardi di euro", "più di"),
        ("più del 50%", "più di"),
        ("meno di 100 km", "meno di"),
        ("intorno ai 30 mila euro", "intorno a"),
        ("superiore al 100%", "superiore a"),
        ("300 auto", None),
    ],
)
def test_qualifiers_in_their_own_column(text, qualifier):
    out = rows(f"Si parla di {text}.")
    assert len(out) == 1 and out[0]["qualifier"] == qualifier
    assert not out[0]["surface"].startswith(qualifier or "\0")


def test_from_to_shares_the_scale_and_unit_written_after_the_second_number():
    got = [(r["value"], r["unit"]) for r in rows("Ha ridotto da 10.000 a 7.000 miliardi di yen il budget.")]
    assert got == [(1e13, "JPY"), (7e12, "JPY")]
    assert [(r["value"], r["unit"]) for r in rows("Costa da 10 a 20 euro al mese.")] == [(10.0, "EUR"), (20.0, "EUR")]
    assert [(r["value"], r["unit"]) for r in rows("Batterie da 56,2 o 67,1 kWh.")] == [(56.2, "kWh"), (67.1, "kWh")]
    assert [(r["value"], r["unit"]) for r in rows("Ne produce da 2 a 3 milioni di auto.")] == [(2e6, "count"), (3e6, "count")]


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("da oltre vent’anni", 20.0, "year"),  # an elided ten before a vowel
        ("da trent'anni", 30.0, "year"),
        ("circa due anni e mezzo", 2.5, "year"),
        ("un dollaro per azione", 1.0, "USD"),
        ("un euro al litro", 1.0, "EUR"),
    ],
)
def test_elided_tens_halves_after_a_duration_and_one_unit_of_money(text, value, unit):
    assert [(r["value"], r["unit"]) for r in rows(f"Si parla di {text}.")] == [(value, unit)]


def test_ranges():
    assert [(r["value"], r["value_max"], r["unit"]) for r in rows("Servono 15-20 anni.")] == [(15.0, 20.0, "year")]
    assert [(r["surface"], r["value"], r["value_max"]) for r in rows("Servono tra 15 e 20 anni.")] == [("tra 15 e 20 anni", 15.0, 20.0)]
    assert [(r["value"], r["value_max"], r["unit"]) for r in rows("Costa 1,2-1,5 miliardi di euro.")] == [(1.2e9, 1.5e9, "EUR")]
    # the scale word and the unit written once, after the second number, belong to both
    assert [(r["value"], r["value_max"], r["unit"]) for r in rows("Valutata tra 8 e 10 miliardi di euro.")] == [(8e9, 1e10, "EUR")]
    assert [(r["value"], r["value_max"], r["counted"]) for r in rows("Ne produce tra 2 e 3 milioni di auto.")] == [(2e6, 3e6, "auto")]
    # "0-100 km/h" names its upper bound
    assert [(r["value"], r["value_max"], r["unit"]) for r in rows("Da 0-100 km/h in 3 secondi.")][0] == (100.0, None, "km/h")


def test_from_to_and_alternatives_are_two_quantities_sharing_the_unit():
    assert found("Le linee passeranno da quattro a due.") == [("quattro", 4.0, "count"), ("due", 2.0, "count")]
    assert found("Batterie da 56,2 o 67,1 kWh.") == [("56,2", 56.2, "kWh"), ("67,1 kWh", 67.1, "kWh")]
    assert found("Si ricarica dal 10 all'80%.") == [("10", 10.0, "%"), ("80%", 80.0, "%")]


def test_years_and_dates_are_not_quantities():
    assert rows("Nel 2024 e poi entro il 2030, fino al 2027.") == []
    assert rows("La missione è proseguita il 24 aprile, fra il 14 e il 15 febbraio scorsi.") == []
    assert rows("Dal 1° gennaio 2026.") == []
    assert found("Con oltre 2000 dipendenti.") == [("2000 dipendenti", 2000.0, "count")]


def test_names_codes_and_labels_are_not_quantities():
    text = (
        "La Xiaomi SU7, la Tesla Model 3, la Volkswagen ID.3, la Rivian R3, la Peugeot e-208, la Fiat 500e "
        "e la Leapmotor T03 rispettano la Euro 7; la fase 2 arriva al livello 3, il n. 1 del settore."
    )
    assert rows(text) == []
    assert rows("Ne parla la 500 ibrida. La casa è la 4x4 del gruppo; è industria 4.0.") == []
    assert rows("Lo riporta Il Sole 24 Ore.") == []
    assert found("Costa 25.000 Euro.") == [("25.000 Euro", 25000.0, "EUR")]


def test_list_markers_and_unitless_zero_starts_are_skipped():
    assert rows("Le più vendute:\n1. Fiat Panda\n2) Dacia Sandero") == []
    assert found("Xpeng G6: 0-100 in 6,2 secondi; la Tesla da 0 a 100 km/h in 2,7 secondi.") == [
        ("6,2 secondi", pytest.approx(6.2 / 60), "minute"),
        ("100 km/h", 100.0, "km/h"),
        ("2,7 secondi", pytest.approx(2.7 / 60), "minute"),
    ]


def test_clock_times_phone_numbers_and_idioms_are_skipped():
    assert rows("Alle 18:30 e alle 20 si chiude; chiamate il 800 123 456.") == []
    assert rows("Un marchio capace di abbracciare a 360 gradi la vita quotidiana.") == []
    assert rows("Una coppia di 800 Nm e un serbatoio da 50 litri.") == []


def test_written_numbers_need_a_noun_or_unit():
    assert found("I due si sono incontrati. Tutti e tre.") == []
    assert found("Citando quattro fonti.") == [("quattro fonti", 4.0, "count")]
    assert found("Due terzi degli utenti.") == []
    assert found("Sotto quota mezzo milione.") == [("mezzo milione", 500000.0, "count")]


def test_articles_are_not_ones_except_before_a_duration():
    assert rows("Un incontro con una delegazione e uno stabilimento.") == []
    assert rows("Il 2025 è stato un anno difficile.") == []


def test_amounts_in_millions_take_the_currency_of_their_sentence():
    text = "Un finanziamento da 245 milioni di dollari, di cui 100 milioni messi a disposizione da Scania."
    assert found(text) == [("245 milioni di dollari", 245e6, "USD"), ("100 milioni", 100e6, "USD")]
    text = "Due miliardi di euro di investimenti e sei miliardi di acquisti."
    assert [r["unit"] for r in rows(text)] == ["EUR", "EUR"]
    assert [r["unit"] for r in rows("Ha chiuso con un utile netto di 5,5 miliardi.")] == ["EUR"]
    assert [r["unit"] for r in rows("Il mercato vale 13 milioni di veicoli.")] == ["count"]
    assert [r["unit"] for r in rows("Il settore potrebbe pagare sanzioni fino a 15 miliardi.")] == ["EUR"]
    assert [r["unit"] for r in rows("Oneri per 1,6 miliardi legati ai programmi elettrici.")] == ["EUR"]


def test_sentence_ids_and_offsets():
    text = "Prima frase senza numeri.\n\nLa seconda ha 300.000 consegne. La terza 20%."
    out = rows(text)
    assert [(r["sentence_id"], text[r["start"] : r["end"]]) for r in out] == [(1, "300.000 consegne"), (2, "20%")]


# ---- offsets on random text ----------------------------------------------------------------------

FRAGMENTS = [
    "300.000", "93,5", "1,5 miliardi di euro", "29,9 mila dollari", "tre", "minuti", "un paio d’anni", "20%", "€",
    "$", "oltre", "circa il", "tra", "e", "15-20", "anni", "nel 2024", "il 24 aprile", "SU7", "Model 3", "ID.3",
    "la", "500e", "auto", "consegne", ",", ".", "\n", "«", "»", "km/h", "kWh", "GWh", "mila", "milioni", "di",
    "da", "a", "0-100", "quattro", "fonti", "Un", "anno", "’", "'", "‑", "–", "800V", "4,7 metri", "Q3", "1°",
    "dell’80%", "ventitré", "mezzo milione", "18:30", "\u00a0", "ﬁ", "İstanbul", "x", "5", "10", "2.5",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40), st.lists(st.sampled_from([" ", "", "  ", "\n"]), min_size=40, max_size=40))
def test_offsets_hold_on_random_text(parts, seps):
    text = "".join(p + s for p, s in zip(parts, seps))
    sentences = split_sentences(text)
    out = EXTRACTOR.extract(text, sentences, "a_x")
    last_end = 0
    for r in out:
        assert text[r["start"] : r["end"]] == r["surface"] and r["surface"]
        assert r["start"] >= last_end  # sorted, no overlaps
        last_end = r["end"]
        assert isinstance(r["value"], float) and r["unit"]
        assert r["value_max"] is None or r["value_max"] > r["value"]
        assert 0 <= r["sentence_id"] < len(sentences)
        assert (r["counted"] is None) or r["unit"] == "count"


def test_durations_that_date_something_are_no_quantities():
    """"tre anni fa", "nei primi nove mesi dell'anno" are time expressions; "per cinque anni" stays a duration."""
    assert [(r["surface"], r["unit"]) for r in rows("Due anni fa ha investito 3 miliardi di euro per cinque anni.")] == [
        ("3 miliardi di euro", "EUR"),
        ("cinque anni", "year"),
    ]
    assert rows("Nei primi nove mesi dell’anno e negli ultimi tre mesi del 2024 il mercato è sceso.") == []


def test_a_number_inside_a_name_is_no_quantity():
    from pipeline.extract.run import ArticleInput, extract_article, load_extractors

    body = "La casa dei quattro anelli ha chiuso lo stabilimento di Forest, dove lavoravano 3.000 persone."
    got = extract_article(ArticleInput("a", body), load_extractors())
    assert any(m["surface"] == "casa dei quattro anelli" for m in got.mentions)
    assert [q["surface"] for q in got.quantities] == ["3.000 persone"]


def test_a_year_described_by_a_participle_and_a_dateline_day_are_no_quantities():
    assert found("Dopo un 2024 chiuso con un utile netto di 10,4 miliardi di euro.") == [("10,4 miliardi di euro", 10.4e9, "EUR")]
    assert found("TOKYO, 19 GIU - Toyota ha venduto 300.000 auto.") == [("300.000 auto", 300000, "count")]
    assert found("Con 2000 dipendenti assunti nel 2024.") == [("2000 dipendenti", 2000, "count")]
