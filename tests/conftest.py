"""Shared fixtures: the real corpus, loaded once; paths redirected per test."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def library():
    from assistant.library import build_library
    return build_library(CORPUS)


@pytest.fixture(scope="session")
def plans(library):
    return {p.plan.id: p for p in library.plans}


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    """No test writes into the project's index/ or data/ folders."""
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    if "ASSISTANT_INDEX_DIR" not in __import__("os").environ:
        monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
