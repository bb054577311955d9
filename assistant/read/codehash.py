"""Which source files shape an output: the import closure of some modules of the package,
read from the source (lazy imports inside functions included). Outputs cached on disk
(converted text, the index) record a hash of that closure, so changing the code that made
them remakes them, and changing anything else does not."""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # the `assistant` folder


def _module_file(package: Path, dotted: str) -> Path | None:
    """The file of a module given its dotted name below `package` ("" = the package
    itself): `x/y.py` or `x/y/__init__.py`, or None when there is none."""
    base = package.joinpath(*dotted.split(".")) if dotted else package
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _dotted(package: Path, path: Path) -> list[str]:
    parts = list(path.relative_to(package).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imported(package: Path, path: Path, node: ast.AST) -> list[str]:
    """Dotted names below `package` that one import statement may load, with the
    packages on the way (importing `a.b` runs `a/__init__.py`)."""
    name = package.name
    if isinstance(node, ast.Import):
        found = [a.name[len(name) + 1 :] for a in node.names if a.name.startswith(name + ".")]
    elif isinstance(node, ast.ImportFrom) and node.level:
        here = _dotted(package, path)
        inside = here if path.name == "__init__.py" else here[:-1]
        module = ".".join(inside[: len(inside) - (node.level - 1)] + ([node.module] if node.module else []))
        # `from pkg import name`: name may be a submodule as well as an attribute
        found = [module] + [f"{module}.{a.name}".lstrip(".") for a in node.names]
    elif isinstance(node, ast.ImportFrom) and (
        node.module == name or (node.module or "").startswith(name + ".")
    ):
        module = node.module[len(name) + 1 :]
        found = [module] + [f"{module}.{a.name}".lstrip(".") for a in node.names]
    else:
        return []
    return [".".join(d.split(".")[:i]) for d in found for i in range(len(d.split(".")) + 1)]


def module_closure(roots: tuple[str, ...], package: Path = PACKAGE) -> list[Path]:
    """The files of the modules `roots` (dotted names below `package`) and of every module
    of the package they import, directly or not, lazily inside functions included."""
    files: dict[str, Path | None] = {}

    def file_of(dotted: str) -> Path | None:
        if dotted not in files:
            files[dotted] = _module_file(package, dotted)
        return files[dotted]

    todo = [f for f in map(file_of, roots) if f]
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                todo += [f for f in map(file_of, _imported(package, path, node)) if f and f not in seen]
    return sorted(seen)


def code_hash(roots: tuple[str, ...]) -> str:
    """A hash of the source of `roots` and of everything of the package they import."""
    digest = hashlib.sha256()
    for path in module_closure(roots):
        digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()
