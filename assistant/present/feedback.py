"""Feedback that teaches: the reasons a 👎 can give, the plan files an answer came from,
and the conversion of stored 👎 votes into gold-question lines an editor completes
(`python -m assistant feedback --export`). Pure functions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from assistant.records import Answer


class Vote(Protocol):
    """A stored vote, as the bot's store gives it (`telegram.store.Feedback`)."""

    vote: int
    question: str
    answer: str
    ts: float
    reason: str
    intent: str
    docs: tuple[str, ...]


# What was wrong with an answer: the code kept in callback data and in the store, the
# button's label. The codes are stored: add new ones, never rename one.
REASONS = {
    "unit": "Sai đơn vị",
    "date": "Sai thời hạn",
    "question": "Không đúng câu hỏi",
    "missing": "Thiếu thông tin",
}
# The gold-question fields only an editor can write (see ../shared/eval/README.md).
TO_FILL = ("must_contain", "evidence")


def answer_docs(answer: Answer, files: Mapping[str, str]) -> tuple[str, ...]:
    """The plan files an answer came from (its quotes' plans first) or, when nothing was
    found, searched; `files` maps a plan id to its file name."""
    docs = [c.doc for c in answer.citations]
    docs += [files[p] for p in answer.plans if p in files]
    docs += [c.doc for c in answer.alternatives]
    return tuple(dict.fromkeys(d for d in docs if d))


def gold_lines(rows: Iterable[Vote], timezone: str = "Asia/Ho_Chi_Minh") -> list[dict]:
    """Every 👎 (with or without a reason), oldest first, as a gold question whose
    `must_contain` and `evidence` are left empty and named in `to_fill`; `asked_at` is
    the time of the first vote on the answer (the bot keeps no other), in `timezone`."""
    zone = ZoneInfo(timezone)
    downs = sorted((fb for fb in rows if fb.vote == -1), key=lambda fb: fb.ts)
    return [
        {
            "id": f"fb-{n:04d}",
            "doc": fb.docs[0] if fb.docs else "",
            "question": fb.question,
            "intent": fb.intent,
            "must_contain": [],
            "evidence": "",
            "reason": REASONS.get(fb.reason, fb.reason).lower(),
            "bot_answer": fb.answer,
            "docs": list(fb.docs),
            "asked_at": datetime.fromtimestamp(fb.ts, zone).isoformat(timespec="seconds"),
            "to_fill": list(TO_FILL),
        }
        for n, fb in enumerate(downs, 1)
    ]
