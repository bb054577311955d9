"""Rendering answers for the terminal and as JSON."""

from __future__ import annotations

from assistant.records import Answer


def answer_json(answer: Answer, qid: str | None = None) -> dict:
    out = {
        "found": answer.found,
        "intent": answer.intent,
        "answer": answer.text,
        "sources": [
            {"doc": c.doc, "plan": c.plan, "section": c.section, "quote": c.quote, "lines": list(c.lines)}
            for c in answer.citations
        ],
    }
    if not answer.found:
        out["closest"] = [
            {"doc": c.doc, "plan": c.plan, "section": c.section, "quote": c.quote, "lines": list(c.lines)}
            for c in answer.alternatives
        ]
    return ({"id": qid} | out) if qid is not None else out


def answer_text(answer: Answer) -> str:
    """Plain text for the console: the fact first, then each source and its quote."""
    lines = [answer.text.replace("**", "")]
    for c in answer.citations:
        lines.append(f"\n📄 {c.plan_title} — {c.section or 'phần mở đầu'} (dòng {c.lines[0]}–{c.lines[1]})")
        lines.append(f"   «{c.quote}»")
    if not answer.found and answer.alternatives:
        for c in answer.alternatives:
            lines.append(f"\n🔎 {c.plan_title} — {c.section} (dòng {c.lines[0]}–{c.lines[1]})")
            lines.append(f"   «{c.quote[:400]}»")
    return "\n".join(lines)
