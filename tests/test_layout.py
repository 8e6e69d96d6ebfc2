"""The shape of the code, checked on every run: small modules and functions, no import cycle, no private name used
from another module, and no rule kind recognised by its name outside ``cleaner/kinds``."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from cleaner.kinds import KINDS

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "cleaner"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def modules(*folders: str) -> list[Path]:
    """The Python files of the project in these folders (not those of a hidden folder, such as a benchmark's venv)."""
    found = (p for folder in folders for p in (ROOT / folder).rglob("*.py"))
    return sorted(p for p in found if not any(part.startswith(".") for part in p.relative_to(ROOT).parts))


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


PACKAGE_MODULES = {module_name(p): p for p in modules("cleaner")}


@pytest.mark.parametrize("path", modules("cleaner"), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_is_at_most_400_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)} has {lines} lines"


def test_no_function_is_over_60_lines() -> None:
    long = [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({(node.end_lineno or node.lineno) - node.lineno + 1})"
        for path in modules("cleaner")
        for node in ast.walk(tree(path))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (node.end_lineno or node.lineno) - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []


def imported(path: Path) -> Iterator[str]:
    """The cleaner modules a module imports, anywhere in it (functions and type-checking blocks included)."""
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.startswith("cleaner"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("cleaner"):
            yield node.module
            # `from cleaner.io import jsonl` imports the module cleaner.io.jsonl
            yield from (f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in PACKAGE_MODULES)


def test_no_import_cycle() -> None:
    graph = {name: set(imported(path)) & set(PACKAGE_MODULES) for name, path in PACKAGE_MODULES.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for other in sorted(graph[name]):
            if state.get(other) == 1:
                cycles.append([*path[path.index(other) :], other])
            elif other not in state:
                visit(other, [*path, other])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


@pytest.mark.parametrize(
    "path", modules("cleaner", "tests", "benchmarks", "fixtures"), ids=lambda p: str(p.relative_to(ROOT))
)
def test_no_private_name_is_imported_from_another_module(path: Path) -> None:
    found: list[str] = []
    module_aliases: set[str] = set()
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.ImportFrom):
            found += [f"line {node.lineno}: {alias.name}" for alias in node.names if _private(alias.name)]
            if node.module and _private(node.module.rsplit(".", 1)[-1]):
                found.append(f"line {node.lineno}: module {node.module}")
            module_aliases.update(
                alias.asname or alias.name for alias in node.names if f"{node.module}.{alias.name}" in PACKAGE_MODULES
            )
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if any(_private(part) for part in alias.name.split(".")):
                    found.append(f"line {node.lineno}: module {alias.name}")
                module_aliases.add(alias.asname or alias.name.split(".")[0])
    for node in ast.walk(tree(path)):
        # `engine._MAX_ROUNDS`, `cleaner.io.align._WORD`: a private name of an imported module
        if isinstance(node, ast.Attribute) and _private(node.attr) and _module_path(node.value) in module_aliases:
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    assert found == []


def _module_path(node: ast.expr) -> str | None:
    """The first name of a dotted name (``cleaner`` of ``cleaner.io.align``), or None for anything else."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def test_no_kind_is_recognised_by_its_name_outside_the_kinds() -> None:
    names = set(KINDS)
    found: list[str] = []
    for path in modules("cleaner"):
        if path.is_relative_to(PACKAGE / "kinds"):
            continue
        for node in ast.walk(tree(path)):
            if not isinstance(node, ast.Compare):
                continue
            operands = [node.left, *node.comparators]
            constants = [c for o in operands for c in ([o] if isinstance(o, ast.Constant) else _items(o))]
            if any(isinstance(c.value, str) and c.value in names for c in constants):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    assert found == []


def _items(node: ast.expr) -> list[ast.Constant]:
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [e for e in node.elts if isinstance(e, ast.Constant)]
    return []
