"""Reading plan files: decoding, normalisation, and a named error for every bad file."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from assistant.lang.normalize import has_diacritics
from assistant.present.errors import load_error, read_problem
from assistant.read.load import LoadError, UnreadableFile, decode_text, load_corpus, read_document

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOOD = ("xa-thai-tan-2025.txt", "xa-vinh-thinh-2026.txt")
PHRASE = "Kế hoạch cải cách hành chính xã Vĩnh Thịnh năm 2026"


# ---------------------------------------------------------------- decoding


def test_utf8_without_bom():
    assert decode_text(PHRASE.encode("utf-8")) == PHRASE


def test_utf8_with_bom_drops_the_bom():
    text = decode_text(b"\xef\xbb\xbf" + PHRASE.encode("utf-8"))
    assert text == PHRASE
    assert not text.startswith("\ufeff")


def test_crlf_and_lone_cr_become_lf():
    raw = "I. MỤC ĐÍCH\r\n\r\n1. Mục đích\rhết".encode()
    assert decode_text(raw) == "I. MỤC ĐÍCH\n\n1. Mục đích\nhết"


def test_decomposed_text_is_returned_composed():
    nfd = unicodedata.normalize("NFD", PHRASE)
    assert nfd != PHRASE  # the input really is decomposed
    text = decode_text(nfd.encode("utf-8"))
    assert text == PHRASE
    assert unicodedata.is_normalized("NFC", text)


def test_read_document_normalises_a_file(tmp_path):
    path = tmp_path / "ke-hoach.txt"
    path.write_bytes(b"\xef\xbb\xbf" + unicodedata.normalize("NFD", "Dòng một\r\nDòng hai").encode("utf-8"))
    doc = read_document(path)
    assert doc.name == "ke-hoach.txt"
    assert doc.path == path
    assert doc.text == "Dòng một\nDòng hai"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_read(tmp_path, codec):
    """Notepad's "Unicode" (UTF-16 with a BOM) is a text plan, not a binary file."""
    plan = (CORPUS / GOOD[0]).read_text("utf-8")
    bom = "" if codec in {"utf-16", "utf-32"} else "\ufeff"  # the plain codecs write their own
    path = tmp_path / "unicode.txt"
    path.write_bytes((bom + plan.replace("\n", "\r\n")).encode(codec))
    assert read_document(path).text == plan
    assert decode_text((bom + PHRASE).encode(codec)) == PHRASE


def test_utf16_that_is_not_text_is_still_binary():
    with pytest.raises(UnreadableFile) as exc:
        decode_text(b"\xff\xfe" + b"\x00\x00\x01\x00" * 50)
    assert exc.value.problem == "binary"


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t ", b"\xef\xbb\xbf\n\n"])
def test_empty_or_blank_input_is_unreadable(data):
    with pytest.raises(UnreadableFile) as exc:
        decode_text(data)
    assert "rỗng" in read_problem(exc.value.problem, exc.value.params)


# ---------------------------------------------------------------- a folder with bad files


def _latin1_bytes() -> bytes:
    data = "Kê hoach cai cách hành chính xã Thái Tân: báo cáo quý, nam".encode("latin-1")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the fixture really is invalid UTF-8
    return data


@pytest.fixture
def mixed_folder(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    for name in GOOD:
        shutil.copy(CORPUS / name, folder / name)
    (folder / "trong.txt").write_bytes(b"")
    (folder / "scan.txt").write_bytes(b"%PDF\x00\x01\x02\x00binary\x00" * 20)
    (folder / "latin1.txt").write_bytes(_latin1_bytes())
    return folder


BAD_REASONS = {"trong.txt": "rỗng", "scan.txt": "nhị phân", "latin1.txt": "UTF-8"}


def test_load_corpus_keeps_good_plans_and_names_each_bad_file(mixed_folder):
    docs, errors = load_corpus(mixed_folder)
    assert sorted(d.name for d in docs) == sorted(GOOD)
    for doc in docs:
        assert doc.text == (CORPUS / doc.name).read_text(encoding="utf-8").replace("\r\n", "\n")
    assert sorted(e.name for e in errors) == sorted(BAD_REASONS)  # exactly one error per bad file
    for err in errors:
        assert isinstance(err, LoadError)
        assert BAD_REASONS[err.name] in read_problem(err.problem, err.params)
        assert has_diacritics(read_problem(err.problem, err.params)), read_problem(
            err.problem, err.params
        )  # written in Vietnamese
        assert load_error(err).startswith(f"{err.name}: ")


def test_unsupported_suffix_is_reported(tmp_path):
    shutil.copy(CORPUS / GOOD[0], tmp_path / GOOD[0])
    (tmp_path / "ke-hoach.odt").write_bytes(b"PK\x03\x04 not a plan we read")
    docs, errors = load_corpus(tmp_path)
    assert [d.name for d in docs] == [GOOD[0]]
    assert [e.name for e in errors] == ["ke-hoach.odt"]
    said = read_problem(errors[0].problem, errors[0].params)
    assert ".odt" in said and "chưa được hỗ trợ" in said


def test_file_over_the_size_limit_is_reported(tmp_path):
    shutil.copy(CORPUS / GOOD[0], tmp_path / GOOD[0])
    docs, errors = load_corpus(tmp_path, max_bytes=1024)
    assert docs == []
    assert [e.name for e in errors] == [GOOD[0]]
    assert "quá lớn" in read_problem(errors[0].problem, errors[0].params)


def test_missing_folder_is_one_named_error(tmp_path):
    docs, errors = load_corpus(tmp_path / "khong-co")
    assert docs == []
    assert len(errors) == 1 and "không tồn tại" in read_problem(errors[0].problem, errors[0].params)


def test_a_folder_with_bad_files_parses_the_good_ones(mixed_folder):
    from assistant.parse.plan import parse_plan

    docs, errors = load_corpus(mixed_folder)
    plans = [parse_plan(d) for d in docs]
    assert sorted(p.plan.file for p in plans) == sorted(GOOD)
    assert sorted(d.name for d in docs) == sorted(GOOD)
    assert sorted(e.name for e in errors) == sorted(BAD_REASONS)
    by_id = {p.plan.id: p for p in plans}
    assert set(by_id) == {"xa-thai-tan-2025", "xa-vinh-thinh-2026"}
    assert by_id["xa-thai-tan-2025"].plan.place == "xã Thái Tân"
    assert by_id["xa-vinh-thinh-2026"].plan.place == "xã Vĩnh Thịnh"
    for p in plans:
        assert p.blocks and p.duties and p.reports and p.targets, p.plan.id
        assert all(d.plan == p.plan.id for d in p.duties)


# ---------------------------------------------------------------- settings


def test_environment_overrides_corpus_and_index_dirs(tmp_path, monkeypatch):
    from assistant.settings import load_settings

    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(tmp_path / "ke-hoach"))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "chi-muc"))
    settings = load_settings()
    assert settings.corpus_dir == tmp_path / "ke-hoach"
    assert settings.index_dir == tmp_path / "chi-muc"


def test_blank_environment_falls_back_to_project_folders(monkeypatch):
    from assistant.settings import load_settings

    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", "   ")
    monkeypatch.delenv("ASSISTANT_INDEX_DIR", raising=False)
    if (ROOT / ".env").is_file():
        pytest.skip("a local .env may set the paths")
    settings = load_settings()
    assert settings.corpus_dir == ROOT / "corpus"
    assert settings.index_dir == ROOT / "index"
