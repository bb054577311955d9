"""`ask --jsonl`: one output line for every input line, whatever the line holds. A line
that is not a JSON object with a text question gets `"found": false` and an `error`
saying why (worded by `present.cli`); the batch never stops early. Lines with the same
optional `"session"` (a string or a number) are one conversation: a follow-up is read
against the session's last question. Pure given `ask`."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from assistant.present.answers import answer_json
from assistant.present.cli import BATCH_ERRORS, batch_failed
from assistant.records import Answer

log = logging.getLogger(__name__)


def _clean(value):
    """Text with lone surrogates and other unencodable code points replaced, so the
    output line can always be written as UTF-8."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    return value if isinstance(value, (int, float, bool)) or value is None else _clean(str(value))


def _error(qid, message: str) -> dict:
    return {"id": qid, "found": False, "error": message}


def answer_line(raw: bytes, ask: Callable[[str, str | None], Answer]) -> dict:
    """The output object for one input line (bytes as read, without decoding first);
    `ask(question, session)`, the session None when the line names none."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _error(None, BATCH_ERRORS["not_utf8"])
    if not text.strip():
        return _error(None, BATCH_ERRORS["blank"])
    try:
        item = json.loads(text)
    except ValueError:
        return _error(None, BATCH_ERRORS["not_json"])
    if not isinstance(item, dict):
        return _error(None, BATCH_ERRORS["not_object"])
    qid = _clean(item.get("id"))
    question = item.get("question")
    if not isinstance(question, str):
        return _error(qid, BATCH_ERRORS["no_question"])
    session = item.get("session")
    if session is not None and (isinstance(session, bool) or not isinstance(session, (str, int))):
        return _error(qid, BATCH_ERRORS["bad_session"])
    try:
        answer = ask(_clean(question), None if session is None else _clean(str(session)))
        out = answer_json(answer, qid)
        return out if session is None else out | {"session": _clean(session)}
    except Exception as exc:  # one bad line must not end the batch
        log.exception("question %r failed", qid)
        return _error(qid, batch_failed(type(exc).__name__))


def dump(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False)
