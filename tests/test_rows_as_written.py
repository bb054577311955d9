"""Kỳ Lạc's appendix rows read as the plan writes them (issue 21, item 7).

A sample of the flattened table's rows, each field of the task record compared with the
lines of its cell in the plan file, white space aside. The cells are written here as the
plan's line numbers, read by eye from the file: a page break may cut a cell, and a line
after it may hold the rests of several cells ("CCHC tiễn vực CCHC": the end of a task, of
an activity and of a unit's name); such a part is given with its line and checked to be
in it. The texts compared are always the file's own.
"""

from __future__ import annotations

import re

import pytest
from helpers import CORPUS

from assistant.parse.plan import parse_plan
from assistant.present.words import task_title
from assistant.read.load import read_document

PLAN = CORPUS / "xa-ky-lac-2025.txt"

# (group, number of the row): its cells, as plan lines (a number: the whole line; a pair:
# the part of that line that belongs to the cell). A task or activity cell opens with its
# number; a row without activity is a task with cells of its own.
SAMPLE = {
    ("I", "3.1"): {
        "task": [851, 853, 855],
        "activity": [857, 859, 861],
        "product": [873, 875, 877],
        "lead": [879, 881],
    },
    ("I", "3.6"): {  # cut by a page break: three cells go on in one line
        "task": [1016, 1018, 1020, (1077, "CCHC")],
        "activity": [1022, 1024, 1026, (1077, "tiễn")],
        "product": [1028, 1030, 1032],
        "lead": [1034, 1036, 1038, (1077, "vực CCHC"), 1079],
    },
    ("I", "3.13"): {
        "task": [1243, 1245, 1247],
        "activity": [1249, 1251, 1253],
        "product": [],
        "lead": [1256, 1258],
    },
    ("II", "3.18"): {  # the product and the budget go on in one line after a page break
        "task": [1461, 1463, 1465],
        "activity": [1521, 1523, 1525, 1527, 1586, 1588],
        "product": [1529, 1531, 1533, 1535, (1590, "Công văn")],
        "lead": [1537, 1539, 1541, 1543],
    },
    ("III", "2.4"): {  # a task with cells of its own, no activity
        "task": [1881, 1883],
        "activity": [1881, 1883],
        "product": [1886, 1888, 1890, 1892],
        "lead": [1894, 1896, 1898],
    },
    ("III", "3.3"): {  # the task and the activity go on in one line after a page break
        "task": [1778, 1780, 1782, 1784, (1851, "nhà nước.")],
        "activity": [1786, 1788, 1790, 1792, (1851, "đến TTHC nội"), 1853, 1855, 1857],
        "product": [1794, 1796, 1798, 1800, 1859, 1861, 1863, 1865, 1867, 1869],
        "lead": [1802, 1804, 1806, 1808],
    },
    ("III", "3.9"): {
        "task": [2184, 2186, 2188, 2190, 2192],
        "activity": [2206, 2208, 2210, 2212, 2214, 2216, 2279, 2281],
        "product": [*range(2218, 2243, 2), 2287, 2289, 2291, 2293, 2295],
        "lead": [2244, 2246],
    },
    ("VI", "3.1"): {
        "task": [2853, 2855],
        "activity": [2863, 2865, 2867],
        "product": [2879],
        "lead": [2883, 2885],
    },
    ("VI", "3.2"): {  # "2.2  Báo cáo 3.2. Báo cáo": task and activity on one line
        "task": [(2925, "2.2  Báo cáo")],
        "activity": [(2925, "3.2. Báo cáo")],
        "product": [2929],
        "lead": [2933, 2935],
    },
    ("VI", "3.3"): {
        "task": [2967, 2969],
        "activity": [2973, 2975, 2977],
        "product": [2985],
        "lead": [2987, 2989],
    },
}


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return PLAN.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def tasks():
    return parse_plan(read_document(PLAN)).tasks


def task(tasks, group: str, label: str):
    found = [t for t in tasks if t.label == label and t.section[1].split()[0] == group]
    assert len(found) == 1, (group, label)
    return found[0]


def plan_cell(lines: list[str], refs) -> str:
    """A cell's text from the plan's own lines."""
    parts = []
    for ref in refs:
        number, part = ref if isinstance(ref, tuple) else (ref, None)
        line = lines[number - 1].strip()
        assert line, number
        if part is not None:
            assert part in line, (number, part)
        parts.append(part or line)
    return " ".join(parts)


def bare(text: str) -> str:
    return re.sub(r"\s+", "", text)


def without_number(cell: str) -> str:
    return re.sub(r"^\d\.\d{1,2}\.?\s*", "", cell)


@pytest.mark.parametrize("key", list(SAMPLE), ids=lambda k: " ".join(k))
def test_a_row_reads_as_its_cells(lines, tasks, key):
    t, cells = task(tasks, *key), SAMPLE[key]
    assert bare(t.content) == bare(without_number(plan_cell(lines, cells["activity"])))
    # the task the activity carries out, in a field of its own ("" when the activity's
    # text is the task's, or the row is the task)
    assert bare(t.task or t.content) == bare(without_number(plan_cell(lines, cells["task"])))
    assert bare(t.product) == bare(plan_cell(lines, cells["product"]))
    assert bare("".join(t.lead)) == bare(plan_cell(lines, cells["lead"]).rstrip(";"))


def test_the_sample_has_rows_a_page_break_cuts(tasks):
    text = PLAN.read_text(encoding="utf-8")
    for key in (("I", "3.6"), ("II", "3.18"), ("III", "3.3"), ("III", "3.9")):
        t = task(tasks, *key)
        assert "2- Nhiệm vụ 3- Hoạt động" in text[t.span.start : t.span.end], key  # the header


def test_a_listing_names_the_task_then_the_activity(tasks):
    t = task(tasks, "VI", "3.3")
    assert task_title(t) == "Xây dựng quy chế quản lý tài sản công: Văn bản hướng dẫn, đôn đốc"
    assert task_title(task(tasks, "VI", "3.2")) == "Báo cáo"  # the task's text is the activity's
    assert task_title(task(tasks, "III", "2.4")) == "Công bố các TTHC"  # a task row
    long = task(tasks, "III", "3.1")  # a task of 230 characters
    assert len(task_title(long, 200)) <= 205 and task_title(long, 200).endswith(long.content)


def test_no_task_is_named_by_its_product_or_cut(tasks):
    connectors = {"và", "của", "về", "có", "hoặc", "các", "cho", "với", "tại", "trên"}
    for t in tasks:
        where = (t.label, t.span.line_start)
        assert t.content and bare(t.content) != bare(t.product), where
        assert not t.product or bare(t.product) not in bare(t.content), where
        for field in (t.content, t.product, *t.lead, *t.cooperating):
            words = re.findall(r"\w+", field.lower())
            assert not words or words[-1] not in connectors, (*where, field)
