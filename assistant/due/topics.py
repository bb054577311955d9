"""Target topics several plans share: the targets of different plans that speak of the same
thing ("mức độ hài lòng ... về giải quyết thủ tục hành chính"), matched by the word
coverage the answers score statements with (`answer.retrieve.coverage`: the IDF-weighted
share of one text's folded, segmented words found in another's, on the reference scale).

A target is compared by its own words: the part of its sentence that holds its value
(a sentence "100% ... thanh toán trực tuyến, trong số đó, tỷ lệ giao dịch ... đạt tối
thiểu 80%" sets two targets, each with its half). Two targets match when each covers the
other's words at least `THRESHOLD`; a topic is a group whose members all match each other
(complete linkage), so no chain of near matches drifts from one subject to another. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from assistant.answer.retrieve import coverage, has_word, with_syllables
from assistant.index import reference
from assistant.index.segment import Segmenter
from assistant.lang.units import expand_abbreviations
from assistant.parse.extract import strip_marker
from assistant.records import PlanRecords, Target

# each text covers this share of the other's words (chosen on the five plans' targets: the
# pairs above it name one subject, "hài lòng ... giải quyết TTHC" at 0.66-0.86, while
# "hồ sơ trực tuyến" and "số hóa hồ sơ" meet at 0.45)
THRESHOLD = 0.55
SAME_PLAN = 0.9  # two targets of one plan share a topic only when they repeat one text
_SUBTARGET = re.compile(r"[,;:]?\s*\btrong (?:số )?đó\b\s*,?\s*", re.IGNORECASE)
_LEAD_IN = re.compile(r"^(?:[-–•+]\s*|trong (?:số )?đó\s*,?\s*)+", re.IGNORECASE)
_Compounds = dict[str, list[tuple[str, int]]]  # first syllable -> (compound word, its column)


@dataclass(frozen=True)
class Topic:
    """Targets of several plans on one subject: the shortest of their texts names it."""

    header: str
    targets: tuple[Target, ...]  # in the order of the plans given, then of each plan's text

    @property
    def plans(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.plan for t in self.targets))

    def values(self, plan: str) -> tuple[str, ...]:
        """The plan's values on this topic as it writes them, each once, in its order."""
        return tuple(dict.fromkeys(t.value for t in self.targets if t.plan == plan))


def own_text(target: Target) -> str:
    """The part of the target's sentence that holds its value: the sentence cut where it
    opens a sub-target ("trong đó", "trong số đó"), then, when that part still holds other
    values, cut between them; without list markers and the closing stop."""
    parts = _SUBTARGET.split(target.indicator)
    starts, at = [], 0
    for part in parts:
        starts.append(target.indicator.find(part, at))
        at = starts[-1] + len(part)
    pos = target.indicator.find(target.value)
    i = max((k for k, s in enumerate(starts) if 0 <= s <= pos), default=0)
    part = parts[i]
    rel = pos - starts[i] if pos >= 0 else -1
    return _clean(_between_values(part, rel))


def _between_values(part: str, at: int) -> str:
    """In a part that sets several values ("ngành A 3.898 tỷ đồng, ngành B 16.921 tỷ
    đồng"), the clause of the value at `at`: the part cut at its commas and semicolons."""
    cuts = [0] + [m.end() for m in re.finditer(r"[,;]\s+", part)] + [len(part)]
    clauses = [(a, b) for a, b in zip(cuts, cuts[1:])]
    if at < 0 or sum(bool(re.search(r"\d", part[a:b])) for a, b in clauses) < 2:
        return part
    return next(part[a:b] for a, b in clauses if a <= at < b or b == len(part))


def _clean(text: str) -> str:
    text = _LEAD_IN.sub("", strip_marker(text.strip()))
    text = text.strip().rstrip(" ,;:.")
    return text[:1].upper() + text[1:]


