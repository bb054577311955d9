"""The unit lexicon: one canonical name per unit, every way the plans write it.

Matching runs over accent-folded text whose characters line up one to one with the
original, so every match keeps its exact span in the source.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from assistant.lang.normalize import fold_word


def fold_same_length(text: str) -> str:
    """Lower case, no diacritics, one dash kind; output has the same length as input."""
    out = []
    for ch in text:
        low = ch.lower()
        if len(low) != 1:
            low = ch
        base = unicodedata.normalize("NFD", low)[0]
        if base == "đ":
            base = "d"
        if unicodedata.category(base) == "Pd" or base == "\u2212":
            base = "-"
        out.append(base)
    return "".join(out)


_S = r"[\s\-–,]*"  # separators between words of a unit name

# (canonical name, strict patterns, loose patterns). Strict patterns name the unit
# unambiguously in running text; loose ones also count in table cells, headings and
# questions, where a bare "văn hóa - xã hội" can only mean the unit.
_LEXICON: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "Văn phòng HĐND và UBND",
        (
            r"(?:van\s+phong|vp)\s+(?:hdnd|hoi\s+dong\s+nhan\s+dan)"
            + _S
            + r"(?:va\s+)?(?:ubnd|uy\s+ban\s+nhan\s+dan)",
        ),
        (r"\bhdnd\s*(?:-|va|,)\s*ubnd\b",),
    ),
    ("Văn phòng UBND", (r"(?:van\s+phong|\bvp)\s+(?:ubnd|uy\s+ban\s+nhan\s+dan)\b",), ()),
    (
        "Phòng Văn hóa – Xã hội",
        (r"phong\s+(?:van\s+hoa" + _S + r"(?:va\s+)?xa\s+hoi|vh\s*-?\s*xh)", r"\bvhxh\b", r"\bvh\s*-\s*xh\b"),
        (r"\bvan\s+hoa" + _S + r"(?:va\s+)?xa\s+hoi\b",),
    ),
    (
        "Phòng Kinh tế, Hạ tầng và Đô thị",
        (r"phong\s+kinh\s+te" + _S + r"ha\s+tang" + _S + r"(?:va\s+)?do\s+thi",),
        (r"\bkinh\s+te" + _S + r"ha\s+tang" + _S + r"(?:va\s+)?do\s+thi",),
    ),
    ("Phòng Kinh tế", (r"phong\s+kinh\s+te\b(?!" + _S + r"ha\s+tang)",), (r"^\s*kinh\s+te\s*$",)),
    (
        "Trung tâm Phục vụ hành chính công",
        (
            r"(?:trung\s+tam|\btt)\s+(?:phuc\s+vu\s+)?(?:hanh\s+chinh\s+cong|hcc\b|hhc\b)",
            r"(?:trung\s+tam|\btt)\s*pvhcc?\b",
            r"\bttpvhcc?\b",
        ),
        (r"\bpvhcc\b", r"\bhcc\b"),
    ),
    ("Trung tâm Dịch vụ sự nghiệp công", (r"trung\s+tam\s+dich\s+vu\s+su\s+nghiep\s+cong",), ()),
    ("Trung tâm Dịch vụ tổng hợp", (r"trung\s+tam\s+dich\s+vu\s+tong\s+hop",), ()),
    (
        "Trung tâm Văn hóa – Thể thao và Truyền thông",
        (r"(?:trung\s+tam|\btt)\s+van\s+hoa" + _S + r"the\s+thao" + _S + r"(?:va\s+)?truyen\s+thong",),
        (),
    ),
    ("Ban Quản lý dự án", (r"(?:ban\s+quan\s+ly|\bbql)\s+(?:cac\s+)?du\s+an",), ()),
    ("Ban Chỉ huy Quân sự", (r"ban\s+chi\s+huy\s+quan\s+su",), (r"^\s*quan\s+su\s*$",)),
    ("Công an", (r"^\s*cong\s+an\s+(?:xa|phuong)\b",), (r"^\s*cong\s+an\s*$",)),
    ("Các phòng, ban, ngành", (r"cac\s+phong\s*,\s*ban\s*,?\s*(?:nganh|doan\s+the)",), ()),
)

# Abbreviations officials type; expanded in questions before matching.
ABBREVIATIONS: dict[str, str] = {
    "ubnd": "ủy ban nhân dân",
    "hđnd": "hội đồng nhân dân",
    "hdnd": "hội đồng nhân dân",
    "cchc": "cải cách hành chính",
    "tthc": "thủ tục hành chính",
    "vhxh": "văn hóa - xã hội",
    "hcc": "hành chính công",
    "kh": "kế hoạch",
    "bc": "báo cáo",
    "qppl": "quy phạm pháp luật",
    "cbccvc": "cán bộ, công chức, viên chức",
    "dvc": "dịch vụ công",
    "nsnn": "ngân sách nhà nước",
    "cntt": "công nghệ thông tin",
    "pakn": "phản ánh, kiến nghị",
    "qđ": "quyết định",
    "nđ": "nghị định",
    "mtqg": "mục tiêu quốc gia",
    "ct": "chủ tịch",
    "tt": "trung tâm",
}


@dataclass(frozen=True)
class UnitMatch:
    unit: str  # canonical name
    start: int
    end: int
    text: str  # the words as written


@lru_cache(maxsize=1)
def _compiled():
    out = []
    for name, strict, loose in _LEXICON:
        out.append((name, tuple(re.compile(p) for p in strict), tuple(re.compile(p) for p in loose)))
    return tuple(out)


def find_units(text: str, loose: bool = False) -> list[UnitMatch]:
    """Every unit named in `text`, left to right, longest match winning overlaps."""
    folded = fold_same_length(text)
    found: list[UnitMatch] = []
    for name, strict, loose_pats in _compiled():
        for pattern in strict + (loose_pats if loose else ()):
            for m in pattern.finditer(folded):
                found.append(UnitMatch(name, m.start(), m.end(), text[m.start() : m.end()].strip()))
    found.sort(key=lambda u: (u.start, -(u.end - u.start)))
    kept: list[UnitMatch] = []
    for match in found:
        if kept and match.start < kept[-1].end:
            continue
        kept.append(match)
    return kept


@lru_cache(maxsize=20_000)
def canonical_unit(text: str) -> str | None:
    """The canonical name for a unit written any way (alias, no diacritics), or None."""
    matches = find_units(text, loose=True)
    return matches[0].unit if matches else None


def same_unit(a: str, b: str) -> bool:
    ca, cb = canonical_unit(a), canonical_unit(b)
    if ca and cb:
        return ca == cb
    return fold_same_length(a).strip() == fold_same_length(b).strip()


def unit_matches(written: str, query: str) -> bool:
    """Whether a unit as a plan writes it answers to what a user typed: the same unit by
    the lexicon, or the typed words (four letters at least) inside the written name."""
    if same_unit(written, query):
        return True
    q = fold_same_length(query).strip()
    return len(q) >= 4 and q in fold_same_length(written)


def lexicon_names() -> list[str]:
    return [name for name, _, _ in _LEXICON]


def expand_abbreviations(text: str) -> str:
    """Append the long form of each abbreviation, keeping the original words."""
    extra = []
    for word in re.findall(r"\w+", text.lower()):
        long = ABBREVIATIONS.get(word) or ABBREVIATIONS.get(fold_word(word))
        if long:
            extra.append(long)
    return text + (" " + " ".join(extra) if extra else "")
