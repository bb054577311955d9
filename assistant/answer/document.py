"""Statements about the plan as a document rather than about its records: the legal bases
it is issued on (Căn cứ), who signs it, whom it is sent to (Nơi nhận), and where a passage
sits in it (its section, with the count a heading states: "(11 nhiệm vụ)"). Read from the
blocks the plan's parser keeps, in every plan of the genre. Pure."""

from __future__ import annotations

import re

from assistant.answer.statements import Statement
from assistant.lang.normalize import fold
from assistant.records import Block, Fact, PlanRecords

_BASIS = re.compile(r"^căn cứ\b", re.IGNORECASE)
_RECIPIENTS = re.compile(r"^nơi nhận\b", re.IGNORECASE)
_SIGNING_TITLE = re.compile(r"\b(?:tm\.?|kt\.?|q\.?)?\s*(?:pho )?chu tich\b")
# A person's name: two to five capitalised words, no digits or punctuation (and not all in
# capitals: "PHỤ LỤC" after the signature is a title).
_NAME = re.compile(r"^(?:[A-ZĐ\u00c0-\u1ef9][\w]*\s+){1,4}[A-ZĐ\u00c0-\u1ef9][\w]*$")
# The questions each one answers, as the genre asks them (folded).
ASKS = {
    "basis": re.compile(r"\bcan cu\b"),
    "signer": re.compile(r"\b(?:ai ky|nguoi ky|ky ban hanh|ky ke hoach|do ai ky|ai la nguoi ky)\b"),
    "recipients": re.compile(
        r"\b(?:noi nhan|gui (?:toi|den|cho) (?:nhung )?(?:ai|dau|don vi nao|co quan nao))\b"
    ),
    "section": re.compile(
        r"\bthuoc (?:muc|nhom|phan|linh vuc|noi dung|chuyen de)\b|\b(?:bao nhieu|may) (?:nhiem vu|noi dung)\b"
    ),
}


def asked(folded_question: str) -> set[str]:
    """The kinds of document statement the question asks for."""
    return {kind for kind, pattern in ASKS.items() if pattern.search(folded_question)}


def basis_statement(rec: PlanRecords, block: Block, passage: int) -> Statement | None:
    """A preamble paragraph that opens with "Căn cứ": the documents the plan rests on."""
    if block.section or not _BASIS.match(block.text.strip()):
        return None
    fact = Fact(kind="basis", plan=rec.plan.id, excerpt=block.text)
    return Statement("basis", fact, plan=rec.plan.id, passage=passage, blocks=(block,), basis=block.text)


def closing_statements(rec: PlanRecords, passage: int) -> list[Statement]:
    """Whom the plan is sent to and who signs it, from the closing blocks (under "Nơi
    nhận"): the list items are the recipients; the signing title and the name follow."""
    closing = [b for b in rec.blocks if b.section and _RECIPIENTS.match(b.section[-1])]
    out: list[Statement] = []
    items = [b for b in closing if b.kind == "item"]
    if items:
        names = tuple(re.sub(r"^[-–•+]\s*", "", b.text).rstrip(";.") for b in items)
        fact = Fact(kind="recipients", plan=rec.plan.id, items=names)
        out.append(
            Statement(
                "recipients",
                fact,
                plan=rec.plan.id,
                passage=passage,
                blocks=tuple(items),
                basis=" ".join(names),
            )
        )
    rest = [b for b in closing if b.kind != "item"]
    titles = [i for i, b in enumerate(rest) if _SIGNING_TITLE.search(fold(b.text))]
    if titles:
        after = [b for b in rest[titles[0] :] if _NAME.match(b.text.strip()) and not b.text.isupper()]
        if after:
            title, name = rest[titles[0]], after[0]
            fact = Fact(
                kind="signer", plan=rec.plan.id, unit=name.text.strip(), excerpt=_title_words(title, rest)
            )
            out.append(
                Statement(
                    "signer",
                    fact,
                    plan=rec.plan.id,
                    passage=passage,
                    blocks=(title, name) if title is not name else (name,),
                    basis=f"{fact.excerpt} {fact.unit} ký",
                )
            )
    return out


def _title_words(title: Block, rest: list[Block]) -> str:
    """The signing title as the plan writes it ("TM. ỦY BAN NHÂN DÂN CHỦ TỊCH"), with the
    line after it when the title is split ("KT.CHỦ TỊCH" / "PHÓ CHỦ TỊCH")."""
    at = rest.index(title)
    following = rest[at + 1] if at + 1 < len(rest) else None
    if following is not None and _SIGNING_TITLE.search(fold(following.text)):
        return f"{title.text} {following.text}"
    return title.text


def section_statement(rec: PlanRecords, at: int, passage: int) -> Statement | None:
    """Where the passage of block `at` sits: its section path, the heading nearest to it
    last (a heading that states a count, "(11 nhiệm vụ)", answers how many the group holds)."""
    block = rec.blocks[at]
    if not block.section:
        return None
    path = tuple(block.section)
    fact = Fact(kind="section", plan=rec.plan.id, items=path)
    heading = section_heading(rec, at)
    blocks = (heading, block) if heading is not None else (block,)
    return Statement(
        "section", fact, plan=rec.plan.id, passage=passage, blocks=blocks, basis=" ".join((*path, block.text))
    )


def section_heading(rec: PlanRecords, at: int) -> Block | None:
    """The heading block of block `at`'s own section (the last one of its path)."""
    block = rec.blocks[at]
    for prev in reversed(rec.blocks[:at]):
        if prev.kind == "heading" and prev.text == block.section[-1]:
            return prev
    return None
