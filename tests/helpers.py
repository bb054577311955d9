"""Small helpers shared by tests (no fixtures here)."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.lang.normalize import collapse
from assistant.parse.prose import clean_markup

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
DEV = SHARED / "eval" / "dev.jsonl"
ROUND1 = SHARED / "eval" / "round1.jsonl"
ROUND2 = SHARED / "eval" / "round2.jsonl"
# Why a test that needs the shared gold questions is skipped in a clone without them.
NO_GOLD = (
    f"needs the shared gold questions at {DEV}, which live beside the repository (../shared), "
    "not in it; a clone without them skips this check (README, Development: running the full checks)"
)


def readme_asks(command: str = "python -m assistant") -> list[tuple[str, list[str]]]:
    """Each `$ <command> ask "…"` the README shows, with the lines it shows after it: the
    whole output, or its first lines when "..." follows them."""
    lines = (ROOT / "README.md").read_text("utf-8").splitlines()
    prefix = f'$ {command} ask "'
    asks = []
    for i, line in enumerate(lines):
        if line.startswith(prefix):
            shown = []
            for after in lines[i + 1 :]:
                if after.startswith("$ ") or after.startswith("```"):
                    break
                shown.append(after)
            asks.append((line[len(prefix) : -1], shown))
    return asks


def plain(text: str) -> str:
    """Source text as quotes show it: markup remnants removed, white space collapsed."""
    return collapse(clean_markup(text))


def quote_in_source(quote: str, source: str) -> bool:
    return collapse(quote) in plain(source)


def words_in_order(value: str, quote: str) -> bool:
    """Every word of `value` in `quote`, in that order: how a cell of a flattened table lies
    in its row's quote (a page break may cut a cell, a line after it hold several cells' rests)."""
    words = iter(re.findall(r"\w+", quote))
    return all(any(w == q for q in words) for w in re.findall(r"\w+", value))


def balanced_html(text: str) -> bool:
    from html.parser import HTMLParser

    stack: list[str] = []
    ok = [True]

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            stack.append(tag)

        def handle_endtag(self, tag):
            if not stack or stack.pop() != tag:
                ok[0] = False

    P().feed(text)
    return ok[0] and not stack and not re.search(r"&(?![a-z]+;|#\d+;)", text)


def all_passages(index) -> list:
    """Every passage of a loaded index, plan by plan in catalog order."""
    return [p for e in index.entries for p in index.passages_of(e.plan.id)]


def all_vectors(index):
    """Every passage's vector of a loaded index, in the order of `all_passages`."""
    import numpy as np

    return np.concatenate([index.segment(e.plan.id).dense.vectors() for e in index.entries])


def segment_dir(index_dir: Path, plan_id: str = "") -> Path:
    """The folder of one plan's segment (the first plan's when none is named)."""
    import json

    manifest = json.loads((index_dir / "manifest.json").read_text("utf-8"))
    entry = next(e for e in manifest["segments"] if not plan_id or e["plan"]["id"] == plan_id)
    return index_dir / "segments" / entry["dir"]


# The bot store's tables as its first release created them (SQLite, before reasons and
# before the schema had versions): a store of that age must still open.
FIRST_RELEASE = """
CREATE TABLE feedback (
    answer_id TEXT NOT NULL, user_id INTEGER NOT NULL, chat_id INTEGER NOT NULL,
    vote INTEGER NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL, ts REAL NOT NULL,
    PRIMARY KEY (answer_id, user_id));
CREATE TABLE subscriptions (
    chat_id INTEGER PRIMARY KEY, unit TEXT, active INTEGER NOT NULL, ts REAL NOT NULL);
CREATE TABLE refused (chat_id INTEGER PRIMARY KEY, ts REAL NOT NULL);
"""
