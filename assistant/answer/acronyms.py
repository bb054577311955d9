"""Abbreviations read from the plans themselves. A question's token that looks like
initials ("DQTV", "dqtv": upper case, or no vowel) and that no plan uses as a word is
read as the initials of a phrase the plans do use ("dân quân tự vệ"), so an
abbreviation nobody listed still finds its passage. Pure functions over the plans' text:
a new plan brings its own phrases."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from assistant.lang.normalize import fold

MIN_LETTERS, MAX_LETTERS = 2, 6
MIN_COUNT = 2  # a phrase the plans use once is as likely a coincidence of initials
_VOWELS = set("aeiouy")
_WORD = r"[^\W\d_]+"


def looks_like_initials(token: str) -> bool:
    """Upper-case letters only ("DQTV", "ĐTN"), or letters with no vowel ("dqtv"): no
    Vietnamese syllable is written so."""
    if not (MIN_LETTERS <= len(token) <= MAX_LETTERS) or not re.fullmatch(_WORD, token):
        return False
    return token.isupper() or not (set(fold(token)) & _VOWELS)


@lru_cache(maxsize=64)
def _initial_class(letter: str) -> str:
    """Every lower-case letter whose folded form is `letter` ("d" -> "dđ", "a" -> "aàá...")."""
    chars = {chr(c) for c in range(0x61, 0x7B)} | {chr(c) for c in range(0xC0, 0x1EFA)}
    return "".join(sorted(ch for ch in chars if ch.islower() and fold(ch) == letter))


def phrases(initials: str, text: str, after: str = "") -> Counter[str]:
    """How often each run of words in `text` (lower case) has these initials (right after
    the word `after`, when given)."""
    letters = fold(initials)
    pattern = r"\s+".join(f"[{_initial_class(ch)}]\\w*" for ch in letters)
    lead = rf"(?<!\w){re.escape(after.lower())}\s+" if after else r"(?<!\w)"
    found = re.findall(rf"{lead}({pattern})(?!\w)", text)
    return Counter(" ".join(m.split()) for m in found)


def expansion(initials: str, text: str, after: str = "") -> str | None:
    """The phrase of `text` these initials stand for: the most frequent one, used at least
    MIN_COUNT times and more often than any other; None when the plans do not say. With
    `after` (the word before the initials in the question: "Sở" of "Sở NV"), the phrases
    that follow that word in the plans ("sở nội vụ"), when they say one; else any."""
    if after:
        return _most_used(phrases(initials, text, after)) or expansion(initials, text)
    return _most_used(phrases(initials, text))


def _most_used(counts: Counter[str]) -> str | None:
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < MIN_COUNT or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


def expansions(question: str, text: str, is_word, expand=None) -> tuple[str, ...]:
    """The long forms of the question's unknown initials. `text`: the plans' text in lower
    case; `is_word(token)`: whether the plans use the token itself as a word; `expand`:
    `expansion` over `text`, remembered by the caller (a scan of the whole text)."""
    expand = expand or (lambda token, after: expansion(token, text, after))
    out = []
    tokens = re.findall(_WORD, question)
    for after, token in dict.fromkeys(zip(["", *tokens], tokens)):
        if looks_like_initials(token) and not is_word(token):
            long = expand(token, "" if looks_like_initials(after) else after)
            if long and long not in out:
                out.append(long)
    return tuple(out)
