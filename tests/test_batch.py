"""`ask --jsonl` line by line, with a stand-in for the assistant: every input line gets one
output line of strict JSON (no NaN, no Infinity), and a hostile line never ends the batch."""

from __future__ import annotations

import json

import pytest

from assistant.cli.batch import answer_lines
from assistant.records import Answer

QUESTION = "Ai chủ trì cải cách thể chế?"


def _ask(question: str, session: str | None) -> Answer:
    return Answer(question=question, found=False, intent="lead", status="not_found")


def _strict(line: str) -> dict:
    """The line parsed as standard JSON: NaN and Infinity are not JSON."""

    def refuse(constant):
        raise AssertionError(f"not strict JSON: {constant} in {line[:80]!r}")

    return json.loads(line, parse_constant=refuse)


def _run(lines: list[bytes]) -> list[dict]:
    return [_strict(out) for out in answer_lines(lines, _ask)]


def _line(**item) -> bytes:
    return json.dumps(item, ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize(
    "hostile",
    [
        b'{"id": "x", "question": "q", "deep": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b"[" * 100_000,
        b'{"id": ' + b"{" * 50_000,
    ],
    ids=["deep-field", "deep-array-unclosed", "deep-object"],
)
def test_a_deeply_nested_line_gets_an_error_line_and_the_batch_goes_on(hostile):
    out = _run([hostile, _line(id="after", question=QUESTION)])
    assert len(out) == 2
    assert out[0]["found"] is False and out[0]["error"]
    assert out[1]["id"] == "after" and "error" not in out[1]


def test_a_nested_id_that_python_reads_is_echoed_as_text():
    nested = b"[" * 500 + b"1" + b"]" * 500
    out = _run([b'{"id": ' + nested + b', "question": "q"}', _line(id="after", question=QUESTION)])
    assert out[0]["id"] == nested.decode() and "answer" in out[0]
    assert out[1]["id"] == "after"


@pytest.mark.parametrize("constant", [b"NaN", b"Infinity", b"-Infinity", b"1e999", b"-1e400"])
def test_an_id_that_is_not_a_json_number_is_refused_not_echoed(constant):
    out = _run([b'{"id": ' + constant + b', "question": "q"}', _line(id=2, question=QUESTION)])
    assert out[0] == {"id": None, "found": False, "error": out[0]["error"]}
    assert "JSON" in out[0]["error"]
    assert out[1]["id"] == 2 and "answer" in out[1]


def test_nan_anywhere_in_the_line_is_refused():
    out = _run([b'{"id": "n", "question": "q", "weight": NaN}'])
    assert out[0]["error"] and out[0]["found"] is False


def test_an_answer_that_cannot_be_written_as_json_is_an_error_line(monkeypatch):
    import assistant.cli.batch as batch

    monkeypatch.setattr(batch, "answer_json", lambda answer, qid: {"id": qid, "score": float("nan")})
    out = _run([_line(id="a", question=QUESTION), _line(id="b", question=QUESTION)])
    assert [o["id"] for o in out] == ["a", "b"] and all(o["error"] for o in out)


def test_ordinary_ids_are_echoed():
    ids = ["a", 7, 2.5, None, True]
    out = _run([_line(id=i, question=QUESTION) for i in ids])
    assert [o.get("id") for o in out] == ids
