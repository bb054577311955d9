"""Follow-up questions: a short question that lacks its subject ("còn phối hợp?", "hạn khi
nào?", "thế ở xã Kỳ Lạc thì sao?", "đơn vị đó còn làm gì nữa?", "báo cáo năm thì sao?")
is completed from the conversation's last answered question. Pure.

A question is read as three parts: what it asks (its intent), what about (its subject: one
run of the asker's words between its question words and its place, without the linking
words at its ends, so that it reads as a phrase wherever it is put) and where (the plans
it names). A follow-up borrows the parts it lacks from the last turn: a follow-up that only
names another place asks the last question again in the last asker's own words, that
place put for theirs. A question that has its own subject and no word pointing back
("còn", "thì sao", "đó") stands alone and is never bent by the previous one, nor is a long
one (more than MAX_WORDS words)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.question import Question, matching_intents
from assistant.lang.normalize import fold, has_diacritics, nfc

MAX_WORDS = 12  # a follow-up is short; a longer question stands alone


def _phrases(text: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(p.split()) for p in nfc(" ".join(text.split())).split("|"))


# What a question asks with, matched as written (folded only in a question typed without
# diacritics, so "phấn đấu" holds no "đâu"). Question words cut a question into
# runs of the asker's own words; the names of a record's fields (lead, deadline, target,
# sending a report) are trimmed from a run's ends but kept inside one ("báo cáo kết quả
# thực hiện CCHC"), and a field's name is the asker's word in "đúng hạn", "trước hạn".
_QUESTION = _phrases(
    """
    ai|gì|nào|đâu|khi nào|bao giờ|bao nhiêu|bao lâu|mấy|thế nào|ra sao|thì sao|là gì|làm gì|
    làm những gì|những gì|việc gì|đơn vị nào|cơ quan nào|phòng nào|bên nào|nhiệm vụ gì|
    trách nhiệm gì|ngày nào|ngày mấy|tháng nào|quý nào|lúc nào
    """
)
_FIELD = _phrases(
    """
    chủ trì|phối hợp|thời hạn|hạn chót|hạn cuối|hạn|thời gian|hoàn thành|xong|gửi|nộp|chỉ tiêu|
    mục tiêu|tỷ lệ|tỉ lệ|phần trăm|đạt|phấn đấu|đặt chỉ tiêu|ít nhất|tối thiểu|phụ trách|đảm nhiệm|
    thực hiện|giao
    """
)
_OWN = _phrases(
    "đúng hạn|trước hạn|quá hạn|trễ hạn|hạn chế|hạn mức|giao dịch|giao thông|giao ban|cấp trên|"
    "đầu tư|đầu mối|đứng đầu|hàng đầu|bắt đầu"
)
# Words that only link or point, trimmed from the ends of a run (as written, and folded
# for a word written without diacritics): "còn", "ở", "của", "đó", "nữa", "trước", ...
_LINKING = frozenset(
    nfc(
        """
        còn thế vậy thì sao nữa nhỉ ạ à hả nhé ở tại của cho về với cùng là được do đó ấy này kia
        và các những trên có không chưa phải cần mình tôi hỏi biết vui lòng đơn vị cơ quan trong
        vào lúc trước sau
        """
    ).split()
)
_LINKING_BARE = frozenset(fold(w) for w in _LINKING)
_PLACE_KINDS = ("xa", "phuong", "thi tran", "dac khu")
# "còn …", "thế …", "vậy …" at the start (not "thể chế"); "… thì sao", "… nữa" at the end
_CONTINUES = re.compile(r"^(?:con|the|vay)\b(?!\s+che\b)|\b(?:thi sao|nua)$")
# a word pointing back: at the unit of the last answer ("đơn vị đó", "phòng này"), or at
# what was asked ("việc đó", "kế hoạch này")
_UNIT_BACK = re.compile(r"\b(?:don vi|co quan|phong|bo phan)\s+(?:do|ay|nay|tren)\b")
_POINTS_BACK = re.compile(r"\b(?:viec|nhiem vu|noi dung|ke hoach|bao cao)\s+(?:do|nay|ay|tren)\b")
# A field asked for by its bare name: "còn phối hợp?", "chủ trì?" (the full patterns of
# `question` need a question word)
_BARE_INTENTS = (("cooperating_units", r"\bphoi hop\b"), ("lead_unit", r"\bchu tri\b"))

# How a completed question is written, by intent, with and without diacritics
_ASK = {
    "lead_unit": ("Ai chủ trì {s}{w}?", "ai chu tri {s}{w}"),
    "cooperating_units": ("Ai phối hợp {s}{w}?", "ai phoi hop {s}{w}"),
    "deadline": ("Thời hạn {s}{w} là khi nào?", "thoi han {s}{w} la khi nao"),
    "report_deadline": ("{s}{w} gửi khi nào?", "{s}{w} gui khi nao"),
    "target": ("Chỉ tiêu {s}{w} là bao nhiêu?", "chi tieu {s}{w} la bao nhieu"),
    "unit_duties": ("{s}{w} làm những gì?", "{s}{w} lam nhung gi"),
}


@dataclass(frozen=True)
class Turn:
    """What a conversation remembers of its last answered question."""

    question: str  # as understood (a follow-up, completed)
    subject: str  # its subject words, as the asker wrote them
    intent: str
    plans: tuple[str, ...]  # the plans it was answered from (or searched)
    unit: str = ""  # the unit the answer names as responsible ("đơn vị đó"): a task's lead
    record: str = ""  # the one task or duty the answer stated, if one
    place: str = ""  # the place its question names, as written ("xã Kỳ Lạc")


@dataclass(frozen=True)
class Reading:
    """A question's parts, as `read` finds them."""

    subject: str  # its run of own words (none a question word or the place), the fullest
    intent: str  # "" when it asks nothing of its own
    place: str  # the place as the question writes it ("xã Kỳ Lạc"), "" if none
    continues: bool  # a word ties it to what was said before
    unit_back: bool  # it points back at a unit
    words: int


