"""`ask --jsonl`: one output line for every input line, whatever the line holds. A line
that is not a JSON object with a text question gets `"found": false` and an `error`
saying why (worded by `present.cli`); the batch never stops early. Input and output are
strict JSON: NaN, Infinity and numbers too large for a float are refused as not JSON, a
line nested too deep to read is refused, and no line written holds NaN. Lines with the
same optional `"session"` (a string or a number) are one conversation: a follow-up is
read against the session's last question. Pure given `ask`."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator

from assistant.present.answers import answer_json
from assistant.present.cli import BATCH_ERRORS, batch_failed
from assistant.records import Answer

log = logging.getLogger(__name__)

# worded here until present.cli.BATCH_ERRORS can take it (present/ is being changed elsewhere)
TOO_DEEP = 'dòng JSON lồng nhau quá sâu; cần dạng {"id": ..., "question": "..."}'


class _NotJson(ValueError):
    """A constant (NaN, Infinity) or a number standard JSON does not have."""


def _no_constant(name: str):
    raise _NotJson(name)


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _NotJson(text)
    return value


def _strict_loads(text: str):
    """`json.loads` that accepts only standard JSON (RecursionError: nested too deep)."""
    return json.loads(text, parse_constant=_no_constant, parse_float=_finite)


def _clean(value):
    """Text with lone surrogates and other unencodable code points replaced, so the
    output line can always be written as UTF-8."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    return value if isinstance(value, (int, float, bool)) or value is None else _clean(str(value))


def _error(qid, message: str) -> dict:
    return {"id": qid, "found": False, "error": message}


def answer_lines(lines: Iterable[bytes], ask: Callable[[str, str | None], Answer]) -> Iterator[str]:
    """One output line (without its newline) for each input line."""
    for line in lines:
        yield dump(answer_line(line.rstrip(b"\r\n"), ask))


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
        item = _strict_loads(text)
    except ValueError:
        return _error(None, BATCH_ERRORS["not_json"])
    except RecursionError:
        return _error(None, TOO_DEEP)
    if not isinstance(item, dict):
        return _error(None, BATCH_ERRORS["not_object"])
    try:
        qid = _clean(item.get("id"))
    except RecursionError:  # an id nested deeper than its text can be made
        return _error(None, TOO_DEEP)
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
    """One line of strict JSON: an object that would need NaN becomes an error line."""
    try:
        return json.dumps(obj, ensure_ascii=False, allow_nan=False)
    except (ValueError, TypeError, RecursionError) as exc:
        log.error("answer %r cannot be written as JSON: %s", obj.get("id"), exc)
        qid = obj.get("id") if isinstance(obj.get("id"), (str, int)) else None
        return json.dumps(_error(qid, batch_failed(type(exc).__name__)), ensure_ascii=False)
