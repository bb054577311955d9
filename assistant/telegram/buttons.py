"""The callback data of every button the bot puts under its messages, as one grammar. The
access gate answers a press whose data is not in it (forged, cut, from an older version),
or that comes without a message, before any handler reads it: a handler may split the
data it is given without checking its shape."""

from __future__ import annotations

import re

from telegram import CallbackQuery

from assistant.present.feedback import REASONS
from assistant.telegram.send import MAX_CHOICES

KEY = r"[A-Za-z0-9_-]{8}"  # an answer's or a pending action's key: secrets.token_urlsafe(6)
HOME = r"[0-9a-f]{12}"  # a commune's key (home.key_of)
CHOICE = "|".join(map(str, range(MAX_CHOICES)))  # a plan's place among the buttons
REASON = "|".join(map(re.escape, REASONS))

GRAMMAR = re.compile(
    "|".join(
        (
            rf"(?:src|alt|up|down):{KEY}",  # under an answer: sources, more, 👍 / 👎
            rf"why:(?:{REASON}):{KEY}",  # a 👎's reason
            rf"pick:(?:{CHOICE}):{KEY}",  # a plan offered for the question
            rf"more:[1-9][0-9]{{0,5}}:{KEY}",  # the next page of an answer across communes
            rf"home:{HOME}",  # /diaban
            rf"(?:add|del):(?:ok|no):{KEY}",  # admin: confirm a replacement or a removal
            rf"del:pick:{KEY}",  # admin: a plan from the /xoakehoach list
        )
    )
)


def valid(query: CallbackQuery) -> bool:
    """Whether a press carries data the bot could have sent, under a message in a chat (a
    button under a message posted through inline mode has neither: the bot sends none)."""
    return query.message is not None and query.data is not None and GRAMMAR.fullmatch(query.data) is not None
