"""The package shows its architecture: stage packages at the top, imports running one way
down the stages with no circle, small modules, and no Vietnamese wording in the core's
errors or logs (user-facing words live in present/ and the Telegram replies)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from assistant.read.codehash import PACKAGE, _imported, _module_file

# Each stage may import from the stages before it (and from the records and settings).
STAGES = [
    "lang",
    "read",
    "parse",
    "index",
    "answer",
    "due",
    "present",
    "serve",
    "converse",
    "telegram",
    "cli",
]
BASE = {"records", "settings", "__init__"}
CORE = ["lang", "read", "parse", "index", "answer", "due", "serve"]
_VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _top(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imports(path: Path) -> set[Path]:
    """The package modules `path` imports (lazily too), not counting the packages' own
    `__init__` files that importing a submodule runs."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        files = {n: f for n in _imported(PACKAGE, path, node) if (f := _module_file(PACKAGE, n))}
        for name, target in files.items():
            if target != path and not any(m.startswith(name + ".") for m in files):
                found.add(target)
    return found


def test_the_top_level_holds_the_stage_packages_and_the_records():
    top = {p.name for p in PACKAGE.iterdir() if not p.name.startswith((".", "__pycache__"))}
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert packages == set(STAGES)
    assert top - packages == {"__init__.py", "__main__.py", "settings.py", "records.py"}
    for name in packages:
        doc = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text("utf-8")))
        assert doc and len(doc.split()) >= 20, f"{name}/__init__.py must say what comes in and goes out"


def test_imports_run_down_the_stages():
    rank = {s: i for i, s in enumerate(STAGES)}
    wrong = []
    for path in _modules():
        here = _top(path)
        for target in _imports(path):
            there = _top(target)
            if there in BASE or there == here or here in BASE | {"__main__"}:
                continue
            if here not in rank or rank[there] > rank[here]:
                wrong.append(f"{path.relative_to(PACKAGE)} -> {target.relative_to(PACKAGE)}")
    base_up = [
        f"{p.relative_to(PACKAGE)} -> {t.relative_to(PACKAGE)}"
        for p in _modules()
        if _top(p) in {"records", "settings"}
        for t in _imports(p)
    ]
    assert not wrong and not base_up, wrong + base_up


def test_no_import_circle_between_modules():
    graph = {p: _imports(p) for p in _modules()}
    assert sum(map(len, graph.values())) > 150  # the walk sees the package's imports
    state: dict[Path, int] = {}  # 1 on the current path, 2 done

    def visit(node: Path, trail: list[Path]) -> list[Path] | None:
        state[node] = 1
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                return trail + [node, nxt]
            if nxt not in state and (cycle := visit(nxt, trail + [node])):
                return cycle
        state[node] = 2
        return None

    for node in graph:
        if node not in state:
            cycle = visit(node, [])
            assert cycle is None, " -> ".join(str(p.relative_to(PACKAGE)) for p in cycle)


def test_no_module_is_over_300_lines():
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in _modules()
        if (n := len(p.read_text("utf-8").splitlines())) > 300
    }
    assert not long, long


def test_the_core_raises_and_logs_without_vietnamese_wording():
    """Errors and log lines of the core carry codes and figures; `present` words them."""
    found = []
    for path in (p for p in _modules() if _top(p) in CORE):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            is_log = (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"debug", "info", "warning", "error", "exception"}
            )
            if isinstance(node, ast.Raise) or is_log:
                for const in ast.walk(node):
                    if isinstance(const, ast.Constant) and isinstance(const.value, str):
                        if _VIETNAMESE.search(const.value):
                            found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {const.value[:50]!r}")
    assert not found, found
