"""claims.rules.v1 on interviews: questions and prompts are no claims, answers are the interviewee's."""
from claims_fixture import claims as _claims
from pipeline.extract.claims.interview import NO_INTERVIEW, find_interview

ENTS = [("Marta Bellini", "per:marta-bellini", "PER"), ("Motus-E", "org:motus-e", "ORG"), ("Stellantis", "org:stellantis", "ORG")]

ADJACENT = (
    "Ne abbiamo parlato con Marta Bellini, direttrice di Motus-E.\n\n"
    "Partiamo dagli incentivi. Che lezione se ne ricava?\n"
    "I 597 milioni di euro sono stati prenotati in meno di una giornata.\n\n"
    "Però la quota delle elettriche resta bassa.\n"
    "In Italia siamo intorno al 5%, mentre la media europea supera il 15%.\n\n"
    "Cosa chiedete al governo?\n"
    "Il governo ha stanziato fondi solo per il 2025 e non basta.\n\n"
    "Motus-E presenterà a gennaio un nuovo censimento delle colonnine."
)


def rows(body: str) -> dict[str, str | None]:
    return {r["text"]: r["speaker_entity_id"] for r in _claims(body, ENTS)}


def test_answers_are_the_interviewees_and_questions_are_no_claims():
    got = rows(ADJACENT)
    assert got["I 597 milioni di euro sono stati prenotati in meno di una giornata."] == "per:marta-bellini"
    assert got["Il governo ha stanziato fondi solo per il 2025 e non basta."] == "per:marta-bellini"
    assert not any(text.endswith("?") for text in got)


def test_a_prompt_without_question_mark_is_the_interviewers():
    assert "Però la quota delle elettriche resta bassa." not in rows(ADJACENT)


def test_the_first_person_plural_of_an_answer_is_the_interviewees_claim():
    assert rows(ADJACENT)["In Italia siamo intorno al 5%, mentre la media europea supera il 15%."] == "per:marta-bellini"


def test_narration_after_the_last_answer_is_the_writers():
    assert rows(ADJACENT)["Motus-E presenterà a gennaio un nuovo censimento delle colonnine."] is None


def test_questions_as_subheadings_make_no_interview():
    body = (
        "Stellantis ha scelto Saragozza per la nuova fabbrica di batterie.\n\n"
        "Perché proprio la Spagna?\n"
        "Secondo gli analisti pesano gli aiuti pubblici e il costo dell'energia.\n\n"
        "E l'Italia?\n"
        "A Termoli il progetto della gigafactory resta congelato da mesi."
    )
    assert find_interview(body) is NO_INTERVIEW
    assert rows(body)["A Termoli il progetto della gigafactory resta congelato da mesi."] is None


def test_questions_and_answers_in_blocks_of_their_own():
    body = (
        "Marta Bellini guida Motus-E da due anni.\n\n"
        "Che cosa è cambiato?\n\n"
        "Abbiamo installato 20.000 colonnine in più rispetto al 2023.\n\n"
        "E adesso?\n\n"
        "Ci aspettiamo altre 15.000 colonnine entro la fine del prossimo anno."
    )
    interview = find_interview(body)
    assert len(interview.questions) == 2
    assert rows(body)["Abbiamo installato 20.000 colonnine in più rispetto al 2023."] == "per:marta-bellini"


def test_an_answers_words_are_its_quote_and_narration_has_none():
    quotes = {r["text"]: r["quote"] for r in _claims(ADJACENT, ENTS)}
    assert quotes["I 597 milioni di euro sono stati prenotati in meno di una giornata."] == "I 597 milioni di euro sono stati prenotati in meno di una giornata."
    assert quotes["Motus-E presenterà a gennaio un nuovo censimento delle colonnine."] is None


def test_an_answers_sentence_with_a_verb_of_its_own_still_quotes_the_interviewee():
    body = ADJACENT.replace("Il governo ha stanziato fondi solo per il 2025 e non basta.",
                            "Il governo ha stanziato fondi solo per il 2025. Credo però che servirebbe un piano triennale per le colonnine.")
    quotes = {r["text"]: (r["speaker_entity_id"], r["quote"]) for r in _claims(body, ENTS)}
    speaker, quote = quotes["Credo però che servirebbe un piano triennale per le colonnine."]
    assert speaker == "per:marta-bellini" and quote.startswith("Credo però che servirebbe")
