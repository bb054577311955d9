"""Word's automatic list numbering, computed as Word shows it ("1.", "a)", "II.", "2.3."):
the numbering definitions of a .docx and the counters of each list as paragraphs pass."""

from __future__ import annotations

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"  # the WordprocessingML namespace


class Numbering:
    """Word's list numbering, counted in document order, written as text markers."""

    def __init__(self, numbering_xml=None, styles: dict[str, object] | None = None):
        children = list(numbering_xml.iterchildren()) if numbering_xml is not None else []
        self.abstract = {a.get(W + "abstractNumId"): a for a in children if a.tag == W + "abstractNum"}
        self.nums = {n.get(W + "numId"): n for n in children if n.tag == W + "num"}
        self.styles = styles or {}
        self.counters: dict[str, dict[int, int]] = {}

    @classmethod
    def of(cls, document) -> Numbering:
        try:
            styles = {s.get(W + "styleId"): s for s in document.styles.element.iterchildren(W + "style")}
            numbering_xml = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):  # no numbering or styles part
            return cls()
        return cls(numbering_xml, styles)

    def _num_pr(self, p) -> tuple[str, int | None] | None:
        """(numId, ilvl) from the paragraph or, failing that, its style chain; the level
        is None when the style gives only the list (found from the level's pStyle)."""
        ppr = p.find(W + "pPr")
        num_pr = ppr.find(W + "numPr") if ppr is not None else None
        if num_pr is not None and num_pr.find(W + "numId") is not None:
            return _val(num_pr, "numId"), _int(_val(num_pr, "ilvl"), 0)
        style_id = _val(ppr, "pStyle") if ppr is not None else None
        for _ in range(10):  # basedOn chains are short; a cycle must not hang us
            style = self.styles.get(style_id)
            if style is None:
                return None
            num_pr = style.find(W + "pPr/" + W + "numPr")
            if num_pr is not None and num_pr.find(W + "numId") is not None:
                return _val(num_pr, "numId"), _int(_val(num_pr, "ilvl"), None)
            style_id = _val(style, "basedOn")
        return None

    def _levels(self, num_id: str):
        num = self.nums.get(num_id)
        if num is None:
            return None, {}
        ref = num.find(W + "abstractNumId")
        abstract = self.abstract.get(ref.get(W + "val")) if ref is not None else None
        overrides = {_int(o.get(W + "ilvl"), 0): o for o in num.iterchildren(W + "lvlOverride")}
        return abstract, overrides

    def marker(self, p) -> str:
        found = self._num_pr(p)
        if not found or found[0] in (None, "0"):
            return ""
        num_id, ilvl = found
        abstract, overrides = self._levels(num_id)
        if abstract is None:
            return ""
        levels = {_int(lv.get(W + "ilvl"), 0): lv for lv in abstract.iterchildren(W + "lvl")}
        if ilvl is None:
            style = _style_of(p)
            ilvl = next((k for k, lv in levels.items() if _val(lv, "pStyle") == style), 0)
        counters = self.counters.setdefault(num_id, {})
        start = _start(levels.get(ilvl), overrides.get(ilvl))
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        lvl = levels.get(ilvl)
        if lvl is None:
            return ""
        if _val(lvl, "numFmt") == "bullet":
            return "-"
        text = _val(lvl, "lvlText") or ""
        for k in range(ilvl, -1, -1):
            level = levels.get(k)
            value = counters.get(k, _start(level, overrides.get(k)))
            text = text.replace(
                f"%{k + 1}", _format(value, _val(level, "numFmt") if level is not None else "decimal")
            )
        return text.strip()


def _val(element, child: str) -> str | None:
    found = element.find(W + child) if element is not None else None
    return found.get(W + "val") if found is not None else None


def _style_of(p) -> str | None:
    ppr = p.find(W + "pPr")
    return _val(ppr, "pStyle") if ppr is not None else None


def _int(value: str | None, default):
    return int(value) if value and value.isdigit() else default


def _start(lvl, override) -> int:
    if override is not None and _int(_val(override, "startOverride"), None) is not None:
        return _int(_val(override, "startOverride"), 1)
    return _int(_val(lvl, "start") if lvl is not None else None, 1)


_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int) -> str:
    # Word repeats the letter past z: aa, bb, ...
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format(n: int, fmt: str | None) -> str:
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)
