"""Typed, immutable records for everything that crosses a module boundary."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def stable_id(*parts: object) -> str:
    """A short id derived from content, stable across runs."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return digest[:12]


class Span(Record):
    """Where a fact comes from: character offsets and 1-based lines in the source text."""

    doc: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    line_start: int = Field(ge=1)
    line_end: int = Field(ge=1)


class Block(Record):
    """One structural unit of a plan: heading, paragraph, list item or table row."""

    kind: Literal["heading", "paragraph", "item", "row"]
    text: str
    section: tuple[str, ...] = ()
    span: Span
    cells: dict[str, str] | None = None


DeadlineKind = Literal[
    "date", "month", "quarter", "halfyear", "year", "recurring", "ongoing", "relative", "unknown"
]


class Deadline(Record):
    raw: str
    kind: DeadlineKind
    due: date | None = None
    recurrence: Literal["monthly", "quarterly", "halfyearly", "yearly"] | None = None
    day_of_month: int | None = None  # for recurring rules such as "trước ngày 08 ..."
    month: int | None = None  # for yearly rules such as "trước ngày 08/12"


PLACE_KINDS = ("xã", "phường", "thị trấn", "đặc khu")  # what a plan's place can be


class Plan(Record):
    """A plan's identity: `id` is unique in a corpus (places that differ only by
    diacritics get distinct ids); `province` (and `district` when the plan names one) is
    the level above the commune or ward, as the plan writes it; "" when it does not."""

    id: str
    file: str
    place: str  # "xã Vĩnh Thịnh", "phường Rạch Giá"
    unit_kind: str  # one of PLACE_KINDS
    province: str = ""  # "tỉnh An Giang", "thành phố Cần Thơ"
    district: str = ""  # "huyện Châu Thành", where the plan names it
    period: str  # "2026", "6 tháng cuối năm 2025"
    year: int | None = None
    number: str | None = None
    date: str | None = None
    title: str


class Task(Record):
    id: str
    plan: str
    section: tuple[str, ...]
    label: str = ""  # row number or activity number ("3.4")
    content: str
    task: str = ""  # an activity's task (the column "Nhiệm vụ") as written, without its number
    product: str = ""
    lead: tuple[str, ...] = ()
    cooperating: tuple[str, ...] = ()
    deadline: Deadline | None = None
    budget: str = ""
    span: Span


class Duty(Record):
    id: str
    plan: str
    section: tuple[str, ...]
    unit: str
    role: Literal["lead", "cooperate", "other"]
    text: str
    partners: tuple[str, ...] = ()  # units named after "phối hợp với"
    span: Span


class Report(Record):
    id: str
    plan: str
    section: tuple[str, ...]
    what: str
    frequency: str = ""
    due: Deadline | None = None
    recipient: str = ""
    via: str = ""
    text: str
    span: Span


class Target(Record):
    id: str
    plan: str
    section: tuple[str, ...]
    area: str
    indicator: str
    value: str
    span: Span


class Doubt(Record):
    """Something an official should check in a plan as read: a table row read without
    its lead unit or deadline, a task missing them, a group whose stated count differs
    from the rows read, no place or period recognised, nothing read at all."""

    kind: Literal["row_incomplete", "task_incomplete", "group_count", "no_place", "no_period", "nothing_read"]
    line: int = 0  # row_incomplete, task_incomplete
    label: str = ""  # the row's or task's label ("1", "a")
    missing: tuple[Literal["lead", "deadline"], ...] = ()  # task_incomplete
    group: str = ""  # group_count: the group's title
    stated: int = 0  # group_count: the count the plan states
    read: int = 0  # group_count: the rows read


class PlanRecords(Record):
    """Everything read from one plan file."""

    plan: Plan
    blocks: tuple[Block, ...]
    tasks: tuple[Task, ...] = ()
    duties: tuple[Duty, ...] = ()
    reports: tuple[Report, ...] = ()
    targets: tuple[Target, ...] = ()
    warnings: tuple[Doubt, ...] = ()  # rows the parser could not read fully


