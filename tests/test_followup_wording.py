"""How a follow-up is completed, checked on every shared gold question (pure: the questions
are parsed against the shipped plans' places, nothing is answered). The 380 questions are
paired as (previous question, follow-up): the follow-up is the next question itself, its
subject after "còn … thì sao?", its place after "thế ở … thì sao?", or one of the short
follow-ups the README shows. A completed question keeps the follow-up asker's words in
order and reads as Vietnamese: what it borrows is one run of the words someone wrote, with
no linking word left dangling at a seam ("Báo cáo quý của trước ở xã Thạnh An")."""

from __future__ import annotations

import re

import pytest

from assistant.answer.places import Gazetteer
from assistant.answer.question import parse_question
from assistant.converse.followup import Resolved, Turn, read, resolve
from assistant.lang.normalize import fold, has_diacritics

# Words a completion may drop or restate: pointing back and framing ("còn", "thế … thì
# sao", "đơn vị đó"), question words and the names of the field asked, which the completed
# question words its own way ("hạn khi nào?" -> "Thời hạn … là khi nào?")
FRAMING = frozenset(fold(w) for w in "còn thế vậy thì sao nữa nhỉ ạ à ở tại đó ấy này".split())
ASKING = frozenset(
    fold(w)
    for w in """ai gì nào đâu khi bao giờ nhiêu lâu mấy làm những việc chủ trì phối hợp thời hạn
    chót cuối gian ngày gửi nộp xong hoàn thành chỉ tiêu tỷ lệ""".split()
)
POINTER = re.compile(r"\b(?:don vi|co quan|phong|bo phan)\s+(?:do|ay|nay)\b")
# Words that only link: one of them may end a phrase only where the asker put it there
# (a word typed without diacritics is one when the whole text is: "tu" is not "từ" beside
# "điện tử"; and not the bare words that are as often part of another)
LINKING = frozenset("của ở tại về cho với và hoặc là thì do bởi trước sau từ đến các những được".split())
LINKING_BARE = frozenset(fold(w) for w in LINKING) - {"tu", "thi"}  # "thông tư", "thi hành"
UNIT = "Phòng Văn hóa – Xã hội"


def words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


def linking(text: str) -> list[bool]:
    """Which words of `text` only link."""
    marked = has_diacritics(text)
    return [w in LINKING if marked else w in LINKING_BARE for w in re.findall(r"\w+", text.lower())]


def in_order(wanted: list[str], text: list[str]) -> bool:
    it = iter(text)
    return all(w in it for w in wanted)


def contiguous(run: list[str], text: list[str]) -> bool:
    return any(text[i : i + len(run)] == run for i in range(len(text) - len(run) + 1))


def spliced(text: str, *sources: str) -> set[tuple[str, str]]:
    """Pairs of linking words in `text` that none of `sources` holds ("của trước")."""
    said = {p for s in sources for p in zip(words(s), words(s)[1:])}
    w, link = words(text), linking(text)
    return {(w[i], w[i + 1]) for i in range(len(w) - 1) if link[i] and link[i + 1]} - said


@pytest.fixture(scope="module")
def ask(parsed, sources):
    """A question parsed as the assistant parses it (the shipped plans' places)."""
    plans = [r.plan for r in parsed[2]]
    places = {p.id: p.place for p in plans}
    periods = {p.id: p.period for p in plans}
    gazetteer = Gazetteer(plans, lambda plan: sources.get(plan, ""))
    return lambda text: parse_question(text, places, periods, gazetteer), places


def turn_after(ask, text: str) -> Turn:
    """The turn a question leaves (as `dialogue.remembered` makes it, without answering)."""
    parse, places = ask
    q = parse(text)
    r = read(q, places)
    return Turn(q.text, r.subject, q.intent, q.plan_ids, UNIT, "", r.place)


