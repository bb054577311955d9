"""A chat's own commune or ward ("địa bàn"): found by what a user types (any of its names,
with or without diacritics, with or without "xã"/"phường"), and the loaded plans it owns
(every period: a commune's plan of next year joins it when loaded). Pure."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answer.places import Gazetteer, named_plans
from assistant.lang.normalize import collapse, fold, nfc
from assistant.records import PLACE_KINDS, Plan


@dataclass(frozen=True)
class Home:
    place: str  # "xã Thạnh An"
    province: str = ""
    district: str = ""

    @property
    def label(self) -> str:
        """ "xã Thạnh An (thành phố Cần Thơ)": enough to tell two places of one name apart."""
        above = ", ".join(x for x in (self.district, self.province) if x)
        return f"{self.place} ({above})" if above else self.place


def home_of(plan: Plan) -> Home:
    return Home(plan.place, plan.province, plan.district)


def plans_at(home: Home | None, catalog: list[Plan]) -> tuple[str, ...]:
    """The ids of the loaded plans of `home` (none when no home is set)."""
    if home is None:
        return ()
    return tuple(p.id for p in catalog if home_of(p) == home)


def homes(catalog: list[Plan]) -> list[Home]:
    """Every loaded commune and ward, once, in alphabetical order of their names."""
    found = {home_of(p) for p in catalog if p.place}
    return sorted(found, key=lambda h: (fold(h.place.split(" ", 1)[-1]), h.label))


def find_homes(text: str, catalog: list[Plan], gazetteer: Gazetteer) -> list[Home]:
    """The communes and wards `text` names: one when it is clear, several when a name is
    shared (the asker chooses), none when no loaded place has that name."""
    text = collapse(nfc(text))
    if not text:
        return []
    by_id = {p.id: p for p in catalog}
    tries = [text] if fold(text).startswith(tuple(fold(k) for k in PLACE_KINDS)) else []
    tries += [f"{kind} {text}" for kind in PLACE_KINDS] + [text]
    for attempt in tries:
        named = named_plans(attempt, gazetteer)
        if named.by_kind or not named.plan_ids:
            continue
        return sorted({home_of(by_id[p]) for p in named.plan_ids if p in by_id}, key=lambda h: h.label)
    return []
