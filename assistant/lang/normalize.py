"""Pure text helpers: Unicode normalisation, accent folding, tone placement, tokens."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

OLD_TONES = {  # old-style tone placement -> new style (hoá -> hóa, uỷ -> ủy)
    "oá": "óa",
    "oà": "òa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oé": "óe",
    "oè": "òe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
    "uý": "úy",
    "uỳ": "ùy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
}
_TONE_RE = re.compile("(?:" + "|".join(OLD_TONES) + r")(?!\w)")  # only at a syllable's end
_DASH_RE = re.compile(r"[\u2010-\u2015\u2212]")
# every nonspacing mark of the Basic Multilingual Plane (the accents NFD splits off)
_MARKS_RE = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in range(0x10000) if unicodedata.category(chr(c)) == "Mn") + "]+"
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def new_tone(text: str) -> str:
    """Unify old tone placement with new (`hoá` -> `hóa`), both cases."""
    return _TONE_RE.sub(lambda m: OLD_TONES[m.group(0)], text)


def fold(text: str) -> str:
    """Lower case without diacritics: `Văn hóa – Xã hội` -> `van hoa - xa hoi`."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    text = _MARKS_RE.sub("", text)
    return _DASH_RE.sub("-", unicodedata.normalize("NFC", text))


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    """`fold` for one word, cached: words repeat across passages and questions."""
    return fold(word)


def canon(text: str) -> str:
    """Lower case, NFC, new tone placement, one dash kind, collapsed spaces."""
    text = new_tone(nfc(text).lower())
    text = _DASH_RE.sub("-", text)
    return re.sub(r"\s+", " ", text).strip()


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def has_diacritics(text: str) -> bool:
    return fold(text) != text.lower().replace("đ", "d")


def short(text: str, limit: int = 160) -> str:
    """`text` on one line, cut at a word before `limit` characters, ending with "…" (cut
    inside a word only when the last space is far back)."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    if len(cut) < 0.7 * limit:
        cut = text[: limit - 1]
    return cut.rstrip(",;:") + "…"