class Matcher:
    """The words of target texts and how much of them two texts share, on the reference's
    word weights (without a reference file: the weights of the texts compared)."""

    def __init__(self, texts: Sequence[str]):
        ref = reference.load()
        self.segmenter = Segmenter(ref.lexicon if ref else ())
        self.texts = list(dict.fromkeys(texts))
        self.words = {t: self._words(t) for t in self.texts}
        if ref is not None:
            self.idf, self.rarest = ref.word_idf["fold"], ref.rarest
        else:
            self.idf = _own_idf(list(self.words.values()))
            self.rarest = max(self.idf.values(), default=1.0)
        self.present = {t: with_syllables(set(w)) for t, w in self.words.items()}

    def _words(self, text: str) -> list[str]:
        """The folded words of a text, less its figures (a value is no part of its topic)."""
        words = self.segmenter.folded_words(expand_abbreviations(text))
        return list(dict.fromkeys(w for w in words if not re.search(r"\d", w)))

    def similarity(self, a: str, b: str) -> float:
        """How far each text covers the other's words: the lesser of the two coverages."""
        return min(
            coverage(self.words[a], self.present[b], self.idf, self.rarest),
            coverage(self.words[b], self.present[a], self.idf, self.rarest),
        )

    def matrix(self) -> sparse.csr_matrix:
        """`similarity` of every pair of `texts` at once (row and column i: texts[i]), as
        sparse products: the weight of the words of text a found in text b is the product
        of a's weighted words and b's present words (`retrieve.has_word`)."""
        vocab = sorted({w for words in self.words.values() for w in words})
        index = {w: i for i, w in enumerate(vocab)}
        weight = np.array([self.idf.get(w, self.rarest) for w in vocab])
        own = _rows([[index[w] for w in self.words[t]] for t in self.texts], len(vocab))
        compounds: _Compounds = {}
        for w, i in index.items():
            if "_" in w:
                compounds.setdefault(w.split("_", 1)[0], []).append((w, i))
        found = _rows([self._found(t, index, compounds) for t in self.texts], len(vocab))
        hits = own.multiply(weight).tocsr() @ found.T
        total = own @ weight
        scale = np.divide(1.0, total, out=np.zeros_like(total), where=total > 0)
        cover = sparse.diags(scale) @ hits
        return cover.minimum(cover.T).tocsr()

    def _found(
        self, text: str, index: dict[str, int], compounds: dict[str, list[tuple[str, int]]]
    ) -> list[int]:
        """The vocabulary words `text` has: its own and its syllables, and each compound
        (listed by its first syllable) whose syllables it all has."""
        present = self.present[text]
        found = {index[w] for w in present if w in index}
        found.update(i for s in present for w, i in compounds.get(s, ()) if has_word(w, present))
        return sorted(found)


def _rows(rows: list[list[int]], width: int) -> sparse.csr_matrix:
    indptr = np.cumsum([0] + [len(r) for r in rows])
    indices = np.array([i for r in rows for i in r], dtype=np.int64)
    return sparse.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), width))


def _own_idf(word_lists: list[list[str]]) -> dict[str, float]:
    import math

    n = max(len(word_lists), 1)
    df: dict[str, int] = {}
    for words in word_lists:
        for w in set(words):
            df[w] = df.get(w, 0) + 1
    return {w: math.log(1 + n / c) for w, c in df.items()}


def shared_topics(records: Sequence[PlanRecords], threshold: float = THRESHOLD) -> list[Topic]:
    """The topics at least two of these plans set a target on, the most widely shared
    first. Each target joins at most one topic."""
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    targets = [t for rec in records for t in rec.targets]
    texts = [own_text(t) for t in targets]
    groups = _complete_linkage(targets, _links(targets, texts, threshold))
    order = {rec.plan.id: i for i, rec in enumerate(records)}
    topics = []
    for group in groups:
        if len({targets[i].plan for i in group}) < 2:
            continue
        header = min((texts[i] for i in group), key=lambda s: (len(s), s))
        topics.append(Topic(header, tuple(targets[i] for i in group)))
    return sorted(topics, key=lambda tp: (-len(tp.plans), min(order[p] for p in tp.plans), tp.header))


def _links(targets: list[Target], texts: list[str], threshold: float) -> dict[tuple[int, int], float]:
    """The pairs of targets (i < j, by position) that match, with their similarity. Two
    targets of one plan match only when they repeat one text (a plan that lists its
    targets twice), so a plan's general target and its narrower one ("... trong đó, ...
    lĩnh vực đất đai") stay apart."""
    match = Matcher(texts)
    at = {t: k for k, t in enumerate(match.texts)}
    holders: dict[int, list[int]] = {}
    for i, text in enumerate(texts):
        holders.setdefault(at[text], []).append(i)
    sim = match.matrix().tocoo()
    links = {}
    for a, b, s in zip(sim.row.tolist(), sim.col.tolist(), sim.data.tolist()):
        if a > b or s < threshold:
            continue
        for i in holders[a]:
            for j in holders[b]:
                pair = (min(i, j), max(i, j))
                if i != j and s >= (SAME_PLAN if targets[i].plan == targets[j].plan else threshold):
                    links[pair] = s
    return links


def _complete_linkage(targets: list[Target], links: dict[tuple[int, int], float]) -> list[list[int]]:
    """Groups (of positions in `targets`) merged from the closest pair down: two groups
    join only when every target of one matches every target of the other."""
    group_of = {i: i for i in range(len(targets))}
    members = {i: [i] for i in range(len(targets))}
    for (a, b), _ in sorted(links.items(), key=lambda kv: (-kv[1], kv[0])):
        ga, gb = group_of[a], group_of[b]
        if ga == gb:
            continue
        if all((min(x, y), max(x, y)) in links for x in members[ga] for y in members[gb]):
            for x in members[gb]:
                group_of[x] = ga
            members[ga] += members.pop(gb)
    return [sorted(m) for m in members.values()]
