"""Which loaded plans a question names by place: the longest name wins (Tân Phú Đông over
Tân Phú), the spelling with the question's own diacritics wins (Thạnh An over Thanh An),
a province or district named in the question settles a name several provinces share, and
a name that the plans also use as ordinary words ("an ninh") counts only after its unit
kind ("xã An Ninh") or written with capitals. What still matches several plans of one
name is ambiguous: the answer asks which one. Pure given the plans and their text."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.lang.normalize import fold, has_diacritics
from assistant.lang.units import fold_same_length
from assistant.records import PLACE_KINDS, Plan

_KIND_BEFORE = re.compile(rf"\b(?:{'|'.join(fold(k) for k in PLACE_KINDS)})\s+$")
_KINDS = (("xa", r"\bxa\b(?!\s+hoi)"), ("phuong", r"\bphuong\b(?!\s+(?:thuc|an|tien|phap|cham|huong))"))


@dataclass(frozen=True)
class Place:
    plan: str
    kind: str  # folded: "xa", "phuong", ...
    name: str  # lower case, as the plan writes it: "thạnh an"
    folded: str  # "thanh an"
    above: tuple[str, ...]  # folded names of its province and district ("can tho")


def above_name(level: str) -> str:
    return fold(re.sub(r"^(?:tỉnh|thành phố|huyện|thị xã|quận)\s+", "", level, flags=re.IGNORECASE)).strip()


def ordinary_use(folded_name: str, text: str) -> bool:
    """Whether the text uses the name other than as a place: in lower case ("an ninh trật
    tự"; a place is written with capitals, "Rạch Giá, ngày 03 tháng 02") and not right
    after xã/phường."""
    folded = fold_same_length(text)
    for m in re.finditer(rf"\b{re.escape(folded_name)}\b", folded):
        if text[m.start()].islower() and not _KIND_BEFORE.search(folded[max(0, m.start() - 12) : m.start()]):
            return True
    return False


class Gazetteer:
    """The places of the loaded plans. Whether a name is also ordinary words is read, the
    first time a question matches it, from its own plan's text (`text_of(plan id)`): a plan
    that speaks of "an ninh trật tự" uses "an ninh" as words."""

    def __init__(self, plans: list[Plan], text_of: Callable[[str], str] = lambda plan: ""):
        self.places = []
        for p in plans:
            name = p.place.removeprefix(p.unit_kind).strip().lower()  # "xã Thạnh An" -> "thạnh an"
            if name:
                above = tuple(a for a in (above_name(p.province), above_name(p.district)) if a)
                self.places.append(Place(p.id, fold(p.unit_kind), name, fold(name), above))
        self._text_of = text_of
        self._common: dict[str, bool] = {}
        self._by_first: dict[str, list[int]] = {}  # first word of a folded name -> places
        for i, place in enumerate(self.places):
            self._by_first.setdefault(place.folded.split(" ", 1)[0], []).append(i)

    def candidates(self, folded: str) -> list[Place]:
        """The places whose name's first word is a word of `folded` (only they can match),
        in the gazetteer's order."""
        found = {i for w in set(re.findall(r"\w+", folded)) for i in self._by_first.get(w, ())}
        return [self.places[i] for i in sorted(found)]

    def common(self, place: Place) -> bool:
        if place.plan not in self._common:
            self._common[place.plan] = ordinary_use(place.folded, self._text_of(place.plan))
        return self._common[place.plan]


@dataclass(frozen=True)
class Named:
    plan_ids: tuple[str, ...]  # the plans the question names (or, by its unit kind, restricts to)
    ambiguous: tuple[str, ...] = ()  # plans of places of one name the question does not tell apart
    by_kind: bool = False  # no place named: the plans are those of the unit kind named ("xã")


def named_plans(text: str, gazetteer: Gazetteer | None) -> Named:
    """The plans `text` (the question, NFC) names by place."""
    places = gazetteer.places if gazetteer else []
    folded = fold(text)
    f = folded if len(folded) == len(text) else fold_same_length(text)  # positions match the text
    candidates = gazetteer.candidates(f) if gazetteer else []
    lower = text.lower()
    spelled = has_diacritics(text)  # without any, a spelling tells nothing apart
    hits = []  # (start, end, place, exact)
    for place in candidates:
        for m in re.finditer(rf"\b{re.escape(place.folded)}\b", f):
            kind_before = bool(_KIND_BEFORE.search(f[max(0, m.start() - 12) : m.start()]))
            if not (kind_before or text[m.start()].isupper()) and gazetteer.common(place):
                continue
            hits.append((m.start(), m.end(), place, lower[m.start() : m.end()] == place.name))
    # the longest name wins: drop a match inside a longer one
    hits = [h for h in hits if not any(_inside(h, o) for o in hits)]
    chosen: list[Place] = []
    ambiguous: list[str] = []
    for span in dict.fromkeys((h[0], h[1]) for h in hits):
        group = [h for h in hits if (h[0], h[1]) == span]
        exact = [h for h in group if h[3] and spelled]
        group = exact if exact and len(exact) < len(group) else group
        above = [h for h in group if any(mentions(folded, a) for a in h[2].above)]
        group = above if above else group
        chosen += [h[2] for h in group]
        if len({(h[2].name, h[2].above) for h in group}) > 1:  # two places, not two plans of one
            ambiguous += [h[2].plan for h in group]
    if chosen:
        return Named(tuple(dict.fromkeys(p.plan for p in chosen)), tuple(dict.fromkeys(ambiguous)))
    kind = _by_kind(folded, places)
    return Named(kind, by_kind=bool(kind))


def _inside(hit: tuple, other: tuple) -> bool:
    return other[0] <= hit[0] and hit[1] <= other[1] and other[1] - other[0] > hit[1] - hit[0]


def mentions(folded: str, name: str) -> bool:
    return bool(re.search(rf"\b{re.escape(name)}\b", folded))


def _by_kind(folded: str, places: list[Place]) -> tuple[str, ...]:
    """The plans of the one kind of unit the question names (`phường` or `xã`), when that
    restricts the loaded plans."""
    kinds = {k for k, pat in _KINDS if re.search(pat, folded)}
    if len(kinds) != 1:
        return ()
    kind = kinds.pop()
    matching = tuple(p.plan for p in places if p.kind == kind)
    return matching if 0 < len(matching) < len(places) else ()
