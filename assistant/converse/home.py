"""A chat's own commune or ward ("địa bàn"): found by what a user types (any of its names,
with or without diacritics, with or without "xã"/"phường"), and the loaded plans it owns
(every period: a commune's plan of next year joins it when loaded). For those who oversee
several communes, the area can be a province or a district a loaded plan records ("tỉnh An
Giang", "huyện Châu Thành"): every commune's plans in it. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answer.places import Gazetteer, named_plans
from assistant.lang.normalize import collapse, fold, nfc
from assistant.records import PLACE_KINDS, Plan

# The kinds of area above a commune, as plans write them before the name
AREA_KINDS = ("tỉnh", "thành phố", "huyện", "quận", "thị xã")


@dataclass(frozen=True)
class Home:
    place: str  # "xã Thạnh An"; "" for a province or district
    province: str = ""
    district: str = ""

    @property
    def label(self) -> str:
        """ "xã Thạnh An (thành phố Cần Thơ)": enough to tell two places of one name apart;
        "huyện Châu Thành (tỉnh An Giang)" or "tỉnh An Giang" for an area."""
        if not self.place:
            return (
                f"{self.district} ({self.province})"
                if self.district and self.province
                else self.district or self.province
            )
        above = ", ".join(x for x in (self.district, self.province) if x)
        return f"{self.place} ({above})" if above else self.place

    def holds(self, plan: Plan) -> bool:
        """Whether `plan` is of this commune, or of a commune in this area."""
        if self.place:
            return home_of(plan) == self
        if self.district:
            return plan.district == self.district and (not self.province or plan.province == self.province)
        return bool(self.province) and plan.province == self.province


def home_of(plan: Plan) -> Home:
    return Home(plan.place, plan.province, plan.district)


def plans_at(home: Home | None, catalog: list[Plan]) -> tuple[str, ...]:
    """The ids of the loaded plans of `home` (none when no home is set)."""
    if home is None:
        return ()
    return tuple(p.id for p in catalog if home.holds(p))


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
    if fold(text).startswith(tuple(fold(k) + " " for k in AREA_KINDS)):
        areas = find_areas(text, catalog)
        if areas:
            return areas
    by_id = {p.id: p for p in catalog}
    tries = [text] if fold(text).startswith(tuple(fold(k) for k in PLACE_KINDS)) else []
    tries += [f"{kind} {text}" for kind in PLACE_KINDS] + [text]
    for attempt in tries:
        named = named_plans(attempt, gazetteer)
        if named.by_kind or not named.plan_ids:
            continue
        return sorted({home_of(by_id[p]) for p in named.plan_ids if p in by_id}, key=lambda h: h.label)
    return []


def find_areas(text: str, catalog: list[Plan]) -> list[Home]:
    """The provinces or districts `text` names with their kind ("tỉnh An Giang", "huyen chau
    thanh"), among those the loaded plans record: one, or several districts of one name."""
    asked = fold(collapse(nfc(text)))
    found = set()
    for p in catalog:
        if p.province and fold(p.province) == asked:
            found.add(Home("", p.province, ""))
        if p.district and fold(p.district) == asked:
            found.add(Home("", p.province, p.district))
    return sorted(found, key=lambda h: h.label)
