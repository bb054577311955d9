"""One plan file -> PlanRecords: structure the text, then extract every record."""

from __future__ import annotations

from assistant.parse.extract import (
    BUDGET_LABEL,
    extract_duties,
    extract_reports,
    extract_targets,
    task_from_row,
)
from assistant.parse.flattable import find_flattened_table, parse_flattened_table
from assistant.parse.planmeta import extract_plan
from assistant.parse.prose import clean_markup, paragraphs, prose_blocks, split_lines
from assistant.parse.tsv import parse_tsv_tables
from assistant.read.load import SourceDoc
from assistant.records import Block, Doubt, PlanRecords, Span

APPENDIX = "Phụ lục"


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _row_text(cells: dict[str, str]) -> str:
    labels = (
        ("content", ""),
        ("product", "Sản phẩm"),
        ("lead", "Chủ trì"),
        ("cooperating", "Phối hợp"),
        ("deadline", "Thời gian"),
        ("budget", BUDGET_LABEL),
    )
    parts = []
    for key, label in labels:
        value = clean_markup(cells.get(key, ""))
        if value:
            parts.append(f"{label}: {value}" if label else value)
    return ". ".join(parts)


def tsv_row_blocks(doc: str, text: str) -> list[Block]:
    blocks = []
    for group in parse_tsv_tables(text):
        for row in group.rows:
            cells = {k: v for k, v in row.cells.items() if k != "note"}
            cells["label"] = row.label
            span = Span(
                doc=doc, start=row.start, end=row.end, line_start=row.line_start, line_end=row.line_end
            )
            section = (APPENDIX, group.title) if group.title else (APPENDIX,)
            blocks.append(Block(kind="row", text=_row_text(cells), section=section, span=span, cells=cells))
    return blocks


def objective_blocks(doc: str, text: str, rows) -> list[Block]:
    """One block per distinct objective cell (1.x) of a flattened table: the plan's targets."""
    blocks, seen = [], set()
    for row in rows:
        objective = row.objective.strip()
        if not objective or objective in seen:
            continue
        seen.add(objective)
        a, b = row.objective_span
        if b <= a:
            continue
        span = Span(doc=doc, start=a, end=b, line_start=_line_of(text, a), line_end=_line_of(text, b))
        section = tuple(s for s in (APPENDIX, row.group) if s)
        blocks.append(Block(kind="item", text=clean_markup(objective), section=section, span=span))
    return blocks


def flat_row_blocks(doc: str, text: str, start: int, end: int) -> tuple[list[Block], list[Doubt]]:
    blocks, warnings = [], []
    rows = parse_flattened_table(text, start, end)
    blocks += objective_blocks(doc, text, rows)
    for row in rows:
        cells = {
            "label": row.label,
            "content": row.content,
            "product": row.product,
            "lead": row.lead,
            "cooperating": row.cooperating,
            "deadline": row.deadline,
            "budget": row.budget,
            "task": row.task,
            "objective": row.objective,
        }
        cells = {k: v for k, v in cells.items() if v}
        span = Span(doc=doc, start=row.start, end=row.end, line_start=row.line_start, line_end=row.line_end)
        section = tuple(s for s in (APPENDIX, row.group, row.task) if s)
        blocks.append(Block(kind="row", text=_row_text(cells), section=section, span=span, cells=cells))
        if not row.complete:
            warnings.append(Doubt(kind="row_incomplete", line=row.line_start, label=row.label))
    return blocks, warnings


def structure(doc: str, text: str) -> tuple[list[Block], list[Doubt]]:
    """All blocks of a plan: prose outside tables, then table rows."""
    flat = find_flattened_table(text)
    lines = split_lines(text)
    prose = [
        ln
        for ln in lines
        if "\t" not in text[ln.start : ln.end] and not (flat and flat[0] <= ln.start < flat[1])
    ]
    blocks = prose_blocks(doc, paragraphs(prose, text))
    blocks += tsv_row_blocks(doc, text)
    warnings: list[Doubt] = []
    if flat:
        rows, warnings = flat_row_blocks(doc, text, *flat)
        blocks += rows
    return blocks, warnings


def parse_plan(source: SourceDoc) -> PlanRecords:
    text = source.text
    plan = extract_plan(source.name, text)
    blocks, warnings = structure(source.name, text)
    rows = [b for b in blocks if b.kind == "row"]
    prose = [b for b in blocks if b.kind != "row"]
    tasks = [task_from_row(plan.id, plan.year, b) for b in rows]
    return PlanRecords(
        plan=plan,
        blocks=tuple(blocks),
        tasks=tuple(tasks),
        duties=tuple(extract_duties(plan.id, prose)),
        reports=tuple(extract_reports(plan.id, plan.year, blocks)),
        targets=tuple(extract_targets(plan.id, blocks)),
        warnings=tuple(warnings),
    )
