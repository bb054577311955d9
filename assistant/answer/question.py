"""Understanding a question: validation, normalisation, plan filter, intent, units. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.answer.places import Gazetteer, named_plans
from assistant.lang.normalize import collapse, fold, has_diacritics, nfc
from assistant.lang.units import expand_abbreviations, find_units
from assistant.records import QuestionProblem

MAX_CHARS = 1000

_INTENT_RULES: tuple[tuple[str, str], ...] = (
    (
        "cooperating_units",
        r"phoi hop\b.*\b(?:ai|voi ai|nhung ai|don vi nao|co quan nao|phong nao|nhung don vi|nhung co quan|"
        r"nhung phong|ben nao)\b"
        r"|\b(?:ai|don vi nao|co quan nao|phong nao|nhung ai)\b.*\bphoi hop\b|"
        r"\bphoi hop (?:voi )?(?:nhung )?(?:ai|don vi nao|co quan nao)\b|\bcung (?:voi )?(?:nhung )?(?:ai|"
        r"don vi nao|co quan nao)\b",
    ),
    (
        "unit_duties",
        r"\b(?:lam gi|lam nhung gi|viec gi|nhung viec|nhiem vu gi|nhiem vu nao|trach nhiem gi|"
        r"duoc giao (?:lam )?(?:gi|viec gi|nhiem vu)|phan viec|lo (?:phan )?(?:viec )?gi|"
        r"phai thuc hien (?:nghiem )?(?:gi|nhung gi|quyet dinh nao|van ban nao)|phu trach (?:gi|nhung gi|"
        r"mang nao)|vai tro (?:gi|the nao|nhu the nao)|nhiem vu (?:cua .{2,60} )?la gi)\b",
    ),
    (
        "lead_unit",
        r"\b(?:chu tri|dau moi|don vi nao|phong nao|co quan nao|(?<!van )ban nao|ai (?:lam|lo|phu trach|"
        r"dam nhiem|dam nhan|chiu trach nhiem|thuc hien|tham muu|trien khai|ban hanh|xay dung)|^ai\b|do ai|"
        r"giao (?:cho )?(?:ai|phong nao|don vi nao)|ai chu tri|thuong truc|thuoc ve ai|ai\s*\??$)\b",
    ),
    (
        "report_deadline",
        r"^(?=.*\b(?:bao cao|bc)\b).*\b(?:khi nao|(?<!dung )(?<!truoc )(?<!qua )han|truoc ngay|ngay nao|"
        r"ngay may|bao lau|may lan|dinh ky|thoi gian|thang may|thoi han|luc nao|bao gio|hang (?:quy|thang|"
        r"nam))\b",
    ),
    (
        "target",
        r"\b(?:chi tieu|bao nhieu|phan tram|ty le|toi thieu|it nhat|may sang kien|muc tieu|dat muc)\b|%",
    ),
    (
        "deadline",
        r"\b(?:han cuoi|thoi diem|den khi nao|truoc khi nao|khi nao|(?<!dung )(?<!truoc )(?<!qua )han|"
        r"thoi han|bao gio|thoi gian|xong|hoan thanh|ngay nao|ngay may|quy may|quy nao|thang may|thang nao|"
        r"dinh ky|bao lau|may lan|luc nao|truoc ngay)\b",
    ),
)
_WANTS = (
    (
        "money",
        r"\b(?:bao nhieu tien|trieu dong|ty dong|nghin dong|kinh phi (?:la )?bao nhieu|duoc cap bao nhieu|"
        r"tong kinh phi)\b",
    ),
    # How often (or whether ongoing): answered by a frequency ("hằng quý", "thường xuyên") or a date.
    (
        "frequency",
        r"\b(?:bao lau (?:mot|1) lan|tan suat|may lan|dinh ky (?:the nao|bao lau|khi nao|luc nao)"
        r"|(?:hay|hoac) (?:la |lam |ra soat )?(?:thuong xuyen|lien tuc))\b",
    ),
    ("date", r"\b(?:ngay nao|ngay may|truoc ngay|han chot|ngay bao nhieu)\b"),
    ("percent", r"\b(?:bao nhieu %|bao nhieu phan tram|phan tram)\b|%"),
    ("number", r"\b(?:bao nhieu|may)\b(?!\s+(?:lan|gio))"),
)
_ENGLISH = re.compile(
    r"\b(?:the|what|who|when|which|how|does|is|are|of|for|plan|report|deadline|leads?|please|can|you)\b"
)
_VIET_HINT = re.compile(r"\b(?:ai|nao|gi|khi|bao|nhieu|cua|va|la|thi|phong|xa|phuong|ke hoach|chu tri|han)\b")


_CAP = "A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴẤẦẨẪẬẮẰẲẴẶẾỀỂỄỆỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰ"
# A kind of place with or without diacritics, or abbreviated ("X.", "P."), then a name of
# capitalised words (an initialism such as "P.VHXH" is a unit, not a place).
_NAME_WORD = rf"[{_CAP}](?![{_CAP}])\w*"
_PLACE = re.compile(
    rf"(?:\b(xã|xa|phường|phuong|thị trấn|thi tran)\s+|\b([XP])\.\s*)({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})"
)
_KIND_OF = {"xa": "xã", "x": "xã", "phuong": "phường", "p": "phường", "thi tran": "thị trấn"}


def unknown_place(text: str, places: dict[str, str]) -> str | None:
    """A commune or ward the question names (capitalised, with or without diacritics) for
    which no plan is loaded: `xã Tân Phú`, `phuong An Hoa`."""
    known = _folded(tuple(places.values()))
    for kind, initial, name in _PLACE.findall(text):
        kind = _KIND_OF.get(fold(kind or initial), kind)
        place = f"{kind} {name}"
        if fold(place) not in known and not any(k.startswith(fold(place)) for k in known):
            return place
    return None


@dataclass(frozen=True)
class Question:
    text: str  # NFC, white space collapsed
    folded: str
    search_text: str  # with abbreviations expanded, for lexical search
    intent: str
    plan_ids: tuple[str, ...]
    units: tuple[str, ...]  # canonical units named in the question
    unit_mentions: tuple[str, ...]
    wants: str | None
    has_diacritics: bool
    unknown_place: str | None = None
    period_plans: tuple[str, ...] = ()  # plans whose period the question names (a hint, not a scope)
    acronyms: tuple[str, ...] = ()  # long forms of initials the plans spell out ("DQTV")
    ambiguous: tuple[str, ...] = ()  # plans of one place name the question does not tell apart
    by_kind: bool = False  # `plan_ids` are those of the unit kind it names ("xã"), not of a place

    @property
    def names_place(self) -> bool:
        """Whether the question names a commune or ward (loaded or not)."""
        return bool((self.plan_ids and not self.by_kind) or self.ambiguous or self.unknown_place)

    @property
    def spelled_out(self) -> str:
        """The question followed by the long forms of its initials, for word matching."""
        return " ".join((self.text, *self.acronyms))


class InvalidQuestion(ValueError):
    """A question we cannot work with: `problem` says why ("empty", "too_long",
    "no_letters", "not_vietnamese"); `length` is the question's length."""

    def __init__(self, problem: QuestionProblem, length: int = 0):
        super().__init__(problem)
        self.problem = problem
        self.length = length


