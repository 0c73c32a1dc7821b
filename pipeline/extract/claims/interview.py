"""Interviews: which lines are the interviewer's questions and which the interviewee's answers, and who answers.

An article is an interview when at least MIN_QUESTIONS lines ending in "?" (or opening with "D:"/"Domanda:") are
each followed by an answer. The layouts of Italian news sites:
- question and answer on adjacent lines of one block ("Partiamo dagli incentivi. Che lezione se ne ricava?\\nChe la
  domanda c'è ..."); in such an interview the first line of any other block of several lines is the interviewer's
  prompt too, also without a question mark ("Però la quota di mercato resta bassa.\\nIn Italia siamo ...");
- question and answer in blocks of their own, separated by a blank line: the block right after a question answers it;
- "D:" / "R:" prefixes.
Questions as subheadings of an ordinary article are told apart by the answers: an interview announces itself in the
introduction ("ne abbiamo parlato con", "intervista") or answers in the first person. Questions and prompts are no claims; answers are the interviewee's, the person the introduction names most (before
the first question), first person plural included ("In Italia siamo intorno al 5%"), and an answer's words are
its quote, with quote marks or without.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

MIN_QUESTIONS = 2
PROMPT_MAX_CHARS = 200
QUESTION_PREFIX_RE = re.compile(r"(?:D|Domanda)\s*[:.]\s", re.IGNORECASE)
ANSWER_PREFIX_RE = re.compile(r"(?:R|Risposta)\s*[:.]\s", re.IGNORECASE)
TRAILING_CLOSERS = " \t)]»”\"'’*_"
SENTENCE_END_RE = re.compile(r"[.!?…]\s+\S")
INTERVIEW_CUE_RE = re.compile(r"\b(?:intervist\w*|abbiamo (?:parlato|incontrato|chiesto|sentito)|ne abbiamo parlato)\b", re.IGNORECASE)
FIRST_PERSON_RE = re.compile(
    r"\b(?:io|noi|mio|mia|miei|mie|nostr[oaie]|ho|abbiamo|siamo|credo|penso|\w+iamo)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Interview:
    """Character spans of the questions (and prompts) and of the answers, and where the first question starts."""

    questions: list[tuple[int, int]] = field(default_factory=list)
    answers: list[tuple[int, int]] = field(default_factory=list)
    first_question: int = -1

    def is_question(self, start: int) -> bool:
        return any(qs <= start < qe for qs, qe in self.questions)

    def is_answer(self, start: int) -> bool:
        return any(a_s <= start < a_e for a_s, a_e in self.answers)


NO_INTERVIEW = Interview()


def _blocks(body: str) -> list[list[tuple[int, int]]]:
    """Runs of adjacent non-empty lines as (start, end) spans, a blank line closing a run."""
    blocks: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    pos = 0
    for line in body.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if line.strip():
            current.append((start, end))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _asks(body: str, span: tuple[int, int]) -> bool:
    text = body[span[0] : span[1]].strip()
    return text.rstrip(TRAILING_CLOSERS).endswith("?") or bool(QUESTION_PREFIX_RE.match(text))


def find_interview(body: str) -> Interview:
    """The question and answer spans of an interview, or NO_INTERVIEW."""
    if body.count("?") < MIN_QUESTIONS and not QUESTION_PREFIX_RE.search(body):
        return NO_INTERVIEW
    blocks = _blocks(body)
    questions: list[tuple[int, int]] = []
    answers: list[tuple[int, int]] = []
    adjacent = 0
    for b, block in enumerate(blocks):
        for k, line in enumerate(block):
            if not _asks(body, line):
                continue
            if k + 1 < len(block) and not _asks(body, block[k + 1]):  # the answer on the next lines of the block
                questions.append(line)
                answers.append((block[k + 1][0], block[-1][1]))
                adjacent += 1
                break
            if k == len(block) - 1 and b + 1 < len(blocks) and not _asks(body, blocks[b + 1][0]):  # the next block
                questions.append(line)
                answers.append((blocks[b + 1][0][0], blocks[b + 1][-1][1]))
    if len(questions) < MIN_QUESTIONS or not _answered_in_person(body, questions, answers):
        return NO_INTERVIEW  # questions as subheadings of an ordinary article ("Perché proprio la Spagna?")
    if adjacent >= MIN_QUESTIONS:  # prompts without a question mark open blocks the same way
        asked = {q[0] for q in questions}
        first = min(asked)
        for block in blocks:
            head = block[0]
            if len(block) > 1 and head[0] > first and head[0] not in asked and _is_prompt(body, head):
                questions.append(head)
                answers.append((block[1][0], block[-1][1]))
    return Interview(sorted(questions), sorted(answers), min(q[0] for q in questions))


def _answered_in_person(body: str, questions: list[tuple[int, int]], answers: list[tuple[int, int]]) -> bool:
    """Someone answers: the introduction announces an interview, or most answers speak in the first person."""
    if INTERVIEW_CUE_RE.search(body, 0, questions[0][0]) or QUESTION_PREFIX_RE.search(body):
        return True
    in_person = sum(bool(FIRST_PERSON_RE.search(body, a, e)) for a, e in answers)
    return 2 * in_person > len(answers)


def _is_prompt(body: str, span: tuple[int, int]) -> bool:
    """One short sentence on its own line."""
    text = body[span[0] : span[1]].strip()
    return len(text) <= PROMPT_MAX_CHARS and not SENTENCE_END_RE.search(text)


def interviewee(interview: Interview, mentions: list[dict], types: dict[str, str]) -> str | None:
    """The person the introduction names most (the first named among equals), before the first question."""
    counts: dict[str, int] = {}
    for m in mentions:
        if m["start"] < interview.first_question and types.get(m["entity_id"]) == "PER":
            counts[m["entity_id"]] = counts.get(m["entity_id"], 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


def answer_words(sentence: str) -> str:
    """The quoted words of an answer sentence: the sentence without an "R:" / "Risposta:" prefix."""
    text = sentence.strip()
    m = ANSWER_PREFIX_RE.match(text)
    return text[m.end() :].strip() if m else text
