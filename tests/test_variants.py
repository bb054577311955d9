"""Question variants over the real gold questions, and the thesaurus they use."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import unicodedata

import pytest
from helpers import DEV, NO_GOLD, ROOT

from assistant.answer.variants import KINDS, THESAURUS, expand, load_thesaurus, variants
from assistant.lang.normalize import collapse, fold

_OLD_TONE = re.compile(r"(?<!q)(?:o[áàảãạ]|o[éèẻẽẹ]|u[ýỳỷỹỵ])(?!\w)", re.IGNORECASE)


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    if not DEV.exists():
        pytest.skip(NO_GOLD)
    return [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def by_kind(gold) -> dict[str, dict[str, dict]]:
    """kind -> gold id -> variant."""
    out: dict[str, dict[str, dict]] = {kind: {} for kind in KINDS}
    for g in gold:
        for v in variants(g):
            out[v["variant"]][g["id"]] = v
    return out


def _words(text: str) -> list[str]:
    return collapse(text).split(" ")


def _levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


# --- the thesaurus file -------------------------------------------------------------------


def test_thesaurus_file_is_well_formed():
    raw = json.loads(THESAURUS.read_text(encoding="utf-8"))
    assert raw["format"] == 1
    assert 25 <= len(raw["synonyms"]) <= 40
    entries = [w for group in raw["synonyms"] for w in group] + [
        w for pair in raw["abbreviations"] for w in pair
    ]
    for w in entries:
        assert isinstance(w, str) and w == w.strip() and w
        assert unicodedata.normalize("NFC", w) == w, f"not NFC: {w!r}"
        assert not _OLD_TONE.search(w), f"old tone placement: {w!r}"
    for group in raw["synonyms"]:
        assert len(group) >= 2, group
        assert len({w.lower() for w in group}) == len(group), f"duplicates in {group}"
    assert all(len(pair) == 2 for pair in raw["abbreviations"])
    abbr = dict(raw["abbreviations"])
    for long, short in [
        ("ủy ban nhân dân", "UBND"),
        ("hội đồng nhân dân", "HĐND"),
        ("cải cách hành chính", "CCHC"),
        ("thủ tục hành chính", "TTHC"),
        ("văn hóa - xã hội", "VHXH"),
        ("văn hóa – xã hội", "VHXH"),
        ("văn hóa, xã hội", "VHXH"),
        ("kế hoạch", "KH"),
        ("báo cáo", "BC"),
        ("dịch vụ công", "DVC"),
        ("công nghệ thông tin", "CNTT"),
        ("hành chính công", "HCC"),
        ("quy phạm pháp luật", "QPPL"),
        ("cán bộ, công chức, viên chức", "CBCCVC"),
        ("ngân sách nhà nước", "NSNN"),
        ("quyết định", "QĐ"),
        ("nghị định", "NĐ"),
        ("phản ánh, kiến nghị", "PAKN"),
    ]:
        assert abbr.get(long) == short, long


def test_thesaurus_loads_as_tuples():
    th = load_thesaurus()
    assert th is load_thesaurus()  # cached
    assert ("chuyển đổi số", "số hóa") in th.synonyms
    assert all(isinstance(g, tuple) for g in th.synonyms)
    assert ("ủy ban nhân dân", "UBND") in th.abbreviations
    assert load_thesaurus(THESAURUS) == th


@pytest.mark.parametrize(
    "content",
    [
        {"format": 2, "synonyms": [], "abbreviations": []},
        {"synonyms": [], "abbreviations": []},
        {"format": 1, "synonyms": [["một"]], "abbreviations": []},
        {"format": 1, "abbreviations": []},
    ],
)
def test_bad_thesaurus_raises_naming_the_file(tmp_path, content):
    path = tmp_path / "my_thesaurus.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(ValueError, match="my_thesaurus.json"):
        load_thesaurus(path)


# --- variants over the dev questions ------------------------------------------------------


def test_each_kind_appears_for_most_questions(gold, by_kind):
    n = len(gold)
    accented = [g for g in gold if fold(g["question"]) != g["question"].lower().replace("đ", "d")]
    assert len(by_kind["polite"]) == n
    assert set(by_kind["no_diacritics"]) == {g["id"] for g in accented}
    assert len(by_kind["typo"]) >= 0.8 * n
    assert len(by_kind["synonym"]) >= 0.8 * n
    # Many gold questions are typed with abbreviations already; every one with a long form
    # gets an abbreviated variant.
    longs = [fold(long) for long, _ in load_thesaurus().abbreviations]
    with_long = {
        g["id"]
        for g in gold
        if any(re.search(rf"(?<!\w){re.escape(x)}(?!\w)", fold(g["question"])) for x in longs)
    }
    assert len(with_long) >= n / 3
    assert set(by_kind["abbreviated"]) == with_long


def test_ids_unique_and_other_fields_unchanged(gold):
    before = copy.deepcopy(gold)
    all_variants = [v for g in gold for v in variants(g)]
    ids = [g["id"] for g in gold] + [v["id"] for v in all_variants]
    assert len(ids) == len(set(ids))
    assert gold == before  # the gold is not modified
    originals = {g["id"]: g for g in gold}
    for v in all_variants:
        g = originals[v["id"].split("~")[0]]
        assert v["id"] == f"{g['id']}~{v['variant']}"
        assert {k: x for k, x in v.items() if k not in ("id", "question", "variant")} == {
            k: x for k, x in g.items() if k not in ("id", "question")
        }
        assert collapse(v["question"]) != collapse(g["question"])
        assert v["question"] == collapse(v["question"])


def test_no_diacritics(gold, by_kind):
    originals = {g["id"]: g["question"] for g in gold}
    for gid, v in by_kind["no_diacritics"].items():
        q, original = v["question"], collapse(originals[gid])
        assert not any(unicodedata.category(c) == "Mn" for c in unicodedata.normalize("NFD", q))
        assert "đ" not in q and "Đ" not in q
        assert fold(q) == fold(original)
        assert [c.isupper() for c in q] == [c.isupper() for c in original]  # case kept
    assert variants({"id": "x", "question": "Đơn vị nào chủ trì?"})[0]["question"] == "Don vi nao chu tri?"


def test_abbreviated(gold, by_kind):
    longs = sorted({fold(long) for long, _ in load_thesaurus().abbreviations}, key=len, reverse=True)
    for v in by_kind["abbreviated"].values():
        for long in longs:
            assert not re.search(rf"(?<!\w){re.escape(long)}(?!\w)", fold(v["question"])), (
                long,
                v["question"],
            )
    q = "Uỷ ban nhân dân xã giao Phòng Văn hóa – Xã hội lập kế hoạch cải cách hành chính"
    assert _one("abbreviated", q) == "UBND xã giao Phòng VHXH lập KH CCHC"
    assert _one("abbreviated", "bao cao ke hoach cai cach hanh chinh") == "BC KH CCHC"
    assert _one("abbreviated", "Đào tạo cán bộ, công chức, viên chức") == "Đào tạo CBCCVC"
    assert _one("abbreviated", "Rà soát văn bản quy phạm pháp luật") == "Rà soát VBQPPL"  # longest first


def _one(kind: str, question: str, gid: str = "t-1") -> str | None:
    found = [v["question"] for v in variants({"id": gid, "question": question}) if v["variant"] == kind]
    return found[0] if found else None


def test_polite(gold, by_kind):
    originals = {g["id"]: collapse(g["question"]) for g in gold}
    frames_used = set()
    for gid, v in by_kind["polite"].items():
        q, original = v["question"], originals[gid]
        body = original.rstrip("?")
        first = body.split(" ")[0]
        if not (len(first) > 1 and first.isupper()):
            body = body[0].lower() + body[1:]
        assert body in q, (q, original)
        assert "??" not in q and "{q}" not in q
        frames_used.add(q.replace(body, "{q}"))
    assert len({f.replace("?", "") for f in frames_used}) >= 4  # frames vary with the id
    assert _one("polite", "KH CCHC năm 2026 ra sao?").count("KH CCHC năm 2026 ra sao") == 1


def test_typo_changes_one_word_by_one_edit(gold, by_kind):
    originals = {g["id"]: collapse(g["question"]) for g in gold}
    edits = set()
    for gid, v in by_kind["typo"].items():
        a, b = _words(originals[gid]), _words(v["question"])
        assert len(a) == len(b)
        changed = [(x, y) for x, y in zip(a, b) if x != y]
        assert len(changed) == 1, changed
        (x, y), k = changed[0], a.index(changed[0][0])
        letters = re.sub(r"\W", "", x)
        assert len(letters) >= 5 and letters.isalpha() and letters[0].islower(), x
        assert fold(letters) != "phuong" and fold(a[k - 1]) not in ("xa", "phuong")
        d = _levenshtein(x, y)
        if d == 2:  # only as a swap of two adjacent letters
            i = next(i for i in range(len(x)) if x[i] != y[i])
            assert x[:i] + x[i + 1] + x[i] + x[i + 2 :] == y, (x, y)
            edits.add("swap")
        else:
            assert d == 1, (x, y)
            edits.add("longer" if len(y) > len(x) else "shorter")
    assert edits == {"swap", "longer", "shorter"}


def test_synonym(gold, by_kind):
    originals = {g["id"]: collapse(g["question"]) for g in gold}
    for gid, v in by_kind["synonym"].items():
        repeated = re.compile(r"(?<!\w)(\w+ \w+) \1(?!\w)", re.IGNORECASE)
        assert len(repeated.findall(v["question"])) <= len(repeated.findall(originals[gid]))
    assert _one("synonym", "Số hóa hồ sơ thế nào?") == "Chuyển đổi số hồ sơ thế nào?"
    assert _one("synonym", "Đơn vị nào chủ trì?") == "Đơn vị nào phụ trách chính?"
    assert _one("synonym", "phong nao chu tri") == "phong nao phu trach chinh"
    assert _one("synonym", "bc năm gửi về đâu?") == "báo cáo năm gửi về đâu?"
    assert _one("synonym", "KH năm nay") == "Kế hoạch năm nay"
    assert _one("synonym", "Phòng nào phối hợp thực hiện?") == "Phòng nào cùng thực hiện?"  # longest first
    # a replacement never repeats the word next to it
    assert _one("synonym", "phòng nào làm đầu mối chủ trì?") == "phòng nào làm đầu mối phụ trách chính?"
    assert _one("synonym", "Ai là người đón khách?") is None


def test_deterministic_within_and_across_processes(gold):
    first = [variants(g) for g in gold]
    assert first == [variants(g) for g in gold]
    code = (
        "import json, sys; from assistant.answer.variants import variants; "
        "gold = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8') if l.strip()]; "
        "sys.stdout.write(json.dumps([variants(g) for g in gold], ensure_ascii=False))"
    )
    for seed in ("1", "4242"):
        run = subprocess.run(
            [sys.executable, "-c", code, str(DEV)],
            cwd=ROOT,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=120,
        )
        assert run.returncode == 0, run.stderr.decode()
        assert json.loads(run.stdout.decode("utf-8")) == first


# --- query expansion ----------------------------------------------------------------------


def test_expand():
    assert expand("số hóa hồ sơ").startswith("số hóa hồ sơ ")
    assert "chuyển đổi số" in expand("số hóa hồ sơ")
    assert "chuyển đổi số" in expand("so hoa ho so")  # matched without diacritics
    out = expand("Ai chủ trì báo cáo?")
    assert "phụ trách chính" in out and "làm đầu mối" in out and "bc" in out.split()
    assert out.count("chủ trì") == 1
    assert expand("hồ sơ xin việc") == "hồ sơ xin việc"
    assert expand("UBND xã") == "UBND xã ủy ban nhân dân"
