"""Question variants for evaluation, and synonym expansion for lexical search.

`variants(gold)` takes one gold question (a dict with at least "id" and "question"; other
keys such as "doc", "intent", "must_contain", "evidence" are copied unchanged) and returns
up to five copies whose "question" is rewritten the way officials really type it: without
diacritics, abbreviated, in a polite frame, with one typo, or with one expression replaced
by a synonym. Each copy has "id" `<gold id>~<kind>` and "variant" `<kind>`; a rewrite equal
to the original is left out. `expand(text)` returns the text followed by the synonyms of the
expressions it contains. Both read `thesaurus.json` next to this module. Choices are made
from a SHA-256 of the gold id, so the same input gives the same output in every process."""

from __future__ import annotations

import copy
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from assistant.lang.normalize import collapse, fold, has_diacritics, new_tone, nfc

THESAURUS = Path(__file__).with_name("thesaurus.json")
KINDS = ("no_diacritics", "abbreviated", "polite", "typo", "synonym")
FRAMES = (  # `{q}` is the question; a frame with its own "?" after it gets q without one
    "Cho em hỏi {q} ạ?",
    "Anh/chị ơi, {q}",
    "Em mới về đơn vị, xin hỏi: {q}",
    "Nhờ anh chị xem giúp: {q} Cảm ơn ạ.",
    "Dạ, cho mình hỏi chút: {q}",
    "Xin chào, tôi muốn hỏi {q} ạ?",
    "Chị ơi cho em hỏi với, {q}",
)
_DASH = r"[\-\u2010-\u2015\u2212]"
_PLACE_WORDS = {"xa", "phuong"}  # folded; the words after them are place names


@dataclass(frozen=True)
class Thesaurus:
    synonyms: tuple[tuple[str, ...], ...]
    abbreviations: tuple[tuple[str, str], ...]


def load_thesaurus(path=None) -> Thesaurus:
    """The thesaurus at `path` (default: `thesaurus.json` here, read once)."""
    return _default_thesaurus() if path is None else _read(Path(path))


@lru_cache(maxsize=1)
def _default_thesaurus() -> Thesaurus:
    return _read(THESAURUS)


