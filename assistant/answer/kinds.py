"""The kinds of value a question may ask for (an amount of money, a percentage, a number,
a date) and the expressions of the plans that carry them: how often, when, how much.
Pure."""

from __future__ import annotations

import re

FREQUENCY = re.compile(
    r"\b(?:hằng|hàng|mỗi)\s+(?:năm|quý|tháng|tuần|ngày)\b|\bđịnh kỳ(?:\s+(?:quý|tháng|năm|"
    r"6 tháng)(?:[, ]+(?:và\s+)?(?:quý|tháng|năm|6 tháng))*)?|\bthường xuyên\b|\bđột xuất\b",
    re.IGNORECASE,
)
DATE = re.compile(
    r"\b\d{1,2}/\d{1,2}(?:/\d{4})?\b|\bngày\s+\d{1,2}\b|\bngày\s+\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?|\b(?:tháng|quý)\s+[\dIVX]+\b(?:/\d{4}|\s+năm\s+\d{4})?",
    re.IGNORECASE,
)
MONEY = re.compile(r"\d[\d.,]*\s*(?:triệu|tỷ|nghìn|ngàn)\s*đồng", re.IGNORECASE)
PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s?%")

# The expressions a fact leads with, by the question's intent: the first that matches.
LEADING = {"deadline": (FREQUENCY, DATE), "report_deadline": (DATE, FREQUENCY), "target": (PERCENT, MONEY)}


def has_kind(text: str, wants: str | None) -> bool:
    """Whether `text` holds the kind of value the question asks for."""
    if wants == "money":
        return bool(MONEY.search(text))
    if wants == "percent":
        return bool(PERCENT.search(text))
    if wants == "number":
        return bool(re.search(r"\d", text))
    if wants == "frequency":
        return bool(FREQUENCY.search(text)) or has_kind(text, "date")
    if wants == "date":
        return bool(DATE.search(text)) or bool(re.search(r"\d{1,2}/\d{1,2}", text))
    return True


def leading_expression(sentence: str, intent: str) -> str:
    """The temporal or numeric expression of `sentence` that answers `intent`, or ""."""
    for pattern in LEADING.get(intent, ()):
        m = pattern.search(sentence)
        if m:
            return m.group(0)
    return ""
