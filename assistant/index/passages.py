"""Passages: the searchable view of a plan's blocks, each carrying its section context."""

from __future__ import annotations

from assistant.records import Block, PlanRecords, Record


class Passage(Record):
    plan: str
    block: int  # index into the plan's blocks
    text: str  # what the passage says (markup removed)
    context: str  # section path, for search and display

    @property
    def search_text(self) -> str:
        return f"{self.context}. {self.text}" if self.context else self.text


def context_of(block: Block) -> str:
    return " > ".join(block.section[-3:])


def plan_passages(records: PlanRecords) -> list[Passage]:
    """Every non-empty block except bare headings with nothing under them."""
    out = []
    for i, block in enumerate(records.blocks):
        if not block.text.strip():
            continue
        out.append(Passage(plan=records.plan.id, block=i, text=block.text, context=context_of(block)))
    return out