def follow_ups(ask, text: str) -> list[str]:
    """The follow-ups made of a gold question: itself, its subject, its place."""
    parse, places = ask
    r = read(parse(text), places)
    made = [
        text,
        f"còn {r.subject} thì sao?" if r.subject else "",
        f"thế ở {r.place} thì sao?" if r.place else "",
    ]
    return [f for f in made if f]


SHORT = ["còn phối hợp thì sao?", "hạn khi nào?", "đơn vị đó còn làm gì nữa?", "ai chủ trì?"]


def problems(prev: str, turn: Turn, follow: str, done: Resolved) -> list[str]:
    """What is wrong with the completion `done` of `follow` after `prev`."""
    found = []
    asker = [w for w in words(POINTER.sub(" ", fold(follow))) if w not in FRAMING | ASKING]
    for text in (done.question, done.shown):
        if not in_order(asker, words(text)):
            found.append(f"drops or reorders the asker's words {asker}: {text!r}")
        if spliced(text, prev, follow):
            found.append(f"splices {sorted(spliced(text, prev, follow))}: {text!r}")
    subject, link = words(done.subject), linking(done.subject)
    if not any(contiguous(subject, words(source)) for source in (prev, follow, turn.unit)):
        found.append(f"subject {done.subject!r} is not one run of anyone's words")
    if subject and (link[0] or link[-1]):
        found.append(f"subject {done.subject!r} starts or ends with a linking word")
    return found


def test_every_gold_question_completes_any_follow_up_in_the_askers_words(ask, gold_questions):
    questions = [g["question"] for g in gold_questions]
    checked, wrong = 0, []
    for prev, nxt in zip(questions, questions[1:] + questions[:1]):
        turn = turn_after(ask, prev)
        for follow in follow_ups(ask, nxt) + SHORT:
            done = resolve(ask[0](follow), turn, ask[1])
            if done is not None:
                checked += 1
                wrong += [f"{prev!r} -> {follow!r}: {p}" for p in problems(prev, turn, follow, done)]
    assert len(questions) >= 380 and checked > 1500
    assert wrong == [], f"{len(wrong)} of {checked}:\n" + "\n".join(wrong[:20])


def test_the_subject_a_question_leaves_is_one_run_of_its_words(ask, gold_questions):
    broken = []
    for g in gold_questions:
        turn = turn_after(ask, g["question"])
        subject = words(turn.subject)
        if subject and not contiguous(subject, words(g["question"])):
            broken.append((g["question"], turn.subject))
    assert broken == []


def test_a_place_follow_up_asks_the_last_question_again_there(ask):
    turn = turn_after(ask, "Báo cáo quý của xã Vĩnh Thịnh gửi trước ngày nào?")
    assert turn.subject == "Báo cáo quý" and turn.place == "xã Vĩnh Thịnh"
    done = resolve(ask[0]("thế ở xã Thạnh An thì sao?"), turn, ask[1])
    assert done.question == done.shown == "Báo cáo quý của xã Thạnh An gửi trước ngày nào?"
    assert done.plans == ()  # the place it names scopes it, as if asked in full


def test_a_place_follow_up_without_diacritics_keeps_the_last_questions_spelling(ask):
    turn = turn_after(ask, "bao cao nam ve CCHC xa Thai Tan gui truoc ngay nao")
    done = resolve(ask[0]("the o Vinh Thinh thi sao"), turn, ask[1])
    assert done.question == "bao cao nam ve CCHC vinh thinh gui truoc ngay nao"
    assert done.shown == "Bao cao nam ve CCHC xã Vĩnh Thịnh gui truoc ngay nao"


def test_that_unit_is_the_unit_the_last_turn_holds(ask):
    turn = turn_after(ask, "Ai phối hợp Kế hoạch Chuyển đổi số của phường Rạch Giá?")
    done = resolve(ask[0]("đơn vị đó còn làm gì nữa?"), turn, ask[1])
    assert done.question == f"{UNIT} làm những gì?" and done.intent == "unit_duties"