@dataclass(frozen=True)
class Resolved:
    """A follow-up, completed: the question to answer and, when the follow-up names no
    place, the plans of the last turn to answer it from."""

    question: str  # as the pipeline reads it best (in the subject's own spelling)
    shown: str  # as the asker reads it: "Ai phối hợp cai cach the che? — xã Thạnh An"
    subject: str
    intent: str
    plans: tuple[str, ...]
    same_record: bool = False  # it asks another field of the last turn's record


def read(q: Question, places: dict[str, str]) -> Reading:
    """The parts of a parsed question; `places`: plan id -> place name."""
    folded = q.folded.rstrip(" ?.!")
    spans = [m.span() for m in re.finditer(r"\w+", q.text)]
    tokens = [q.text[i:j] for i, j in spans]
    at_place = _place_tokens([fold(t) for t in tokens], q, places) if q.names_place else set()
    kinds = _kinds(tokens, at_place, q.has_diacritics)
    runs = [_trimmed(tokens, kinds, run, q.has_diacritics) for run in _runs(kinds)]
    own = [sum(not _trimmable(tokens, kinds, i, q.has_diacritics) for i in run) for run in runs]
    subject = runs[own.index(max(own))] if runs else []  # the first with the most words of its own
    intents = matching_intents(q.folded)
    intent = intents[0] if intents else next((i for i, p in _BARE_INTENTS if re.search(p, folded)), "")
    return Reading(
        subject=_words_of(q.text, spans, subject),
        intent=intent,
        place=" ".join(tokens[i] for i in sorted(at_place)),
        continues=bool(_CONTINUES.search(folded) or _POINTS_BACK.search(folded)),
        unit_back=bool(_UNIT_BACK.search(folded)),
        words=len(tokens),
    )


def _kinds(tokens: list[str], at_place: set[int], marked: bool) -> list[str]:
    """Each word's part: "cut" (a question word or the place), "field" (a field's name),
    "own" (a word of the asker's that looks like one of those) or "". `marked`: the
    question is written with diacritics (its words match as written, else folded)."""
    kinds = ["cut" if i in at_place else "" for i in range(len(tokens))]
    for phrases, kind in ((_OWN, "own"), (_FIELD, "field"), (_QUESTION, "cut")):
        for phrase in phrases:
            for i in range(len(tokens) - len(phrase) + 1):
                if all(_same(tokens[i + k], w, marked) for k, w in enumerate(phrase)):
                    for k in range(i, i + len(phrase)):
                        kinds[k] = kinds[k] or kind
    return kinds


def _same(token: str, word: str, marked: bool) -> bool:
    """Whether `token` is `word`: as written, or folded in a question typed without
    diacritics."""
    return token.lower() == word if marked else fold(token) == fold(word)


def _runs(kinds: list[str]) -> list[list[int]]:
    """The positions of the words between question words and the place."""
    runs: list[list[int]] = [[]]
    for i, kind in enumerate(kinds):
        if kind == "cut":
            runs.append([])
        else:
            runs[-1].append(i)
    return [r for r in runs if r]


def _trimmed(tokens: list[str], kinds: list[str], run: list[int], marked: bool) -> list[int]:
    """A run without the field names and linking words at its ends."""
    while run and _trimmable(tokens, kinds, run[0], marked):
        run = run[1:]
    while run and _trimmable(tokens, kinds, run[-1], marked):
        run = run[:-1]
    return run


def _trimmable(tokens: list[str], kinds: list[str], i: int, marked: bool) -> bool:
    return kinds[i] == "field" or (not kinds[i] and _linking(tokens, i, marked))


def _words_of(text: str, spans: list[tuple[int, int]], run: list[int]) -> str:
    """The run as the question writes it (its commas and dashes too, unless that leaves
    a bracket open)."""
    if not run:
        return ""
    written = text[spans[run[0]][0] : spans[run[-1]][1]]
    if all(written.count(a) == written.count(b) for a, b in ("()", "[]", "“”", "«»")):
        return written
    return " ".join(text[i:j] for i, j in (spans[k] for k in run))


