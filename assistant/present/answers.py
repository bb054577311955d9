"""An `Answer` in words: its first lines (the facts, or why there are none) in Markdown
bold for JSON and Telegram, plain text with its quotes for the console, and the JSON
object of `ask --json` / `--jsonl`. Pure functions."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.present.across import SHOWN, across_markdown, ask_for_more, none_across
from assistant.present.facts import say
from assistant.present.words import lines_label
from assistant.records import Answer, Citation, Fact, Plan

_INVALID = {
    "empty": "Bạn chưa nhập câu hỏi. Hãy hỏi ví dụ: «Ai chủ trì kế hoạch chuyển đổi số năm 2026?»",
    "no_letters": "Tôi chưa hiểu câu hỏi. Hãy hỏi bằng chữ, ví dụ: «Báo cáo năm về CCHC gửi trước ngày nào?»",
    "not_vietnamese": (
        "Xin lỗi, tôi chỉ trả lời câu hỏi bằng tiếng Việt về các kế hoạch cải cách hành chính. "
        "Ví dụ: «Phòng nào chủ trì cải cách thể chế?»"
    ),
}


def answer_markdown(answer: Answer) -> str:
    """The answer's first lines, values bold in Markdown (`**...**`)."""
    if answer.status == "invalid":
        if answer.problem == "too_long":
            return (
                f"Câu hỏi quá dài ({answer.length} ký tự). Hãy hỏi ngắn gọn, dưới {answer.limit} ký tự, "
                "mỗi lần một ý."
            )
        return _INVALID[answer.problem or "empty"]
    if answer.status == "ambiguous":
        return _choose(answer)
    if answer.missing is not None:
        return _no_plan(answer)
    if answer.across:
        return across_markdown(answer)
    if not answer.found and answer.searched:
        return none_across(answer)
    if not answer.found:
        where = f" của {', '.join(answer.places)}" if answer.places else ""
        return (
            f"Không tìm thấy thông tin này trong kế hoạch{where}. "
            "Dưới đây là các đoạn gần nhất để bạn tự kiểm tra."
        )
    if len(answer.facts) == 1:
        stated = fact_markdown(answer.facts[0], answer.named_plan)
    else:
        stated = "\n".join(f"• {fact.place}: {say(fact)}" for fact in answer.facts)
    if answer.also_plans:
        stated += "\n" + also_line(answer)
    if answer.confidence == "low":
        return f"{TENTATIVE} {stated}"
    if answer.premise_holds is not None:
        return f"{'Đúng' if answer.premise_holds else 'Không đúng'}. Theo kế hoạch: {stated}"
    return stated


# No plan loaded at all (a new installation): the front ends say where plans go.
NO_PLANS = "Chưa có kế hoạch nào trong hệ thống, nên chưa thể trả lời. Hãy thêm kế hoạch trước."


def also_line(answer: Answer) -> str:
    """The plans left out for room: "… và 2 kế hoạch khác cũng nêu: xã A, xã B."."""
    return f"… và {len(answer.also_plans)} kế hoạch khác cũng nêu: {', '.join(answer.also_places)}."


def ask_for_also(answer: Answer) -> str:
    """How to see a plan left out when there are no buttons (the console, `ask`): the
    question again with that place."""
    example = with_place(answer.question, answer.also_places[0])
    return f"Để xem kế hoạch khác, hãy hỏi lại kèm tên xã/phường, ví dụ: «{example}»"


def with_place(question: str, place: str) -> str:
    """The question naming `place` ("xã Thái Tân"): in the place of the bare "xã" it says
    ("… của xã?" -> "… của xã Thái Tân?"), or after it ("… ở xã Thái Tân?")."""
    question = question.strip()
    kind = place.split(" ", 1)[0]
    for m in re.finditer(rf"\b{re.escape(kind)}\b", question, re.IGNORECASE):
        if not question[m.end() :].lstrip()[:1].isupper():  # not a place's own name that follows
            return question[: m.start()] + place + question[m.end() :]
    return f"{question.rstrip('?').rstrip()} ở {place}?"


# Before a tentative answer: the plans may not say this; the quote and the next passages follow.
TENTATIVE = "Có thể là (chưa chắc chắn, hãy đối chiếu trích dẫn):"
NEXT_PASSAGES = "Các đoạn liên quan khác:"


def closest(answer: Answer) -> tuple[Citation, ...]:
    """The passages shown besides the answer: the closest ones when nothing was found, the
    next two after a tentative answer, none after a confident one."""
    if not answer.found:
        return answer.alternatives
    return answer.alternatives[:2] if answer.confidence == "low" else ()


def fact_markdown(fact: Fact, named_plan: bool) -> str:
    """One fact on its own, its place in brackets unless the question named the plan."""
    return say(fact) if named_plan else f"{say(fact)} [{fact.place}]"


