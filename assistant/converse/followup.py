"""Follow-up questions: a short question that lacks its subject ("còn phối hợp?", "hạn khi
nào?", "thế ở xã Kỳ Lạc thì sao?", "đơn vị đó còn làm gì nữa?", "báo cáo năm thì sao?")
is completed from the conversation's last answered question. Pure.

A question is read as three parts: what it asks (its intent), what about (its subject:
the words left once question words, linking words and the place are taken out) and where
(the plans it names). A follow-up borrows the parts it lacks from the last turn; a question
that has its own subject and no word pointing back ("còn", "thì sao", "đó") stands alone
and is never bent by the previous one, nor is a long one (more than MAX_WORDS words)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.question import Question, matching_intents
from assistant.lang.normalize import fold, has_diacritics

MAX_WORDS = 12  # a follow-up is short; a longer question stands alone

# What a question asks with, taken out wherever it stands (folded, as phrases): question
# words and the names of a record's fields (lead, cooperating units, deadline, target,
# duties, sending a report)
_ASKING = tuple(
    p.split()
    for p in """
    ai|gi|nao|dau|khi nao|bao gio|bao nhieu|bao lau|may|the nao|thi sao|la gi|lam gi|lam nhung gi|
    nhung gi|viec gi|chu tri|phoi hop|thoi han|han chot|han cuoi|han|thoi gian|ngay nao|ngay may|
    thang nao|quy nao|hoan thanh|xong|gui|nop|chi tieu|muc tieu|ty le|phan tram|dat|don vi nao|
    co quan nao|phong nao|ben nao|nhiem vu gi|trach nhiem gi|phu trach|dam nhiem|thuc hien
    """.replace("\n", "").split("|")
)
# Words that only link or point, trimmed from the ends of what is left (as written, and
# folded for a word written without diacritics): "còn", "ở", "của", "đó", "nữa", ...
_LINKING = frozenset(
    """
    còn thế vậy thì sao nữa nhỉ ạ à hả nhé ở tại của cho về với cùng là được do đó ấy này kia
    và các những trên có không chưa phải mình tôi hỏi biết vui lòng đơn vị cơ quan
    """.split()
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
    unit: str = ""  # the unit the answer named first ("đơn vị đó")
    record: str = ""  # the one task or duty the answer stated, if one


@dataclass(frozen=True)
class Reading:
    """A question's parts, as `read` finds them."""

    subject: str  # its own words, without the question's words and its place
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
    tokens = re.findall(r"\w+", q.text)
    keys = [fold(t) for t in tokens]
    at_place = _place_tokens(keys, q, places) if q.names_place else set()
    dropped = at_place | _asking_tokens(keys)
    kept = [i for i in range(len(tokens)) if i not in dropped]
    while kept and _linking(tokens, kept[0]):
        kept.pop(0)
    while kept and _linking(tokens, kept[-1]):
        kept.pop()
    intents = matching_intents(q.folded)
    intent = intents[0] if intents else next((i for i, p in _BARE_INTENTS if re.search(p, folded)), "")
    return Reading(
        subject=" ".join(tokens[i] for i in kept),
        intent=intent,
        place=" ".join(tokens[i] for i in sorted(at_place)),
        continues=bool(_CONTINUES.search(folded) or _POINTS_BACK.search(folded)),
        unit_back=bool(_UNIT_BACK.search(folded)),
        words=len(tokens),
    )


def _asking_tokens(keys: list[str]) -> set[int]:
    """Positions of the words a question asks with."""
    found: set[int] = set()
    for phrase in _ASKING:
        n = len(phrase)
        for i in range(len(keys) - n + 1):
            if keys[i : i + n] == phrase:
                found |= set(range(i, i + n))
    return found


def _linking(tokens: list[str], i: int) -> bool:
    """Whether the word at `i` only links or points (a year and the "năm" before it too)."""
    word = tokens[i].lower()
    if word.isdigit() or (fold(word) == "nam" and i + 1 < len(tokens) and tokens[i + 1].isdigit()):
        return True
    return word in _LINKING if has_diacritics(word) else word in _LINKING_BARE


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
        names = {places[p] for p in q.plan_ids if p in places}
        shown = write(intent, subject, names.pop() if len(names) == 1 else r.place, marked=True)
        return Resolved(write(intent, subject, r.place), shown, subject, intent, ())
    plans = tuple(p for p in turn.plans if p in places)
    where = list(dict.fromkeys(places[p] for p in plans))
    where_text = ", ".join(where[:3]) + (f" và {len(where) - 3} nơi khác" if len(where) > 3 else "")
    shown = write(intent, subject, marked=True) + (f" — {where_text}" if where else "")
    same = bool(turn.record) and not r.subject and not r.unit_back and plans == turn.plans
    return Resolved(write(intent, subject), shown, subject, intent, plans, same_record=same)


def write(intent: str, subject: str, place: str = "", marked: bool | None = None) -> str:
    """The question that asks `intent` about `subject` (at `place`). `marked`: with
    diacritics or without; by default in the subject's own spelling (the place too, since
    a question that mixes the two is read as one with diacritics)."""
    template_marked, template_bare = _ASK.get(intent, ("{s}{w}?", "{s}{w}"))
    spelled = has_diacritics(subject) if marked is None else marked
    where = (f" ở {place}" if spelled else f" o {fold(place)}") if place else ""
    text = (template_marked if spelled else template_bare).format(s=subject, w=where)
    return text[0].upper() + text[1:]