def _linking(tokens: list[str], i: int, marked: bool) -> bool:
    """Whether the word at `i` only links or points (a year and the "năm" before it too).
    `marked`: the question is written with diacritics."""
    word = tokens[i].lower()
    if word.isdigit() or (fold(word) == "nam" and i + 1 < len(tokens) and tokens[i + 1].isdigit()):
        return True
    return word in _LINKING if marked else fold(word) in _LINKING_BARE


def _place_tokens(keys: list[str], q: Question, places: dict[str, str]) -> set[int]:
    """Positions of the words naming the question's place, its unit kind included."""
    names = {fold(places[p]) for p in q.plan_ids + q.ambiguous if p in places}
    if q.unknown_place:
        names.add(fold(q.unknown_place))
    found: set[int] = set()
    for name in names:
        words = name.split()
        for kind in _PLACE_KINDS:  # the name without its kind: "thanh an" in "o thanh an"
            if name.startswith(kind + " "):
                words = name[len(kind) + 1 :].split()
        for i in range(len(keys) - len(words) + 1):
            if keys[i : i + len(words)] == words:
                found |= set(range(i, i + len(words)))
                before = " ".join(keys[max(0, i - 2) : i])
                for kind in _PLACE_KINDS:
                    if before == kind or before.endswith(" " + kind):
                        found |= set(range(i - len(kind.split()), i))
    return found


def resolve(q: Question, turn: Turn | None, places: dict[str, str]) -> Resolved | None:
    """The follow-up `q` completed from `turn`, or None when `q` stands alone (or there is
    no turn to complete it from). `places`: plan id -> place name of the loaded plans."""
    if turn is None:
        return None
    r = read(q, places)
    if r.words > MAX_WORDS:
        return None
    if r.subject and not (r.continues or r.unit_back):
        return None  # it says what it is about: it stands alone
    if not (r.subject or r.intent or r.place or r.continues or r.unit_back):
        return None  # nothing to build on ("xin chào")
    if r.place and turn.place and not (r.subject or r.intent or r.unit_back):
        again = asked_at(turn, r.place, _shown_place(q, r, places))
        if again is not None:
            return again
    if r.unit_back and turn.unit:
        subject, intent = turn.unit, r.intent or "unit_duties"
    else:
        subject = r.subject if r.subject and not r.unit_back else turn.subject
        intent = r.intent or turn.intent
    if not subject:
        return None
    if intent in {"deadline", "report_deadline"}:
        intent = "report_deadline" if re.search(r"\bbao cao\b", fold(subject)) else "deadline"
    if r.place:  # the place it names: the pipeline reads it (twins, places not loaded)
        shown = write(intent, subject, _shown_place(q, r, places), marked=True)
        return Resolved(write(intent, subject, r.place), shown, subject, intent, ())
    plans = tuple(p for p in turn.plans if p in places)
    where = list(dict.fromkeys(places[p] for p in plans))
    where_text = ", ".join(where[:3]) + (f" và {len(where) - 3} nơi khác" if len(where) > 3 else "")
    shown = write(intent, subject, marked=True) + (f" — {where_text}" if where else "")
    same = bool(turn.record) and not r.subject and not r.unit_back and plans == turn.plans
    return Resolved(write(intent, subject), shown, subject, intent, plans, same_record=same)


def _shown_place(q: Question, r: Reading, places: dict[str, str]) -> str:
    """The place a follow-up names, as its plan spells it when it names one loaded plan's
    place (a place not loaded, as written)."""
    names = {places[p] for p in q.plan_ids if p in places}
    return names.pop() if len(names) == 1 and not q.unknown_place else r.place


def asked_at(turn: Turn, place: str, shown_place: str) -> Resolved | None:
    """The last question asked again at `place` ("thế ở xã Kỳ Lạc thì sao?"): its own words
    with the place it named replaced (written as the asker wrote the rest: without
    diacritics when they did), or None when its text does not hold its place."""
    words = r"\W+".join(re.escape(w) for w in turn.place.split())
    at = re.search(rf"(?<!\w){words}(?!\w)", turn.question)
    if at is None:
        return None
    head, tail = turn.question[: at.start()], turn.question[at.end() :]
    written = place if has_diacritics(head + tail) else fold(place)
    shown = head + shown_place + tail
    return Resolved(head + written + tail, shown[0].upper() + shown[1:], turn.subject, turn.intent, ())


def write(intent: str, subject: str, place: str = "", marked: bool | None = None) -> str:
    """The question that asks `intent` about `subject` (at `place`). `marked`: with
    diacritics or without; by default in the subject's own spelling (the place too, since
    a question that mixes the two is read as one with diacritics)."""
    template_marked, template_bare = _ASK.get(intent, ("{s}{w}?", "{s}{w}"))
    spelled = has_diacritics(subject) if marked is None else marked
    where = (f" ở {place}" if spelled else f" o {fold(place)}") if place else ""
    text = (template_marked if spelled else template_bare).format(s=subject, w=where)
    return text[0].upper() + text[1:]