def validate(raw: str | None) -> str:
    text = collapse(nfc(raw or ""))
    if not text:
        raise InvalidQuestion("empty")
    if len(text) > MAX_CHARS:
        raise InvalidQuestion("too_long", len(text))
    letters = sum(ch.isalpha() for ch in text)
    if letters < 2:
        raise InvalidQuestion("no_letters", len(text))
    folded = fold(text)
    if not has_diacritics(text) and len(_ENGLISH.findall(folded)) >= 2 and not _VIET_HINT.search(folded):
        raise InvalidQuestion("not_vietnamese", len(text))
    return text


def matching_intents(folded: str) -> tuple[str, ...]:
    """Every intent whose pattern the question matches, in the rules' order."""
    return tuple(intent for intent, pattern in _INTENT_RULES if re.search(pattern, folded))


def detect_intent(folded: str) -> str:
    return next(iter(matching_intents(folded)), "general")


def detect_wants(folded: str) -> str | None:
    for kind, pattern in _WANTS:
        if re.search(pattern, folded):
            return kind
    return None


def period_key(text: str) -> str:
    """`Sáu tháng cuối năm 2025` and `06 tháng cuối năm 2025` -> `6 thang cuoi nam 2025`."""
    return re.sub(r"\b(?:sau|06)\b", "6", fold(text))


def period_plans(folded: str, periods: dict[str, str] | None) -> tuple[str, ...]:
    """Plans whose distinctive period (one that names months) the question names."""
    key = period_key(folded)
    return tuple(pid for pid, period in _month_periods(tuple((periods or {}).items())) if period in key)


@lru_cache(maxsize=8)
def _folded(places: tuple[str, ...]) -> frozenset[str]:
    """The loaded places, folded (once per set of plans, not once per question)."""
    return frozenset(fold(p) for p in places)


@lru_cache(maxsize=8)
def _month_periods(periods: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """(plan id, period key) of the periods that name months."""
    return tuple((pid, period_key(p)) for pid, p in periods if re.search(r"\bthang\b", period_key(p)))


def parse_question(
    raw: str | None,
    places: dict[str, str],
    periods: dict[str, str] | None = None,
    gazetteer: Gazetteer | None = None,
) -> Question:
    """`gazetteer`: the loaded plans' places (`places.gazetteer`); `places` maps plan ids to
    their place names."""
    text = validate(raw)
    named = named_plans(text, gazetteer)
    folded = fold(text)
    expanded = expand_abbreviations(text)
    units = find_units(expanded, loose=True)
    return Question(
        text=text,
        folded=folded,
        search_text=expanded,
        intent=detect_intent(folded),
        plan_ids=named.plan_ids,
        ambiguous=named.ambiguous,
        by_kind=named.by_kind,
        units=tuple(dict.fromkeys(u.unit for u in units)),
        unit_mentions=tuple(u.text for u in units),
        wants=detect_wants(folded),
        has_diacritics=has_diacritics(text),
        unknown_place=unknown_place(text, places),
        period_plans=period_plans(folded, periods),
    )