def plan_label(plan: Plan, period_as: str = "") -> str:
    """ "xã Thạnh An (thành phố Cần Thơ), năm 2026": enough to tell plans of one name apart;
    `period_as` before the period ("kế hoạch ")."""
    above = ", ".join(x for x in (plan.district, plan.province) if x)
    where = f"{plan.place} ({above})" if above else plan.place
    return f"{where}, {period_as}{plan.period}" if plan.period else where


MAX_LISTED = 6  # plans named one by one in a listing's scope; more are counted


def scope_label(plans: Sequence[Plan]) -> str:
    """The plans a listing looked at, with place and period: "xã Thạnh An (thành phố Cần
    Thơ), kế hoạch năm 2026", or "5 kế hoạch: phường Rạch Giá (tỉnh An Giang), năm 2026; …"."""
    if not plans:
        return "chưa có kế hoạch nào"
    if len(plans) == 1:
        return plan_label(plans[0], "kế hoạch ")
    listed = "; ".join(plan_label(p) for p in plans[:MAX_LISTED])
    more = f"; và {len(plans) - MAX_LISTED} kế hoạch khác" if len(plans) > MAX_LISTED else ""
    return f"{len(plans)} kế hoạch: {listed}{more}"


def scope_places(plans: Sequence[Plan]) -> str:
    """Where a listing looked, short: "xã Thạnh An", "xã Kỳ Lạc, xã Thái Tân" or "5 kế hoạch"."""
    places = list(dict.fromkeys(p.place for p in plans))
    return ", ".join(places) if 0 < len(places) <= 3 else f"{len(plans)} kế hoạch"


def _choose(answer: Answer) -> str:
    listed = "\n".join(f"• {plan_label(p)} — mã {p.id}" for p in answer.choices)
    return (
        f"Có {len(answer.choices)} kế hoạch cùng tên địa bàn trong câu hỏi:\n{listed}\n"
        "Bạn hỏi kế hoạch nào? Hãy hỏi lại, ghi tên xã/phường có dấu hoặc kèm tên tỉnh, huyện."
    )


def _no_plan(answer: Answer) -> str:
    missing = answer.missing
    if not answer.available:
        return NO_PLANS
    if missing.place:
        what = f"của {missing.place}"
    else:
        what = "năm " + ", ".join(str(y) for y in missing.years)
        what += f" của {', '.join(missing.of_places)}" if missing.of_places else ""
    known = "; ".join(f"{place} ({period})" for place, period in answer.available)
    return f"Chưa có kế hoạch {what} trong hệ thống. Các kế hoạch hiện có: {known}."


def understood_line(answer: Answer) -> str:
    """What a follow-up was taken to mean, shown before its answer so a wrong guess shows."""
    return f"Hiểu là: {answer.understood}" if answer.understood else ""


def answer_plain(answer: Answer) -> str:
    """The answer's first lines without markup."""
    return answer_markdown(answer).replace("**", "")


def _citation_json(c: Citation) -> dict:
    return {"doc": c.doc, "plan": c.plan, "section": c.section, "quote": c.quote, "lines": list(c.lines)}


def answer_json(answer: Answer, qid: str | None = None) -> dict:
    out = {
        "found": answer.found,
        "intent": answer.intent,
        "answer": answer_markdown(answer),
        "sources": [_citation_json(c) for c in answer.citations],
    }
    if answer.found:
        out["confidence"] = answer.confidence
    if not answer.found or answer.confidence == "low":
        out["closest"] = [_citation_json(c) for c in closest(answer)]
    if answer.understood:
        out["understood"] = answer.understood
    if answer.also_plans:
        out["also"] = [{"plan": p, "place": q} for p, q in zip(answer.also_plans, answer.also_places)]
    return ({"id": qid} | out) if qid is not None else out


def answer_text(answer: Answer) -> str:
    """Plain text for the console: the fact first, then each source and its quote."""
    lines = [understood_line(answer)] if answer.understood else []
    lines.append(answer_plain(answer))
    if answer.across:  # each commune's quote is on its line
        return "\n".join(lines + ([ask_for_more(answer)] if len(answer.facts) > SHOWN else []))
    if answer.also_plans:
        lines.append(ask_for_also(answer))
    for c in answer.citations:
        lines.append(f"\n📄 {c.plan_title} — {c.section or 'phần mở đầu'} ({lines_label(c.lines)})")
        lines.append(f"   «{c.quote}»")
    if closest(answer):
        if answer.found:
            lines.append(f"\n{NEXT_PASSAGES}")
        for c in closest(answer):
            lines.append(f"\n🔎 {c.plan_title} — {c.section} ({lines_label(c.lines)})")
            lines.append(f"   «{c.quote[:400]}»")
    return "\n".join(lines)
