"""Cells that a page break cut, resumed after it.

When a row of a flattened appendix runs onto the next page, every cell the break cut goes
on at the top of that page, in column order (objective, task, activity, product, lead,
cooperating, deadline, budget), and extraction may run the first lines of several of them
together on one line ("CCHC tiễn vực CCHC": the end of a task, of an activity and of a
unit's name). This module hands each cut cell its rest: it splits the continuation into
consecutive pieces, one per cell in column order (a cell may get none), where the words
read on best. How well two words read together is how often they stand side by side on
one line elsewhere in the plan itself ("thực" + "tiễn", "lĩnh" + "vực"), so no word list
is involved. Pure, and never raises.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from assistant.parse.flatcells import Line, ends_with_connector

_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"\S+")

# Scores of one way to split a continuation (see resume): reading on within a cell, the
# rest of a cell that ends in a connector word (a cell cut for sure), and what a split
# costs: a cell passed by, a split inside one line (less after a full stop), a cell going
# on after a full stop, a piece that no pair of words supports, and a continuation in
# lower case left to no cell.
_GO_ON = 0.3
_CONNECTOR = 1.0
_SKIP = 0.1
_MID_LINE = 1.5
_MID_LINE_AFTER_STOP = 0.5
_AFTER_STOP = 1.0
_UNSUPPORTED = 0.5
_LOWER_ORPHAN = 1.0


def word_pairs(text: str) -> Counter:
    """How often each two words stand side by side on one line of `text`, nothing but a
    space between them (lower case)."""
    pairs: Counter = Counter()
    for line in text.lower().split("\n"):
        tokens = line.split()
        for a, b in zip(tokens, tokens[1:]):
            if a[-1].isalnum() and b[0].isalnum():
                pairs[_WORD.findall(a)[-1], _WORD.findall(b)[0]] += 1
    return pairs


@dataclass(frozen=True)
class _Token:
    line: Line
    offset: int  # of the token in line.text
    text: str
    first: str  # its first and last word, lower case ("" when it has none)
    last: str
    opens_line: bool


def _tokens(lines) -> list[_Token]:
    out = []
    for line in lines:
        for n, m in enumerate(_TOKEN.finditer(line.text)):
            words = _WORD.findall(m.group().lower())
            first, last = (words[0], words[-1]) if words else ("", "")
            out.append(_Token(line, m.start(), m.group(), first, last, n == 0))
    return out


def resume(cells, open_, lines, pairs: Counter) -> tuple[list[tuple[Line, ...]], tuple[Line, ...]]:
    """Hand the continuation `lines` to the cells a page break cut.

    cells: the row's cells in column order, each a sequence of Lines read before the break;
    open_: for each, whether it may go on (a finished deadline cannot). Returns, for each
    cell, the Lines (or parts of a line) that continue it, and the lines before the first
    piece that continue none of them (quoted, unassigned).
    """
    tokens = _tokens(lines)
    if not tokens or not cells:
        return [() for _ in cells], tuple(lines)
    own = word_pairs("\n".join(x.text for x in lines))  # the continuation is no evidence

    def reads_on(a: str, b: str) -> float:
        return math.log1p(max(0, pairs.get((a, b), 0) - own.get((a, b), 0))) if a and b else 0.0

    tails = [c[-1].text.rstrip() if c else "" for c in cells]
    ends = [(_WORD.findall(t.lower()) or [""])[-1] for t in tails]
    cut = [bool(t) and ends_with_connector(t, frozenset(("và", "hoặc", "theo"))) for t in tails]
    eligible = [bool(c) and o for c, o in zip(cells, open_)]

    def start(j: int, i: int) -> float:  # token i opens the rest of cell j
        t, evidence = tokens[i], reads_on(ends[j], tokens[i].first)
        score = evidence + (_CONNECTOR if cut[j] else 0.0) - (_AFTER_STOP if tails[j].endswith(".") else 0.0)
        score -= _UNSUPPORTED if not (evidence or cut[j]) else 0.0
        if not t.opens_line:
            score -= _MID_LINE_AFTER_STOP if tokens[i - 1].text.endswith(".") else _MID_LINE
        return score

    def stay(i: int) -> float:  # token i goes on with the one before: the same in any cell
        t, prev = tokens[i], tokens[i - 1]
        if i == 0:  # left to no cell: it opens a new item, if anything
            return -_LOWER_ORPHAN if t.text[0].islower() else 0.0
        if not t.opens_line:
            return 0.0
        return reads_on(prev.last, t.first) + _GO_ON - (_AFTER_STOP if prev.text.endswith(".") else 0.0)

    def passed(j: int) -> float:  # what leaving cell j without a rest costs
        return _SKIP + (_CONNECTOR if cut[j] else 0.0)

    return _pieces(tokens, _best_owners(len(tokens), eligible, start, stay, passed), len(cells))


def _best_owners(n: int, eligible: list[bool], start, stay, passed) -> list[int]:
    """The cell of each of n tokens (-1: none, only before the first piece), nondecreasing,
    with the best total score (dynamic programming over token and cell)."""
    k = len(eligible)
    best: list[float] = [0.0] + [-math.inf] * k  # best[j + 1]: the last token so far in cell j
    back: list[list[int]] = []
    for i in range(n):
        new, came = [-math.inf] * (k + 1), [0] * (k + 1)
        for j in range(-1, k):
            if best[j + 1] == -math.inf:
                continue
            if (s := best[j + 1] + stay(i)) > new[j + 1]:
                new[j + 1], came[j + 1] = s, j
            skipped = 0.0
            for jj in (c for c in range(j + 1, k) if eligible[c]):
                if (s := best[j + 1] + start(jj, i) - skipped) > new[jj + 1]:
                    new[jj + 1], came[jj + 1] = s, j
                skipped += passed(jj)
        best = new
        back.append(came)
    left = [sum(passed(c) - _SKIP for c in range(j + 1, k) if eligible[c]) for j in range(-1, k)]
    state = max(range(k + 1), key=lambda s: (best[s] - left[s], -s)) - 1
    owner = [0] * n
    for i in range(n - 1, -1, -1):
        owner[i] = state
        state = back[i][state + 1]
    return owner


def _pieces(tokens: list[_Token], owner: list[int], k: int):
    """Each cell's tokens back as Lines: one piece per cell and source line."""
    found: list[list[Line]] = [[] for _ in range(k)]
    rest: list[Line] = []
    runs: list[tuple[int, list[_Token]]] = []
    for t, o in zip(tokens, owner):
        if runs and runs[-1][0] == o and runs[-1][1][-1].line is t.line:
            runs[-1][1].append(t)
        else:
            runs.append((o, [t]))
    for o, run in runs:
        line, a, z = run[0].line, run[0].offset, run[-1].offset + len(run[-1].text)
        piece = Line(line.text[a:z], line.start + a, line.start + z, line.lineno, line.brk and a == 0)
        (found[o] if o >= 0 else rest).append(piece)
    return [tuple(f) for f in found], tuple(rest)