def _read(path: Path) -> Thesaurus:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != 1:
            raise ValueError(f"{path}: unsupported thesaurus format {data.get('format')!r}, expected 1")
        synonyms = tuple(tuple(nfc(w) for w in group) for group in data["synonyms"])
        abbreviations = tuple((nfc(long), nfc(short)) for long, short in data["abbreviations"])
    except (AttributeError, KeyError, TypeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: malformed thesaurus ({exc!r})") from exc
    if any(len(group) < 2 for group in synonyms):
        raise ValueError(f"{path}: every synonym group needs at least two members")
    return Thesaurus(synonyms, abbreviations)


def strip_diacritics(text: str) -> str:
    """`Đơn vị chủ trì?` -> `Don vi chu tri?`: case and punctuation kept."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in text if unicodedata.category(c) != "Mn"))


def _pattern(phrase: str) -> str:
    """Regex for a phrase: any white space between words, optional around punctuation."""
    tokens = re.findall(r"\w+|[^\w\s]", new_tone(phrase))
    out = []
    for k, tok in enumerate(tokens):
        if k:
            out.append(r"\s+" if tokens[k - 1][0].isalnum() and tok[0].isalnum() else r"\s*")
        out.append(_DASH if re.fullmatch(_DASH, tok) else re.escape(tok))
    return "".join(out)


@cache
def _matcher(phrases: tuple[str, ...], folded: bool):
    alts = [(p, i, False) for i, p in enumerate(phrases)]
    if folded:  # also the phrases typed without diacritics
        alts += [(fold(p), i, True) for i, p in enumerate(phrases) if fold(p) != p.lower()]
    alts.sort(key=lambda a: -len(a[0]))  # longest first; stable, so file order breaks ties
    body = "|".join(f"({_pattern(a[0])})" for a in alts)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE), [(i, f) for _, i, f in alts]


def _matches(text: str, phrases, folded: bool) -> list[tuple[int, int, int, bool]]:
    """(start, end, phrase index, matched without diacritics) of each whole-word match in
    NFC `text`, leftmost and longest first, not overlapping."""
    rx, info = _matcher(tuple(phrases), folded)
    key = text.lower() if len(text.lower()) == len(text) else text  # `Uỷ` -> `ủy` as well
    return [(m.start(), m.end(), *info[m.lastindex - 1]) for m in rx.finditer(new_tone(key))]


def _hash(key: str, salt: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{key}\0{salt}".encode()).digest()[:8], "big")


def _cap(words: str) -> str:
    """Capitalised, unless an abbreviation (`bc` stays `bc`: it has no vowel)."""
    return words[:1].upper() + words[1:] if re.search("[aeiouy]", fold(words)) else words


def _abbreviated(text: str, th: Thesaurus) -> str:
    longs = tuple(long for long, _ in th.abbreviations)
    out, last = [], 0
    for start, end, i, _ in _matches(text, longs, folded=True):
        out.append(text[last:start] + th.abbreviations[i][1])
        last = end
    return "".join(out) + text[last:]


def _polite(text: str, key: str) -> str:
    frame = FRAMES[_hash(key, "polite") % len(FRAMES)]
    first = re.match(r"\W*(\w)(\w*)", text)  # lower case, unless an abbreviation (`KH`, `NĐ`)
    if first and not (first.group(2) and first.group(0).isupper()):
        text = text[: first.start(1)] + first.group(1).lower() + text[first.end(1) :]
    if "?" in frame.split("{q}")[1]:
        text = text.rstrip().rstrip("?").rstrip()
    if not has_diacritics(text):  # who types without diacritics types the frame so too
        frame = strip_diacritics(frame)
    return frame.replace("{q}", text)


def _typo(text: str, key: str) -> str | None:
    """One typo in one lower-case word of five letters or more, not after xã/phường."""
    words = list(re.finditer(r"\w+", text))
    cands = [
        m
        for k, m in enumerate(words)  # "phường" and the place name after it spared
        if len(m.group()) >= 5
        and m.group().isalpha()
        and m.group()[0].islower()
        and not {fold(p.group()) for p in words[max(0, k - 2) : k + 1]} & _PLACE_WORDS
    ]
    if not cands:
        return None
    h = _hash(key, "typo")
    m, h = cands[h % len(cands)], h // len(cands)
    word, edit, h = m.group(), h % 3, h // 3  # edit 0 swaps, 1 drops, 2 doubles a letter
    swaps = [i for i in range(1, len(word) - 2) if word[i].lower() != word[i + 1].lower()]
    if edit == 0 and swaps:  # two adjacent inner letters
        i = swaps[h % len(swaps)]
        new = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    elif edit == 2:  # any letter
        new = word[: h % len(word) + 1] + word[h % len(word) :]
    else:  # an inner letter
        new = word[: 1 + h % (len(word) - 2)] + word[2 + h % (len(word) - 2) :]
    return text[: m.start()] + new + text[m.end() :]


def _next_member(group: tuple[str, ...], i: int, folded: bool) -> str | None:
    for k in range(1, len(group)):
        cand = group[(i + k) % len(group)]
        if not folded:
            return cand
        if fold(cand) != fold(group[i]):
            return strip_diacritics(cand)
    return None


def _clashes(text: str, start: int, end: int, member: str, repl: str) -> bool:
    """Whether the replacement would repeat a neighbouring word: `triển khai thực hiện`
    must not become `thực hiện thực hiện`."""
    new = {fold(w) for w in re.findall(r"\w+", repl)} - {fold(w) for w in re.findall(r"\w+", member)}
    before, after = re.search(r"(\w+)\W*$", text[:start]), re.match(r"\W*(\w+)", text[end:])
    return any(m and fold(m.group(1)) in new for m in (before, after))


def _synonym(text: str, th: Thesaurus) -> str | None:
    folded = not has_diacritics(text)
    for group in th.synonyms:
        chosen, out, last = None, [], 0
        for start, end, i, f in _matches(text, group, folded):
            repl = _next_member(group, i, f)
            if (chosen and chosen != (i, f)) or repl is None or _clashes(text, start, end, group[i], repl):
                continue
            chosen = (i, f)
            if text[start].isupper() and (not text[:start].strip() or group[i][0].islower()):
                repl = _cap(repl)  # `Kế hoạch` -> `KH`, `KH` -> `Kế hoạch` at the start
            out.append(text[last:start] + repl)
            last = end
        if chosen:
            return "".join(out) + text[last:]
    return None


def variants(gold: dict, thesaurus: Thesaurus | None = None) -> list[dict]:
    """Up to five rewrites of one gold question, in the order of `KINDS`."""
    th = thesaurus or load_thesaurus()
    question, key = nfc(gold["question"]), str(gold["id"])
    texts = {
        "no_diacritics": strip_diacritics(question),
        "abbreviated": _abbreviated(question, th),
        "polite": _polite(question, key),
        "typo": _typo(question, key),
        "synonym": _synonym(question, th),
    }
    return [
        {**copy.deepcopy(gold), "id": f"{key}~{kind}", "question": collapse(text), "variant": kind}
        for kind, text in texts.items()
        if text and collapse(text) != collapse(question)
    ]


def expand(text: str, thesaurus: Thesaurus | None = None) -> str:
    """`text` and, after a space, the other members of each synonym group it mentions."""
    th = thesaurus or load_thesaurus()
    norm, extra = nfc(text), []
    folded = not has_diacritics(norm)
    for group in th.synonyms:
        found = set()
        for _, _, i, f in _matches(norm, group, folded):
            found |= {k for k, w in enumerate(group) if fold(w) == fold(group[i])} if f else {i}
        extra += [w for k, w in enumerate(group) if found and k not in found and w not in extra]
    return f"{text} {' '.join(extra)}" if extra else text