class Citation(Record):
    """A quote: one source span of a plan, shown whole with white space collapsed."""

    doc: str
    plan: str
    plan_title: str
    section: str
    quote: str
    lines: tuple[int, int]
    start: int
    end: int


FactKind = Literal[
    "task_lead",
    "task_cooperating",
    "task_deadline",
    "duty",
    "duty_cooperating",
    "report",
    "report_frequency",
    "target",
    "sentence",
    "identity",
    "basis",
    "signer",
    "recipients",
    "section",
    "unit_tasks",
]


class Fact(Record):
    """One stated fact, as data: what kind of fact, about which plan, from which record.
    The wording is the presentation layer's (`present.facts`)."""

    kind: FactKind
    plan: str
    place: str = ""  # the plan's place ("xã Vĩnh Thịnh"), named when the question named none
    task: Task | None = None  # task_lead, task_cooperating, task_deadline; target: its row
    duty: Duty | None = None  # duty, duty_cooperating
    named_units: tuple[str, ...] = ()  # duty_cooperating: the units the question names
    excerpt: str = ""  # the part of a duty, or the sentence, the question is about
    reports: tuple[Report, ...] = ()  # report: the one chosen; report_frequency: all of them
    target: Target | None = None
    intent: str = ""  # sentence: what the question asks for (leads with it)
    identity: Plan | None = None  # identity: the plan's number and date
    unit: str = ""  # unit_tasks: the unit as the plan writes it
    owed: Literal["duties", "tasks"] = "duties"  # unit_tasks: what the items are
    owed_count: int = 0  # unit_tasks: how many the unit owes in all
    items: tuple[str, ...] = ()  # unit_tasks: the parts of the items the question is about


class MissingPlan(Record):
    """What a question names that no loaded plan covers: a place, or a year (of a place)."""

    place: str = ""
    years: tuple[int, ...] = ()
    of_places: tuple[str, ...] = ()  # the places whose plans lack those years


QuestionProblem = Literal["empty", "too_long", "no_letters", "not_vietnamese"]


class Answer(Record):
    """The answer as data: the facts stated (none when nothing was found), their sources,
    the closest passages, and why nothing was stated. The wording is `present`'s."""

    question: str
    found: bool
    intent: str
    facts: tuple[Fact, ...] = ()  # best first
    named_plan: bool = False  # the question named its plan (no place shown with the fact)
    citations: tuple[Citation, ...] = ()  # the sources of the stated facts
    alternatives: tuple[Citation, ...] = ()  # next candidates / closest passages
    plans: tuple[str, ...] = ()  # the plans stated from or, when not found, searched
    places: tuple[str, ...] = ()  # their places, in the same order
    status: Literal["answer", "not_found", "invalid", "ambiguous"] = "answer"
    confidence: Literal["high", "low"] = "high"  # low: a tentative answer, stated as uncertain
    premise_holds: bool | None = None  # a question asking to confirm a unit or date: does the fact?
    choices: tuple[Plan, ...] = ()  # ambiguous: the plans of one place name to choose from
    missing: MissingPlan | None = None  # no plan for the place or year asked about
    available: tuple[tuple[str, str], ...] = ()  # with `missing`: (place, period) loaded
    problem: QuestionProblem | None = None  # why the question was invalid
    limit: int = 0  # with problem "too_long": the longest question accepted
    length: int = 0  # with problem "too_long": the question's length
    understood: str = ""  # a follow-up: the question it was taken to mean, and where
    # a question naming no plan: other plans whose statements scored as well as those stated
    # (left out for room), and their places, so the asker can be offered them
    also_plans: tuple[str, ...] = ()
    also_places: tuple[str, ...] = ()
    # a question across communes ("xã nào …"): one fact per commune whose plan states it, best
    # first, and its citation in the same order; `searched`: the plans searched
    across: bool = False
    searched: int = 0
